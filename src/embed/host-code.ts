/**
 * Small judgements about JS/TS expressions for host rules: is this value a constant, a number, an
 * identifier helper, a raw-SQL helper? Without type information, so each answer is conservative:
 * "safe" only when the code shows it.
 */
import { dottedName, walk } from './detect.js';
import { childNodes, isFunctionNode, type FunctionNode, isStringLiteral, memberName, syntheticLiteral, type AstNode, type TSESTree } from './estree.js';

const UPPER_CASE = /^[A-Z][A-Z0-9_]*$/;

const NUMERIC_TYPES = new Set(['TSNumberKeyword', 'TSBigIntKeyword', 'TSBooleanKeyword']);
/** Stands for a value whose declared type is a number. */
const NUMBER = syntheticLiteral(0);
/** Stands for configuration the process was given (`constructor(options)`): its properties are trusted. */
export const TRUSTED = syntheticLiteral('trusted configuration');

/** Configuration of the process, not from outside it: `process.env.X`, `this.options.x`, `this.config.x`. */
const TRUSTED_CONFIG = /^(?:process\.env|this\.(?:options|opts|config|configuration|settings|_options|_config))(?:\.|$)/;

/** Names that say the value was made safe on purpose: `escapedName`, `safeName(x)`, `sanitizedId`, `quotedIdent`. */
const SAFE_NAME = /^(?:escaped|escape|safe|sanitized|sanitize|quoted|quote)(?:[A-Z_]|$)/;

/** Calls that return numbers or numeric text. */
const NUMERIC_CALLS = /^(?:Number|parseInt|parseFloat|Math\.\w+|Number\.\w+|BigInt|\w+\.(?:toFixed|getTime|valueOf|indexOf|findIndex|charCodeAt))$/;

/** Helpers that quote identifiers or literals, or build placeholders: safe to interpolate. */
const SAFE_HELPERS = /(?:^|\.)(?:identifier|ident|id|ref|table|column|escapeId|escapeIdentifier|quoteIdent\w*|escapeLiteral|quoteLiteral|quote_ident|quote_literal|escape\w*|lit|literal|\w*(?:Text|Sql|SQL)Literal|placeholders?|toSqlIdentifier|quoteIdentifier|format|pgFormat|sqlstring\.escape\w*|SqlString\.escape\w*)$|^(?:Prisma|sql|knex|db)\.join$/;

/** Helpers that put their argument into the SQL text as it is. */
const RAW_HELPERS = /(?:^|\.)(?:raw|unsafe|rawSql|sqlRaw)$/;

/** Unwraps `as`, `!`, `satisfies`, parentheses and `await`. */
export function unwrap(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSTypeAssertion') e = e.expression;
  return e;
}

