/**
 * Value-side evidence: what the JS/TS code shows about the values that fill a SQL site's
 * placeholders. A `${}` hole filled as a value, a `$n` / `?` bound to the n-th element of the
 * call's parameter array (`db.query('... LIKE $1', [`%${q}%`])`), or a hole at the start of a
 * quoted pattern (`LIKE '${pattern}'`) each point at a host expression; rules whose evidence is in
 * the value (a LIKE pattern that starts with `%`) read it from there.
 *
 * SQL rules see only the SQL text, where these values are placeholders. A rule adds a value-side
 * check with `withValueCheck`; `runHostRules` (host-rules.ts) runs it for every site, in the CLI and
 * the ESLint plugin alike, next to the host rules.
 */
import type { Dialect } from '../dialect.js';
import { lex } from '../parse/lexer.js';
import { parseText } from '../parse/index.js';
import { buildNspModel } from '../model/nsp-builder.js';
import { buildPgModel } from '../model/pg-builder.js';
import { HOLE_TEXT, predicatesOf, type Predicate } from '../model/predicates.js';
import type { Expr, StatementModel } from '../model/types.js';
import { unwrapCast } from '../model/walk.js';
import type { Range } from '../range.js';
import type { AnyRule, HostRuleContext } from '../rule.js';
import { dottedName, type SqlSite } from './detect.js';
import { childNodes, childSlots, eslintParent, isStringLiteral, memberName, type AstNode, type TSESTree } from './estree.js';
import { constResolver, holeExpression, unwrap, type OperandSequence } from './host-code.js';
import type { EmbeddedSql } from './template.js';

export { HOLE_TEXT };

/** A value-side check of a rule: runs per site with the host-rule context. */
export type ValueCheck = (site: SqlSite, ctx: HostRuleContext<Record<string, unknown>>) => void;

/** What a program-wide check sees: the whole JS/TS file (for SQL that query builders write, with no SQL site). */
export interface ProgramContext {
  code: string;
  parent(node: AstNode): AstNode | null;
  source(range: Range): string;
  report(r: { range: Range; messageId: string; data?: Record<string, string | number> }): void;
}
export type ProgramCheck = (program: AstNode, ctx: ProgramContext) => void;

const VALUE_CHECK = Symbol.for('sqlperf.valueCheck');
const PROGRAM_CHECK = Symbol.for('sqlperf.programCheck');

/**
 * Adds value-side checks to a SQL rule: the rule keeps its `check` over the query model (and its
 * SQL fixtures and docs); `runHostRules` also runs `site` on every JS/TS site, and
 * `runProgramChecks` runs `program` once per JS/TS file.
 */
export function withValueCheck<R extends AnyRule>(rule: R, checks: { site?: ValueCheck; program?: ProgramCheck }): R {
  if (checks.site) Object.defineProperty(rule, VALUE_CHECK, { value: checks.site, enumerable: false });
  if (checks.program) Object.defineProperty(rule, PROGRAM_CHECK, { value: checks.program, enumerable: false });
  return rule;
}

/** The SQL dialect of the site, when the front end passed it to `runHostRules` (`ctx.dialect`). */
export function siteDialect(ctx: object): Dialect | undefined {
  return (ctx as { dialect?: Dialect }).dialect;
}

/** The value-side site check of a rule, if it has one. */
export function valueCheckOf(rule: AnyRule): ValueCheck | undefined {
  return (rule as unknown as Record<symbol, ValueCheck | undefined>)[VALUE_CHECK];
}

/** The program-wide check of a rule, if it has one. */
export function programCheckOf(rule: AnyRule): ProgramCheck | undefined {
  return (rule as unknown as Record<symbol, ProgramCheck | undefined>)[PROGRAM_CHECK];
}

/** A parent lookup for a program: ESLint's `node.parent`, else a map built by one walk. */
export function parentLookup(program: AstNode): (n: AstNode) => AstNode | null {
  const parents = new WeakMap<AstNode, AstNode>();
  let built = false;
  return (n) => {
    const linked = eslintParent(n);
    if (linked !== undefined) return linked;
    if (!built) {
      built = true;
      eachNode(program, (x) => {
        for (const c of childNodes(x)) parents.set(c, x);
      });
    }
    return parents.get(n) ?? null;
  };
}

