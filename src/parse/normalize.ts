import type { Dialect } from '../dialect.js';
import type { Range } from '../range.js';
import { isWord, type Token } from './lexer.js';

/**
 * Text normalisation before parsing. Some valid SQL does not reach the parsers as written:
 * parameter styles a parser does not know (`:name`, `@name`, `$name`, template placeholders `${name}` and psql's `:'var'` /
 * `:"var"` in PostgreSQL, SQLite's `?1`; knex's `?` / `??` are bound by the embed layer), and constructs node-sql-parser's grammars lack (SQLite `[name]` and `"name"`, `LIMIT ?`,
 * row-value `SET (a, b) = (...)`, `NULLS LAST`; MySQL `<=>` and `BINARY x`).
 *
 * Every replacement has exactly the length of what it replaces, so offsets (and, for the ASCII
 * replacements used here, UTF-8 byte offsets of everything after them) stay where they were. It
 * works on the lexer's tokens, so nothing inside a string or a comment is touched, and `::`
 * casts and array slices (`a[1:n]`) are not parameters. The model builders read the rewrites to
 * turn what the parser saw (`$1`, `0`, `_name`) back into the parameter that was written.
 */
export interface Rewrite extends Range {
  /**
   * `param`: a parameter standing for a value; `identifier`: a parameter standing for a name
   * (psql `:"var"`, knex `??`, a psql `:var` after FROM); `syntax`: a construct rewritten for the parser;
   * `removed`: a construct blanked out, which the parser never sees (its tokens are not the model's).
   */
  kind: 'param' | 'identifier' | 'syntax' | 'removed';
  /** The original text. */
  text: string;
}

export interface Normalized {
  sql: string;
  rewrites: Rewrite[];
}

/** Keywords after which a value (not an operator) follows: `?` and `@x` there are parameters. */
const BEFORE_OPERAND = new Set(['SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'ON', 'BY', 'LIMIT', 'OFFSET', 'IN', 'IS', 'LIKE', 'ILIKE', 'BETWEEN', 'THEN', 'WHEN', 'ELSE', 'CASE', 'VALUES', 'SET', 'RETURNING', 'HAVING', 'DISTINCT', 'ANY', 'ALL', 'SOME', 'FETCH', 'FIRST', 'NEXT', 'TO', 'FROM', 'RETURN', 'USING', 'SIMILAR', 'ESCAPE']);
/** Keywords after which a psql `:var` names a relation. */
const BEFORE_RELATION = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'ONLY', 'TRUNCATE']);
/** Keywords after which a psql `:var` is an object's name (`CREATE SCHEMA :s`, `DROP SCHEMA IF EXISTS :s`). */
const BEFORE_NAME = new Set([...BEFORE_RELATION, 'SCHEMA', 'INDEX', 'VIEW', 'SEQUENCE', 'EXISTS', 'ROLE', 'DATABASE', 'EXTENSION', 'TYPE']);

function operandPosition(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.type === 'op') return true;
  if (prev.type === 'punct') return prev.value === '(' || prev.value === ',' || prev.value === '[';
  if (prev.type === 'ident') return BEFORE_OPERAND.has(prev.value.toUpperCase());
  return false;
}

/**
 * A template placeholder (`${schema}`, `${flyway:user}`) as a name of the same length, padded with
 * `_` so that one written against other name characters (`${name}_idx`) stays one identifier.
 * PostgreSQL's builder reads a name at a rewrite as a variable table or a value.
 */
function placeholderName(v: string): string {
  const name = '_' + v.slice(2, -1).replace(/[^A-Za-z0-9_]/g, '_');
  return name.padEnd(v.length, '_');
}

const pad = (s: string, len: number) => (s.length >= len ? s.slice(0, len) : s + ' '.repeat(len - s.length));

/** A token PostgreSQL's rewriting looks at (postgresParams): a parameter, or `@` (sqlc's `@name`). */
const pgRewritable = (t: Token) => t.type === 'param' || (t.type === 'op' && t.value === '@');

