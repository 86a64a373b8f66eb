import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-cartesian-join.ts (issue 19, mutation testing): both messages with the
// five-name cut, what connects two sources (qualifiers in any case, table names, ON, subqueries,
// unqualified columns), the harmless sources, UPDATE/DELETE targets and explicit CROSS JOINs.

beforeAll(() => ready());

const RULE = 'no-cartesian-join';
const cartesian = (table: string, others: string) => `No condition connects ${table} to ${others}: every row of one is paired with every row of the other; add the join condition (JOIN ${table} ON ...)`;
const cross = (table: string, others: string) => `CROSS JOIN pairs every row of ${others} with every row of ${table}, and neither is known to be small: the result grows with the product of both tables; filter one side to a few rows first, or join on a condition`;
const n = (sql: string) => marked(RULE, sql).length;

describe('no-cartesian-join: the messages', () => {
  it('names the table and those before it, five at most', () => {
    expect(findings(RULE, 'SELECT 1 FROM a, b')).toEqual([`1:18-1:19 ${cartesian('b', 'a')}`]);
    expect(findings(RULE, 'SELECT 1 FROM a, b, c, d, e, f, g WHERE a.x = b.x')).toEqual([
      `1:21-1:22 ${cartesian('c', 'a, b')}`,
      `1:24-1:25 ${cartesian('d', 'a, b, c')}`,
      `1:27-1:28 ${cartesian('e', 'a, b, c, d')}`,
      `1:30-1:31 ${cartesian('f', 'a, b, c, d, e')}`,
      `1:33-1:34 ${cartesian('g', 'a, b, c, d, e and 1 more')}`,
    ]);
  });

  it('an explicit CROSS JOIN (any case) of two tables gets its own message; a comma before it the other', () => {
    expect(findings(RULE, 'SELECT 1 FROM a cross join b')).toEqual([`1:17-1:29 ${cross('b', 'a')}`]);
    expect(findings(RULE, 'SELECT 1 FROM a CROSS JOIN b CROSS JOIN c CROSS JOIN d CROSS JOIN e CROSS JOIN f CROSS JOIN g').slice(-1)).toEqual([`1:82-1:94 ${cross('g', 'a, b, c, d, e and 1 more')}`]);
    expect(findings(RULE, 'SELECT 1 FROM a, b CROSS JOIN c')).toEqual([`1:18-1:19 ${cartesian('b', 'a')}`, `1:20-1:32 ${cross('c', 'a, b')}`]);
    expect(findings(RULE, 'SELECT 1 FROM a JOIN b', { dialect: 'mysql' })).toEqual([`1:17-1:23 ${cartesian('b', 'a')}`]);
  });

  it('a CROSS JOIN with a derived table, a table filtered to one row, or after a derived table is not reported', () => {
    for (const sql of ['SELECT 1 FROM a CROSS JOIN (SELECT x FROM b) s', 'SELECT 1 FROM a CROSS JOIN b WHERE b.id = 1', 'SELECT 1 FROM (SELECT x FROM b) s CROSS JOIN a']) expect(n(sql), sql).toBe(0);
  });
});

describe('no-cartesian-join: what connects two sources', () => {
  it('a condition naming both, by qualifier in any case or by table name; ORs and subqueries count', () => {
    for (const sql of ['SELECT 1 FROM a, b WHERE A.x = B.y', 'SELECT 1 FROM a x, b WHERE a.k = b.k', 'SELECT 1 FROM a, b WHERE a.x = 1 OR b.y = 2', 'SELECT 1 FROM a, b WHERE EXISTS (SELECT 1 FROM c WHERE c.x = a.x AND c.y = b.y)', 'SELECT 1 FROM a, b JOIN c ON c.x = b.x WHERE c.y = a.y']) {
      expect(n(sql), sql).toBe(0);
    }
  });

  it('not a condition on one source, a subquery that reads one, a star, or a join that connects others', () => {
    for (const sql of ['SELECT 1 FROM a, b WHERE x = 1', 'SELECT 1 FROM a, b WHERE EXISTS (SELECT 1 FROM c WHERE c.x = a.x)', 'SELECT 1 FROM a, b WHERE a.x = (SELECT max(b.y) FROM c)', 'SELECT 1 FROM a, b WHERE b.* IS NULL', 'SELECT 1 FROM a, b JOIN c USING (x)', 'SELECT 1 FROM a, b NATURAL JOIN c']) {
      expect(n(sql), sql).toBe(1);
    }
    expect(findings(RULE, 'SELECT 1 FROM a JOIN c ON c.x = a.x, b')).toEqual([`1:38-1:39 ${cartesian('b', 'a, c')}`]);
  });

  it('two unqualified columns could be anything: nothing is reported', () => {
    expect(n('SELECT 1 FROM a, b WHERE x = y')).toBe(0);
  });

  it('the target of UPDATE and DELETE is the first source', () => {
    expect(n('UPDATE a SET x = 1 FROM b WHERE b.y = 2')).toBe(0);
    expect(n('DELETE FROM a USING b WHERE b.y = 2')).toBe(0);
    expect(findings(RULE, 'UPDATE a SET x = 1 FROM b, c WHERE b.y = a.y')).toEqual([`1:28-1:29 ${cartesian('c', 'a, b')}`]);
  });
});

describe('no-cartesian-join: sources that multiply nothing', () => {
  it('functions, on either side; the fragment wrapper tables in any case, not names that contain them', () => {
    for (const sql of ['SELECT 1 FROM a, generate_series(1, 3) g', 'SELECT 1 FROM generate_series(1, 3) g, a', 'SELECT 1 FROM __sqlperf_end, a', 'SELECT 1 FROM a, __SQLPERF_T']) expect(n(sql), sql).toBe(0);
    expect(marked(RULE, 'SELECT 1 FROM a, x__sqlperf_t')).toEqual(['x__sqlperf_t']);
    expect(marked(RULE, 'SELECT 1 FROM a, __sqlperf_tt')).toEqual(['__sqlperf_tt']);
  });
});

describe('no-cartesian-join: the first run\'s survivors', () => {
  it('an explicit JOIN connects its table to the one before it; its ON connects what it names', () => {
    expect(n('SELECT 1 FROM a, c JOIN d USING (x) WHERE d.y = a.y')).toBe(0);
    expect(n('SELECT 1 FROM a, b JOIN c ON c.x = a.x')).toBe(0);
  });

  it('a qualifier that names an aliased table by its name still finds it', () => {
    expect(n('SELECT 1 FROM a, b x WHERE b.k = a.k')).toBe(0);
    expect(n('SELECT 1 FROM (SELECT 1 AS k) d, b x WHERE b.k = d.k')).toBe(0);
  });

  it('a source connected to one earlier source is connected', () => {
    expect(marked(RULE, 'SELECT 1 FROM a, b, c WHERE c.x = b.x')).toEqual(['b']);
  });

  it('a CROSS JOIN with a table the config says is small says nothing; XMLTABLE is no table', () => {
    const ddl = 'CREATE TABLE a (x int); CREATE TABLE b (x int);';
    expect(marked(RULE, 'SELECT 1 FROM a CROSS JOIN b', { ddl, tables: { b: { rows: 50 } } })).toEqual([]);
    expect(marked(RULE, 'SELECT 1 FROM a CROSS JOIN b', { ddl, tables: { b: { rows: 50_000 } } })).toEqual(['CROSS JOIN b']);
    expect(n("SELECT 1 FROM a, XMLTABLE('/r' PASSING a.doc COLUMNS x int) t")).toBe(0);
  });
});