/** A value the code fixes: literals, UPPER_CASE constants, numbers, conditionals between constants, safe helpers. */
export function isSafeValue(node: AstNode, resolve?: (id: TSESTree.Identifier) => AstNode | undefined, depth = 0): boolean {
  const n = unwrap(node);
  if (depth > 4) return false;
  const again = (x: AstNode | null | undefined) => !!x && isSafeValue(x, resolve, depth + 1);
  switch (n.type) {
    case 'Literal':
      return !('regex' in n && n.regex);
    case 'TemplateLiteral':
      return n.expressions.every(again);
    case 'Identifier': {
      if (UPPER_CASE.test(n.name) || SAFE_NAME.test(n.name) || n.name === 'undefined') return true;
      const init = resolve?.(n);
      return init !== undefined && again(init);
    }
    case 'MemberExpression': {
      if (!n.computed && n.property.type === 'Identifier') {
        const prop = n.property.name;
        if (prop === 'length' || prop === 'size' || UPPER_CASE.test(prop) || SAFE_NAME.test(prop) || (prop === 'empty' && /^(?:Prisma|sql)$/.test(dottedName(n.object) ?? ''))) return true;
      }
      const obj = unwrap(n.object);
      if (TRUSTED_CONFIG.test(dottedName(n) ?? '')) return true;
      const base = memberBase(n);
      if (base.type === 'Identifier' && resolve?.(base) === TRUSTED) return true;
      // TABLES.users, COLUMNS[sortKey], Status.Active, Scheduler.timeoutMs: a constant table, an enum, a class's static
      return obj.type === 'Identifier' && /^[A-Z]/.test(obj.name);
    }
    case 'UnaryExpression':
      return n.operator === '-' || n.operator === '+' || n.operator === '~' || n.operator === '!' || n.operator === 'typeof' || again(n.argument);
    case 'BinaryExpression':
      if (n.operator === '+') return again(n.left) && again(n.right);
      // arithmetic and comparisons give numbers and booleans
      return true;
    case 'ConditionalExpression':
      return again(n.consequent) && again(n.alternate);
    case 'LogicalExpression':
      return again(n.left) && again(n.right);
    case 'CallExpression': {
      const name = dottedName(n.callee);
      if (name && (NUMERIC_CALLS.test(name) || SAFE_HELPERS.test(name) || SAFE_NAME.test(name.slice(name.lastIndexOf('.') + 1)))) return true;
      if (name && RAW_HELPERS.test(name)) return n.arguments.every(again);
      // `d.toISOString()`, `String(n)`, `n.toString()` of a value that holds no text
      const callee = unwrap(n.callee);
      if (callee.type === 'MemberExpression' && !callee.computed && /^(?:toISOString|toUTCString)$/.test(memberName(callee) ?? '')) return true;
      if (callee.type === 'MemberExpression' && !callee.computed && memberName(callee) === 'toString' && again(callee.object)) return true;
      if (name === 'String' && n.arguments.length === 1 && again(n.arguments[0])) return true;
      // `.map(() => '?').join(', ')`, `ids.map((_, i) => `$${i + 1}`).join(',')`: placeholders
      return isPlaceholderList(n) || escapesQuotes(n) || constantList(n, resolve, depth);
    }
    case 'TaggedTemplateExpression':
      // a nested tagged template is a fragment of a parameterizing library
      return true;
    case 'ArrayExpression':
      return n.elements.every((e) => e === null || again(e));
    default:
      return false;
  }
}

/** `a` of `a.b.c`. */
function memberBase(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'MemberExpression') e = unwrap(e.object);
  return e;
}

/** Calls by name in a program, found once per program. */
const callsByName = new WeakMap<AstNode, Map<string, TSESTree.CallExpression[]>>();

function programOf(n: AstNode, parentOf: (n: AstNode) => AstNode | null): AstNode | undefined {
  let p: AstNode | null = n;
  while (p && p.type !== 'Program') p = parentOf(p);
  return p ?? undefined;
}

function callsIn(program: AstNode): Map<string, TSESTree.CallExpression[]> {
  let map = callsByName.get(program);
  if (map) return map;
  map = new Map();
  const stack: AstNode[] = [program];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      const name = callee.type === 'Identifier' ? (callee.name) : callee.type === 'MemberExpression' && !callee.computed && unwrap(callee.object).type === 'ThisExpression' ? `this.${memberName(callee)}` : undefined;
      if (name) map.set(name, [...(map.get(name) ?? []), n]);
    }
    stack.push(...childNodes(n, 'all'));
  }
  callsByName.set(program, map);
  return map;
}

/**
 * Is every call of this function in the file given a string literal at `index`? Only for functions
 * the file keeps to itself (not exported: callers elsewhere may pass anything), with at least one call.
 */
function literalCallSites(fn: FunctionNode, index: number, parentOf: (n: AstNode) => AstNode | null): boolean {
  if (index < 0) return false;
  const p = parentOf(fn);
  let name: string | undefined;
  let holder: AstNode | null | undefined;
  if (fn.type === 'FunctionDeclaration' && fn.id) [name, holder] = [fn.id.name, p];
  else if (p?.type === 'VariableDeclarator' && p.id.type === 'Identifier') [name, holder] = [p.id.name, parentOf(parentOf(p) ?? p)];
  // a private method: called only through `this` in its class
  else if (p?.type === 'MethodDefinition' && !p.computed && p.key.type === 'Identifier' && p.kind === 'method' && p.accessibility === 'private') [name, holder] = [`this.${p.key.name}`, null];
  if (!name || holder?.type === 'ExportNamedDeclaration' || holder?.type === 'ExportDefaultDeclaration') return false;
  const program = programOf(fn, parentOf);
  const calls = program ? callsIn(program).get(name) : undefined;
  if (!calls?.length) return false;
  return calls.every((c) => {
    const a = c.arguments[index];
    const u = a ? unwrap(a) : undefined;
    return u !== undefined && isStringLiteral(u);
  });
}

