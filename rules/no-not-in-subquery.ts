import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import type { Expr } from '../src/model/types.js';
import { blockExprs, walkExpr } from '../src/model/walk.js';

export default defineRule({
  name: 'no-not-in-subquery',
  category: 'correctness',
  severity: 'warn',
  recommended: true,
  // a NULL in the subquery gives a wrong answer wherever it runs, except in tests, which run against rows they made
  contexts: ['app', 'migration', 'script'],
  description: 'Disallow `NOT IN (SELECT ...)`; use `NOT EXISTS`',
  messages: {
    notIn: 'NOT IN (SELECT ...) matches nothing as soon as the subquery returns a NULL, and planners cannot turn it into an anti-join; use NOT EXISTS (SELECT 1 FROM ... WHERE ... = {{operand}})',
  },
  docs: {
    why: '`x NOT IN (SELECT y ...)` is UNKNOWN, never true, for every row once one `y` is NULL, so the query silently returns nothing. Because of that NULL rule, PostgreSQL cannot plan it as an anti-join: it hashes the whole subquery result (or, when it does not fit in memory, rescans it for every outer row). `NOT EXISTS` has the intended meaning and becomes a hash or merge anti-join.',
    bad: 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)',
    good: 'SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bans b WHERE b.user_id = u.id)',
  },
  check(ctx) {
    const seen = new Set<Expr>();
    const report = (e: Expr & { type: 'binary' }, range: Range) => {
      ctx.report({ range, messageId: 'notIn', data: { operand: ctx.source(e.left.range) } });
    };
    for (const b of ctx.blocks) {
      for (const [, root] of blockExprs(b)) {
        walkExpr(root, (e) => {
          if (e.type === 'binary' && e.op === 'NOT IN' && e.right.type === 'subquery' && !seen.has(e)) {
            seen.add(e);
            // `x NOT IN (...)`: the two words; `NOT (x IN (...))`: the NOT
            const between = ctx.text.slice(e.left.range.end, e.right.range.start);
            const m = /\bNOT\s+IN\b/i.exec(between);
            if (m) report(e, { start: e.left.range.end + m.index, end: e.left.range.end + m.index + m[0].length });
            else report(e, notKeyword(ctx.text, e.range));
          } else if (e.type === 'unary' && e.op === 'NOT' && e.arg.type === 'binary' && e.arg.op === 'IN' && e.arg.right.type === 'subquery') {
            seen.add(e.arg);
            report(e.arg, notKeyword(ctx.text, e.range));
          }
        });
      }
    }
  },
});

function notKeyword(text: string, r: Range): Range {
  return /^NOT\b/i.test(text.slice(r.start, r.end)) ? { start: r.start, end: r.start + 3 } : r;
}
