/**
 * Drizzle table definitions read from one JS/TS program, without running it:
 * `export const inbox = pgTable('inbox', { senderEmail: text('sender_email'), id: uuid() }, (t) => [...])`
 * gives the variable `inbox`, the SQL table `inbox` and the column of each property. Also
 * `mysqlTable`, `sqliteTable`, `pgTable.withRLS(...)`, `pgTable(...).withRLS()`, columns as a
 * callback (`pgTable('t', (t) => ({ id: t.uuid() }))`) and tables of a schema
 * (`const auth = pgSchema('auth'); auth.table('users', {...})`). Anything computed is skipped,
 * never guessed: a table whose name is not a string literal is not read; a property that is not a
 * column builder call with a literal name (or none) is left out and marks the table incomplete.
 */
import { dottedName } from '../embed/detect.js';
import { isStringLiteral, type AstNode, type AstProgram, type TSESTree } from '../embed/estree.js';

/** The table functions drizzle-orm's dialect modules export. */
const TABLE_FUNCTIONS = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'singlestoreTable']);
/** Schema constructors: `pgSchema('auth')`, `mysqlSchema('app')`. */
const SCHEMA_FUNCTIONS = new Set(['pgSchema', 'mysqlSchema', 'singlestoreSchema']);

/** A column of a definition: its SQL name, or the property key when the builder names none (drizzle's `casing` then applies). */
export interface DrizzleColumn {
  /** The name given to the builder (`text('sender_email')`); undefined when none was given. */
  name?: string;
  /** The builder's chained methods (`primaryKey`, `unique`, `notNull`...), for the schema. */
  methods: string[];
}

export interface DrizzleTable {
  /** The SQL table name (`'inbox'`). */
  name: string;
  /** The schema of `pgSchema('auth').table(...)`. */
  schema?: string;
  /** Property key -> column. */
  columns: Map<string, DrizzleColumn>;
  /** Every property was read (no spread, no computed key, no builder sqlperf cannot read). */
  complete: boolean;
  /** The third argument (indexes, keys), for the schema. */
  extras?: AstNode;
}

/** The tables a file defines: variable name -> table, and which variables it exports (under which names). */
export interface FileTables {
  tables: Map<string, DrizzleTable>;
  /** Exported name -> local variable name. */
  exported: Map<string, string>;
}

/** Cheap text test: only files that may define a Drizzle table are parsed. */
export function mayDefineTables(code: string): boolean {
  return code.includes('drizzle-orm') && /Table\s*[.(]|\.table\s*\(/.test(code);
}

function unwrapTs(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression') e = e.expression;
  return e;
}

/** A string the code states: `'x'`, `"x"`, or a template without holes. */
export function literalText(n: AstNode | undefined): string | undefined {
  if (!n) return undefined;
  if (isStringLiteral(n)) return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Names imported from drizzle-orm modules (local name -> imported name). */
function drizzleImports(program: AstProgram): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of program.body) {
    if (s.type !== 'ImportDeclaration' || !String(s.source.value).startsWith('drizzle-orm')) continue;
    for (const sp of s.specifiers) if (sp.type === 'ImportSpecifier' && sp.imported.type === 'Identifier') out.set(sp.local.name, sp.imported.name);
  }
  return out;
}

/** Top-level `const x = ...` declarators, exported or not. */
function topDeclarators(program: AstProgram): TSESTree.VariableDeclarator[] {
  const out: TSESTree.VariableDeclarator[] = [];
  for (const s of program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type === 'VariableDeclaration' && d.kind === 'const') out.push(...d.declarations);
  }
  return out;
}

/** Exported name -> local name, for `export const x` and `export { x, y as z }` without a source. */
function exportsOf(program: AstProgram): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of program.body) {
    if (s.type !== 'ExportNamedDeclaration') continue;
    if (s.declaration?.type === 'VariableDeclaration') {
      for (const d of s.declaration.declarations) if (d.id.type === 'Identifier') out.set(d.id.name, d.id.name);
    } else if (!s.source) {
      for (const sp of s.specifiers) if (sp.local.type === 'Identifier' && sp.exported.type === 'Identifier') out.set(sp.exported.name, sp.local.name);
    }
  }
  return out;
}

/**
 * Reads the tables of one program. `schemas` names schema variables defined elsewhere in the
 * project (exported name -> SQL schema), for `authSchema.table(...)` with `authSchema` imported.
 */
export function readTables(program: AstProgram, schemas: ReadonlyMap<string, string> = new Map()): FileTables {
  const imports = drizzleImports(program);
  const localSchemas = new Map<string, string>();
  const decls = topDeclarators(program);
  for (const d of decls) {
    const init = d.init && unwrapTs(d.init);
    if (d.id.type !== 'Identifier' || init?.type !== 'CallExpression' || init.callee.type !== 'Identifier') continue;
    const name = literalText(init.arguments[0]);
    if (name !== undefined && SCHEMA_FUNCTIONS.has(imports.get(init.callee.name) ?? '')) localSchemas.set(d.id.name, name);
  }
  const schemaOf = (v: string) => localSchemas.get(v) ?? schemas.get(v);
  const tables = new Map<string, DrizzleTable>();
  for (const d of decls) {
    if (d.id.type !== 'Identifier' || !d.init) continue;
    const t = tableOf(d.init, imports, schemaOf);
    if (t) tables.set(d.id.name, t);
  }
  return { tables, exported: exportsOf(program) };
}

