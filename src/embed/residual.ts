/**
 * A condition fragment the code combines with an equality on a key: Drizzle apps write
 * `.where(and(eq(inbox.teamId, teamId), sql\`LOWER(${inbox.senderEmail}) = ${email}\`))`, or push
 * fragments onto a list that starts `[eq(transactions.teamId, teamId)]` and pass `and(...list)`.
 * The fragment alone looks like a whole WHERE, but the query reaches its rows through the equality
 * and the fragment only filters them: the residual filter that no-function-on-column,
 * no-leading-wildcard and no-or-across-columns leave alone when they see the whole WHERE. The host code shows the siblings.
 */
import { dottedName } from './detect.js';
import { childNodes, type AstNode, type TSESTree } from './estree.js';
import type { SqlSite } from './detect.js';

/** Rules that are silent on a residual filter (their SQL-side check reads the same from a whole WHERE). */
export const RESIDUAL_RULES: ReadonlySet<string> = new Set(['no-function-on-column', 'no-leading-wildcard', 'no-or-across-columns']);

/** Calls a condition passes through on its way to the `and(...)` or list it joins. */
const PASS_THROUGH = /^(?:or|not|sql\.join|sql|\w+\.(?:map|flatMap|filter|concat))$/;

function unwrapTs(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression') e = e.expression;
  return e;
}

/** `eq(t.col, value)` with a value that is not a constant: an equality an index on the column serves. */
function isKeyEquality(n: AstNode | null | undefined): boolean {
  const e = n && unwrapTs(n);
  if (e?.type !== 'CallExpression' || dottedName(e.callee) !== 'eq' || e.arguments.length !== 2) return false;
  const [col, value] = e.arguments.map(unwrapTs);
  return col?.type === 'MemberExpression' && value !== undefined && value.type !== 'Literal' && !(value.type === 'TemplateLiteral' && value.expressions.length === 0);
}

function anyKeyEquality(nodes: ReadonlyArray<AstNode | null>, except: AstNode): boolean {
  return nodes.some((n) => n !== except && (isKeyEquality(n) || (n?.type === 'SpreadElement' && isKeyEquality(n.argument))));
}

/** The nearest enclosing function (or the program) of a node. */
function scopeOf(node: AstNode, parentOf: (n: AstNode) => AstNode | null): AstNode {
  let n: AstNode = node;
  for (let p = parentOf(n); p; n = p, p = parentOf(p)) if (/Function/.test(p.type)) return p;
  return n;
}

/** Every node under `root` (iteratively; host code may nest deeply). */
function* nodesUnder(root: AstNode): Generator<AstNode> {
  const stack: AstNode[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    yield n;
    stack.push(...childNodes(n));
  }
}

/** The array literal a list variable starts as (`const conditions = [...]`) in the function of `from`. */
function listInit(name: string, from: AstNode, parentOf: (n: AstNode) => AstNode | null): TSESTree.ArrayExpression | undefined {
  for (const n of nodesUnder(scopeOf(from, parentOf))) {
    if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== name || !n.init) continue;
    const init = unwrapTs(n.init);
    if (init.type === 'ArrayExpression') return init;
  }
  return undefined;
}

/** A list variable's key equality: in its array literal, or pushed onto it in the same function. */
function listHasKeyEquality(name: string, from: AstNode, parentOf: (n: AstNode) => AstNode | null): boolean {
  if (anyKeyEquality(listInit(name, from, parentOf)?.elements ?? [], from)) return true;
  for (const n of nodesUnder(scopeOf(from, parentOf))) if (n.type === 'CallExpression' && dottedName(n.callee) === `${name}.push` && anyKeyEquality(n.arguments, from)) return true;
  return false;
}

/** `list` in `list.push(...)`: a place the list grows, not where it is used. */
function isPushTarget(id: AstNode, parentOf: (n: AstNode) => AstNode | null): boolean {
  const p = parentOf(id);
  return p?.type === 'MemberExpression' && p.object === id && dottedName(p.property) === 'push';
}

/** Where a condition goes next: up one node, or from `const v = ...` to the first use of `v`. */
function nextUp(n: AstNode, parentOf: (n: AstNode) => AstNode | null): AstNode | null {
  const p = parentOf(n);
  if (p?.type !== 'VariableDeclarator' || p.id.type !== 'Identifier') return p;
  const name = p.id.name;
  for (const u of nodesUnder(scopeOf(p, parentOf))) if (u.type === 'Identifier' && u.name === name && u !== p.id && u.range[0] > p.range[1] && !isPushTarget(u, parentOf)) return u;
  return null;
}

/**
 * Does the code combine this fragment with a key equality? Walks up from the fragment through
 * `or`/`not`/`sql.join`/`.map` callbacks, nested sql templates and a variable it is stored in,
 * to the `and(...)`, array or `list.push(...)` it joins, and looks at the siblings there.
 */
export function combinedWithKeyEquality(site: SqlSite): boolean {
  const parentOf = site.parentOf;
  const start = site.call ?? site.node;
  if (!parentOf || !start) return false;
  let n: AstNode = start;
  for (let hops = 0; hops < 24; hops++) {
    const p = nextUp(n, parentOf);
    if (!p) return false;
    if (p.type === 'CallExpression') {
      const callee = dottedName(p.callee) ?? '';
      if (callee === 'and') return anyKeyEquality(p.arguments, n);
      if (callee.endsWith('.push') && p.callee.type === 'MemberExpression' && p.callee.object.type === 'Identifier') {
        const list = p.callee.object.name;
        if (listHasKeyEquality(list, n, parentOf)) return true;
        // no equality in this list: follow the list to where it is used (`or(...candidates)` in another list)
        const init = listInit(list, n, parentOf);
        if (!init) return false;
        n = init;
        continue;
      }
      if (!PASS_THROUGH.test(callee) && p.callee !== n) return false;
    } else if (p.type === 'ArrayExpression') {
      if (anyKeyEquality(p.elements, n)) return true;
    } else if (!/^(?:ArrowFunctionExpression|SpreadElement|ConditionalExpression|LogicalExpression|TemplateLiteral|TaggedTemplateExpression|TSAsExpression|TSNonNullExpression|TSSatisfiesExpression|MemberExpression|Identifier)$/.test(p.type)) {
      return false;
    }
    n = p;
  }
  return false;
}
