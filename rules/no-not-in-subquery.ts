import { defineRule, type Fix, type RuleContext } from '../src/rule.js';
import { quoteIdent } from '../src/index-ddl.js';
import { contains, type Range } from '../src/range.js';
import type { ColumnExpr, Expr, QueryBlock, SelectItem, TableRef } from '../src/model/types.js';
import { blockExprs, unwrapCast, walkExpr } from '../src/model/walk.js';
import type { Predicate } from '../src/model/predicates.js';
import { sourceOf } from '../src/model/rows.js';
import { findTable, sameName } from '../src/schema/load.js';
import type { Schema } from '../src/schema/types.js';

/** Comparisons that are never true on a NULL: in WHERE (not under OR / NOT) they keep NULLs out. */
const NULL_REJECTING = new Set(['IS NOT NULL', '=', '<', '<=', '>', '>=', '<>', 'IN', '= ANY', 'LIKE', 'ILIKE', 'BETWEEN']);

/** Can the subquery's output (every column, for a row value) never be NULL? */
function neverNull(q: QueryBlock, ctx: { predicates(b: QueryBlock): Predicate[] }, schema: Schema | undefined, depth = 0): boolean {
  if (depth > 8) return false;
  if (q.setOp) return q.setOp.branches.every((b) => neverNull(b, ctx, schema, depth + 1));
  if (q.type !== 'select' || !q.selectItems.length) return false;
  return q.selectItems.every((item) => itemNeverNull(q, item, ctx, schema, depth));
}

function itemNeverNull(q: QueryBlock, item: SelectItem, ctx: Parameters<typeof neverNull>[1], schema: Schema | undefined, depth: number): boolean {
  const e = unwrapCast(item.expr);
  if (e.type === 'literal') return e.kind !== 'null';
  if (e.type === 'func' && e.name === 'count') return true;
  if (e.type !== 'column' || e.name === '*' || e.outer) return false;
  // `WHERE col IS NOT NULL` (or any comparison on it) keeps NULLs out
  const rejected = ctx
    .predicates(q)
    .some((p) => p.clause === 'where' && !p.underOr && !p.negated && !p.wrapped && p.column && sameColumn(q, p.column, e, schema) && NULL_REJECTING.has(p.op));
  if (rejected) return true;
  const t = sourceOf(q, q.from, e, schema);
  if (!t) return false;
  // the NULLs an outer join adds for rows without a match
  if (q.joins.some((j) => j.kind === 'full' || (j.kind === 'left' && j.table === t) || (j.kind === 'right' && j.table !== t))) return false;
  return columnNeverNull(t, e.name, ctx, schema, depth);
}

function sameColumn(q: QueryBlock, a: ColumnExpr, b: ColumnExpr, schema: Schema | undefined): boolean {
  if (!sameName(a.name, b.name)) return false;
  const ta = sourceOf(q, q.from, a, schema);
  return ta !== undefined && ta === sourceOf(q, q.from, b, schema);
}

function columnNeverNull(t: TableRef, name: string, ctx: Parameters<typeof neverNull>[1], schema: Schema | undefined, depth: number): boolean {
  if (t.hole) return false;
  if (t.kind === 'table') {
    const st = schema && t.name ? findTable(schema, t.name, t.schema) : undefined;
    // without the table's definition, only its `id` is taken to be a key
    if (!st) return name.toLowerCase() === 'id';
    if (st.indexes.some((i) => i.primary && i.keys.some((k) => k.column !== null && sameName(k.column, name)))) return true;
    return st.columns.some((c) => sameName(c.name, name) && c.notNull);
  }
  const q = t.kind === 'cte' ? t.cte?.query : t.kind === 'derived' ? t.query : undefined;
  if (!q || (t.kind === 'cte' && t.cte?.recursive)) return false;
  // the column the CTE or derived table projects under that name: its position in the column list
  // or the first branch (a set operation takes its column names from there), in every branch
  const branches = q.setOp ? q.setOp.branches : [q];
  const listed = t.kind === 'cte' ? t.cte?.columns : null;
  const first = branches[0]!;
  const i = listed ? listed.findIndex((c) => sameName(c, name)) : first.selectItems.findIndex((s) => sameName(s.alias ?? (s.expr.type === 'column' ? s.expr.name : ''), name));
  return branches.every((b) => {
    const item = i >= 0 && b.type === 'select' ? b.selectItems[i] : undefined;
    return !!item && itemNeverNull(b, item, ctx, schema, depth + 1);
  });
}

/**
 * `x NOT IN (SELECT y FROM t WHERE c)` -> `NOT EXISTS (SELECT 1 FROM t WHERE (c) AND y = x)`.
 * Only a suggestion, never an autofix: the rule reports exactly the cases where `y` can be NULL,
 * and there (and when `x` is NULL) the two differ: NOT IN returns no row once a `y` is NULL, NOT
 * EXISTS returns the rows the author meant. That change of results is the point, but a reviewer
 * must accept it. Built only when the rewrite is plain: a column on the left (qualified, so the
 * subquery's tables cannot capture it), one non-aggregate output, no GROUP BY, DISTINCT, ORDER BY,
 * LIMIT, set operation or locking in the subquery.
 */
