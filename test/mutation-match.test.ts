import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { suggestIndexes } from '../src/indexes.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { loadSchema, type Schema } from '../src/schema/index.js';
import { coverage, filterServed, needOf, type Need } from '../src/schema/match.js';
import type { IndexKey, SchemaIndex } from '../src/schema/types.js';

// Golden tests for the mutants of src/schema/match.ts that survived `npm run mutation` (docs/mutation.md):
// each pins what an existing index serves, through the index suggestions and missing-index findings a
// schema changes, or through coverage() where no query reaches the case.

beforeAll(() => ready());

const T = 'CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, status text, email text, account_id int, deleted_at timestamptz, tags text[], doc jsonb);';
const schemaOf = (ddl: string, dialect: Dialect = 'postgresql', tables?: Record<string, { rows: number }>): Schema => loadSchema([{ path: 's.sql', text: ddl }], dialect, tables ? { tables } : {});

/** The CREATE INDEX statements sqlperf still suggests once it knows the schema. */
const suggested = (sql: string, schema: Schema, dialect: Dialect = 'postgresql') => analyze(sql, { dialect, schema }).statements.flatMap((s) => s.indexes.map((i) => i.statement));

/** `line:col-endCol message` of each missing-index finding. */
function missing(sql: string, schema: Schema, dialect: Dialect = 'postgresql') {
  const starts = lineStarts(sql);
  return analyze(sql, { dialect, schema, rules: { 'missing-index': 'warn' } })
    .diagnostics.filter((d) => d.ruleId === 'missing-index')
    .map((d) => `${toLineCol(starts, d.start).line}:${toLineCol(starts, d.start).column}-${toLineCol(starts, d.end).column} ${d.message}`);
}

const key = (column: string, desc = false): IndexKey => ({ column, expression: null, desc });
const index = (keys: IndexKey[], extra: Partial<SchemaIndex> = {}): SchemaIndex => ({ name: 'i', table: 't', keys, unique: false, primary: false, constraint: false, implicit: false, method: 'btree', where: null, seq: 0, origin: null, ...extra });
const col = (column: string) => ({ column, expression: null });
const eqNeed = (...columns: string[]): Need => ({ eq: columns.map(col), sort: [], range: null });

