import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { ready } from '../src/api.js';
import { childExprs, walkExpr } from '../src/model/walk.js';
import type { Expr } from '../src/model/types.js';

beforeAll(() => ready());

/** The WHERE of a one-statement text, modelled. */
function whereOf(sql: string, dialect: 'postgresql' | 'mysql' = 'postgresql'): Expr {
  const m = analyze(sql, { dialect, modelOnly: true }).statements[0]!.model!;
  return m.root!.where!;
}

/** The reference order: parents first, children in `childExprs` order, by recursion. */
function recursive(e: Expr, parent: Expr | null, out: Array<[Expr, Expr | null]>): void {
  out.push([e, parent]);
  for (const c of childExprs(e)) recursive(c, e, out);
}

describe('walkExpr', () => {
  const cases = [
    "a = 1 AND (lower(b) LIKE '%x' OR c::text IN ($1, $2)) AND NOT d",
    'coalesce(a, b) + count(*) FILTER (WHERE e > 1) OVER (PARTITION BY f ORDER BY g) > 2',
    "CASE WHEN a THEN b ELSE -c END = ANY(ARRAY[1, 2]) AND x BETWEEN 1 AND 2 AND y IS NOT NULL",
  ];
  for (const where of cases) {
    it(`visits parents first, children in order, with their parent: ${where}`, () => {
      const e = whereOf(`SELECT 1 FROM t WHERE ${where}`);
      const want: Array<[Expr, Expr | null]> = [];
      recursive(e, null, want);
      const got: Array<[Expr, Expr | null]> = [];
      walkExpr(e, (x, p) => void got.push([x, p]));
      expect(got.length).toBeGreaterThan(8);
      expect(got.map(([x]) => x)).toEqual(want.map(([x]) => x));
      expect(got.map(([, p]) => p)).toEqual(want.map(([, p]) => p));
    });
  }

  it('returning false skips the subtree, not the siblings', () => {
    const e = whereOf('SELECT 1 FROM t WHERE lower(a) = b AND c = upper(d)');
    const seen: string[] = [];
    walkExpr(e, (x) => {
      if (x.type === 'column') seen.push(x.name);
      return x.type !== 'func';
    });
    expect(seen).toEqual(['b', 'c']);
  });
});
