import { defineRule } from '../src/rule.js';

export default defineRule({
  name: 'max-joins',
  category: 'performance',
  severity: 'warn',
  constructs: ['join'],
  recommended: true,
  description: 'Limit the number of joins in one query',
  messages: {
    tooMany: '{{joins}} in one query (more than {{max}}): every join multiplies the join orders the planner must weigh and compounds a bad row estimate (PostgreSQL stops searching every order beyond 8 tables); split the query or pre-aggregate',
  },
  docs: {
    why: 'Each join multiplies the join orders the planner must consider and compounds row-count misestimates. PostgreSQL searches every order of at most 8 tables (`join_collapse_limit` and `from_collapse_limit`, default 8); beyond that it keeps parts of the written order, and from 12 tables (`geqo_threshold`) it switches to a genetic search. Queries with that many joins are often fetching data for several screens at once: split them, or pre-aggregate. The default allows 8 joins: 4 to 6 joins are ordinary in application code (at a default of 3, every finding measured on real applications was noise), while 9 joins make 10 tables, past the collapse limit and close to the genetic search: the point where the planner itself changes strategy and a DBA would read the plan. Set `max` lower for a stricter team style.',
    bad: 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id JOIN orgs g ON g.id = u.org_id JOIN plans pl ON pl.id = g.plan_id JOIN items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id JOIN vendors v ON v.id = p.vendor_id JOIN countries c ON c.code = v.country JOIN regions r ON r.id = c.region_id JOIN currencies cu ON cu.code = o.currency',
    good: 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id JOIN items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id JOIN vendors v ON v.id = p.vendor_id',
  },
  defaultOptions: { max: 8 },
  schema: { type: 'object', properties: { max: { type: 'integer', minimum: 0, description: 'Most joins allowed in one SELECT' } }, additionalProperties: false },
  check(ctx) {
    const max = ctx.options.max;
    for (const b of ctx.blocks) {
      if (b.joins.length <= max) continue;
      const j = b.joins[max]!;
      const n = b.joins.length;
      ctx.report({ range: { start: j.range.start, end: j.table.range.end }, messageId: 'tooMany', data: { joins: n === 1 ? '1 join' : `${n} joins`, max } });
    }
  },
});