/** `x.replace(/'/g, "''")`, `x.replaceAll("'", "''")`: the code doubles the quotes itself. */
function escapesQuotes(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || !/^replace(?:All)?$/.test(memberName(callee) ?? '')) return false;
  const [from, to] = call.arguments;
  const pattern = from?.type === 'Literal' ? ('regex' in from ? from.regex.pattern : String(from.value)) : '';
  return pattern.includes("'") && isStringLiteral(to) && to.value.includes("''");
}

/** `STATUSES.join(',')`, `[A, B].map((s) => `'${s}'`).join(',')`: a list of constants. */
function constantList(call: TSESTree.CallExpression, resolve: ((id: TSESTree.Identifier) => AstNode | undefined) | undefined, depth: number): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || memberName(callee) !== 'join') return false;
  let list = unwrap(callee.object);
  if (list.type === 'CallExpression') {
    const inner = unwrap(list.callee);
    if (inner.type !== 'MemberExpression' || memberName(inner) !== 'map') return false;
    list = unwrap(inner.object);
  }
  if (list.type === 'Identifier' && UPPER_CASE.test(list.name)) return true;
  return isSafeValue(list, resolve, depth + 1);
}

/** `xs.map(... => '?' | `$${i + 1}` | `($${a}, $${b})`).join(...)`, `'?'.repeat(n)`, `Array(n).fill('?').join()`. */
function isPlaceholderList(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const method = memberName(callee);
  const obj = unwrap(callee.object);
  if (method === 'repeat' || method === 'fill') return obj.type === 'Literal' || call.arguments.every((a) => a.type === 'Literal');
  if (method !== 'join' || obj.type !== 'CallExpression') return false;
  const inner = unwrap(obj.callee);
  if (inner.type !== 'MemberExpression') return false;
  const innerMethod = memberName(inner);
  if (innerMethod === 'fill') return obj.arguments.every((a) => a.type === 'Literal');
  if (innerMethod !== 'map') return false;
  const cb = obj.arguments[0];
  if (!cb || (cb.type !== 'ArrowFunctionExpression' && cb.type !== 'FunctionExpression')) return false;
  let body = cb.body;
  if (body.type === 'BlockStatement') {
    const ret = body.body.find((s) => s.type === 'ReturnStatement');
    if (!ret?.argument) return false;
    body = ret.argument;
  }
  return placeholderText(unwrap(body));
}

/** A string made only of placeholders: `?`, `$1`, `$${i + 1}`, `($${a}, $${b}::uuid)`. */
function placeholderText(n: AstNode): boolean {
  if (n.type === 'Literal') return typeof n.value === 'string' && /^[\s(),?]*$/.test(n.value);
  if (n.type === 'TemplateLiteral') {
    const quasis = n.quasis.map((q) => q.value.raw);
    // every hole is right after a `$` (a parameter number) and the text around holds only punctuation and casts
    return quasis.slice(0, -1).every((q) => q.endsWith('$')) && quasis.every((q) => /^[\s(),?$]*(?:::\w+(?:\[\])?[\s(),?$]*)*$/.test(q));
  }
  return false;
}

/** `'ASC' | 'DESC'`, `1 | 2`: a type that allows only literals. */
function literalUnion(type: AstNode | undefined): boolean {
  if (!type) return false;
  if (type.type === 'TSLiteralType') return true;
  return type.type === 'TSUnionType' && type.types.every((t) => t.type === 'TSLiteralType' || t.type === 'TSUndefinedKeyword' || t.type === 'TSNullKeyword');
}

/** A type that cannot carry arbitrary text: number, bigint, boolean, Date, literals, and unions of those (with null/undefined). */
export function textFreeType(type: AstNode | undefined): boolean {
  if (!type) return false;
  if (NUMERIC_TYPES.has(type.type) || type.type === 'TSLiteralType' || type.type === 'TSUndefinedKeyword' || type.type === 'TSNullKeyword') return true;
  if (type.type === 'TSTypeReference') return dottedName(type.typeName) === 'Date';
  return type.type === 'TSUnionType' && type.types.every(textFreeType);
}

/** `number | string`: a union that includes number (the number intent is explicit, as for LIMIT/OFFSET). */
export function includesNumber(type: AstNode | undefined): boolean {
  if (!type) return false;
  if (type.type === 'TSNumberKeyword' || type.type === 'TSBigIntKeyword') return true;
  return type.type === 'TSUnionType' && type.types.some(includesNumber);
}

