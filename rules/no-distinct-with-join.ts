import { defineRule } from '../src/rule.js';
import { localColumns, type Predicate } from '../src/model/predicates.js';
import { rowsOf, sourceOf } from '../src/model/rows.js';
import { findTable, sameName } from '../src/schema/load.js';
import type { Schema } from '../src/schema/types.js';
import type { ColumnExpr, Expr, QueryBlock, TableRef } from '../src/model/types.js';
import { unwrapCast } from '../src/model/walk.js';

function sourceName(t: TableRef): string {
  return t.alias ?? t.name ?? 'a subquery';
}

function findSource(b: QueryBlock, qualifier: string): TableRef | undefined {
  const q = qualifier.toLowerCase();
  return b.from.find((t) => (t.alias ?? t.name ?? '').toLowerCase() === q) ?? b.from.find((t) => t.name?.toLowerCase() === q);
}

/** The one FROM item every selected column comes from, with those columns (`*`: all); undefined when there are several or it cannot be told. */
function selectedSource(b: QueryBlock, schema?: Schema): { t: TableRef; columns: string[] | '*' } | undefined {
  const found = new Set<TableRef>();
  const columns: string[] = [];
  let star = false;
  for (const item of b.selectItems) {
    const e = item.expr;
    if (e.type === 'column' && e.name === '*') {
      if (e.qualifier === null) return undefined;
      const t = findSource(b, e.qualifier);
      if (!t) return undefined;
      found.add(t);
      star = true;
      continue;
    }
    for (const c of localColumns(e)) {
      // unqualified names could belong to any joined table: only the schema can tell which
      const t = c.qualifier === null ? sourceOf(b, b.from, c, schema) : findSource(b, c.qualifier);
      if (!t) return undefined;
      found.add(t);
    }
    const bare = unwrapCast(e);
    if (bare.type === 'column') columns.push(bare.name);
  }
  return found.size === 1 ? { t: [...found][0]!, columns: star ? '*' : columns } : undefined;
}

/** Columns of `t` that the conditions fix to a value not read from `t` (a column of another relation, a constant). */
function equatedColumns(b: QueryBlock, t: TableRef, preds: Predicate[], schema?: Schema): string[] {
  const src = (c: ColumnExpr) => sourceOf(b, b.from, c, schema);
  const readsT = (e: Expr) => localColumns(e).some((c) => src(c) === undefined || src(c) === t);
  const out: string[] = [];
  for (const p of preds) {
    if (p.clause === 'having' || p.kind !== 'equality' || p.underOr || p.negated || p.wrapped || !p.column || !p.value) continue;
    const sides: Array<[ColumnExpr, Expr]> = [[p.column, p.value]];
    const v = unwrapCast(p.value);
    if (v.type === 'column' && !v.outer) sides.push([v, p.column]);
    for (const [mine, other] of sides) if (src(mine) === t && !readsT(other)) out.push(mine.name);
  }
  for (const j of b.joins) if (j.table === t && j.using) out.push(...j.using);
  return out;
}

/** The relation has at most one row per value of these columns: a primary or unique key among them, `id` without a schema, a query grouped by them or DISTINCT on them. */
function uniqueOn(t: TableRef, cols: string[], schema?: Schema): boolean {
  const has = (name: string) => cols.some((c) => sameName(c, name));
  if (t.hole) return false;
  if (t.kind === 'table') {
    const st = schema && t.name ? findTable(schema, t.name, t.schema) : undefined;
    if (!st) return has('id');
    return st.indexes.some((i) => i.unique && i.where === null && i.keys.length > 0 && i.keys.every((k) => k.column !== null && has(k.column)));
  }
  const q = t.kind === 'cte' ? t.cte?.query : t.kind === 'derived' ? t.query : undefined;
  if (!q || q.setOp || q.type !== 'select' || (t.kind === 'cte' && t.cte?.recursive)) return false;
  if (rowsOf(q, schema) === 'one') return true;
  const listed = t.kind === 'cte' ? t.cte?.columns : null;
  /** The name the query's output gives a column expression of its own (undefined if it is not projected). */
  const outName = (e: Expr): string | undefined => {
    const x = unwrapCast(e);
    if (x.type !== 'column' || x.name === '*') return undefined;
    const i = q.selectItems.findIndex((s) => {
      const y = unwrapCast(s.expr);
      return s.expr === e || (y.type === 'column' && sameName(y.name, x.name) && (x.qualifier === null || y.qualifier === null || sameName(x.qualifier, y.qualifier)));
    });
    if (i < 0) return undefined;
    const s = q.selectItems[i]!;
    return listed?.[i] ?? s.alias ?? (unwrapCast(s.expr) as ColumnExpr).name;
  };
  const allProjected = (es: Expr[]) => es.length > 0 && es.every((e) => {
    const n = outName(e);
    return n !== undefined && has(n);
  });
  if (q.groupBy.length && allProjected(q.groupBy)) return true;
  if (q.distinct?.on) return allProjected(q.distinct.on);
  if (q.distinct) return !q.selectItems.some((s) => s.expr.type === 'column' && s.expr.name === '*') && allProjected(q.selectItems.map((s) => s.expr));
  return false;
}

