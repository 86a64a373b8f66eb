import type { Dialect } from './dialect.js';
import type { ColumnExpr, Expr } from './model/types.js';
import { parseNsp } from './parse/nsp.js';
import { parsePg } from './parse/pg.js';
import { isSystemCatalog, SYSTEM_COLUMNS, SYSTEM_TABLES } from './schema/names.js';
import type { SchemaTable } from './schema/types.js';

/**
 * The text of a `CREATE INDEX`: identifiers quoted for the dialect, index keys rendered from the
 * query model (never from source text, so comments and formatting never reach the output), stable
 * names, and a check with the dialect's own parser before anything is printed.
 */

/** Words a dialect reserves (PostgreSQL reserved and type/function-name words, MySQL and SQLite keywords that cannot be bare names). */
const RESERVED_COMMON = `all analyse analyze and any array as asc asymmetric authorization between binary both by case cast check collate collation column
concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user
default deferrable delete desc distinct do drop else end except exists false fetch for foreign freeze from full grant group having ilike in
index initially inner insert intersect into is isnull join key lateral leading left like limit localtime localtimestamp match natural not notnull
null offset on only or order outer overlaps placing primary references replace returning right select session_user set similar some symmetric
system_user table tablesample then to trailing true union unique update user using values variadic verbose when where window with`;
const RESERVED_MYSQL = `accessible add alter before bigint blob call cascade change char character condition continue convert cube cume_dist cursor
database databases dec decimal declare delayed dense_rank describe deterministic distinctrow div double dual each elseif empty enclosed escaped
exit explain first_value float force fulltext function generated get groups high_priority if ignore infile inout insensitive int integer interval
iterate json_table keys kill lag last_value lead leave linear lines load lock long longblob longtext loop low_priority maxvalue mediumint mod
modifies nth_value ntile numeric of optimize option optionally out outfile over partition percent_rank precision procedure purge range rank read
reads real recursive regexp release rename repeat require resignal restrict return revoke rlike row row_number rows schema schemas sensitive
separator show signal smallint spatial specific sql sqlexception sqlstate sqlwarning ssl starting stored straight_join system terminated
tinyint trigger undo unlock unsigned usage use utc_date utc_time utc_timestamp varbinary varchar varying virtual while write xor zerofill`;
const RESERVED_SQLITE = `abort action after attach autoincrement begin commit conflict database deferred detach each exclusive explain fail glob if ignore
immediate indexed instead isnull notnull of plan pragma query raise recursive regexp reindex release rename restrict rollback row rows
savepoint temp temporary transaction trigger vacuum view virtual without`;
const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));
const COMMON = words(RESERVED_COMMON);
const MYSQL = words(RESERVED_MYSQL);
const SQLITE = words(RESERVED_SQLITE);

const isMy = (d: Dialect) => d === 'mysql' || d === 'mariadb' || d === 'bigquery';

function reserved(name: string, dialect: Dialect): boolean {
  const l = name.toLowerCase();
  return COMMON.has(l) || (isMy(dialect) && MYSQL.has(l)) || (dialect === 'sqlite' && SQLITE.has(l));
}

/** An identifier as the dialect reads it back unchanged: quoted when mixed-case, unusual or reserved. */
export function quoteIdent(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !reserved(name, dialect)) return name;
  if (isMy(dialect)) return '`' + name.replace(/`/g, '``') + '`';
  if (dialect === 'transactsql') return `[${name.replace(/]/g, ']]')}]`;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for the dialect (MySQL also reads backslashes as escapes). */
export function quoteString(value: string, dialect: Dialect): string {
  const v = isMy(dialect) ? value.replace(/\\/g, '\\\\') : value;
  return `'${v.replace(/'/g, "''")}'`;
}

/** Text of a comment line: one line, no control characters, nothing that could end a block comment. */
export function commentText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?').replace(/\*\//g, '*?/').replace(/\/\*/g, '/?*');
}

/** sqlperf's own placeholders for template holes, never a real name. */
const PLACEHOLDER = /__sqlperf_/i;

/** Why a table cannot get an index (catalogs, bookkeeping, placeholders, views); null when it can. */
export function targetProblem(table: string, schemaName: string | null, dialect: Dialect, known?: SchemaTable): string | null {
  if (PLACEHOLDER.test(table) || (schemaName && PLACEHOLDER.test(schemaName))) return 'the table name is a template hole';
  if (isSystemCatalog(table, schemaName)) return `${schemaName ? `${schemaName}.` : ''}${table} is a system catalog`;
  if (SYSTEM_TABLES.has(table.toLowerCase())) return `${table} is a system or bookkeeping table`;
  if (known?.kind === 'view') return `${table} is a view`;
  return null;
}

