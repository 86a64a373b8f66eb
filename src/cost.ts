import { rules as allRules } from '../rules/index.js';
import { checkRule } from './check-rule.js';
import type { Dialect } from './dialect.js';
import type { QueryBlock, StatementModel } from './model/types.js';
import { hasAggregate } from './model/walk.js';
import type { Range } from './range.js';
import type { AnyRule } from './rule.js';
import { findTable } from './schema/load.js';
import { SMALL_TABLE_ROWS } from './schema/match.js';
import type { Schema } from './schema/types.js';

/**
 * A static cost estimate: a sum of weighted factors, each with a reason and a range. It ranks
 * statements by how likely they are to be slow; it does not predict time. Every factor has a
 * positive weight and is counted per element, so adding a join, a subquery or `SELECT *` can
 * only raise the score (the model is monotonic and deterministic).
 *
 * Two kinds of factor: the shape of the statement (a join, a subquery, a sort), counted here, and
 * the performance problems a rule decides (a Cartesian product, `SELECT *` over many rows, a deep
 * OFFSET): those are the rule's own findings, whether or not the rule is switched on, so a finding
 * and its cost never disagree.
 */
export interface CostFactor {
  id: FactorId;
  reason: string;
  weight: number;
  range: Range;
  /** The rule whose finding this factor is. */
  ruleId?: string;
}

export interface Cost {
  score: number;
  level: 'low' | 'medium' | 'high';
  factors: CostFactor[];
}

interface FactorDef {
  weight: number;
  /** When it counts, for the README's cost table. */
  when: string;
  /** The rule whose findings this factor counts (one factor per finding). */
  rules?: readonly string[];
}

/** Every factor, in the order of the README table (`npm run docs` renders it: renderCostTable). */
export const FACTORS = {
  base: { weight: 1, when: 'every modelled statement' },
  fullScan: { weight: 10, when: 'a SELECT (without LIMIT or a plain aggregate), UPDATE or DELETE on a table with no WHERE, unless the config says the table is small' },
  selectStar: { weight: 3, when: 'each `*` / `t.*` that `no-select-star` reports (many rows leave the statement with every column)', rules: ['no-select-star'] },
  join: { weight: 4, when: 'each join' },
  cartesianJoin: { weight: 21, when: 'each join `no-cartesian-join` reports (on top of its join: 25 in all)', rules: ['no-cartesian-join'] },
  subquery: { weight: 5, when: 'each subquery (not CTEs or set branches)' },
  correlatedSubquery: { weight: 10, when: 'each subquery `no-correlated-subquery` reports (on top of its subquery: 15 in all)', rules: ['no-correlated-subquery'] },
  union: { weight: 6, when: 'each UNION, INTERSECT or EXCEPT that removes duplicates' },
  unionAll: { weight: 2, when: 'each UNION ALL' },
  sortWithoutLimit: { weight: 4, when: 'ORDER BY without LIMIT' },
  randomOrder: { weight: 15, when: 'each ORDER BY a random value (`no-order-by-random`)', rules: ['no-order-by-random'] },
  distinct: { weight: 4, when: 'DISTINCT' },
  groupBy: { weight: 3, when: 'GROUP BY' },
  nonSargable: { weight: 8, when: 'each predicate an index cannot serve, as `no-function-on-column`, `no-leading-wildcard` and `no-inequality-filter` report it', rules: ['no-function-on-column', 'no-leading-wildcard', 'no-inequality-filter'] },
  orAcrossColumns: { weight: 6, when: 'each OR `no-or-across-columns` reports', rules: ['no-or-across-columns'] },
  offset: { weight: 5, when: 'each OFFSET `no-offset-pagination` reports (variable, or a constant over its `max`, 1000 by default)', rules: ['no-offset-pagination'] },
  largeInList: { weight: 3, when: 'each IN list `max-in-list` reports (more than its `max`, 100 by default)', rules: ['max-in-list'] },
} as const satisfies Record<string, FactorDef>;

export type FactorId = keyof typeof FACTORS;

export const WEIGHTS = Object.fromEntries(Object.entries(FACTORS).map(([id, f]) => [id, f.weight])) as { readonly [K in FactorId]: (typeof FACTORS)[K]['weight'] };

export const LEVELS = { medium: 10, high: 30 } as const;

export function costLevel(score: number): Cost['level'] {
  return score >= LEVELS.high ? 'high' : score >= LEVELS.medium ? 'medium' : 'low';
}

/**
 * The rules behind factors, each with the factor its findings count as. Looked up per call (17
 * factors, 26 rules: nothing to cache), so a test sees the code that does it.
 */
function ruleFactors(): Array<{ id: FactorId; rule: AnyRule }> {
  return Object.entries(FACTORS).flatMap(([id, f]) =>
    ((f as FactorDef).rules ?? []).map((name) => {
      const rule = allRules.find((r) => r.name === name);
      if (!rule) throw new Error(`cost factor ${id}: no rule ${name}`);
      return { id: id as FactorId, rule };
    }),
  );
}