describe('partial indexes: served only when the query repeats every condition', () => {
  const partial = `${T} CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text); CREATE INDEX orders_user_open ON orders (user_id) WHERE status = 'open';`;
  it('a query that repeats the condition, however it qualifies the column, needs no index', () => {
    const s = schemaOf(partial);
    for (const where of ["user_id = $1 AND status = 'open'", "o.user_id = $1 AND o.status = 'open'", "o.user_id = $1 AND orders.status = 'open'", `o.user_id = $1 AND "orders".status = 'open'`, "o.user_id = $1 AND o . status = 'open'"]) {
      const sql = `SELECT o.id FROM orders o WHERE ${where}`;
      expect(suggested(sql, s), where).toEqual([]);
      expect(missing(sql, s), where).toEqual([]);
    }
  });
  it('a condition repeated in a JOIN ... ON counts as well', () => {
    const s = schemaOf(partial);
    expect(suggested("SELECT u.id FROM t u JOIN orders o ON o.user_id = u.id AND o.status = 'open' WHERE u.id = $1", s)).toEqual([]);
  });
  it('a query without the condition is not served: the suggestion stays and missing-index reports it', () => {
    const s = schemaOf(partial);
    const sql = 'SELECT id FROM orders WHERE user_id = $1';
    expect(suggested(sql, s)).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id);']);
    expect(missing(sql, s)).toEqual(['1:29-41 no index on orders can serve user_id; add one: CREATE INDEX idx_orders_user_id ON orders (user_id);']);
  });
  it('every condition of the index must be repeated, not just one', () => {
    const s = schemaOf(`${T} CREATE INDEX t_a_open ON t (a) WHERE status = 'open' AND deleted_at IS NULL;`);
    expect(suggested("SELECT id FROM t WHERE a = $1 AND status = 'open'", s)).toEqual(['CREATE INDEX idx_t_a_status ON t (a, status);']);
    expect(suggested("SELECT id FROM t WHERE a = $1 AND status = 'open' AND deleted_at IS NULL", s)).toEqual([]);
  });
  it('coverage() without the statement conditions serves nothing from a partial index', () => {
    expect(coverage(index([key('a')], { where: "status='open'" }), eqNeed('a'))).toEqual({ served: 0, full: false });
    expect(coverage(index([key('a')], { where: "status='open'" }), eqNeed('a'), new Set(['a=1']))).toEqual({ served: 0, full: false });
  });
  it('a column the condition fixes counts as served, without a key', () => {
    const i = index([key('a')], { where: "status='open' and deleted_at is null" });
    const conj = new Set(["status='open'", 'deleted_at is null']);
    expect(coverage(i, eqNeed('status', 'a'), conj)).toEqual({ served: 2, full: true });
    expect(coverage(i, eqNeed('status', 'deleted_at', 'a', 'b'), conj)).toEqual({ served: 3, full: false });
  });
  it('only `col = ...` and `col IS NULL` fix a column, not a column inside an expression or an OR', () => {
    const s = schemaOf(`${T} CREATE INDEX t_c_sum ON t (c) WHERE a + b = 1; CREATE INDEX t_c_or ON t (c) WHERE a IS NULL OR status = 'x';`);
    expect(suggested('SELECT id FROM t WHERE a + b = 1 AND b = $1', s)).toEqual(['CREATE INDEX idx_t_b ON t (b);']);
    expect(suggested("SELECT id FROM t WHERE (a IS NULL OR status = 'x') AND a = $1", s)).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
  });
  it('an expression key needs a key even when the condition fixes another column', () => {
    const s = schemaOf(`${T} CREATE INDEX t_email_open ON t (lower(email)) WHERE status = 'open';`);
    expect(suggested("SELECT id FROM t WHERE lower(email) = $1 AND status = 'open'", s)).toEqual([]);
    expect(suggested("SELECT id FROM t WHERE lower(email) = $1 AND status = 'closed'", s)).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email)));', 'CREATE INDEX idx_t_status ON t (status);']);
  });
});

describe('MySQL FULLTEXT: an index on exactly the searched columns', () => {
  const sql = "SELECT id FROM articles WHERE body LIKE CONCAT('%', ?, '%')";
  const articles = (extra: string) => schemaOf(`CREATE TABLE articles (id int PRIMARY KEY, title varchar(200), body text${extra});`, 'mysql');
  const wanted = 'CREATE FULLTEXT INDEX idx_articles_body_ft ON articles (body);';
  it('FULLTEXT (body) serves it; FULLTEXT (title, body), FULLTEXT (title) and a B-tree on body do not', () => {
    expect(suggested(sql, articles(', FULLTEXT KEY ft_body (body)'), 'mysql')).toEqual([]);
    expect(suggested(sql, articles(', FULLTEXT KEY ft_both (title, body)'), 'mysql')).toEqual([wanted]);
    expect(suggested(sql, articles(', FULLTEXT KEY ft_title (title)'), 'mysql')).toEqual([wanted]);
    expect(suggested(sql, articles(', KEY body_prefix (body(50))'), 'mysql')).toEqual([wanted]);
  });
  it('coverage() of a FULLTEXT need', () => {
    const ft = (...c: string[]) => index(c.map((x) => key(x)), { method: 'fulltext' });
    const need: Need = { ...eqNeed('title', 'body'), method: 'fulltext' };
    expect(coverage(ft('body', 'title'), need)).toEqual({ served: 1, full: true });
    expect(coverage(ft('body', 'c'), need)).toEqual({ served: 0, full: false });
    expect(coverage(ft('body'), need)).toEqual({ served: 0, full: false });
    expect(coverage(index([key('title'), key('body')]), need)).toEqual({ served: 0, full: false });
  });
});

