import type { Dialect } from './dialect.js';
import { checkIndexSql, columnProblem, createIndexSql, FULLTEXT_TRADEOFF, GIN_OPS, indexName, normalSchema, quoteIdent, renderKeyExpr, targetProblem, TRIGRAM_EXTENSION, TRIGRAM_TRADEOFF, type RenderContext } from './index-ddl.js';
import { leadingWildcard, predicatesOf, prefixPattern, type Predicate } from './model/predicates.js';
import type { ColumnExpr, Expr, QueryBlock, StatementModel, TableRef } from './model/types.js';
import { contains, type Range } from './range.js';
import { findTable } from './schema/load.js';
import { filterServed } from './schema/match.js';
import type { Schema } from './schema/types.js';

/**
 * Index suggestions: per real table and statement, one composite B-tree index with the equality
 * columns first, then the sort columns, then one range column (a B-tree can use only the first
 * range column it meets). Predicates an index cannot serve suggest nothing, except a function
 * over a column, which can suggest an expression index where the dialect has them, and a leading
 * wildcard, which gets a trigram index in PostgreSQL. Every statement is rendered from the query
 * model and parsed with the dialect's parser before it is returned.
 */
export interface IndexSuggestion {
  table: string;
  /** The schema as written, without PostgreSQL's default `public`. */
  schema: string | null;
  /** The index name: stable for the same table and keys, however the query spells them. */
  name: string;
  /** Column names or, for expression indexes, the expression text rendered from the query model. */
  columns: string[];
  /** `CREATE INDEX ... ;` ready to paste, checked with the dialect's parser. */
  statement: string;
  /**
   * gin: containment, key-exists, overlap and full-text operators (PostgreSQL), which a B-tree cannot serve;
   * trigram: a GIN trigram index (pg_trgm) for LIKE / ILIKE with a leading wildcard;
   * fulltext: a MySQL FULLTEXT index for a contains-search, to be queried with MATCH ... AGAINST.
   */
  kind: 'btree' | 'expression' | 'gin' | 'trigram' | 'fulltext';
  /** Why each column is there, in order. */
  reasons: string[];
  /** What each column does for the query, in order (schema matching reads them back). */
  roles: KeyRole[];
  /**
   * A B-tree key serves LIKE / SIMILAR TO 'prefix%' as a range: only in the C collation, or with the
   * text_pattern_ops operator class (what `--verify` notes, since PGlite uses the C collation).
   */
  likePrefix?: true;
  /** Where the query needs it: the predicates and ORDER BY items behind the columns. */
  ranges: Range[];
  /** Statements to run first (`CREATE EXTENSION IF NOT EXISTS pg_trgm;`). */
  requires?: string[];
  /** A trade-off to state with the suggestion. */
  note?: string;
  /** How the query must be written to use the index (FULLTEXT: MATCH ... AGAINST). */
  rewrite?: string;
}

/** An index sqlperf considered and did not suggest, with the reason (an expression that is not IMMUTABLE, a system column...). */
export interface SkippedIndex {
  table: string;
  what: string;
  reason: string;
  range: Range;
}

/** What a key does for the query: an equality (or a GIN, trigram, FULLTEXT or expression match), a range after them, or the order. */
export type KeyRole = 'eq' | 'range' | 'sort';

interface Part {
  key: string;
  text: string;
  role: KeyRole;
  reason: string;
  range: Range;
  /** A LIKE / SIMILAR TO prefix pattern this key serves as a range. */
  likePrefix?: true;
}

const EXPRESSION_INDEX_DIALECTS: ReadonlySet<Dialect> = new Set(['postgresql', 'sqlite', 'mysql']);
const TRIGRAM_OPS = new Set(['LIKE', 'ILIKE', '~~', '~~*']);

export { indexName, quoteIdent };

/**
 * A real table's identity: its name and its schema as `normalSchema` gives it (PostgreSQL's `public`
 * is the unqualified default), so `app.users` and `audit.users` in one query are two tables.
 */
const tableId = (name: string, schemaName: string | null): string => `${schemaName ?? ''}\0${name}`;