export interface CostOptions {
  /** Only rule messages depend on it; the decisions are the same in every dialect. */
  dialect?: Dialect;
  /** The options a rule runs with in this analysis (a configured `max`); its defaults otherwise. */
  ruleOptions?: (ruleName: string) => object | undefined;
}

function realTables(b: QueryBlock) {
  return [...(b.target ? [b.target] : []), ...b.from].filter((t) => t.kind === 'table' && !t.hole);
}

function hasAggregateOnly(b: QueryBlock): boolean {
  return b.type === 'select' && b.selectItems.length > 0 && b.groupBy.length === 0 && b.selectItems.every((s) => hasAggregate(s.expr));
}

type Add = (id: FactorId, reason: string, range: Range, ruleId?: string) => void;

function fullScan(b: QueryBlock, add: Add, schema: Schema | undefined) {
  if (b.type !== 'select' && b.type !== 'update' && b.type !== 'delete') return;
  const t = realTables(b)[0];
  if (!t || b.where !== null || (b.type === 'select' && b.limit !== null) || hasAggregateOnly(b)) return;
  const rows = schema && t.name ? findTable(schema, t.name, t.schema)?.rows : undefined;
  // a full scan of a table known to be small is cheap
  if (rows === undefined) add('fullScan', `no WHERE clause: every row of ${t.name} is read`, t.range);
  else if (rows >= SMALL_TABLE_ROWS) add('fullScan', `no WHERE clause: every row of ${t.name} (${rows.toLocaleString('en-US')} rows) is read`, t.range);
}

/** The statement's shape: what it costs whatever the rules say. */
function shapeFactors(b: QueryBlock, add: Add, schema: Schema | undefined) {
  fullScan(b, add, schema);
  for (const j of b.joins) add('join', `join with ${j.table.name ?? j.table.alias ?? 'a subquery'}`, j.range);
  if (b.parent && b.context !== 'setop' && b.context !== 'cte' && b.context !== 'statement') add('subquery', 'subquery', b.range);
  for (const op of b.setOp?.operators ?? []) {
    if (op.op === 'union' && op.all) add('unionAll', 'UNION ALL concatenates the branches', op.range);
    else add('union', `${op.op.toUpperCase()} sorts or hashes all rows to remove duplicates`, op.range);
  }
  if (b.orderBy.length && !b.limit) add('sortWithoutLimit', 'ORDER BY without LIMIT sorts the whole result', b.orderBy[0]!.range);
  if (b.distinct) add('distinct', 'DISTINCT sorts or hashes the result to remove duplicates', b.distinct.range);
  if (b.groupBy.length) add('groupBy', 'GROUP BY aggregates every matching row', b.groupBy[0]!.range);
}

/** Each rule-backed factor's reason, from the finding's source text and the rule's message data. */
const REASONS: Partial<Record<FactorId, (source: string, data: Record<string, string | number>) => string>> = {
  selectStar: (s) => `${s} reads every column`,
  cartesianJoin: (s) => `${s}: every row pairs with every row`,
  correlatedSubquery: () => 'correlated subquery: runs once per outer row',
  randomOrder: () => 'ORDER BY a random value sorts every row',
  nonSargable: (s) => `${s}: an index cannot serve this predicate`,
  orAcrossColumns: () => 'OR across different columns: one index cannot serve both branches',
  offset: () => 'OFFSET reads and discards every skipped row',
  largeInList: (_, d) => `IN list of ${d.count} values`,
};

/** With a schema that has table sizes, full scans of small tables cost nothing and large ones say how many rows. */
export function estimateCost(statement: StatementModel, text: string, schema?: Schema, opts: CostOptions = {}): Cost {
  const factors: CostFactor[] = [];
  const add: Add = (id, reason, range, ruleId) => factors.push({ id, reason, weight: FACTORS[id].weight, range, ...(ruleId ? { ruleId } : {}) });
  if (statement.root) add('base', 'one statement', statement.range);
  for (const b of statement.blocks) shapeFactors(b, add, schema);
  const input = { model: statement, text, dialect: opts.dialect ?? 'postgresql', schema };
  for (const { id, rule } of ruleFactors()) {
    const options = opts.ruleOptions?.(rule.name) ?? rule.defaultOptions ?? {};
    checkRule(rule, input, options, (r) => {
      add(id, REASONS[id]?.(snippet(text, r.range), r.data ?? {}) ?? id, r.range, rule.name);
    });
  }
  factors.sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  const score = factors.reduce((s, f) => s + f.weight, 0);
  return { score, level: costLevel(score), factors };
}

/** The source of a range on one line, cut to a readable length. */
function snippet(text: string, r: Range): string {
  const s = text.slice(r.start, r.end).replace(/\s+/g, ' ').trim();
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
