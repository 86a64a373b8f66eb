import { defineRule } from '../src/rule.js';
import type { QueryBlock, TableRef } from '../src/model/types.js';

/** True if the block sits (through set branches) inside EXISTS, where the select list is never read. */
function underExists(b: QueryBlock): boolean {
  for (let x: QueryBlock | null = b; x; x = x.parent) {
    if (x.context === 'exists') return true;
    if (x.context !== 'setop') return false;
  }
  return false;
}

/** Does `*` over this source read more columns than a query chose? Real tables: yes; CTEs and derived tables: only if they select * themselves. */
function readsAllColumns(t: TableRef, seen = new Set<QueryBlock>()): boolean {
  if (t.kind === 'table') return !t.hole;
  const q = t.kind === 'cte' ? t.cte?.query : t.query;
  if (!q || seen.has(q)) return false;
  seen.add(q);
  if (t.kind === 'cte' && t.cte?.columns) return false;
  return blockSelectsStar(q, seen);
}

function blockSelectsStar(q: QueryBlock, seen: Set<QueryBlock>): boolean {
  if (q.setOp) return q.setOp.branches.some((br) => blockSelectsStar(br, seen));
  return q.selectItems.some((s) => s.expr.type === 'column' && s.expr.name === '*' && starSources(q, s.expr.qualifier).some((t) => readsAllColumns(t, seen)));
}

function starSources(b: QueryBlock, qualifier: string | null): TableRef[] {
  if (qualifier === null) return b.from;
  const q = qualifier.toLowerCase();
  return b.from.filter((t) => (t.alias ?? t.name ?? '').toLowerCase() === q);
}

export default defineRule({
  name: 'no-select-star',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow `SELECT *` and `t.*` over tables',
  messages: {
    star: '{{star}} reads every column of {{table}}; list the columns the code uses',
  },
  docs: {
    why: 'Every column is read, sent over the network and decoded, including large text and JSON columns the code never uses. It also prevents index-only scans, and the result changes shape silently when a migration adds a column.',
    bad: 'SELECT * FROM orders WHERE customer_id = $1',
    good: 'SELECT id, status, total FROM orders WHERE customer_id = $1',
  },
  check(ctx) {
    // sqlc expands `*` into the column list when it generates code from a `-- name: X :one` query
    if (ctx.statement.sqlc) return;
    for (const b of ctx.blocks) {
      if (b.type !== 'select' || underExists(b)) continue;
      for (const item of b.selectItems) {
        const e = item.expr;
        if (e.type !== 'column' || e.name !== '*') continue;
        const sources = starSources(b, e.qualifier).filter((t) => readsAllColumns(t));
        if (!sources.length) continue;
        ctx.report({ range: e.range, messageId: 'star', data: { star: ctx.source(e.range), table: sources.map((t) => t.name ?? t.alias ?? 'a subquery').join(', ') } });
      }
    }
  },
});
