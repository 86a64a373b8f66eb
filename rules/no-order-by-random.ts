import { defineRule } from '../src/rule.js';
import { RANDOM_FUNCTIONS } from '../src/model/functions.js';

export default defineRule({
  name: 'no-order-by-random',
  category: 'performance',
  severity: 'warn',
  constructs: ['randomOrder'],
  recommended: true,
  description: 'Disallow ORDER BY RAND() / RANDOM() / NEWID()',
  messages: {
    random: 'ORDER BY {{call}} computes a random value for every row and sorts the whole table to return a few',
  },
  docs: {
    why: 'Ordering by a random value cannot use an index: every row is read, given a random key and sorted, even with LIMIT 1. Pick random keys in the application, use TABLESAMPLE (PostgreSQL, SQL Server), or pick a random offset into an indexed id range.',
    bad: 'SELECT id, title FROM posts ORDER BY RANDOM() LIMIT 5',
    good: 'SELECT id, title FROM posts TABLESAMPLE SYSTEM (1) LIMIT 5',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      for (const o of b.orderBy) {
        if (o.expr.type === 'func' && RANDOM_FUNCTIONS.has(o.expr.name)) ctx.report({ range: o.expr.range, messageId: 'random', data: { call: ctx.source(o.expr.range) } });
      }
    }
  },
});