/** A raw-SQL helper call with a value the code does not fix: `Prisma.raw(input)`, `sql.raw(x)`, `sql.unsafe(x)`. */
export function isUnsafeRawCall(node: AstNode, resolve?: (id: TSESTree.Identifier) => AstNode | undefined): boolean {
  const n = unwrap(node);
  if (n.type !== 'CallExpression') return false;
  const name = dottedName(n.callee);
  return name !== undefined && RAW_HELPERS.test(name) && !n.arguments.every((a) => isSafeValue(a, resolve));
}

const holeExprCache = new WeakMap<AstNode, Map<number, AstNode>>();

/**
 * The expression of every `${}` in a template literal and in the templates nested in it, by the
 * host offset of the hole's `${`: found in one walk per literal (a lookup per hole would make a
 * template with n holes cost n²).
 */
export function templateHoleExprs(root: AstNode): Map<number, AstNode> {
  let map = holeExprCache.get(root);
  if (map) return map;
  const found = new Map<number, AstNode>();
  walk(root, (n) => {
    if (n.type !== 'TemplateLiteral') return;
    n.expressions.forEach((e, i) => {
      const q = n.quasis[i]?.range;
      if (q) found.set(q[1] - 2, e);
    });
  });
  map = found;
  holeExprCache.set(root, map);
  return map;
}

/** Several operands of a concatenation that stand in one hole (`'a = ' + x + y + ' AND ...'`: `x + y`). */
export interface OperandSequence {
  type: 'SequenceOfOperands';
  operands: AstNode[];
  range: [number, number];
}

/** The expression inside a `${ ... }` hole or the operand(s) of a concatenation, found by its host range. */
export function holeExpression(site: { node?: AstNode; kind: string }, hole: { start: number; end: number }): AstNode | OperandSequence | undefined {
  const root = site.node;
  if (!root) return undefined;
  if (root.type === 'TemplateLiteral') return templateHoleExprs(root).get(hole.start);
  // a concatenation: the operand(s) covering the hole
  const found: AstNode[] = [];
  const visit = (n: AstNode) => {
    if (n.type === 'BinaryExpression' && n.operator === '+' && n.range && n.range[0] <= hole.start && n.range[1] >= hole.end && !(n.range[0] === hole.start && n.range[1] === hole.end)) {
      visit(n.left);
      visit(n.right);
    } else if (n.range && n.range[0] >= hole.start && n.range[1] <= hole.end) found.push(n);
  };
  visit(root);
  return found.length === 1 ? found[0] : found.length ? { type: 'SequenceOfOperands', operands: found, range: [hole.start, hole.end] } : undefined;
}

function isConstructor(n: AstNode | null): boolean {
  return n?.type === 'MethodDefinition' && n.kind === 'constructor';
}

/**
 * Resolves a local `const` to its initializer: the nearest `const name = ...` before `at` in an
 * enclosing function (by walking up from `at`). Only `const`: a `let` may be reassigned.
 * With `trusted` (no-unsafe-interpolation), a parameter is also fixed when its type cannot carry
 * text (number | Date | literal unions), when it is the `options`/`config` of a constructor
 * (returns TRUSTED), or when every call of its (unexported) function in the file passes a string literal.
 */
export function constResolver(parentOf: (n: AstNode) => AstNode | null, at: AstNode, trusted = false): (id: TSESTree.Identifier) => AstNode | undefined {
  return (id) => {
    const name = id.name;
    for (let scope: AstNode | null = parentOf(at); scope; scope = parentOf(scope)) {
      // a parameter declared `limit: number` (or bigint, boolean) holds no SQL text
      if (isFunctionNode(scope)) {
        const named = paramNamed(scope, name);
        if (named) return paramValue(scope, named, name, trusted, parentOf);
      }
      const body = scope.type === 'BlockStatement' || scope.type === 'Program' ? scope.body : undefined;
      if (!body) continue;
      for (const stmt of body) {
        if (stmt.type !== 'VariableDeclaration' || stmt.kind !== 'const' || !stmt.range || stmt.range[0] > (at.range?.[0] ?? 0)) continue;
        for (const d of stmt.declarations) {
          const did = d.id;
          if (did.type === 'Identifier' && did.name === name && d.init) return d.init;
        }
      }
    }
    return undefined;
  };
}

