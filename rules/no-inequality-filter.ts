import { defineRule } from '../src/rule.js';
import { localColumns, type Predicate } from '../src/model/predicates.js';

export default defineRule({
  name: 'no-inequality-filter',
  category: 'performance',
  severity: 'warn',
  constructs: ['notEqual'],
  // judged on 9 real applications: 0 of 10 findings worth acting on (tiny tables, deliberate "all but one"); on request only
  recommended: false,
  description: 'Disallow `<>` / `!=` as the only filter on a table',
  messages: {
    only: '`{{expr}}` is the only filter on {{table}}: an index cannot serve a not-equal test, so every row is read',
  },
  docs: {
    why: 'A not-equal test matches almost every row; no B-tree index can narrow it. When it is the only condition on a table, the whole table is read. Filter on the values you want (`status IN (...)`), or add a selective condition the index can use.',
    bad: "SELECT id FROM orders WHERE status <> 'archived'",
    good: "SELECT id FROM orders WHERE status IN ('open', 'paid')",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      // a condition under an OR (`(x IS NULL OR x IN (...))`) still restricts its table: the not-equal is not the only filter then
      const preds = ctx.predicates(b).filter((p) => p.clause !== 'having');
      const byTable = new Map<string, Predicate[]>();
      const add = (t: string | null | undefined, p: Predicate) => {
        if (!t) return;
        const list = byTable.get(t) ?? [];
        list.push(p);
        byTable.set(t, list);
      };
      for (const p of preds) {
        if (!p.column || p.column.scope !== b) continue;
        add(p.column.table, p);
        // `a.x = b.y` restricts both sides
        if (p.value?.type === 'column' && p.value.scope === b && p.value.table !== p.column.table) add(p.value.table, p);
      }
      for (const [table, list] of byTable) {
        const restricting = list.filter((p) => p.kind !== 'inequality' || p.underOr);
        if (restricting.length) continue;
        for (const p of list) {
          if (p.underOr) continue;
          // column-to-column tests (`a[1] <> a[2]`) and `<> ALL (subquery)` are not constant filters
          if (p.clause !== 'where' || p.valueKind === 'column' || p.valueKind === 'subquery' || (p.value && localColumns(p.value).length)) continue;
          ctx.report({ range: p.expr.range, messageId: 'only', data: { expr: ctx.source(p.expr.range), table } });
        }
      }
    }
  },
});