describe('GIN: containment, full text and trigram searches', () => {
  it('a GIN index serves @> on any of its keys; a B-tree does not', () => {
    expect(suggested('SELECT id FROM t WHERE tags @> $1', schemaOf(`${T} CREATE INDEX t_gin ON t USING gin (doc, tags);`))).toEqual([]);
    expect(suggested('SELECT id FROM t WHERE tags @> $1', schemaOf(`${T} CREATE INDEX t_gin ON t USING gin (doc);`))).toEqual(['CREATE INDEX idx_t_tags_gin ON t USING gin (tags);']);
    expect(suggested('SELECT id FROM t WHERE tags @> $1', schemaOf(`${T} CREATE INDEX t_tags ON t (tags);`))).toEqual(['CREATE INDEX idx_t_tags_gin ON t USING gin (tags);']);
    const gin: Need = { ...eqNeed('a', 'b'), method: 'gin' };
    expect(coverage(index([key('b')], { method: 'gin' }), gin)).toEqual({ served: 1, full: true });
  });
  it('an expression GIN index serves the full-text search on that expression', () => {
    const sql = "SELECT id FROM t WHERE to_tsvector('english', email) @@ $1";
    const wanted = "CREATE INDEX idx_t_to_tsvector_english_email_gin ON t USING gin ((to_tsvector('english', email)));";
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_fts ON t USING gin (to_tsvector('english', email));`))).toEqual([]);
    expect(missing(sql, schemaOf(`${T} CREATE INDEX t_fts ON t USING gin (to_tsvector('english', email));`))).toEqual([]);
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_fts ON t USING gin (to_tsvector('simple', email));`))).toEqual([wanted]);
    // a B-tree on the same expression cannot answer @@
    expect(missing(sql, schemaOf(`${T} CREATE INDEX t_fts ON t (to_tsvector('english', email));`))).toEqual([`1:24-59 no index on t can serve (to_tsvector('english', email)); add one: ${wanted}`]);
  });
  it('a trigram GIN index serves a leading-wildcard LIKE', () => {
    const sql = "SELECT id FROM t WHERE email LIKE '%x%'";
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_trgm ON t USING gin (email gin_trgm_ops);`))).toEqual([]);
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_trgm ON t USING gin (status gin_trgm_ops);`))).toEqual(['CREATE INDEX idx_t_email_trgm ON t USING gin (email gin_trgm_ops);']);
  });
});

describe('hash, BRIN and other unordered methods', () => {
  it('a hash index serves one equality on its key; BRIN and GIN serve no B-tree need', () => {
    expect(suggested('SELECT id FROM t WHERE a = $1', schemaOf(`${T} CREATE INDEX t_a ON t USING hash (a);`))).toEqual([]);
    expect(missing('SELECT id FROM t WHERE a = $1', schemaOf(`${T} CREATE INDEX t_a ON t USING hash (a);`))).toEqual([]);
    for (const method of ['brin', 'gin']) {
      const s = schemaOf(`${T} CREATE INDEX t_a ON t USING ${method} (a);`);
      expect(suggested('SELECT id FROM t WHERE a = $1', s), method).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
      expect(missing('SELECT id FROM t WHERE a = $1', s), method).toEqual(['1:24-30 no index on t can serve a; add one: CREATE INDEX idx_t_a ON t (a);']);
    }
  });
  it('coverage() of unordered indexes', () => {
    expect(coverage(index([key('a')], { method: 'gin' }), eqNeed('a'))).toEqual({ served: 0, full: false });
    expect(coverage(index([key('a')], { method: 'brin' }), eqNeed('a'))).toEqual({ served: 0, full: false });
    expect(coverage(index([key('a'), key('b')], { method: 'hash' }), eqNeed('a'))).toEqual({ served: 0, full: false });
    expect(coverage(index([key('a')], { method: 'hash' }), eqNeed('a', 'b'))).toEqual({ served: 1, full: false });
    // a hash index is full only for a need of exactly one key: an extra equality, sort or range key leaves it partial
    expect(coverage(index([key('a')], { method: 'hash' }), { eq: [col('a'), col('b')], sort: [{ ...col('c'), desc: false }], range: null })).toEqual({ served: 1, full: false });
    expect(coverage(index([key('a')], { method: 'hash' }), { eq: [col('a')], sort: [{ ...col('c'), desc: false }], range: col('b') })).toEqual({ served: 1, full: false });
  });
});

