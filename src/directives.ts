import type { Token } from './parse/lexer.js';
import { lineStarts, toLineCol, type Range } from './range.js';
import { builtinSeverity, unknownRuleMessage, type RulesConfig } from './config/rules-config.js';
import type { Diagnostic } from './rule.js';

/**
 * Inline suppression in SQL comments, as ESLint does it:
 *   -- sqlperf-disable-next-line no-select-star, max-joins
 *   -- sqlperf-disable-line
 *   -- sqlperf-disable no-select-star   ...   -- sqlperf-enable no-select-star
 * No rule list means every rule. Host-language comments (`// sqlperf-disable-next-line`) arrive
 * here through `extraDirectives` with positions already mapped into the SQL text.
 */
export interface Directive {
  kind: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  rules: string[] | null;
  /** The comment (for reports about the directive itself). */
  range: Range;
  /** For line directives: the 1-based line of the SQL text they apply to. */
  line?: number;
}

const DIRECTIVE = /^\s*(?:--|#|\/\*+|\/\/)\s*sqlperf-(disable-next-line|disable-line|disable|enable)\b([^*]*)/;

export function parseDirective(commentText: string): { kind: Directive['kind']; rules: string[] | null } | undefined {
  const m = DIRECTIVE.exec(commentText);
  if (!m) return undefined;
  // `-- sqlperf-disable-next-line a, b -- reason` : a description may follow `--`
  const list = m[2]!.split(/\s--\s/)[0]!.trim();
  const rules = list ? list.split(/[\s,]+/).filter(Boolean) : null;
  return { kind: m[1] as Directive['kind'], rules };
}

export function directivesFromTokens(text: string, tokens: Token[]): Directive[] {
  const out: Directive[] = [];
  let starts: number[] | undefined;
  for (const t of tokens) {
    if (t.type !== 'comment' || !t.value.includes('sqlperf-')) continue;
    const d = parseDirective(t.value);
    if (!d) continue;
    starts ??= lineStarts(text);
    const line = toLineCol(starts, t.start).line;
    out.push({ ...d, range: { start: t.start, end: t.end }, line: d.kind === 'disable-next-line' ? line + 1 : line });
  }
  return out;
}

export interface DirectiveProblem {
  range: Range;
  message: string;
}

export interface Suppressor {
  /** Whether a finding of `ruleId` at `offset` is suppressed; the directive that suppresses it is marked used. */
  isSuppressed(ruleId: string, offset: number): boolean;
  /** Directives naming rules that do not exist. */
  problems: DirectiveProblem[];
  /**
   * Directives that suppressed nothing (ask once every finding went through `isSuppressed`): a
   * disable naming no rule that hid no finding, each named rule that hid none, an enable with
   * nothing disabled before it. Names of unknown rules are `problems`, not repeated here.
   */
  unused(): DirectiveProblem[];
}

/**
 * The ids a directive problem is reported under, in the CLI and (as `sqlperf/<id>`) in ESLint: both
 * front ends take them from here so the same directive gives the same id.
 */
export const DIRECTIVE_IDS = { invalid: 'invalid-directive', unused: 'unused-directive' } as const;

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(' or ');

/**
 * Suppression over a text's directives, linear in their number: line directives are looked up by
 * line, and for the region directives each rule id gets (once) the positions of the directives
 * that concern it, searched by bisection. 20k directives used to cost a scan each per finding.
 */
export function makeSuppressor(text: string, directives: Directive[], knownRules: string[]): Suppressor {
  const problems: DirectiveProblem[] = [];
  const known = new Set(knownRules);
  for (const d of directives) for (const r of d.rules ?? []) if (!known.has(r)) problems.push({ range: d.range, message: `sqlperf-${d.kind}: ${unknownRuleMessage(r, knownRules)}` });
  if (directives.length === 0) return { isSuppressed: () => false, problems, unused: () => [] };
  let starts: number[] | undefined;
  const byLine = new Map<number, Directive[]>();
  const regions: Directive[] = [];
  for (const d of directives) {
    if (d.kind === 'disable' || d.kind === 'enable') regions.push(d);
    else {
      const list = byLine.get(d.line!);
      if (list) list.push(d);
      else byLine.set(d.line!, [d]);
    }
  }
  regions.sort((a, b) => a.range.start - b.range.start);
  for (const list of byLine.values()) list.sort((a, b) => a.range.start - b.range.start);
  /** rule id -> the region directives that concern it, in order */
  const perRule = new Map<string, { at: number[]; ds: Directive[] }>();
  const regionsFor = (ruleId: string) => {
    let r = perRule.get(ruleId);
    if (!r) {
      const ds = regions.filter((d) => !d.rules || d.rules.includes(ruleId));
      perRule.set(ruleId, (r = { at: ds.map((d) => d.range.start), ds }));
    }
    return r;
  };
  /** directive -> the rule ids it suppressed (any id, for a directive naming none) */
  const used = new Map<Directive, Set<string>>();
  const use = (d: Directive, ruleId: string) => {
    const set = used.get(d);
    if (set) set.add(ruleId);
    else used.set(d, new Set([ruleId]));
    return true;
  };
  return {
    problems,
    isSuppressed(ruleId, offset) {
      if (byLine.size) {
        starts ??= lineStarts(text);
        for (const d of byLine.get(toLineCol(starts, offset).line) ?? []) if (!d.rules || d.rules.includes(ruleId)) return use(d, ruleId);
      }
      if (!regions.length) return false;
      // the last directive at or before the offset that concerns the rule decides
      const { at, ds } = regionsFor(ruleId);
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      const d = lo > 0 ? ds[lo - 1]! : undefined;
      return d?.kind === 'disable' ? use(d, ruleId) : false;
    },
    unused() {
      return [...unusedDisables(directives, used, known), ...unusedEnables(regions, known)].sort((a, b) => a.range.start - b.range.start);
    },
  };
}

/** Disable directives (line and region) that hid no finding, or none of a rule they name. */
function unusedDisables(directives: Directive[], used: Map<Directive, Set<string>>, known: Set<string>): DirectiveProblem[] {
  const out: DirectiveProblem[] = [];
  for (const d of directives) {
    if (d.kind === 'enable') continue;
    const hit = used.get(d);
    if (!d.rules) {
      if (!hit) out.push({ range: d.range, message: `Unused sqlperf-${d.kind} directive (no problems were reported).` });
      continue;
    }
    const idle = d.rules.filter((r) => known.has(r) && !hit?.has(r));
    if (idle.length) out.push({ range: d.range, message: `Unused sqlperf-${d.kind} directive (no problems were reported from ${quoted(idle)}).` });
  }
  return out;
}

/** Enable directives with nothing to enable: an enable re-enables only what a disable before it turned off. */
function unusedEnables(regions: Directive[], known: Set<string>): DirectiveProblem[] {
  const out: DirectiveProblem[] = [];
  let all = false;
  const off = new Set<string>();
  for (const d of regions) {
    if (d.kind === 'disable') {
      if (!d.rules) {
        all = true;
        off.clear();
      } else if (!all) for (const r of d.rules) off.add(r);
      continue;
    }
    if (!d.rules) {
      if (!all && !off.size) out.push({ range: d.range, message: 'Unused sqlperf-enable directive (no matching sqlperf-disable directives were found).' });
      all = false;
      off.clear();
      continue;
    }
    const idle = d.rules.filter((r) => known.has(r) && !all && !off.has(r));
    if (idle.length) out.push({ range: d.range, message: `Unused sqlperf-enable directive (no matching sqlperf-disable directives were found for ${quoted(idle)}).` });
    for (const r of d.rules) off.delete(r);
  }
  return out;
}

/**
 * A suppressor's findings about the directives themselves, once every finding went through it:
 * unknown rule names (`invalid-directive`, an error) and, when the rules config turns
 * `unused-directive` on (`--report-unused-disable-directives`), directives that suppressed nothing.
 * Both front ends (analyze, the JS/TS pipeline, the ESLint adapter) report these and nothing else.
 */
export function directiveDiagnostics(suppressor: Suppressor, rules: RulesConfig | undefined): Diagnostic[] {
  const out: Diagnostic[] = suppressor.problems.map((p) => ({ ruleId: DIRECTIVE_IDS.invalid, severity: 'error', message: p.message, messageId: 'unknownRule', start: p.range.start, end: p.range.end, category: 'parse' }));
  const severity = builtinSeverity(rules, DIRECTIVE_IDS.unused);
  if (severity !== 'off') for (const p of suppressor.unused()) out.push({ ruleId: DIRECTIVE_IDS.unused, severity, message: p.message, messageId: 'unused', start: p.range.start, end: p.range.end, category: 'parse' });
  return out;
}