/** A single-column primary key (with a schema that knows the table) or, without one, a column named `id`. */
function isPrimaryKeyColumn(table: string, column: string, schema: Schema | undefined): boolean {
  const t = schema ? findTable(schema, table) : undefined;
  if (!t) return column.toLowerCase() === 'id';
  return t.indexes.some((i) => i.primary && i.keys.length === 1 && i.keys[0]!.column !== null && i.keys[0]!.column.toLowerCase() === column.toLowerCase());
}

const ok = (sql: string) => ({ ok: true as const, sql });

/** The column of an equality join's two that an index should serve: the side the plan looks up, not the side it starts from. */
function lookupSide(p: Predicate, b: QueryBlock, schema: Schema | undefined, filtered: Set<TableRef | null | undefined>): ColumnExpr | null {
  const a = p.column!;
  const o = p.kind === 'equality' && !p.wrapped && p.value?.type === 'column' && p.value.scope === b && p.value.ref ? p.value : null;
  // one reference on both sides is a filter; two references to one table (a self-join) are a join
  if (!o || o.ref === a.ref) return a;
  // the primary-key side of a join is served by the key: the other side is the one to index
  const aKey = isPrimaryKeyColumn(a.table!, a.name, schema);
  const oKey = isPrimaryKeyColumn(o.table!, o.name, schema);
  if (aKey && !oKey) return o;
  if (oKey && !aKey) return a;
  if (filtered.has(a.ref) && !filtered.has(o.ref)) return o;
  if (filtered.has(o.ref) && !filtered.has(a.ref)) return a;
  // neither side or both: the table the JOIN brings in is the one looked up
  const joined = b.joins.find((j) => j.on && contains(j.on.range, p.range))?.table;
  return joined && o.ref === joined ? o : a;
}

/** Each predicate's lookup side once, grouped by the table reference it reads (a self-join's two sides apart): linear in joins, not cubic. */
function lookupsByTable(b: QueryBlock, preds: Predicate[], schema: Schema | undefined): Map<TableRef, Array<[Predicate, ColumnExpr]>> {
  // tables filtered by a constant in WHERE are likely where the plan starts; a join equality then needs an index on the other side
  const filtered = new Set(preds.filter((p) => p.clause === 'where' && p.sargable && p.valueKind !== 'column').map((p) => p.column!.ref));
  const byTable = new Map<TableRef, Array<[Predicate, ColumnExpr]>>();
  for (const p of preds) {
    const col = lookupSide(p, b, schema, filtered);
    const ref = col?.ref;
    if (!col || !ref) continue;
    const list = byTable.get(ref);
    if (list) list.push([p, col]);
    else byTable.set(ref, [[p, col]]);
  }
  return byTable;
}

function suggestForBlock(b: QueryBlock, dialect: Dialect, schema: Schema | undefined, skipped: SkippedIndex[]): IndexSuggestion[] {
  const preds = predicatesOf(b).filter((p) => !p.underOr && !p.negated && p.clause !== 'having' && p.column?.table);
  const tables = [...(b.target ? [b.target] : []), ...b.from].filter((t) => t.kind === 'table' && !t.hole && t.name);
  const out: IndexSuggestion[] = [];
  const byTable = lookupsByTable(b, preds, schema);
  for (const t of tables) {
    const name = t.name!;
    const known = schema ? findTable(schema, name, t.schema) : undefined;
    const problem = targetProblem(name, t.schema, dialect, known);
    if (problem) {
      skipped.push({ table: name, what: 'an index', reason: problem, range: t.range });
      continue;
    }
    const mine = (c: ColumnExpr | null): c is ColumnExpr => c !== null && c.scope === b && !c.outer && c.ref === t;
    const keys = new TableKeys(name, dialect, { dialect, mine, ...(known && known.kind === 'table' ? { known } : {}) }, skipped);
    // every lookup side is a column of this block (lookupSide), so byTable's entries are this table's
    for (const [p, col] of byTable.get(t) ?? []) keys.placePredicate(p, col);
    // sort columns: only when every ORDER BY item is a plain column of this table (else the index cannot provide the order)
    if (tables.length === 1) keys.placeOrderBy(b);
    keys.suggest(normalSchema(t.schema, dialect), out);
  }
  // the last word is the dialect's own parser: a statement it does not read as one CREATE INDEX is never printed
  return out.filter((s) => {
    const why = checkIndexSql(s.statement, dialect);
    if (why) skipped.push({ table: s.table, what: s.statement, reason: `the dialect's parser rejects it (${why})`, range: s.ranges[0]! });
    return !why;
  });
}

