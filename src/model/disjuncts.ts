import type { Expr } from './types.js';
import { chainOperands } from './walk.js';

/**
 * The branches of a chain of ORs (`a OR b OR c` -> [a, b, c]); any other expression is its own only
 * branch. Iterative and linear: a chain of thousands of ORs is as deep as it is long.
 */
export function flattenOr(e: Expr): Expr[] {
  return chainOperands(e, 'OR');
}

/** The first branch of an OR chain (`flattenOr(e)[0]`) without building the list. */
export function firstDisjunct(e: Expr): Expr {
  let x = e;
  while (x.type === 'binary' && x.op === 'OR') x = x.left;
  return x;
}
