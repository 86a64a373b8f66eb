import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, loadSchema, ready } from '../src/api.js';
import { costLevel, estimateCost, FACTORS, LEVELS } from '../src/cost.js';
import { SMALL_TABLE_ROWS } from '../src/schema/match.js';
import { readFixture } from './helpers/fixtures.js';
import type { Dialect } from '../src/dialect.js';

beforeAll(() => ready());

const cost = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements[0]!.cost!;
const indexes = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => i.statement));

describe('cost', () => {
  it('explains each factor with a weight and a range, in source order', () => {
    const sql = "SELECT * FROM users WHERE email LIKE '%x' ORDER BY name";
    const c = cost(sql);
    expect(c.factors.map((f) => [f.id, f.weight, sql.slice(f.range.start, f.range.end), f.ruleId])).toEqual([
      ['base', 1, sql, undefined],
      ['selectStar', 3, '*', 'no-select-star'],
      ['nonSargable', 8, "'%x'", 'no-leading-wildcard'],
      ['sortWithoutLimit', 4, 'name', undefined],
    ]);
    expect(c.factors.map((f) => f.reason)).toEqual(['one statement', '* reads every column', "'%x': an index cannot serve this predicate", 'ORDER BY without LIMIT sorts the whole result']);
    expect(c.score).toBe(16);
    expect(c.level).toBe('medium');
  });
  it('says why for each rule-backed factor, from the finding', () => {
    const reasons = (sql: string) => cost(sql).factors.filter((f) => f.ruleId).map((f) => f.reason);
    expect(reasons('SELECT a.id FROM a, b WHERE a.k = 1')).toEqual(['b: every row pairs with every row']);
    expect(reasons('SELECT u.id, (SELECT count(*) FROM orders o WHERE o.created_at > u.seen_at) FROM users u')).toEqual(['correlated subquery: runs once per outer row']);
    expect(reasons('SELECT id FROM posts ORDER BY random() LIMIT 5')).toEqual(['ORDER BY a random value sorts every row']);
    expect(reasons('SELECT id FROM users WHERE email = $1 OR phone = $2')).toEqual(['OR across different columns: one index cannot serve both branches']);
    expect(reasons('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1')).toEqual(['OFFSET reads and discards every skipped row']);
    expect(reasons(`SELECT id FROM users WHERE id IN (${Array.from({ length: 150 }, (_, i) => i).join(', ')})`)).toEqual(['IN list of 150 values']);
    // a long source is cut to 40 characters on one line
    expect(reasons(`SELECT id FROM users WHERE lower(\n  email) = $1 AND name LIKE '%${'x'.repeat(60)}'`)).toEqual(['lower( email): an index cannot serve this predicate', `'%${'x'.repeat(37)}…: an index cannot serve this predicate`]);
  });
  it('is monotonic: a join, a subquery or SELECT * never lowers the score', () => {
    const steps = [
      'SELECT u.id FROM users u WHERE u.status = $1',
      'SELECT u.id, * FROM users u WHERE u.status = $1',
      'SELECT u.id, * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.status = $1',
      'SELECT u.id, *, (SELECT 1 FROM x) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.status = $1',
      'SELECT u.id, *, (SELECT 1 FROM x), (SELECT count(*) FROM y WHERE y.t > u.t) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.status = $1',
    ];
    const scores = steps.map((s) => cost(s).score);
    // 1 base; +3 the star over many rows; +4 the join; +5 a subquery and +10 its full scan of x; +5 and +10 a subquery no index serves per row
    expect(scores).toEqual([1, 4, 8, 23, 38]);
  });
  it('weighs a subquery no index can serve per outer row more than one an index lookup serves, and a cartesian join most', () => {
    const un = cost('SELECT id FROM a WHERE a.x IN (SELECT y FROM b WHERE b.k = 1)');
    // an equality on an inner column is one index lookup per outer row: no-correlated-subquery says nothing, neither does the cost
    const lookup = cost('SELECT id FROM a WHERE a.x IN (SELECT y FROM b WHERE b.k = a.k)');
    const scan = cost('SELECT id FROM a WHERE a.x IN (SELECT y FROM b WHERE b.k > a.k)');
    expect([un.score, lookup.score, scan.score]).toEqual([6, 6, 16]);
    expect(scan.factors.find((f) => f.id === 'correlatedSubquery')?.ruleId).toBe('no-correlated-subquery');
    const cart = cost('SELECT a.id FROM a, b WHERE a.k = 1').factors.filter((f) => f.id === 'cartesianJoin' || f.id === 'join');
    expect(cart.map((f) => [f.id, f.weight])).toEqual([
      ['join', 4],
      ['cartesianJoin', 21],
    ]);
    expect(cost('SELECT a.id FROM a, b WHERE a.k = b.k').factors.find((f) => f.id === 'cartesianJoin')).toBeUndefined();
  });
  it('does not count as cartesian what no-cartesian-join calls harmless (CROSS JOIN a set-returning function)', () => {
    const c = cost('SELECT d FROM events e CROSS JOIN generate_series(1, 10) AS d WHERE e.id = $1');
    expect(c.factors.map((f) => f.id)).toEqual(['base', 'join']);
    expect(c.score).toBe(5);
  });
  it('counts OFFSET, IN lists and ORs as the rules decide, with the options the analysis runs them with', () => {
    const ids = (sql: string, rules?: Record<string, unknown>) => analyze(sql, { rules: rules as never }).statements[0]!.cost!.factors.map((f) => f.id).filter((id) => id !== 'base');
    expect(ids('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 999')).toEqual([]);
    expect(ids('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 1001')).toEqual(['offset']);
    expect(ids('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1')).toEqual(['offset']);
    expect(ids('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 1001', { 'no-offset-pagination': ['warn', { max: 5000 }] })).toEqual([]);
    const list = (n: number) => `SELECT id FROM users WHERE id IN (${Array.from({ length: n }, (_, i) => i).join(', ')})`;
    expect(ids(list(100))).toEqual([]);
    expect(ids(list(101))).toEqual(['largeInList']);
    expect(ids(list(101), { 'max-in-list': ['warn', { max: 200 }] })).toEqual([]);
    expect(ids('SELECT id FROM users WHERE email = $1 OR phone = $2')).toEqual(['orAcrossColumns']);
    expect(ids('SELECT id FROM users WHERE status = $1 OR status IS NULL')).toEqual([]);
  });
  it('has fixed levels: low below 10, medium from 10, high from 30', () => {
    expect([0, 9, 10, 29, 30, 100].map(costLevel)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
    expect(LEVELS).toEqual({ medium: 10, high: 30 });
    // a full scan alone (1 + 10) is medium; with a sort (4) by a random value (15) exactly high
    expect(cost('SELECT id FROM users').level).toBe('medium');
    expect(cost('SELECT id FROM users ORDER BY random()')).toMatchObject({ score: 30, level: 'high' });
    expect(cost('SELECT id FROM users WHERE id = $1')).toMatchObject({ score: 1, level: 'low' });
  });
  it('skips the full scan of a table the schema says is small, and counts rows of a large one', () => {
    const schema = (rows: number) => loadSchema([{ path: 's.sql', text: 'CREATE TABLE users (id int PRIMARY KEY, name text);' }], 'postgresql', { tables: { users: { rows } } });
    const scan = (rows: number) => analyze('SELECT name FROM users', { schema: schema(rows) }).statements[0]!.cost!.factors.filter((f) => f.id === 'fullScan');
    expect(scan(SMALL_TABLE_ROWS - 1)).toEqual([]);
    expect(scan(SMALL_TABLE_ROWS).map((f) => f.reason)).toEqual([`no WHERE clause: every row of users (${SMALL_TABLE_ROWS.toLocaleString('en-US')} rows) is read`]);
    expect(cost('SELECT name FROM users').factors.find((f) => f.id === 'fullScan')?.reason).toBe('no WHERE clause: every row of users is read');
    // LIMIT, a plain aggregate or a WHERE: no full scan factor
    for (const sql of ['SELECT name FROM users LIMIT 5', 'SELECT count(*) FROM users', 'SELECT name FROM users WHERE id > 5']) expect(cost(sql).factors.map((f) => f.id)).not.toContain('fullScan');
    expect(cost('DELETE FROM users').factors.map((f) => f.id)).toContain('fullScan');
    expect(cost('UPDATE users SET name = 1 LIMIT 1', 'mysql').factors.map((f) => f.id)).toContain('fullScan');
  });
  it('counts set operations, DISTINCT, GROUP BY and sorting by their weights', () => {
    const w = (sql: string) => cost(sql).factors.filter((f) => f.id !== 'base' && f.id !== 'fullScan').map((f) => [f.id, f.weight]);
    expect(w('SELECT a FROM t WHERE a = 1 UNION SELECT a FROM u WHERE a = 2 UNION ALL SELECT a FROM v WHERE a = 3')).toEqual([
      ['union', 6],
      ['unionAll', 2],
    ]);
    expect(w('SELECT DISTINCT a FROM t WHERE b = 1 GROUP BY a ORDER BY a')).toEqual([
      ['distinct', 4],
      ['groupBy', 3],
      ['sortWithoutLimit', 4],
    ]);
    expect(w('SELECT a FROM t WHERE b = 1 ORDER BY a LIMIT 10')).toEqual([]);
    expect(w('SELECT a FROM t WHERE b = 1 INTERSECT SELECT a FROM u WHERE b = 2')).toEqual([['union', 6]]);
    expect(cost('SELECT a FROM t WHERE b = 1 EXCEPT SELECT a FROM u WHERE b = 2').factors.find((f) => f.id === 'union')?.reason).toBe('EXCEPT sorts or hashes all rows to remove duplicates');
  });
  it('names what each shape factor counts', () => {
    const reasons = (sql: string) => cost(sql).factors.filter((f) => !f.ruleId && f.id !== 'fullScan').map((f) => `${f.id}: ${f.reason}`);
    expect(reasons('SELECT 1 FROM a JOIN orders o ON o.a = a.id JOIN (SELECT 1 AS k) t ON t.k = a.id JOIN (SELECT 2 AS k) ON true WHERE a.id = $1')).toEqual([
      'base: one statement',
      'join: join with orders',
      'join: join with t',
      'subquery: subquery',
      'join: join with a subquery',
      'subquery: subquery',
    ]);
    expect(reasons('SELECT DISTINCT a FROM t WHERE b = 1 GROUP BY a ORDER BY a')).toEqual([
      'base: one statement',
      'distinct: DISTINCT sorts or hashes the result to remove duplicates',
      'groupBy: GROUP BY aggregates every matching row',
      'sortWithoutLimit: ORDER BY without LIMIT sorts the whole result',
    ]);
    expect(reasons('SELECT a FROM t WHERE a = 1 UNION ALL SELECT a FROM u WHERE a = 2 INTERSECT ALL SELECT a FROM v WHERE a = 3')).toEqual([
      'base: one statement',
      'unionAll: UNION ALL concatenates the branches',
      'union: INTERSECT sorts or hashes all rows to remove duplicates',
    ]);
    // CTEs and set branches are not subqueries
    expect(cost('WITH x AS (SELECT a FROM t WHERE a = 1) SELECT a FROM x').factors.map((f) => f.id)).toEqual(['base']);
  });
  it('counts nothing for statements it does not model, and no full scan outside SELECT, UPDATE and DELETE', () => {
    expect(cost('CREATE TABLE t (id int)')).toEqual({ score: 0, level: 'low', factors: [] });
    expect(cost('INSERT INTO users (id) VALUES (1)').factors.map((f) => f.id)).toEqual(['base']);
    // a set-returning function is not a table: reading all of it is no full scan
    expect(cost('SELECT x FROM generate_series(1, 10) x').factors.map((f) => f.id)).toEqual(['base']);
    // aggregates over every row of a table are a full scan when grouped, or when a column is selected beside them
    expect(cost('SELECT status, count(*) FROM users GROUP BY status').factors.map((f) => f.id)).toEqual(['base', 'fullScan', 'groupBy']);
    expect(cost('SELECT status, count(*) FROM users').factors.map((f) => f.id)).toContain('fullScan');
    expect(cost('SELECT count(*) FROM users GROUP BY status').factors.map((f) => f.id)).toEqual(['base', 'fullScan', 'groupBy']);
    expect(cost('SELECT FROM users').factors.map((f) => f.id)).toContain('fullScan');
  });
  it('can be called on a model directly, with or without a schema that knows the table', () => {
    const r = analyze('SELECT name FROM users', { modelOnly: true });
    const model = r.statements[0]!.model!;
    expect(estimateCost(model, r.text).score).toBe(11);
    const other = loadSchema([{ path: 's.sql', text: 'CREATE TABLE orders (id int PRIMARY KEY);' }], 'postgresql', { tables: { orders: { rows: 5 } } });
    expect(estimateCost(model, r.text, other).factors.map((f) => f.reason)).toEqual(['one statement', 'no WHERE clause: every row of users is read']);
  });
  it('cuts the source text in a reason at 40 characters, not before', () => {
    const reason = (n: number) => cost(`SELECT id FROM users WHERE name LIKE '%${'x'.repeat(n - 3)}'`).factors.find((f) => f.id === 'nonSargable')!.reason;
    expect(reason(40)).toBe(`'%${'x'.repeat(37)}': an index cannot serve this predicate`);
    expect(reason(41)).toBe(`'%${'x'.repeat(37)}…: an index cannot serve this predicate`);
  });
  it('is deterministic and the same across dialects for the same SQL', () => {
    const sql = 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 1 ORDER BY o.created_at';
    expect(cost(sql, 'mysql')).toEqual(cost(sql, 'sqlite'));
    expect(cost(sql, 'mysql').score).toBe(cost(sql, 'postgresql').score);
  });
});

describe('cost and rules agree: every rule-backed factor is a finding of its rule, on every rule fixture', () => {
  const backed = Object.entries(FACTORS).flatMap(([id, f]) => ('rules' in f ? f.rules.map((rule) => [id, rule] as const) : []));
  const root = join(import.meta.dirname, '..', 'fixtures', 'rules');
  it('covers the rules the issue names', () => {
    expect(backed.map(([, rule]) => rule).sort()).toEqual(['max-in-list', 'no-cartesian-join', 'no-correlated-subquery', 'no-function-on-column', 'no-inequality-filter', 'no-leading-wildcard', 'no-offset-pagination', 'no-or-across-columns', 'no-order-by-random', 'no-select-star']);
  });
  for (const [id, rule] of backed) {
    for (const file of readdirSync(join(root, rule)).filter((f) => f.endsWith('.sql'))) {
      const fx = readFixture(join(root, rule, file));
      if (fx.schema) continue;
      it(`${rule}/${file}: ${id}`, () => {
        const r = analyze(fx.text, { dialect: fx.dialects[0], rules: { [rule]: fx.options ? ['warn', fx.options] : 'warn' } as never });
        const findings = r.diagnostics.filter((d) => d.ruleId === rule).map((d) => `${d.start}-${d.end}`);
        const factors = r.statements.flatMap((s) => s.cost?.factors ?? []).filter((f) => f.ruleId === rule).map((f) => `${f.range.start}-${f.range.end}`);
        expect(r.statements.flatMap((s) => s.cost?.factors ?? []).filter((f) => f.ruleId === rule).every((f) => f.id === id)).toBe(true);
        expect([...new Set(factors)].sort()).toEqual([...new Set(findings)].sort());
        if (file.startsWith('invalid')) expect(findings.length).toBeGreaterThan(0);
      });
    }
  }
});

describe('index suggestions', () => {
  it('orders equality columns, then sort, then one range column, on the real table', () => {
    expect(indexes('SELECT id FROM orders o WHERE o.status = $1 AND o.created_at > $2 AND o.customer_id = 3 ORDER BY o.created_at DESC')).toEqual([
      'CREATE INDEX idx_orders_status_customer_id_created_at ON orders (status, customer_id, created_at DESC);',
    ]);
    expect(indexes('SELECT id FROM orders WHERE total > 10 AND created_at < $1')).toEqual(['CREATE INDEX idx_orders_total ON orders (total);']);
  });
  it('suggests join columns on the table being joined', () => {
    expect(indexes('SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1')).toEqual([
      'CREATE INDEX idx_orders_user_id ON orders (user_id);',
      'CREATE INDEX idx_users_email ON users (email);',
    ]);
  });
  it('never suggests for predicates an index cannot serve, aliases, literals or placeholders', () => {
    expect(indexes("SELECT id FROM users WHERE email LIKE '%x' AND status <> 'a' AND (a = 1 OR b = 2)", 'mysql')).toEqual([]);
    // in PostgreSQL the leading wildcard gets a trigram index instead of a B-tree
    expect(indexes("SELECT id FROM users WHERE email LIKE '%x' AND status <> 'a' AND (a = 1 OR b = 2)")).toEqual(['CREATE INDEX idx_users_email_trgm ON users USING gin (email gin_trgm_ops);']);
    expect(indexes('SELECT 1 FROM users WHERE $1 = $2')).toEqual([]);
  });
  it('suggests an expression index for a function on a column', () => {
    expect(indexes('SELECT id FROM users u WHERE lower(u.email) = $1')).toEqual(['CREATE INDEX idx_users_lower_email ON users ((lower(email)));']);
    expect(indexes('SELECT id FROM users u WHERE lower(u.email) = ?', 'transactsql')).toEqual([]);
  });
  it('suggests GIN for containment, key-exists, overlap and full-text operators (PostgreSQL), and an existing GIN index serves them', async () => {
    const sql = "SELECT id FROM events e WHERE e.payload @> $1::jsonb; SELECT id FROM docs WHERE to_tsvector('english', body) @@ plainto_tsquery($1); SELECT id FROM posts WHERE tags && $1";
    expect(indexes(sql)).toEqual([
      'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);',
      "CREATE INDEX idx_docs_to_tsvector_english_body_gin ON docs USING gin ((to_tsvector('english', body)));",
      'CREATE INDEX idx_posts_tags_gin ON posts USING gin (tags);',
    ]);
    expect(indexes('SELECT id FROM events WHERE payload @> ?', 'mysql')).toEqual([]);
    const { loadSchema } = await import('../src/schema/index.js');
    const schema = loadSchema([{ path: 'm.sql', text: 'CREATE TABLE events (id int PRIMARY KEY, payload jsonb); CREATE INDEX events_payload ON events USING gin (payload); CREATE TABLE posts (id int PRIMARY KEY, tags text[]); CREATE INDEX posts_tags ON posts (tags);' }], 'postgresql');
    const withSchema = analyze('SELECT id FROM events WHERE payload @> $1; SELECT id FROM posts WHERE tags && $1', { schema }).statements.flatMap((s) => s.indexes.map((i) => i.statement));
    // the GIN index serves the first; a B-tree on tags cannot serve &&
    expect(withSchema).toEqual(['CREATE INDEX idx_posts_tags_gin ON posts USING gin (tags);']);
  });
  it('merges a prefix into the longer suggestion on the same table', () => {
    expect(indexes('SELECT id FROM t WHERE a = 1 AND b = 2 AND EXISTS (SELECT 1 FROM t t2 WHERE t2.a = 5)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b);']);
  });
});
