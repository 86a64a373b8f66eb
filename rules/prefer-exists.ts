import { defineRule, type Fix } from '../src/rule.js';
import { contains } from '../src/range.js';
import type { Expr, FuncExpr, QueryBlock } from '../src/model/types.js';
import { blockExprs, unwrapCast, walkExpr } from '../src/model/walk.js';

/** `COUNT(*)`, `COUNT(1)`: counts rows, nothing else (no DISTINCT, FILTER or OVER). */
function isRowCount(e: Expr): e is FuncExpr {
  if (e.type !== 'func' || e.name !== 'count' || e.distinct || e.window || e.extra.length) return false;
  return e.star || (e.args.length === 1 && e.args[0]!.type === 'literal' && e.args[0]!.kind !== 'null');
}

/** `(SELECT COUNT(*) FROM ... WHERE ...)`: one row with the count of the filtered rows. */
function subqueryCount(e: Expr): FuncExpr | undefined {
  if (e.type !== 'subquery') return undefined;
  const q = e.query;
  if (q.type !== 'select' || q.setOp || q.groupBy.length || q.having || q.limit || q.offset || q.selectItems.length !== 1) return undefined;
  const item = unwrapCast(q.selectItems[0]!.expr);
  return isRowCount(item) ? item : undefined;
}

const FLIP: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '=': '=', '<>': '<>', '!=': '<>' };

/** With the count on the left: 'exists' for `> 0`, `>= 1`, `<> 0`; 'none' for `= 0`, `< 1`, `<= 0`. */
function existenceTest(op: string, n: number): 'exists' | 'none' | undefined {
  if ((op === '>' && n === 0) || (op === '>=' && n === 1) || ((op === '<>' || op === '!=') && n === 0)) return 'exists';
  if ((op === '=' && n === 0) || (op === '<' && n === 1) || (op === '<=' && n === 0)) return 'none';
  return undefined;
}

function numberOf(e: Expr): number | undefined {
  const v = unwrapCast(e);
  return v.type === 'literal' && v.kind === 'number' && typeof v.value === 'number' ? v.value : undefined;
}

interface Found {
  count: FuncExpr;
  cmp: Expr & { type: 'binary' };
  kind: 'exists' | 'none';
  direct: boolean;
  /** The `(SELECT COUNT(*) ...)` subquery, parentheses included, when the count is one. */
  sub?: Expr & { type: 'subquery' };
}

function findTests(b: QueryBlock): Found[] {
  const out: Found[] = [];
  for (const [clause, root] of blockExprs(b)) {
    walkExpr(root, (e) => {
      if (e.type !== 'binary' || !FLIP[e.op]) return;
      for (const [side, other, op] of [[e.left, e.right, e.op], [e.right, e.left, FLIP[e.op]!]] as const) {
        const n = numberOf(other);
        if (n === undefined) continue;
        const kind = existenceTest(op, n);
        if (!kind) continue;
        const s = unwrapCast(side);
        const sub = subqueryCount(s);
        if (sub) out.push({ count: sub, cmp: e, kind, direct: false, sub: s as Expr & { type: 'subquery' } });
        else if (isRowCount(s) && (clause === 'select' || clause === 'having')) out.push({ count: s, cmp: e, kind, direct: true });
      }
    });
  }
  return out;
}

/** A direct `COUNT(*) > 0` tests existence only when the query is one group and computes nothing else. */
function onlyExistenceAggregates(b: QueryBlock, tests: Found[]): boolean {
  if (b.groupBy.length) return false; // per group, COUNT(*) > 0 is always true: not an existence test
  const counts = new Set<Expr>(tests.map((t) => t.count));
  let other = false;
  for (const [, root] of blockExprs(b)) {
    walkExpr(root, (x) => {
      if (x.type === 'func' && x.aggregate && !x.window && !counts.has(x)) other = true;
      return !other;
    });
  }
  return !other;
}

/**
 * `(SELECT COUNT(*) FROM t WHERE c) > 0` -> `EXISTS (SELECT 1 FROM t WHERE c)`: the same on every
 * database state (the count is never NULL, the subquery always returns one row), so a safe fix.
 * The comparison around the subquery goes, the count becomes `1`; the subquery's text is kept.
 */
function existsFix(t: Found): Fix | undefined {
  if (!t.sub || t.sub.query.type !== 'select') return undefined;
  const item = t.sub.query.selectItems[0]!;
  // a range a parser left without a location falls back to an ancestor's: then the edits would miss
  if (!contains(t.sub.query.range, item.range) || !contains(t.cmp.range, t.sub.range)) return undefined;
  const word = t.kind === 'exists' ? 'EXISTS' : 'NOT EXISTS';
  return {
    safe: true,
    description: `Replace the count with ${word} (SELECT 1 ...)`,
    edits: [
      { range: { start: t.cmp.range.start, end: t.sub.range.start }, text: `${word} ` },
      { range: item.range, text: '1' },
      { range: { start: t.sub.range.end, end: t.cmp.range.end }, text: '' },
    ],
  };
}

export default defineRule({
  name: 'prefer-exists',
  category: 'performance',
  severity: 'warn',
  constructs: ['count'],
  recommended: true,
  fixable: 'fix',
  description: 'Prefer EXISTS to COUNT(*) compared with zero',
  messages: {
    exists: '{{count}} counts every matching row only to test that one exists; use EXISTS (SELECT 1 FROM ... WHERE ...), which stops at the first',
    none: '{{count}} counts every matching row only to test that none exists; use NOT EXISTS (SELECT 1 FROM ... WHERE ...), which stops at the first',
  },
  docs: {
    why: '`(SELECT COUNT(*) FROM t WHERE ...) > 0` reads and counts every matching row, although one is enough to answer. `EXISTS` stops at the first row found (and, in WHERE, becomes a semi-join). The difference grows with the number of matching rows.',
    bad: 'SELECT id FROM users u WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) > 0',
    good: 'SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)',
  },
  check(ctx) {
    const reported = new Set<Expr>();
    for (const b of ctx.blocks) {
      const tests = findTests(b);
      const directOk = tests.some((t) => t.direct) && onlyExistenceAggregates(b, tests.filter((t) => t.direct));
      for (const t of tests) {
        if ((t.direct && !directOk) || reported.has(t.count)) continue;
        reported.add(t.count);
        const fix = existsFix(t);
        ctx.report({ range: t.count.range, messageId: t.kind, data: { count: ctx.source(t.count.range) }, ...(fix ? { fix } : {}) });
      }
    }
  },
});
