import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { sqlPlan, mergeAcross } from '../src/cli/commands/indexes.js';
import type { Dialect } from '../src/dialect.js';
import { planIndexes } from '../src/indexes.js';
import { parseNsp } from '../src/parse/nsp.js';
import { parsePg } from '../src/parse/pg.js';
import { loadSchema } from '../src/schema/index.js';
import type { Schema } from '../src/schema/types.js';

beforeAll(() => ready());

/** Every statement in `sql` as the dialect's own parser reads it: the node type of each. */
function statementsOf(sql: string, dialect: Dialect): string[] {
  if (dialect === 'postgresql') {
    const r = parsePg(sql);
    if (!r.ok) throw new Error(`${r.message}: ${sql}`);
    return r.stmts.map((s) => Object.keys(s.stmt)[0]!);
  }
  const r = parseNsp(sql, dialect as Exclude<Dialect, 'postgresql'>, undefined);
  if (!r.ok) throw new Error(`${r.message}: ${sql}`);
  return r.asts.map((a) => `${String(a.type)}:${String(a.keyword ?? '')}`);
}

/** The printed statements, each checked to be exactly one CREATE INDEX for the dialect's parser. */
function indexes(sql: string, dialect: Dialect = 'postgresql', schema?: Schema): string[] {
  const out = analyze(sql, { dialect, ...(schema ? { schema } : {}) }).statements.flatMap((s) => s.indexes.map((i) => i.statement));
  for (const s of out) expect(statementsOf(s, dialect)).toEqual([dialect === 'postgresql' ? 'IndexStmt' : 'create:index']);
  return out;
}

const pgSchema = (ddl: string) => loadSchema([{ path: 'm.sql', text: ddl }], 'postgresql');

