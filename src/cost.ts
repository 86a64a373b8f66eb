import { leadingWildcard, localColumns, predicatesOf } from './model/predicates.js';
import type { Expr, QueryBlock, StatementModel } from './model/types.js';
import { hasAggregate } from './model/walk.js';
import { relationRows, rowsRead } from './model/rows.js';
import type { Range } from './range.js';
import { RANDOM_FUNCTIONS } from './model/functions.js';
import { findTable } from './schema/load.js';
import { SMALL_TABLE_ROWS } from './schema/match.js';
import type { Schema } from './schema/types.js';

/**
 * A static cost estimate: a sum of weighted factors, each with a reason and a range. It ranks
 * statements by how likely they are to be slow; it does not predict time. Every factor has a
 * positive weight and is counted per element, so adding a join, a subquery or `SELECT *` can
 * only raise the score (the model is monotonic and deterministic).
 */
export interface CostFactor {
  id: string;
  reason: string;
  weight: number;
  range: Range;
}

export interface Cost {
  score: number;
  level: 'low' | 'medium' | 'high';
  factors: CostFactor[];
}

export const WEIGHTS = {
  base: 1,
  fullScan: 10,
  selectStar: 3,
  join: 4,
  cartesianJoin: 25,
  subquery: 5,
  correlatedSubquery: 15,
  union: 6,
  unionAll: 2,
  sortWithoutLimit: 4,
  randomOrder: 15,
  distinct: 4,
  groupBy: 3,
  nonSargable: 8,
  orAcrossColumns: 6,
  offset: 5,
  largeInList: 3,
} as const;

export const LEVELS = { medium: 10, high: 30 };

function realTables(b: QueryBlock) {
  return [...(b.target ? [b.target] : []), ...b.from].filter((t) => t.kind === 'table' && !t.hole);
}

function blockFactors(b: QueryBlock, out: CostFactor[], text: string, schema?: Schema) {
  const add = (id: keyof typeof WEIGHTS, reason: string, range: Range) => out.push({ id, reason, weight: WEIGHTS[id], range });
  const preds = predicatesOf(b);
  const tables = realTables(b);
  const filtered = b.where !== null || b.joins.some((j) => j.on || j.using);
  if (b.type === 'select' || b.type === 'update' || b.type === 'delete') {
    if (tables.length && b.where === null && !(b.type === 'select' && b.limit !== null) && !hasAggregateOnly(b)) {
      const t = tables[0]!;
      const rows = schema && t.name ? findTable(schema, t.name)?.rows : undefined;
      // a full scan of a table known to be small is cheap
      if (rows === undefined) add('fullScan', `no WHERE clause: every row of ${t.name} is read`, t.range);
      else if (rows >= SMALL_TABLE_ROWS) add('fullScan', `no WHERE clause: every row of ${t.name} (${rows.toLocaleString('en-US')} rows) is read`, t.range);
    }
  }
  for (const s of b.selectItems) {
    if (s.expr.type === 'column' && s.expr.name === '*' && b.from.length) add('selectStar', `${text.slice(s.range.start, s.range.end)} reads every column`, s.range);
  }
  for (const j of b.joins) {
    const connected = j.on !== null || j.using !== null || j.kind === 'natural' || preds.some((p) => p.valueKind === 'column' && p.clause === 'where' && p.value?.type === 'column' && (p.column?.table === j.table.name || (p.value.type === 'column' && p.value.table === j.table.name)) && !p.underOr);
    // a one-row relation (an aggregate, LIMIT 1, a lookup by key, a one-row CTE) multiplies nothing
    if ((j.kind === 'cross' || j.kind === 'comma') && !connected && !j.table.lateral && relationRows(b, j.table, schema) !== 'one') add('cartesianJoin', `${j.table.name ?? 'this table'} is joined with no condition: every row pairs with every row`, j.range);
    else add('join', `join with ${j.table.name ?? j.table.alias ?? 'a subquery'}`, j.range);
  }
  if (b.parent && b.context !== 'setop' && b.context !== 'cte' && b.context !== 'statement') {
    // under a one-row outer query it runs once
    if (b.outerRefs.length && !b.outerRefs.every((c) => c.scope && rowsRead(c.scope, schema) === 'one')) add('correlatedSubquery', 'correlated subquery: runs once per outer row', b.range);
    else add('subquery', 'subquery', b.range);
  }
  for (const op of b.setOp?.operators ?? []) {
    if (op.op === 'union' && op.all) add('unionAll', 'UNION ALL concatenates the branches', op.range);
    else add('union', `${op.op.toUpperCase()} sorts or hashes all rows to remove duplicates`, op.range);
  }
  if (b.orderBy.length) {
    const random = b.orderBy.find((o) => o.expr.type === 'func' && RANDOM_FUNCTIONS.has(o.expr.name));
    if (random) add('randomOrder', 'ORDER BY a random value sorts every row', random.range);
    else if (!b.limit) add('sortWithoutLimit', 'ORDER BY without LIMIT sorts the whole result', b.orderBy[0]!.range);
  }
  if (b.distinct) add('distinct', 'DISTINCT sorts or hashes the result to remove duplicates', b.distinct.range);
  if (b.groupBy.length) add('groupBy', 'GROUP BY aggregates every matching row', b.groupBy[0]!.range);
  for (const p of preds) {
    if (p.underOr || p.negated) continue;
    if (p.wrapped) add('nonSargable', `${text.slice(p.wrapped.range.start, p.wrapped.range.end)} wraps the column: an index on ${p.column?.name} cannot be used`, p.wrapped.range);
    else if (p.kind === 'like' && leadingWildcard(p.value)) add('nonSargable', `${p.op} pattern starts with a wildcard: an index on ${p.column?.name} cannot be used`, p.value!.range);
    else if (p.kind === 'inequality' && p.valueKind !== 'column') add('nonSargable', `${p.op} cannot use an index on ${p.column?.name}`, p.expr.range);
    if (p.kind === 'in' && p.value?.type === 'list' && p.value.items.length > 100) add('largeInList', `IN list of ${p.value.items.length} values`, p.value.range);
  }
  for (const [cond] of [[b.where], ...b.joins.map((j) => [j.on])] as const) {
    if (cond && orAcrossColumns(cond)) add('orAcrossColumns', 'OR across different columns: one index cannot serve both branches', cond.range);
  }
  if (b.offset && !(b.offset.type === 'literal' && typeof b.offset.value === 'number' && b.offset.value < 1000)) add('offset', 'OFFSET reads and discards every skipped row', b.offset.range);
  void filtered;
}

