import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/require-where.ts and rules/no-inequality-filter.ts (issue 19, mutation
// testing): ranges and messages, and the statements and conditions each leaves alone.

beforeAll(() => ready());

const WHERE = 'require-where';
const missing = (statement: string, table: string) => `${statement} has no WHERE clause: it changes every row of ${table}; add the condition, or write WHERE true (TRUNCATE for a purge) to show it is meant`;

describe('require-where', () => {
  it('from the last UPDATE / DELETE keyword before the table to the table, in a CTE too', () => {
    expect(findings(WHERE, 'UPDATE users SET a = 1')).toEqual([`1:1-1:13 ${missing('UPDATE', 'users')}`]);
    expect(findings(WHERE, 'UPDATE users AS u SET a = 1')).toEqual([`1:1-1:13 ${missing('UPDATE', 'users')}`]);
    expect(findings(WHERE, 'DELETE FROM users')).toEqual([`1:1-1:18 ${missing('DELETE', 'users')}`]);
    expect(findings(WHERE, 'WITH x AS (SELECT 1) DELETE FROM public.users')).toEqual([`1:22-1:46 ${missing('DELETE', 'users')}`]);
    expect(findings(WHERE, "WITH x AS (SELECT 'update' AS delete_me) UPDATE users SET a = 1")).toEqual([`1:42-1:54 ${missing('UPDATE', 'users')}`]);
    expect(findings(WHERE, 'WITH d AS (DELETE FROM users RETURNING id) UPDATE orders SET a = 1')).toEqual([`1:12-1:29 ${missing('DELETE', 'users')}`, `1:44-1:57 ${missing('UPDATE', 'orders')}`]);
  });

  it('not with a WHERE, a FROM / USING, a LIMIT, nor a SELECT', () => {
    for (const sql of ['UPDATE users SET a = 1 WHERE true', 'UPDATE users SET a = 1 FROM x', 'DELETE FROM users USING x', 'SELECT 1 FROM users']) expect(findings(WHERE, sql), sql).toEqual([]);
    for (const sql of ['DELETE FROM users ORDER BY id LIMIT 10', 'UPDATE users SET a = 1 LIMIT 10']) expect(findings(WHERE, sql, { dialect: 'mysql' }), sql).toEqual([]);
  });
});

const NE = 'no-inequality-filter';
const only = (expr: string, table: string) => `\`${expr}\` is the only filter on ${table}: an index cannot serve a not-equal test, so every row is read`;

describe('no-inequality-filter', () => {
  it('each not-equal test when a table has no other filter, in WHERE of any statement', () => {
    expect(findings(NE, "SELECT id FROM users WHERE status <> 'x'")).toEqual([`1:28-1:41 ${only("status <> 'x'", 'users')}`]);
    expect(findings(NE, "SELECT id FROM users WHERE status <> 'x' AND kind != 2")).toEqual([`1:28-1:41 ${only("status <> 'x'", 'users')}`, `1:46-1:55 ${only('kind != 2', 'users')}`]);
    expect(findings(NE, 'SELECT u.id FROM users u WHERE u.a <> $1')).toEqual([`1:32-1:41 ${only('u.a <> $1', 'users')}`]);
    expect(findings(NE, "UPDATE users SET a = 1 WHERE status <> 'x'")).toEqual([`1:30-1:43 ${only("status <> 'x'", 'users')}`]);
    // an outer column is a constant for each run of the subquery
    expect(findings(NE, 'SELECT u.id FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE o.status <> u.status)')).toEqual([`1:78-1:98 ${only('o.status <> u.status', 'orders')}`]);
  });

  it('not when another condition restricts the table: an equality, one under OR, a join condition on either side', () => {
    for (const sql of [
      "SELECT id FROM users WHERE status != 'x' AND kind = 1",
      "SELECT id FROM users WHERE status <> 'x' AND (kind = 1 OR kind = 2)",
      "SELECT id FROM users WHERE status <> 'x' OR kind <> 2",
      "SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.status <> 'x'",
      "SELECT u.id FROM users u, orders o WHERE o.user_id = u.id AND u.status <> 'x'",
      'SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.a = 1 AND o.b <> 2',
      'SELECT u.id FROM users u WHERE u.a <> 1 AND u.a IS NOT NULL',
    ]) expect(findings(NE, sql), sql).toEqual([]);
  });

  it('a HAVING condition restricts nothing; a column of a CTE or of an outer query is no table of the block', () => {
    expect(findings(NE, "SELECT kind FROM users WHERE status <> 'x' GROUP BY kind HAVING kind = 1")).toEqual([`1:30-1:43 ${only("status <> 'x'", 'users')}`]);
    expect(findings(NE, 'WITH x AS (SELECT 1 AS a) SELECT 1 FROM x WHERE a <> 1')).toEqual([]);
    expect(findings(NE, "SELECT 1 FROM users u WHERE u.id = 1 AND EXISTS (SELECT 1 FROM orders o WHERE o.id = 2 AND u.status <> 'x')")).toEqual([]);
  });

  it('only in WHERE (not ON or HAVING), and not against a column, an expression of columns or a subquery', () => {
    expect(findings(NE, "SELECT u.id FROM users u JOIN orders o ON o.status <> 'x' WHERE u.status <> 'x'")).toEqual([`1:65-1:80 ${only("u.status <> 'x'", 'users')}`]);
    for (const sql of ["SELECT u.status, count(*) FROM users u GROUP BY u.status HAVING u.status <> 'x'", 'SELECT u.id FROM users u WHERE u.a <> u.b', 'SELECT u.id FROM users u WHERE u.a <> u.b + 1', 'SELECT u.id FROM users u WHERE u.a <> ALL (SELECT 1)', 'SELECT u.id FROM users u WHERE NOT (u.a = 1)']) expect(findings(NE, sql), sql).toEqual([]);
  });
});
