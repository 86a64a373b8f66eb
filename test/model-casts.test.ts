// Casts in the PostgreSQL model: `CAST(x AS t)` spans from CAST to its bracket, `x::t` from x to
// the type; the search for a CAST bracket runs only in statements that write CAST, so a long list
// of `x::t` stays linear (it walked back through the statement once per cast: 20,000 casts took
// 2.8 s instead of 0.6 s).
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Expr } from '../src/model/types.js';

beforeAll(() => ready());

function selected(sql: string): Expr[] {
  const m = analyze(sql, { modelOnly: true }).statements[0]!.model!;
  return m.root!.selectItems.map((s) => s.expr);
}

const text = (sql: string, e: Expr) => sql.slice(e.range.start, e.range.end);

describe('cast ranges', () => {
  it('CAST(x AS t) covers the keyword and the closing bracket', () => {
    const sql = 'SELECT CAST(a AS int), b::text FROM t';
    expect(selected(sql).map((e) => [e.type, text(sql, e)])).toEqual([
      ['cast', 'CAST(a AS int)'],
      ['cast', 'b::text'],
    ]);
  });

  it('x::t covers the operand and the type, also beside a CAST elsewhere in the statement', () => {
    const sql = 'SELECT a::int, CAST(b AS int), c::varchar(20)[], lower(d)::text FROM t';
    expect(selected(sql).map((e) => text(sql, e))).toEqual(['a::int', 'CAST(b AS int)', 'c::varchar(20)[]', 'lower(d)::text']);
  });
});

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const list = (n: number, item: (i: number) => string) => 'SELECT ' + Array.from({ length: n }, (_, i) => item(i)).join(', ') + ' FROM t';

it('a select list of 20,000 casts costs at most 6 times a list of 20,000 columns (quadratic, it cost 14 times; linear, 2 to 3 times)', () => {
  const casts = list(20_000, (i) => `c${i}::int`);
  const columns = list(20_000, (i) => `c${i}`);
  analyze(casts, { modelOnly: true });
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < 3; k++) {
    a.push(cpuMs(() => analyze(columns, { modelOnly: true })));
    b.push(cpuMs(() => analyze(casts, { modelOnly: true })));
  }
  expect(median(b) / Math.max(median(a), 1)).toBeLessThan(6);
});