/** A placeholder of the SQL text and the host expression that gives it its value. */
export interface BoundValue {
  /** Range of the placeholder in `embedded.sql` (`$1`, `?`, a hole's fill). */
  sql: Range;
  /** Where to report in the host: the whole `${...}`, or the array element. */
  host: Range;
  /** The host expression of the value (several operands of a concatenation that fill one placeholder: a sequence). */
  expr: AstNode | OperandSequence;
  /** `hole`: a `${}` filled as a value; `text`: a hole at the start of a quoted string; `parameter`: an element of the parameter array. */
  via: 'hole' | 'text' | 'parameter';
}

/** The parameter array handed to the query call with the SQL: `f(sql, [a, b])`, `f({ text: sql, values: [a, b] })`. */
function parameterArray(site: SqlSite, resolve: (id: TSESTree.Identifier) => AstNode | undefined): TSESTree.ArrayExpression['elements'] | undefined {
  const call = site.call;
  const node = site.node;
  if (!call || !node || call.type !== 'CallExpression') return undefined;
  const args = call.arguments;
  let values: AstNode | undefined;
  const at = args.findIndex((a) => a === node);
  if (at >= 0) values = args[at + 1];
  else {
    // `{ text: '...', values: [...] }`
    const obj = args.find((a): a is TSESTree.ObjectExpression => a.type === 'ObjectExpression' && a.properties.some((p) => p.type === 'Property' && p.value === node));
    const prop = obj && obj.properties.find((p) => p.type === 'Property' && !p.computed && /^(?:values|params|parameters|bindings|args)$/.test(dottedName(p.key) ?? ''));
    values = prop?.type === 'Property' ? prop.value : undefined;
  }
  if (!values) return undefined;
  let arr = unwrap(values);
  if (arr.type === 'Identifier') arr = unwrap(resolve(arr) ?? arr);
  if (arr.type !== 'ArrayExpression') return undefined;
  return arr.elements;
}

/**
 * Every placeholder of the site's SQL whose value the host code shows: `${}` holes filled as
 * values, holes at the start of a quoted string, and `$n` / `?` bound by position to the call's
 * parameter array.
 */
export function boundValues(site: SqlSite, embedded: EmbeddedSql, parentOf: (n: AstNode) => AstNode | null): BoundValue[] {
  const out: BoundValue[] = [];
  const { sql } = embedded;
  for (const h of embedded.holes) {
    if (h.origin !== 'template') continue;
    const expr = holeExpression(site, h.host);
    if (!expr) continue;
    if (h.as === 'value') out.push({ sql: h.sql, host: h.host, expr, via: 'hole' });
    // `'${pattern}'`, `'${prefix}%'`: the hole starts the string
    else if (h.as === 'text' && sql[h.sql.start - 1] === "'") out.push({ sql: h.sql, host: h.host, expr, via: 'text' });
  }
  if (!site.node) return out;
  const resolve = constResolver(parentOf, site.node);
  const elements = parameterArray(site, resolve);
  if (!elements) return out;
  // positional parameters in SQL order: `?` in the text (or a knex `?` made a hole), `$n` by number
  let position = 0;
  const dialect: Dialect = embedded.holes.some((h) => /^\(?:p\d/.test(sql.slice(h.sql.start, h.sql.end))) ? 'mysql' : 'postgresql';
  for (const t of lex(sql, dialect)) {
    if (t.type !== 'param') continue;
    const hole = embedded.holes.find((h) => t.start >= h.sql.start && t.end <= h.sql.end);
    let index: number | undefined;
    if (hole) {
      if (hole.origin === 'placeholder' && site.code.slice(hole.host.start, hole.host.end) === '?') index = position++;
    } else if (t.value === '?') index = position++;
    else if (/^\$\d+$/.test(t.value)) index = Number(t.value.slice(1)) - 1;
    const el = index === undefined ? undefined : elements[index];
    if (!el || el.type === 'SpreadElement') continue;
    out.push({ sql: hole ? hole.sql : { start: t.start, end: t.end }, host: { start: el.range[0], end: el.range[1] }, expr: el, via: 'parameter' });
  }
  return out;
}

/** The text of a template's first quasi (cooked; raw where an escape is invalid, which gives `cooked: null`). */
function cookedHead(quasi: TSESTree.TemplateElement | undefined): string {
  if (!quasi) return '';
  const v: { cooked: string | null; raw: string } = quasi.value;
  return v.cooked ?? v.raw;
}

/**
 * Does the host value certainly start with a LIKE wildcard (`%` or `_`)? A string or template that
 * starts with one, a concatenation whose first operand does, either branch of a conditional, a
 * `const` holding one, `'%'.concat(q)`, and case or trim calls on such a value.
 */
export function startsWithWildcard(node: AstNode, resolve?: (id: TSESTree.Identifier) => AstNode | undefined, depth = 0): boolean {
  if (depth > 6) return false;
  const n = unwrap(node);
  const again = (x: AstNode | null | undefined) => !!x && startsWithWildcard(x, resolve, depth + 1);
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'string' && /^[%_]/.test(n.value);
    case 'TemplateLiteral': {
      const head = cookedHead(n.quasis[0]);
      if (head) return /^[%_]/.test(head);
      return again(n.expressions[0]);
    }
    case 'BinaryExpression':
      return n.operator === '+' && again(n.left);
    case 'ConditionalExpression':
      return again(n.consequent) || again(n.alternate);
    case 'Identifier': {
      const init = resolve?.(n);
      return init !== undefined && again(init);
    }
    case 'CallExpression': {
      const callee = unwrap(n.callee);
      if (callee.type !== 'MemberExpression' || callee.computed) return false;
      const method = memberName(callee) ?? '';
      if (method === 'concat') return again(callee.object);
      if (/^(?:toLowerCase|toUpperCase|toLocaleLowerCase|toLocaleUpperCase|trim|trimEnd|normalize)$/.test(method)) return again(callee.object);
      return false;
    }
    case 'AwaitExpression':
      return false;
    default:
      return false;
  }
}

