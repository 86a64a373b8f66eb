import type { Clause, ColumnExpr, Expr, QueryBlock } from './types.js';
import { BlockMemo } from './memo.js';

/** Direct child expressions; does not enter subqueries (they are blocks of their own). */
export function childExprs(e: Expr): Expr[] {
  switch (e.type) {
    case 'func':
      return [...e.args, ...e.extra];
    case 'binary':
      return [e.left, e.right];
    case 'unary':
      return [e.arg];
    case 'list':
      return e.items;
    case 'case':
      return e.parts;
    case 'cast':
      return [e.arg];
    case 'other':
      return e.children;
    default:
      return [];
  }
}

/**
 * Visits an expression tree depth-first, parents first. Return false from `visit` to skip a
 * subtree. Iterative: a chain of thousands of ORs or `+` is as deep as it is long.
 */
export function walkExpr(e: Expr | null | undefined, visit: (e: Expr, parent: Expr | null) => boolean | void, parent: Expr | null = null): void {
  if (!e) return;
  // two parallel stacks (node, parent): no tuple allocated per node on this hot path
  const nodes: Expr[] = [e];
  const parents: Array<Expr | null> = [parent];
  while (nodes.length) {
    const x = nodes.pop()!;
    if (visit(x, parents.pop()!) === false) continue;
    pushChildren(x, nodes, parents);
  }
}

/** `childExprs(x)` pushed in reverse (so they pop in order), without allocating an array per node: every rule walks every expression. */
function pushChildren(x: Expr, nodes: Expr[], parents: Array<Expr | null>): void {
  switch (x.type) {
    case 'func':
      pushAll(x.extra, x, nodes, parents);
      pushAll(x.args, x, nodes, parents);
      return;
    case 'binary':
      nodes.push(x.right, x.left);
      parents.push(x, x);
      return;
    case 'unary':
    case 'cast':
      nodes.push(x.arg);
      parents.push(x);
      return;
    case 'list':
      pushAll(x.items, x, nodes, parents);
      return;
    case 'case':
      pushAll(x.parts, x, nodes, parents);
      return;
    case 'other':
      pushAll(x.children, x, nodes, parents);
      return;
    default:
      return;
  }
}

function pushAll(list: readonly Expr[], parent: Expr, nodes: Expr[], parents: Array<Expr | null>): void {
  for (let i = list.length - 1; i >= 0; i--) {
    nodes.push(list[i]!);
    parents.push(parent);
  }
}

const exprsCache = new BlockMemo<ReadonlyArray<readonly [Clause, Expr]>>();

/**
 * Every expression of a block with the clause it belongs to (subquery contents excluded). Cached
 * per block: the model is complete when anything asks (finishStatement first), and several rules ask.
 */
export function blockExprs(b: QueryBlock): ReadonlyArray<readonly [Clause, Expr]> {
  let out = exprsCache.get(b);
  if (!out) {
    out = collectExprs(b);
    exprsCache.set(b, out);
  }
  return out;
}

function collectExprs(b: QueryBlock): Array<[Clause, Expr]> {
  const out: Array<[Clause, Expr]> = [];
  forEachBlockExpr(b, (clause, e) => out.push([clause, e]));
  return out;
}

/** Calls `visit` with every expression of a block's own clauses and its clause, in the order of `blockExprs`, without building the list. */
export function forEachBlockExpr(b: QueryBlock, visit: (clause: Clause, e: Expr) => void): void {
  // indexed loops: array iterators are garbage until the JIT optimizes them away, and this runs on every block
  for (let i = 0; i < b.selectItems.length; i++) visit('select', b.selectItems[i]!.expr);
  for (let i = 0; i < b.joins.length; i++) {
    const on = b.joins[i]!.on;
    if (on) visit('join', on);
  }
  if (b.where) visit('where', b.where);
  for (let i = 0; i < b.groupBy.length; i++) visit('groupBy', b.groupBy[i]!);
  if (b.having) visit('having', b.having);
  for (let i = 0; i < b.orderBy.length; i++) visit('orderBy', b.orderBy[i]!.expr);
  if (b.limit) visit('limit', b.limit);
  if (b.offset) visit('limit', b.offset);
  if (b.distinct?.on) for (const d of b.distinct.on) visit('select', d);
  for (const row of b.values) for (const v of row) visit('values', v);
  for (let i = 0; i < b.assignments.length; i++) visit('set', b.assignments[i]!.value);
  for (let i = 0; i < b.returning.length; i++) visit('returning', b.returning[i]!.expr);
  for (let i = 0; i < b.onConflict.length; i++) visit('conflict', b.onConflict[i]!);
}

/** Columns referenced in a block's own clauses, with their clause. */
export function blockColumns(b: QueryBlock): Array<{ clause: Clause; column: ColumnExpr }> {
  const out: Array<{ clause: Clause; column: ColumnExpr }> = [];
  for (const [clause, e] of blockExprs(b)) {
    walkExpr(e, (x) => {
      if (x.type === 'column') out.push({ clause, column: x });
    });
  }
  return out;
}

/** True when the expression contains an aggregate call outside any subquery. */
export function hasAggregate(e: Expr | null): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'func' && x.aggregate && !x.window) found = true;
    return !found;
  });
  return found;
}

/** The operands of a chain of one boolean operator, left to right (iterative: a long chain is deep). */
export function chainOperands(e: Expr, op: 'AND' | 'OR'): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'binary' && x.op === op) stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/** Conjuncts of an AND tree, left to right. */
export function conjuncts(e: Expr | null): Expr[] {
  return e ? chainOperands(e, 'AND') : [];
}

/** Removes a cast or parentheses-like wrapper, to see the expression underneath. */
export function unwrapCast(e: Expr): Expr {
  return e.type === 'cast' ? unwrapCast(e.arg) : e;
}