describe('coverage(): the leftmost-prefix rule at its edges', () => {
  it('more equality columns than keys', () => {
    expect(coverage(index([key('a')]), eqNeed('a', 'b'))).toEqual({ served: 1, full: false });
    expect(coverage(index([key('a'), key('b')]), eqNeed('b', 'a'))).toEqual({ served: 2, full: true });
  });
  it('a sorted column that is also an equality is constant and needs no key', () => {
    expect(coverage(index([key('a')]), { eq: [col('a')], sort: [{ ...col('a'), desc: true }], range: null })).toEqual({ served: 2, full: true });
    expect(coverage(index([key('a'), key('b')]), { eq: [col('a')], sort: [{ ...col('a'), desc: false }, { ...col('b'), desc: true }], range: null })).toEqual({ served: 3, full: true });
  });
  it('a range on a column already fixed needs no key; a range key must follow the prefix', () => {
    expect(coverage(index([key('a'), key('b')]), { eq: [col('a'), col('b')], sort: [], range: col('a') })).toEqual({ served: 3, full: true });
    expect(coverage(index([key('a'), key('b')]), { eq: [col('a'), col('b')], sort: [], range: col('b') })).toEqual({ served: 3, full: true });
    expect(coverage(index([key('a')]), { eq: [col('a')], sort: [], range: col('d') })).toEqual({ served: 1, full: false });
    expect(coverage(index([key('a'), key('c')]), { eq: [col('a')], sort: [], range: col('d') })).toEqual({ served: 1, full: false });
    expect(coverage(index([key('a'), key('d')]), { eq: [col('a')], sort: [], range: col('d') })).toEqual({ served: 2, full: true });
  });
});

describe('needOf(): the need read back from a suggestion', () => {
  const suggestions = (sql: string, dialect: Dialect = 'postgresql') => {
    const st = analyze(sql, { dialect }).statements[0]!;
    return suggestIndexes(st.model!, sql, dialect);
  };
  it('equality, sort (with its direction) and range columns', () => {
    expect(suggestions('SELECT id FROM t WHERE a = $1 AND b > $2 ORDER BY c DESC').map(needOf)).toEqual([{ eq: [col('a')], sort: [{ ...col('c'), desc: true }], range: col('b') }]);
    expect(suggestions('SELECT id FROM t WHERE b BETWEEN $1 AND $2 ORDER BY a, c').map(needOf)).toEqual([{ eq: [], sort: [{ ...col('a'), desc: false }, { ...col('c'), desc: false }], range: col('b') }]);
  });
  it('expressions, GIN, trigram and FULLTEXT needs', () => {
    expect(suggestions('SELECT id FROM t WHERE lower(email) = $1').map(needOf)).toEqual([{ eq: [{ column: null, expression: 'lower(email)' }], sort: [], range: null }]);
    expect(suggestions('SELECT id FROM t WHERE tags @> $1').map(needOf)).toEqual([{ eq: [col('tags')], sort: [], range: null, method: 'gin' }]);
    expect(suggestions("SELECT id FROM t WHERE to_tsvector('english', email) @@ $1").map(needOf)).toEqual([{ eq: [{ column: null, expression: "to_tsvector('english',email)" }], sort: [], range: null, method: 'gin' }]);
    expect(suggestions("SELECT id FROM t WHERE email ILIKE '%x%'").map(needOf)).toEqual([{ eq: [col('email')], sort: [], range: null, method: 'gin' }]);
    expect(suggestions("SELECT id FROM articles WHERE body LIKE CONCAT('%', ?, '%')", 'mysql').map(needOf)).toEqual([{ eq: [col('body')], sort: [], range: null, method: 'fulltext' }]);
  });
  it('quoted names lose their quotes, and doubled quotes inside them', () => {
    expect(suggestions('SELECT id FROM t WHERE "Order" = $1 ORDER BY "x DESC y" LIMIT 5').map(needOf)).toEqual([{ eq: [col('Order')], sort: [{ ...col('x DESC y'), desc: false }], range: null }]);
    expect(suggestions('SELECT id FROM t WHERE "a""b" = $1').map(needOf)).toEqual([{ eq: [col('a"b')], sort: [], range: null }]);
    // as the renderer quotes a column named a`b (MySQL) or a]b (T-SQL)
    const btree = (column: string) => ({ table: 't', schema: null, name: 'i', columns: [column], statement: '', kind: 'btree' as const, reasons: ['filter ='], roles: ['eq' as const], ranges: [] });
    expect(needOf(btree('`a``b`'))).toEqual({ eq: [col('a`b')], sort: [], range: null });
    expect(needOf(btree('[a]]b]'))).toEqual({ eq: [col('a]b')], sort: [], range: null });
  });
  it('a quoted column the schema indexes is served', () => {
    const s = schemaOf('CREATE TABLE "T" (id int PRIMARY KEY, "Order" int, "a""b" int); CREATE INDEX t_order ON "T" ("Order"); CREATE INDEX t_ab ON "T" ("a""b");');
    expect(suggested('SELECT id FROM "T" WHERE "Order" = $1', s)).toEqual([]);
    expect(suggested('SELECT id FROM "T" WHERE "a""b" = $1', s)).toEqual([]);
  });
});

