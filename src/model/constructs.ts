import { RANDOM_FUNCTIONS } from './functions.js';
import { LIKE_OPS } from './predicates.js';
import type { Expr, QueryBlock } from './types.js';

/**
 * Constructs a statement contains, one bit each. They are noted while the model is finished, in
 * the walk that resolves columns (no walk of their own), and kept on `StatementModel.constructs`.
 * A rule lists the constructs it reports on (`RuleDefinition.constructs`) and the engine calls it
 * only for statements that contain one of them: most statements have no LIKE, OFFSET or UNION,
 * and each rule would walk the whole model to find nothing.
 */
export const CONSTRUCTS = {
  /** Any join, a comma included. */
  join: 1 << 0,
  /** A comma join or CROSS JOIN. */
  crossJoin: 1 << 1,
  /** A block that reads columns of an enclosing query. */
  correlated: 1 << 2,
  distinct: 1 << 3,
  having: 1 << 4,
  offset: 1 << 5,
  /** ORDER BY a random function (`random()`, `rand()`...). */
  randomOrder: 1 << 6,
  /** `*` or `t.*` in a select list (not `count(*)`). */
  star: 1 << 7,
  /** A UNION without ALL. */
  union: 1 << 8,
  insert: 1 << 9,
  update: 1 << 10,
  delete: 1 << 11,
  /** `IN (...)` or `NOT IN (...)` with a list of values. */
  inList: 1 << 12,
  /** `NOT IN (SELECT ...)`. */
  notInSubquery: 1 << 13,
  /** LIKE and the other pattern operators a predicate classifies as `like`. */
  like: 1 << 14,
  or: 1 << 15,
  /** `<>` (`!=`) or IS DISTINCT FROM. */
  notEqual: 1 << 16,
  /** An operator (other than AND / OR) with a function call, cast or operator as an operand: `lower(email) = $1`, `price * 2 > 10`. */
  computedOperand: 1 << 17,
  /** A call of `count`. */
  count: 1 << 18,
  /** Not in the model: the engine sets it when the analysis has a schema. */
  schema: 1 << 19,
} as const;

export type Construct = keyof typeof CONSTRUCTS;

/** Every bit: what a model built without noting its constructs is taken to contain. */
export const ALL_CONSTRUCTS = (1 << 20) - 1;

/** The bits of a list of constructs; 0 for none. */
export function constructMask(list: readonly Construct[] | undefined): number {
  let mask = 0;
  for (const c of list ?? []) mask |= CONSTRUCTS[c];
  return mask;
}

/** An operand that computes: a call, a cast, or an operator other than AND / OR. */
function computes(e: Expr): boolean {
  return e.type === 'func' || e.type === 'cast' || (e.type === 'binary' && e.op !== 'AND' && e.op !== 'OR');
}

/** The constructs one expression node is (its children are visited on their own). */
export function exprConstructs(x: Expr): number {
  if (x.type === 'func') return x.name === 'count' ? CONSTRUCTS.count : 0;
  if (x.type !== 'binary') return 0;
  const op = x.op;
  if (op === 'AND') return 0;
  if (op === 'OR') return CONSTRUCTS.or;
  let bits = computes(x.left) || computes(x.right) ? CONSTRUCTS.computedOperand : 0;
  if (op === 'IN' || op === 'NOT IN') {
    if (x.right.type === 'list') bits |= CONSTRUCTS.inList;
    else if (op === 'NOT IN' && x.right.type === 'subquery') bits |= CONSTRUCTS.notInSubquery;
  } else if (op === '<>' || op === 'IS DISTINCT FROM') bits |= CONSTRUCTS.notEqual;
  else if (LIKE_OPS.has(op)) bits |= CONSTRUCTS.like;
  return bits;
}

const TYPE_BITS: Partial<Record<QueryBlock['type'], number>> = { insert: CONSTRUCTS.insert, update: CONSTRUCTS.update, delete: CONSTRUCTS.delete };

/** The constructs of a block's own clauses, once its columns are resolved (correlation is known then). */
export function blockConstructs(b: QueryBlock): number {
  let bits = TYPE_BITS[b.type] ?? 0;
  if (b.joins.length) bits |= CONSTRUCTS.join;
  if (b.joins.some((j) => j.kind === 'comma' || j.kind === 'cross')) bits |= CONSTRUCTS.crossJoin;
  if (b.outerRefs.length) bits |= CONSTRUCTS.correlated;
  if (b.distinct) bits |= CONSTRUCTS.distinct;
  if (b.having) bits |= CONSTRUCTS.having;
  if (b.offset) bits |= CONSTRUCTS.offset;
  if (b.orderBy.some((o) => o.expr.type === 'func' && RANDOM_FUNCTIONS.has(o.expr.name))) bits |= CONSTRUCTS.randomOrder;
  if (b.selectItems.some((s) => s.expr.type === 'column' && s.expr.name === '*')) bits |= CONSTRUCTS.star;
  if (b.setOp?.operators.some((o) => o.op === 'union' && !o.all)) bits |= CONSTRUCTS.union;
  return bits;
}

/** The names of the constructs in a set of bits, in declaration order (for messages and tests). */
export function constructNames(bits: number): Construct[] {
  return (Object.keys(CONSTRUCTS) as Construct[]).filter((c) => (bits & CONSTRUCTS[c]) !== 0);
}
