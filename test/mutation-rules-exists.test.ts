import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, fixedText, marked } from './helpers/rule-findings.js';

// Golden tests for rules/prefer-exists.ts (issue 19, mutation testing): every comparison with 0 or
// 1 either way round, what counts as a row count, the subqueries that return one count, direct
// counts that are the only aggregate, the messages and the EXISTS fix.

beforeAll(() => ready());

const RULE = 'prefer-exists';
const SUB = '(SELECT COUNT(*) FROM o WHERE o.u = u.id)';
const exists = (count: string) => `${count} counts every matching row only to test that one exists; use EXISTS (SELECT 1 FROM ... WHERE ...), which stops at the first`;
const none = (count: string) => `${count} counts every matching row only to test that none exists; use NOT EXISTS (SELECT 1 FROM ... WHERE ...), which stops at the first`;
const outputs = (sql: string) => fixedText(RULE, sql).map((f) => f && `${f.output} (${f.safe ? 'safe' : 'unsafe'}: ${f.description})`);

describe('prefer-exists: comparisons that test existence', () => {
  it('> 0, >= 1, <> 0, != 0 (and 0 <, 1 <=, 0 <>, 0 !=) become EXISTS', () => {
    for (const cmp of ['> 0', '>= 1', '<> 0', '!= 0', '> 0.0', '> 0::int']) {
      expect(findings(RULE, `SELECT id FROM u WHERE ${SUB} ${cmp}`), cmp).toEqual([`1:32-1:40 ${exists('COUNT(*)')}`]);
      expect(outputs(`SELECT id FROM u WHERE ${SUB} ${cmp}`), cmp).toEqual(['SELECT id FROM u WHERE EXISTS (SELECT 1 FROM o WHERE o.u = u.id) (safe: Replace the count with EXISTS (SELECT 1 ...))']);
    }
    for (const cmp of ['0 <', '1 <=', '0 <>', '0 !=']) expect(outputs(`SELECT id FROM u WHERE ${cmp} ${SUB}`), cmp).toEqual(['SELECT id FROM u WHERE EXISTS (SELECT 1 FROM o WHERE o.u = u.id) (safe: Replace the count with EXISTS (SELECT 1 ...))']);
  });

  it('= 0, < 1, <= 0 (and 0 =, 1 >, 0 >=) become NOT EXISTS', () => {
    for (const cmp of ['= 0', '< 1', '<= 0']) {
      expect(findings(RULE, `SELECT id FROM u WHERE ${SUB} ${cmp}`), cmp).toEqual([`1:32-1:40 ${none('COUNT(*)')}`]);
      expect(outputs(`SELECT id FROM u WHERE ${SUB} ${cmp}`), cmp).toEqual(['SELECT id FROM u WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.u = u.id) (safe: Replace the count with NOT EXISTS (SELECT 1 ...))']);
    }
    for (const cmp of ['0 =', '1 >', '0 >=']) expect(findings(RULE, `SELECT id FROM u WHERE ${cmp} ${SUB}`), cmp).toEqual([`1:${cmp.length + 33}-1:${cmp.length + 41} ${none('COUNT(*)')}`]);
  });

  it('not other numbers, a string or a parameter', () => {
    for (const cmp of ['> 1', '>= 0', '<> 1', '= 1', '< 0', '<= 1', "> '0'", '> $1']) expect(marked(RULE, `SELECT id FROM u WHERE ${SUB} ${cmp}`), cmp).toEqual([]);
  });
});

describe('prefer-exists: what is a row count in a subquery', () => {
  it('COUNT(*), COUNT of a non-NULL literal, a cast count, a cast subquery', () => {
    expect(findings(RULE, "SELECT id FROM u WHERE (SELECT COUNT('x') FROM o) > 0")).toEqual([`1:32-1:42 ${exists("COUNT('x')")}`]);
    expect(outputs('SELECT id FROM u WHERE (SELECT COUNT(*)::int FROM o) > 0')).toEqual(['SELECT id FROM u WHERE EXISTS (SELECT 1 FROM o) (safe: Replace the count with EXISTS (SELECT 1 ...))']);
    expect(outputs('SELECT id FROM u WHERE (SELECT COUNT(*) FROM o)::int > 0')).toEqual(['SELECT id FROM u WHERE EXISTS (SELECT 1 FROM o) (safe: Replace the count with EXISTS (SELECT 1 ...))']);
  });

  it('not COUNT(NULL), FILTER, OVER, another aggregate, nor a subquery with GROUP BY, HAVING, LIMIT, OFFSET, two columns or a set operation', () => {
    for (const q of ['SELECT max(1) FROM o', 'SELECT count FROM o', 'SELECT COUNT(NULL) FROM o', 'SELECT COUNT(*) FILTER (WHERE a) FROM o', 'SELECT COUNT(*) OVER () FROM o', 'SELECT max(a) FROM o', 'SELECT COUNT(*) FROM o GROUP BY a', 'SELECT COUNT(*) FROM o HAVING COUNT(*) > 2', 'SELECT COUNT(*) FROM o LIMIT 1', 'SELECT COUNT(*) FROM o OFFSET 1', 'SELECT COUNT(*), 1 FROM o', 'SELECT COUNT(*) FROM o UNION SELECT 1']) {
      expect(marked(RULE, `SELECT id FROM u WHERE (${q}) > 0`), q).toEqual([]);
    }
  });
});

describe('prefer-exists: a direct count', () => {
  it('in the select list or HAVING of one group that computes nothing else; reported without a fix', () => {
    expect(findings(RULE, 'SELECT COUNT(*) > 0, COUNT(*) = 0 FROM o')).toEqual([`1:8-1:16 ${exists('COUNT(*)')}`, `1:22-1:30 ${none('COUNT(*)')}`]);
    expect(outputs('SELECT COUNT(*) > 0, sum(b) OVER () FROM o')).toEqual([null]);
    expect(outputs('SELECT x FROM (SELECT COUNT(*) > 0 AS x FROM o) s')).toEqual([null]);
    expect(marked(RULE, 'SELECT COUNT(*) > 0 FROM o WHERE (SELECT COUNT(*) FROM p) = 0')).toEqual(['COUNT(*)', 'COUNT(*)']);
    // a plain function beside the count is no other aggregate; a subquery's count is not a direct one
    expect(marked(RULE, "SELECT COUNT(*) > 0, lower('a') FROM o")).toEqual(['COUNT(*)']);
    expect(marked(RULE, 'SELECT max(b) FROM o WHERE (SELECT COUNT(*) FROM p) = 0')).toEqual(['COUNT(*)']);
  });

  it('not in WHERE or ORDER BY, per group, or beside another aggregate (another COUNT(*) too)', () => {
    for (const sql of ['SELECT id FROM u WHERE count(*) > 0', 'SELECT 1 FROM o ORDER BY COUNT(*) > 0', 'SELECT COUNT(*) > 0 FROM o WHERE a = 1 GROUP BY b', 'SELECT COUNT(*) > 0, max(b) FROM o', 'SELECT COUNT(*) > 0, COUNT(*) FROM o', 'SELECT 1 FROM o HAVING COUNT(*) >= 1 AND max(a) > 2']) {
      expect(marked(RULE, sql), sql).toEqual([]);
    }
  });
});
