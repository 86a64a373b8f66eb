import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { predicatesOf } from '../src/model/predicates.js';
import { blockRows } from '../src/model/rows.js';
import type { StatementModel } from '../src/model/types.js';
import { blockExprs } from '../src/model/walk.js';

beforeAll(() => ready());

const model = (sql: string): StatementModel => analyze(sql, { modelOnly: true }).statements[0]!.model!;

describe('facts derived from blocks (src/model/memo.ts)', () => {
  it('are computed once per block while its statement is the one asked about', () => {
    const m = model('SELECT id FROM users u WHERE u.id = 1 AND EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)');
    const [outer, inner] = m.blocks;
    expect(predicatesOf(outer!)).toBe(predicatesOf(outer!));
    expect(predicatesOf(inner!)).toBe(predicatesOf(inner!));
    expect(blockExprs(inner!)).toBe(blockExprs(inner!));
    expect(blockRows(outer!)).toBe(blockRows(outer!));
  });

  it('are the same, computed again, when statements are asked about in turn', () => {
    const a = model('SELECT * FROM users WHERE id = 1 OR email = $1');
    const b = model('SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 10');
    const first = [predicatesOf(a.root!), blockExprs(a.root!), blockRows(a.root!)];
    const other = [predicatesOf(b.root!), blockExprs(b.root!), blockRows(b.root!)];
    const again = [predicatesOf(a.root!), blockExprs(a.root!), blockRows(a.root!)];
    expect(again).toEqual(first);
    expect(again[0]).not.toBe(first[0]);
    expect([predicatesOf(b.root!), blockExprs(b.root!), blockRows(b.root!)]).toEqual(other);
  });
});