describe('every printed CREATE INDEX is valid DDL (issue 15)', () => {
  it('never indexes a row constructor, another table’s column, a system column or a parameter', () => {
    // a row compared as a whole is an equality on each of its columns
    expect(indexes('SELECT 1 FROM applications_roles ar WHERE (ar.role_id, ar.tenant_id) IN (SELECT a, b FROM x)')).toEqual(['CREATE INDEX idx_applications_roles_role_id_tenant_id ON applications_roles (role_id, tenant_id);']);
    expect(indexes('SELECT 1 FROM roles r JOIN resources ON true WHERE (r.tenant_id, resources.indicator) = ($1, $2)')).toEqual([]);
    expect(indexes('SELECT 1 FROM "RateLimit" WHERE ctid = $1')).toEqual([]);
    expect(indexes('SELECT 1 FROM t WHERE xmin = $1 AND a = $2')).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
    expect(indexes('SELECT 1 FROM t WHERE rowid = ? AND a = ?', 'sqlite')).toEqual(['CREATE INDEX idx_t_a ON t (a);']);
    expect(indexes('SELECT 1 FROM t WHERE LEFT(area, $1) = $2')).toEqual([]);
    expect(indexes('SELECT 1 FROM t WHERE lower(a || $1) = $2')).toEqual([]);
  });

  it('never targets catalogs, information_schema, views or sqlperf placeholders', () => {
    expect(indexes('SELECT 1 FROM information_schema.tables WHERE table_name = $1; SELECT 1 FROM pg_namespace WHERE nspname = $1; SELECT 1 FROM pg_catalog.pg_class WHERE relname = $1')).toEqual([]);
    expect(indexes('SELECT 1 FROM __sqlperf_p1._private_jobs WHERE a = $1; SELECT 1 FROM __sqlperf_t WHERE b = $1; SELECT 1 FROM jobs WHERE __sqlperf_p1 = $1')).toEqual([]);
    const schema = pgSchema('CREATE TABLE users (id int PRIMARY KEY, email text, active bool); CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;');
    expect(indexes('SELECT id FROM active_users WHERE email = $1', 'postgresql', schema)).toEqual([]);
  });

  it('keeps only IMMUTABLE expressions in PostgreSQL; date_trunc only on timestamp without time zone, and says why otherwise', () => {
    expect(indexes("SELECT 1 FROM t WHERE btrim(a) = $1 AND md5(b) = $2; SELECT 1 FROM t WHERE coalesce(a, 'x') = $1; SELECT 1 FROM t WHERE id::text = $1; SELECT 1 FROM t WHERE (p ->> 'n')::int > 3")).toEqual([
      'CREATE INDEX idx_t_btrim_a ON t ((btrim(a)));',
      "CREATE INDEX idx_t_coalesce_a_x ON t ((coalesce(a, 'x')));",
      'CREATE INDEX idx_t_id_text ON t ((id::text));',
      "CREATE INDEX idx_t_p_n_integer ON t (((p ->> 'n')::integer));",
    ]);
    expect(indexes('SELECT 1 FROM t WHERE now() - created_at > $1; SELECT 1 FROM t WHERE random_thing(a) = 1; SELECT 1 FROM t WHERE created_at::text = $1; SELECT 1 FROM t WHERE created_at::date = $1')).toEqual([]);
    const q = "SELECT 1 FROM orders WHERE date_trunc('month', created_at) = $1";
    expect(indexes(q)).toEqual([]);
    const tz = pgSchema('CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz);');
    expect(indexes(q, 'postgresql', tz)).toEqual([]);
    const model = analyze(q, { schema: tz }).statements[0]!.model!;
    expect(planIndexes(model, q, 'postgresql', tz).skipped.map((s) => `${s.what}: ${s.reason}`)).toEqual([
      'an expression index: date_trunc is IMMUTABLE only on timestamp without time zone (created_at is timestamptz)',
    ]);
    const plain = pgSchema('CREATE TABLE orders (id int PRIMARY KEY, created_at timestamp);');
    expect(indexes(q, 'postgresql', plain)).toEqual(["CREATE INDEX idx_orders_date_trunc_month_created_at ON orders ((date_trunc('month', created_at)));"]);
  });

  it('reads a column\'s type as the last ALTER COLUMN ... TYPE left it (Prisma\'s SET DATA TYPE too)', () => {
    const q = "SELECT 1 FROM orders WHERE date_trunc('month', created_at) = $1";
    for (const alter of ['ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE \'UTC\';', 'ALTER TABLE "orders" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3);']) {
      const tz = pgSchema(`CREATE TABLE orders (id int PRIMARY KEY, created_at timestamp, note text);\n${alter}`);
      expect(tz.tables.get('orders')!.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id int4', 'created_at timestamptz', 'note text']);
      expect(indexes(q, 'postgresql', tz)).toEqual([]);
    }
    const back = pgSchema('CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz);\nALTER TABLE orders ALTER COLUMN created_at TYPE timestamp;');
    expect(indexes(q, 'postgresql', back)).toEqual(["CREATE INDEX idx_orders_date_trunc_month_created_at ON orders ((date_trunc('month', created_at)));"]);
  });

  it('builds expressions from the parsed tree: a comment can never reach the output (issue 16)', () => {
    const hostile = 'SELECT 1 FROM users u WHERE lower(u.email /* *u./ ))); DROP TABLE users; -- */) = $1';
    const out = indexes(hostile);
    expect(out).toEqual(['CREATE INDEX idx_users_lower_email ON users ((lower(email)));']);
    expect(statementsOf(out.join('\n'), 'postgresql')).toEqual(['IndexStmt']);
    expect(indexes('SELECT 1 FROM users u WHERE lower(u.email -- x\n) = $1 AND upper(/* y */ u.name) > $2')).toEqual(['CREATE INDEX idx_users_lower_email ON users ((lower(email)));']);
    expect(indexes("SELECT 1 FROM t WHERE lower(a) = 'it''s' AND coalesce(b, 'x''); DROP TABLE t; --') = $1")).toEqual(['CREATE INDEX idx_t_lower_a ON t ((lower(a)));']);
    expect(indexes("SELECT 1 FROM t WHERE coalesce(b, 'x''); DROP TABLE t; --') = $1")).toEqual(["CREATE INDEX idx_t_coalesce_b_x_drop_table_t ON t ((coalesce(b, 'x''); DROP TABLE t; --')));"]);
  });

  it('quotes reserved words and mixed case per dialect', () => {
    expect(indexes('SELECT 1 FROM "order" WHERE "userId" = $1 AND "user" = $2')).toEqual(['CREATE INDEX idx_order_userid_user ON "order" ("userId", "user");']);
    expect(indexes('SELECT 1 FROM `order` WHERE `key` = ? AND `Status` = ?', 'mysql')).toEqual(['CREATE INDEX idx_order_key_status ON `order` (`key`, `Status`);']);
    expect(indexes('SELECT 1 FROM "group" WHERE "index" = ?', 'sqlite')).toEqual(['CREATE INDEX idx_group_index ON "group" ("index");']);
  });

  it('gives one stable name however the query spells the same index (whitespace, quoting, public.)', () => {
    const spellings = "SELECT 1 FROM jobs WHERE payload ->> 'result' = $1; SELECT 1 FROM jobs j WHERE j.payload->>'result' = $2; SELECT 1 FROM public.jobs WHERE \"payload\"  ->>  'result' = $3";
    expect(new Set(indexes(spellings))).toEqual(new Set(["CREATE INDEX idx_jobs_payload_result ON jobs ((payload ->> 'result'));"]));
    expect(new Set(indexes('SELECT 1 FROM public.users_roles WHERE a = $1; SELECT 1 FROM users_roles WHERE a = $2; SELECT 1 FROM "users_roles" WHERE a = $3'))).toEqual(new Set(['CREATE INDEX idx_users_roles_a ON users_roles (a);']));
    expect(indexes('SELECT 1 FROM audit.users_roles WHERE a = $1')).toEqual(['CREATE INDEX idx_users_roles_a ON audit.users_roles (a);']);
    const long = indexes('SELECT 1 FROM a_very_long_table_name_for_testing WHERE some_long_column_one = $1 AND some_long_column_two = $2 AND c3 = $3; SELECT 1 FROM a_very_long_table_name_for_testing WHERE some_long_column_one = $1 AND some_long_column_two = $2 AND c4 = $3');
    expect(long.map((s) => /INDEX (\S+)/.exec(s)![1]!.length)).toEqual([63, 63]);
    expect(new Set(long.map((s) => /INDEX (\S+)/.exec(s)![1])).size).toBe(2);
    // different indexes whose slugs collide get different names in the merged plan
    const merged = mergeAcross(analyze('SELECT 1 FROM t WHERE a = $1 AND b = $2; SELECT 1 FROM t WHERE a_b = $1').statements.flatMap((x) => x.indexes.map((i) => ({ s: i, place: 'q.sql:1:1' }))));
    expect(merged.map((m) => m.statement)).toEqual(['CREATE INDEX idx_t_a_b_1 ON t (a_b);', 'CREATE INDEX idx_t_a_b ON t (a, b);']);
    expect(merged.map((m) => m.online)).toEqual(['CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_a_b_1 ON t (a_b);', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_a_b ON t (a, b);']);
  });
});

describe('no index a key already gives (issue 15)', () => {
  it('without a schema: never `id` alone, never the primary-key side of a join', () => {
    expect(indexes('SELECT 1 FROM users WHERE id = $1')).toEqual([]);
    expect(indexes('SELECT u.name FROM orders o JOIN users u ON u.id = o.user_id')).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id);']);
    expect(indexes('SELECT u.name FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1')).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id);', 'CREATE INDEX idx_users_email ON users (email);']);
  });
  it('with a schema: a unique key fully matched by equalities is one row; a dropped column gets no index', () => {
    const schema = pgSchema('CREATE TABLE m (id int PRIMARY KEY, org int, slug text, kind text, gone text, UNIQUE (org, slug)); ALTER TABLE m DROP COLUMN gone;');
    expect(indexes('SELECT 1 FROM m WHERE org = $1 AND slug = $2 AND kind = $3', 'postgresql', schema)).toEqual([]);
    expect(indexes('SELECT 1 FROM m WHERE kind = $1', 'postgresql', schema)).toEqual(['CREATE INDEX idx_m_kind ON m (kind);']);
    expect(indexes('SELECT 1 FROM m WHERE gone = $1', 'postgresql', schema)).toEqual([]);
  });
});

describe('leading-wildcard search gets a trigram index in PostgreSQL (issue 15)', () => {
  it('on the column, or on lower(col) when the query lowers it, with the extension and the trade-off', () => {
    const r = analyze("SELECT id FROM products WHERE name ILIKE '%' || $1 || '%'; SELECT id FROM products p WHERE lower(p.title) LIKE '%' || lower($1) || '%'");
    const all = r.statements.flatMap((s) => s.indexes);
    expect(all.map((s) => [s.statement, s.requires, s.kind])).toEqual([
      ['CREATE INDEX idx_products_name_trgm ON products USING gin (name gin_trgm_ops);', ['CREATE EXTENSION IF NOT EXISTS pg_trgm;'], 'trigram'],
      ['CREATE INDEX idx_products_lower_title_trgm ON products USING gin ((lower(title)) gin_trgm_ops);', ['CREATE EXTENSION IF NOT EXISTS pg_trgm;'], 'trigram'],
    ]);
    expect(all[0]!.note).toBe('a trigram GIN index serves LIKE/ILIKE with a leading wildcard, but is often several times the size of the column data and slows every insert and update of it');
    for (const s of all) expect(statementsOf(s.statement, 'postgresql')).toEqual(['IndexStmt']);
    expect(indexes("SELECT id FROM products WHERE name LIKE '%x'", 'mysql')).toEqual([]);
    expect(indexes("SELECT id FROM products WHERE name NOT LIKE '%x'")).toEqual([]);
  });
});

describe('indexes -f sql: a migration safe on a live database (issue 15)', () => {
  const found = (sql: string, dialect: Dialect, place: string) => analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => ({ s: i, place })));

  it('PostgreSQL: CONCURRENTLY IF NOT EXISTS, one statement each, a comment no file name can break out of', () => {
    const place = 'db/q\n DROP TABLE users; -- */ /* x.sql:1:1';
    const out = sqlPlan(mergeAcross([...found("SELECT 1 FROM users u WHERE lower(u.email /* *u./ ))); DROP TABLE users; -- */) = $1 AND u.org = $2; SELECT 1 FROM t WHERE name ILIKE '%' || $1", 'postgresql', place)]), 'postgresql');
    expect(out).toBe(
      [
        '-- Index suggestions from sqlperf, merged across all queries and ranked by how many they serve, then by their cost.',
        '-- Review before applying: every index slows writes down and takes space.',
        "-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: run each statement on its own (not in a migration tool's transaction).",
        '-- lock_timeout: give up rather than wait behind a long transaction that holds a conflicting lock (run again later).',
        '-- statement_timeout 0: a concurrent build on a large table takes as long as it takes; one cancelled half-way leaves an INVALID index.',
        '-- After a failure, drop what it left before running again (IF NOT EXISTS would skip it): SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; DROP INDEX CONCURRENTLY <name>;',
        '',
        "SET lock_timeout = '5s';",
        'SET statement_timeout = 0;',
        '',
        'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
        '',
        '-- serves 1 query: db/q? DROP TABLE users; -- *?/ /?* x.sql:1:1',
        '-- a trigram GIN index serves LIKE/ILIKE with a leading wildcard, but is often several times the size of the column data and slows every insert and update of it',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_name_trgm ON t USING gin (name gin_trgm_ops);',
        '',
        '-- serves 1 query: db/q? DROP TABLE users; -- *?/ /?* x.sql:1:1',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_lower_email ON users ((lower(email)));',
        '',
        '-- serves 1 query: db/q? DROP TABLE users; -- *?/ /?* x.sql:1:1',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_org ON users (org);',
        '',
      ].join('\n'),
    );
    // the whole migration, comments included, is exactly these statements: nothing broke out of a comment
    expect(statementsOf(out, 'postgresql')).toEqual(['VariableSetStmt', 'VariableSetStmt', 'CreateExtensionStmt', 'IndexStmt', 'IndexStmt', 'IndexStmt']);
    const r = parsePg(out);
    expect(r.ok && r.stmts.map((x) => (x.stmt as { IndexStmt?: { concurrent?: boolean; if_not_exists?: boolean } }).IndexStmt).filter(Boolean).every((x) => x!.concurrent && x!.if_not_exists)).toBe(true);
  });

  it('MySQL: ALTER TABLE ... ADD INDEX ..., ALGORITHM=INPLACE, LOCK=NONE, each parsed by node-sql-parser', () => {
    const out = sqlPlan(mergeAcross(found('SELECT 1 FROM `order` o WHERE o.`key` = ? AND lower(o.email) = ?', 'mysql', 'q.sql:1:1'), 'mysql'), 'mysql');
    const stmts = out.split('\n').filter((l) => l && !l.startsWith('--'));
    expect(stmts).toEqual(['SET SESSION lock_wait_timeout = 5;', 'ALTER TABLE `order` ADD INDEX idx_order_lower_email ((lower(email))), ALGORITHM=INPLACE, LOCK=NONE;', 'ALTER TABLE `order` ADD INDEX idx_order_key (`key`), ALGORITHM=INPLACE, LOCK=NONE;']);
    for (const st of stmts.slice(1)) expect(statementsOf(st, 'mysql')).toEqual(['alter:']);
    expect(out).toContain('-- ALGORITHM=INPLACE, LOCK=NONE builds each index without blocking writes');
  });

  it('PostgreSQL applies the whole migration (PGlite with pg_trgm): every statement succeeds', async () => {
    const { startDatabase } = await import('../src/verify/pglite.js');
    const db = await startDatabase(['pg_trgm']);
    try {
      const ddl = 'CREATE TABLE users (id int PRIMARY KEY, email text, org int, "userId" int); CREATE TABLE "order" (id int PRIMARY KEY, "userId" int, "user" text, created_at timestamp); CREATE TABLE jobs (id int PRIMARY KEY, payload jsonb, name text, tags text[]);';
      await db.exec(ddl);
      const schema = pgSchema(ddl);
      const queries = [
        'SELECT 1 FROM users u WHERE lower(u.email /* *u./ ))); DROP TABLE users; -- */) = $1 AND u.org = $2',
        'SELECT 1 FROM "order" WHERE "userId" = $1 AND "user" = $2',
        "SELECT 1 FROM \"order\" WHERE date_trunc('day', created_at) = $1",
        "SELECT 1 FROM jobs WHERE payload ->> 'result' = $1; SELECT 1 FROM public.jobs j WHERE j.payload->>'result' = $1",
        "SELECT 1 FROM jobs WHERE name ILIKE '%' || $1 || '%'; SELECT 1 FROM jobs WHERE lower(name) LIKE '%' || $1; SELECT 1 FROM jobs WHERE tags && $1 AND payload @> $2",
        'SELECT 1 FROM "RateLimit" WHERE ctid = $1; SELECT 1 FROM pg_class WHERE relname = $1',
      ].join(';\n');
      const merged = mergeAcross(analyze(queries, { schema }).statements.flatMap((s) => s.indexes.map((i) => ({ s: i, place: 'q\n*/ DROP TABLE jobs; --.sql:1:1' }))));
      const out = sqlPlan(merged, 'postgresql');
      const r = parsePg(out);
      expect(r.ok).toBe(true);
      const bytes = Buffer.from(out);
      const texts = r.ok ? r.stmts.map((x) => bytes.subarray(x.stmt_location ?? 0, x.stmt_len ? (x.stmt_location ?? 0) + x.stmt_len : undefined).toString()) : [];
      // run each statement on its own, as CONCURRENTLY requires
      for (const t of texts) await db.exec(t);
      // the two session settings, the extension, then one statement per index
      expect(texts.length).toBe(merged.length + 3);
      const names = (await db.exec("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx_%' ORDER BY 1"))[0]!.rows.map((x) => x.indexname);
      expect(names).toEqual(['idx_jobs_lower_name_trgm', 'idx_jobs_name_trgm', 'idx_jobs_payload_result', 'idx_jobs_tags_gin', 'idx_order_date_trunc_day_created_at', 'idx_order_userid_user', 'idx_users_lower_email', 'idx_users_org']);
      expect((await db.exec("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('users', 'jobs')"))[0]!.rows[0]!.n).toBe(2);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('hostile names and literals stay inside their quotes', () => {
  it('escapes quotes in identifiers and string constants for each dialect', () => {
    expect(indexes('SELECT 1 FROM "t""; DROP TABLE x; --" WHERE "c""--" = $1')).toEqual(['CREATE INDEX idx_t_drop_table_x_c ON "t""; DROP TABLE x; --" ("c""--");']);
    // node-sql-parser's strings reach sqlperf undecoded: one with a quote or backslash is not rendered (no index), never re-escaped wrongly
    expect(indexes("SELECT 1 FROM `Order` WHERE coalesce(c, 'x') = ? AND lower(d) = ?", 'mysql')).toEqual(["CREATE INDEX idx_order_coalesce_c_x ON `Order` ((coalesce(c, 'x')));"]);
    expect(indexes("SELECT 1 FROM t WHERE coalesce(c, 'it''s') = ?; SELECT 1 FROM t WHERE coalesce(c, 'a\\\\b') = ?", 'mysql')).toEqual([]);
    expect(indexes("SELECT 1 FROM t WHERE coalesce(c, 'it''s') = ?", 'sqlite')).toEqual([]);
    expect(indexes("SELECT 1 FROM t WHERE coalesce(c, 'it''s') = $1")).toEqual(["CREATE INDEX idx_t_coalesce_c_it_s ON t ((coalesce(c, 'it''s')));"]);
  });
  it('SQLite: the migration form is CREATE INDEX IF NOT EXISTS, parsed by node-sql-parser', () => {
    const out = sqlPlan(mergeAcross(analyze('SELECT 1 FROM "group" g WHERE g."index" = ? AND lower(g.name) = ?', { dialect: 'sqlite' }).statements.flatMap((s) => s.indexes.map((i) => ({ s: i, place: 'q.sql:1:1' }))), 'sqlite'), 'sqlite');
    const stmts = out.split('\n').filter((l) => l && !l.startsWith('--'));
    expect(stmts).toEqual(['CREATE INDEX IF NOT EXISTS idx_group_index ON "group" ("index");', 'CREATE INDEX IF NOT EXISTS idx_group_lower_name ON "group" ((lower(name)));']);
    for (const st of stmts) expect(statementsOf(st, 'sqlite')).toEqual(['create:index']);
  });
});

describe('each suggestion lists the queries it serves, ranked by how many and how costly (issue 15)', () => {
  const found = (sql: string, place: string) => {
    const r = analyze(sql);
    return r.statements.flatMap((s) => s.indexes.map((i) => ({ s: i, place, cost: s.cost!.score })));
  };
  it('more queries first; among equals, the larger summed cost (src/cost.ts); each list costliest first', () => {
    const cheap = 'SELECT id FROM t WHERE a = $1';
    // DISTINCT and a sort without LIMIT: cost 9 against 1; the table names alone would rank r first
    const costly = 'SELECT DISTINCT name FROM u WHERE b = $1 ORDER BY name';
    const merged = mergeAcross([...found(cheap, 'a.sql:1:1'), ...found('SELECT id FROM r WHERE d = $1', 'a.sql:5:1'), ...found(costly, 'b.sql:3:1'), ...found(`${cheap} AND c = $2`, 'c.sql:2:1'), ...found(cheap, 'c.sql:9:1')]);
    expect(merged.map((m) => [m.statement, m.queries])).toEqual([
      ['CREATE INDEX idx_t_a_c ON t (a, c);', [{ place: 'a.sql:1:1', cost: 1 }, { place: 'c.sql:2:1', cost: 1 }, { place: 'c.sql:9:1', cost: 1 }]],
      ['CREATE INDEX idx_u_b_name ON u (b, name);', [{ place: 'b.sql:3:1', cost: 9 }]],
      ['CREATE INDEX idx_r_d ON r (d);', [{ place: 'a.sql:5:1', cost: 1 }]],
    ]);
    expect(sqlPlan(merged, 'postgresql')).toContain('-- serves 3 queries (cost 3): a.sql:1:1 (cost 1), c.sql:2:1 (cost 1), c.sql:9:1 (cost 1)\n');
  });
});

describe('MySQL: a contains-search for words gets a FULLTEXT index with the MATCH ... AGAINST rewrite (issue 15)', () => {
  const all = (sql: string, schema?: Schema) => analyze(sql, { dialect: 'mysql', ...(schema ? { schema } : {}) }).statements.flatMap((s) => s.indexes);
  it('for a value from the application or one constant word between wildcards, with the rewrite and the trade-off', () => {
    const [ft] = all("SELECT id FROM posts WHERE title LIKE CONCAT('%', ?, '%') LIMIT 20");
    expect(ft).toMatchObject({ kind: 'fulltext', statement: 'CREATE FULLTEXT INDEX idx_posts_title_ft ON posts (title);', rewrite: "MATCH (title) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*'" });
    expect(ft!.note).toContain("finds whole words and word prefixes ('term*' in boolean mode), not any substring");
    expect(ft!.note).toContain('its build blocks writes (LOCK=SHARED)');
    expect(statementsOf(ft!.statement, 'mysql')).toEqual(['create:index']);
    expect(all("SELECT id FROM posts WHERE body LIKE '%refund%'").map((s) => s.statement)).toEqual(['CREATE FULLTEXT INDEX idx_posts_body_ft ON posts (body);']);
  });
  it('not where words cannot answer: a suffix search, punctuation or spaces, short words, NOT LIKE, PostgreSQL', () => {
    expect(all("SELECT id FROM users WHERE email LIKE '%@example.com'")).toEqual([]);
    expect(all("SELECT id FROM users WHERE email LIKE '%@example.com%'")).toEqual([]);
    expect(all("SELECT id FROM posts WHERE title LIKE '%two words%'")).toEqual([]);
    expect(all("SELECT id FROM posts WHERE title LIKE '%ab%'")).toEqual([]);
    expect(all("SELECT id FROM posts WHERE title NOT LIKE CONCAT('%', ?, '%')")).toEqual([]);
    expect(analyze("SELECT id FROM posts WHERE title LIKE '%' || $1 || '%'").statements[0]!.indexes.map((s) => s.kind)).toEqual(['trigram']);
  });
  it('with a schema: an existing FULLTEXT index on the column serves it; a number column gets none', () => {
    const schema = loadSchema([{ path: '1.sql', text: 'CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, views INT, FULLTEXT KEY posts_body_ft (body));' }], 'mysql');
    expect(all("SELECT id FROM posts WHERE body LIKE CONCAT('%', ?, '%')", schema)).toEqual([]);
    expect(all("SELECT id FROM posts WHERE title LIKE CONCAT('%', ?, '%')", schema).map((s) => s.statement)).toEqual(['CREATE FULLTEXT INDEX idx_posts_title_ft ON posts (title);']);
    expect(all("SELECT id FROM posts WHERE views LIKE CONCAT('%', ?, '%')", schema)).toEqual([]);
  });
  it('indexes -f sql: ADD FULLTEXT INDEX ... ALGORITHM=INPLACE, LOCK=SHARED (InnoDB cannot take writes during the build), with the rewrite', () => {
    const out = sqlPlan(mergeAcross(all("SELECT id FROM posts WHERE title LIKE CONCAT('%', ?, '%')").map((s) => ({ s, place: 'q.sql:1:1' })), 'mysql'), 'mysql');
    expect(out).toContain("-- rewrite the queries: MATCH (title) AGAINST (? IN BOOLEAN MODE) with the search term as 'term*'\n");
    const stmts = out.split('\n').filter((l) => l && !l.startsWith('--'));
    expect(stmts).toEqual(['SET SESSION lock_wait_timeout = 5;', 'ALTER TABLE posts ADD FULLTEXT INDEX idx_posts_title_ft (title), ALGORITHM=INPLACE, LOCK=SHARED;']);
    expect(statementsOf(stmts[1]!, 'mysql')).toEqual(['alter:']);
  });
});

describe('an expression key behind equality columns (issue 15, measured on inbox-zero)', () => {
  it('(account_id, lower(email)) WHERE analyzed serves account_id = $1 AND analyzed AND lower(email) = lower($2)', () => {
    const schema = pgSchema('CREATE TABLE n (id int PRIMARY KEY, account_id int, email text, analyzed bool); CREATE INDEX n_acc_lower ON n (account_id, lower(email)) WHERE analyzed = true;');
    expect(indexes('SELECT id FROM n WHERE account_id = $1 AND analyzed = true AND lower(email) = lower($2) LIMIT 1', 'postgresql', schema)).toEqual([]);
    // without the partial index's condition it does not serve
    expect(indexes('SELECT id FROM n WHERE account_id = $1 AND lower(email) = lower($2) LIMIT 1', 'postgresql', schema)).toEqual(['CREATE INDEX idx_n_account_id ON n (account_id);', 'CREATE INDEX idx_n_lower_email ON n ((lower(email)));']);
    // an index on the expression alone still serves it
    const alone = pgSchema('CREATE TABLE n (id int PRIMARY KEY, account_id int, email text); CREATE INDEX n_lower ON n (lower(email));');
    expect(indexes('SELECT id FROM n WHERE account_id = $1 AND lower(email) = $2', 'postgresql', alone)).toEqual(['CREATE INDEX idx_n_account_id ON n (account_id);']);
  });
});

describe('no index on boolean columns alone (issue 15, measured on inbox-zero)', () => {
  it('with a schema that types them; with another column first it stays', () => {
    const schema = pgSchema('CREATE TABLE m (id int PRIMARY KEY, account_id int, sent boolean NOT NULL, archived bool);');
    expect(indexes('SELECT count(*) FROM m WHERE sent = false', 'postgresql', schema)).toEqual([]);
    expect(indexes('SELECT count(*) FROM m WHERE sent = false AND archived = true', 'postgresql', schema)).toEqual([]);
    expect(indexes('SELECT count(*) FROM m WHERE account_id = $1 AND sent = false', 'postgresql', schema)).toEqual(['CREATE INDEX idx_m_account_id_sent ON m (account_id, sent);']);
    // without a schema the type is unknown
    expect(indexes('SELECT count(*) FROM m WHERE sent = false')).toEqual(['CREATE INDEX idx_m_sent ON m (sent);']);
  });

  it('an array of booleans is not a boolean column', () => {
    const schema = pgSchema('CREATE TABLE m (id int PRIMARY KEY, flags boolean[], grid bool[][]);');
    expect(schema.tables.get('m')!.columns.map((c) => c.type)).toEqual(['int4', 'bool[]', 'bool[][]']);
    expect(indexes('SELECT count(*) FROM m WHERE flags = $1', 'postgresql', schema)).toEqual(['CREATE INDEX idx_m_flags ON m (flags);']);
  });
});