/** One table's index keys in one query block, by role: what its predicates and ORDER BY give, and the indexes they make. */
class TableKeys {
  private readonly eq: Part[] = [];
  private readonly range: Part[] = [];
  private readonly sort: Part[] = [];
  private expression: Part | undefined;
  private gin: Part | undefined;
  private trigram: Part | undefined;
  private fulltext: (Part & { rewrite: string }) | undefined;
  // keys already placed, per list: a predicate list of thousands stays linear
  private readonly placed = new Map<Part[], Set<string>>([
    [this.eq, new Set()],
    [this.range, new Set()],
    [this.sort, new Set()],
  ]);

  constructor(
    private readonly name: string,
    private readonly dialect: Dialect,
    private readonly ctx: RenderContext,
    private readonly skipped: SkippedIndex[],
  ) {}

  private push(list: Part[], p: Part): void {
    if (this.placed.get(this.eq)!.has(p.key) || this.placed.get(list)!.has(p.key)) return;
    list.push(p);
    this.placed.get(list)!.add(p.key);
  }

  private plainColumn(col: ColumnExpr, at: Range): boolean {
    const why = columnProblem(col.name, this.ctx.known);
    if (why) this.skipped.push({ table: this.name, what: col.name, reason: why, range: at });
    return !why;
  }

  /**
   * What predicate `p` on `col` (its lookup side) adds to the keys, tried from the most specific index
   * kind. `col` is `p.column` except for a plain equality join, where it can be the other side's column
   * (lookupSide): the GIN, trigram, FULLTEXT and expression kinds never see that case.
   */
  placePredicate(p: Predicate, col: ColumnExpr): void {
    if (this.placeGin(p, col) || this.placeTrigram(p, col) || this.placeFulltext(p, col) || this.placeRow(p) || this.placeExpression(p)) return;
    // a wrapped column is never sargable, nor IS NOT NULL, <> or a leading wildcard
    if (!p.sargable || !this.plainColumn(col, p.range)) return;
    const key = col.name.toLowerCase();
    const text = quoteIdent(col.name, this.dialect);
    // the sargable null test is IS NULL
    if (p.kind === 'equality' || p.kind === 'in' || p.kind === 'null') this.push(this.eq, { key, text, role: 'eq', reason: `${p.valueKind === 'column' ? 'join' : 'filter'} ${col.name} ${p.op}`, range: p.range });
    else if (p.kind === 'range' || p.kind === 'like') this.push(this.range, { key, text, role: 'range', reason: `range ${col.name} ${p.op}`, range: p.range, ...(p.kind === 'like' ? { likePrefix: true as const } : {}) });
  }

  /** jsonb @> / ?, array && / @>, tsvector @@: a GIN index on the column (or the to_tsvector expression) */
  private placeGin(p: Predicate, col: ColumnExpr): boolean {
    if (!(this.dialect === 'postgresql' && GIN_OPS.has(p.op) && p.valueKind !== 'column' && !this.gin)) return false;
    const r = p.wrapped ? renderKeyExpr(p.wrapped, this.ctx) : this.plainColumn(col, p.range) ? ok(quoteIdent(col.name, this.dialect)) : null;
    if (r && !r.ok) this.skipped.push({ table: this.name, what: `a GIN index for ${p.op}`, reason: r.reason, range: p.range });
    if (r && r.ok) this.gin = { key: r.sql, text: p.wrapped ? `(${r.sql})` : r.sql, role: 'eq', reason: `${p.op} needs GIN`, range: p.range };
    return true;
  }

