import { defineRule } from '../src/rule.js';
import { blockExprs, walkExpr } from '../src/model/walk.js';

export default defineRule({
  name: 'max-in-list',
  category: 'performance',
  severity: 'warn',
  constructs: ['inList'],
  recommended: true,
  description: 'Limit the number of values in an IN (...) list',
  messages: {
    tooMany: '{{op}} list of {{count}} values (max {{max}}): each distinct list length is a new statement to parse and plan; pass one array instead (= ANY($1)) or join against VALUES or a temporary table',
  },
  docs: {
    why: 'A long literal IN list is parsed, planned and estimated value by value, and when it is built from application data every list length is a different statement text, so prepared-statement and plan caches never hit and query statistics are scattered over thousands of entries. Past some hundreds of values the planner also switches to poor estimates. Pass the values as one array parameter (`= ANY($1)` in PostgreSQL), or join against a VALUES list or a temporary table.',
    bad: `SELECT id FROM users WHERE id IN (${Array.from({ length: 101 }, (_, i) => i + 1).join(', ')})`,
    good: 'SELECT id FROM users WHERE id = ANY($1)',
  },
  defaultOptions: { max: 100 },
  schema: { type: 'object', properties: { max: { type: 'integer', minimum: 1, description: 'Most values allowed in one IN list' } }, additionalProperties: false },
  check(ctx) {
    const max = ctx.options.max;
    for (const b of ctx.blocks) {
      for (const [, root] of blockExprs(b)) {
        walkExpr(root, (e) => {
          if (e.type !== 'binary' || (e.op !== 'IN' && e.op !== 'NOT IN') || e.right.type !== 'list') return;
          const count = e.right.items.length;
          if (count <= max) return;
          // the list's opening bracket and the first values: a long list can span many lines
          ctx.report({ range: e.right.range, messageId: 'tooMany', data: { op: e.op, count, max } });
        });
      }
    }
  },
});