/** Names of page numbers: `page`, `pageNumber`, `pageIndex`, `currentPage`, `p.page`. */
const PAGE_NAME = /(?:^|\.)(?:page|pageNumber|pageNo|pageIndex|pageNum|currentPage)$/i;

/**
 * An offset computed from a page number: `(page - 1) * pageSize`, `page * limit`, `pageIndex * 50`,
 * or a `const` holding one. Evidence for no-offset-pagination that the offset grows with the page.
 */
export function isPageOffset(node: AstNode, resolve?: (id: TSESTree.Identifier) => AstNode | undefined, depth = 0): boolean {
  if (depth > 4) return false;
  const n = unwrap(node);
  const mentionsPage = (x: AstNode): boolean => {
    const u = unwrap(x);
    if (PAGE_NAME.test(dottedName(u) ?? '')) return true;
    if (u.type === 'BinaryExpression' && (u.operator === '-' || u.operator === '+')) return mentionsPage(u.left) || mentionsPage(u.right);
    if (u.type === 'CallExpression') return u.arguments.some(mentionsPage);
    return false;
  };
  if (n.type === 'BinaryExpression' && n.operator === '*') return mentionsPage(n.left) || mentionsPage(n.right);
  if (n.type === 'Identifier') {
    const init = resolve?.(n);
    return init !== undefined && isPageOffset(init, resolve, depth + 1);
  }
  return false;
}

/**
 * How long a list value can be, as far as the code shows: `bounded` for an array literal without
 * spreads (`[a, b]`) or a constant; `unbounded` for an array built at run time (`ids`, `rows.map(...)`,
 * `[...ids]`, `Array.from(set)`). Evidence for rules about IN lists and = ANY($1). Undefined when unknown.
 */
