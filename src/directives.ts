import type { Token } from './parse/lexer.js';
import { lineStarts, toLineCol, type Range } from './range.js';
import { unknownRuleMessage } from './config/rules-config.js';

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

export interface Suppressor {
  isSuppressed(ruleId: string, offset: number): boolean;
  /** Directives naming rules that do not exist. */
  problems: Array<{ range: Range; message: string }>;
}

export function makeSuppressor(text: string, directives: Directive[], knownRules: string[]): Suppressor {
  const problems: Suppressor['problems'] = [];
  const known = new Set(knownRules);
  for (const d of directives) for (const r of d.rules ?? []) if (!known.has(r)) problems.push({ range: d.range, message: `sqlperf-${d.kind}: ${unknownRuleMessage(r, knownRules)}` });
  if (directives.length === 0) return { isSuppressed: () => false, problems };
  const starts = lineStarts(text);
  const ranges = directives.filter((d) => d.kind === 'disable' || d.kind === 'enable').sort((a, b) => a.range.start - b.range.start);
  return {
    problems,
    isSuppressed(ruleId, offset) {
      const line = toLineCol(starts, offset).line;
      for (const d of directives) {
        if ((d.kind === 'disable-line' || d.kind === 'disable-next-line') && d.line === line && (!d.rules || d.rules.includes(ruleId))) return true;
      }
      let off = false;
      for (const d of ranges) {
        if (d.range.start > offset) break;
        if (d.rules && !d.rules.includes(ruleId)) continue;
        off = d.kind === 'disable';
      }
      return off;
    },
  };
}
