import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import { flattenOr } from '../src/cost.js';
import { localColumns } from '../src/model/predicates.js';
import type { Expr } from '../src/model/types.js';

function columnKeys(e: Expr): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of localColumns(e)) out.set(`${c.table ?? c.qualifier ?? ''}.${c.name.toLowerCase()}`, c.qualifier ? `${c.qualifier}.${c.name}` : c.name);
  return out;
}

/** The OR chains of a condition, not descending into other ORs' branches' own chains twice. */
function orChains(e: Expr | null, out: Expr[][] = []): Expr[][] {
  if (!e || e.type !== 'binary') return out;
  if (e.op === 'AND') {
    orChains(e.left, out);
    orChains(e.right, out);
  } else if (e.op === 'OR') {
    const branches = flattenOr(e);
    out.push(branches);
    for (const br of branches) orChains(br, out);
  }
  return out;
}

export default defineRule({
  name: 'no-or-across-columns',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow OR conditions whose branches restrict different columns',
  messages: {
    across: 'OR across {{columns}}: no single index serves both branches, so the planner often scans the table; use UNION ALL of two indexed queries, or IN when it is one column',
  },
  docs: {
    why: 'An index on (a) cannot find rows where b matches, so `a = 1 OR b = 2` usually becomes a full scan (or, at best, a bitmap OR of two indexes that must both exist). Splitting the query into a UNION ALL of two index-friendly queries lets each branch use its own index.',
    bad: 'SELECT id FROM users WHERE email = $1 OR phone = $2',
    good: 'SELECT id FROM users WHERE email = $1 UNION ALL SELECT id FROM users WHERE phone = $2 AND email <> $1',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      const conditions = [b.where, ...b.joins.map((j) => j.on)];
      for (const cond of conditions) {
        for (const branches of orChains(cond)) {
          const sets = branches.map(columnKeys);
          // a branch without columns of this query (`$1 IS NULL OR a = $1`) is an optional filter, not a second column
          if (sets.some((s) => s.size === 0)) continue;
          const all = new Map<string, string>();
          sets.forEach((s) => s.forEach((v, k) => all.set(k, v)));
          const same = sets.every((s) => s.size === all.size);
          if (same) continue;
          const or = cond ? findOr(cond, branches[0]!) : undefined;
          ctx.report({ range: or ?? branches[0]!.range, messageId: 'across', data: { columns: [...all.values()].join(', ') } });
        }
      }
    }
  },
});

/** The OR keyword right after the first branch. */
function findOr(root: Expr, first: Expr): Range | undefined {
  let found: Range | undefined;
  const visit = (e: Expr) => {
    if (found || e.type !== 'binary') return;
    if (e.op === 'OR' && (e.left === first || flattenOr(e.left)[0] === first) && e.left.range.end === first.range.end) found = e.opRange;
    visit(e.left);
    visit(e.right);
  };
  visit(root);
  return found;
}