/** Why a column cannot be an index key; null when it can. */
export function columnProblem(name: string, known?: SchemaTable): string | null {
  if (PLACEHOLDER.test(name) || name === '*') return 'the column name is a template hole';
  if (SYSTEM_COLUMNS.has(name.toLowerCase())) return `${name} is a system column`;
  if (known && known.columnsKnown && !known.columns.some((c) => c.name === name || c.name.toLowerCase() === name.toLowerCase())) return `${known.name} has no column ${name}`;
  return null;
}

/** PostgreSQL functions that are IMMUTABLE for every argument type they accept (so an index may use them). */
const PG_IMMUTABLE = new Set(['lower', 'upper', 'btrim', 'ltrim', 'rtrim', 'md5', 'coalesce', 'abs', 'length', 'char_length', 'left', 'right', 'substr', 'substring', 'split_part', 'replace', 'reverse', 'jsonb_extract_path_text', 'jsonb_extract_path', 'array_length', 'cardinality']);
/** Deterministic functions MySQL (functional key parts) and SQLite (expression indexes) accept. */
const NSP_DETERMINISTIC = new Set(['lower', 'upper', 'trim', 'ltrim', 'rtrim', 'coalesce', 'ifnull', 'abs', 'length', 'substr', 'substring', 'json_extract', 'json_unquote', 'md5', 'left', 'right']);
const INT_TYPES = new Set(['int', 'int2', 'int4', 'int8', 'integer', 'bigint', 'smallint', 'signed', 'unsigned']);
const TEXT_TYPES = new Set(['text', 'varchar', 'char', 'bpchar', 'character varying']);
const TIMEY = /^(timestamp|timestamptz|date|time|timetz|interval|money)\b|with time zone/;

export interface RenderContext {
  dialect: Dialect;
  /** The query's column belongs to the indexed table (right table, right query block). */
  mine: (c: ColumnExpr) => boolean;
  /** The table as the schema knows it, for column existence and types. */
  known?: SchemaTable;
}

export type Rendered = { ok: true; sql: string } | { ok: false; reason: string };

function columnType(ctx: RenderContext, name: string): string | undefined {
  const c = ctx.known?.columns.find((x) => x.name === name || x.name.toLowerCase() === name.toLowerCase());
  return c?.type || undefined;
}

/**
 * An index key expression rendered from the model: columns of the indexed table, constants and an
 * allow-list of immutable functions, JSON operators with constant keys and immutable casts. Anything
 * else (a parameter, a column of another table, a row constructor, a volatile function) has a reason.
 */
export function renderKeyExpr(e: Expr, ctx: RenderContext): Rendered {
  switch (e.type) {
    case 'column': {
      if (!ctx.mine(e)) return fail(`${e.qualifier ? e.qualifier + '.' : ''}${e.name} is not a column of the indexed table`);
      const p = columnProblem(e.name, ctx.known);
      return p ? fail(p) : { ok: true, sql: quoteIdent(e.name, ctx.dialect) };
    }
    case 'literal':
      return renderLiteral(e, ctx.dialect);
    case 'param':
      return fail(`a parameter (${e.name}) cannot be part of an index`);
    case 'func':
      return renderFunc(e, ctx);
    case 'binary':
      if ((e.op === '->' || e.op === '->>') && (ctx.dialect === 'postgresql' || ctx.dialect === 'sqlite')) return renderJsonKey(e, ctx);
      return fail(`the operator ${e.op} is not supported in an index expression`);
    case 'cast':
      return renderCast(e, ctx);
    case 'other':
      return fail(e.kind === 'row' ? 'a row constructor is not an index key (index its columns instead)' : `${e.kind} is not supported in an index expression`);
    default:
      return fail(`${e.type} is not supported in an index expression`);
  }
}

const fail = (reason: string): Rendered => ({ ok: false, reason });