export function normalizeStatement(text: string, range: Range, tokens: Token[], dialect: Dialect): Normalized {
  // most PostgreSQL statements have nothing to rewrite: the statement as written, without the code-token list
  if (dialect === 'postgresql' && !tokens.some(pgRewritable)) return { sql: text.slice(range.start, range.end), rewrites: [] };
  const code = tokens.filter((t) => t.type !== 'comment');
  const rewrites: Rewrite[] = [];
  // UTF-16 code units of the statement; replacements are ASCII and never split a surrogate pair
  let buf: string[] | undefined;
  const put: Put = (start, end, replacement, kind) => {
    buf ??= text.slice(range.start, range.end).split('');
    const r = pad(replacement, end - start);
    for (let k = 0; k < r.length; k++) buf[start - range.start + k] = r[k]!;
    rewrites.push({ start, end, kind, text: text.slice(start, end) });
  };
  if (dialect === 'postgresql') postgresParams(code, put);
  else nspGaps(text, code, dialect, put);
  if (!buf) return { sql: text.slice(range.start, range.end), rewrites };
  rewrites.sort((a, b) => a.start - b.start);
  return { sql: buf.join(''), rewrites };
}

type Put = (start: number, end: number, replacement: string, kind: Rewrite['kind']) => void;

function postgresParams(code: Token[], put: Put) {
  for (let i = 0; i < code.length; i++) {
    const t = code[i]!;
    const prev = code[i - 1];
    const next = code[i + 1];
    if (t.type === 'param') {
      const v = t.value;
      if (v.startsWith('${')) put(t.start, t.end, placeholderName(v), 'identifier');
      else if (v.startsWith(':"')) put(t.start, t.end, ' ' + v.slice(1), 'identifier');
      else if (v.startsWith(":'")) put(t.start, t.end, '$1', 'param');
      else if (v.startsWith(':')) {
        const relation = (prev?.type === 'ident' && BEFORE_NAME.has(prev.value.toUpperCase())) || (next?.type === 'punct' && next.value === '.' && next.start === t.end);
        put(t.start, t.end, relation ? '_' + v.slice(1) : '$1', relation ? 'identifier' : 'param');
      } else if (v.startsWith('$') && !/^\$\d+$/.test(v)) put(t.start, t.end, '$1', 'param');
      // knex's `?` and `??` are the embed layer's (it binds them to the call's values): here `?` is
      // PostgreSQL's jsonb operator; knex's escaped `\?` is that operator itself
      else if (v === '?' && prev?.type === 'op' && prev.value === '\\' && prev.end === t.start) put(prev.start, prev.end, ' ', 'syntax');
      continue;
    }
    // sqlc's `@name` (PostgreSQL reads `@` as absolute value)
    if (t.type === 'op' && t.value === '@' && next && next.type === 'ident' && next.start === t.end && operandPosition(prev)) {
      put(t.start, next.end, '$1', 'param');
      i++;
    }
  }
}

function nspGaps(text: string, code: Token[], dialect: Exclude<Dialect, 'postgresql'>, put: Put) {
  const first = code[0];
  const withHas = (word: string) => isWord(first, 'WITH') && code.some((t) => isWord(t, word));
  const s: NspScan = {
    text,
    code,
    put,
    mysql: dialect === 'mysql' || dialect === 'mariadb',
    sqlite: dialect === 'sqlite',
    isUpdate: isWord(first, 'UPDATE') || withHas('UPDATE'),
    isCreateTable: isWord(first, 'CREATE') && code.slice(1, 4).some((t) => isWord(t, 'TABLE')),
    isInsert: isWord(first, 'INSERT') || isWord(first, 'REPLACE') || withHas('INSERT'),
  };
  for (let i = 0; i < code.length; i++) {
    const t = code[i]!;
    if (t.type === 'param') nspParamGap(s, i);
    else if (s.sqlite && t.type === 'qident') sqliteQuotedName(s, t);
    else if (t.type === 'ident') i = nspWordGap(s, i);
    else if (s.mysql && t.type === 'op' && t.value === '<=>') put(t.start, t.end, '=', 'syntax');
  }
}