/** The schema variables a program defines and exports (exported name -> SQL schema), for readTables of other files. */
export function exportedSchemas(program: AstProgram): Map<string, string> {
  const imports = drizzleImports(program);
  const local = new Map<string, string>();
  for (const d of topDeclarators(program)) {
    const init = d.init && unwrapTs(d.init);
    if (d.id.type !== 'Identifier' || init?.type !== 'CallExpression' || init.callee.type !== 'Identifier') continue;
    const name = literalText(init.arguments[0]);
    if (name !== undefined && SCHEMA_FUNCTIONS.has(imports.get(init.callee.name) ?? '')) local.set(d.id.name, name);
  }
  const out = new Map<string, string>();
  for (const [exported, v] of exportsOf(program)) {
    const s = local.get(v);
    if (s !== undefined) out.set(exported, s);
  }
  return out;
}

/**
 * The table an initializer defines: `pgTable(name, cols, extras)`, `pgTable.withRLS(...)`,
 * `pgTable(...).withRLS()`, `schema.table(...)`.
 */
function tableOf(init: AstNode, imports: ReadonlyMap<string, string>, schemaOf: (v: string) => string | undefined): DrizzleTable | undefined {
  let call = unwrapTs(init);
  // `pgTable(...).withRLS()`
  if (call.type === 'CallExpression' && call.callee.type === 'MemberExpression' && dottedName(call.callee.property) === 'withRLS' && call.callee.object.type === 'CallExpression') call = call.callee.object;
  if (call.type !== 'CallExpression') return undefined;
  const callee = call.callee;
  let schema: string | undefined;
  if (callee.type === 'Identifier') {
    if (!TABLE_FUNCTIONS.has(imports.get(callee.name) ?? '')) return undefined;
  } else if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier') {
    const method = dottedName(callee.property);
    const base = callee.object.name;
    if (method === 'withRLS' && TABLE_FUNCTIONS.has(imports.get(base) ?? '')) schema = undefined;
    else if (method === 'table' && schemaOf(base) !== undefined) schema = schemaOf(base);
    else return undefined;
  } else return undefined;
  const name = literalText(call.arguments[0]);
  const body = call.arguments[1] && columnsObject(call.arguments[1]);
  if (name === undefined || !body) return undefined;
  const { columns, complete } = readColumns(body);
  const extras = call.arguments[2];
  return { name, ...(schema !== undefined ? { schema } : {}), columns, complete, ...(extras ? { extras } : {}) };
}

/** The columns object: `{ ... }`, or the object a callback returns (`(t) => ({ ... })`). */
function columnsObject(arg: AstNode): TSESTree.ObjectExpression | undefined {
  const a = unwrapTs(arg);
  if (a.type === 'ObjectExpression') return a;
  if (a.type === 'ArrowFunctionExpression' && a.body.type !== 'BlockStatement') {
    const b = unwrapTs(a.body);
    return b.type === 'ObjectExpression' ? b : undefined;
  }
  return undefined;
}

function readColumns(body: TSESTree.ObjectExpression): { columns: Map<string, DrizzleColumn>; complete: boolean } {
  const columns = new Map<string, DrizzleColumn>();
  let complete = true;
  for (const p of body.properties) {
    const key = p.type === 'Property' && !p.computed ? (p.key.type === 'Identifier' ? p.key.name : literalText(p.key)) : undefined;
    const col = key !== undefined && p.type === 'Property' ? columnOf(p.value) : undefined;
    if (key === undefined || !col) {
      complete = false;
      continue;
    }
    columns.set(key, col);
  }
  return { columns, complete };
}

/**
 * A column builder chain: `text('sender_email').notNull().default('')`, `uuid().primaryKey()`,
 * `t.integer('n')`. The builder's first argument is the name: a string, or none (an options
 * object or nothing). Anything else (a variable, a spread, a call sqlperf cannot read) is no column.
 */
function columnOf(value: AstNode): DrizzleColumn | undefined {
  const methods: string[] = [];
  let n = unwrapTs(value);
  for (;;) {
    if (n.type !== 'CallExpression') return undefined;
    const c = n.callee;
    // a method on a builder call: `.notNull()`, `.references(() => x.id)`
    if (c.type === 'MemberExpression' && !c.computed && unwrapTs(c.object).type === 'CallExpression') {
      methods.unshift(dottedName(c.property) ?? '');
      n = unwrapTs(c.object);
      continue;
    }
    break;
  }
  if (n.type !== 'CallExpression' || (n.callee.type !== 'Identifier' && n.callee.type !== 'MemberExpression')) return undefined;
  const first = n.arguments[0];
  if (first === undefined || unwrapTs(first).type === 'ObjectExpression') return { methods };
  const name = literalText(first);
  return name === undefined ? undefined : { name, methods };
}
