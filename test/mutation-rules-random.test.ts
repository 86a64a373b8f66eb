import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/no-order-by-random.ts (issue 19, mutation testing): the call's range and
// text in the message, every ORDER BY item of every block, and what is not a random call.

beforeAll(() => ready());

const RULE = 'no-order-by-random';
const msg = (call: string) => `ORDER BY ${call} computes a random value for every row and sorts the whole table to return a few`;

describe('no-order-by-random', () => {
  it('marks the call as written, in any ORDER BY item and in a subquery', () => {
    expect(findings(RULE, 'SELECT id FROM t ORDER BY random() LIMIT 5')).toEqual([`1:27-1:35 ${msg('random()')}`]);
    expect(findings(RULE, 'SELECT id FROM t ORDER BY id, RAND()', { dialect: 'mysql' })).toEqual([`1:31-1:37 ${msg('RAND()')}`]);
    expect(findings(RULE, 'SELECT id FROM t ORDER BY gen_random_uuid() DESC')).toEqual([`1:27-1:44 ${msg('gen_random_uuid()')}`]);
    expect(findings(RULE, 'SELECT * FROM (SELECT id FROM t ORDER BY NEWID()) x', { dialect: 'transactsql' })).toEqual([`1:42-1:49 ${msg('NEWID()')}`]);
  });

  it('not a column named like a random function, nor another function', () => {
    expect(findings(RULE, 'SELECT id FROM t ORDER BY random, lower(x), rand_')).toEqual([]);
    expect(findings(RULE, 'SELECT random() FROM t ORDER BY id')).toEqual([]);
  });
});
