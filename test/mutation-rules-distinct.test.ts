import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-distinct-with-join.ts (issue 19, mutation testing): the message and
// range, which selected columns name one table, which join keys are unique, anti-joins, and the
// CTEs and derived tables that are unique on a key.

beforeAll(() => ready());

const RULE = 'no-distinct-with-join';
const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text, org_id int);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, code text, status text);
CREATE UNIQUE INDEX orders_code ON orders (code) WHERE status = 'x';
CREATE TABLE tags (name text, user_id int, UNIQUE (user_id, name));`;
const fanOut = (table: string, others: string) => `DISTINCT removes the copies of ${table} rows that the join with ${others} creates: every copy is produced, then sorted or hashed away; filter with EXISTS (SELECT 1 FROM ${others} WHERE ...) instead of joining`;
const n = (sql: string, ddl?: string) => marked(RULE, sql, ddl === undefined ? {} : { ddl }).length;

describe('no-distinct-with-join: the finding', () => {
  it('marks DISTINCT and names the kept table and every joined one', () => {
    expect(findings(RULE, 'SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id JOIN tags t ON t.user_id = u.id')).toEqual([`1:8-1:16 ${fanOut('u', 'o, t')}`]);
    expect(findings(RULE, 'SELECT DISTINCT users.id FROM users JOIN (SELECT user_id FROM orders) ON user_id = users.id')).toEqual([`1:8-1:16 ${fanOut('users', 'a subquery')}`]);
    expect(findings(RULE, 'WITH x AS (SELECT user_id FROM orders) SELECT DISTINCT u.id FROM users u JOIN x ON x.user_id = u.id')).toEqual([`1:47-1:55 ${fanOut('u', 'x')}`]);
  });

  it('not with RIGHT, FULL or NATURAL joins', () => {
    for (const j of ['RIGHT JOIN orders o ON o.user_id = u.id', 'FULL JOIN orders o ON o.user_id = u.id', 'NATURAL JOIN orders o']) expect(n(`SELECT DISTINCT u.id FROM users u ${j}`), j).toBe(0);
  });
});

describe('no-distinct-with-join: the selected columns', () => {
  it('t.* by alias or table name in any case; not a qualifier of no table', () => {
    expect(n('SELECT DISTINCT users.* FROM users u JOIN orders o ON o.user_id = u.id')).toBe(1);
    expect(n('SELECT DISTINCT U.id FROM users u JOIN orders o ON o.user_id = u.id')).toBe(1);
    expect(n('SELECT DISTINCT z.* FROM users u JOIN orders o ON o.user_id = u.id')).toBe(0);
    expect(n('SELECT DISTINCT z.id FROM users u JOIN orders o ON o.user_id = u.id')).toBe(0);
  });

  it('a key of the kept table must be among them: an expression beside the key is fine, a constant or a non-key is not', () => {
    expect(n('SELECT DISTINCT lower(u.email), u.id FROM users u JOIN orders o ON o.user_id = u.id')).toBe(1);
    expect(n('SELECT DISTINCT u.email FROM users u JOIN orders o ON o.user_id = u.id')).toBe(0);
    expect(n('SELECT DISTINCT 1 FROM users u JOIN orders o ON o.user_id = u.id')).toBe(0);
    // unqualified: the schema places org_id in users, but it is no key
    expect(n('SELECT DISTINCT org_id FROM users u JOIN orders o ON o.user_id = u.id', DDL)).toBe(0);
  });
});

describe('no-distinct-with-join: joins that add at most one row', () => {
  it('a key fixed to a constant or to another table, either way round; not by itself, under OR or NOT, wrapped, or a range', () => {
    for (const on of ['o.id = 5', 'o.id = u.org_id', 'u.org_id = o.id']) expect(n(`SELECT DISTINCT u.id FROM users u JOIN orders o ON ${on}`), on).toBe(0);
    for (const on of ['o.id = o.user_id', 'o.id = u.org_id OR o.id = 1', 'NOT (o.id = u.org_id)', 'lower(o.id) = u.org_id', 'o.id > u.org_id']) expect(n(`SELECT DISTINCT u.id FROM users u JOIN orders o ON ${on}`), on).toBe(1);
  });

  it('USING names the join columns', () => {
    expect(n('SELECT DISTINCT u.id FROM users u JOIN orders o USING (id)')).toBe(0);
    expect(n('SELECT DISTINCT u.id FROM users u JOIN orders o USING (user_id)')).toBe(1);
  });

  it('with the schema: a whole unique key, not part of one, not a partial unique index', () => {
    expect(n('SELECT DISTINCT u.id FROM users u JOIN tags t ON t.user_id = u.id AND t.name = $1', DDL)).toBe(0);
    expect(n('SELECT DISTINCT u.id FROM users u JOIN tags t ON t.user_id = u.id', DDL)).toBe(1);
    expect(n('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.code = u.email', DDL)).toBe(1);
  });

  it('a CTE or derived table: one row, grouped by the key (by column name, qualified or not, or a column list), DISTINCT (ON) the key', () => {
    const joined = (cte: string, key = 'user_id') => n(`WITH x AS (${cte}) SELECT DISTINCT u.id FROM users u JOIN x ON x.${key} = u.id`);
    expect(n('SELECT DISTINCT u.id FROM users u JOIN (SELECT user_id FROM orders LIMIT 1) x ON x.user_id = u.id')).toBe(0);
    expect(joined('SELECT user_id FROM orders GROUP BY user_id')).toBe(0);
    expect(joined('SELECT o.user_id FROM orders o GROUP BY o.user_id')).toBe(0);
    expect(n('WITH x(k) AS (SELECT user_id FROM orders GROUP BY user_id) SELECT DISTINCT u.id FROM users u JOIN x ON x.k = u.id')).toBe(0);
    expect(joined('SELECT DISTINCT ON (user_id) user_id, status FROM orders')).toBe(0);
    expect(joined('SELECT DISTINCT user_id FROM orders')).toBe(0);
    for (const cte of ['SELECT user_id FROM orders', 'SELECT user_id, status FROM orders GROUP BY user_id, lower(status)', 'SELECT DISTINCT ON (status) user_id, status FROM orders', 'SELECT DISTINCT * FROM orders', 'SELECT DISTINCT user_id, status FROM orders']) {
      expect(joined(cte), cte).toBe(1);
    }
    expect(n('SELECT DISTINCT u.id FROM users u JOIN (SELECT user_id FROM orders UNION SELECT 1) x ON x.user_id = u.id')).toBe(1);
    expect(n('WITH RECURSIVE x AS (SELECT user_id FROM orders GROUP BY user_id) SELECT DISTINCT u.id FROM users u JOIN x ON x.user_id = u.id')).toBe(1);
  });

  it('an anti-join: LEFT JOIN with IS NULL on a column the ON equates or on a key, plain and not under OR or NOT', () => {
    const left = (where: string) => n(`SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE ${where}`);
    expect(left('o.user_id IS NULL')).toBe(0);
    expect(left('o.id IS NULL')).toBe(0);
    for (const w of ['o.status IS NULL', 'NOT (o.user_id IS NULL)', 'u.email IS NULL', 'o.user_id IS NULL OR u.id = 1', 'coalesce(o.user_id, 1) IS NULL', 'o.user_id IS NOT NULL']) expect(left(w), w).toBe(1);
    expect(n('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE o.user_id IS NULL')).toBe(1);
    // HAVING does not fix a joined key
    expect(n('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id, o.id HAVING o.id = 1')).toBe(1);
  });
});
