import { defineRule } from '../src/rule.js';
import type { QueryBlock } from '../src/model/types.js';

/** The set operation is (a branch of) the body of a CTE in WITH RECURSIVE, where UNION stops cycles. */
function inRecursiveCte(b: QueryBlock): boolean {
  let x: QueryBlock = b;
  while (x.context === 'setop' && x.parent) x = x.parent;
  if (x.context !== 'cte' || !x.parent) return false;
  return x.parent.ctes.some((c) => c.query === x && c.recursive);
}

export default defineRule({
  name: 'prefer-union-all',
  category: 'performance',
  severity: 'warn',
  constructs: ['union'],
  recommended: false,
  description: 'Prefer UNION ALL to UNION when duplicates cannot occur or do not matter',
  messages: {
    union: 'UNION sorts or hashes every row of every branch to remove duplicates; use UNION ALL when the branches cannot overlap or duplicates do not matter',
  },
  docs: {
    why: 'UNION is UNION ALL followed by DISTINCT over the whole result: every row of every branch is sorted or hashed, which costs memory and time and blocks streaming the first rows. When the branches are disjoint (different tables, different keys, mutually exclusive conditions) or duplicates are harmless, UNION ALL returns the same rows without that step. This rule is off by default: it cannot know whether the branches overlap.',
    bad: "SELECT id FROM orders WHERE status = 'open' UNION SELECT id FROM orders WHERE status = 'late'",
    good: "SELECT id FROM orders WHERE status = 'open' UNION ALL SELECT id FROM orders WHERE status = 'late'",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if (!b.setOp || inRecursiveCte(b)) continue;
      for (const op of b.setOp.operators) {
        if (op.op === 'union' && !op.all) ctx.report({ range: op.range, messageId: 'union' });
      }
    }
  },
});
