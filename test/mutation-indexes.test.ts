import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { createIndex, onlineStatement, planIndexes } from '../src/indexes.js';
import { buildModel } from '../src/model/build.js';
import { parseText } from '../src/parse/index.js';
import { loadSchema, type Schema } from '../src/schema/index.js';

// Golden tests for src/indexes.ts (issue 19): the exact suggestions, their column order, reasons and
// roles, so that a one-token change in the index planner shows in a failing test (docs/mutation.md).

beforeAll(() => ready());

/** Each suggestion as `statement | reason; reason | role,role`. */
const plan = (sql: string, dialect: Dialect = 'postgresql') =>
  analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => `${i.statement} | ${i.reasons.join('; ')} | ${i.roles.join(',')}`));

describe('same-named tables in two schemas are two tables', () => {
  it('app.users and audit.users each get their own conditions (PostgreSQL, MySQL)', () => {
    const cases: Array<[Dialect, string]> = [
      ['postgresql', 'SELECT u.id FROM app.users u JOIN audit.users a ON a.user_id = u.id WHERE u.email = $1 AND a.actor = $2'],
      ['mysql', 'SELECT u.id FROM app.users u JOIN audit.users a ON a.user_id = u.id WHERE u.email = ? AND a.actor = ?'],
    ];
    for (const [dialect, sql] of cases) {
      expect(plan(sql, dialect)).toEqual([
        'CREATE INDEX idx_users_user_id_actor ON audit.users (user_id, actor); | join user_id =; filter actor = | eq,eq',
        'CREATE INDEX idx_users_email ON app.users (email); | filter email = | eq',
      ]);
    }
  });
  it('a join between them indexes the looked-up schema only', () => {
    // neither side is a key nor filtered: the JOIN brings in s2.t, which is looked up by ref
    expect(plan('SELECT 1 FROM s1.t a JOIN s2.t b ON b.ref = a.ref')).toEqual(['CREATE INDEX idx_t_ref ON s2.t (ref); | join ref = | eq']);
    expect(plan('SELECT 1 FROM s1.t a JOIN s2.t b ON a.ref = b.ref')).toEqual(['CREATE INDEX idx_t_ref ON s2.t (ref); | join ref = | eq']);
  });
  it('public.t and t are the same table in PostgreSQL: a self-join, each side its own index on t', () => {
    // a is filtered by a value (where the plan starts), so b is looked up by ref
    expect(plan('SELECT 1 FROM public.t a JOIN t b ON a.ref = b.ref WHERE a.x = $1')).toEqual(['CREATE INDEX idx_t_ref ON t (ref); | join ref = | eq', 'CREATE INDEX idx_t_x ON t (x); | filter x = | eq']);
  });
  it('with a schema, an expression key is completed only by equality columns of its own schema\'s table', () => {
    // (account_id, lower(email)) serves `lower(email) = $1 AND account_id = $2` on one table, not across s1.t and s2.t
    const schema = loadSchema([{ path: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, email text, account_id int); CREATE INDEX t_acc_email ON t (account_id, lower(email));' }], 'postgresql', {});
    const suggested = (sql: string) => analyze(sql, { schema }).statements.flatMap((s) => s.indexes.map((i) => i.statement));
    expect(suggested('SELECT 1 FROM s2.t b, s1.t a WHERE lower(a.email) = $1 AND b.account_id = $2')).toEqual(['CREATE INDEX idx_t_lower_email ON s1.t ((lower(email)));']);
    expect(suggested('SELECT 1 FROM s1.t a WHERE lower(a.email) = $1 AND a.account_id = $2')).toEqual([]);
  });
});

describe('MySQL names with a doubled backtick', () => {
  it('`a``b` is the column a`b, in the query model and in the schema, and its index quotes it back', () => {
    expect(plan('SELECT `q``r`.`a``b` FROM `t``x` AS `q``r` WHERE `q``r`.`a``b` = ? ORDER BY `c``d`', 'mysql')).toEqual(['CREATE INDEX idx_t_x_a_b_c_d ON `t``x` (`a``b`, `c``d`); | filter a`b =; sort c`d | eq,sort']);
    expect(plan('UPDATE t SET x = 1 WHERE `a``b` = ?', 'mariadb')).toEqual(['CREATE INDEX idx_t_a_b ON t (`a``b`); | filter a`b = | eq']);
    const schema = loadSchema([{ path: 's.sql', text: 'CREATE TABLE `t``x` (id int PRIMARY KEY, `a``b` int, c int); CREATE INDEX i ON `t``x` (`a``b`);' }], 'mysql', {});
    const t = schema.tables.get('t`x');
    expect(t?.columns.map((c) => c.name)).toEqual(['id', 'a`b', 'c']);
    expect(t?.indexes.find((i) => i.name === 'i')?.keys.map((k) => k.column)).toEqual(['a`b']);
    const r = analyze('SELECT `a``b` FROM `t``x` WHERE `a``b` = ? AND nope = 1', { dialect: 'mysql', schema, rules: { 'unknown-column': 'error' } });
    // the existing index serves the equality; only the misspelt column is unknown
    expect(r.statements.flatMap((s) => s.indexes)).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.start}-${d.end} ${d.message}`)).toEqual(['unknown-column 47-51 column nope is not in t`x']);
  });
});

describe('likePrefix: the typed mark --verify reads for its collation note', () => {
  const marks = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => `${i.statement} ${i.likePrefix ?? '-'}`));
  it('is set on the B-tree that serves a LIKE or SIMILAR TO prefix, and on nothing else', () => {
    expect(marks("SELECT id FROM t WHERE a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
    expect(marks("SELECT id FROM t WHERE a SIMILAR TO 'ab%'")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
    expect(marks("SELECT id FROM t WHERE b = $1 AND a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_b_a ON t (b, a); true']);
    expect(marks('SELECT id FROM t WHERE a > $1')).toEqual(['CREATE INDEX idx_t_a ON t (a); -']);
    expect(marks("SELECT id FROM t WHERE a LIKE '%ab%'")).toEqual(['CREATE INDEX idx_t_a_trgm ON t USING gin (a gin_trgm_ops); -']);
    // a second range column is left out of the index, and its LIKE with it
    expect(marks("SELECT id FROM t WHERE b > $1 AND a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_b ON t (b); -']);
    expect(marks("SELECT id FROM t WHERE a LIKE 'ab%' AND b > $1")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
  });
  it('survives a merge into a longer index of the same table', () => {
    // (a) from the subquery's LIKE prefix merges into (a, b): the host serves that LIKE with its first key
    expect(marks("SELECT id FROM t WHERE a = $1 AND b = $2 UNION SELECT id FROM t WHERE a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); true']);
  });
});

/** Every suggestion with its kind, extras and the text of its ranges, then every skipped index with its reason. */
function planned(sql: string, dialect: Dialect = 'postgresql', ddl?: string): string[] {
  const schema: Schema | undefined = ddl ? loadSchema([{ path: 's.sql', text: ddl }], dialect, {}) : undefined;
  const out: string[] = [];
  for (const st of parseText(sql, dialect).statements) {
    const model = buildModel(st, sql);
    if (!model) throw new Error(`no model for ${sql}`);
    const r = planIndexes(model, sql, dialect, schema);
    for (const x of r.suggestions) {
      const extras = [x.kind, ...(x.likePrefix ? ['likePrefix'] : []), ...(x.requires ?? []), ...(x.note ? ['note'] : []), ...(x.rewrite ? [x.rewrite] : [])].join(' ');
      out.push(`${x.statement} | ${x.reasons.join('; ')} | ${x.roles.join(',')} | ${extras} | ${x.ranges.map((g) => sql.slice(g.start, g.end)).join(' / ')}`);
    }
    for (const k of r.skipped) out.push(`skipped ${k.table}: ${k.what}: ${k.reason} @ ${sql.slice(k.range.start, k.range.end)}`);
  }
  return out;
}

const USERS = 'CREATE TABLE users (id int PRIMARY KEY, email text, org_id int, active boolean, deleted bool, n int); CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text); CREATE TABLE memberships (user_id int, org_id int, PRIMARY KEY (user_id, org_id));';

describe('join orientation: the side the plan looks up', () => {
  it('the side opposite a primary key (by the schema, or a column named id without one)', () => {
    expect(planned('SELECT 1 FROM orders o JOIN users u ON o.user_id = u.id WHERE o.status = $1')).toEqual(['CREATE INDEX idx_orders_user_id_status ON orders (user_id, status); | join user_id =; filter status = | eq,eq | btree | o.user_id = u.id / o.status = $1']);
    // a key of two columns is not a single-column key: memberships.user_id is looked up, and its key serves it
    expect(planned('SELECT 1 FROM orders o JOIN memberships m ON m.user_id = o.user_id', 'postgresql', USERS)).toEqual([]);
    // MySQL names are case-insensitive: the key column Code is c.code
    const codes = 'CREATE TABLE codes (Code varchar(10) PRIMARY KEY, label text); CREATE TABLE orders (id int PRIMARY KEY, status varchar(10));';
    expect(planned('SELECT 1 FROM orders o JOIN codes c ON c.code = o.status', 'mysql', codes)).toEqual(['CREATE INDEX idx_orders_status ON orders (status); | join status = | eq | btree | c.code = o.status']);
    expect(planned('SELECT 1 FROM orders o JOIN codes c ON c.CODE = o.status', 'mysql', codes.replace('Code', 'code'))).toEqual(['CREATE INDEX idx_orders_status ON orders (status); | join status = | eq | btree | c.CODE = o.status']);
    // without a schema, "ID" is a key too
    expect(planned('SELECT 1 FROM orders o JOIN users u ON o.user_id = u."ID"')).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id); | join user_id = | eq | btree | o.user_id = u."ID"']);
    // a unique index that is not the primary key is no key here: the JOIN's table is looked up (and its index serves it)
    const emails = 'CREATE TABLE users (id int PRIMARY KEY, email text); CREATE INDEX users_email ON users (email); CREATE TABLE orders (id int PRIMARY KEY, status text);';
    expect(planned('SELECT 1 FROM orders o JOIN users u ON u.email = o.status', 'postgresql', emails)).toEqual([]);
    // the primary key is found among the table's other indexes
    const keyed = 'CREATE TABLE users (id int PRIMARY KEY, email text); CREATE INDEX users_email ON users (email); CREATE TABLE orders (id int PRIMARY KEY, user_id int);';
    expect(planned('SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id', 'postgresql', keyed)).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id); | join user_id = | eq | btree | u.id = o.user_id']);
    // the other side unresolved (two tables, no qualifier): the qualified side is indexed
    expect(planned('SELECT 1 FROM a JOIN b ON a.id = ref WHERE a.k = $1')).toEqual(['CREATE INDEX idx_a_id_k ON a (id, k); | join id =; filter k = | eq,eq | btree | a.id = ref / a.k = $1']);
  });
  it('without keys: the side not filtered by a constant, else the table the JOIN brings in', () => {
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y WHERE a.k = $1')).toEqual(['CREATE INDEX idx_b_y ON b (y); | join y = | eq | btree | a.x = b.y', 'CREATE INDEX idx_a_k ON a (k); | filter k = | eq | btree | a.k = $1']);
    expect(planned('SELECT 1 FROM a JOIN b ON b.y = a.x WHERE b.k = $1')).toEqual(['CREATE INDEX idx_a_x ON a (x); | join x = | eq | btree | b.y = a.x', 'CREATE INDEX idx_b_k ON b (k); | filter k = | eq | btree | b.k = $1']);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y WHERE b.k = $1')).toEqual(['CREATE INDEX idx_a_x ON a (x); | join x = | eq | btree | a.x = b.y', 'CREATE INDEX idx_b_k ON b (k); | filter k = | eq | btree | b.k = $1']);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y WHERE a.k = $1 AND b.k = $2')).toEqual(['CREATE INDEX idx_b_y_k ON b (y, k); | join y =; filter k = | eq,eq | btree | a.x = b.y / b.k = $2', 'CREATE INDEX idx_a_k ON a (k); | filter k = | eq | btree | a.k = $1']);
    // only a sargable WHERE filter by a value marks a table as filtered: not one in ON, on an expression, or by a column
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y AND b.k = 1')).toEqual(['CREATE INDEX idx_b_y_k ON b (y, k); | join y =; filter k = | eq,eq | btree | a.x = b.y / b.k = 1']);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y WHERE lower(b.k) = $1')).toEqual(['CREATE INDEX idx_b_y ON b (y); | join y = | eq | btree | a.x = b.y', 'CREATE INDEX idx_b_lower_k ON b ((lower(k))); | lower(k) = ... | eq | expression | lower(b.k) = $1']);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y WHERE a.k = b.k')).toEqual(['CREATE INDEX idx_b_y ON b (y); | join y = | eq | btree | a.x = b.y', 'CREATE INDEX idx_a_k ON a (k); | join k = | eq | btree | a.k = b.k']);
    // a self-join: two references to one table, oriented like any join; each side's conditions stay its own
    expect(planned('SELECT 1 FROM t a JOIN t b ON a.parent = b.code')).toEqual(['CREATE INDEX idx_t_code ON t (code); | join code = | eq | btree | a.parent = b.code']);
    expect(planned('SELECT c.id FROM cat c JOIN cat p ON p.id = c.parent_id WHERE p.slug = $1 AND c.visible = true ORDER BY c.name')).toEqual([
      'CREATE INDEX idx_cat_parent_id_visible ON cat (parent_id, visible); | join parent_id =; filter visible = | eq,eq | btree | p.id = c.parent_id / c.visible = true',
      'CREATE INDEX idx_cat_slug ON cat (slug); | filter slug = | eq | btree | p.slug = $1',
    ]);
    expect(planned('SELECT 1 FROM t a, t b WHERE a.k = $1 AND b.k = $2')).toEqual(['CREATE INDEX idx_t_k ON t (k); | filter k = | eq | btree | a.k = $1 / b.k = $2']);
    expect(planned('SELECT 1 FROM a JOIN b ON b.y = a.x')).toEqual(['CREATE INDEX idx_b_y ON b (y); | join y = | eq | btree | b.y = a.x']);
    expect(planned('SELECT 1 FROM a, b WHERE a.x = b.y')).toEqual(['CREATE INDEX idx_a_x ON a (x); | join x = | eq | btree | a.x = b.y']);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x = b.y JOIN c ON c.z = b.y')).toEqual(['CREATE INDEX idx_b_y ON b (y); | join y = | eq | btree | a.x = b.y', 'CREATE INDEX idx_c_z ON c (z); | join z = | eq | btree | c.z = b.y']);
  });
  it('only a plain equality between two tables of the block is a join', () => {
    expect(planned('SELECT 1 FROM a JOIN b ON lower(a.x) = b.y')).toEqual([]);
    expect(planned('SELECT 1 FROM a JOIN b ON a.x > b.y')).toEqual(['CREATE INDEX idx_a_x ON a (x); | range x > | range | btree | a.x > b.y']);
    // a correlated column is a value for the subquery: u.c is filtered, not joined
    expect(planned('SELECT 1 FROM t WHERE a = (SELECT max(b) FROM u WHERE u.c = t.d)')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = (SELECT max(b) FROM u WHERE u.c = t.d)', 'CREATE INDEX idx_u_c ON u (c); | filter c = | eq | btree | u.c = t.d']);
  });
});

describe('B-tree keys: equality, then sort, then one range column', () => {
  it('IS NULL and IN are equalities, BETWEEN a range; IS NOT NULL and <> add nothing', () => {
    expect(planned('SELECT 1 FROM t WHERE a IS NULL AND b IS NOT NULL AND c IN ($1, $2) AND d <> $3 AND e BETWEEN $4 AND $5')).toEqual(['CREATE INDEX idx_t_a_c_e ON t (a, c, e); | filter a IS NULL; filter c IN; range e BETWEEN | eq,eq,range | btree | a IS NULL / c IN ($1, $2) / e BETWEEN $4 AND $5']);
  });
  it('a LIKE prefix is a range, marked for --verify', () => {
    expect(planned("SELECT 1 FROM t WHERE a LIKE 'ab%'")).toEqual(["CREATE INDEX idx_t_a ON t (a); | range a LIKE | range | btree likePrefix | a LIKE 'ab%'"]);
    expect(planned("SELECT 1 FROM t WHERE b = $1 AND a SIMILAR TO 'ab%'")).toEqual(["CREATE INDEX idx_t_b_a ON t (b, a); | filter b =; range a SIMILAR TO | eq,range | btree likePrefix | b = $1 / a SIMILAR TO 'ab%'"]);
  });
  it('each column once, and the first range column only', () => {
    expect(planned('SELECT 1 FROM t WHERE a = $1 AND a = $2 AND b > $3 AND b < $4 AND c > $5')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a =; range b > | eq,range | btree | a = $1 / b > $3']);
    expect(planned('SELECT 1 FROM t WHERE a > $1 AND a = $2')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $2']);
  });
  it('sort columns after the equalities with their direction, before the range', () => {
    expect(planned('SELECT 1 FROM t WHERE a > $1 AND b = $2 ORDER BY c DESC, d')).toEqual(['CREATE INDEX idx_t_b_c_d_a ON t (b, c DESC, d, a); | filter b =; sort c; sort d; range a > | eq,sort,sort,range | btree | b = $2 / c / d / a > $1']);
    expect(planned('SELECT 1 FROM t WHERE a > $1 ORDER BY a')).toEqual(['CREATE INDEX idx_t_a ON t (a); | sort a | sort | btree | a']);
    expect(planned('SELECT 1 FROM t WHERE a = $1 ORDER BY a, b')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a =; sort b | eq,sort | btree | a = $1 / b']);
    expect(planned('SELECT 1 FROM t ORDER BY a ASC')).toEqual(['CREATE INDEX idx_t_a ON t (a); | sort a | sort | btree | a']);
  });
  it('no sort columns when an ORDER BY item is not a plain column of the one table', () => {
    expect(planned('SELECT 1 FROM t WHERE a = $1 ORDER BY b, lower(c)')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
    expect(planned('SELECT 1 FROM t JOIN u ON u.tid = t.id WHERE t.a = $1 ORDER BY t.b')).toEqual(['CREATE INDEX idx_u_tid ON u (tid); | join tid = | eq | btree | u.tid = t.id', 'CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | t.a = $1']);
    expect(planned('SELECT a AS x FROM t WHERE a = $1 ORDER BY x')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
    // the outer query's column orders nothing in the subquery, even on the same table
    expect(planned('SELECT 1 FROM t o WHERE EXISTS (SELECT 1 FROM t i WHERE i.a = $1 ORDER BY o.b)')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | i.a = $1']);
    expect(planned('SELECT 1 FROM t WHERE a = $1 ORDER BY ctid')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
  });
  it('an index on id alone is the primary key\'s; with the key, id is one column among others', () => {
    expect(planned('SELECT 1 FROM t WHERE id = $1')).toEqual([]);
    expect(planned('SELECT 1 FROM t WHERE id = $1 AND a = $2')).toEqual(['CREATE INDEX idx_t_id_a ON t (id, a); | filter id =; filter a = | eq,eq | btree | id = $1 / a = $2']);
    expect(planned('SELECT 1 FROM t WHERE ref = $1')).toEqual(['CREATE INDEX idx_t_ref ON t (ref); | filter ref = | eq | btree | ref = $1']);
    // a schema that gives the table no primary key: id is an ordinary column
    expect(planned('SELECT 1 FROM t WHERE id = $1', 'postgresql', 'CREATE TABLE t (id int, a int);')).toEqual(['CREATE INDEX idx_t_id ON t (id); | filter id = | eq | btree | id = $1']);
  });
  it('boolean columns alone are skipped with the reason; with another column they are kept', () => {
    expect(planned('SELECT 1 FROM users WHERE active = true AND deleted = false', 'postgresql', USERS)).toEqual(['skipped users: an index on active, deleted: boolean columns alone are not selective @ active = true']);
    expect(planned('SELECT 1 FROM users WHERE active = true AND n = $1', 'postgresql', USERS)).toEqual(['CREATE INDEX idx_users_active_n ON users (active, n); | filter active =; filter n = | eq,eq | btree | active = true / n = $1']);
    expect(planned('SELECT 1 FROM users WHERE Active = true AND deleted = false', 'mysql', 'CREATE TABLE users (id int PRIMARY KEY, ACTIVE boolean, deleted boolean);')).toEqual(['skipped users: an index on `Active`, deleted: boolean columns alone are not selective @ Active = true']);
    expect(planned('SELECT 1 FROM users WHERE n = $1', 'postgresql', USERS)).toEqual(['CREATE INDEX idx_users_n ON users (n); | filter n = | eq | btree | n = $1']);
  });
  it('a table the schema knows without its columns (MySQL CREATE TABLE ... LIKE) takes any column', () => {
    const like = 'CREATE TABLE s (id int PRIMARY KEY, a int); CREATE TABLE t LIKE s;';
    expect(planned('SELECT 1 FROM t WHERE body = ?', 'mysql', like)).toEqual(['CREATE INDEX idx_t_body ON t (body); | filter body = | eq | btree | body = ?']);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'mysql', like)).toEqual(["CREATE FULLTEXT INDEX idx_t_body_ft ON t (body); | LIKE '%...%' searches words: FULLTEXT | eq | fulltext note MATCH (body) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*' | body LIKE '%word%'"]);
  });
  it('columns and tables that cannot be indexed are skipped with the reason', () => {
    expect(planned('SELECT 1 FROM users WHERE nope = $1 AND n = $2', 'postgresql', USERS)).toEqual(['CREATE INDEX idx_users_n ON users (n); | filter n = | eq | btree | n = $2', 'skipped users: nope: users has no column nope @ nope = $1']);
    expect(planned('SELECT 1 FROM users WHERE ctid = $1')).toEqual(['skipped users: ctid: ctid is a system column @ ctid = $1']);
    expect(planned('SELECT 1 FROM pg_catalog.pg_class WHERE relname = $1')).toEqual(['skipped pg_class: an index: pg_catalog.pg_class is a system catalog @ pg_catalog.pg_class']);
    expect(planned('SELECT 1 FROM schema_migrations WHERE version = $1')).toEqual(['skipped schema_migrations: an index: schema_migrations is a system or bookkeeping table @ schema_migrations']);
    // a CTE is no table, whatever its name
    expect(planned('WITH schema_migrations AS (SELECT 1 AS a) SELECT * FROM schema_migrations WHERE a = 1')).toEqual([]);
    // a template hole for the table name: nothing to index, nothing to say
    expect(planned('SELECT 1 FROM __sqlperf_p0 WHERE a = $1')).toEqual([]);
    // BigQuery has no CREATE INDEX: its parser rejects every statement, which is never printed
    expect(planned('SELECT 1 FROM t WHERE a = 1', 'bigquery')).toEqual(['skipped t: CREATE INDEX idx_t_a ON t (a);: the dialect\'s parser rejects it (syntax error at or near "I") @ a = 1']);
    // with a schema, a table it does not have gets nothing (unknown-table reports it)
    expect(planned('SELECT 1 FROM nope WHERE a = $1', 'postgresql', USERS)).toEqual([]);
  });
  it('conditions under OR or NOT, HAVING, and a DML target', () => {
    expect(planned('SELECT 1 FROM t WHERE a = $1 OR b = $2')).toEqual([]);
    expect(planned('SELECT 1 FROM t WHERE NOT a = $1')).toEqual([]);
    expect(planned('SELECT a FROM t GROUP BY a HAVING a = 1')).toEqual([]);
    expect(planned('UPDATE t SET a = 1 WHERE b = $1')).toEqual(['CREATE INDEX idx_t_b ON t (b); | filter b = | eq | btree | b = $1']);
    expect(planned('DELETE FROM t WHERE b = $1 AND c < $2')).toEqual(['CREATE INDEX idx_t_b_c ON t (b, c); | filter b =; range c < | eq,range | btree | b = $1 / c < $2']);
    expect(planned('SELECT 1 FROM t WHERE random() > a')).toEqual(['CREATE INDEX idx_t_a ON t (a); | range a < | range | btree | random() > a']);
  });
});

describe('GIN, trigram, FULLTEXT, row and expression keys', () => {
  const TRGM = 'CREATE EXTENSION IF NOT EXISTS pg_trgm; note';
  it('GIN for containment, key-exists, overlap and full-text operators (PostgreSQL), the first one per table', () => {
    expect(planned('SELECT 1 FROM t WHERE doc @> $1 AND tags && $2 AND a = $3')).toEqual(['CREATE INDEX idx_t_doc_gin ON t USING gin (doc); | @> needs GIN | eq | gin | doc @> $1', 'CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $3']);
    expect(planned("SELECT 1 FROM t WHERE to_tsvector('english', body) @@ $1")).toEqual(["CREATE INDEX idx_t_to_tsvector_english_body_gin ON t USING gin ((to_tsvector('english', body))); | @@ needs GIN | eq | gin | to_tsvector('english', body) @@ $1"]);
    expect(planned("SELECT 1 FROM t WHERE doc ? 'k'")).toEqual(["CREATE INDEX idx_t_doc_gin ON t USING gin (doc); | ? needs GIN | eq | gin | doc ? 'k'"]);
    expect(planned('SELECT 1 FROM t JOIN u ON t.doc @> u.doc')).toEqual([]);
    expect(planned('SELECT 1 FROM t WHERE ctid @> $1')).toEqual(['skipped t: ctid: ctid is a system column @ ctid @> $1']);
    expect(planned('SELECT 1 FROM t WHERE f(x) @> $1')).toEqual(['skipped t: a GIN index for @>: f() is not known to be IMMUTABLE @ f(x) @> $1']);
  });
  it('a trigram index for a leading wildcard (PostgreSQL), on lower/upper(col) when the query lowers it', () => {
    expect(planned("SELECT 1 FROM t WHERE name LIKE '%x%'")).toEqual([`CREATE INDEX idx_t_name_trgm ON t USING gin (name gin_trgm_ops); | LIKE with a leading wildcard needs a trigram index | eq | trigram ${TRGM} | name LIKE '%x%'`]);
    expect(planned("SELECT 1 FROM t WHERE name ILIKE '%' || $1 || '%'")).toEqual([`CREATE INDEX idx_t_name_trgm ON t USING gin (name gin_trgm_ops); | ILIKE with a leading wildcard needs a trigram index | eq | trigram ${TRGM} | name ILIKE '%' || $1 || '%'`]);
    expect(planned("SELECT 1 FROM t WHERE lower(name) LIKE '%x%'")).toEqual([`CREATE INDEX idx_t_lower_name_trgm ON t USING gin ((lower(name)) gin_trgm_ops); | LIKE with a leading wildcard needs a trigram index | eq | trigram ${TRGM} | lower(name) LIKE '%x%'`]);
    expect(planned("SELECT 1 FROM t WHERE upper(name) ~~* '%x%'")).toEqual([`CREATE INDEX idx_t_upper_name_trgm ON t USING gin ((upper(name)) gin_trgm_ops); | ~~* with a leading wildcard needs a trigram index | eq | trigram ${TRGM} | upper(name) ~~* '%x%'`]);
    expect(planned("SELECT 1 FROM t WHERE name ~~ '%x%' AND title LIKE '%y%'")).toEqual([`CREATE INDEX idx_t_name_trgm ON t USING gin (name gin_trgm_ops); | ~~ with a leading wildcard needs a trigram index | eq | trigram ${TRGM} | name ~~ '%x%'`]);
    // only a pattern that certainly starts with a wildcard is said to
    const reasonOf = (where: string) => planned(`SELECT 1 FROM t WHERE ${where}`)[0]!.split(' | ')[1];
    expect(reasonOf("name ILIKE 'x%'")).toBe('ILIKE ignores case, which a B-tree on the column cannot serve: a trigram index can');
    expect(reasonOf('lower(name) LIKE $1')).toBe('LIKE on lower(name), not on the bare column: a trigram index on the expression serves it');
    // fixed leading text on an expression: a B-tree on the expression serves it as a range, like a prefix on the column
    expect(planned("SELECT 1 FROM t WHERE lower(name) LIKE 'x%'")).toEqual(["CREATE INDEX idx_t_lower_name ON t ((lower(name))); | lower(name) LIKE ... | eq | expression likePrefix | lower(name) LIKE 'x%'"]);
    expect(planned("SELECT 1 FROM t WHERE trim(name) ~~ 'x_%'")).toEqual(["CREATE INDEX idx_t_btrim_name ON t ((btrim(name))); | btrim(name) ~~ ... | eq | expression likePrefix | trim(name) ~~ 'x_%'"]);
    expect(reasonOf("lower(name) ILIKE 'x%'")).toBe('ILIKE ignores case, which a B-tree on the column cannot serve: a trigram index can');
    expect(reasonOf("lower(name) LIKE '_x%'")).toBe('LIKE with a leading wildcard needs a trigram index');
    expect(planned("SELECT 1 FROM t WHERE lower(name) LIKE 'x%'", 'sqlite')).toEqual([]);
    expect(reasonOf('name LIKE $1')).toBe('LIKE with a pattern not known to start with fixed text needs a trigram index');
    expect(reasonOf("name LIKE 'x%'")).toBe('range name LIKE');
    for (const where of ["trim(name) LIKE '%x%'", "lower(name::text) LIKE '%x%'", "lower(a || b) LIKE '%x%'", "lower(name, 'x') LIKE '%x%'", "name NOT LIKE '%x%'", "name SIMILAR TO '%x%'"]) expect(planned(`SELECT 1 FROM t WHERE ${where}`)).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE name LIKE '%x%'", 'mysql')).toEqual([]);
    expect(planned('SELECT 1 FROM t JOIN u ON t.name LIKE u.pattern')).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE xmin LIKE '%x%'")).toEqual(['skipped t: xmin: xmin is a system column @ xmin LIKE \'%x%\'']);
  });
  it('FULLTEXT for a word search in MySQL and MariaDB, with the MATCH rewrite', () => {
    const ft = (c: string, at: string) => `CREATE FULLTEXT INDEX idx_t_${c}_ft ON t (${c}); | LIKE '%...%' searches words: FULLTEXT | eq | fulltext note MATCH (${c}) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*' | ${at}`;
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'mysql')).toEqual([ft('body', "body LIKE '%word%'")]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%wörd%'", 'mysql')).toEqual([ft('body', "body LIKE '%wörd%'")]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE CONCAT('%', ?, '%')", 'mariadb')).toEqual([ft('body', "body LIKE CONCAT('%', ?, '%')")]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE CONCAT('%', CONCAT(?, '%'))", 'mysql')).toEqual([ft('body', "body LIKE CONCAT('%', CONCAT(?, '%'))")]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%' AND note LIKE '%more%'", 'mysql')).toEqual([ft('body', "body LIKE '%word%'")]);
    // not a word search: short, several words, a suffix or prefix search, no trailing %, a function, another dialect
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%abc%'", 'mysql')).toEqual([ft('body', "body LIKE '%abc%'")]);
    expect(planned("SELECT 1 FROM t WHERE ctid LIKE '%word%'", 'mysql')).toEqual(["skipped t: ctid: ctid is a system column @ ctid LIKE '%word%'"]);
    expect(planned("SELECT 1 FROM t WHERE nope LIKE '%word%'", 'mysql', 'CREATE TABLE t (id int PRIMARY KEY, body text);')).toEqual(["skipped t: nope: t has no column nope @ nope LIKE '%word%'"]);
    for (const where of ["body LIKE '%wo%'", "body LIKE '%two words%'", "body LIKE '%word%more%'", "body LIKE '%a%word%'", "body RLIKE '%word%'", "body LIKE '%' || ? || '%'", "body LIKE '%word'", "body LIKE CONCAT('%', ?)", "body LIKE CONCAT('%', ?, 'x')", "body LIKE CONCAT('%', ?, 'x%y')", "body LIKE CONCAT('%', ?, LOWER('X%'))", "body LIKE CONCAT(?, '%')", "body LIKE CONCAT()", "lower(body) LIKE '%word%'", "body NOT LIKE '%word%'"]) expect(planned(`SELECT 1 FROM t WHERE ${where}`, 'mysql')).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'sqlite')).toEqual([]);
    // only CHAR, VARCHAR and TEXT columns
    const ddl = 'CREATE TABLE t (id int PRIMARY KEY, body int, note varchar(10), doc mediumtext);';
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'mysql', ddl)).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE note LIKE '%word%'", 'mysql', ddl)).toEqual([ft('note', "note LIKE '%word%'")]);
    expect(planned("SELECT 1 FROM t WHERE doc LIKE '%word%'", 'mysql', ddl)).toEqual([ft('doc', "doc LIKE '%word%'")]);
    // MySQL column names are case-insensitive: Body is body
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'mysql', 'CREATE TABLE t (id int PRIMARY KEY, Body int);')).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE Body LIKE '%word%'", 'mysql', 'CREATE TABLE t (id int PRIMARY KEY, body int);')).toEqual([]);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%'", 'mysql', 'CREATE TABLE t (id int PRIMARY KEY, Body text);')).toEqual([ft('body', "body LIKE '%word%'")]);
  });
  it('a row equality or IN is an equality on each of its columns', () => {
    expect(planned('SELECT 1 FROM t WHERE (a, b) = ($1, $2)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a (row =); filter b (row =) | eq,eq | btree | (a, b) = ($1, $2) / (a, b) = ($1, $2)']);
    expect(planned('SELECT 1 FROM t WHERE (a, b) IN (($1, $2), ($3, $4)) AND c > $5')).toEqual(['CREATE INDEX idx_t_a_b_c ON t (a, b, c); | filter a (row IN); filter b (row IN); range c > | eq,eq,range | btree | (a, b) IN (($1, $2), ($3, $4)) / (a, b) IN (($1, $2), ($3, $4)) / c > $5']);
    expect(planned('SELECT 1 FROM t WHERE (a, b) = ($1, $2) AND a = $3')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a (row =); filter b (row =) | eq,eq | btree | (a, b) = ($1, $2) / (a, b) = ($1, $2)']);
    // an array is not a row
    expect(planned('SELECT 1 FROM t WHERE ARRAY[a, b] = $1')).toEqual(['skipped t: an expression index: array is not supported in an index expression @ [a, b] = $1']);
    expect(planned('SELECT 1 FROM t WHERE (a, b) > ($1, $2)')).toEqual(['skipped t: an expression index: a row constructor is not an index key (index its columns instead) @ (a, b) > ($1, $2)']);
    expect(planned('SELECT 1 FROM t WHERE (a, lower(b)) = ($1, $2)')).toEqual(['skipped t: an expression index: a row constructor is not an index key (index its columns instead) @ (a, lower(b)) = ($1, $2)']);
    expect(planned('SELECT 1 FROM t WHERE (a, ctid) = ($1, $2)')).toEqual(['skipped t: an expression index: a row constructor is not an index key (index its columns instead) @ (a, ctid) = ($1, $2)']);
    expect(planned('SELECT 1 FROM t JOIN u ON (t.a, t.b) = (u.a, u.b)')).toEqual([]);
    // a row over two tables is no key of either, nor over the same table's inner and outer rows
    expect(planned('SELECT 1 FROM t o WHERE EXISTS (SELECT 1 FROM t i WHERE (i.a, o.b) = ($1, $2))')).toEqual(['skipped t: an expression index: a row constructor is not an index key (index its columns instead) @ (i.a, o.b) = ($1, $2)']);
    expect(planned('SELECT 1 FROM t JOIN u ON u.id = t.uid WHERE (t.a, u.b) = ($1, $2)')).toEqual(['CREATE INDEX idx_t_uid ON t (uid); | join uid = | eq | btree | u.id = t.uid', 'skipped t: an expression index: a row constructor is not an index key (index its columns instead) @ (t.a, u.b) = ($1, $2)']);
  });
  it('an expression index for a function compared with a value, where the dialect has them; the first one per table', () => {
    expect(planned('SELECT 1 FROM t WHERE lower(email) = $1 AND upper(name) = $2')).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email))); | lower(email) = ... | eq | expression | lower(email) = $1']);
    expect(planned('SELECT 1 FROM t WHERE lower(email) IN ($1, $2)')).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email))); | lower(email) IN ... | eq | expression | lower(email) IN ($1, $2)']);
    expect(planned('SELECT 1 FROM t WHERE abs(n) > $1')).toEqual(['CREATE INDEX idx_t_abs_n ON t ((abs(n))); | abs(n) > ... | eq | expression | abs(n) > $1']);
    expect(planned('SELECT 1 FROM t WHERE lower(email) = ?', 'sqlite')).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email))); | lower(email) = ... | eq | expression | lower(email) = ?']);
    expect(planned('SELECT 1 FROM t WHERE lower(email) = ?', 'mysql')).toEqual(['CREATE INDEX idx_t_lower_email ON t ((lower(email))); | lower(email) = ... | eq | expression | lower(email) = ?']);
    expect(planned('SELECT 1 FROM t WHERE lower(email) = ?', 'mariadb')).toEqual([]);
    expect(planned('SELECT 1 FROM t WHERE lower(email) <> $1')).toEqual([]);
    expect(planned('SELECT 1 FROM t JOIN u ON lower(t.e) = lower(u.e)')).toEqual([]);
    expect(planned('SELECT 1 FROM t WHERE date(created_at) > $1')).toEqual(['skipped t: an expression index: date() is not known to be IMMUTABLE @ date(created_at) > $1']);
  });
});