/** The parameter named `name` (plain or with a default value: its name), and its position. */
function paramNamed(fn: FunctionNode, name: string): { param: TSESTree.Identifier; k: number } | undefined {
  for (const [k, p] of fn.params.entries()) {
    const param = p.type === 'AssignmentPattern' ? p.left : p;
    if (param.type === 'Identifier' && param.name === name) return { param, k };
  }
  return undefined;
}

/** What `param`, parameter k of `fn` (named `name`), is known to hold, for constResolver. */
function paramValue(fn: FunctionNode, { param, k }: { param: TSESTree.Identifier; k: number }, name: string, trusted: boolean, parentOf: (n: AstNode) => AstNode | null): AstNode | undefined {
  const type = param.typeAnnotation?.typeAnnotation;
  // `limit: number`, `dir: 'ASC' | 'DESC'`: the type fixes what it can hold
  if (NUMERIC_TYPES.has(type?.type ?? '') || literalUnion(type)) return NUMBER;
  if (!trusted) return undefined;
  if (textFreeType(type)) return NUMBER;
  // `constructor(options)`: configuration handed in by the code that builds the object
  if (/^(?:options|opts|config|configuration|settings)$/.test(name) && isConstructor(parentOf(fn))) return TRUSTED;
  return literalCallSites(fn, k, parentOf) ? NUMBER : undefined;
}

/** The declared type of a function parameter named like `id`, seen from `at` (undefined when not a typed parameter). */
export function paramType(id: TSESTree.Identifier, parentOf: (n: AstNode) => AstNode | null, at: AstNode): TSESTree.TypeNode | undefined {
  for (let scope: AstNode | null = parentOf(at); scope; scope = parentOf(scope)) {
    if (!isFunctionNode(scope)) continue;
    for (const p of scope.params) {
      const param = p.type === 'AssignmentPattern' ? p.left : p;
      if (param.type === 'Identifier' && param.name === id.name) return param.typeAnnotation?.typeAnnotation;
    }
  }
  return undefined;
}

/** Request data: `req.query.x`, `req.params.x`, `req.body.x`, `ctx.request.body.x`, `request.headers[...]`. */
const REQUEST_DATA = /^(?:req|request|ctx|ctx\.request|event|c\.req)\.(?:query|params|body|headers|cookies)(?:\.|$)/;

/**
 * A string from outside, as far as the code shows: a parameter declared `string`, or request data.
 * Untyped values are not counted (they may be anything, including a constant from elsewhere).
 */
export function isFreeString(node: AstNode, parentOf: (n: AstNode) => AstNode | null, at: AstNode): boolean {
  const n = unwrap(node);
  if (n.type === 'Identifier') return paramType(n, parentOf, at)?.type === 'TSStringKeyword';
  if (n.type === 'MemberExpression') return REQUEST_DATA.test(dottedName(n) ?? '');
  return false;
}

/**
 * Checked against an allow-list before use, in the enclosing function: `ALLOWED.includes(x)`,
 * `['a', 'b'].includes(x)`, `COLUMNS.has(x)`, `x in SORTABLE`, `Object.keys(MAP).includes(x)`.
 */
export function isAllowListed(node: AstNode, parentOf: (n: AstNode) => AstNode | null, at: AstNode, code: string): boolean {
  const n = unwrap(node);
  const name = n.type === 'Identifier' ? (n.name) : n.type === 'MemberExpression' ? dottedName(n) : undefined;
  if (!name) return false;
  let fn: AstNode | null = null;
  for (let p = parentOf(at); p; p = parentOf(p)) if (/Function/.test(p.type) || p.type === 'Program') fn = p;
  if (!fn?.range || !at.range) return false;
  // every enclosing function up to the program: the check may sit in a caller's scope too
  const text = code.slice(fn.range[0], at.range[0]);
  const id = name.replace(/[.$]/g, (c) => `\\${c}`);
  return new RegExp(String.raw`(?:\b[A-Z][A-Z0-9_]*|\b\w*(?:allow|Allow|whitelist|Whitelist|valid|Valid|sortable|Sortable)\w*|\]|\))\s*\.\s*(?:includes|has)\(\s*${id}\s*\)|\b${id}\s+in\s+(?:[A-Z]|\w*(?:allow|Allow|sortable|Sortable))`).test(text);
}
