import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/prefer-union-all.ts (issue 19, mutation testing): each UNION operator's
// range, and the recursive CTE body where UNION stops cycles.

beforeAll(() => ready());

const RULE = 'prefer-union-all';
const MSG = 'UNION sorts or hashes every row of every branch to remove duplicates; use UNION ALL when the branches cannot overlap or duplicates do not matter';

describe('prefer-union-all', () => {
  it('marks each UNION without ALL, in any block; not INTERSECT or EXCEPT', () => {
    expect(findings(RULE, 'SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 union select 4')).toEqual([`1:10-1:15 ${MSG}`, `1:44-1:49 ${MSG}`]);
    expect(findings(RULE, 'SELECT 1 INTERSECT SELECT 2 EXCEPT SELECT 3')).toEqual([]);
    expect(findings(RULE, 'SELECT * FROM (SELECT 1 UNION SELECT 2) x')).toEqual([`1:25-1:30 ${MSG}`]);
    expect(findings(RULE, 'WITH r(n) AS (SELECT 1 UNION SELECT 2) SELECT n FROM r')).toEqual([`1:24-1:29 ${MSG}`]);
  });

  it('not in the body of a recursive CTE, however nested; elsewhere in the statement, yes', () => {
    expect(findings(RULE, 'WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r')).toEqual([]);
    expect(findings(RULE, 'WITH RECURSIVE r(n) AS (SELECT 1 UNION (SELECT 2 UNION SELECT 3)) SELECT n FROM r')).toEqual([]);
    expect(findings(RULE, 'WITH RECURSIVE q AS (SELECT 1), r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r, q')).toEqual([]);
    expect(findings(RULE, 'WITH RECURSIVE r(n) AS (SELECT 1) SELECT n FROM r WHERE n IN (SELECT 1 UNION SELECT 2)')).toEqual([`1:72-1:77 ${MSG}`]);
    expect(findings(RULE, 'WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r UNION SELECT 7')).toEqual([`1:89-1:94 ${MSG}`]);
  });
});
