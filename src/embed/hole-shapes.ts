import type { Dialect } from '../dialect.js';
import type { Range } from '../range.js';
import { cook } from './cook.js';
import type { SqlSite } from './detect.js';
import { PrefixScanner, type LexState } from './prefix-scan.js';

/**
 * What a `${}` hole stands for: the fills to try, chosen from the SQL text around it (a value, an
 * identifier, a list...), and the placeholder text each fill puts in the SQL.
 */

/** One placeholder in the SQL text and where it came from. */
export interface HoleFill {
  /** Range of the placeholder in the SQL text. */
  sql: Range;
  /** Range of the `${expr}` (or knex `?`, `:name`...) in the host. */
  host: Range;
  /** What the placeholder stands for in the final text. */
  as: FillKind;
  origin: 'template' | 'placeholder';
}

/**
 * value `$n`; list `($n)` (`IN ${ids}`, `VALUES ${rows}`); identifier `__sqlperf_pN`; text (inside
 * quotes); empty; assignment `__sqlperf_pN = $n` (a whole `SET` list); statement `SELECT $n` (a
 * subquery or UNION branch); cte `__sqlperf_pN AS (SELECT 1)` (a whole CTE list); number `N` (the
 * digits of `$${i}`); operator `=` (`a ${op} ?`); join: nothing (between `'a' + 'b'`); name: the
 * SQL name the code shows (a Drizzle column or table: `"inbox"."sender_email"`, carried by the hole).
 */
export type FillKind = 'value' | 'list' | 'identifier' | 'text' | 'empty' | 'assignment' | 'statement' | 'cte' | 'number' | 'operator' | 'join' | 'name';

/** The fills to try for a hole, in order: never empty, so the first is always there. */
export type FillChain = readonly [FillKind, ...FillKind[]];

const IDENT_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'ONLY', 'AS', 'EXISTS', 'TRUNCATE', 'USING']);

/** The last token of a text, upper-cased: a word, or one character that is not a space. */
function lastToken(text: string): string {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text.charAt(i))) i--;
  if (i < 0) return '';
  if (!/[A-Za-z_]/.test(text.charAt(i))) return text.charAt(i);
  let j = i;
  while (j > 0 && /[A-Za-z_]/.test(text.charAt(j - 1))) j--;
  return text.slice(j, i + 1).toUpperCase();
}

/** Chooses the fill chain of a template hole from the SQL before and after it. */
export function chainFor(before: string, after: string, state: LexState['state']): FillChain {
  if (state !== 'code') return ['text'];
  // `$${i + 1}`: the code builds a positional parameter; the hole is its number
  if (before.endsWith('$')) return ['number', 'value', 'identifier', 'empty'];
  // glued to a name (`data${suffix}`, `${prefix}_events`): a piece of an identifier
  if (/[A-Za-z_0-9]/.test(before.at(-1) ?? '') || /^[A-Za-z_0-9]/.test(after)) return ['identifier', 'empty', 'value'];
  // the text before grows with every hole: only its end is read, never the whole of it
  const prev = lastToken(before);
  const rest = after.trimStart();
  const next = rest[0] ?? '';
  if (prev === '.' || next === '.' || IDENT_BEFORE.has(prev)) return ['identifier', 'value', 'empty'];
  if (prev === 'IN' && next !== '(') return ['list', 'identifier', 'empty'];
  if (prev === 'VALUES' && next !== '(') return ['list', 'value', 'identifier', 'empty'];
  if (prev === 'SET') return next === '=' ? ['identifier', 'assignment', 'empty'] : ['assignment', 'identifier', 'value', 'empty'];
  if (prev === 'WITH' || prev === 'RECURSIVE') return ['cte', 'identifier', 'empty'];
  if (prev === 'UNION' || prev === 'ALL' || prev === 'EXCEPT' || prev === 'INTERSECT') return ['statement', 'value', 'identifier', 'empty'];
  if (prev === '') return ['empty', 'identifier', 'value', 'statement'];
  if (prev === '(') return ['value', 'identifier', 'empty', 'statement'];
  if (prev === ',') return ['value', 'identifier', 'empty', 'assignment', 'cte'];
  // `WITH base AS (...) ${mainQuery}`: the main statement after a CTE list
  if (prev === ')' && /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*with\b/i.test(before)) return ['value', 'identifier', 'empty', 'operator', 'statement'];
  return ['value', 'identifier', 'empty', 'operator'];
}

export function fillText(kind: FillKind, n: number, dialect: Dialect): string {
  const value = dialect === 'postgresql' ? `$${n}` : `:p${n}`;
  switch (kind) {
    case 'value':
      return value;
    case 'list':
      return `(${value})`;
    case 'identifier':
    case 'text':
      return `__sqlperf_p${n}`;
    case 'empty':
      return ' ';
    case 'assignment':
      return `__sqlperf_p${n} = ${value}`;
    case 'statement':
      return `SELECT ${value}`;
    case 'cte':
      return `__sqlperf_p${n} AS (SELECT 1)`;
    case 'number':
      return String(n);
    case 'operator':
      return '=';
    case 'join':
      return '';
    case 'name':
      // the name's text is the hole's own (fill-search.ts); this stands in only without one
      return `__sqlperf_p${n}`;
  }
}

/**
 * The first-choice shape of each `${}` hole, from the SQL text before and after it alone (no
 * parsing): `text` inside quotes, `identifier` after FROM or a dot, `value` after an operator...
 * For host rules on sites that were not built (ClickHouse SQL, fragments).
 */
export function holeShapes(site: SqlSite): Array<{ kind: FillKind; before: string; quote?: string }> {
  const out: Array<{ kind: FillKind; before: string; quote?: string }> = [];
  let before = '';
  const scanner = new PrefixScanner();
  site.parts.forEach((part, i) => {
    before += cook(site.code, part.start, part.end, site.kind === 'template').text;
    const hole = site.holes[i];
    if (!hole) return;
    const next = site.parts[i + 1];
    const after = next ? site.code.slice(next.start, next.end) : '';
    const lex = scanner.stateOf(before);
    const kind = hole.join ? 'join' : chainFor(before, after, lex.state)[0];
    const quote = kind === 'text' ? lex.quote : undefined;
    out.push({ kind, before, ...(quote ? { quote } : {}) });
    if (!hole.join) before += ' ';
  });
  return out;
}
