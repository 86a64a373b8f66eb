import type { Range } from '../range.js';
import type { ColumnExpr, Expr, QueryBlock } from './types.js';
import { BlockMemo } from './memo.js';
import { unwrapCast, walkExpr } from './walk.js';

/**
 * Predicates: the comparisons in WHERE, JOIN ON and HAVING, classified for sargability.
 * Rules, cost and index suggestions all read these, so they agree on what an index can serve.
 */
export type PredicateKind = 'equality' | 'range' | 'in' | 'like' | 'null' | 'inequality' | 'other';
export type ValueKind = 'literal' | 'param' | 'column' | 'subquery' | 'list' | 'expression' | 'null' | 'none';

export interface Predicate {
  block: QueryBlock;
  clause: 'where' | 'join' | 'having';
  /** The whole comparison. */
  expr: Expr;
  /** Normalised operator with the column on the left (`5 < x` becomes `x > 5`). */
  op: string;
  kind: PredicateKind;
  /** The column the predicate restricts, if one side is a column of this query (possibly wrapped). */
  column: ColumnExpr | null;
  /** The column side is a function call or an expression over the column (`lower(email)`, `price * 2`). */
  wrapped: Expr | null;
  /** The other side. */
  value: Expr | null;
  valueKind: ValueKind;
  /** A B-tree index on the plain column can serve this predicate. */
  sargable: boolean;
  /** The predicate sits under an OR (alone it does not restrict the rows). */
  underOr: boolean;
  /** The predicate sits under a NOT. */
  negated: boolean;
  range: Range;
}

const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>' };
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=', '==', '<=>']);
/** The pattern operators; a comparison with one is a `like` predicate. */
export const LIKE_OPS: ReadonlySet<string> = new Set(['LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE', 'SIMILAR TO', 'NOT SIMILAR TO', 'GLOB', 'REGEXP', 'RLIKE', '~~', '~~*']);

/** Columns of this block directly under `e` (not inside subqueries, not outer references). */
export function localColumns(e: Expr): ColumnExpr[] {
  const out: ColumnExpr[] = [];
  walkExpr(e, (x) => {
    if (x.type === 'column' && x.name !== '*' && !x.outer) out.push(x);
  });
  return out;
}

function valueKindOf(e: Expr | null): ValueKind {
  if (!e) return 'none';
  const v = unwrapCast(e);
  switch (v.type) {
    case 'literal':
      return v.kind === 'null' ? 'null' : 'literal';
    case 'param':
      return 'param';
    case 'column':
      return v.outer ? 'param' : 'column';
    case 'subquery':
      return 'subquery';
    case 'list':
      return 'list';
    default: {
      // now() - interval '1 day', $1::uuid, lower($1): a value; b + 1 reads the row like a column
      return localColumns(v).length === 0 ? 'expression' : 'column';
    }
  }
}

/** Splits a comparison into (column side, value side); null when neither side is a column. */
function orient(left: Expr, right: Expr, op: string): { col: Expr; val: Expr; op: string } | null {
  const lc = localColumns(left).length > 0;
  const rc = localColumns(right).length > 0;
  if (lc) return { col: left, val: right, op };
  if (rc && FLIP[op]) return { col: right, val: left, op: FLIP[op]! };
  return null;
}

/** The bare column of a column side, and whether it is wrapped in a function or expression. */
function columnOf(side: Expr): { column: ColumnExpr | null; wrapped: Expr | null } {
  const bare = side.type === 'cast' ? side : side;
  if (bare.type === 'column') return { column: bare, wrapped: null };
  const cols = localColumns(side);
  return { column: cols[0] ?? null, wrapped: cols.length ? side : null };
}

/** The literal that makes a LIKE pattern start with a wildcard: `'%x'`, `'%' || $1`, `CONCAT('%', ?)`. */
/** A placeholder sqlperf wrote for a hole (`__sqlperf_p1`, also inside a quoted pattern: `'__sqlperf_p1%'`): never a real name or pattern. */
export const HOLE_TEXT = /^__sqlperf_p\d+/;

export function leadingWildcard(p: Expr | null | undefined): Expr | undefined {
  if (!p) return undefined;
  const v = unwrapCast(p);
  // `'${prefix}%'` reaches the SQL as `'__sqlperf_p1%'`: a hole's text first is a prefix, not a wildcard
  if (v.type === 'literal' && v.kind === 'string') return /^[%_]/.test(String(v.value)) && !HOLE_TEXT.test(String(v.value)) ? v : undefined;
  if (v.type === 'binary' && (v.op === '||' || v.op === '+')) return leadingWildcard(v.left);
  if (v.type === 'func' && (v.name === 'concat' || v.name === 'concat_ws') && v.args.length) return leadingWildcard(v.name === 'concat_ws' ? v.args[1] : v.args[0]);
  return undefined;
}