describe('filterServed(): views, unknown tables and small tables', () => {
  it('a view is never indexed, an unknown table keeps its suggestion', () => {
    const s = schemaOf(`${T} CREATE VIEW v AS SELECT id, a FROM t;`);
    expect(suggested('SELECT id FROM v WHERE a = $1', s)).toEqual([]);
    expect(missing('SELECT id FROM v WHERE a = $1', s)).toEqual([]);
    const sql = 'SELECT id FROM elsewhere WHERE a = $1';
    const model = analyze(sql).statements[0]!.model!;
    const list = suggestIndexes(model, sql, 'postgresql');
    expect(filterServed(list, s, model, sql).map((x) => x.statement)).toEqual(['CREATE INDEX idx_elsewhere_a ON elsewhere (a);']);
    // suggestIndexes drops a view's suggestion itself when it knows the schema; filterServed does too
    const onView = 'SELECT id FROM v WHERE a = $1';
    const viewModel = analyze(onView).statements[0]!.model!;
    const viewList = suggestIndexes(viewModel, onView, 'postgresql');
    expect(viewList.map((x) => x.statement)).toEqual(['CREATE INDEX idx_v_a ON v (a);']);
    expect(filterServed(viewList, s, viewModel, onView)).toEqual([]);
  });
  it('a table below SMALL_TABLE_ROWS (10 000) needs no index; at 10 000 rows or unknown size it does', () => {
    const sql = 'SELECT id FROM t WHERE a = $1';
    expect(suggested(sql, schemaOf(T, 'postgresql', { t: { rows: 9_999 } }))).toEqual([]);
    expect(suggested(sql, schemaOf(T, 'postgresql', { t: { rows: 10_000 } }))).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
    expect(suggested(sql, schemaOf(T, 'postgresql', { other: { rows: 5 } }))).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
  });
});

