import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-correlated-subquery.ts (issue 19, mutation testing): the three messages
// and the subquery's range, which subqueries run per outer row, which correlations are an index
// lookup, and the schema's indexes.

beforeAll(() => ready());

const RULE = 'no-correlated-subquery';
const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text, org_id int);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, code text, total int);
CREATE INDEX orders_user ON orders (user_id);
CREATE VIEW v AS SELECT id, user_id FROM orders;`;
const scalar = (refs: string) => `This subquery references ${refs} of the outer query other than by equality with an inner column, so it runs once per outer row and no index can find its rows; compute it once with a JOIN (GROUP BY in a derived table), a LATERAL join, or a window function`;
const inAny = (refs: string) => `This IN/ANY subquery references ${refs} of the outer query other than by equality with an inner column, so it is evaluated again for every outer row and no index can find its rows; write it as EXISTS (SELECT 1 ... WHERE ...) or a JOIN`;
const noIndex = (refs: string, table: string, columns: string) => `This subquery runs once per outer row (${refs}) and no index on ${table} (${columns}) serves it, so each outer row scans ${table}; index ${table} (${columns}), or compute it once with a JOIN on a derived table grouped by ${columns}`;
const n = (sql: string, ddl?: string) => marked(RULE, sql, ddl === undefined ? {} : { ddl }).length;
const sub = (where: string, select = 'max(o.total)') => `SELECT u.id, (SELECT ${select} FROM orders o ${where}) FROM users u`;

describe('no-correlated-subquery: the messages', () => {
  it('a scalar subquery, an IN and an ANY subquery, each with its range', () => {
    expect(findings(RULE, sub('WHERE o.total > u.org_id'))).toEqual([`1:15-1:73 ${scalar('u.org_id')}`]);
    expect(findings(RULE, 'SELECT u.id FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE o.total > u.org_id)')).toEqual([`1:41-1:96 ${inAny('u.org_id')}`]);
    expect(findings(RULE, 'SELECT u.id FROM users u WHERE u.id = ANY (SELECT o.user_id FROM orders o WHERE o.total > u.org_id)')).toEqual([`1:44-1:99 ${inAny('u.org_id')}`]);
  });

  it('with the schema, an equality no index serves: the table and its columns, once each', () => {
    expect(findings(RULE, sub('WHERE o.code = u.email'), { ddl: DDL })).toEqual([`1:15-1:71 ${noIndex('u.email', 'orders', 'code')}`]);
    expect(findings(RULE, sub('WHERE o.code = u.email AND o.total = u.org_id'), { ddl: DDL })).toEqual([`1:15-1:94 ${noIndex('u.email, u.org_id', 'orders', 'code, total')}`]);
    expect(findings(RULE, sub('WHERE o.code = u.email AND o.code = u.email'), { ddl: DDL }).map((f) => f.slice(f.indexOf('('), f.indexOf(')') + 1))).toEqual(['(u.email)']);
  });
});

describe('no-correlated-subquery: subqueries that run per outer row', () => {
  it('not EXISTS, nor one in ORDER BY', () => {
    expect(n('SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.total > u.org_id)')).toBe(0);
    expect(n('SELECT u.id FROM users u ORDER BY (SELECT max(o.total) FROM orders o WHERE o.total > u.org_id)')).toBe(0);
  });

  it('not under a one-row outer query; in the select list of a bounded page it runs per row shown, in WHERE not', () => {
    expect(n(`${sub('WHERE o.total > u.org_id')} WHERE u.id = 1`)).toBe(0);
    expect(n(`${sub('WHERE o.total > u.org_id')} LIMIT 10`)).toBe(0);
    expect(n('SELECT u.id FROM users u WHERE u.id > (SELECT max(o.total) FROM orders o WHERE o.total > u.org_id) LIMIT 10')).toBe(1);
  });

  it('not a subquery over VALUES, nor a set operation', () => {
    expect(n('SELECT u.id, (SELECT x FROM (VALUES (1)) v(x) WHERE x = u.id) FROM users u')).toBe(0);
    expect(n('SELECT u.id, (SELECT 1 UNION SELECT u.id) FROM users u')).toBe(0);
  });
});

describe('no-correlated-subquery: correlations an index serves', () => {
  it('an inner column equal to an expression of outer columns, either way round, beside residual conditions', () => {
    for (const w of ['WHERE o.user_id = u.id', 'WHERE o.user_id = u.id + 1', 'WHERE u.id = o.user_id', 'WHERE o.user_id = u.id AND o.total > u.org_id']) expect(n(sub(w)), w).toBe(0);
    // an outer column only in the select list changes the value, not the rows read
    expect(n(sub('', 'max(o.total) + u.org_id'))).toBe(0);
  });

  it('not an equality that also reads an inner column, under NOT, in HAVING or inside a nested subquery', () => {
    for (const w of ['WHERE o.user_id = u.id + o.id', 'WHERE NOT (o.user_id = u.id)', 'GROUP BY o.id HAVING o.id = u.id', 'WHERE o.user_id = (SELECT u.id)']) expect(n(sub(w)), w).toBe(1);
  });

  it('with the schema: an index or the primary key leading with the column; unknown tables, views and a second keyed table say nothing', () => {
    for (const w of ['WHERE o.user_id = u.id', 'WHERE o.id = u.org_id', 'WHERE o.code = u.email AND o.user_id = u.id']) expect(n(sub(w), DDL), w).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.total) FROM orders o, users x WHERE o.code = u.email AND x.id = u.id) FROM users u', DDL)).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.total) FROM x o WHERE o.code = u.email) FROM users u', DDL)).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.user_id) FROM v o WHERE o.user_id = u.email) FROM users u', DDL)).toBe(0);
    expect(n(sub('WHERE o.total > u.org_id'), DDL)).toBe(1);
  });
});

describe('no-correlated-subquery: which outer references count (the first run\'s survivors)', () => {
  it('an equality with an outer column, not with a constant nor through a nested subquery', () => {
    expect(findings(RULE, sub('WHERE o.user_id = 1 AND o.total > u.org_id'))).toEqual([`1:15-1:91 ${scalar('u.org_id')}`]);
    expect(n(sub('WHERE o.user_id = (SELECT u.id) + 0'))).toBe(1);
  });

  it('a nested subquery\'s reference to the subquery\'s own tables is not an outer reference', () => {
    expect(n(sub('WHERE o.total > (SELECT avg(p.total) FROM orders p WHERE p.user_id = o.user_id)', 'max(o.total) + u.org_id'))).toBe(0);
  });

  it('outer columns only in the select list, in any of its items, from its first character; not in a CTE before it', () => {
    expect(n(sub('', 'max(o.total), u.org_id'))).toBe(0);
    expect(n(sub('', 'u.org_id + max(o.total)'))).toBe(0);
    expect(n(sub('WHERE o.total > u.id', 'max(o.total) + u.org_id'))).toBe(1);
    expect(n('SELECT u.id, (WITH x AS (SELECT o.total FROM orders o WHERE o.total > u.org_id) SELECT max(total) FROM x) FROM users u')).toBe(1);
  });

  it('> ANY is an ANY subquery', () => {
    expect(findings(RULE, 'SELECT u.id FROM users u WHERE u.id > ANY (SELECT o.user_id FROM orders o WHERE o.total > u.org_id)')).toEqual([`1:44-1:99 ${inAny('u.org_id')}`]);
  });

  it('the outer query\'s rows: only the direct parent\'s page counts, every outer query must run once, a small table only in the select list', () => {
    const nested = 'SELECT u.id, (SELECT (SELECT max(o.total) FROM orders o WHERE o.total > u.org_id)) FROM users u';
    expect(marked(RULE, `${nested} LIMIT 1`)).toEqual(['SELECT max(o.total) FROM orders o WHERE o.total > u.org_id']);
    expect(marked(RULE, 'SELECT g.id FROM orgs g WHERE g.id IN (SELECT u.org_id FROM users u WHERE u.id = 1 AND u.email > (SELECT max(o.code) FROM orders o WHERE o.total > u.id + g.id))').length).toBe(2);
    const small = { ddl: DDL, tables: { users: { rows: 50 } } };
    expect(marked(RULE, 'SELECT u.id FROM users u WHERE u.id > (SELECT max(o.total) FROM orders o WHERE o.total > u.org_id)', small).length).toBe(1);
    expect(marked(RULE, sub('WHERE o.total > u.org_id'), small).length).toBe(0);
    expect(marked(RULE, nested, small).length).toBe(1);
  });

  it('a table beside VALUES is read; a set-returning function that is not an array\'s elements is a table; a VALUES subquery reads none', () => {
    expect(n('SELECT u.id, (SELECT max(o.total) FROM orders o, (VALUES (1)) v(x) WHERE o.total > u.org_id + x) FROM users u')).toBe(1);
    expect(n('SELECT u.id, (SELECT max(x) FROM generate_series(1, 10) g(x) WHERE x > u.org_id) FROM users u')).toBe(1);
    expect(n('SELECT u.id, (SELECT max(x) FROM unnest(u.tags) g(x) WHERE x > u.org_id) FROM users u')).toBe(0);
    expect(n('SELECT u.id, (VALUES (u.id)) FROM users u')).toBe(0);
  });

  it('with the schema: a column no FROM item owns, a table the schema lacks in either order, a derived table named like a table', () => {
    expect(n('SELECT u.id, (SELECT max(total) FROM orders o, items i WHERE code = u.email) FROM users u', DDL)).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.total) FROM orders o, items i WHERE o.code = u.email AND i.code = u.email) FROM users u', DDL)).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.total) FROM orders o, items i WHERE i.code = u.email AND o.code = u.email) FROM users u', DDL)).toBe(0);
    expect(n('SELECT u.id, (SELECT max(o.total) FROM (SELECT * FROM orders) orders WHERE orders.code = u.email) FROM users u', DDL)).toBe(0);
  });
});

describe('no-correlated-subquery: tables read (the second run\'s survivors)', () => {
  it('a small table or a small derived table is still read; XMLTABLE reads none', () => {
    expect(n(sub('WHERE o.total > u.org_id'), DDL)).toBe(1);
    expect(marked(RULE, sub('WHERE o.total > u.org_id'), { ddl: DDL, tables: { orders: { rows: 50 } } }).length).toBe(1);
    expect(n('SELECT u.id, (SELECT max(x.total) FROM (SELECT o.total FROM orders o LIMIT 5) x WHERE x.total > u.org_id) FROM users u')).toBe(1);
    expect(n("SELECT u.id, (SELECT max(x) FROM XMLTABLE('/a' PASSING u.doc COLUMNS x int) t WHERE x > u.org_id) FROM users u")).toBe(0);
  });

  it('a row built from outer columns reads no table, at any depth of derived tables; one over a table still does', () => {
    expect(n('SELECT u.id, row_to_json((SELECT r FROM (SELECT u.email AS mail, u.org_id) r)) FROM users u')).toBe(0);
    expect(n('SELECT u.id, (SELECT r.m FROM (SELECT x.m FROM (SELECT u.email AS m) x) r) FROM users u')).toBe(0);
    expect(n('SELECT u.id, (SELECT r.m FROM (SELECT x.m FROM (SELECT o.code AS m FROM orders o WHERE o.total > u.org_id) x) r) FROM users u')).toBe(1);
  });

  it('an equality with the outer column inside a derived table of the subquery is its index lookup', () => {
    const agg = (where: string) => `SELECT u.id, (SELECT array_agg(x.code) FROM (SELECT o.code FROM orders o WHERE ${where}) x) FROM users u`;
    expect(n(agg('o.user_id = u.id'))).toBe(0);
    expect(n(agg('o.user_id = u.id'), DDL)).toBe(0);
    expect(findings(RULE, agg('o.code = u.email'), { ddl: DDL }).map((f) => f.slice(f.indexOf(' ') + 1))).toEqual([noIndex('u.email', 'orders', 'code')]);
    expect(n(agg('o.total > u.org_id'))).toBe(1);
  });

  it('with the schema: a CTE named like a table is not the table', () => {
    expect(n('WITH orders AS (SELECT * FROM orders) SELECT u.id, (SELECT max(o.total) FROM orders o WHERE o.code = u.email) FROM users u', DDL)).toBe(0);
  });
});
