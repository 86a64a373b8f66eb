import { defineRule, type Fix, type RuleContext } from '../src/rule.js';
import { rowsOf } from '../src/model/rows.js';
import type { ColumnExpr, QueryBlock, TableRef } from '../src/model/types.js';
import { quoteIdent } from '../src/index-ddl.js';
import { findTable } from '../src/schema/load.js';

/**
 * `*` -> the columns it stands for, from the schema, in the order `*` gives them: the same result
 * on every database the schema describes, so a safe fix (the user then drops what the code does
 * not use). Only when every table under the star is a table the schema knows the columns of;
 * not over a USING / NATURAL join, where `*` merges the joined columns into one.
 */
function columnsFix(b: QueryBlock, star: ColumnExpr, ctx: RuleContext<object>): Fix | undefined {
  if (!ctx.schema) return undefined;
  const sources = starSources(b, star.qualifier);
  if (!sources.length) return undefined;
  if (star.qualifier === null && b.joins.some((j) => j.using || j.kind === 'natural')) return undefined;
  // the star's range must be the star (node-sql-parser gives some `*` no location of their own)
  if (!/^(?:[\w$]+|"[^"]+"|`[^`]+`)?\s*\.?\s*\*$/.test(ctx.source(star.range))) return undefined;
  const qualify = star.qualifier !== null || b.from.length > 1;
  // `u.*` keeps the qualifier as written (its case and quotes are the user's)
  const written = star.qualifier !== null ? ctx.source(star.range).replace(/\s*\.\s*\*$/, '') : null;
  const names: string[] = [];
  for (const t of sources) {
    const table = t.kind === 'table' && !t.hole && t.name ? findTable(ctx.schema, t.name, t.schema) : undefined;
    if (!table?.columnsKnown || !table.columns.length) return undefined;
    const q = written ?? quoteIdent(t.alias ?? t.name!, ctx.dialect);
    for (const c of table.columns) names.push(qualify ? `${q}.${quoteIdent(c.name, ctx.dialect)}` : quoteIdent(c.name, ctx.dialect));
  }
  const list = names.join(', ');
  return { safe: true, description: `List the columns: ${list.length > 80 ? list.slice(0, 77) + '...' : list}`, edits: [{ range: star.range, text: list }] };
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

/**
 * The query whose rows leave the statement (to the client, or into the INSERT target) carrying this
 * block's columns: the block itself, its set operation, or the query that reads it with `*` when it
 * is a CTE or derived table. null when a consumer picks the columns (`SELECT a, b FROM cte`) or the
 * rows only feed a condition (IN, a scalar subquery).
 */
function deliveredBy(b: QueryBlock, blocks: QueryBlock[], seen = new Set<QueryBlock>()): QueryBlock | null {
  let x = b;
  while (x.context === 'setop' && x.parent) x = x.parent;
  if (seen.has(x)) return null;
  seen.add(x);
  if (x.context === 'statement' || x.context === 'insert-source') return x;
  if (x.context !== 'cte' && x.context !== 'from') return null;
  for (const c of blocks) {
    if (c.type !== 'select') continue;
    for (const item of c.selectItems) {
      const e = item.expr;
      if (e.type !== 'column' || e.name !== '*') continue;
      if (!starSources(c, e.qualifier).some((t) => (t.kind === 'cte' ? t.cte?.query === x : t.query === x))) continue;
      const r = deliveredBy(c, blocks, seen);
      if (r) return r;
    }
  }
  return null;
}

export default defineRule({
  name: 'no-select-star',
  category: 'performance',
  severity: 'warn',
  constructs: ['star'],
  // measured on 9 real applications (docs/precision.md): 0 of 16 judged worth acting on: whole rows turned into entities or sent on;
  // on request until it holds at 70% or more
  recommended: false,
  fixable: 'fix',
  description: 'Disallow `SELECT *` and `t.*` over tables',
  messages: {
    star: '{{star}} returns every column of every matching row of {{table}}, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses',
  },
  docs: {
    why: 'Every column is read, sent over the network and decoded, including large text and JSON columns the code never uses. It also prevents index-only scans, and the result changes shape silently when a migration adds a column. Reported only where that cost is real: a query that reads a table and returns many rows (not a lookup by a primary or unique key, `id` without a schema, nor a LIMIT up to 1000, nor an aggregate). Not reported for `*` over a CTE or derived table that lists its columns, for `*` in a CTE or derived table whose consumer lists the columns it wants, inside EXISTS or an IN / scalar subquery (the rows only feed a condition), nor in sqlc query files (sqlc expands `*` into the column list).',
    bad: 'SELECT * FROM orders WHERE customer_id = $1',
    good: 'SELECT id, status, total FROM orders WHERE customer_id = $1',
  },
  check(ctx) {
    // sqlc expands `*` into the column list when it generates code from a `-- name: X :one` query
    if (ctx.statement.sqlc) return;
    const withFix = (fix: Fix | undefined) => (fix ? { fix } : {});
    for (const b of ctx.blocks) {
      if (b.type !== 'select') continue;
      for (const item of b.selectItems) {
        const e = item.expr;
        if (e.type !== 'column' || e.name !== '*') continue;
        const sources = starSources(b, e.qualifier).filter((t) => readsAllColumns(t));
        if (!sources.length) continue;
        // only rows that leave the statement carry the columns (not those of EXISTS, IN or a scalar
        // subquery, also through set branches), and only many of them make it costly
        const root = deliveredBy(b, ctx.blocks);
        if (!root || rowsOf(root, ctx.schema) !== 'many') continue;
        ctx.report({ range: e.range, messageId: 'star', data: { star: ctx.source(e.range), table: sources.map((t) => t.name ?? t.alias ?? 'a subquery').join(', ') }, ...withFix(columnsFix(b, e, ctx)) });
      }
    }
  },
});
