import { closestName } from '../did-you-mean.js';
import type { AnyRule, OptionSchema, Severity, SeveritySetting } from '../rule.js';

export { editDistance } from '../did-you-mean.js';

/** `'warn'`, `'off'`, `['error', { max: 5 }]`, as in ESLint. */
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];
export type RulesConfig = Record<string, RuleSetting>;

export interface ActiveRule {
  rule: AnyRule;
  severity: Severity;
  options: Record<string, unknown>;
}

/** Ids that are not rules but can be configured like one. */
export const BUILTIN_IDS = ['parse-error', 'unused-directive'] as const;

/** Their severities when the config does not set them: unused directives are reported on request. */
const BUILTIN_DEFAULTS: Record<(typeof BUILTIN_IDS)[number], SeveritySetting> = { 'parse-error': 'error', 'unused-directive': 'off' };

/** A built-in id's severity from a rules config as written (`"warn"`, `["error"]`, `1`), without resolving the rest. */
export function builtinSeverity(config: RulesConfig | undefined, id: (typeof BUILTIN_IDS)[number]): SeveritySetting {
  const setting = config?.[id];
  return toSeverity(Array.isArray(setting) ? setting[0] : setting) ?? BUILTIN_DEFAULTS[id];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function unknownRuleMessage(name: string, known: string[]): string {
  const hint = closestName(name, known);
  return `unknown rule "${name}"${hint ? `; did you mean "${hint}"?` : ''} (run \`sqlperf rules\` for the list)`;
}

/** Checks options against the rule's schema; returns problems, each naming the key. */
export function validateOptions(ruleName: string, schema: OptionSchema | undefined, options: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const props = schema?.properties ?? {};
  for (const [k, v] of Object.entries(options)) {
    const p = props[k];
    if (!p) {
      const known = Object.keys(props);
      problems.push(`rule "${ruleName}" has no option "${k}"${known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)'}`);
      continue;
    }
    // number, boolean and string are their typeof
    const ok = p.type === 'integer' ? Number.isInteger(v) : p.type === 'array' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === p.type;
    if (!ok) problems.push(`option "${k}" of rule "${ruleName}" must be ${p.type === 'array' ? 'an array of strings' : `a${p.type === 'integer' ? 'n' : ''} ${p.type}`}, got ${JSON.stringify(v)}`);
    else if (p.minimum !== undefined && typeof v === 'number' && v < p.minimum) problems.push(`option "${k}" of rule "${ruleName}" must be at least ${p.minimum}, got ${v}`);
  }
  return problems;
}

const SEVERITIES = new Set(['off', 'warn', 'error', 0, 1, 2]);

function toSeverity(v: unknown): SeveritySetting | undefined {
  if (!SEVERITIES.has(v as string)) return undefined;
  return v === 0 ? 'off' : v === 1 ? 'warn' : v === 2 ? 'error' : (v as SeveritySetting);
}

/**
 * Resolves the active rules: every recommended rule at its default severity, overridden by the
 * config. Throws ConfigError naming the key and the fix for anything it cannot accept.
 */
export function resolveRules(all: readonly AnyRule[], config: RulesConfig | undefined, where = 'rules'): { active: ActiveRule[]; builtins: Record<string, SeveritySetting> } {
  const byName = new Map(all.map((r) => [r.name, r]));
  const builtins: Record<string, SeveritySetting> = { ...BUILTIN_DEFAULTS };
  const chosen = new Map<string, ActiveRule>();
  for (const r of all) if (r.recommended) chosen.set(r.name, { rule: r, severity: r.severity, options: { ...(r.defaultOptions ?? {}) } });
  for (const [name, setting] of Object.entries(config ?? {})) {
    const [sevRaw, opts] = Array.isArray(setting) ? [setting[0], setting[1]] : [setting, undefined];
    const sev = toSeverity(sevRaw);
    if (!sev) throw new ConfigError(`${where}.${name}: severity must be "off", "warn" or "error" (got ${JSON.stringify(sevRaw)})`);
    if ((BUILTIN_IDS as readonly string[]).includes(name)) {
      builtins[name] = sev;
      continue;
    }
    const rule = byName.get(name);
    if (!rule) throw new ConfigError(`${where}: ${unknownRuleMessage(name, [...byName.keys(), ...BUILTIN_IDS])}`);
    if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) throw new ConfigError(`${where}.${name}: options must be an object, e.g. ["warn", { ... }]`);
    const problems = validateOptions(name, rule.schema, opts ?? {});
    if (problems.length) throw new ConfigError(`${where}.${name}: ${problems.join('; ')}`);
    if (sev === 'off') {
      chosen.delete(name);
      continue;
    }
    chosen.set(name, { rule, severity: sev, options: { ...(rule.defaultOptions ?? {}), ...(opts ?? {}) } });
  }
  const active = all.filter((r) => chosen.has(r.name)).map((r) => chosen.get(r.name)!);
  return { active, builtins };
}
