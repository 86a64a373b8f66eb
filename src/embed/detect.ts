import type { DrizzleNames } from '../drizzle/scope.js';
import { isClickhouseName } from '../parse/clickhouse.js';
import { afterParen, classifyFragment, looksLikeTypo, stripQuoted } from './fragments.js';
import { resolveVariables, type VarUse } from './variables.js';
import { childNodes, commentsOf, eslintParent, inCodeSlot, isStringLiteral, memberName, type AstComment, type AstNode, type AstProgram, type TSESTree } from './estree.js';

/**
 * Which ESTree nodes hold SQL. Works on the TS-ESTree tree of oxc-parser (parse-host.ts) and of
 * ESLint's `SourceCode.ast` (estree.ts bridges the two). Never imports a parser itself.
 */

/** A piece of literal SQL text in the host: the source between the quotes or between holes. */
export interface HostPart {
  /** Host offset of the first character of the text (after the quote, backtick or `}`). */
  start: number;
  /** Host offset just after the text (before the quote, backtick or `${`). */
  end: number;
}

/** A `${expr}` hole: the whole `${ ... }` in the host (for a `+` concatenation: the operand). */
export interface HostHole {
  start: number;
  end: number;
  /** Between two adjacent string literals of a concatenation (`'a' + 'b'`): stands for nothing. */
  join?: true;
}

/** The call (or tag) that receives the SQL of a site. */
export type SiteCall = TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.TaggedTemplateExpression;

export interface SqlSite {
  /** 'template' for template literals (escapes as in templates), 'string' for '...' and "..." literals, 'concat' for `'...' + x + '...'`. */
  kind: 'template' | 'string' | 'concat';
  /** Host range of the whole literal, quotes/backticks included. */
  range: [number, number];
  /** The literal text pieces; holes.length === parts.length - 1. */
  parts: HostPart[];
  holes: HostHole[];
  /** Found by a known tag, callee or a `/* sql *\/` comment (true), or only because it looks like a statement (false). */
  certain: boolean;
  /** A tagged template of a library that sends the holes as bind parameters. */
  parameterized: boolean;
  /** What found it: `tag:sql`, `call:query`, `comment`, `heuristic`. */
  via: string;
  /** The host code the site was found in (the parts and holes index into it). */
  code: string;
  /** A knex-style fragment (`whereRaw('...')`): analysed wrapped into a statement of this clause. */
  wrap?: FragmentClause;
  /** The call or tag sends it to ClickHouse (`clickhouse.query`, `queryClickhouse`, a function destructured from a `clickhouse` object). */
  clickhouse?: boolean;
  /** The host node of the literal (for host rules; not enumerable). */
  node?: AstNode;
  /** The call that receives the SQL (tag, query call, or the call the literal is an argument or property of), if any (not enumerable). */
  call?: SiteCall;
  /** What a hole naming a Drizzle table or column stands for (src/drizzle/scope.ts; set by lintProgram, not enumerable). */
  names?: DrizzleNames;
  /** The parent of a host node (not enumerable). */
  parentOf?: (node: AstNode) => AstNode | null;
}

/**
 * The clause a fragment stands in: knex `*Raw` methods (`where` ... `select`: the clause's content
 * without its keyword), and tagged-template fragments classified by their leading tokens
 * (fragments.ts): `and` (`AND ...`/`OR ...`), `tail` (WHERE/ORDER BY/GROUP BY/LIMIT... of a SELECT),
 * `havingTail`, `fromTail` (`FROM ...`), `updateTail` (`SET ...`), `insertTail` (`VALUES ...`,
 * `ON CONFLICT ...`), `values` (rows), `set` (a SET list without its keyword).
 */
export type FragmentClause = 'where' | 'having' | 'join' | 'orderBy' | 'groupBy' | 'select' | 'and' | 'tail' | 'havingTail' | 'fromTail' | 'updateTail' | 'insertTail' | 'values' | 'set';

/** Query-builder methods whose first argument is a SQL fragment of a clause, not a statement. */
export const FRAGMENT_CALLEES: Readonly<Record<string, FragmentClause>> = {
  whereRaw: 'where',
  andWhereRaw: 'where',
  orWhereRaw: 'where',
  havingRaw: 'having',
  andHavingRaw: 'having',
  orHavingRaw: 'having',
  joinRaw: 'join',
  orderByRaw: 'orderBy',
  groupByRaw: 'groupBy',
  selectRaw: 'select',
};

export interface DetectOptions {
  /** Template tags that mark SQL. Defaults to DEFAULT_TAGS. Dotted entries match the end of a member chain (`Prisma.sql`), plain ones the last name. */
  tags?: readonly string[];
  /** Functions whose first argument is SQL. Defaults to DEFAULT_CALLEES. */
  callees?: readonly string[];
}

export const DEFAULT_TAGS: readonly string[] = ['sql', 'SQL', 'Prisma.sql', '$queryRaw', '$executeRaw', 'helpers.sql', 'sql.unsafe', 'sql.fragment', 'sql.type', 'sql.typeAlias', 'raw'];