/** One statement's tokens for node-sql-parser, with what its first words say. */
interface NspScan {
  text: string;
  code: Token[];
  put: Put;
  mysql: boolean;
  sqlite: boolean;
  isUpdate: boolean;
  isCreateTable: boolean;
  isInsert: boolean;
}

function nspParamGap({ code, put, sqlite }: NspScan, i: number): void {
  const t = code[i]!;
  const prev = code[i - 1];
  // `${name}` is a value where one is expected, else a name (node-sql-parser would read a name as a column)
  if (t.value.startsWith('${')) {
    const value = operandPosition(prev) && !(prev?.type === 'ident' && BEFORE_RELATION.has(prev.value.toUpperCase())) && !isWord(prev, 'ON');
    put(t.start, t.end, value ? ':p' : placeholderName(t.value), value ? 'param' : 'identifier');
  }
  // SQLite's numbered `?1`
  else if (/^\?\d+$/.test(t.value)) put(t.start, t.end, ':p', 'param');
  // SQLite's grammar has no `LIMIT ?` / `OFFSET ?`: a number stands in for it
  else if (sqlite && t.value === '?' && inLimit(code, i)) put(t.start, t.end, '1', 'param');
}

/** SQLite `[name]` and `"name"` are identifiers; node-sql-parser's SQLite grammar reads `"name"` as a string. */
function sqliteQuotedName({ text, put }: NspScan, t: Token): void {
  if (t.unterminated || t.value.length === 0 || t.value.length + 2 !== t.end - t.start || t.value.includes('`')) return;
  const open = text[t.start];
  if (open === '[' || open === '"') {
    put(t.start, t.start + 1, '`', 'syntax');
    put(t.end - 1, t.end, '`', 'syntax');
  }
}

/** A word at i that node-sql-parser's grammars lack; returns the last token index it consumed. */
function nspWordGap(s: NspScan, i: number): number {
  const { code, put, mysql, sqlite } = s;
  const t = code[i]!;
  // every word of every statement comes here and few are one of these: a length test first, and the
  // words compared in place (isWord) rather than through an upper-cased copy of each
  const len = t.value.length;
  if (len < 2 || len > 7) return i;
  const prev = code[i - 1];
  const next = code[i + 1];
  // ORDER BY x NULLS LAST: not in the grammar, and it does not change which index serves the order
  if (isWord(t, 'NULLS') && next && (isWord(next, 'FIRST') || isWord(next, 'LAST'))) {
    put(t.start, next.end, '', 'removed');
    return i + 1;
  }
  // MySQL index hints (`FROM t FORCE INDEX (i)`, `USE KEY FOR JOIN (i)`): not in the grammar; they pick among existing indexes
  if (mysql && i > 0 && (isWord(t, 'FORCE') || isWord(t, 'USE') || isWord(t, 'IGNORE')) && (isWord(next, 'INDEX') || isWord(next, 'KEY')) && (prev?.type === 'ident' || prev?.type === 'qident')) {
    const open = indexHintList(code, i + 2);
    const close = open > 0 ? closing(code, open) : -1;
    if (close > 0) {
      put(t.start, code[close]!.end, '', 'removed');
      return close;
    }
  }
  // SQLite `text(256)` / `blob(16)` (drizzle-kit writes them): SQLite ignores the length, the grammar rejects it
  if (sqlite && (isWord(t, 'TEXT') || isWord(t, 'BLOB')) && next?.value === '(' && next.start === t.end && code[i + 2]?.type === 'number' && code[i + 3]?.value === ')') {
    put(next.start, code[i + 3]!.end, '', 'removed');
    return i + 3;
  }
  if (sqlite && s.isCreateTable && isWord(t, 'FOREIGN') && isWord(next, 'KEY')) {
    sqliteConstraintComma(s, i);
    return i;
  }
  // SQLite's upsert (`ON CONFLICT (k) DO UPDATE SET ... | DO NOTHING`) is not in the grammar: the
  // statement is read without it (a conflict target is a key lookup, not a query), up to RETURNING
  if (sqlite && s.isInsert && isWord(t, 'ON') && isWord(next, 'CONFLICT')) {
    const end = upsertEnd(code, i + 2);
    put(t.start, code[end]!.end, '', 'removed');
    return end;
  }
  if (s.isUpdate && isWord(t, 'SET') && next?.type === 'punct' && next.value === '(') return rowSetFirstColumn(s, i);
  // MySQL `BINARY x`: a cast of x; read as an expression over x (the builder names it BINARY again)
  if (mysql && isWord(t, 'BINARY') && operandPosition(prev) && next && (next.type === 'ident' || next.type === 'qident' || next.type === 'string' || next.type === 'param' || next.type === 'number' || (next.type === 'punct' && next.value === '('))) {
    put(t.start, t.end, '-', 'syntax');
  }
  return i;
}

