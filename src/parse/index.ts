import type { Dialect } from '../dialect.js';
import { LIMIT_DEFAULTS } from '../limits.js';
import type { Range } from '../range.js';
import { pgPositionToOffset } from '../verify/text.js';
import { fillTextTemplate, textTemplateHoles } from './text-template.js';
import { clickhouseEvidence } from './clickhouse.js';
import { isWord, lexEach, type Token } from './lexer.js';
import { normalizeStatement, type Rewrite } from './normalize.js';
import { parseNsp, type NspNode } from './nsp.js';
import { byteToCharMapper, parsePg, UNREAD_NODE, validatePg, type PgNode } from './pg.js';
import { batchable, PgCheckBatch } from './pg-batch.js';
import { StatementSplitter } from './split.js';

export interface ParseLimits {
  /** Statements longer than this (characters) are not parsed. */
  maxStatementLength: number;
  /** Bracket nesting deeper than this is not parsed (node-sql-parser recurses and can overflow). */
  maxNesting: number;
  /** Time limit for one node-sql-parser parse of deeply nested input. */
  parseTimeoutMs: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxStatementLength: LIMIT_DEFAULTS.maxStatementLength, maxNesting: 64, parseTimeoutMs: 1000 };

/** Nesting from which node-sql-parser runs under the time limit (its grammar is exponential on some nestings). */
const GUARD_NESTING = 6;

export interface ParseError {
  message: string;
  range: Range;
  /** `skipped`: a statement the analysis does not need that node-sql-parser's grammar lacks; not reported. */
  kind: 'syntax' | 'limit' | 'unsupported' | 'skipped';
}

/**
 * Statements that carry no query to analyse. node-sql-parser's grammars cover only part of each
 * dialect's DDL and utility syntax, so when it rejects one of these the statement is skipped rather
 * than called a syntax error: valid SQL reported as invalid is the fastest way to lose trust.
 */