  /** a leading wildcard: no B-tree, but a trigram index serves it (on lower(col) when the query lowers it) */
  private placeTrigram(p: Predicate, col: ColumnExpr): boolean {
    if (!(this.dialect === 'postgresql' && TRIGRAM_OPS.has(p.op) && !p.sargable && p.valueKind !== 'column') || expressionPrefix(p)) return false;
    const w = p.wrapped;
    const lowered = w?.type === 'func' && (w.name === 'lower' || w.name === 'upper') && w.args.length === 1 && w.args[0]!.type === 'column';
    const r = !w ? (this.plainColumn(col, p.range) ? ok(quoteIdent(col.name, this.dialect)) : null) : lowered ? renderKeyExpr(w, this.ctx) : null;
    if (r && r.ok && !this.trigram) this.trigram = { key: r.sql, text: `${w ? `(${r.sql})` : r.sql} gin_trgm_ops`, role: 'eq', reason: trigramReason(p, r.sql), range: p.range };
    return true;
  }

  /** a contains-search for words: FULLTEXT with MATCH ... AGAINST (whole words and word prefixes, not any substring) */
  private placeFulltext(p: Predicate, col: ColumnExpr): boolean {
    const dialect = this.dialect;
    // wordSearch needs a pattern with wildcards: a column on the other side is none
    if (!((dialect === 'mysql' || dialect === 'mariadb') && !p.wrapped && p.op === 'LIKE' && !p.sargable && !this.fulltext && wordSearch(p.value) && textColumn(col.name, this.ctx.known) && this.plainColumn(col, p.range))) return false;
    const c = quoteIdent(col.name, dialect);
    this.fulltext = { key: col.name.toLowerCase(), text: c, role: 'eq', reason: `${p.op} '%...%' searches words: FULLTEXT`, range: p.range, rewrite: `MATCH (${c}) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*'` };
    return true;
  }

  /** (a, b) = ($1, $2) and (a, b) IN (...): an equality on each column of the row */
  private placeRow(p: Predicate): boolean {
    const row = p.wrapped;
    const { mine, known } = this.ctx;
    if (!(row?.type === 'other' && row.kind === 'row' && (p.kind === 'equality' || p.kind === 'in') && p.valueKind !== 'column' && row.children.every((c) => c.type === 'column' && mine(c) && !columnProblem(c.name, known)))) return false;
    for (const c of row.children as ColumnExpr[]) this.push(this.eq, { key: c.name.toLowerCase(), text: quoteIdent(c.name, this.dialect), role: 'eq', reason: `filter ${c.name} (row ${p.op})`, range: p.range });
    return true;
  }

  /** A function over the column compared with a value: an expression index where the dialect has them. */
  private placeExpression(p: Predicate): boolean {
    const prefix = this.dialect === 'postgresql' && expressionPrefix(p);
    if (!(p.wrapped && (p.kind === 'equality' || p.kind === 'in' || p.kind === 'range' || prefix) && !this.expression && EXPRESSION_INDEX_DIALECTS.has(this.dialect) && p.valueKind !== 'column')) return false;
    const r = renderKeyExpr(p.wrapped, this.ctx);
    if (!r.ok) this.skipped.push({ table: this.name, what: 'an expression index', reason: r.reason, range: p.range });
    else this.expression = { key: r.sql, text: `(${r.sql})`, role: 'eq', reason: `${r.sql} ${p.op} ...`, range: p.range, ...(prefix ? { likePrefix: true as const } : {}) };
    return true;
  }

  /** The ORDER BY columns, when every item is a plain column of this table (else the index cannot provide the order). */
  placeOrderBy(b: QueryBlock): void {
    const { mine, known } = this.ctx;
    const orderCols = b.orderBy.map((o) => (o.expr.type === 'column' && mine(o.expr) && !columnProblem(o.expr.name, known) ? o.expr : null));
    if (!orderCols.length || !orderCols.every(Boolean)) return;
    orderCols.forEach((c, i) => this.push(this.sort, { key: c!.name.toLowerCase(), text: quoteIdent(c!.name, this.dialect) + (b.orderBy[i]!.direction === 'desc' ? ' DESC' : ''), role: 'sort', reason: `sort ${c!.name}`, range: b.orderBy[i]!.range }));
  }