/** `LEFT JOIN t ON ... WHERE t.key IS NULL`: only rows without a match survive, each once. */
function antiJoined(b: QueryBlock, t: TableRef, preds: Predicate[], schema?: Schema): boolean {
  if (!b.joins.some((j) => j.table === t && j.kind === 'left')) return false;
  const joinCols = equatedColumns(b, t, preds.filter((p) => p.clause === 'join'), schema);
  return preds.some(
    (p) =>
      p.clause === 'where' && p.op === 'IS NULL' && !p.underOr && !p.negated && !p.wrapped && p.column && sourceOf(b, b.from, p.column, schema) === t &&
      // a column a matched row cannot have NULL in: one the ON compares by equality, or a key
      (joinCols.some((c) => sameName(c, p.column!.name)) || uniqueOn(t, [p.column.name], schema)),
  );
}

export default defineRule({
  name: 'no-distinct-with-join',
  category: 'performance',
  severity: 'warn',
  constructs: ['distinct'],
  // measured on 9 real applications (docs/precision.md): 0 of 3;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow SELECT DISTINCT that removes the duplicates a join creates',
  messages: {
    fanOut: 'DISTINCT removes the copies of {{table}} rows that the join with {{others}} creates: every copy is produced, then sorted or hashed away; filter with EXISTS (SELECT 1 FROM {{others}} WHERE ...) instead of joining',
  },
  docs: {
    why: 'When every selected column comes from one table and the other tables are joined only to filter, each row is repeated once per matching row of the joined tables, and DISTINCT then sorts or hashes the whole repeated result to remove the copies. `WHERE EXISTS (...)` asks the same question without creating the copies, and the planner can run it as a semi-join that stops at the first match. Reported only when the join can create copies and DISTINCT is there for them: not when every joined table is unique on the join key (its primary key or a unique key in the schema, a column named `id` without one, a CTE or derived table grouped by the key, DISTINCT on it, or returning one row), nor for an anti-join (`LEFT JOIN b ON ... WHERE b.key IS NULL`), nor when the selected columns do not identify a row of their table (no `t.*`, no key among them): then DISTINCT also removes the table\'s own duplicate values and would still be needed after the rewrite. `DISTINCT ON (...)`, DISTINCT over columns of several tables and queries with RIGHT or FULL joins are not reported.',
    bad: "SELECT DISTINCT u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'paid'",
    good: "SELECT u.id, u.email FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = 'paid')",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if (b.type !== 'select' || !b.distinct || b.distinct.on || !b.joins.length) continue;
      if (b.joins.some((j) => j.kind === 'right' || j.kind === 'full' || j.kind === 'natural')) continue;
      const sel = selectedSource(b, ctx.schema);
      if (!sel) continue;
      const kept = sel.t;
      // without a key of the kept table among the columns, DISTINCT removes its own duplicate values too
      if (sel.columns !== '*' && !uniqueOn(kept, sel.columns, ctx.schema)) continue;
      const others = b.from.filter((t) => t !== kept);
      // HAVING does not fix a joined key: equatedColumns skips it; antiJoined reads ON and WHERE only
      const preds = ctx.predicates(b);
      // every joined table adds at most one row per kept row: the duplicates DISTINCT removes are not the join's
      if (!others.length || others.every((t) => uniqueOn(t, equatedColumns(b, t, preds, ctx.schema), ctx.schema) || antiJoined(b, t, preds, ctx.schema))) continue;
      ctx.report({ range: b.distinct.range, messageId: 'fanOut', data: { table: sourceName(kept), others: others.map(sourceName).join(', ') } });
    }
  },
});
