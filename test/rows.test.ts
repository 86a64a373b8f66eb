import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { blockRows, relationRows, rowsOf, rowsRead } from '../src/model/rows.js';
import type { StatementModel } from '../src/model/types.js';
import { loadSchema, type Schema } from '../src/schema/index.js';

beforeAll(() => ready());

function model(sql: string, dialect: Dialect = 'postgresql'): StatementModel {
  const res = analyze(sql, { dialect, modelOnly: true });
  expect(res.diagnostics.filter((d) => d.ruleId === 'parse-error').map((d) => d.message)).toEqual([]);
  return res.statements[0]!.model!;
}

const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, org_id bigint);
CREATE TABLE memberships (org_id bigint, user_id bigint, role text, PRIMARY KEY (org_id, user_id));
CREATE TABLE countries (code text PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, uuid text, total int);
CREATE UNIQUE INDEX orders_active_uuid ON orders (uuid) WHERE total > 0;
`;

function schema(dialect: Dialect = 'postgresql'): Schema {
  return loadSchema([{ path: 'schema.sql', text: SCHEMA }], dialect, { tables: { countries: { rows: 250 } } });
}

const top = (sql: string, s?: Schema) => rowsOf(model(sql).root!, s);

describe('rowsOf without a schema', () => {
  it.each([
    ['SELECT 1', 'one'],
    ['SELECT now()', 'one'],
    ['SELECT * FROM users WHERE id = $1', 'one'],
    ['SELECT * FROM users u WHERE u.id = 42 AND u.deleted_at IS NULL', 'one'],
    ['SELECT * FROM users ORDER BY created_at DESC LIMIT 1', 'one'],
    ['SELECT count(*) FROM orders WHERE status = $1', 'one'],
    ['SELECT max(total), min(total) FROM orders', 'one'],
    ['VALUES (1, 2)', 'one'],
    ['WITH w AS (SELECT count(*) AS n FROM orders) SELECT w.n FROM w', 'one'],
    ['SELECT t.n FROM (SELECT sum(total) AS n FROM orders) t', 'one'],
    ['SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1', 'one'],
    ['SELECT * FROM users', 'many'],
    ['SELECT * FROM users WHERE email = $1', 'many'],
    ['SELECT * FROM users WHERE id = $1 OR id = $2', 'many'],
    ['SELECT * FROM users WHERE id > $1', 'many'],
    ['SELECT status, count(*) FROM orders GROUP BY status', 'many'],
    ['SELECT * FROM users LIMIT 20', 'small'],
    ['VALUES (1), (2), (3)', 'small'],
    ['SELECT 1 UNION ALL SELECT 2', 'small'],
    ['SELECT unnest($1::int[])', 'many'],
    // a.id = b.id fixes neither table by itself
    ['SELECT * FROM a, b WHERE a.id = b.id', 'many'],
    ['SELECT * FROM a JOIN b ON b.id = a.b_id', 'many'],
    ['SELECT * FROM users WHERE id = ANY($1)', 'many'],
    ['SELECT * FROM users ORDER BY id FETCH FIRST 1 ROW ONLY', 'one'],
    ['SELECT * FROM users WHERE id = $1 FOR UPDATE', 'one'],
    ['SELECT * FROM users WHERE id = $1 UNION ALL SELECT * FROM users WHERE id = $2', 'small'],
    ['SELECT t.x FROM unnest($1::int[]) AS t(x)', 'small'],
    ['WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r', 'many'],
  ] as const)('%s -> %s', (sql, rows) => {
    expect(top(sql)).toBe(rows);
  });

  it('MySQL and SQLite: LIMIT 1 and lookups by id', () => {
    for (const d of ['mysql', 'sqlite'] as const) {
      expect(rowsOf(model('SELECT * FROM users ORDER BY created_at DESC LIMIT 1', d).root!)).toBe('one');
      expect(rowsOf(model('SELECT * FROM users WHERE id = ?', d).root!)).toBe('one');
      expect(rowsOf(model('SELECT * FROM users WHERE org_id = ?', d).root!)).toBe('many');
    }
  });

  it('UPDATE / DELETE by id touch one row', () => {
    expect(top('UPDATE users SET name = $2 WHERE id = $1')).toBe('one');
    expect(top('DELETE FROM users WHERE org_id = $1')).toBe('many');
  });

  it('a correlated subquery keyed by the outer row returns one row', () => {
    const m = model('SELECT u.id, (SELECT o.total FROM orders o WHERE o.id = u.last_order_id) FROM users u');
    expect(rowsOf(m.blocks[1]!)).toBe('one');
    expect(rowsOf(m.root!)).toBe('many');
  });

  it('rowsRead is before grouping and LIMIT', () => {
    const m = model('SELECT count(*) FROM orders');
    expect(rowsRead(m.root!)).toBe('many');
    expect(blockRows(m.root!).beforeLimit).toBe('one');
    const l = model('SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET 40');
    expect(blockRows(l.root!).beforeLimit).toBe('many');
    expect(rowsOf(l.root!)).toBe('small');
  });

  it('per relation: a table joined on its key contributes one row, a one-row CTE one, others their own rows', () => {
    const m = model('WITH w AS (SELECT max(id) AS m FROM orders) SELECT * FROM stats s, w JOIN users u ON u.id = w.m JOIN orders o ON o.user_id = u.id');
    const b = m.root!;
    const [s, w, u, o] = b.from;
    expect(relationRows(b, s!)).toBe('many');
    expect(relationRows(b, w!)).toBe('one');
    expect(relationRows(b, u!)).toBe('one');
    expect(relationRows(b, o!)).toBe('many');
  });

  it('is memoised per block', () => {
    const m = model('SELECT * FROM users WHERE id = $1');
    expect(blockRows(m.root!)).toBe(blockRows(m.root!));
  });
});

describe('rowsOf with a schema', () => {
  it('a primary key or a full unique key gives one row', () => {
    const s = schema();
    expect(top('SELECT * FROM users WHERE email = $1', s)).toBe('one');
    expect(top('SELECT * FROM memberships WHERE org_id = $1 AND user_id = $2', s)).toBe('one');
    expect(top('SELECT * FROM memberships WHERE org_id = $1', s)).toBe('many');
    // a partial unique index does not
    expect(top('SELECT * FROM orders WHERE uuid = $1', s)).toBe('many');
    // unqualified columns are placed by the schema's columns
    expect(top('SELECT * FROM orders, users WHERE orders.user_id = users.id AND email = $1', s)).toBe('many');
    expect(top('SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE email = $1 AND o.id = $2', s)).toBe('one');
  });

  it('a table the config says is small is small', () => {
    const s = schema();
    expect(top('SELECT * FROM countries', s)).toBe('small');
    expect(top('SELECT * FROM countries WHERE code = $1', s)).toBe('one');
    expect(top('SELECT * FROM countries c JOIN users u ON u.id = c.owner_id', s)).toBe('small');
    expect(top('SELECT * FROM users', s)).toBe('many');
  });

  it('a schema table without an id key is not keyed by id', () => {
    const s = schema();
    expect(top('SELECT * FROM memberships WHERE id = $1', s)).toBe('many');
  });
});

describe('the cost estimate reads row estimates', () => {
  const factors = (sql: string) => analyze(sql, { dialect: 'postgresql' }).statements[0]!.cost!.factors.map((f) => f.id);
  it('a one-row cross join is a join, not a Cartesian product', () => {
    expect(factors('SELECT u.id, t.n FROM users u CROSS JOIN (SELECT count(*) AS n FROM users) t')).not.toContain('cartesianJoin');
    expect(factors('SELECT u.id FROM users u, orders o')).toContain('cartesianJoin');
  });
  it('a correlated subquery under a one-row query is a plain subquery', () => {
    // a range correlation: each run scans (an equality on an inner column is an index lookup, which no-correlated-subquery and the cost leave alone)
    expect(factors('SELECT u.id, (SELECT count(*) FROM orders o WHERE o.created_at > u.seen_at) FROM users u WHERE u.id = $1')).not.toContain('correlatedSubquery');
    expect(factors('SELECT u.id, (SELECT count(*) FROM orders o WHERE o.created_at > u.seen_at) FROM users u')).toContain('correlatedSubquery');
  });
});
