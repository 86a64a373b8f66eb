/**
 * The host-code tree the embed layer reads: TS-ESTree (`@typescript-eslint`'s typed ESTree), as
 * ESLint's `SourceCode.ast` gives it and as oxc-parser (parse-host.ts) produces it with
 * `range: true`. This module is the one place where the two differ, and the only place that
 * needs casts to read them:
 * - parent links: ESLint sets `parent` on every node, oxc does not (callers keep their own map);
 * - comments: ESLint keeps them on the program with `range` and `loc`, oxc returns them beside it
 *   with `start`/`end` (parse-host.ts puts them on the program with `range`, without `loc`);
 * - generic traversal: reading every child of a node by key.
 * Type-only import: the CLI never loads @typescript-eslint at run time.
 */
import type { TSESTree } from '@typescript-eslint/utils';

export type { TSESTree };
/** Any host-code node. */
export type AstNode = TSESTree.Node;
export type AstProgram = TSESTree.Program;
/** A comment as the embed layer reads it: ESLint's (`type` 'Block'/'Line') and oxc's (no `loc`) fit. */
export interface AstComment {
  type: string;
  value: string;
  range: TSESTree.Range;
}

/** The comments of a program (ESLint's or the ones parse-host.ts put on it). */
export function commentsOf(program: AstProgram): readonly AstComment[] {
  return program.comments ?? [];
}

/**
 * oxc-parser's program (ESTree/TS-ESTree with `range: true`, typed by oxc's own declarations) as
 * the TS-ESTree program ESLint gives, with the comments oxc returns beside it put on it.
 */
export function fromOxc(program: unknown, comments: readonly AstComment[]): AstProgram {
  const tree = program as AstProgram;
  // the embed layer reads a comment's type, value and range only (commentsOf): no `loc` needed
  tree.comments = comments as TSESTree.Comment[];
  return tree;
}

/** The parent ESLint linked a node to (null for its program); undefined for oxc's nodes, which have no links. */
export function eslintParent(node: AstNode): AstNode | null | undefined {
  return (node as { parent?: AstNode | null }).parent;
}

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && 'type' in v && typeof v.type === 'string';
}

/** Keys that do not lead to child expressions/statements (links, positions, types, decorators). */
const SKIP_KEYS = new Set(['parent', 'range', 'loc', 'tokens', 'comments', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

/**
 * The children of a node by key, in source key order (a list for an array-valued key): expressions
 * and statements, or with 'all' also types and decorators.
 */
export function childSlots(node: AstNode, which: 'code' | 'all' = 'code'): Array<AstNode | AstNode[]> {
  const slots: Array<AstNode | AstNode[]> = [];
  for (const [key, v] of Object.entries(node)) {
    if (which === 'code' ? SKIP_KEYS.has(key) : key === 'parent') continue;
    if (Array.isArray(v)) slots.push(v.filter(isNode));
    else if (isNode(v)) slots.push(v);
  }
  return slots;
}

/** Is `node` a child of `parent` in a code slot (one `childSlots(parent)` gives), not a type or decorator? */
export function inCodeSlot(node: AstNode, parent: AstNode): boolean {
  const p = parent as unknown as Record<string, unknown>;
  for (const key of SKIP_KEYS) {
    const v = p[key];
    if (v === node || (Array.isArray(v) && v.includes(node))) return false;
  }
  return true;
}

/** The child nodes of a node, in source order (see childSlots). */
export function childNodes(node: AstNode, which: 'code' | 'all' = 'code'): AstNode[] {
  return childSlots(node, which).flat();
}

/** A string literal (`'...'`, `"..."`). */
export function isStringLiteral(node: AstNode | null | undefined): node is TSESTree.StringLiteral {
  return node?.type === 'Literal' && typeof node.value === 'string';
}

/** Nodes whose type names a function (declarations, expressions, arrows, TS signatures): all have `params`. */
export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | TSESTree.TSDeclareFunction | TSESTree.TSEmptyBodyFunctionExpression | TSESTree.TSFunctionType;

export function isFunctionNode(node: AstNode): node is FunctionNode {
  return /Function/.test(node.type);
}

/** The name of a member's property (`b` of `a.b`, `a.#b`); undefined when computed from an expression. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  const p = node.property;
  return p.type === 'Identifier' || p.type === 'PrivateIdentifier' ? p.name : undefined;
}

/**
 * A literal made up by the code (not from the source: no position). Host rules use such values as
 * stand-ins for what a name resolves to (a number, trusted configuration).
 */
export function syntheticLiteral(value: string | number): TSESTree.Literal {
  return { type: 'Literal', value } as TSESTree.Literal;
}
