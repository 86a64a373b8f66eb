import { defineRule } from '../src/rule.js';
import { localColumns, type Predicate } from '../src/model/predicates.js';
import type { ColumnExpr, QueryBlock, TableRef } from '../src/model/types.js';

function sourceName(t: TableRef): string {
  return t.alias ?? t.name ?? 'a subquery';
}

function findSource(b: QueryBlock, qualifier: string): TableRef | undefined {
  const q = qualifier.toLowerCase();
  return b.from.find((t) => (t.alias ?? t.name ?? '').toLowerCase() === q) ?? b.from.find((t) => t.name?.toLowerCase() === q);
}

/** The one FROM item every selected column comes from; undefined when there are several or it cannot be told. */
function selectedSource(b: QueryBlock): TableRef | undefined {
  const found = new Set<TableRef>();
  for (const item of b.selectItems) {
    const e = item.expr;
    if (e.type === 'column' && e.name === '*') {
      if (e.qualifier === null) return undefined;
      const t = findSource(b, e.qualifier);
      if (!t) return undefined;
      found.add(t);
      continue;
    }
    for (const c of localColumns(e)) {
      // unqualified names could belong to any joined table: without a schema, say nothing
      if (c.qualifier === null) return undefined;
      const t = findSource(b, c.qualifier);
      if (!t) return undefined;
      found.add(t);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * `JOIN users u ON u.id = o.user_id`: the joined table is looked up by its key (a column named id),
 * so each row finds at most one match and the join creates no copies.
 */
function joinedByKey(b: QueryBlock, t: TableRef, preds: Predicate[]): boolean {
  const src = (c: ColumnExpr) => (c.qualifier === null ? undefined : findSource(b, c.qualifier));
  return preds.some((p) => {
    if (p.kind !== 'equality' || p.underOr || p.negated || p.wrapped || !p.column || p.value?.type !== 'column') return false;
    const sides: Array<[ColumnExpr, ColumnExpr]> = [[p.column, p.value], [p.value, p.column]];
    return sides.some(([mine, other]) => src(mine) === t && mine.name.toLowerCase() === 'id' && src(other) !== undefined && src(other) !== t);
  });
}

export default defineRule({
  name: 'no-distinct-with-join',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow SELECT DISTINCT that removes the duplicates a join creates',
  messages: {
    fanOut: 'DISTINCT removes the copies of {{table}} rows that the join with {{others}} creates: every copy is produced, then sorted or hashed away; filter with EXISTS (SELECT 1 FROM {{others}} WHERE ...) instead of joining',
  },
  docs: {
    why: 'When every selected column comes from one table and the other tables are joined only to filter, each row is repeated once per matching row of the joined tables, and DISTINCT then sorts or hashes the whole repeated result to remove the copies. `WHERE EXISTS (...)` asks the same question without creating the copies, and the planner can run it as a semi-join that stops at the first match. `DISTINCT ON (...)` and DISTINCT over columns of several tables are not reported.',
    bad: "SELECT DISTINCT u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'paid'",
    good: "SELECT u.id, u.email FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = 'paid')",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if (b.type !== 'select' || !b.distinct || b.distinct.on || !b.joins.length) continue;
      const kept = selectedSource(b);
      if (!kept) continue;
      const others = b.from.filter((t) => t !== kept);
      // every joined table looked up by its key: the duplicates DISTINCT removes are the kept table's own
      const preds = ctx.predicates(b).filter((p) => p.clause !== 'having');
      if (!others.length || others.every((t) => joinedByKey(b, t, preds))) continue;
      ctx.report({ range: b.distinct.range, messageId: 'fanOut', data: { table: sourceName(kept), others: others.map(sourceName).join(', ') } });
    }
  },
});
