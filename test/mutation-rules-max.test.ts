import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/max-joins.ts and rules/max-in-list.ts (issue 19, mutation testing): the
// limits at and past `max`, the range (the first join past the limit; the list), the counts in the
// messages, every block and every clause.

beforeAll(() => ready());

const JOINS = 'max-joins';
const joins = (n: string, max: number) => `${n} in one query (more than ${max}): every join multiplies the join orders the planner must weigh and compounds a bad row estimate (PostgreSQL stops searching every order beyond 8 tables); split the query or pre-aggregate`;
const chain = (n: number) => 'SELECT 1 FROM t0' + Array.from({ length: n }, (_, i) => ` JOIN t${i + 1} ON t${i + 1}.id = t${i}.id`).join('');

describe('max-joins', () => {
  it('allows 8 joins by default; from 9, marks the ninth join up to its table', () => {
    expect(findings(JOINS, chain(8))).toEqual([]);
    expect(findings(JOINS, chain(9))).toEqual([`1:218-1:225 ${joins('9 joins', 8)}`]);
    expect(findings(JOINS, chain(10))).toEqual([`1:218-1:225 ${joins('10 joins', 8)}`]);
  });

  it('a configured max: one join says "1 join"; a comma counts as a join', () => {
    expect(findings(JOINS, chain(1), { options: { max: 0 } })).toEqual([`1:18-1:25 ${joins('1 join', 0)}`]);
    expect(findings(JOINS, chain(2), { options: { max: 0 } })).toEqual([`1:18-1:25 ${joins('2 joins', 0)}`]);
    expect(findings(JOINS, chain(2), { options: { max: 1 } })).toEqual([`1:43-1:50 ${joins('2 joins', 1)}`]);
    expect(findings(JOINS, chain(1), { options: { max: 1 } })).toEqual([]);
    expect(findings(JOINS, 'SELECT 1 FROM a JOIN b ON true, c LEFT JOIN d ON true', { options: { max: 1 } })).toEqual([`1:33-1:34 ${joins('3 joins', 1)}`]);
  });

  it('counts each block on its own', () => {
    expect(findings(JOINS, 'SELECT (SELECT 1 FROM a JOIN b ON true) FROM c JOIN d ON true', { options: { max: 0 } })).toEqual([`1:25-1:31 ${joins('1 join', 0)}`, `1:48-1:54 ${joins('1 join', 0)}`]);
    expect(findings(JOINS, 'SELECT (SELECT 1 FROM a JOIN b ON true) FROM c JOIN d ON true', { options: { max: 1 } })).toEqual([]);
  });
});

const IN = 'max-in-list';
const inList = (op: string, count: number, max: number) => `${op} list of ${count} values (max ${max}): each distinct list length is a new statement to parse and plan; pass one array instead (= ANY($1)) or join against VALUES or a temporary table`;
const values = (n: number) => Array.from({ length: n }, (_, i) => i).join(', ');

describe('max-in-list', () => {
  it('allows 100 values by default; from 101, marks the list', () => {
    expect(findings(IN, `SELECT 1 FROM t WHERE a IN (${values(100)})`)).toEqual([]);
    expect(findings(IN, `SELECT 1 FROM t WHERE a IN (${values(101)})`)).toEqual([`1:28-1:423 ${inList('IN', 101, 100)}`]);
  });

  it('IN and NOT IN, in any clause, each list on its own, across lines', () => {
    expect(findings(IN, 'SELECT 1 FROM t WHERE a IN (1, 2, 3)', { options: { max: 2 } })).toEqual([`1:28-1:37 ${inList('IN', 3, 2)}`]);
    expect(findings(IN, 'SELECT 1 FROM t WHERE a IN (1, 2)', { options: { max: 2 } })).toEqual([]);
    expect(findings(IN, 'SELECT 1 FROM t WHERE a NOT IN (1,\n 2, 3, 4) AND b IN (1, 2, 3)', { options: { max: 3 } })).toEqual([`1:32-2:10 ${inList('NOT IN', 4, 3)}`]);
    expect(findings(IN, 'SELECT a IN (1, 2, 3) FROM t ORDER BY a IN (1,2,3,4)', { options: { max: 2 } })).toEqual([`1:13-1:22 ${inList('IN', 3, 2)}`, `1:44-1:53 ${inList('IN', 4, 2)}`]);
    expect(findings(IN, 'SELECT 1 FROM t WHERE (a, b) IN ((1, 2), (3, 4))', { options: { max: 1 } })).toEqual([`1:33-1:49 ${inList('IN', 2, 1)}`]);
  });

  it('not a subquery, an array, or a row compared with = (MySQL models its right side as a list)', () => {
    expect(findings(IN, 'SELECT 1 FROM t WHERE (a, b, c) = (1, 2, 3)', { options: { max: 2 }, dialect: 'mysql' })).toEqual([]);
    expect(findings(IN, 'SELECT 1 FROM t WHERE a IN (SELECT 1 UNION SELECT 2 UNION SELECT 3)', { options: { max: 1 } })).toEqual([]);
    expect(findings(IN, 'SELECT 1 FROM t WHERE a = ANY(ARRAY[1, 2, 3])', { options: { max: 1 } })).toEqual([]);
  });
});
