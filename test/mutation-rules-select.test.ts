import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, fixedText, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-select-star.ts (issue 19, mutation testing): the whole message, which
// stars are delivered to the client, and the column-list fix.

beforeAll(() => ready());

/** Four column names that list in exactly 80 characters. */
const EIGHTY = ['a'.repeat(20), 'b'.repeat(18), 'c'.repeat(18), 'd'.repeat(18)];
const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text, "Full Name" text);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);
CREATE TABLE eighty (${EIGHTY.map((c) => `${c} int`).join(', ')});
CREATE TABLE wide (id int PRIMARY KEY, a_rather_long_column_name int, another_rather_long_column_name int, a_third_long_column_name int);`;

const star = (text: string, table: string) => `${text} returns every column of every matching row of ${table}, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses`;
const fix = (sql: string, dialect: 'postgresql' | 'mysql' | 'sqlite' = 'postgresql') => fixedText('no-select-star', sql, { ddl: DDL, dialect });

describe('no-select-star: the finding', () => {
  it('names the star as written and every table under it, or the alias of a derived table, or "a subquery"', () => {
    expect(findings('no-select-star', 'SELECT * FROM orders')).toEqual([`1:8-1:9 ${star('*', 'orders')}`]);
    expect(findings('no-select-star', 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id')).toEqual([`1:8-1:9 ${star('*', 'orders, users')}`]);
    expect(findings('no-select-star', 'SELECT U.* FROM users u JOIN orders o ON o.user_id = u.id')).toEqual([`1:8-1:11 ${star('U.*', 'users')}`]);
    expect(findings('no-select-star', 'SELECT * FROM (SELECT * FROM events)')).toEqual([`1:8-1:9 ${star('*', 'a subquery')}`, `1:23-1:24 ${star('*', 'events')}`]);
    expect(findings('no-select-star', 'SELECT * FROM (SELECT * FROM orders UNION SELECT * FROM old) x')).toEqual([`1:8-1:9 ${star('*', 'x')}`, `1:23-1:24 ${star('*', 'orders')}`, `1:50-1:51 ${star('*', 'old')}`]);
  });

  it('a star under EXISTS, also in a set operation there, reads nothing', () => {
    expect(marked('no-select-star', 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders UNION SELECT * FROM bans)')).toEqual([]);
    expect(marked('no-select-star', 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)')).toEqual([]);
  });

  it('a CTE with a column list reads what it lists; its own star is delivered through the consumer', () => {
    expect(findings('no-select-star', 'WITH r(a, b) AS (SELECT * FROM orders) SELECT * FROM r')).toEqual([`1:25-1:26 ${star('*', 'orders')}`]);
  });

  it('a star in a derived table is delivered only when the consumer selects that table with its star', () => {
    expect(marked('no-select-star', 'SELECT y.* FROM (SELECT * FROM orders) x, users y')).toEqual(['y.*']);
    expect(findings('no-select-star', 'SELECT x.* FROM (SELECT * FROM orders) x, users y')).toEqual([`1:8-1:11 ${star('x.*', 'x')}`, `1:25-1:26 ${star('*', 'orders')}`]);
    // the consumer is a branch of a set operation: its rows leave the statement through it
    expect(findings('no-select-star', 'SELECT * FROM (SELECT * FROM orders) x UNION ALL SELECT * FROM users').map((f) => f.split(' ')[0])).toEqual(['1:8-1:9', '1:23-1:24', '1:57-1:58']);
  });

  it('RETURNING * of a DELETE or UPDATE is not a query over a table', () => {
    expect(marked('no-select-star', 'DELETE FROM orders WHERE total > 5 RETURNING *')).toEqual([]);
    expect(marked('no-select-star', 'UPDATE orders SET total = 1 RETURNING *')).toEqual([]);
  });

  it('a derived table passes every column on when one of its items is a star over one table that reads them', () => {
    expect(marked('no-select-star', 'SELECT * FROM (SELECT *, 1 AS x FROM orders) d')).toEqual(['*', '*']);
    expect(marked('no-select-star', 'SELECT * FROM (SELECT * FROM orders, (SELECT 1 AS k) s) d')).toEqual(['*', '*']);
    // an unqualified star of the consumer reads every source, the derived table among them
    expect(marked('no-select-star', 'SELECT * FROM (SELECT * FROM orders) x, users y')).toEqual(['*', '*']);
  });

  it('a CTE is delivered only through a star over that CTE', () => {
    expect(marked('no-select-star', 'WITH a AS (SELECT * FROM orders), b AS (SELECT id FROM users) SELECT b.* FROM a, b')).toEqual([]);
    expect(marked('no-select-star', 'WITH a AS (SELECT * FROM orders), b AS (SELECT id FROM users) SELECT a.* FROM a, b')).toEqual(['*', 'a.*']);
  });

  it('a recursive CTE that passes its star on is followed once, not forever', () => {
    expect(marked('no-select-star', 'WITH RECURSIVE r AS (SELECT * FROM t UNION ALL SELECT * FROM r) SELECT * FROM r')).toEqual(['*', '*', '*']);
    expect(marked('no-select-star', 'WITH RECURSIVE r AS (SELECT * FROM t UNION ALL SELECT * FROM r) SELECT id FROM r')).toEqual([]);
    expect(marked('no-select-star', 'WITH RECURSIVE r AS (SELECT id FROM t UNION ALL SELECT * FROM r) SELECT * FROM r')).toEqual([]);
  });
});

describe('no-select-star: the column-list fix', () => {
  it('lists the columns, unqualified for one table and qualified by alias or table name over several, quoted as needed', () => {
    expect(fix('SELECT * FROM orders')).toEqual([{ output: 'SELECT id, user_id, total FROM orders', safe: true, description: 'List the columns: id, user_id, total' }]);
    expect(fix('SELECT * FROM orders o JOIN users u ON u.id = o.user_id')[0]?.output).toBe('SELECT o.id, o.user_id, o.total, u.id, u.email, u."Full Name" FROM orders o JOIN users u ON u.id = o.user_id');
    expect(fix('SELECT * FROM orders JOIN users ON users.id = orders.user_id', 'sqlite')[0]?.output).toBe('SELECT orders.id, orders.user_id, orders.total, users.id, users.email, users."Full Name" FROM orders JOIN users ON users.id = orders.user_id');
    expect(fix('SELECT orders.* FROM orders JOIN users ON users.id = orders.user_id', 'mysql')[0]?.output).toBe('SELECT orders.id, orders.user_id, orders.total FROM orders JOIN users ON users.id = orders.user_id');
  });

  it('keeps a qualifier as written, spaces around the dot included', () => {
    expect(fix('SELECT U.* FROM users u JOIN orders o ON o.user_id = u.id')[0]?.output).toBe('SELECT U.id, U.email, U."Full Name" FROM users u JOIN orders o ON o.user_id = u.id');
    expect(fix('SELECT o . * FROM orders o')[0]?.output).toBe('SELECT o.id, o.user_id, o.total FROM orders o');
  });

  it('cuts a description longer than 80 characters', () => {
    expect(fix('SELECT * FROM wide')[0]?.description).toBe('List the columns: id, a_rather_long_column_name, another_rather_long_column_name, a_third_long_...');
    expect(fix('SELECT * FROM eighty')[0]?.description).toBe(`List the columns: ${EIGHTY.join(', ')}`);
  });

  it('a quoted or longer qualifier is kept as written', () => {
    expect(fix('SELECT "ord".* FROM orders "ord"')[0]?.output).toBe('SELECT "ord".id, "ord".user_id, "ord".total FROM orders "ord"');
    expect(fix('SELECT ord.* FROM orders ord')[0]?.output).toBe('SELECT ord.id, ord.user_id, ord.total FROM orders ord');
    expect(fix('SELECT `ord`.* FROM orders `ord`', 'mysql')[0]?.output).toBe('SELECT `ord`.id, `ord`.user_id, `ord`.total FROM orders `ord`');
  });

  it('no fix over a CTE named like a table of the schema', () => {
    expect(fix('WITH orders AS (SELECT * FROM users) SELECT * FROM orders').map((f) => f?.output ?? null)).toEqual(['WITH orders AS (SELECT id, email, "Full Name" FROM users) SELECT * FROM orders', null]);
  });

  it('no fix without a schema, for a table it does not know, or for a bare * over USING or NATURAL (which merges columns)', () => {
    expect(fixedText('no-select-star', 'SELECT * FROM orders')).toEqual([null]);
    expect(fix('SELECT * FROM orders, audit')).toEqual([null]);
    expect(fix('SELECT * FROM (SELECT * FROM events) e')).toEqual([null, null]);
    expect(fix('SELECT * FROM orders NATURAL JOIN users')).toEqual([null]);
    expect(fix('SELECT * FROM orders JOIN users USING (id)')).toEqual([null]);
    expect(fix('SELECT o.* FROM orders o JOIN users USING (id)')[0]?.output).toBe('SELECT o.id, o.user_id, o.total FROM orders o JOIN users USING (id)');
  });
});
