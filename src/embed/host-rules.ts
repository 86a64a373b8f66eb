/**
 * Runs host rules (`defineHostRule`: rules about the JS/TS code around a SQL site) on one site.
 * Called by `analyzeSite`, so the CLI (`lintHostSource`) and the ESLint plugin run them the same way.
 */
import { resolveRules, type ActiveRule, type RulesConfig } from '../config/rules-config.js';
import { formatMessage, isHostRule, type AnyRule, type Diagnostic, type Severity } from '../rule.js';
import type { EsNode, SqlSite } from './detect.js';
import type { EmbeddedSql } from './template.js';

const cache = new WeakMap<readonly AnyRule[], WeakMap<object, ActiveRule[]>>();
const NO_CONFIG = {};

/** The host rules switched on by a config (resolved once per rule set and config object). */
export function activeHostRules(ruleSet: readonly AnyRule[], rules: RulesConfig | undefined): ActiveRule[] {
  let byConfig = cache.get(ruleSet);
  if (!byConfig) cache.set(ruleSet, (byConfig = new WeakMap()));
  const key = rules ?? NO_CONFIG;
  let active = byConfig.get(key);
  if (!active) {
    active = ruleSet.some(isHostRule) ? resolveRules(ruleSet, rules).active.filter((a) => isHostRule(a.rule)) : [];
    byConfig.set(key, active);
  }
  return active;
}

/** Diagnostics (host offsets) of the active host rules on one site. Never throws. */
export function runHostRules(site: SqlSite, embedded: EmbeddedSql | null, active: readonly ActiveRule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parentOf = site.parentOf ?? ((n: EsNode) => (n.parent as EsNode | undefined) ?? null);
  for (const { rule, severity, options } of active) {
    const seen = new Set<string>();
    try {
      rule.checkSite!(site, {
        embedded,
        options,
        source: (r) => site.code.slice(r.start, r.end),
        parent: parentOf,
        report: (r) => {
          const key = `${r.range.start}:${r.range.end}:${r.messageId}`;
          if (seen.has(key)) return;
          seen.add(key);
          out.push({ ruleId: rule.name, severity: severity as Severity, message: formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data), messageId: r.messageId, start: r.range.start, end: r.range.end, category: rule.category });
        },
      });
    } catch (e) {
      out.push({ ruleId: rule.name, severity: 'error', message: `internal error in rule ${rule.name}: ${(e as Error).message}`, messageId: 'internal', start: site.range[0], end: site.range[0], category: rule.category });
    }
  }
  return out;
}
