import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, fixedText, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-not-in-subquery.ts (issue 19, mutation testing): when the subquery's
// output can be NULL, where the finding lands, the message, and the NOT EXISTS suggestion.

beforeAll(() => ready());

const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, nick text);
CREATE TABLE bans (user_id int, org_id int, reason text, PRIMARY KEY (org_id, reason));`;
const RULE = 'no-not-in-subquery';
const notIn = (operand: string) => `NOT IN (SELECT ...) matches nothing as soon as the subquery returns a NULL, and planners cannot turn it into an anti-join; use NOT EXISTS (SELECT 1 FROM ... WHERE ... = ${operand})`;
const reported = (sql: string, ddl?: string) => marked(RULE, sql, ddl === undefined ? {} : { ddl }).length;
const fixes = (sql: string) => fixedText(RULE, sql).map((f) => f?.output ?? null);

describe('no-not-in-subquery: when the output can be NULL', () => {
  it('a comparison in the subquery WHERE keeps NULLs out; IS NULL, NOT IN, NOT LIKE, IS DISTINCT FROM and SIMILAR TO do not', () => {
    const where = (cond: string) => reported(`SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE ${cond})`);
    for (const c of ['user_id = 1', 'user_id < 1', 'user_id <= 1', 'user_id > 1', 'user_id >= 1', 'user_id <> 1', 'user_id != 1', 'user_id IN (1, 2)', 'user_id = ANY($1)', "user_id LIKE 'a%'", "user_id ILIKE 'a%'", 'user_id BETWEEN 1 AND 2', 'user_id IS NOT NULL', 'bans.user_id > 0']) {
      expect(where(c), c).toBe(0);
    }
    for (const c of ['user_id IS NULL', 'user_id NOT IN (1)', 'user_id NOT LIKE $1', 'user_id IS DISTINCT FROM 1', 'user_id SIMILAR TO $1', 'NOT (user_id = 1)', 'lower(user_id) = $1', 'user_id = 1 OR reason = $2', 'reason = $1']) {
      expect(where(c), c).toBe(1);
    }
  });

  it('literals other than NULL and COUNT never give NULL; other functions, * and outer columns may', () => {
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT 1 FROM bans)')).toBe(0);
    expect(reported("SELECT id FROM users WHERE id NOT IN (SELECT '1'::int FROM bans)")).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT count(*) FROM bans)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT NULL FROM bans)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT max(id) FROM bans)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT * FROM bans)')).toBe(1);
    expect(reported('SELECT id FROM users u WHERE id NOT IN (SELECT u.id FROM bans)')).toBe(1);
  });

  it('a row value needs every column non-NULL; a column named count is a column; only WHERE rejects NULLs, of the same table', () => {
    expect(reported('SELECT id FROM users WHERE (id, email) NOT IN (SELECT id, user_id FROM bans)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE (id, email) NOT IN (SELECT id, 1 FROM bans)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT count FROM bans)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT x.a FROM bans b LEFT JOIN x ON x.a = b.user_id)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT b.user_id FROM bans b, orders o WHERE o.user_id > 0)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT b.user_id FROM bans b, orders o WHERE b.user_id > 0)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans, orders WHERE user_id > 0)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (VALUES (1))')).toBe(1);
  });

  it('without the table in the schema only `id` (any case) is a key', () => {
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT ID FROM bans)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)')).toBe(1);
  });

  it('with the schema: a primary-key column (of a composite key too) or a NOT NULL column; not another column', () => {
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT org_id FROM bans)', DDL)).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT reason FROM bans)', DDL)).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT email FROM users)', DDL)).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)', DDL)).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT nick FROM users)', DDL)).toBe(1);
  });

  it('the NULLs outer joins add: every side of a FULL join, the joined side of a LEFT join, the other side of a RIGHT join', () => {
    const q = (col: string, join: string) => reported(`SELECT id FROM users WHERE id NOT IN (SELECT ${col}.id FROM bans b ${join} JOIN x ON x.a = b.id)`);
    expect([q('b', 'FULL'), q('x', 'FULL')]).toEqual([1, 1]);
    expect([q('b', 'LEFT'), q('x', 'LEFT')]).toEqual([0, 1]);
    expect([q('b', 'RIGHT'), q('x', 'RIGHT')]).toEqual([1, 0]);
    expect([q('b', ''), q('x', '')]).toEqual([0, 0]);
  });

  it('CTEs and set operations: every branch must be non-NULL; a CTE column list names the column; a recursive CTE is not followed', () => {
    expect(reported('WITH b(x) AS (SELECT id FROM users) SELECT id FROM users WHERE id NOT IN (SELECT x FROM b)')).toBe(0);
    expect(reported('WITH b(x) AS (SELECT user_id FROM bans) SELECT id FROM users WHERE id NOT IN (SELECT x FROM b)')).toBe(1);
    expect(reported('WITH b AS (SELECT 1 AS y FROM users) SELECT id FROM users WHERE id NOT IN (SELECT y FROM b)')).toBe(0);
    expect(reported('WITH b AS (SELECT id FROM users) SELECT id FROM users WHERE id NOT IN (SELECT y FROM b)')).toBe(1);
    // a set operation's columns are named by its first branch: the others are matched by position
    expect(reported('WITH b AS (SELECT id FROM users UNION SELECT 2) SELECT id FROM users WHERE id NOT IN (SELECT id FROM b)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT x.id FROM (SELECT id FROM users UNION SELECT user_id AS id FROM bans) x)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT x.id FROM (SELECT id FROM users UNION SELECT user_id AS id FROM bans WHERE user_id > 0) x)')).toBe(0);
    expect(reported('WITH b AS (SELECT id FROM users UNION SELECT user_id FROM bans) SELECT id FROM users WHERE id NOT IN (SELECT id FROM b)')).toBe(1);
    expect(reported('WITH RECURSIVE b AS (SELECT id FROM users UNION SELECT id FROM b) SELECT id FROM users WHERE id NOT IN (SELECT id FROM b)')).toBe(1);
    expect(reported('WITH b AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM users WHERE id NOT IN (SELECT id FROM b)')).toBe(1);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT id FROM users UNION SELECT 2)')).toBe(0);
    expect(reported('SELECT id FROM users WHERE id NOT IN (SELECT id FROM users UNION SELECT user_id FROM bans)')).toBe(1);
  });

  it('set operations nested deeper than eight are not followed', () => {
    const nested = (n: number) => {
      let q = 'SELECT id FROM users';
      for (let i = 0; i < n; i++) q = `SELECT id FROM users UNION (${q})`;
      return `SELECT id FROM orders WHERE user_id NOT IN (${q})`;
    };
    expect(reported(nested(7))).toBe(0);
    expect(reported(nested(8))).toBe(0);
    expect(reported(nested(9))).toBe(1);
  });
});

describe('no-not-in-subquery: the finding', () => {
  it('marks the NOT IN words, or the NOT of NOT (x IN ...), and names the left operand', () => {
    expect(findings(RULE, 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)')).toEqual([`1:31-1:37 ${notIn('id')}`]);
    expect(findings(RULE, 'SELECT id FROM users WHERE u.x + 1 not\n  in (SELECT user_id FROM bans)')).toEqual([`1:36-2:5 ${notIn('u.x + 1')}`]);
    expect(findings(RULE, 'SELECT id FROM users WHERE NOT id IN (SELECT user_id FROM bans)')).toEqual([`1:28-1:31 ${notIn('id')}`]);
    expect(findings(RULE, 'SELECT id FROM users WHERE (NOT (id IN (SELECT user_id FROM bans)))')).toEqual([`1:29-1:32 ${notIn('id')}`]);
  });
});

describe('no-not-in-subquery: the NOT EXISTS suggestion', () => {
  it('qualifies an unqualified outer column by the alias or table it comes from, quoted as written', () => {
    expect(fixes('SELECT id FROM users u WHERE id NOT IN (SELECT user_id FROM bans)')).toEqual(['SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bans WHERE user_id = u.id)']);
    expect(fixes('SELECT id FROM "Users" WHERE id NOT IN (SELECT user_id FROM bans)')).toEqual(['SELECT id FROM "Users" WHERE NOT EXISTS (SELECT 1 FROM bans WHERE user_id = "Users".id)']);
    expect(fixes('SELECT u.id FROM users u, orgs o WHERE u.id NOT IN (SELECT user_id FROM bans)')).toEqual(['SELECT u.id FROM users u, orgs o WHERE NOT EXISTS (SELECT 1 FROM bans WHERE user_id = u.id)']);
    expect(fixes('SELECT u.id FROM users u, orgs o WHERE id NOT IN (SELECT user_id FROM bans)')).toEqual([null]);
  });

  it('is a suggestion, not a safe fix: the results change where a NULL was', () => {
    expect(fixedText(RULE, 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)')).toEqual([{ output: 'SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans WHERE user_id = users.id)', safe: false, description: 'Rewrite as NOT EXISTS (returns rows where NOT IN returned none because of a NULL)' }]);
  });

  it('adds the WHERE after the last table, its alias or the last join', () => {
    expect(fixes('SELECT id FROM users u WHERE id NOT IN (SELECT user_id FROM bans b)')).toEqual(['SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bans b WHERE user_id = u.id)']);
    expect(fixes('SELECT id FROM users u WHERE id NOT IN (SELECT user_id FROM bans AS b)')).toEqual(['SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bans AS b WHERE user_id = u.id)']);
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans b JOIN x ON x.a = b.org_id)')).toEqual(['SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans b JOIN x ON x.a = b.org_id WHERE user_id = users.id)']);
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans b, x)')).toEqual(['SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans b, x WHERE user_id = users.id)']);
    // a clause the model does not carry follows the FROM list
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WINDOW w AS (ORDER BY 1))')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans b WINDOW w AS (ORDER BY 1))')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans AS b WINDOW w AS (ORDER BY b))')).toEqual([null]);
  });

  it('none unless the rewrite is plain', () => {
    // each with a WHERE: without one, any clause after the FROM list already stops the rewrite
    for (const sub of ['SELECT user_id FROM bans WHERE r = 1 GROUP BY user_id', 'SELECT user_id FROM bans WHERE r = 1 GROUP BY user_id HAVING count(*) > 1', 'SELECT DISTINCT user_id FROM bans WHERE r = 1', 'SELECT user_id FROM bans WHERE r = 1 ORDER BY user_id', 'SELECT user_id FROM bans WHERE r = 1 LIMIT 5', 'SELECT user_id FROM bans WHERE r = 1 OFFSET 5', 'SELECT user_id FROM bans WHERE r = 1 FOR UPDATE', 'SELECT $1::int', 'SELECT user_id FROM bans WHERE r = 1 UNION SELECT 2', 'SELECT user_id + (SELECT 1) FROM bans WHERE r = 1', 'SELECT sum(user_id) OVER () FROM bans WHERE r = 1', 'SELECT coalesce(user_id, max(org_id)) FROM bans WHERE r = 1', 'SELECT user_id, r FROM bans WHERE r = 1']) {
      expect(fixes(`SELECT id FROM users WHERE id NOT IN (${sub})`), sub).toEqual([null]);
    }
    expect(fixes('SELECT id FROM users WHERE (id, email) NOT IN (SELECT user_id, r FROM bans WHERE r = 1)')).toEqual([null]);
    // the outer column seen from a nested subquery is outer there too
    expect(fixes('SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orgs o WHERE u.id NOT IN (SELECT user_id FROM bans WHERE r = 1))')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE r = 1)')).toEqual(['SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans WHERE (r = 1) AND user_id = users.id)']);
    // a subquery table named like the outer qualifier would capture it
    expect(fixes('SELECT id FROM users u WHERE u.id NOT IN (SELECT user_id FROM bans AS U WHERE r = 1)')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE users.id NOT IN (SELECT user_id FROM users WHERE r = 1)')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE id + 1 NOT IN (SELECT user_id FROM bans)')).toEqual([null]);
    expect(fixes('SELECT id FROM users WHERE (id, email) NOT IN (SELECT user_id, reason FROM bans)')).toEqual([null]);
  });
});
