/**
 * SQL fragments: tagged templates (and knex `*Raw` arguments) that are a piece of a statement, not
 * a statement: a condition, `AND ...`, `ORDER BY ...`, a JOIN clause, a select list, a SET list,
 * VALUES rows. Each is analysed wrapped in a synthetic statement of its clause (template.ts
 * `WRAPS`), whose synthetic text never yields findings; only the rules that can judge a piece of a
 * statement on its own report in it.
 */
import { editDistance } from '../config/rules-config.js';
import type { FragmentClause } from './detect.js';

const STATEMENT_WORDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'VALUES'];

/** `SELEC * FROM t` is a statement with a typo (a parse error to report), not a fragment (as analyzeSite's own check). */
export function looksLikeTypo(text: string): boolean {
  const w = /^\s*([A-Za-z]{4,8})\b/.exec(text)?.[1]?.toUpperCase();
  return w !== undefined && !/^(?:WHERE|ORDER|GROUP|HAVING|LIMIT|OFFSET|UNION|RETURNING|VALUE)$/.test(w) && STATEMENT_WORDS.some((k) => editDistance(w, k) <= 2) && /\b(?:from|into|set)\b/i.test(text);
}

/** Leading comments and whitespace. */
const LEAD = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/;

/** A comparison at the top level of a condition (not inside quotes). */
const COMPARISON = /(?:<>|!=|<=|>=|[=<>]|@>|<@|\?\||\?&|~~?\*?|!~|\b(?:not\s+)?(?:i?like|similar\s+to|in|between)\b|\bis\s+(?:not\s+)?(?:null|true|false|distinct)\b|\bexists\s*\(|\bany\s*\(|\ball\s*\()/i;

/** An aggregate call (not in a subquery: the caller checks there is no SELECT). */
const AGGREGATE_CALL = /\b(?:count|sum|avg|min|max|bool_and|bool_or|array_agg|string_agg|json_agg|jsonb_agg|group_concat)\s*\(/i;

/**
 * The clause a fragment stands in, from its leading tokens; undefined when it is not recognisably a
 * piece of SQL (then it stays skipped as a fragment). Holes are shown as `__HOLE__`.
 */
export function classifyFragment(text: string): FragmentClause | undefined {
  const t = text.replace(LEAD, '');
  if (!t.trim() || /^__HOLE__\s*$/.test(t)) return undefined;
  // an operator alone (`NOT IN`, `>=`), chosen in code and put between two holes: nothing to analyse
  if (/^(?:not\s+)?(?:in|i?like|between|exists)\s*$|^(?:is(?:\s+not)?|=|<>|!=|<=?|>=?)\s*$/i.test(t.trim())) return undefined;
  // ON CONFLICT's action alone (`DO NOTHING`, `DO UPDATE SET ...`): no clause to wrap it in is worth a rule
  if (/^do\s+(?:nothing|update\s+set)\b/i.test(t)) return undefined;
  // a whole clause with its keyword
  if (/^(?:and|or)\s/i.test(t)) return 'and';
  if (/^(?:where|having|order\s+by|group\s+by|limit|offset|fetch\s+(?:first|next)|for\s+(?:update|share|no\s+key\s+update|key\s+share)\b|returning|window|union|except|intersect|on\s+conflict)\b/i.test(t)) {
    if (/^having\b/i.test(t)) return 'havingTail';
    if (/^on\s+conflict\b/i.test(t)) return 'insertTail';
    if (/^returning\b/i.test(t)) return 'insertTail';
    return 'tail';
  }
  if (/^(?:(?:natural\s+)?(?:inner\s+|cross\s+|(?:left|right|full)\s+(?:outer\s+)?)?join|lateral)\b/i.test(t)) return 'join';
  if (/^set\s+(?:__HOLE__|[\w".]+\s*=|\()/i.test(t)) return 'updateTail';
  if (/^values\s*(?:\(|__HOLE__)/i.test(t)) return 'insertTail';
  if (/^(?:select|from)\b/i.test(t)) return /^from\b/i.test(t) ? 'fromTail' : undefined;
  // no keyword: a list of rows, a SET list, a condition or a select list
  if (/^\(\s*(?:__HOLE__|[\d'$:?-]|null\b|default\b|true\b|false\b)/i.test(t) && rowsOnly(t)) return 'values';
  if (/^(?:[\w"]+\.)?[\w"]+\s*=\s*(?:__HOLE__|[^=])/.test(t) && /,\s*(?:[\w"]+\.)?[\w"]+\s*=/.test(t) && !/\b(?:and|or)\b/i.test(t)) return 'set';
  // `(SELECT ...) AS name`: a select-list item led by a subquery
  if (t.startsWith('(') && /^\s*as\s+(?:__HOLE__|\?\?|[\w"]+)\s*(?:,|$)/i.test(afterParen(stripQuoted(t)))) return 'select';
  // a sort list: an item that ends with a direction or a NULLS place (`(SELECT ...) ->> 0 ASC NULLS FIRST, ...`)
  if (/\b(?:asc|desc|nulls\s+(?:first|last))\s*(?:,|$)/i.test(stripQuoted(t).trimEnd())) return 'orderBy';
  // a condition on aggregates (`COUNT(x) > 0 OR status = 'done'`) is a HAVING condition: WHERE cannot hold one
  if (COMPARISON.test(stripQuoted(t))) return AGGREGATE_CALL.test(stripQuoted(t)) && !/\bselect\b/i.test(t) ? 'having' : 'where';
  if (/^(?:__HOLE__|[\w"]+(?:\.[\w"*]+)?|\*|\(|'|\d|count\s*\()/i.test(t) && /^[^;]*$/.test(t) && !/^[A-Za-z]+\s+[a-z]+\s+[a-z]+\b(?!\s*[,(.=])/.test(t) && /[,.(*]|\bas\b/i.test(t)) return 'select';
  return undefined;
}

/**
 * `(1, $1), (2, $2)` or one row `(1, 'a')`: bracketed rows and nothing else. Not `(a = 'x') OR (b = 'y')`,
 * a condition whose first term is bracketed, nor one bracketed comparison.
 */
function rowsOnly(t: string): boolean {
  const q = stripQuoted(t).trimEnd();
  const rest = afterParen(q).trim();
  if (rest.startsWith(',')) return /\)\s*$/.test(q);
  return rest === '' && !COMPARISON.test(q.slice(1, -1).replace(/\([^()]*\)/g, '()'));
}

/** The text after the bracket that closes the first `(`; empty when it never closes. */
export function afterParen(t: string): string {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0) return t.slice(i + 1);
  }
  return '';
}

/** String literals and quoted names emptied (`''`), so brackets and keywords inside them are not read. */
export function stripQuoted(t: string): string {
  return t.replace(/'(?:[^']|'')*'|"[^"]*"/g, "''");
}

/**
 * Rules that can judge a fragment on its own: what they flag is inside the fragment (a LIKE pattern,
 * a function on a column, ORDER BY random(), NOT IN (SELECT ...), `*`), and does not depend on the
 * rest of the statement (which tables are joined, whether there is a WHERE, how many joins).
 * no-having-without-aggregate is not among them: a HAVING fragment names the outer query's
 * aggregate aliases (`generation_count > 0`), which the fragment alone cannot tell from columns.
 */
export const FRAGMENT_RULES: ReadonlySet<string> = new Set([
  'no-leading-wildcard',
  'no-function-on-column',
  'no-or-across-columns',
  'no-order-by-random',
  'no-not-in-subquery',
  'no-offset-pagination',
  'no-select-star',
  'max-in-list',
  'prefer-exists',
  'prefer-union-all',
  'no-unsafe-interpolation',
  'no-query-in-loop',
  'parse-error',
]);

/**
 * Whether a finding of this rule is kept on a site that is analysed wrapped (a fragment). For
 * `analyzeSite`: `.filter((d) => !inSynthetic(d.start) && keepInFragment(site, d.ruleId))`.
 */
export function keepInFragment(site: { wrap?: FragmentClause }, ruleId: string): boolean {
  return !site.wrap || FRAGMENT_RULES.has(ruleId);
}