function renderLiteral(e: Extract<Expr, { type: 'literal' }>, d: Dialect): Rendered {
  if (e.kind === 'string') {
    if (PLACEHOLDER.test(String(e.value))) return fail('a template hole');
    // node-sql-parser hands strings over undecoded: a quote or backslash in one cannot be rendered back faithfully
    if (d !== 'postgresql' && /['\\]/.test(String(e.value))) return fail('a string constant with a quote or backslash');
    return { ok: true, sql: quoteString(String(e.value), d) };
  }
  if (e.kind === 'number') return /^-?\d+(\.\d+)?$/.test(String(e.value)) ? { ok: true, sql: String(e.value) } : fail('an unusual number');
  if (e.kind === 'boolean') return { ok: true, sql: e.value ? 'TRUE' : 'FALSE' };
  if (e.kind === 'null') return { ok: true, sql: 'NULL' };
  return fail('an unusual constant');
}

/** Why a PostgreSQL function call is not IMMUTABLE, or undefined when it is. */
function pgNotImmutable(e: Extract<Expr, { type: 'func' }>, name: string, ctx: RenderContext): string | undefined {
  if (name === 'date_trunc') {
    const col = e.args[1];
    const type = col?.type === 'column' ? columnType(ctx, col.name) : undefined;
    if (e.args.length !== 2 || e.args[0]?.type !== 'literal' || type === undefined || !/^timestamp( without time zone)?$/.test(type)) {
      return `date_trunc is IMMUTABLE only on timestamp without time zone${type ? ` (${col && col.type === 'column' ? col.name : 'the column'} is ${type})` : ' and the schema does not say the column is one'}`;
    }
    return undefined;
  }
  // with a constant configuration only: the one-argument form reads default_text_search_config
  if (name === 'to_tsvector') return e.args.length !== 2 || e.args[0]?.type !== 'literal' ? 'to_tsvector without a constant configuration is not IMMUTABLE' : undefined;
  return PG_IMMUTABLE.has(name) ? undefined : `${name}() is not known to be IMMUTABLE`;
}

function renderFunc(e: Extract<Expr, { type: 'func' }>, ctx: RenderContext): Rendered {
  if (e.star || e.distinct || e.aggregate || e.window || e.extra.length) return fail(`${e.name}(...) is an aggregate or window call`);
  const name = e.name.toLowerCase();
  const why = ctx.dialect === 'postgresql' ? pgNotImmutable(e, name, ctx) : NSP_DETERMINISTIC.has(name) ? undefined : `${name}() is not known to be deterministic`;
  if (why) return fail(why);
  const parts: string[] = [];
  for (const x of e.args) {
    const r = renderKeyExpr(x, ctx);
    if (!r.ok) return r;
    parts.push(r.sql);
  }
  return { ok: true, sql: `${name}(${parts.join(', ')})` };
}

function renderJsonKey(e: Extract<Expr, { type: 'binary' }>, ctx: RenderContext): Rendered {
  if (e.right.type !== 'literal' || (e.right.kind !== 'string' && e.right.kind !== 'number')) return fail(`${e.op} with a key that is not a constant`);
  const l = renderKeyExpr(e.left, ctx);
  if (!l.ok) return l;
  const r = renderKeyExpr(e.right, ctx);
  if (!r.ok) return r;
  return { ok: true, sql: `${l.sql} ${e.op} ${r.sql}` };
}

function renderCast(e: Extract<Expr, { type: 'cast' }>, ctx: RenderContext): Rendered {
  const t = e.typeName.toLowerCase().replace(/^pg_catalog\./, '');
  if (ctx.dialect !== 'postgresql') return fail('casts are not indexed outside PostgreSQL');
  const inner = renderKeyExpr(e.arg, ctx);
  if (!inner.ok) return inner;
  const arg = e.arg.type === 'column' ? inner.sql : `(${inner.sql})`;
  if (INT_TYPES.has(t)) return { ok: true, sql: `${arg}::${t === 'int4' ? 'integer' : t === 'int8' ? 'bigint' : t === 'int2' ? 'smallint' : t}` };
  if (TEXT_TYPES.has(t)) {
    // a date or time rendered as text depends on DateStyle and TimeZone: not IMMUTABLE
    const argType = e.arg.type === 'column' ? columnType(ctx, e.arg.name) : undefined;
    if ((argType && TIMEY.test(argType)) || (!argType && e.arg.type === 'column' && /(_at|_on|date|time|timestamp)$/i.test(e.arg.name))) return fail(`${e.arg.type === 'column' ? e.arg.name : 'the value'}::text depends on the session's DateStyle/TimeZone (not IMMUTABLE)`);
    return { ok: true, sql: `${arg}::text` };
  }
  return fail(`a cast to ${t} is not known to be IMMUTABLE`);
}

/** A stable slug of an index key: the rendered text without quotes, operators or punctuation. */
function slug(key: string): string {
  return key
    .replace(/ DESC$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** `idx_<table>_<keys>[_<suffix>]`, at most 63 characters (PostgreSQL's limit); a hash keeps truncated names apart. */
export function indexName(table: string, keys: string[], suffix?: string): string {
  const t = table.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 't';
  const full = ['idx', t, ...keys.map(slug).filter(Boolean), ...(suffix ? [suffix] : [])].join('_');
  if (full.length <= 63) return full;
  return `${full.slice(0, 63 - 8).replace(/_+$/, '')}_${hash(full).slice(0, 7)}`;
}

/** The schema part that can be left out: PostgreSQL's default `public`. */
export function normalSchema(schemaName: string | null, dialect: Dialect): string | null {
  if (!schemaName) return null;
  if (dialect === 'postgresql' && schemaName.toLowerCase() === 'public') return null;
  return schemaName;
}

export interface IndexSpec {
  name: string;
  table: string;
  schema: string | null;
  /** Rendered keys, in order (an expression key is wrapped in parentheses). */
  keys: string[];
  method: 'btree' | 'gin' | 'fulltext';
  /** A partial index's condition, rendered (PostgreSQL and SQLite). */
  where?: string;
}

export type Mode = 'plain' | 'online';

/**
 * The statement: `plain` as a suggestion shows it; `online` for a migration run on a live database
 * (PostgreSQL `CONCURRENTLY IF NOT EXISTS`, MySQL `ALGORITHM=INPLACE, LOCK=NONE`).
 */
export function createIndexSql(s: IndexSpec, dialect: Dialect, mode: Mode = 'plain'): string {
  const target = (s.schema ? quoteIdent(s.schema, dialect) + '.' : '') + quoteIdent(s.table, dialect);
  const using = s.method === 'gin' ? ' USING gin' : '';
  if (s.method === 'fulltext') {
    // InnoDB builds a FULLTEXT index in place but not with concurrent writes: LOCK=SHARED (reads go on)
    return mode === 'online' ? `ALTER TABLE ${target} ADD FULLTEXT INDEX ${s.name} (${s.keys.join(', ')}), ALGORITHM=INPLACE, LOCK=SHARED;` : `CREATE FULLTEXT INDEX ${s.name} ON ${target} (${s.keys.join(', ')});`;
  }
  const where = s.where ? ` WHERE ${s.where}` : '';
  if (mode === 'online' && dialect === 'postgresql') return `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${s.name} ON ${target}${using} (${s.keys.join(', ')})${where};`;
  if (mode === 'online' && isMy(dialect)) return `ALTER TABLE ${target} ADD INDEX ${s.name} (${s.keys.join(', ')}), ALGORITHM=INPLACE, LOCK=NONE;`;
  if (mode === 'online' && dialect === 'sqlite') return `CREATE INDEX IF NOT EXISTS ${s.name} ON ${target} (${s.keys.join(', ')})${where};`;
  return `CREATE INDEX ${s.name} ON ${target}${using} (${s.keys.join(', ')})${where};`;
}

/** Why the dialect's parser does not read `sql` as exactly one CREATE INDEX (or ALTER TABLE ... ADD INDEX); null when it does. */
export function checkIndexSql(sql: string, dialect: Dialect): string | null {
  if (dialect === 'postgresql') {
    const r = parsePg(sql);
    if (!r.ok) return r.message;
    if (r.stmts.length !== 1) return `${r.stmts.length} statements`;
    const node = r.stmts[0]!.stmt;
    return 'IndexStmt' in node ? null : `not a CREATE INDEX (${Object.keys(node)[0]})`;
  }
  const r = parseNsp(sql, dialect, 1000);
  if (!r.ok) return r.message;
  if (r.asts.length !== 1) return `${r.asts.length} statements`;
  const a = r.asts[0]!;
  if (a.type === 'create' && a.keyword === 'index') return null;
  if (a.type === 'alter') return null;
  return `not a CREATE INDEX (${String(a.type)})`;
}

/** The trade-off of a trigram index, said with every trigram suggestion. */
/** PostgreSQL operators a B-tree cannot serve and a GIN index can: jsonb containment and key-exists, array overlap, full-text match, jsonpath. */
export const GIN_OPS: ReadonlySet<string> = new Set(['@>', '<@', '?', '?|', '?&', '&&', '@@', '@?']);

export const TRIGRAM_TRADEOFF = 'a trigram GIN index serves LIKE/ILIKE with a leading wildcard, but is often several times the size of the column data and slows every insert and update of it';
export const TRIGRAM_EXTENSION = 'CREATE EXTENSION IF NOT EXISTS pg_trgm;';
/** What a FULLTEXT index changes, said with every FULLTEXT suggestion. */
export const FULLTEXT_TRADEOFF =
  "FULLTEXT serves the search only once the query says MATCH (col) AGAINST (...), and finds whole words and word prefixes ('term*' in boolean mode), not any substring: 'ation' no longer finds 'information', words shorter than innodb_ft_min_token_size (3) and stopwords are not indexed; keep LIKE where a substring match is the point. The index adds work to every insert and update of the column, and its build blocks writes (LOCK=SHARED)";