describe('suggestions across blocks: merged by prefix, kept apart by kind', () => {
  it('a prefix of a longer index of the same kind merges into it, with its places; others stay', () => {
    expect(planned('SELECT 1 FROM t WHERE a = $1 UNION ALL SELECT 1 FROM t WHERE a = $2 AND b = $3')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a =; filter b = | eq,eq | btree | a = $2 / b = $3 / a = $1']);
    expect(planned('SELECT 1 FROM t WHERE a = $1 UNION ALL SELECT 1 FROM t WHERE b = $2 AND a = $3')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1', 'CREATE INDEX idx_t_b_a ON t (b, a); | filter b =; filter a = | eq,eq | btree | b = $2 / a = $3']);
    expect(planned('SELECT 1 FROM t WHERE a = $1 UNION ALL (SELECT 1 FROM t WHERE a = $2 ORDER BY b DESC)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b DESC); | filter a =; sort b | eq,sort | btree | a = $2 / b / a = $1']);
    expect(planned('(SELECT 1 FROM t WHERE a = $2 ORDER BY b) UNION ALL (SELECT 1 FROM t WHERE a = $1 ORDER BY a, b DESC)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); | filter a =; sort b | eq,sort | btree | a = $2 / b / a = $1 / b']);
    expect(planned("SELECT 1 FROM t WHERE name LIKE '%x%' UNION ALL SELECT 1 FROM t WHERE name = $1")).toEqual([
      "CREATE INDEX idx_t_name_trgm ON t USING gin (name gin_trgm_ops); | LIKE with a leading wildcard needs a trigram index | eq | trigram CREATE EXTENSION IF NOT EXISTS pg_trgm; note | name LIKE '%x%'",
      'CREATE INDEX idx_t_name ON t (name); | filter name = | eq | btree | name = $1',
    ]);
    expect(planned('SELECT 1 FROM t WHERE doc @> $1 UNION ALL SELECT 1 FROM t WHERE doc @> $2 AND a = $3')).toEqual(['CREATE INDEX idx_t_doc_gin ON t USING gin (doc); | @> needs GIN | eq | gin | doc @> $1 / doc @> $2', 'CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $3']);
    expect(planned('(SELECT 1 FROM t WHERE a = $1 ORDER BY a, b DESC) UNION ALL (SELECT 1 FROM t WHERE a = $2 ORDER BY b)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b DESC); | filter a =; sort b | eq,sort | btree | a = $1 / b / a = $2 / b']);
    // every key of the shorter one, in order: (a, d) is no prefix of (a, b, c)
    expect(planned('SELECT 1 FROM t WHERE a = $1 AND b = $2 AND c = $3 UNION ALL SELECT 1 FROM t WHERE a = $4 AND d = $5')).toEqual(['CREATE INDEX idx_t_a_b_c ON t (a, b, c); | filter a =; filter b =; filter c = | eq,eq,eq | btree | a = $1 / b = $2 / c = $3', 'CREATE INDEX idx_t_a_d ON t (a, d); | filter a =; filter d = | eq,eq | btree | a = $4 / d = $5']);
    // a key's direction does not matter for the prefix, on either side
    expect(planned('(SELECT 1 FROM t WHERE a = $1 ORDER BY b DESC) UNION ALL (SELECT 1 FROM t WHERE a = $2 AND b = $3 AND c = $4)')).toEqual(['CREATE INDEX idx_t_a_b_c ON t (a, b, c); | filter a =; filter b =; filter c = | eq,eq,eq | btree | a = $2 / b = $3 / c = $4 / a = $1 / b']);
    expect(planned('(SELECT 1 FROM t WHERE a = $1 ORDER BY b DESC, c) UNION ALL (SELECT 1 FROM t WHERE a = $2 AND b = $3)')).toEqual(['CREATE INDEX idx_t_a_b_c ON t (a, b DESC, c); | filter a =; sort b; sort c | eq,sort,sort | btree | a = $1 / b / c / a = $2 / b = $3']);
    // one name, one index: "A" and a would both be idx_t_a, so the second query's places join the first
    expect(planned('SELECT 1 FROM t WHERE "A" = $1 UNION ALL SELECT 1 FROM t WHERE a = $2')).toEqual(['CREATE INDEX idx_t_a ON t ("A"); | filter A = | eq | btree | "A" = $1 / a = $2']);
    // a GIN and a B-tree on the same column are two indexes
    expect(planned('SELECT 1 FROM t WHERE doc @> $1 UNION ALL SELECT 1 FROM t WHERE doc = $2')).toEqual(['CREATE INDEX idx_t_doc_gin ON t USING gin (doc); | @> needs GIN | eq | gin | doc @> $1', 'CREATE INDEX idx_t_doc ON t (doc); | filter doc = | eq | btree | doc = $2']);
    expect(planned("SELECT 1 FROM t WHERE body LIKE '%word%' UNION ALL SELECT 1 FROM t WHERE body LIKE '%more%'", 'mysql')).toEqual([
      "CREATE FULLTEXT INDEX idx_t_body_ft ON t (body); | LIKE '%...%' searches words: FULLTEXT | eq | fulltext note MATCH (body) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*' | body LIKE '%word%' / body LIKE '%more%'",
    ]);
    expect(planned('SELECT 1 FROM t WHERE lower(e) = $1 UNION ALL SELECT 1 FROM t WHERE lower(e) = $2')).toEqual(['CREATE INDEX idx_t_lower_e ON t ((lower(e))); | lower(e) = ... | eq | expression | lower(e) = $1 / lower(e) = $2']);
    expect(planned('SELECT 1 FROM s.t WHERE a = $1 UNION ALL SELECT 1 FROM t WHERE a = $2 AND b = $3')).toEqual(['CREATE INDEX idx_t_a ON s.t (a); | filter a = | eq | btree | a = $1', 'CREATE INDEX idx_t_a_b ON t (a, b); | filter a =; filter b = | eq,eq | btree | a = $2 / b = $3']);
  });
  it('CTEs and derived tables: the real table inside them', () => {
    expect(planned('WITH c AS (SELECT * FROM t WHERE a = $1) SELECT * FROM c WHERE b = $2')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
    expect(planned('SELECT * FROM (SELECT * FROM t WHERE a = $1) s WHERE s.b = $2')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
  });
  it('names are quoted for each dialect', () => {
    expect(planned('SELECT 1 FROM "My Table" WHERE "Col" = $1 ORDER BY "select"')).toEqual(['CREATE INDEX idx_my_table_col_select ON "My Table" ("Col", "select"); | filter Col =; sort select | eq,sort | btree | "Col" = $1 / "select"']);
    expect(planned('SELECT 1 FROM `My Table` WHERE `Col` = ? ORDER BY `select`', 'mysql')).toEqual(['CREATE INDEX idx_my_table_col_select ON `My Table` (`Col`, `select`); | filter Col =; sort select | eq,sort | btree | `Col` = ? / `select`']);
    expect(planned('SELECT 1 FROM [My Table] WHERE [Col] = @p ORDER BY [select] DESC', 'transactsql')).toEqual(['CREATE INDEX idx_my_table_col_select ON [My Table] ([Col], [select] DESC); | filter Col =; sort select | eq,sort | btree | [Col] = @p / [select]']);
    expect(planned('SELECT 1 FROM public.t WHERE a = $1')).toEqual(['CREATE INDEX idx_t_a ON t (a); | filter a = | eq | btree | a = $1']);
  });
});

describe('statements for other callers', () => {
  it('onlineStatement: the form a migration on a live database needs', () => {
    expect(onlineStatement({ table: 't', schema: 'app', name: 'idx_t_a', columns: ['a', 'b DESC'], kind: 'btree' }, 'postgresql')).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_a ON app.t (a, b DESC);');
    expect(onlineStatement({ table: 't', schema: null, name: 'idx_t_doc_gin', columns: ['doc'], kind: 'gin' }, 'postgresql')).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_doc_gin ON t USING gin (doc);');
    expect(onlineStatement({ table: 't', schema: null, name: 'idx_t_ft', columns: ['body'], kind: 'fulltext' }, 'mysql')).toBe('ALTER TABLE t ADD FULLTEXT INDEX idx_t_ft (body), ALGORITHM=INPLACE, LOCK=SHARED;');
  });
  it('createIndex: each column is a name, quoted for the dialect (a foreign key\'s columns)', () => {
    expect(createIndex('orders', null, ['user_id', 'Created At'], 'postgresql')).toBe('CREATE INDEX idx_orders_user_id_created_at ON orders (user_id, "Created At");');
    expect(createIndex('orders', 'public', ['Mixed', 'a"b', 'n'], 'postgresql')).toBe('CREATE INDEX idx_orders_mixed_a_b_n ON orders ("Mixed", "a""b", n);');
    expect(createIndex('orders', 'app', ['select', 'x y'], 'mysql')).toBe('CREATE INDEX idx_orders_select_x_y ON app.orders (`select`, `x y`);');
  });
});