function notExistsFix(outer: QueryBlock, e: Expr & { type: 'binary' }, ctx: RuleContext<object>): Fix | undefined {
  const left = e.left;
  if (left.type !== 'column' || left.name === '*' || left.outer || e.right.type !== 'subquery') return undefined;
  const q = e.right.query;
  if (q.type !== 'select' || q.setOp || q.selectItems.length !== 1 || q.groupBy.length || q.having || q.distinct || q.orderBy.length || q.limit || q.offset || q.locking || !q.from.length) return undefined;
  const item = q.selectItems[0]!;
  let aggregate = false;
  walkExpr(item.expr, (x) => {
    if ((x.type === 'func' && (x.aggregate || x.window)) || x.type === 'subquery') aggregate = true;
    return !aggregate;
  });
  // ranges a parser left without a location fall back to an ancestor's: then the edits would miss
  if (aggregate || !contains(q.range, item.range) || (q.where && !contains(q.range, q.where.range))) return undefined;
  // the outer column, qualified by its table as the outer query names it
  let qualifier: string;
  let operand: string;
  if (left.qualifier !== null) {
    qualifier = left.qualifier;
    operand = ctx.source(left.range);
  } else {
    const t = sourceOf(outer, outer.from, left, ctx.schema) ?? (outer.from.length === 1 ? outer.from[0] : undefined);
    const name = t && !t.hole ? (t.alias ?? t.name) : null;
    if (!name) return undefined;
    qualifier = name;
    operand = `${quoteIdent(name, ctx.dialect)}.${ctx.source(left.range)}`;
  }
  // a table of the subquery named like the outer qualifier would capture the outer column
  if (q.from.some((t) => sameName(t.alias ?? t.name ?? '', qualifier))) return undefined;
  const condition = `${ctx.source(item.expr.range)} = ${operand}`;
  const edits = [
    { range: { start: e.range.start, end: e.right.range.start }, text: 'NOT EXISTS ' },
    { range: item.range, text: '1' },
  ];
  if (q.where) {
    edits.push({ range: { start: q.where.range.start, end: q.where.range.start }, text: '(' }, { range: { start: q.where.range.end, end: q.where.range.end }, text: `) AND ${condition}` });
  } else {
    let end = Math.max(...q.from.map((t) => t.range.end), ...q.joins.map((j) => j.range.end));
    // a table's range may stop before its alias; anything else after the FROM list is a clause the model does not carry
    const last = q.from[q.from.length - 1]!;
    const rest = ctx.text.slice(end, q.range.end).trim();
    if (rest && !(last.alias && !q.joins.length && /^(?:as\s+)?(\S+)$/i.exec(rest)?.[1] === last.alias)) return undefined;
    if (rest) end = q.range.end;
    edits.push({ range: { start: end, end }, text: ` WHERE ${condition}` });
  }
  return { safe: false, description: 'Rewrite as NOT EXISTS (returns rows where NOT IN returned none because of a NULL)', edits };
}

export default defineRule({
  name: 'no-not-in-subquery',
  category: 'correctness',
  severity: 'warn',
  constructs: ['notInSubquery'],
  // measured on 9 real applications (docs/precision.md): 1 of 9: NOT NULL keys;
  // on request until it holds at 70% or more
  recommended: false,
  fixable: 'suggestion',
  // a NULL in the subquery gives a wrong answer wherever it runs, except in tests, which run against rows they made
  contexts: ['app', 'migration', 'script'],
  description: 'Disallow `NOT IN (SELECT ...)`; use `NOT EXISTS`',
  messages: {
    notIn: 'NOT IN (SELECT ...) matches nothing as soon as the subquery returns a NULL, and planners cannot turn it into an anti-join; use NOT EXISTS (SELECT 1 FROM ... WHERE ... = {{operand}})',
  },
  docs: {
    why: '`x NOT IN (SELECT y ...)` is UNKNOWN, never true, for every row once one `y` is NULL, so the query silently returns nothing. Because of that NULL rule, PostgreSQL cannot plan it as an anti-join: it hashes the whole subquery result (or, when it does not fit in memory, rescans it for every outer row). `NOT EXISTS` has the intended meaning and becomes a hash or merge anti-join. Not reported when the subquery\'s column cannot be NULL: a primary-key column or one declared NOT NULL in the schema (and not on the outer side of a LEFT / RIGHT / FULL join), a column named `id` of a table the schema does not know, a CTE or derived-table column that projects one of these, or a column the subquery\'s WHERE keeps non-NULL (`col IS NOT NULL`, or a comparison on it not under OR); the hashed subquery plan is fine for the small lists such subqueries usually return.',
    bad: 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans)',
    good: 'SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bans b WHERE b.user_id = u.id)',
  },
  check(ctx) {
    const report = (e: Expr & { type: 'binary' }, range: Range, fix?: Fix) => {
      ctx.report({ range, messageId: 'notIn', data: { operand: ctx.source(e.left.range) }, ...(fix ? { fix } : {}) });
    };
    for (const b of ctx.blocks) {
      for (const [, root] of blockExprs(b)) {
        walkExpr(root, (e) => {
          // both model builders fold `NOT (x IN (...))` into one `NOT IN`
          if (e.type !== 'binary' || e.op !== 'NOT IN' || e.right.type !== 'subquery') return;
          if (neverNull(e.right.query, ctx, ctx.schema)) return;
          // `x NOT IN (...)`: the two words; `NOT (x IN (...))`: the NOT
          const between = ctx.text.slice(e.left.range.end, e.right.range.start);
          const m = /\bNOT\s+IN\b/i.exec(between);
          if (m) report(e, { start: e.left.range.end + m.index, end: e.left.range.end + m.index + m[0].length }, notExistsFix(b, e, ctx));
          else report(e, notKeyword(ctx.text, e.range));
        });
      }
    }
  },
});

function notKeyword(text: string, r: Range): Range {
  return /^NOT\b/i.test(text.slice(r.start, r.end)) ? { start: r.start, end: r.start + 3 } : r;
}