function hasAggregateOnly(b: QueryBlock): boolean {
  return b.type === 'select' && b.selectItems.length > 0 && b.groupBy.length === 0 && b.selectItems.every((s) => hasAggregate(s.expr));
}

/** True if an OR directly in this condition restricts different columns in its branches. */
export function orAcrossColumns(e: Expr): boolean {
  let found = false;
  const visit = (x: Expr) => {
    if (found || x.type !== 'binary') return;
    if (x.op === 'AND') {
      visit(x.left);
      visit(x.right);
    } else if (x.op === 'OR') {
      const cols = (y: Expr) => new Set(orBranchColumns(y));
      const branches = flattenOr(x).map(cols);
      if (branches.some((s) => s.size === 0)) return;
      const first = branches[0]!;
      if (branches.some((s) => [...s].some((c) => !first.has(c)) || [...first].some((c) => !s.has(c)))) found = true;
    }
  };
  visit(e);
  return found;
}

export function flattenOr(e: Expr): Expr[] {
  return e.type === 'binary' && e.op === 'OR' ? [...flattenOr(e.left), ...flattenOr(e.right)] : [e];
}

function orBranchColumns(e: Expr): string[] {
  return localColumns(e).map((c) => `${c.table ?? c.qualifier ?? ''}.${c.name.toLowerCase()}`);
}

/** With a schema that has table sizes, full scans of small tables cost nothing and large ones say how many rows. */
export function estimateCost(statement: StatementModel, text: string, schema?: Schema): Cost {
  const factors: CostFactor[] = [];
  if (statement.root) factors.push({ id: 'base', reason: 'one statement', weight: WEIGHTS.base, range: statement.range });
  for (const b of statement.blocks) blockFactors(b, factors, text, schema);
  const score = factors.reduce((s, f) => s + f.weight, 0);
  const level = score >= LEVELS.high ? 'high' : score >= LEVELS.medium ? 'medium' : 'low';
  return { score, level, factors };
}
