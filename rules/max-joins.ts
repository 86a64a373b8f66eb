import { defineRule } from '../src/rule.js';

export default defineRule<{ max: number }>({
  name: 'max-joins',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Limit the number of joins in one query',
  messages: {
    tooMany: '{{count}} joins in one query (max {{max}}): the planner has many join orders to consider and a bad estimate multiplies across them',
  },
  docs: {
    why: 'Each join multiplies the join orders the planner must consider (PostgreSQL falls back to a genetic search beyond 12 tables) and compounds row-count misestimates. Queries with many joins are often fetching data for several screens at once: split them, or pre-aggregate.',
    bad: 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id JOIN items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id JOIN vendors v ON v.id = p.vendor_id',
    good: 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id JOIN items i ON i.order_id = o.id',
  },
  defaultOptions: { max: 3 },
  schema: { type: 'object', properties: { max: { type: 'integer', minimum: 0, description: 'Most joins allowed in one SELECT' } }, additionalProperties: false },
  check(ctx) {
    const max = ctx.options.max;
    for (const b of ctx.blocks) {
      if (b.joins.length <= max) continue;
      const j = b.joins[max]!;
      ctx.report({ range: { start: j.range.start, end: j.table.range.end }, messageId: 'tooMany', data: { count: b.joins.length, max } });
    }
  },
});