/** Tags whose libraries send `${}` values as bind parameters (`raw`/`unsafe` interpolate text). */
const UNSAFE_TAGS = new Set(['sql.unsafe', 'raw', 'unsafe']);

export const DEFAULT_CALLEES: readonly string[] = [
  'query',
  'execute',
  'raw',
  'rawQuery',
  'addSql',
  ...Object.keys(FRAGMENT_CALLEES),
  'prepare',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'unsafe',
  'getAll',
  'get',
  'all',
  'run',
  'exec',
  'one',
  'oneOrNone',
  'many',
  'manyOrNone',
  'any',
  'none',
];

/** Callee names too generic to trust on the name alone (`map.get(...)`, `router.all(...)`): the text must look like a statement. */
export const WEAK_CALLEES: ReadonlySet<string> = new Set(['get', 'all', 'run', 'exec', 'getAll', 'raw', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'execute', 'prepare']);

/** Text led by a parenthesised subquery: `(SELECT ...`, `( WITH x AS ...`. */
const SUBQUERY_FIRST = /^\s*\(\s*(?:select|with)\b/i;

/** A SQL statement keyword at the start (after comments, whitespace and brackets); not ON CONFLICT's `DO NOTHING` / `DO UPDATE SET`. */
const HEAD = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(select|insert|update|delete|with|values|create|alter|drop|truncate|merge|replace|explain|upsert|copy|vacuum|analyze|pragma|call|lock|grant|revoke|show|set|begin|commit|rollback|savepoint|release|declare|do(?!\s+(?:nothing|update\s+set)\b)|refresh|reindex|cluster|comment|listen|notify|prepare|execute|deallocate|table)\b/i;

/** What may follow a parenthesised query in a statement: nothing, `;`, a set operation, ORDER BY, LIMIT... */
const AFTER_QUERY = /^\s*(?:$|;|\)|union\b|except\b|intersect\b|order\s+by\b|limit\b|offset\b|fetch\b|for\b)/i;

/**
 * Does the text start like a SQL statement (loose: the first word is a statement keyword)? Not an
 * expression led by a subquery (`(SELECT max(n) FROM s WHERE ...) DESC, id`, an ORDER BY piece).
 */
export function startsLikeStatement(text: string): boolean {
  if (!HEAD.test(text)) return false;
  return !SUBQUERY_FIRST.test(text) || AFTER_QUERY.test(afterParen(stripQuoted(text.replace(/^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))));
}

