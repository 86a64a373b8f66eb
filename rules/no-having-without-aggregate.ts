import { defineRule } from '../src/rule.js';
import { localColumns } from '../src/model/predicates.js';
import type { Expr } from '../src/model/types.js';
import { conjuncts, hasAggregate, walkExpr } from '../src/model/walk.js';

function mentions(e: Expr, test: (x: Expr) => boolean): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (test(x)) found = true;
    return !found;
  });
  return found;
}

export default defineRule({
  name: 'no-having-without-aggregate',
  category: 'performance',
  severity: 'warn',
  constructs: ['having'],
  recommended: true,
  description: 'Disallow HAVING conditions that use no aggregate; they belong in WHERE',
  messages: {
    move: '{{condition}} uses no aggregate: in HAVING it runs after every row has been grouped; move it to WHERE so rows are filtered first (and an index can help)',
  },
  docs: {
    why: 'HAVING filters groups after the rows have been read, grouped and aggregated. A condition on the grouping columns alone gives the same result in WHERE, where it removes rows before the grouping and can use an index. Planners do not always move it for you (MySQL never does).',
    bad: "SELECT status, count(*) FROM orders GROUP BY status HAVING status <> 'archived'",
    good: "SELECT status, count(*) FROM orders WHERE status <> 'archived' GROUP BY status",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if (!b.having || !b.groupBy.length) continue;
      // ROLLUP / CUBE / GROUPING SETS add rows with NULL keys that only HAVING can filter
      const groupText = b.groupBy.map((g) => ctx.source(g.range)).join(' ') + ' ' + ctx.source(b.range);
      if (/\b(ROLLUP|CUBE|GROUPING\s+SETS)\b/i.test(groupText)) continue;
      const aliases = new Set(b.selectItems.map((s) => s.alias?.toLowerCase()).filter((a): a is string => !!a));
      for (const c of conjuncts(b.having)) {
        if (hasAggregate(c) || localColumns(c).length === 0) continue;
        // subqueries, GROUPING(), window functions: leave them where they are
        if (mentions(c, (x) => x.type === 'subquery' || (x.type === 'func' && (x.name === 'grouping' || x.window)))) continue;
        // MySQL lets HAVING name a select alias, which may stand for an aggregate
        if (localColumns(c).some((col) => col.qualifier === null && aliases.has(col.name.toLowerCase()))) continue;
        ctx.report({ range: c.range, messageId: 'move', data: { condition: ctx.source(c.range).replace(/\s+/g, ' ') } });
      }
    }
  },
});
