import { rules } from '../../rules/index.js';
import type { Category, RuleDocs, Severity } from '../rule.js';
import { CONTEXTS, defaultContexts, type SqlContext } from '../context.js';
import { FILE_ERROR_ID } from './types.js';

/** What the CLI shows about a rule: sqlperf's rules plus the built-in ids that can appear in results. */
export interface RuleInfo {
  id: string;
  category: Category | 'parse' | 'file';
  severity: Severity;
  recommended: boolean;
  description: string;
  docs: RuleDocs | { why: string; bad?: string; good?: string };
  /** Message templates by id (`{{name}}` placeholders); sqlperf's rules only. */
  messages?: Record<string, string>;
  /** GitHub code scanning's `security-severity` (0.0–10.0), for security rules. */
  securitySeverity?: string;
  options?: Record<string, { type: string; description?: string }>;
  defaultOptions?: Record<string, unknown>;
  /** Where it runs (src/context.ts). */
  contexts: readonly SqlContext[];
  builtin?: true;
}

const BUILTINS: RuleInfo[] = [
  {
    id: 'parse-error',
    category: 'parse',
    severity: 'error',
    recommended: true,
    builtin: true,
    contexts: CONTEXTS,
    description: 'Report SQL that the dialect parser cannot parse',
    docs: { why: 'A statement that does not parse cannot be checked by any rule; it is also likely to fail at run time. Set "parse-error": "off" or "warn" to accept SQL the parser does not know.', bad: 'SELECT id FORM users', good: 'SELECT id FROM users' },
  },
  {
    id: 'invalid-directive',
    category: 'parse',
    severity: 'error',
    recommended: true,
    builtin: true,
    contexts: CONTEXTS,
    description: 'Report sqlperf-disable comments that name unknown rules',
    docs: { why: 'A suppression comment with a misspelt rule id suppresses nothing and hides the mistake.', bad: '-- sqlperf-disable-next-line no-select-str\nSELECT * FROM users', good: '-- sqlperf-disable-next-line no-select-star\nSELECT * FROM users' },
  },
  {
    id: 'unused-directive',
    category: 'parse',
    severity: 'warn',
    recommended: false,
    builtin: true,
    contexts: CONTEXTS,
    description: 'Report sqlperf-disable comments that suppress nothing (--report-unused-disable-directives)',
    docs: { why: 'A suppression comment left after the finding was fixed would hide the next finding on that line. Off unless --report-unused-disable-directives (error), --report-unused-disable-directives-severity or the config key "reportUnusedDisableDirectives" turns it on.', bad: '-- sqlperf-disable-next-line no-select-star\nSELECT id FROM users', good: 'SELECT id FROM users' },
  },
  {
    id: FILE_ERROR_ID,
    category: 'file',
    severity: 'error',
    recommended: true,
    builtin: true,
    contexts: CONTEXTS,
    description: 'Report files that could not be read (unreadable, binary, not a file)',
    docs: { why: 'A file that cannot be read was not linted; the run must not pass silently. In JSON output its messages have ruleId null and fatal true, as ESLint reports fatal errors.' },
  },
];

/**
 * `security-severity` per security rule, as GitHub code scanning ranks alerts (>= 7.0 is high):
 * SQL built from unchecked values is SQL injection (CWE-89), which CodeQL's own query scores 8.8.
 * A new security rule needs its entry (test/rule-docs.test.ts checks).
 */
export const SECURITY_SEVERITY: Readonly<Record<string, string>> = { 'no-unsafe-interpolation': '8.8' };

export function allRuleInfo(): RuleInfo[] {
  const own: RuleInfo[] = rules.map((r) => ({
    id: r.name,
    category: r.category,
    severity: r.severity,
    recommended: r.recommended,
    description: r.description,
    docs: r.docs,
    messages: r.messages,
    ...(r.category === 'security' && SECURITY_SEVERITY[r.name] ? { securitySeverity: SECURITY_SEVERITY[r.name] } : {}),
    options: r.schema?.properties,
    defaultOptions: r.defaultOptions as Record<string, unknown> | undefined,
    contexts: r.contexts ?? defaultContexts(r.category),
  }));
  return [...own, ...BUILTINS];
}

export function ruleIds(): string[] {
  return allRuleInfo().map((r) => r.id);
}