  /** The indexes the keys make, onto `out`: equality columns, then sort columns, then one range column; and the special kinds. */
  suggest(tableSchema: string | null, out: IndexSuggestion[]): void {
    const { name, dialect } = this;
    const known = this.ctx.known;
    // a column both sorted and range-filtered belongs in the sort position (it serves both)
    const parts = [...this.eq, ...this.sort, ...this.range.filter((r) => !this.placed.get(this.eq)!.has(r.key) && !this.placed.get(this.sort)!.has(r.key)).slice(0, 1)];
    // an index on `id` alone is the primary key's (which every table has; with a schema, filterServed knows)
    const idOnly = parts.length === 1 && parts[0]!.key === 'id' && !known;
    // nor one on boolean columns alone: two values split a table in halves, a scan is as good
    const booleans = !!known && parts.length > 0 && parts.every((p) => /^bool(ean)?$/.test(known.columns.find((c) => c.name.toLowerCase() === p.key)?.type ?? ''));
    if (booleans) this.skipped.push({ table: name, what: `an index on ${parts.map((p) => p.text).join(', ')}`, reason: 'boolean columns alone are not selective', range: parts[0]!.range });
    if (parts.length && !idOnly && !booleans) out.push(build(name, tableSchema, parts, 'btree', dialect));
    if (this.gin) out.push(build(name, tableSchema, [this.gin], 'gin', dialect));
    if (this.trigram) out.push({ ...build(name, tableSchema, [this.trigram], 'trigram', dialect), requires: [TRIGRAM_EXTENSION], note: TRIGRAM_TRADEOFF });
    if (this.expression) out.push(build(name, tableSchema, [this.expression], 'expression', dialect));
    if (this.fulltext) out.push({ ...build(name, tableSchema, [this.fulltext], 'fulltext', dialect), note: FULLTEXT_TRADEOFF, rewrite: this.fulltext.rewrite });
  }
}

/** Why a pattern match needs a trigram index: only a pattern that starts with a wildcard is said to. */
/** `lower(email) LIKE 'ab%'`: a case-sensitive LIKE with fixed leading text on an expression, which a B-tree on the expression serves as a range. */
function expressionPrefix(p: Predicate): boolean {
  return p.wrapped !== null && p.kind === 'like' && (p.op === 'LIKE' || p.op === '~~') && prefixPattern(p.value);
}

function trigramReason(p: Predicate, key: string): string {
  if (leadingWildcard(p.value)) return `${p.op} with a leading wildcard needs a trigram index`;
  if (p.op === 'ILIKE' || p.op === '~~*') return `${p.op} ignores case, which a B-tree on the column cannot serve: a trigram index can`;
  if (p.wrapped) return `${p.op} on ${key}, not on the bare column: a trigram index on the expression serves it`;
  return `${p.op} with a pattern not known to start with fixed text needs a trigram index`;
}

const METHOD = { btree: 'btree', expression: 'btree', gin: 'gin', trigram: 'gin', fulltext: 'fulltext' } as const;

/**
 * The last character a LIKE pattern certainly ends with is a wildcard (`'%x%'`, `CONCAT('%', ?, '%')`).
 * Only MySQL and MariaDB ask, where `||` is OR and `+` adds numbers: CONCAT is their concatenation.
 */
function trailingWildcard(p: Expr): boolean {
  if (p.type === 'literal' && p.kind === 'string') return /%$/.test(String(p.value));
  const last = p.type === 'func' && p.name.toLowerCase() === 'concat' ? p.args.at(-1) : undefined;
  return last !== undefined && trailingWildcard(last);
}

/**
 * A contains-search FULLTEXT can answer: `%...%` around a value from the application, or around one
 * constant word of at least three letters (the default innodb_ft_min_token_size). Not a suffix search
 * (`'%@example.com'`), nor a constant with spaces or punctuation, which words do not match.
 */
function wordSearch(p: Expr | null): boolean {
  if (!p || !leadingWildcard(p) || !trailingWildcard(p)) return false;
  if (p.type === 'literal') return /^%[\p{L}\p{N}]{3,}%$/u.test(String(p.value));
  return true;
}

/** FULLTEXT indexes only CHAR, VARCHAR and TEXT columns; unknown types are given the benefit of the doubt. */
function textColumn(name: string, known: RenderContext['known']): boolean {
  const type = known?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.type;
  return !type || /char|text/.test(type);
}