/** A pattern that certainly starts with fixed text (`'abc%'`); unknown patterns ($1) are not. */
/** A constant pattern that starts with fixed text (`'ab%'`): a B-tree can serve it as a range. */
export function prefixPattern(p: Expr | null): boolean {
  const v = p && unwrapCast(p);
  return !!v && v.type === 'literal' && v.kind === 'string' && !/^[%_]/.test(String(v.value));
}

function classify(block: QueryBlock, clause: Predicate['clause'], e: Expr, underOr: boolean, negated: boolean, out: Predicate[]) {
  // every predicate is written field by field in one order: one object shape (a spread of a shared base gave slow ones)
  const where = { block, clause, expr: e, underOr, negated };
  if (e.type === 'unary' && (e.op === 'IS NULL' || e.op === 'IS NOT NULL')) {
    const { column, wrapped } = columnOf(e.arg);
    if (column) out.push(predicate(where, e.op, 'null', column, wrapped, null, 'null', !wrapped && e.op === 'IS NULL'));
    return;
  }
  if (e.type !== 'binary') return;
  let op = e.op === '==' ? '=' : e.op;
  if (op === 'IS' && e.right.type === 'literal' && e.right.kind === 'null') op = 'IS NULL';
  if (op === 'IS NOT' && e.right.type === 'literal' && e.right.kind === 'null') op = 'IS NOT NULL';
  const o = orient(e.left, e.right, op);
  if (!o) return;
  const { column, wrapped } = columnOf(o.col);
  if (!column) return;
  const valueKind = valueKindOf(o.val);
  let kind: PredicateKind = 'other';
  let sargable = false;
  const bare = !wrapped;
  if (o.op === '=' || o.op === '<=>' || o.op === 'IS NOT DISTINCT FROM') {
    kind = 'equality';
    sargable = bare;
  } else if (o.op === '<>' || o.op === 'IS DISTINCT FROM') {
    kind = 'inequality';
  } else if (COMPARISONS.has(o.op)) {
    kind = 'range';
    sargable = bare;
  } else if (o.op === 'BETWEEN') {
    kind = 'range';
    sargable = bare;
  } else if (o.op === 'IN' || o.op === '= ANY') {
    kind = 'in';
    sargable = bare;
  } else if (o.op === 'IS NULL') {
    kind = 'null';
    sargable = bare;
  } else if (o.op === 'IS NOT NULL') {
    kind = 'null';
  } else if (LIKE_OPS.has(o.op)) {
    kind = 'like';
    // a prefix pattern can use a B-tree (with a suitable collation or operator class); a leading wildcard never can
    sargable = bare && (o.op === 'LIKE' || o.op === 'SIMILAR TO') && prefixPattern(o.val);
  }
  if (valueKind === 'column' && o.val.type !== 'column') sargable = false;
  if (negated) sargable = false;
  out.push(predicate(where, o.op, kind, column, wrapped, o.val, valueKind, sargable));
}

interface Where {
  block: QueryBlock;
  clause: Predicate['clause'];
  expr: Expr;
  underOr: boolean;
  negated: boolean;
}

function predicate(w: Where, op: string, kind: PredicateKind, column: ColumnExpr, wrapped: Expr | null, value: Expr | null, valueKind: Predicate['valueKind'], sargable: boolean): Predicate {
  return { block: w.block, clause: w.clause, expr: w.expr, underOr: w.underOr, negated: w.negated, range: w.expr.range, op, kind, column, wrapped, value, valueKind, sargable };
}

/** Classifies the leaves of AND / OR / NOT trees, left to right (iterative: long OR chains are deep). */
function collect(block: QueryBlock, clause: Predicate['clause'], root: Expr | null, out: Predicate[]) {
  if (!root) return;
  const stack: Array<[Expr, boolean, boolean]> = [[root, false, false]];
  while (stack.length) {
    const [e, underOr, negated] = stack.pop()!;
    if (e.type === 'binary' && (e.op === 'AND' || e.op === 'OR')) {
      const or = underOr || e.op === 'OR';
      stack.push([e.right, or, negated], [e.left, or, negated]);
    } else if (e.type === 'unary' && e.op === 'NOT') stack.push([e.arg, underOr, !negated]);
    else classify(block, clause, e, underOr, negated, out);
  }
}

const cache = new BlockMemo<Predicate[]>();

/** The block's own predicates (WHERE, each JOIN ON, HAVING). Cached per block. */
export function predicatesOf(block: QueryBlock): Predicate[] {
  let out = cache.get(block);
  if (out) return out;
  out = [];
  for (const j of block.joins) collect(block, 'join', j.on, out);
  collect(block, 'where', block.where, out);
  collect(block, 'having', block.having, out);
  cache.set(block, out);
  return out;
}