export function listLength(node: AstNode, resolve?: (id: TSESTree.Identifier) => AstNode | undefined, depth = 0): 'bounded' | 'unbounded' | undefined {
  if (depth > 4) return undefined;
  const n = unwrap(node);
  switch (n.type) {
    case 'ArrayExpression':
      return n.elements.some((e) => e?.type === 'SpreadElement') ? 'unbounded' : 'bounded';
    case 'Identifier': {
      if (/^[A-Z][A-Z0-9_]*$/.test(n.name)) return 'bounded';
      const init = resolve?.(n);
      if (init) return listLength(init, resolve, depth + 1);
      return /(?:s|List|Array|Ids|IDs|Set)$/.test(n.name) ? 'unbounded' : undefined;
    }
    case 'CallExpression': {
      const callee = unwrap(n.callee);
      const name = dottedName(callee) ?? '';
      if (/^Array\.from$|\.(?:map|filter|flatMap|flat|concat|slice|keys|values)$/.test(name)) {
        // `ids.slice(0, 100)` is bounded by its arguments
        if (/\.slice$/.test(name) && n.arguments.length === 2) return 'bounded';
        return 'unbounded';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Everything the code shows about one bound value. */
export interface ValueEvidence extends BoundValue {
  /** The value starts with `%` or `_` (a LIKE pattern with a leading wildcard). */
  leadingWildcard: boolean;
  /** The value is an offset computed from a page number. */
  pageOffset: boolean;
  /** How long the value is when it is a list. */
  listLength?: 'bounded' | 'unbounded';
}

/**
 * Value evidence for every placeholder of a site whose value the code shows: the one place a rule
 * (or the core, attaching it to the comparison the placeholder fills) asks what a value holds.
 */
export function valueEvidence(site: SqlSite, embedded: EmbeddedSql, parentOf: (n: AstNode) => AstNode | null): ValueEvidence[] {
  if (!site.node) return [];
  const resolve = constResolver(parentOf, site.node);
  return boundValues(site, embedded, parentOf).map((b) => {
    const e = b.expr;
    // several operands in one placeholder: nothing the code shows as one value
    if (e.type === 'SequenceOfOperands') return { ...b, leadingWildcard: false, pageOffset: false };
    const length = listLength(e, resolve);
    return { ...b, leadingWildcard: startsWithWildcard(e, resolve), pageOffset: isPageOffset(e, resolve), ...(length ? { listLength: length } : {}) };
  });
}

/** The SQL model of an embedded text, for value-side checks (parsed again only when a value gives evidence). */
export function modelsOf(embedded: EmbeddedSql, dialect?: Dialect): StatementModel[] {
  const tryParse = (d: Dialect): StatementModel[] | undefined => {
    try {
      const parsed = parseText(embedded.sql, d);
      if (parsed.statements.some((s) => s.parser === 'none')) return undefined;
      return parsed.statements.map((s) => (s.parser === 'pg' ? buildPgModel(s, embedded.sql) : s.parser === 'nsp' ? buildNspModel(s, embedded.sql) : null)).filter((m): m is StatementModel => m !== null);
    } catch {
      return undefined;
    }
  };
  if (dialect) return tryParse(dialect) ?? [];
  const nonPg = embedded.holes.some((h) => /^\(?:p\d/.test(embedded.sql.slice(h.sql.start, h.sql.end)));
  return (nonPg ? tryParse('mysql') : (tryParse('postgresql') ?? tryParse('mysql'))) ?? [];
}

/** The LIKE-family predicates of the models, with their column. */
export function likePredicates(models: StatementModel[]): Predicate[] {
  return models.flatMap((m) => m.blocks.flatMap((b) => predicatesOf(b))).filter((p) => p.kind === 'like' && p.column !== null);
}

/**
 * The placeholder a pattern starts with: `$1`, `LOWER($1)`, `$1 || '%'`, `CAST($1 AS text)`, or
 * `'${pattern}...'` (its SQL range).
 */
export function patternHead(value: Expr | null): Range | undefined {
  if (!value) return undefined;
  const v = unwrapCast(value);
  if (v.type === 'param' || v.type === 'column' || v.type === 'literal') return v.range;
  if (v.type === 'func' && /^(?:lower|upper|concat|trim|ltrim|rtrim)$/.test(v.name) && v.args.length) return patternHead(v.args[0]!);
  if (v.type === 'binary' && (v.op === '||' || v.op === '+')) return patternHead(v.left);
  return undefined;
}

/** The bound value a pattern starts with, if the code shows it. */
export function valueAtHead(values: BoundValue[], head: Range): BoundValue | undefined {
  return values.find((b) => (b.via === 'text' ? b.sql.start === head.start + 1 : b.sql.start >= head.start && b.sql.end <= head.end));
}

export { constResolver };

// ---------------------------------------------------------------- query-builder calls

/** A LIKE comparison a query builder writes from its arguments. */
export interface BuilderLike {
  /** The call (`.where(...)`, `whereILike(...)`, `like(...)`), or the Sequelize `[Op.like]: v` property. */
  call: TSESTree.CallExpression | TSESTree.Property;
  /** Upper-case operator: LIKE, ILIKE, NOT LIKE, NOT ILIKE. */
  op: string;
  /** The column argument (a string literal or an expression). */
  column: AstNode;
  /** The pattern argument. */
  value: AstNode;
}

/** knex / kysely `where(col, 'like', v)` and its and/or/not/having forms. */
const WHERE_OP = /^(?:(?:and|or)?(?:W|w)here(?:Not)?|(?:and|or)?(?:H|h)aving(?:Not)?)$/;
/** knex `whereLike(col, v)`, `whereILike`, `andWhereILike`, `orWhereLike`, `havingLike`... */
const WHERE_LIKE = /^(?:(?:and|or)?(?:W|w)here|(?:and|or)?(?:H|h)aving)(Not)?(I?)Like$/;
/** drizzle `like(col, v)`, `ilike`, `notLike`, `notIlike` (a bare call or `ops.like`). */
const DRIZZLE_LIKE = /^(not)?(i)?like$/i;
/** Sequelize `{ [Op.like]: v }`, `Op.iLike`, `Op.notLike`, `Op.notILike`. */
const SEQUELIZE_OP = /^Op\.(not)?(i)?like$/i;

/** Every node of a tree, parents first (iterative). */
export function eachNode(root: AstNode, visit: (n: AstNode) => void): void {
  const stack: AstNode[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    visit(n);
    for (const slot of childSlots(n)) {
      if (Array.isArray(slot)) stack.push(...slot.reverse());
      else stack.push(slot);
    }
  }
}

export function stringValue(n: AstNode | undefined): string | undefined {
  if (!n) return undefined;
  const u = unwrap(n);
  if (isStringLiteral(u)) return u.value;
  if (u.type === 'TemplateLiteral' && u.expressions.length === 0) return cookedHead(u.quasis[0]);
  return undefined;
}

function likeOp(not: string | undefined, i: string | undefined): string {
  return `${not ? 'NOT ' : ''}${i ? 'ILIKE' : 'LIKE'}`;
}

/**
 * LIKE comparisons built by query builders in a program: knex and kysely `.where(col, 'ilike', v)`
 * (also andWhere/orWhere/whereNot/having), knex `.whereLike(col, v)` / `.whereILike(col, v)`,
 * drizzle `like(col, v)` / `ilike(col, v)`, Sequelize `{ [Op.like]: v }` under a column key.
 */
export function builderLikes(program: AstNode): BuilderLike[] {
  const out: BuilderLike[] = [];
  eachNode(program, (n) => {
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      const args = n.arguments;
      const [first, second, third] = args;
      const method = callee.type === 'MemberExpression' && !callee.computed ? memberName(callee) : callee.type === 'Identifier' ? callee.name : undefined;
      if (!method || !first || !second) return;
      if (callee.type === 'MemberExpression' && WHERE_OP.test(method) && args.length === 3 && third) {
        const op = stringValue(second)?.trim().replace(/\s+/g, ' ').toUpperCase();
        const m = op && /^(NOT )?(I)?LIKE$/.exec(op);
        if (m) out.push({ call: n, op: likeOp(m[1], m[2]), column: first, value: third });
        return;
      }
      const wl = callee.type === 'MemberExpression' ? WHERE_LIKE.exec(method) : null;
      if (wl && args.length === 2) {
        out.push({ call: n, op: likeOp(wl[1], wl[2]), column: first, value: second });
        return;
      }
      const dl = DRIZZLE_LIKE.exec(method);
      // drizzle's column is an expression (`users.name`), never a string
      if (dl && args.length === 2 && stringValue(first) === undefined) out.push({ call: n, op: likeOp(dl[1], dl[2]), column: first, value: second });
      return;
    }
    // `{ name: { [Op.like]: v } }`: the column is the key of the enclosing property
    const obj = n.type === 'Property' && !n.computed ? unwrap(n.value) : undefined;
    if (n.type === 'Property' && obj?.type === 'ObjectExpression') {
      for (const inner of obj.properties) {
        if (inner.type !== 'Property' || !inner.computed) continue;
        const m = SEQUELIZE_OP.exec(dottedName(inner.key) ?? '');
        if (m) out.push({ call: inner, op: likeOp(m[1], m[2]), column: n.key, value: inner.value });
      }
    }
  });
  return out;
}