const IDENT = String.raw`(?:[A-Za-z_][\w$]*|"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|__HOLE__|\?\?|:\w+|\{\{\s*\w+\s*\}\})`;
const NAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})*`;
const CLAUSE_AFTER_TABLE = String.raw`(?:$|;|\)|,|\s+(?:as\s+)?${IDENT}\s*(?:where|join|inner|left|right|full|cross|natural|on|using|order|group|having|limit|offset|union|except|intersect|for|window|returning|fetch)\b|\s+(?:where|join|inner|left|right|full|cross|natural|on|using|order|group|having|limit|offset|union|except|intersect|for|window|returning|fetch|set|values)\b)`;

const STRICT_SELECT = new RegExp(String.raw`^\s*\(?\s*select\s+(?:distinct\s+)?([\s\S]+?)\s+from\s+${NAME}\s*${CLAUSE_AFTER_TABLE}`, 'i');
const STRICT_INSERT = new RegExp(String.raw`^\s*insert\s+(?:or\s+\w+\s+|ignore\s+)?into\s+${NAME}\s*(?:\([^)]*\)\s*)?(?:values|select|default\s+values|set|with|\()`, 'i');
// `SET ${sets} WHERE ...`: a hole for the whole SET list, built in code
const STRICT_UPDATE = new RegExp(String.raw`^\s*update\s+(?:only\s+)?${NAME}(?:\s+(?:as\s+)?${IDENT})?\s+set\s+(?:${NAME}\s*=|__HOLE__\s*(?:where\b|returning\b|;|$))`, 'i');
const STRICT_DELETE = new RegExp(String.raw`^\s*delete\s+from\s+(?:only\s+)?${NAME}\s*${CLAUSE_AFTER_TABLE}`, 'i');
/** Schema changes in their unmistakable shapes (`CREATE INDEX name ON t (`, `ALTER TABLE t ADD`...), which no sentence has. */
const STRICT_DDL = new RegExp(
  String.raw`^\s*(?:create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:${NAME}\s+)?on\s+(?:only\s+)?${NAME}\s*(?:using\s+\w+\s*)?\(` +
    String.raw`|create\s+(?:(?:temp|temporary|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?${NAME}\s*\(` +
    String.raw`|alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}\s+(?:add|drop|alter|rename|enable|disable)\s` +
    String.raw`|drop\s+(?:table|index|view)\s+(?:concurrently\s+)?(?:if\s+exists\s+)?${NAME}\s*(?:cascade\s*|restrict\s*)?(?:;\s*)?$)`,
  'i',
);
const STRICT_WITH = new RegExp(String.raw`^\s*with\s+(?:recursive\s+)?${IDENT}\s*(?:\([^)]*\)\s*)?as\s*(?:(?:not\s+)?materialized\s*)?\(`, 'i');

/**
 * A conservative "this string is a SQL statement" test for literals found by shape alone.
 * `SELECT id FROM users`, `DELETE FROM t WHERE ...` pass; "Select a plan" and "Delete from all
 * environments" do not.
 */
export function looksLikeStatement(text: string): boolean {
  if (hasEnglishFiller(text)) return false;
  const t = text.replace(/^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  if (/[.!]\s*$/.test(t)) return false;
  const sel = STRICT_SELECT.exec(t);
  if (sel) {
    const list = (sel[1] ?? '').trim();
    // a select list: `*`, expressions with punctuation, one name, or `name [AS] alias`
    return /[*,(.]|^__HOLE__$|^[\w'"$:@]+$/.test(list) || new RegExp(String.raw`^${IDENT}(?:\s+as\s+${IDENT})?$`, 'i').test(list) || /\bas\b/i.test(list);
  }
  return STRICT_INSERT.test(t) || STRICT_UPDATE.test(t) || STRICT_DELETE.test(t) || STRICT_WITH.test(t);
}

/**
 * Words that make a SQL-shaped sentence English ("Delete from all environments", "Select the rows
 * from the table"); not when SQL follows the word (`WITH a AS (`, `SELECT a FROM t`, `UPDATE a SET`).
 */
const ENGLISH = /^\s*\S+\s+(?:from\s+|into\s+)?(?:all|the|a|an|some|any|each|every|everything|this|that|these|those|it|them|your|my|our|their|his|her|one|more|here|there)\b(?!\s*(?:[.(,=]|(?:as|set|from|where|join|inner|left|right|on|using|values|limit|order|group)\b))/i;

function hasEnglishFiller(text: string): boolean {
  return ENGLISH.test(text.replace(/^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''));
}

const SELECT_NO_FROM = /^\(?\s*select\s+(?:distinct\s+)?([\s\S]+)$/i;
const VALUES_ROWS = /^\s*values\s*\((?=\s*(?:[\d'$?:-]|__HOLE__|null\b|default\b|true\b|false\b))(?:[^()]|\([^()]*\))*\)\s*(?:,\s*\((?:[^()]|\([^()]*\))*\)\s*)*(?:;\s*)?$/i;
// `TABLE name` (PostgreSQL's SELECT * FROM name), but not the CSS selector `table td` / `table > tr`
const TABLE_STMT = new RegExp(String.raw`^\s*table\s+(?:only\s+)?(?!(?:td|tr|th|tbody|thead|tfoot|caption|colgroup|col)\s*;?\s*$)${NAME}\s*(?:;\s*)?$`, 'i');
const MERGE_STMT = new RegExp(String.raw`^\s*merge\s+into\s+${NAME}(?:\s+(?:as\s+)?${IDENT})?\s+using\b`, 'i');
const REPLACE_STMT = new RegExp(String.raw`^\s*replace\s+(?:low_priority\s+|delayed\s+)?into\s+${NAME}\s*(?:\([^)]*\)\s*)?(?:values|select|set|\()`, 'i');

/**
 * The test for a literal found by its shape in ANY argument of ANY call (and for generic callees):
 * `looksLikeStatement`, or a SELECT without FROM that calls a function or selects an expression
 * (`SELECT ${schema}.create_queue($1)`, `SELECT now()`, `SELECT 1`), VALUES rows, `TABLE name`,
 * `MERGE INTO ... USING`, `REPLACE INTO`. The parser judges the rest (such sites are uncertain).
 * "Select a file", "Update available", "Select item(s)" do not pass.
 */
export function looksLikeSqlStatement(text: string): boolean {
  if (looksLikeStatement(text)) return true;
  const t = text.replace(/^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  if (/[.!?:]\s*$/.test(t) || hasEnglishFiller(t)) return false;
  if (VALUES_ROWS.test(t) || TABLE_STMT.test(t) || MERGE_STMT.test(t) || REPLACE_STMT.test(t) || STRICT_DDL.test(t)) return true;
  const sel = SELECT_NO_FROM.exec(t);
  const selected = sel?.[1];
  if (selected === undefined || /\bfrom\b/i.test(selected)) return false;
  const list = selected.trim().replace(/;\s*$/, '');
  // one value: a number, a parameter, a hole, a quoted string, a cast
  if (/^(?:\d+(?:\.\d+)?|\$\d+|\?|:\w+|__HOLE__|'[^']*')(?:::\w+)?(?:\s+as\s+\w+)?$/i.test(list)) return true;
  // a function call whose name is SQL-like (schema-qualified, snake_case, a hole) or whose arguments are SQL values
  const call = /^((?:[\w$]+|__HOLE__)(?:\.(?:[\w$]+|__HOLE__))*)\s*\(([\s\S]*)\)(?:\s*::\s*\w+)?(?:\s+as\s+\w+)?(?:\s*,[\s\S]*)?$/i.exec(list);
  if (!call) return false;
  const [, name = '', args = ''] = call;
  return /[._]|__HOLE__/.test(name) || /^\s*$/.test(args) || /^\s*(?:\$\d|\?|:\w|'|\d|__HOLE__|\*)/.test(args) || /^(?:now|count|current_\w+|version|pg_\w+|nextval|setval|lastval|coalesce)$/i.test(name);
}

/** `a.b.c` for an identifier/member chain (`this` included), `f(...)` chains take the callee's name; undefined otherwise. */
export function dottedName(node: AstNode | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'Identifier':
      return node.name;
    case 'ThisExpression':
      return 'this';
    case 'PrivateIdentifier':
      return `#${node.name}`;
    case 'MemberExpression': {
      if (node.computed) {
        const p = node.property;
        if (p.type !== 'Literal' || typeof p.value !== 'string') return undefined;
        const obj = dottedName(node.object);
        return obj === undefined ? undefined : `${obj}.${p.value}`;
      }
      const obj = dottedName(node.object);
      const prop = dottedName(node.property);
      if (prop === undefined) return undefined;
      return obj === undefined ? `?.${prop}` : `${obj}.${prop}`;
    }
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
      return dottedName(node.expression);
    case 'AwaitExpression':
      return dottedName(node.argument);
    case 'CallExpression':
      return dottedName(node.callee);
    case 'TSInstantiationExpression':
      return dottedName(node.expression);
    default:
      return undefined;
  }
}

/** Does a dotted name match one of the configured names? Dotted entries match the end of the chain, plain ones the last name. */
export function matchName(name: string | undefined, list: readonly string[]): string | undefined {
  if (!name) return undefined;
  const segs = name.split('.');
  // the longest entry wins: `Prisma.sql` before `sql`
  const byLength = [...list].sort((a, b) => b.split('.').length - a.split('.').length);
  for (const entry of byLength) {
    const want = entry.split('.');
    if (want.length > segs.length) continue;
    const tail = segs.slice(segs.length - want.length);
    if (tail.every((s, i) => s === want[i])) return entry;
  }
  return undefined;
}

/** Calls `visit(node, parent)` on every node, parents first. */
export function walk(node: AstNode, visit: (n: AstNode, parent: AstNode | null) => boolean | void, parent: AstNode | null = null): void {
  // iterative, so deeply nested host code cannot overflow the stack
  const stack: Array<[AstNode, AstNode | null]> = [[node, parent]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [n, p] = top;
    if (visit(n, p) === false) continue;
    const kids = childNodes(n);
    for (const k of kids.reverse()) stack.push([k, n]);
  }
}

function rangeOf(n: AstNode): [number, number] | undefined {
  return n.range;
}

/** The operands of a `+` chain, left to right. */
function concatOperands(node: AstNode): AstNode[] {
  if (node.type === 'BinaryExpression' && node.operator === '+') return [...concatOperands(node.left), ...concatOperands(node.right)];
  return [node];
}

function isPlainString(n: AstNode): boolean {
  return isStringLiteral(n) || (n.type === 'TemplateLiteral' && n.expressions.length === 0);
}

/** `'SELECT ... = ' + x + ' AND ...'`: literal operands are parts, the others holes. Starts with a string literal. */
function concatSite(node: AstNode): Pick<SqlSite, 'kind' | 'range' | 'parts' | 'holes'> | undefined {
  const r = rangeOf(node);
  const ops = concatOperands(node);
  const [head] = ops;
  if (!r || ops.length < 2 || !head || !isPlainString(head)) return undefined;
  const parts: HostPart[] = [];
  const holes: HostHole[] = [];
  let pending: [number, number] | undefined;
  for (const op of ops) {
    const or = rangeOf(op);
    if (!or) return undefined;
    if (isPlainString(op)) {
      if (pending) {
        holes.push({ start: pending[0], end: pending[1] });
        pending = undefined;
      } else {
        const prev = parts[parts.length - 1];
        if (prev) holes.push({ start: prev.end, end: or[0] + 1, join: true });
      }
      parts.push({ start: or[0] + 1, end: or[1] - 1 });
    } else pending = pending ? [pending[0], or[1]] : [or[0], or[1]];
  }
  if (pending) {
    holes.push({ start: pending[0], end: pending[1] });
    parts.push({ start: r[1], end: r[1] });
  }
  return { kind: 'concat', range: r, parts, holes };
}

/** Parts and holes of a string or untagged/tagged template literal, or a `+` concatenation starting with a string; undefined for other nodes. */
export function literalSite(node: AstNode, code: string): Pick<SqlSite, 'kind' | 'range' | 'parts' | 'holes'> | undefined {
  const r = rangeOf(node);
  if (!r) return undefined;
  if (node.type === 'BinaryExpression') return concatSite(node);
  if (node.type === 'Literal' && typeof node.value === 'string') {
    return { kind: 'string', range: r, parts: [{ start: r[0] + 1, end: r[1] - 1 }], holes: [] };
  }
  if (node.type === 'TemplateLiteral') {
    const quasis = node.quasis;
    const parts: HostPart[] = [];
    const holes: HostHole[] = [];
    for (const [i, quasi] of quasis.entries()) {
      const q = quasi.range;
      const next = quasis[i + 1];
      // each quasi's range runs from its opening ` or } to its closing ` or ${
      parts.push({ start: q[0] + 1, end: q[1] - (next ? 2 : 1) });
      if (next) holes.push({ start: q[1] - 2, end: next.range[0] + 1 });
    }
    if (code[r[0]] !== '`') return undefined;
    return { kind: 'template', range: r, parts, holes };
  }
  return undefined;
}

/** Text of a literal with holes shown as `__HOLE__` (for the shape checks). */
export function previewText(s: Pick<SqlSite, 'parts'>, code: string): string {
  // an escaped backtick in a template (\`group\`) is a MySQL quoted name to the shape checks
  return s.parts.map((p) => code.slice(p.start, p.end).replace(/\\`/g, '`')).join('__HOLE__');
}

/** Is there a `/* sql *\/` comment (any case, also `/*sql*\/`) right before this offset? */
function sqlCommentBefore(code: string, at: number, commentEnds: Map<number, AstComment>): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(code[i] ?? '')) i--;
  const c = commentEnds.get(i + 1);
  return c !== undefined && c.type === 'Block' && /^\s*sql\s*$/i.test(c.value);
}

/**
 * Finds the SQL in a program: tagged templates (`sql\`...\``), first arguments of query calls
 * (`db.query('...')`), literals after a `/* sql *\/` comment, and literals assigned, returned or
 * used as a property value that clearly are a statement. Nested tagged templates inside another
 * site's holes are fragments of it and not reported on their own.
 */
export function findSqlSites(program: AstProgram, code: string, options: DetectOptions = {}): SqlSite[] {
  const detector = siteDetector(program, code, options);
  walk(program, (node, parent) => detector.visit(node, parent));
  return detector.finish();
}

/** A parent lookup: a map the caller's walk filled, or ESLint's `parent` links. */
export type ParentOf = (node: AstNode) => AstNode | null;

/**
 * The node types the detection acts on: every other node only links parents. A traversal that
 * has parent links (ESLint's) needs to visit only these (`visitLinked`), so the plugin finds the
 * sites during ESLint's own traversal instead of walking the tree again.
 */
export const DETECTED_NODE_TYPES = ['TaggedTemplateExpression', 'CallExpression', 'NewExpression', 'VariableDeclarator', 'AssignmentExpression', 'Literal', 'TemplateLiteral', 'BinaryExpression'] as const;

/**
 * The detection, node by node: `findSqlSites` drives it with its own walk of every node (parents
 * first); the ESLint plugin with listeners for DETECTED_NODE_TYPES on ESLint's traversal (also
 * parents first), through `visitLinked`. `finish` gives the sites once the traversal is over.
 */
export interface SiteDetector {
  /** A node and its parent, every node of the program in a pre-order walk of its code slots (estree.ts). */
  visit(node: AstNode, parent: AstNode | null): void;
  /** A node of DETECTED_NODE_TYPES of a tree with `parent` links, in pre-order: nodes in type or decorator slots are left out, as `walk` leaves them. */
  visitLinked(node: AstNode): void;
  finish(): SqlSite[];
}

export function siteDetector(program: AstProgram, code: string, options: DetectOptions = {}): SiteDetector {
  const finder = new SiteFinder(program, code, options.tags ?? DEFAULT_TAGS, options.callees ?? DEFAULT_CALLEES);
  const inCode = new Map<AstNode, boolean>();
  // is the node reached by walk (code slots only, estree.ts) from the program? memoised per ancestor
  const reached = (n: AstNode): boolean => {
    const parent = eslintParent(n);
    if (!parent) return true;
    let known = inCode.get(n);
    if (known === undefined) {
      known = inCodeSlot(n, parent) && reached(parent);
      inCode.set(n, known);
    }
    return known;
  };
  let sites: SqlSite[] | undefined;
  return {
    visit: (node, parent) => finder.visit(node, parent),
    visitLinked: (node) => {
      if (reached(node)) finder.visit(node, eslintParent(node) ?? null);
    },
    finish: () => (sites ??= finder.finish()),
  };
}

type LiteralSite = Pick<SqlSite, 'kind' | 'range' | 'parts' | 'holes'>;

/** One program's search for SQL: what the walk has seen so far, and the sites found. */
class SiteFinder {
  private readonly sites: SqlSite[] = [];
  private readonly taken = new Set<AstNode>();
  private readonly parents = new Map<AstNode, AstNode | null>();
  private readonly commentEnds = new Map<number, AstComment>();
  /** Local names bound to ClickHouse functions (`const { rawQuery } = clickhouse`), with the scopes they are bound in. */
  private readonly clickhouseNames = new Map<string, Set<AstNode>>();
  /** Identifiers passed to calls, to resolve to a local variable holding SQL after the walk. */
  private readonly varUses: VarUse[] = [];
  /** `const q = ...`/`let q = ...` declarators and `q += ...` assignments, by name. */
  private readonly declarators = new Map<string, TSESTree.VariableDeclarator[]>();
  private readonly appends = new Map<string, TSESTree.AssignmentExpression[]>();

  constructor(
    program: AstProgram,
    private readonly code: string,
    private readonly tags: readonly string[],
    private readonly callees: readonly string[],
  ) {
    this.anyTag = DEFAULT_TAGS.every((t) => tags.includes(t));
    for (const c of commentsOf(program)) if (c.range) this.commentEnds.set(c.range[1], c);
  }

  /** The tags include the defaults: a statement under a tag of another name is found by its shape. */
  private readonly anyTag: boolean;

  /** Bound: every site carries it. */
  private readonly parentOf = (n: AstNode): AstNode | null => this.parents.get(n) ?? eslintParent(n) ?? null;

  /** Bound: resolveVariables makes sites with it too. */
  private readonly makeSite = (node: AstNode, lit: LiteralSite, certain: boolean, via: string, extra: Partial<SqlSite>): SqlSite => {
    const { call, ...rest } = extra;
    const site: SqlSite = { ...lit, certain, parameterized: false, via, code: this.code, ...rest };
    if (site.clickhouse === undefined) delete site.clickhouse;
    // AST links are not enumerable: sites stay printable and comparable
    Object.defineProperty(site, 'node', { value: node, enumerable: false });
    Object.defineProperty(site, 'call', { value: call, enumerable: false });
    Object.defineProperty(site, 'parentOf', { value: this.parentOf, enumerable: false });
    this.sites.push(site);
    return site;
  };

  private add(node: AstNode, certain: boolean, parameterized: boolean, via: string, requireStatement: 'none' | 'loose' | 'strict', extra: Partial<SqlSite> = {}): void {
    if (this.taken.has(node)) return;
    const lit = literalSite(node, this.code);
    if (!lit) return;
    const preview = previewText(lit, this.code);
    if (requireStatement === 'loose' && !startsLikeStatement(preview)) return;
    if (requireStatement === 'strict' && !looksLikeStatement(preview)) return;
    this.taken.add(node);
    this.makeSite(node, lit, certain, via, extra).parameterized = parameterized;
    // literals and templates nested in the holes are fragments of this site, not sites of their own
    markNested(node, this.taken);
  }

  private isClickhouseCall(name: string | undefined, at: AstNode): boolean {
    if (isClickhouseName(name)) return true;
    const scopes = name === undefined ? undefined : this.clickhouseNames.get(name.split('.')[0] ?? name);
    if (!scopes) return false;
    for (let n: AstNode | null = at; n; n = this.parentOf(n)) if (scopes.has(n)) return true;
    return false;
  }

  visit(node: AstNode, parent: AstNode | null): void {
    this.parents.set(node, parent);
    this.noteBindings(node);
    if (node.type === 'TaggedTemplateExpression') this.taggedTemplate(node);
    else if (node.type === 'CallExpression' || node.type === 'NewExpression') this.call(node);
    else this.literal(node, parent);
  }

  /** Declarations and `+=` that variables holding SQL are resolved through, and names bound to ClickHouse functions. */
  private noteBindings(node: AstNode): void {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) push(this.declarators, node.id.name, node);
    if (node.type === 'AssignmentExpression' && node.operator === '+=' && node.left.type === 'Identifier') push(this.appends, node.left.name, node);
    if (!(node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && isClickhouseName(dottedName(node.init)))) return;
    for (const p of node.id.properties) {
      const v = p.type === 'Property' ? p.value : undefined;
      if (v?.type !== 'Identifier') continue;
      const scope = scopeOf(node, this.parentOf);
      const set = this.clickhouseNames.get(v.name) ?? new Set<AstNode>();
      set.add(scope);
      this.clickhouseNames.set(v.name, set);
    }
  }

  private taggedTemplate(node: TSESTree.TaggedTemplateExpression): void {
    const tagName = dottedName(node.tag);
    const hit = matchName(tagName, this.tags);
    if (!hit) return this.shapedTemplate(node);
    const quasi = node.quasi;
    const lit = literalSite(quasi, this.code);
    const text = lit ? previewText(lit, this.code) : '';
    // a fragment (`sql\`AND a = ${b}\``, `sql\`ORDER BY ...\``): analysed wrapped in a statement of its clause; the wrapping is a guess, so a parse failure skips it
    // JavaScript's own String.raw (class names, regexes, paths): SQL only when it is clearly a statement
    if (tagName === 'String.raw' && !looksLikeSqlStatement(text)) return;
    const setList = /^\s*set\s+[\w".]+\s*=[^,]*,\s*[\w".]+\s*=/i.test(text);
    const wrap = hit === 'sql.fragment' || (startsLikeStatement(text) && !setList) || looksLikeTypo(text) ? undefined : classifyFragment(text);
    // sql-template-strings' SQL`UPDATE `.append(table).append(SQL` SET ...`): the head is the start of a
    // statement the chain completes, so it is SQL only if it parses (a failure is not the code's error)
    const certain = !wrap && !this.appendHead(node);
    this.add(quasi, certain, !UNSAFE_TAGS.has(hit), `tag:${hit}`, 'none', { call: node, ...(wrap ? { wrap } : {}), ...(this.isClickhouseCall(tagName, node) ? { clickhouse: true } : {}) });
  }

  /**
   * A template under a tag of any name that is clearly a whole statement: postgres.js names its
   * query function after the connection or the transaction (`tx\`...\``, `this.#db\`...\``). Found by
   * shape, so uncertain (a parse failure skips it); a tag function receives the values apart from
   * the text, so the holes are taken for bind parameters. Not when the tags are narrowed.
   */
  private shapedTemplate(node: TSESTree.TaggedTemplateExpression): void {
    // tags narrowed to a list without the defaults (`extendDefaultTags: false`): those tags only
    if (!this.anyTag) return;
    const lit = literalSite(node.quasi, this.code);
    if (lit && looksLikeStatement(previewText(lit, this.code))) this.add(node.quasi, false, true, 'tag-shape', 'none', { call: node });
  }

  /** The template is the receiver of `.append(...)`: the first piece of a statement built by a chain. */
  private appendHead(node: AstNode): boolean {
    const member = this.parentOf(node);
    if (member?.type !== 'MemberExpression' || member.object !== node || member.computed || memberName(member) !== 'append') return false;
    const call = this.parentOf(member);
    return call?.type === 'CallExpression' && call.callee === member;
  }

  private call(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
    const name = dottedName(node.callee);
    const hit = matchName(name, this.callees);
    const extra: Partial<SqlSite> = { call: node, ...(this.isClickhouseCall(name, node) ? { clickhouse: true } : {}) };
    const [first] = node.arguments;
    if (hit && first) this.queryArgument(node, first, name, hit, extra);
    // any call: a string, template or concatenation in any argument that is clearly a statement (found by shape: uncertain)
    if (ignoredCall(name)) return;
    for (const a of node.arguments) {
      for (const arg of branches(a)) {
        if (this.taken.has(arg)) continue;
        const preview = literalSite(arg, this.code);
        if (preview) {
          if (looksLikeSqlStatement(previewText(preview, this.code))) this.add(arg, false, false, 'call-shape', 'none', extra);
        } else if (arg.type === 'Identifier' && !(hit && a === node.arguments[0])) this.varUses.push({ id: arg, call: node, certain: false, via: 'call-shape', extra });
      }
    }
  }

  /** The first argument (`first`) of a call whose name says it takes SQL (`hit`, the name it matched). */
  private queryArgument(node: TSESTree.CallExpression | TSESTree.NewExpression, first: TSESTree.CallExpressionArgument, name: string | undefined, hit: string, extra: Partial<SqlSite>): void {
    const weak = WEAK_CALLEES.has(hit) || (name !== undefined && !name.includes('.') && hit === name && WEAK_CALLEES.has(name));
    const wrap = Object.hasOwn(FRAGMENT_CALLEES, hit) ? FRAGMENT_CALLEES[hit] : undefined;
    // `db.query(cond ? \`...\` : \`...\`)`: each branch; node-postgres' `{ text, values }`, mysql2's `{ sql, values }`: the text
    for (const arg of branches(queryConfigText(first) ?? first)) {
      const preview = literalSite(arg, this.code);
      if (!preview) {
        if (arg.type === 'Identifier' && !wrap) this.varUses.push({ id: arg, call: node, certain: !weak, via: `call:${hit}`, extra });
        continue;
      }
      const text = previewText(preview, this.code);
      // a knex fragment is SQL by the method alone; generic names (`map.get`, `router.all`) need a clear statement; query-ish names only a statement keyword
      // knex.raw('(SELECT ...) ->> 0 ASC, ...'), knex.raw('(SELECT ...) as ??'): an expression led by a
      // subquery, analysed inside the clause it reads as (found by shape: the parser decides)
      const subquery = !wrap && hit === 'raw' && SUBQUERY_FIRST.test(text) ? classifyFragment(text) : undefined;
      if (wrap) {
        if (text.trim()) this.add(arg, true, false, `call:${hit}`, 'none', { ...extra, wrap });
      } else if (subquery) this.add(arg, false, false, `call:${hit}`, 'none', { ...extra, wrap: subquery });
      else if (weak ? looksLikeSqlStatement(text) : startsLikeStatement(text)) this.add(arg, true, false, `call:${hit}`, 'none', extra);
    }
  }

  /** A string, template or concatenation after a `/* sql *\/` comment, or in a place where a statement is likely. */
  private literal(node: AstNode, parent: AstNode | null): void {
    const concat = node.type === 'BinaryExpression' && node.operator === '+' && parent?.type !== 'BinaryExpression';
    if (!(isStringLiteral(node) || node.type === 'TemplateLiteral' || concat)) return;
    const r = rangeOf(node);
    const extra = (): Partial<SqlSite> => {
      const call = enclosingCall(node, parent, this.parentOf);
      return call ? { call, ...(this.isClickhouseCall(dottedName(call.callee), call) ? { clickhouse: true } : {}) } : {};
    };
    if (r && sqlCommentBefore(this.code, r[0], this.commentEnds)) this.add(node, true, false, 'comment', 'none', extra());
    else if (parent && heuristicPosition(node, parent) && !this.taken.has(node)) this.add(node, false, false, 'heuristic', 'strict', extra());
  }

  /** The sites, with those of variables passed to query calls, in source order. */
  finish(): SqlSite[] {
    const { code, parentOf, sites, taken, appends, declarators, makeSite } = this;
    resolveVariables(this.varUses, { code, parentOf, sites, taken, appends, declarators, markNested, makeSite });
    sites.sort((a, b) => a.range[0] - b.range[0]);
    return sites;
  }
}

/** The function (or program) a declaration belongs to. */
export function scopeOf(node: AstNode, parentOf: ParentOf): AstNode {
  let n: AstNode = node;
  for (let p = parentOf(n); p; p = parentOf(p)) {
    if (/Function/.test(p.type) || p.type === 'Program') return p;
    n = p;
  }
  return n;
}

/**
 * The call a literal is handed to: `f('...')`, `f({ query: '...' })`, `f(['...'])`, through
 * `as` casts; undefined when the literal is stored in a variable first.
 */
function enclosingCall(node: AstNode, parent: AstNode | null, parentOf: ParentOf): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  let child = node;
  let p = parent;
  for (let depth = 0; p && depth < 4; depth++) {
    if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.some((a) => a === child)) return p;
    if (!['Property', 'ObjectExpression', 'ArrayExpression', 'TSAsExpression', 'TSSatisfiesExpression'].includes(p.type)) return undefined;
    child = p;
    p = parentOf(p);
  }
  return undefined;
}

