/**
 * Runs host rules (`defineHostRule`: rules about the JS/TS code around a SQL site) on one site,
 * and the value-side checks of SQL rules (`withValueCheck`: evidence in the values that fill the
 * SQL's placeholders). Called by `analyzeSite`, so the CLI (`lintHostSource`) and the ESLint plugin
 * run them the same way.
 */
import { resolveRules, type ActiveRule, type RulesConfig } from '../config/rules-config.js';
import { formatMessage, isHostRule, type AnyRule, type Diagnostic, type ProgramContext } from '../rule.js';
import type { Dialect } from '../dialect.js';
import type { Schema } from '../schema/types.js';
import type { SqlSite } from './detect.js';
import type { AstNode } from './estree.js';
import type { EmbeddedSql } from './template.js';
import { parentLookup } from './hole-values.js';
import { errorMessage } from '../error-message.js';

/** A rule that looks at JS/TS code: a host rule, or a rule with a value-side site or program check. */
function runsOnSites(rule: AnyRule): boolean {
  return isHostRule(rule) || rule.checkValues !== undefined || rule.checkProgram !== undefined;
}

const cache = new WeakMap<readonly AnyRule[], WeakMap<object, ActiveRule[]>>();
const NO_CONFIG = {};

/** The host rules and value-side checks switched on by a config (resolved once per rule set and config object). */
export function activeHostRules(ruleSet: readonly AnyRule[], rules: RulesConfig | undefined): ActiveRule[] {
  let byConfig = cache.get(ruleSet);
  if (!byConfig) cache.set(ruleSet, (byConfig = new WeakMap()));
  const key = rules ?? NO_CONFIG;
  let active = byConfig.get(key);
  if (!active) {
    active = ruleSet.some(runsOnSites) ? resolveRules(ruleSet, rules).active.filter((a) => runsOnSites(a.rule)) : [];
    byConfig.set(key, active);
  }
  return active;
}

/**
 * Diagnostics (host offsets) of the active host rules on one site. Never throws. `dialect` (the
 * site's SQL dialect) reaches the rules as `ctx.dialect` (MySQL's "..." strings are strings).
 */
export function runHostRules(site: SqlSite, embedded: EmbeddedSql | null, active: readonly ActiveRule[], dialect?: Dialect, schema?: Schema): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parentOf = site.parentOf ?? ((n: AstNode) => (n.parent) ?? null);
  for (const { rule, severity, options } of active) {
    const seen = new Set<string>();
    const check = rule.checkSite?.bind(rule) ?? rule.checkValues?.bind(rule);
    if (!check) continue;
    try {
      check(site, {
        ...(dialect ? { dialect } : {}),
        ...(schema ? { schema } : {}),
        embedded,
        options,
        source: (r) => site.code.slice(r.start, r.end),
        parent: parentOf,
        report: (r) => {
          const key = `${r.range.start}:${r.range.end}:${r.messageId}`;
          if (seen.has(key)) return;
          seen.add(key);
          out.push({ ruleId: rule.name, severity, message: formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data), messageId: r.messageId, start: r.range.start, end: r.range.end, category: rule.category });
        },
      });
    } catch (e) {
      out.push({ ruleId: rule.name, severity: 'error', message: `internal error in rule ${rule.name}: ${errorMessage(e)}`, messageId: 'internal', start: site.range[0], end: site.range[0], category: rule.category });
    }
  }
  return out;
}

/**
 * Program-wide value checks (`withValueCheck(rule, { program })`): SQL that query builders write
 * from their arguments, with no SQL site (`.where('name', 'ilike', `%${q}%`)`). Diagnostics in host
 * offsets. Never throws. Front ends call it once per JS/TS file, with the same active rules as
 * `runHostRules`.
 */
export function runProgramChecks(program: AstNode, code: string, active: readonly ActiveRule[], dialect?: Dialect): Diagnostic[] {
  const out: Diagnostic[] = [];
  let parent: ((n: AstNode) => AstNode | null) | undefined;
  for (const { rule, severity, options } of active) {
    const check = rule.checkProgram?.bind(rule);
    if (!check) continue;
    parent ??= parentLookup(program);
    const seen = new Set<string>();
    try {
      // the rule's options reach the check too (no-query-in-loop's `builders`)
      const programCtx: ProgramContext<Record<string, unknown>> = {
        code,
        parent,
        options,
        // advice in the project's dialect (no-leading-wildcard's remedy), as value-side checks get it
        ...(dialect ? { dialect } : {}),
        source: (r) => code.slice(r.start, r.end),
        report: (r) => {
          const key = `${r.range.start}:${r.range.end}:${r.messageId}`;
          if (seen.has(key)) return;
          seen.add(key);
          out.push({ ruleId: rule.name, severity, message: formatMessage(rule.messages[r.messageId] ?? r.messageId, r.data), messageId: r.messageId, start: r.range.start, end: r.range.end, category: rule.category });
        },
      };
      check(program, programCtx);
    } catch (e) {
      out.push({ ruleId: rule.name, severity: 'error', message: `internal error in rule ${rule.name}: ${errorMessage(e)}`, messageId: 'internal', start: 0, end: 0, category: rule.category });
    }
  }
  return out;
}