const NON_QUERY = new Set(['CREATE', 'ALTER', 'DROP', 'GRANT', 'REVOKE', 'SHOW', 'DESCRIBE', 'DESC', 'USE', 'SET', 'UNSET', 'COMMENT', 'COPY', 'PUT', 'GET', 'LIST', 'LS', 'REMOVE', 'RM', 'CALL', 'EXEC', 'EXECUTE', 'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'TRUNCATE', 'ANALYZE', 'VACUUM', 'PRAGMA', 'DECLARE', 'OPEN', 'CLOSE', 'FETCH', 'DEALLOCATE', 'PREPARE', 'LOCK', 'UNLOCK', 'RENAME', 'OPTIMIZE', 'REPAIR', 'CHECK', 'FLUSH', 'KILL', 'RESET', 'UNDROP', 'CLONE', 'ATTACH', 'DETACH', 'REINDEX', 'EXPLAIN', 'PRINT', 'RAISERROR', 'THROW', 'IF', 'WHILE', 'RETURN', 'GO', 'BACKUP', 'RESTORE', 'DBCC', 'EXPORT', 'LOAD', 'ASSERT']);

interface ParsedBase {
  /** The statement's range in the text, from its first to its last code token. */
  range: Range;
  /** This statement's tokens, comments included, with offsets into the whole text. */
  tokens: Token[];
  /**
   * What was rewritten before parsing (same length, whole-text offsets): parameters the parser
   * does not know and constructs its grammar lacks. The model builders read them back.
   */
  rewrites?: Rewrite[];
  /** The statement follows a sqlc annotation (`-- name: GetUser :one`): sqlc generates its code. */
  sqlc?: SqlcQuery;
}

/** A sqlc query annotation. sqlc expands `SELECT *` into the column list when it generates code. */
export interface SqlcQuery {
  name: string;
  /** `one`, `many`, `exec`, `execrows`, `batchexec`, `copyfrom`... */
  command: string;
}

export interface PgStatement extends ParsedBase {
  parser: 'pg';
  ast: PgNode;
  /** Maps a libpg-query location (bytes into the statement text) to an offset into the whole text. */
  pos: (loc: number) => number;
}
export interface NspStatement extends ParsedBase {
  parser: 'nsp';
  ast: NspNode;
  /** node-sql-parser locations are offsets into the statement text. */
  pos: (loc: number) => number;
}
export interface FailedStatement extends ParsedBase {
  parser: 'none';
  error: ParseError;
}
export type ParsedStatement = PgStatement | NspStatement | FailedStatement;

export interface ParsedText {
  text: string;
  dialect: Dialect;
  tokens: Token[];
  statements: ParsedStatement[];
}

export function parseText(text: string, dialect: Dialect, limits: ParseLimits = DEFAULT_LIMITS): ParsedText {
  const tokens: Token[] = [];
  const statements: ParsedStatement[] = [];
  forEachStatement(text, dialect, limits, (s) => statements.push(s), (t) => tokens.push(t));
  return { text, dialect, tokens, statements };
}

/**
 * What the caller reads of the statements' trees: `queries` builds PostgreSQL trees only for
 * statements that can be queries (the analysis models nothing else; DDL is most of a schema
 * file) and only checks the syntax of the others; `all` builds every tree (the schema reader).
 */
export type StatementReader = 'all' | 'queries';

/** The words a SELECT, INSERT, UPDATE, DELETE or MERGE can start with (and a bracket). */
const QUERY_START = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);

function mayBeQuery(tokens: Token[]): boolean {
  const first = tokens.find((t) => t.type !== 'comment');
  return !first || (first.type === 'punct' && first.value === '(') || (first.type === 'ident' && QUERY_START.has(first.value.toUpperCase()));
}

/**
 * Parses the statements of a text one at a time, handing each to `onStatement` in text order as
 * soon as the lexer has found its end (or, for PostgreSQL statements only checked, its batch of
 * checks is done: src/parse/pg-batch.ts): memory holds a bounded number of statements' tokens and
 * trees, whatever the size of the text (a file of a million statements). `onToken` sees every
 * token, comments included, in order.
 */
export function forEachStatement(text: string, dialect: Dialect, limits: ParseLimits, onStatement: (s: ParsedStatement) => void, onToken?: (t: Token) => void, reads: StatementReader = 'all'): void {
  let nul = text.indexOf('\0');
  let lastEnd = 0;
  // PostgreSQL statements that are only checked (see StatementReader) are checked in batches
  const batch = dialect === 'postgresql' && reads === 'queries' ? new PgCheckBatch<ParsedStatement, ParsedBase>(onStatement, (sql, b) => parseWithPg(sql, b, true), unreadStatement) : undefined;
  const emit = batch ? (s: ParsedStatement) => batch.add(s) : onStatement;
  const splitter = new StatementSplitter((chunk) => {
    const stmtTokens = chunk.tokens;
    lastEnd = chunk.end;
    const base: ParsedBase = { range: { start: chunk.start, end: chunk.end }, tokens: stmtTokens };
    const sqlc = sqlcAnnotation(chunk.before);
    if (sqlc) base.sqlc = sqlc;
    // a NUL byte: PostgreSQL rejects it and libpg-query stops reading at it, silently
    if (nul >= 0 && nul < chunk.start) nul = text.indexOf('\0', chunk.start);
    if (nul >= 0 && nul < chunk.end) {
      emit(failed(base, { kind: 'syntax', range: { start: nul, end: nul + 1 }, message: 'invalid character: a NUL byte (\\0) in the statement, which databases reject and the parser cannot read past' }));
      return;
    }
    const problem = preCheck(base, dialect, limits);
    if (problem && (dialect !== 'postgresql' || problem.kind === 'limit')) {
      emit(failed(base, problem));
      return;
    }
    const norm = normalizeStatement(text, base.range, stmtTokens, dialect);
    if (norm.rewrites.length) base.rewrites = norm.rewrites;
    const validateOnly = reads === 'queries' && !mayBeQuery(stmtTokens);
    if (batch && validateOnly && !problem && batchable(stmtTokens)) {
      batch.check(norm.sql, base);
      return;
    }
    // the nesting preCheck measured (it went over every bracket when it found no problem)
    const parsed = dialect === 'postgresql' ? parseWithPg(norm.sql, base, validateOnly) : parseWithNsp(norm.sql, base, dialect, limits, problem === undefined && preChecked.nesting >= GUARD_NESTING);
    for (const s of parsed) emit(s);
  }, limits.maxStatementLength);
  let last: Token | undefined;
  lexEach(text, dialect, (t) => {
    last = t;
    onToken?.(t);
    splitter.feed(t);
  });
  splitter.end();
  batch?.flush();
  // a block comment never closed after the last statement hides the rest of the text: say where it starts
  if (last?.unterminated && last.type === 'comment' && last.start >= lastEnd) {
    const range = { start: last.start, end: last.start + 2 };
    onStatement({ range, tokens: [last], parser: 'none', error: { kind: 'syntax', range, message: 'unterminated comment: the "/*" is never closed, so everything after it is ignored' } });
  }
}

const SQLC_NAME = /^--\s*name:\s*([A-Za-z_][\w]*)\s+:([A-Za-z]+)\b/;

/** A sqlc `-- name: X :cmd` comment among the tokens before a statement (the nearest). */
function sqlcAnnotation(before: readonly Token[]): SqlcQuery | undefined {
  for (let k = before.length - 1; k >= 0; k--) {
    const t = before[k]!;
    if (t.type !== 'comment') continue;
    const m = SQLC_NAME.exec(t.value);
    if (m) return { name: m[1]!, command: m[2]!.toLowerCase() };
  }
  return undefined;
}

/** A statement that failed to parse but is ClickHouse SQL (same files often hold both): skipped, not an error. */
function clickhouseSkip(sql: string, base: ParsedBase, dialect: Dialect): FailedStatement | undefined {
  const evidence = clickhouseEvidence(sql, dialect === 'mysql' || dialect === 'mariadb' || dialect === 'bigquery');
  if (!evidence) return undefined;
  const first = base.tokens.find((t) => t.type !== 'comment') ?? { start: base.range.start, end: base.range.end };
  return failed(base, { message: `not analysed: ClickHouse SQL (${evidence})`, range: { start: first.start, end: first.end }, kind: 'skipped' });
}

/**
 * A statement with text-template placeholders (`%where%`, `%s`) that failed to parse: parsed again
 * with them filled in, or skipped as templated when it still does not parse. Undefined when it has none.
 */
function templatedRetry(sql: string, base: ParsedBase, parse: (sql: string, base: ParsedBase) => ParsedStatement[]): ParsedStatement[] | undefined {
  const holes = textTemplateHoles(base.tokens, sql, base.range.start);
  if (!holes.length) return undefined;
  const filled = fillTextTemplate(sql, base.range.start, holes);
  const retried = { ...base, rewrites: [...(base.rewrites ?? []), ...filled.rewrites].sort((a, b) => a.start - b.start) };
  const res = parse(filled.sql, retried);
  if (res.every((s) => s.parser !== 'none')) return res;
  const first = holes[0]!;
  return [failed(base, { message: `not analysed: templated SQL (${sql.slice(first.start - base.range.start, first.end - base.range.start)} is filled in by the program)`, range: first, kind: 'skipped' })];
}

/** Maps libpg-query's locations in `sql` to offsets in the whole text, the byte map made when first asked (never, for a statement only checked). */
function pgPositions(sql: string, base: ParsedBase): (loc: number) => number {
  let toChar: ((byte: number) => number) | undefined;
  return (loc) => base.range.start + (toChar ??= byteToCharMapper(sql))(loc);
}

/** A statement libpg-query accepted in a batch of checks (PgCheckBatch). */
function unreadStatement(sql: string, base: ParsedBase): ParsedStatement {
  return pgStatement(base, base.range, base.tokens, UNREAD_AST, pgPositions(sql, base));
}

/** The tree of every statement only checked: one object, nothing reads into it (buildPgModel only asks its kind). */
const UNREAD_AST: PgNode = Object.freeze({ [UNREAD_NODE]: Object.freeze({}) });

function parseWithPg(sql: string, base: ParsedBase, validateOnly: boolean, retry = true): ParsedStatement[] {
  const res = validateOnly ? validatePg(sql) : parsePg(sql);
  const pos = pgPositions(sql, base);
  if (!res.ok) {
    const ch = clickhouseSkip(sql, base, 'postgresql');
    if (ch) return [ch];
    const templated = retry ? templatedRetry(sql, base, (s, b) => parseWithPg(s, b, validateOnly, false)) : undefined;
    if (templated) return templated;
    // an error's position counts characters, not bytes (PostgreSQL's own conversion); 1-based for pgPositionToOffset
    const at = res.cursor === undefined ? base.range.start : base.range.start + pgPositionToOffset(sql, res.cursor + 1);
    return [failed(base, { message: res.message, range: tokenAt(base.tokens, at, base.range), kind: 'syntax' })];
  }
  // statements come in text order: one pass over the tokens hands each its own (a chunk libpg-query splits in thousands stays linear)
  if (res.stmts.length === 1) return [pgStatement(base, base.range, base.tokens, res.stmts[0]!.stmt, pos)];
  let k = 0;
  return res.stmts.map((s) => {
    const start = pos(s.stmt_location ?? 0);
    const end = s.stmt_len === undefined ? base.range.end : pos((s.stmt_location ?? 0) + s.stmt_len);
    while (k < base.tokens.length && base.tokens[k]!.start < start) k++;
    const from = k;
    while (k < base.tokens.length && base.tokens[k]!.end <= end) k++;
    return pgStatement(base, { start, end }, base.tokens.slice(from, k), s.stmt, pos);
  });
}

/**
 * A statement that did not parse, with base's fields as a spread of it would give (only those it has):
 * built field by field, as a spread of `base` (whose optional fields vary) took V8's slow path.
 */
function failed(base: ParsedBase, error: ParseError): FailedStatement {
  const s: FailedStatement = { range: base.range, tokens: base.tokens, parser: 'none', error };
  if (base.sqlc) s.sqlc = base.sqlc;
  if (base.rewrites) s.rewrites = base.rewrites;
  return s;
}

/** Built field by field: one object shape for every statement (a spread of `base`, whose optional fields vary, is slow). */
function pgStatement(base: ParsedBase, range: Range, tokens: Token[], ast: PgNode, pos: (loc: number) => number): PgStatement {
  return { range, tokens, rewrites: base.rewrites, sqlc: base.sqlc, parser: 'pg', ast, pos };
}

/** node-sql-parser refuses some keywords as aliases (`AS count` in SQLite): quoted, they are the same alias. */
const RESERVED_ALIAS = /"(\w+)" is a reserved word, can not as alias clause/;
const QUOTE: Partial<Record<Dialect, [string, string]>> = { sqlite: ['`', '`'], mysql: ['`', '`'], mariadb: ['`', '`'], bigquery: ['`', '`'], transactsql: ['[', ']'] };

function parseNspQuotingAliases(sql: string, base: ParsedBase, dialect: Exclude<Dialect, 'postgresql'>, timeout: number | undefined) {
  let res = parseNsp(sql, dialect, timeout);
  for (let attempt = 0; attempt < 4 && !res.ok; attempt++) {
    // node-sql-parser says so with a plain Error (kind `semantic`); a syntax error's message is sqlperf's own
    const word = res.kind === 'semantic' ? RESERVED_ALIAS.exec(res.message)?.[1] : undefined;
    if (!word) break;
    const code = base.tokens.filter((t) => t.type !== 'comment');
    const [open, close] = QUOTE[dialect] ?? ['"', '"'];
    let next = sql;
    const added: Rewrite[] = [];
    code.forEach((t, k) => {
      const alias = code[k + 1];
      if (!isWord(t, 'AS') || !alias || alias.type !== 'ident' || alias.value.toLowerCase() !== word.toLowerCase()) return;
      // `AS count` -> ` "count"`, the same length
      const from = t.start - base.range.start;
      const to = alias.end - base.range.start;
      const quoted = open + alias.value + close;
      next = next.slice(0, from) + ' '.repeat(to - from - quoted.length) + quoted + next.slice(to);
      added.push({ start: t.start, end: alias.end, kind: 'syntax', text: `AS ${alias.value}` });
    });
    if (!added.length) break;
    sql = next;
    base.rewrites = [...(base.rewrites ?? []), ...added].sort((a, b) => a.start - b.start);
    res = parseNsp(sql, dialect, timeout);
  }
  return res;
}

function parseWithNsp(sql: string, base: ParsedBase, dialect: Exclude<Dialect, 'postgresql'>, limits: ParseLimits, guard: boolean, retry = true): ParsedStatement[] {
  const res = parseNspQuotingAliases(sql, base, dialect, guard ? limits.parseTimeoutMs : undefined);
  const pos = (loc: number) => base.range.start + loc;
  if (!res.ok) {
    const ch = clickhouseSkip(sql, base, dialect);
    if (ch) return [ch];
    const templated = retry && res.kind !== 'timeout' ? templatedRetry(sql, base, (s, b) => parseWithNsp(s, b, dialect, limits, guard, false)) : undefined;
    if (templated) return templated;
    const range = res.offset === undefined ? base.range : tokenAt(base.tokens, pos(res.offset), base.range);
    const first = base.tokens.find((t) => t.type !== 'comment');
    const word = first && first.type === 'ident' ? first.value.toUpperCase() : '';
    if (first && NON_QUERY.has(word)) {
      return [failed(base, { message: `${word} statement not analysed: ${res.message}`, range: { start: first.start, end: first.end }, kind: 'skipped' })];
    }
    // the grammar reports one character as `found`; name the whole token, as PostgreSQL does
    if (res.kind === 'syntax' && res.offset !== undefined) {
      const atEnd = pos(res.offset) >= base.range.end;
      const message = atEnd ? 'syntax error at end of input' : `syntax error at or near "${base.tokens.length ? sliceOf(base, range) : ''}"`;
      return [failed(base, { message, range, kind: 'syntax' })];
    }
    const kind = res.kind === 'syntax' || res.kind === 'semantic' ? 'syntax' : res.kind === 'timeout' ? 'limit' : 'unsupported';
    return [failed(base, { message: res.message, range, kind })];
  }
  if (res.asts.length === 0) return [];
  return res.asts.map((ast): NspStatement => ({ range: base.range, tokens: base.tokens, rewrites: base.rewrites, sqlc: base.sqlc, parser: 'nsp', ast, pos }));
}

function sliceOf(base: ParsedBase, r: Range): string {
  const t = base.tokens.find((x) => x.start === r.start);
  const text = t ? (t.type === 'string' ? `'${t.value}'` : t.value) : '';
  return text.length > 40 ? text.slice(0, 40) + '…' : text;
}

/** The token at or after an offset, as the range to report; the last token when past the end. */
function tokenAt(tokens: Token[], offset: number, fallback: Range): Range {
  const code = tokens.filter((t) => t.type !== 'comment');
  const hit = code.find((t) => t.end > offset) ?? code[code.length - 1];
  return hit ? { start: hit.start, end: hit.end } : fallback;
}

/**
 * Checks what the parsers handle badly before they see it: oversized statements, unbalanced or
 * very deep brackets, unterminated strings. node-sql-parser takes exponential time on unclosed
 * nesting and overflows its stack on deep nesting; PostgreSQL only needs the size limit.
 */
/** preCheck's stack of open brackets, one for every statement (it runs for each; nothing else uses it). */
const OPEN: Token[] = [];
/** The deepest bracket nesting of the statement preCheck last found no problem in (the parse guard reads it). */
const preChecked = { nesting: 0 };

function preCheck(stmt: ParsedBase, dialect: Dialect, limits: ParseLimits): ParseError | undefined {
  const { range, tokens } = stmt;
  if (range.end - range.start > limits.maxStatementLength) {
    const kb = Math.round((range.end - range.start) / 1024);
    return { kind: 'limit', range: tokens[0] ? { start: tokens[0].start, end: tokens[0].end } : range, message: `statement not analysed: ${kb} KB is over the ${Math.round(limits.maxStatementLength / 1024)} KB limit (limits.maxStatementLength)` };
  }
  const open = OPEN;
  open.length = 0;
  preChecked.nesting = 0;
  let nesting = 0;
  let deepest: Token | undefined;
  for (const t of tokens) {
    if (t.unterminated) {
      // a comment never closed is never inside a statement: it runs to the end, after the last code token
      const what = t.type === 'qident' ? 'quoted identifier' : 'string';
      return { kind: 'syntax', range: { start: t.start, end: Math.min(t.end, t.start + 1) }, message: `unterminated ${what}` };
    }
    if (t.type !== 'punct') continue;
    if (t.value === '(') {
      open.push(t);
      if (open.length > nesting) nesting = open.length;
      if (open.length > limits.maxNesting && !deepest) deepest = t;
    } else if (t.value === ')') {
      if (!open.pop()) return { kind: 'syntax', range: { start: t.start, end: t.end }, message: 'syntax error: unmatched ")"' };
    }
  }
  if (open.length) {
    const t = open[open.length - 1]!;
    return { kind: 'syntax', range: { start: t.start, end: t.end }, message: 'syntax error: "(" is never closed' };
  }
  if (deepest && dialect !== 'postgresql') {
    return { kind: 'limit', range: { start: deepest.start, end: deepest.end }, message: `statement not analysed: brackets nested deeper than ${limits.maxNesting} (limits.maxNesting)` };
  }
  preChecked.nesting = nesting;
  return undefined;
}
