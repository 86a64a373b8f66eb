import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/no-having-without-aggregate.ts (issue 19, mutation testing): each HAVING
// conjunct on its own, its range and its text (blanks collapsed) in the message, and the conditions
// that must stay in HAVING.

beforeAll(() => ready());

const RULE = 'no-having-without-aggregate';
const move = (condition: string) => `${condition} uses no aggregate: in HAVING it runs after every row has been grouped; move it to WHERE so rows are filtered first (and an index can help)`;
const grouped = (having: string, select = 'status, count(*)') => `SELECT ${select} FROM orders GROUP BY status HAVING ${having}`;

describe('no-having-without-aggregate', () => {
  it('marks each conjunct without an aggregate, in every block, its blanks collapsed in the message', () => {
    expect(findings(RULE, grouped("status <> 'archived'"))).toEqual([`1:60-1:80 ${move("status <> 'archived'")}`]);
    expect(findings(RULE, grouped("status <> 'archived' AND count(*) > 1 AND  status\n  > 'a'"))).toEqual([`1:60-1:80 ${move("status <> 'archived'")}`, `1:103-2:8 ${move("status > 'a'")}`]);
    expect(findings(RULE, grouped('status > lower(status)'))).toEqual([`1:60-1:82 ${move('status > lower(status)')}`]);
    expect(findings(RULE, "SELECT (SELECT 1 FROM t GROUP BY a HAVING a > 1) FROM orders GROUP BY status HAVING status > 'a'")).toEqual([`1:43-1:48 ${move('a > 1')}`, `1:85-1:97 ${move("status > 'a'")}`]);
  });

  it('not without GROUP BY, nor with ROLLUP, CUBE or GROUPING SETS (but a column named rollup_x is no ROLLUP)', () => {
    expect(findings(RULE, "SELECT status FROM orders HAVING status <> 'a'")).toEqual([]);
    for (const g of ['ROLLUP (status)', 'CUBE (status)', 'GROUPING SETS ((status), ())', 'grouping  sets ((status))']) expect(findings(RULE, `SELECT status, count(*) FROM orders GROUP BY ${g} HAVING status <> 'a'`), g).toEqual([]);
    expect(findings(RULE, 'SELECT status, count(*) FROM orders GROUP BY status WITH ROLLUP HAVING status > 1', { dialect: 'mysql' })).toEqual([]);
    expect(findings(RULE, "SELECT status, rollup_x FROM orders GROUP BY status, rollup_x HAVING status > 'a'")).toEqual([`1:70-1:82 ${move("status > 'a'")}`]);
  });

  it('not a condition on no column, with a subquery or a window function', () => {
    expect(findings(RULE, grouped('1 = 1'))).toEqual([]);
    expect(findings(RULE, grouped('status IN (SELECT s FROM x)'))).toEqual([]);
    expect(findings(RULE, grouped('row_number() OVER () > 1'))).toEqual([]);
    expect(findings(RULE, grouped("lag(status) OVER (ORDER BY status) = 'x'"))).toEqual([]);
    // GROUPING() is allowed only where aggregates are (PostgreSQL rejects it in WHERE), in both models
    expect(findings(RULE, grouped('GROUPING(status) = 0'), { dialect: 'mysql' })).toEqual([]);
    expect(findings(RULE, grouped('GROUPING(status) = 0'))).toEqual([]);
    expect(findings(RULE, grouped('status > "grouping"'))).toEqual([`1:60-1:79 ${move('status > "grouping"')}`]);
  });

  it('not an unqualified select alias (MySQL), whatever its case', () => {
    expect(findings(RULE, grouped('n > 1', 'status, count(*) AS n'), { dialect: 'mysql' })).toEqual([]);
    expect(findings(RULE, grouped('n > 1', 'status, count(*) AS N'), { dialect: 'mysql' })).toEqual([]);
    expect(findings(RULE, grouped('n + status > 1', 'status, count(*) AS n'), { dialect: 'mysql' })).toEqual([]);
    expect(findings(RULE, grouped('status > 1 AND n > 1', 'status, count(*) AS n'), { dialect: 'mysql' })).toEqual([`1:65-1:75 ${move('status > 1')}`]);
    expect(findings(RULE, grouped('o.n > 1', 'status, count(*) AS n'), { dialect: 'mysql' })).toEqual([`1:65-1:72 ${move('o.n > 1')}`]);
  });
});
