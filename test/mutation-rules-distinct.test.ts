import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, hostFindings, marked } from './helpers/rule-findings.js';

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

describe('no-distinct-with-join: the edges the first mutation run left', () => {
  const one = (sql: string, others = 'o', table = 'u') => [`1:${sql.indexOf('DISTINCT') + 1}-1:${sql.indexOf('DISTINCT') + 9} ${fanOut(table, others)}`];
  const silent = (sql: string, ddl?: string) => expect(findings(RULE, sql, ddl === undefined ? {} : { ddl }), sql).toEqual([]);
  const reported = (sql: string, others = 'o', ddl?: string) => expect(findings(RULE, sql, ddl === undefined ? {} : { ddl }), sql).toEqual(one(sql, others));

  it('selected columns: a function is no key whatever its name; a qualifier of no FROM item beside an unnamed subquery', () => {
    silent('SELECT DISTINCT id(u.email) FROM users u JOIN orders o ON o.user_id = u.id');
    silent('SELECT DISTINCT z.id FROM users u JOIN (SELECT user_id FROM orders) ON user_id = u.id');
  });

  it('a join key fixed to a column of no known table, or by another join\'s USING, does not count', () => {
    reported('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.id = org_id');
    reported('SELECT DISTINCT u.id FROM users u JOIN tags t USING (id) JOIN orders o ON o.user_id = u.id', 't, o');
  });

  it('a joined table written by a template hole is never unique, even on id', () => {
    const code = (key: string) => `async function f(t: string) {\n  await db.query(\`SELECT DISTINCT u.id FROM users u JOIN \${t} o ON o.${key} = u.org_id\`);\n}`;
    for (const key of ['id', 'user_id']) expect(hostFindings(RULE, code(key)), key).toEqual([`2:26-2:34 [DISTINCT] ${fanOut('u', 'o')}`]);
  });

  it('a unique index on an expression is no key of the joined columns', () => {
    reported('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id', 'o', `${DDL}\nCREATE UNIQUE INDEX orders_lower ON orders (lower(code));`);
  });

  it('functions, VALUES and set operations are never unique on a key, even grouped in their first branch', () => {
    reported('SELECT DISTINCT u.id FROM users u JOIN generate_series(1, 3) g ON g.g = u.id', 'g');
    reported('SELECT DISTINCT u.id FROM users u JOIN (VALUES (1), (2)) v(k) ON v.k = u.id', 'v');
    reported('SELECT DISTINCT u.id FROM users u JOIN (SELECT user_id FROM orders GROUP BY user_id UNION ALL SELECT user_id FROM orders GROUP BY user_id) x ON x.user_id = u.id', 'x');
  });

  it('grouped by the key: the projected column of that name and qualifier, either side unqualified; not a function of that name, not when grouped by more', () => {
    const cte = (body: string) => `WITH x AS (${body}) SELECT DISTINCT u.id FROM users u JOIN x ON x.user_id = u.id`;
    silent(cte('SELECT o.user_id FROM orders o GROUP BY user_id'));
    silent(cte('SELECT user_id FROM orders o GROUP BY o.user_id'));
    for (const body of ['SELECT o.user_id FROM orders o, tags t GROUP BY t.user_id', 'SELECT status(id) AS user_id FROM orders GROUP BY status', 'SELECT user_id FROM orders GROUP BY user_id, status']) reported(cte(body), 'x');
  });

  it('an anti-join: the IS NULL in the WHERE on a column of the LEFT JOINed table the ON equates (any of them); other joins may be unique', () => {
    silent('SELECT DISTINCT u.id FROM users u JOIN orders o2 ON o2.id = u.org_id LEFT JOIN orders o ON o.user_id = u.id WHERE o.user_id IS NULL');
    silent('SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status = $1 WHERE o.user_id IS NULL');
    // an inner join is no anti-join because another table is LEFT JOINed
    reported('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id LEFT JOIN tags g ON g.user_id = u.id WHERE o.user_id IS NULL AND g.user_id IS NULL', 'o, g');
    // the IS NULL is on another table's column of the same name
    reported('SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id LEFT JOIN tags g ON g.user_id = u.id WHERE g.user_id IS NULL', 'o, g');
    // the IS NULL is in the ON, or on a column only the WHERE equates
    reported('SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.user_id IS NULL');
    reported('SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.status IS NULL AND o.status = $1');
  });

  it('a RIGHT join among other joins', () => {
    silent('SELECT DISTINCT u.id FROM users u JOIN orders o ON o.user_id = u.id RIGHT JOIN tags t ON t.user_id = u.id');
  });
});
