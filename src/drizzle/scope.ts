/**
 * What a `${}` hole of a linted file stands for when it names a Drizzle table or column:
 * `${inbox.senderEmail}` with `inbox` imported (or defined in the file) as a Drizzle table is the
 * column `"inbox"."sender_email"`, `${inbox}` the table `"inbox"`. A name is resolved only when
 * the file binds it once (an import, or a top-level const): a parameter or local variable of the
 * same name elsewhere in the file may shadow it, so then nothing is resolved.
 */
import { childNodes, type AstNode, type AstProgram, type TSESTree } from '../embed/estree.js';
import { columnName } from './names.js';
import { drizzleRootOf, projectTables, type ProjectTables } from './project.js';
import { mayDefineTables, readTables, type DrizzleTable } from './tables.js';

/** A hole that names a Drizzle table (`column` undefined) or one of its columns (its SQL name). */
export interface DrizzleRef {
  table: DrizzleTable;
  column?: string;
}

export type DrizzleNames = (expr: AstNode | undefined) => DrizzleRef | undefined;

/** How the file binds a name: imported (under which name; `*` for a namespace), or a local table. */
interface Binding {
  imported?: string;
  table?: DrizzleTable;
}

/** Every name bound in a pattern (`{ a, b: [c] }`, `d = 1`, `...e`). */
function patternNames(p: AstNode | null | undefined, out: string[]): void {
  if (!p) return;
  if (p.type === 'Identifier') out.push(p.name);
  else if (p.type === 'ObjectPattern') for (const q of p.properties) patternNames(q.type === 'RestElement' ? q.argument : q.value, out);
  else if (p.type === 'ArrayPattern') for (const q of p.elements) patternNames(q, out);
  else if (p.type === 'AssignmentPattern') patternNames(p.left, out);
  else if (p.type === 'RestElement') patternNames(p.argument, out);
  else if (p.type === 'TSParameterProperty') patternNames(p.parameter, out);
}

/** Where the file binds each name: how often at its top level, and the functions (ranges) that bind it again inside. */
interface Bound {
  top: Map<string, number>;
  inner: Map<string, Array<[number, number]>>;
}

function isFunction(n: AstNode): n is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

/** The names each node binds, in the scope it binds them in (`own`: the node's own range, for parameters). */
function bindsOf(n: AstNode): { here: string[]; own: string[] } {
  const here: string[] = [];
  const own: string[] = [];
  if (n.type === 'VariableDeclarator') patternNames(n.id, here);
  else if (isFunction(n)) {
    for (const p of n.params) patternNames(p, own);
    if (n.id) (n.type === 'FunctionExpression' ? own : here).push(n.id.name);
  } else if (n.type === 'CatchClause') patternNames(n.param, own);
  else if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) here.push(n.id.name);
  else if (n.type === 'ImportDeclaration') for (const sp of n.specifiers) here.push(sp.local.name);
  return { here, own };
}

/** Every binding of the file, a block's read as its function's (a wider scope: only ever fewer names resolved). */
function boundNames(program: AstProgram): Bound {
  const bound: Bound = { top: new Map(), inner: new Map() };
  const addInner = (name: string, r: [number, number]) => bound.inner.set(name, [...(bound.inner.get(name) ?? []), r]);
  const stack: Array<[AstNode, [number, number] | null]> = [[program, null]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [n, scope] = top;
    const { here, own } = bindsOf(n);
    for (const name of here) {
      if (scope) addInner(name, scope);
      else bound.top.set(name, (bound.top.get(name) ?? 0) + 1);
    }
    for (const name of own) addInner(name, n.range);
    const inner = isFunction(n) || n.type === 'CatchClause' ? n.range : scope;
    for (const k of childNodes(n)) stack.push([k, inner]);
  }
  return bound;
}

/**
 * The names the file binds at its top level to an import or a local Drizzle table. Whether each is
 * bound only once (`boundNames`, a walk of the whole file) is asked only for a hole that names one.
 */
function bindingsOf(program: AstProgram, code: string): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const s of program.body) {
    if (s.type !== 'ImportDeclaration' || s.importKind === 'type') continue;
    for (const sp of s.specifiers) {
      if (sp.type === 'ImportSpecifier' && sp.importKind !== 'type' && sp.imported.type === 'Identifier') out.set(sp.local.name, { imported: sp.imported.name });
      else if (sp.type === 'ImportNamespaceSpecifier') out.set(sp.local.name, { imported: '*' });
    }
  }
  if (mayDefineTables(code)) for (const [name, table] of readTables(program).tables) out.set(name, { table });
  return out;
}

function unwrapTs(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression') e = e.expression;
  return e;
}

function propName(m: TSESTree.MemberExpression): string | undefined {
  return !m.computed && m.property.type === 'Identifier' ? m.property.name : undefined;
}

/**
 * The resolver of a file's holes. The project's tables are read on the first hole that may name
 * one (most files never ask); `filePath` places the file in its project.
 */
export function drizzleNames(program: AstProgram, code: string, filePath: string): DrizzleNames {
  let bindings: Map<string, Binding> | undefined;
  let bound: Bound | undefined;
  let project: ProjectTables | null | undefined;
  const projectOf = () => {
    if (project === undefined) {
      const root = drizzleRootOf(filePath);
      project = root === undefined ? null : projectTables(root);
    }
    return project;
  };
  const tableNamed = (ident: TSESTree.Identifier, member?: string): DrizzleTable | undefined => {
    bindings ??= bindingsOf(program, code);
    const b = bindings.get(ident.name);
    if (!b) return undefined;
    bound ??= boundNames(program);
    const at = ident.range[0];
    // bound twice at the top, or a parameter or variable of that name in an enclosing function: not resolved
    if (bound.top.get(ident.name) !== 1 || bound.inner.get(ident.name)?.some(([s, e]) => at >= s && at < e)) return undefined;
    if (b.table) return member === undefined ? b.table : undefined;
    const exported = b.imported === '*' ? member : member === undefined ? b.imported : undefined;
    return exported === undefined ? undefined : (projectOf()?.byExport.get(exported) ?? undefined);
  };
  const columnOf = (table: DrizzleTable, key: string): DrizzleRef | undefined => {
    const col = table.columns.get(key);
    const name = col && columnName(key, col, projectOf()?.casing ?? 'none');
    return name === undefined ? undefined : { table, column: name };
  };
  return (expr) => {
    const e = expr && unwrapTs(expr);
    if (!e) return undefined;
    if (e.type === 'Identifier') {
      const t = tableNamed(e);
      return t && { table: t };
    }
    if (e.type !== 'MemberExpression') return undefined;
    const key = propName(e);
    const obj = unwrapTs(e.object);
    if (key === undefined) return undefined;
    if (obj.type === 'Identifier') {
      // `inbox.senderEmail`, or `schema.inbox` of a namespace import
      const t = tableNamed(obj);
      if (t) return columnOf(t, key);
      const ns = tableNamed(obj, key);
      return ns && { table: ns };
    }
    // `schema.inbox.senderEmail`
    const inner = obj.type === 'MemberExpression' ? propName(obj) : undefined;
    const root = obj.type === 'MemberExpression' ? unwrapTs(obj.object) : undefined;
    const t = inner !== undefined && root?.type === 'Identifier' ? tableNamed(root, inner) : undefined;
    return t && columnOf(t, key);
  };
}