function build(table: string, schemaName: string | null, parts: Part[], kind: IndexSuggestion['kind'], dialect: Dialect): IndexSuggestion {
  const columns = parts.map((p) => p.text);
  const suffix = kind === 'gin' ? 'gin' : kind === 'trigram' ? 'trgm' : kind === 'fulltext' ? 'ft' : undefined;
  const name = indexName(table, parts.map((p) => p.key), suffix);
  const statement = createIndexSql({ name, table, schema: schemaName, keys: columns, method: METHOD[kind] }, dialect);
  const likePrefix = parts.some((p) => p.likePrefix) ? { likePrefix: true as const } : {};
  return { table, schema: schemaName, name, columns, kind, reasons: parts.map((p) => p.reason), roles: parts.map((p) => p.role), ranges: parts.map((p) => p.range), statement, ...likePrefix };
}

/** A suggestion's statement in the form a migration on a live database needs (see `createIndexSql`). */
export function onlineStatement(s: Pick<IndexSuggestion, 'table' | 'schema' | 'name' | 'columns' | 'kind'>, dialect: Dialect): string {
  return createIndexSql({ name: s.name, table: s.table, schema: s.schema, keys: s.columns, method: METHOD[s.kind] }, dialect, 'online');
}

/**
 * `CREATE INDEX` over plain columns given by name, each quoted for the dialect (a foreign key's
 * columns: a name such as `Created At` is a name, never an expression to keep as written).
 */
export function createIndex(table: string, schema: string | null, columns: string[], dialect: Dialect): string {
  const keys = columns.map((c) => quoteIdent(c, dialect));
  return createIndexSql({ name: indexName(table, columns), table, schema: normalSchema(schema, dialect), keys, method: 'btree' }, dialect);
}

/**
 * One suggestion per table and statement: suggestions from several blocks on one table are merged when one is a prefix of the other.
 * With a schema, suggestions that existing indexes already serve (leftmost-prefix rule) and those for small tables are left out.
 */
export function suggestIndexes(statement: StatementModel, text: string, dialect: Dialect, schema?: Schema): IndexSuggestion[] {
  return planIndexes(statement, text, dialect, schema).suggestions;
}

/** The suggestions, and what was left out with the reason (for `sqlperf indexes` to say why). */
export function planIndexes(statement: StatementModel, text: string, dialect: Dialect, schema?: Schema): { suggestions: IndexSuggestion[]; skipped: SkippedIndex[] } {
  const skipped: SkippedIndex[] = [];
  const all = mergeSuggestions(statement.blocks.flatMap((b) => suggestForBlock(b, dialect, schema, skipped)));
  // with a schema, a table it does not have gets no index (unknown-table says why)
  const suggestions = schema ? filterServed(all.filter((s) => findTable(schema, s.table, s.schema)), schema, statement, text) : all;
  return { suggestions, skipped };
}

/** Drops suggestions whose columns are a leading prefix of another of the same kind on the same table. */
export function mergeSuggestions(list: IndexSuggestion[]): IndexSuggestion[] {
  const out: IndexSuggestion[] = [];
  // candidates share the table: grouped by it, a query over many tables merges in linear time
  const byTable = new Map<string, IndexSuggestion[]>();
  const sorted = [...list].sort((a, b) => b.columns.length - a.columns.length);
  for (const s of sorted) {
    const key = tableId(s.table, s.schema);
    const group = byTable.get(key) ?? [];
    // GIN, trigram and FULLTEXT suggestions have one key: among them only the same index is a prefix
    const host = group.find((o) => METHOD[o.kind] === METHOD[s.kind] && s.columns.every((c, i) => o.columns[i]?.replace(/ DESC$/, '') === c.replace(/ DESC$/, '')));
    const same = group.find((o) => o.name === s.name);
    if (host || same) {
      const into = (host ?? same)!;
      into.ranges.push(...s.ranges);
      // the merged query's LIKE prefix is served by the host's key in the same position
      if (s.likePrefix) into.likePrefix = true;
      continue;
    }
    const copy = { ...s, ranges: [...s.ranges], reasons: [...s.reasons], roles: [...s.roles] };
    out.push(copy);
    group.push(copy);
    byTable.set(key, group);
  }
  return out.sort((a, b) => (a.ranges[0]?.start ?? 0) - (b.ranges[0]?.start ?? 0));
}

export type { Predicate };
