import type { Expr } from './types.js';

/** The branches of a chain of ORs (`a OR b OR c` -> [a, b, c]); any other expression is its own only branch. */
export function flattenOr(e: Expr): Expr[] {
  return e.type === 'binary' && e.op === 'OR' ? [...flattenOr(e.left), ...flattenOr(e.right)] : [e];
}