describe('filterServed(): an expression key behind the equality columns', () => {
  // loaded in each test: the PostgreSQL parser is ready only after beforeAll
  const ddl = `${T} CREATE TABLE u (id int PRIMARY KEY, account_id int); CREATE INDEX t_acc_email ON t (account_id, lower(email));`;
  it('(account_id, lower(email)) serves account_id = $1 AND lower(email) = $2, split in two suggestions', () => {
    const s = schemaOf(ddl);
    expect(suggested('SELECT id FROM t WHERE lower(email) = $1 AND account_id = $2', s)).toEqual([]);
    expect(suggested('SELECT id FROM t WHERE account_id = $2 AND lower(email) = $1', s)).toEqual([]);
  });
  it('not lower(email) alone, nor with another column, nor with another table\'s account_id', () => {
    const s = schemaOf(ddl);
    expect(suggested('SELECT id FROM t WHERE lower(email) = $1', s)).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email)));']);
    expect(suggested('SELECT id FROM t WHERE lower(email) = $1 AND b = $2', s)).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email)));', 'CREATE INDEX idx_t_b ON t (b);']);
    expect(suggested('SELECT t.id FROM u JOIN t ON t.id = u.b WHERE u.account_id = $1 AND lower(t.email) = $2', s)).toEqual(['CREATE INDEX idx_u_account_id ON u (account_id);', 'CREATE INDEX idx_t_lower_email ON t ((lower(email)));']);
    expect(suggested('SELECT t.id FROM t JOIN u ON u.id = t.b WHERE lower(t.email) = $1 AND u.account_id = $2', s)).toEqual(['CREATE INDEX idx_t_b ON t (b);', 'CREATE INDEX idx_t_lower_email ON t ((lower(email)));', 'CREATE INDEX idx_u_account_id ON u (account_id);']);
  });
  it('only an expression suggestion borrows the other suggestions\' equality columns', () => {
    // (a, c) serves the first branch; the second branch's sort on c alone starts at c, which (a, c) cannot
    const sql = '(SELECT id FROM t WHERE a = $1) UNION ALL (SELECT id FROM t ORDER BY c LIMIT 5)';
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_a_c ON t (a, c);`))).toEqual(['CREATE INDEX idx_t_c ON t (c);']);
  });
});

describe('filterServed(): equality on a whole unique key finds one row', () => {
  it('a unique key fully fixed needs nothing more; a partial, partly fixed or expression unique key does not count', () => {
    const sql = 'SELECT id FROM t WHERE email = $1 AND status = $2';
    expect(suggested(sql, schemaOf(`${T} CREATE UNIQUE INDEX t_email ON t (email);`))).toEqual([]);
    expect(suggested(sql, schemaOf(`${T} CREATE UNIQUE INDEX t_email ON t (email) WHERE deleted_at IS NULL;`))).toEqual(['CREATE INDEX idx_t_email_status ON t (email, status);']);
    expect(suggested(sql, schemaOf(`${T} CREATE UNIQUE INDEX t_email_a ON t (email, a);`))).toEqual(['CREATE INDEX idx_t_email_status ON t (email, status);']);
    expect(suggested(sql, schemaOf(`${T} CREATE UNIQUE INDEX t_email ON t (lower(email));`))).toEqual(['CREATE INDEX idx_t_email_status ON t (email, status);']);
    expect(suggested(sql, schemaOf(`${T} CREATE INDEX t_email ON t (email);`))).toEqual(['CREATE INDEX idx_t_email_status ON t (email, status);']);
  });
});

describe('missing-index: some index must start a search on the leading access path', () => {
  it('an index on the first equality column is enough; a residual equality is not reported', () => {
    const s = schemaOf(`${T} CREATE INDEX t_a ON t (a);`);
    expect(missing('SELECT id FROM t WHERE a = $1 AND b = $2', s)).toEqual([]);
    expect(missing('SELECT id FROM t WHERE c = $1 AND b = $2', s)).toEqual(['1:24-30 no index on t can serve c, b; add one: CREATE INDEX idx_t_c_b ON t (c, b);']);
  });
  it('a partial index whose condition the query does not repeat cannot start the search', () => {
    const s = schemaOf(`${T} CREATE INDEX t_a_open ON t (a) WHERE status = 'open';`);
    expect(missing('SELECT id FROM t WHERE a = $1 AND b = $2', s)).toEqual(['1:24-30 no index on t can serve a, b; add one: CREATE INDEX idx_t_a_b ON t (a, b);']);
    expect(missing("SELECT id FROM t WHERE a = $1 AND status = 'open' AND b = $2", s)).toEqual([]);
  });
  it('a GIN index with several keys serves @@ on any of them', () => {
    const sql = "SELECT id FROM t WHERE to_tsvector('english', email) @@ $1";
    expect(missing(sql, schemaOf(`${T} CREATE INDEX t_fts ON t USING gin (doc, to_tsvector('english', email));`))).toEqual([]);
  });
});