/** The `text` / `sql` property of a query config object (`db.query({ text: \`...\`, values })`). */
function queryConfigText(arg: AstNode): AstNode | undefined {
  const o = unwrapTs(arg);
  if (o.type !== 'ObjectExpression') return undefined;
  for (const p of o.properties) {
    if (p.type !== 'Property' || p.computed || p.kind !== 'init') continue;
    const key = p.key.type === 'Identifier' ? p.key.name : isStringLiteral(p.key) ? p.key.value : undefined;
    if (key === 'text' || key === 'sql') return p.value;
  }
  return undefined;
}

function heuristicPosition(node: AstNode, parent: AstNode): boolean {
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === node;
    case 'AssignmentExpression':
      return parent.right === node;
    case 'ReturnStatement':
      return true;
    case 'ArrowFunctionExpression':
      return parent.body === node;
    case 'Property':
      return parent.value === node;
    case 'PropertyDefinition':
      return parent.value === node;
    case 'ArrayExpression':
      return true;
    default:
      return false;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The SQL candidates of an argument: itself, or the branches of `c ? a : b` / `c && a` (through parentheses and casts). */
export function branches(node: AstNode): AstNode[] {
  const n = unwrapTs(node);
  if (n.type === 'ConditionalExpression') return [...branches(n.consequent), ...branches(n.alternate)];
  if (n.type === 'LogicalExpression' && n.operator === '&&') return branches(n.right);
  return [n];
}

function unwrapTs(node: AstNode): AstNode {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n;
}

/**
 * Calls whose string arguments are messages, not queries (logging, i18n, test titles, errors), or
 * go into a URL (`encodeURIComponent("SELECT * FROM Account")`: a third-party HTTP API's query language).
 */
function ignoredCall(name: string | undefined): boolean {
  if (!name) return false;
  return /^(?:console|logger|log|debug|i18n|t|__|expect|it|test|describe|assert|alert|confirm|prompt|encodeURIComponent|encodeURI|URLSearchParams|URL)(?:\.|$)|\.(?:log|debug|info|warn|warning|error|trace|fatal|verbose|t|translate)$|Error$/.test(name);
}

export function markNested(node: AstNode, taken: Set<AstNode>): void {
  walk(node, (n) => {
    if (n.type === 'TaggedTemplateExpression') taken.add(n.quasi);
    if (n.type === 'TemplateLiteral' || n.type === 'Literal') taken.add(n);
  });
}