/**
 * SQLite takes table constraints without commas between them (drizzle-kit writes them so when it
 * rebuilds a table); the grammar wants the comma: the blank before the constraint at i becomes one.
 */
function sqliteConstraintComma({ text, code, put }: NspScan, i: number): void {
  const first = isWord(code[i - 2], 'CONSTRAINT') ? i - 2 : i;
  const before = code[first - 1];
  const at = code[first]!.start - 1;
  if (before && before.value !== ',' && before.value !== '(' && before.end <= at && /\s/.test(text[at]!)) put(at, at + 1, ',', 'syntax');
}

/** UPDATE t SET (a, b) = (...) at the SET at i: keep the first column so the statement (and its WHERE) is read. */
function rowSetFirstColumn({ code, put }: NspScan, i: number): number {
  const next = code[i + 1]!;
  const close = closing(code, i + 1);
  const first = code[i + 2];
  if (close > 0 && code[close + 1]?.value === '=' && first && (first.type === 'ident' || first.type === 'qident')) {
    put(next.start, code[close]!.end, ' '.repeat(first.start - next.start) + (first.type === 'qident' ? `\`${first.value}\`` : first.value), 'syntax');
    return close;
  }
  return i;
}

function closing(code: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    const v = code[k]!;
    if (v.type !== 'punct') continue;
    if (v.value === '(') depth++;
    else if (v.value === ')' && --depth === 0) return k;
  }
  return -1;
}

/** The `(` of an index hint's list at `k`, after an optional `FOR JOIN | FOR ORDER BY | FOR GROUP BY`; -1 when it is not there. */
function indexHintList(code: Token[], k: number): number {
  if (isWord(code[k], 'FOR')) k += isWord(code[k + 1], 'JOIN') ? 2 : (isWord(code[k + 1], 'ORDER') || isWord(code[k + 1], 'GROUP')) && isWord(code[k + 2], 'BY') ? 3 : 0;
  return code[k]?.type === 'punct' && code[k]!.value === '(' ? k : -1;
}

/** The last token of an upsert clause starting at `from`: before a top-level RETURNING or `;`, else the statement's last. */
function upsertEnd(code: Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < code.length; k++) {
    const v = code[k]!;
    if (v.type === 'punct' && v.value === '(') depth++;
    else if (v.type === 'punct' && v.value === ')') depth--;
    else if (depth === 0 && (isWord(v, 'RETURNING') || (v.type === 'punct' && v.value === ';'))) return k - 1;
  }
  return code.length - 1;
}

/** `?` as LIMIT's count or OFFSET's value (also `LIMIT ?, ?`). */
function inLimit(code: Token[], i: number): boolean {
  const prev = code[i - 1];
  if (isWord(prev, 'LIMIT') || isWord(prev, 'OFFSET')) return true;
  return prev?.type === 'punct' && prev.value === ',' && isWord(code[i - 3], 'LIMIT');
}
