import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/unknown-column.ts (issue 19, mutation testing): the message with its
// tables and hint, the name's range, qualified and unqualified names, enclosing queries, the names
// it leaves alone, and UPDATE ... SET.

beforeAll(() => ready());

const RULE = 'unknown-column';
const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text, org_id int);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text);
CREATE TABLE logs AS SELECT * FROM users;
CREATE VIEW v AS SELECT id FROM users;`;
const f = (sql: string) => findings(RULE, sql, { ddl: DDL });

describe('unknown-column', () => {
  it('a qualified name: the table behind the alias, the name only, a hint when one is close', () => {
    expect(f('SELECT o.stauts FROM orders o')).toEqual(['1:10-1:16 column stauts is not in orders; did you mean status?']);
    expect(f('SELECT o.xyzzy FROM orders o')).toEqual(['1:10-1:15 column xyzzy is not in orders']);
    expect(f('SELECT x.stauts FROM orders o')).toEqual([]);
    expect(f('SELECT nope.stauts FROM nope')).toEqual([]);
  });

  it('an unqualified name: every table of the query and of the queries around it', () => {
    expect(f('SELECT id FROM orders WHERE stauts = $1')).toEqual(['1:29-1:35 column stauts is not in orders; did you mean status?']);
    expect(f('SELECT emial FROM orders o JOIN users u ON u.id = o.user_id')).toEqual(['1:8-1:13 column emial is not in orders, users; did you mean email?']);
    expect(f('SELECT id FROM orders WHERE EXISTS (SELECT 1 FROM users WHERE emale = 1)')).toEqual(['1:63-1:68 column emale is not in users, orders; did you mean email?']);
    expect(f('SELECT id FROM orders WHERE EXISTS (SELECT 1 FROM users WHERE status = 1)')).toEqual([]);
    expect(f('DELETE FROM orders WHERE stauts = 1')).toEqual(['1:26-1:32 column stauts is not in orders; did you mean status?']);
  });

  it('leaves alone system columns, value words, select aliases, table names and aliases, stars, and tables whose columns are unknown', () => {
    for (const sql of ['SELECT ctid, xmin, o.ctid FROM orders o', 'SELECT CURRENT_DATE, current_user FROM orders', 'SELECT status AS S FROM orders ORDER BY s', 'SELECT o FROM orders o', 'SELECT Orders FROM orders', 'SELECT count(*) FROM orders', 'SELECT stauts FROM (SELECT id FROM orders) x', 'SELECT stauts FROM logs', 'SELECT stauts FROM nope', 'SELECT stauts FROM orders, nope']) {
      expect(f(sql), sql).toEqual([]);
    }
    expect(f('SELECT stauts FROM v')).toEqual(['1:8-1:14 column stauts is not in v']);
  });

  it('UPDATE ... SET: each assigned column of the target, quoted or not', () => {
    expect(f('UPDATE orders SET stauts = 1 WHERE id = 1')).toEqual(['1:19-1:25 column stauts is not in orders; did you mean status?']);
    expect(f('UPDATE orders SET status = 1, emale = 2 WHERE id = 1')).toEqual(['1:31-1:36 column emale is not in orders']);
    expect(f('UPDATE orders SET "Stauts" = 1')).toEqual(['1:19-1:27 column Stauts is not in orders; did you mean status?']);
    expect(f('UPDATE nope SET stauts = 1')).toEqual([]);
    expect(f('UPDATE orders o SET status = 1 FROM users u WHERE u.id = o.user_id AND u.emale = 1')).toEqual(['1:74-1:79 column emale is not in users; did you mean email?']);
  });

  it('nothing without a schema', () => {
    expect(findings(RULE, 'SELECT o.stauts FROM orders o')).toEqual([]);
  });

  it('SET marks the assigned name, not the same name in its value; a whole-row reference names any of the tables', () => {
    expect(f('UPDATE orders SET stauts = stauts + 1').map((x) => x.slice(0, x.indexOf(' ')))).toEqual(['1:19-1:25', '1:28-1:34']);
    expect(f('SELECT u FROM orders o, users u')).toEqual([]);
  });
});
