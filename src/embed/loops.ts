/**
 * Loops and queries without SQL text, for no-query-in-loop: polling/retry loops (a query per
 * attempt is not N+1), and query-builder / ORM calls that run a query (kysely, knex, drizzle,
 * Prisma), found in the JS/TS tree.
 */
import { dottedName } from './detect.js';
import { isFunctionNode, isStringLiteral, memberName, type AstNode, type FunctionNode, type TSESTree } from './estree.js';
import { eachNode } from './hole-values.js';
import { unwrap } from './host-code.js';

/** Names in a loop's head that say it waits for something: `while (!done)`, `for (let attempt = 0; ...)`. */
const POLL_HEAD = /\b(?:attempts?|attemptNumber|retr(?:y|ies)\w*|tries|tried|poll\w*|done|finished|completed?|stop(?:ped)?|running|isRunning|keepGoing|backoff|timeout|deadline|Date\.now|performance\.now|signal\.aborted|aborted)\b/i;
/** Calls in a loop's body that wait between iterations. */
const WAITS = /\b(?:sleep|delay|wait|waitFor\w*|setTimeout|backoff|exponentialBackoff|pause|setImmediate)\s*\(/;

/** A polling or retry loop: its head names attempts, a done flag or a deadline, or its body sleeps between iterations. */
export function pollingLoop(loop: AstNode, code: string): boolean {
  if (loop.type !== 'WhileStatement' && loop.type !== 'DoWhileStatement' && loop.type !== 'ForStatement') return false;
  const body = loop.body;
  const headParts = (loop.type === 'ForStatement' ? [loop.test, loop.init, loop.update] : [loop.test]).flatMap((x) => (x ? [x] : []));
  const head = headParts.map((x) => code.slice(x.range[0], x.range[1])).join(' ');
  if (POLL_HEAD.test(head)) return true;
  return !!body.range && WAITS.test(code.slice(body.range[0], body.range[1]));
}

/** A query that a builder or ORM call runs. */
export interface BuilderQuery {
  /** The outermost expression of the chain (the call that runs it). */
  node: AstNode;
  /** Where to report: the terminal method (`executeTakeFirst`) or the ORM callee (`prisma.user.findUnique`). */
  range: { start: number; end: number };
  /** Short text for messages: `db.selectFrom('users')...executeTakeFirst()`. */
  call: string;
  kind: 'select' | 'insert' | 'write';
}

const KYSELY_START = /^(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/;
const KYSELY_RUN = /^(?:execute|executeTakeFirst|executeTakeFirstOrThrow|stream)$/;
const DRIZZLE_START = /^(?:select|selectDistinct|selectDistinctOn|insert|update|delete)$/;
const DRIZZLE_NEXT = /^(?:from|values|set|where|returning|onConflictDoUpdate|onConflictDoNothing|innerJoin|leftJoin)$/;
const KNEX_ROOT = /^(?:knex|db|trx|tx|database|qb|k)$/i;
const PRISMA_ROOT = /(?:^|\.)(?:prisma|tx|trx)$/i;
const PRISMA_OPS = /^(?:findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)$/;
const INSERTS = /^(?:insert|insertInto|create|createMany|createManyAndReturn|replaceInto)$/;
const WRITES = /^(?:update|updateTable|updateMany|upsert|delete|del|deleteFrom|deleteMany|set|increment|decrement|mergeInto)$/;

interface Link {
  method: string;
  call: TSESTree.CallExpression;
  property: TSESTree.MemberExpression['property'];
}

/** `a.b(x).c(y).d()` as its calls from the root outwards, and the root (`a`, or `knex('t')`). */
function chainOf(node: AstNode): { root: AstNode; links: Link[] } {
  const links: Link[] = [];
  let n = node;
  for (;;) {
    if (n.type !== 'CallExpression') break;
    const callee = unwrap(n.callee);
    if (callee.type !== 'MemberExpression' || callee.computed) break;
    const property = callee.property;
    links.unshift({ method: memberName(callee) ?? '', call: n, property });
    n = unwrap(callee.object);
  }
  return { root: n, links };
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

function kindOf(methods: string[]): BuilderQuery['kind'] {
  if (methods.some((m) => INSERTS.test(m))) return 'insert';
  if (methods.some((m) => WRITES.test(m))) return 'write';
  return 'select';
}

/**
 * Builder and ORM calls that run a query: a kysely chain ending in `execute*()`, an awaited knex
 * chain on `knex('table')` / `db('table')`, an awaited drizzle `db.select().from(...)` /
 * `db.insert(t).values(...)` chain, a Prisma `prisma.model.findUnique(...)`. A chain only built
 * (not awaited, executed or returned from an iterating callback) is not counted.
 */
export function builderQueries(program: AstNode, code: string, parent: (n: AstNode) => AstNode | null): BuilderQuery[] {
  const out: BuilderQuery[] = [];
  eachNode(program, (node) => {
    if (node.type !== 'CallExpression') return;
    // only the outermost call of a chain
    const p = parent(node);
    if (p?.type === 'MemberExpression' && p.object === node) {
      const pp = parent(p);
      const m = !p.computed ? memberName(p) : '';
      // `.then(...)` runs the chain: the chain is judged at the call before it
      if (!(pp?.type === 'CallExpression' && pp.callee === p && m === 'then')) return;
    }
    const { root, links } = chainOf(node);
    const [firstLink] = links;
    const last = links[links.length - 1];
    if (!firstLink || !last) return;
    const methods = links.map((l) => l.method);
    // `chain.then(...)`: judged at `chain`
    if (last.method === 'then' && links.length > 1) return;
    const source = (n: AstNode) => code.slice(n.range[0], n.range[1]);
    const awaited = p?.type === 'AwaitExpression' || (p?.type === 'MemberExpression' && p.object === node) || returnedToAwait(node, parent);
    const rootName = dottedName(root);
    const head = root.type === 'CallExpression' ? root : firstLink.call;
    const text = (what: string) => (head === last.call ? `${short(source(head))}` : `${short(source(head))}...${what}()`);
    // kysely: db.selectFrom('t')...execute()
    if (methods.some((m) => KYSELY_START.test(m)) && KYSELY_RUN.test(last.method)) {
      out.push({ node, range: range(last.property), call: text(last.method), kind: kindOf(methods) });
      return;
    }
    // Prisma: prisma.user.findUnique(...)
    if (links.length === 1 && PRISMA_OPS.test(last.method) && root.type === 'MemberExpression' && PRISMA_ROOT.test(dottedName(unwrap(root.object)) ?? '')) {
      const callee = node.callee;
      out.push({ node, range: range(callee), call: `${short(source(callee))}()`, kind: kindOf(methods) });
      return;
    }
    if (!awaited) return;
    // knex: await knex('users').where(...).first()
    if (root.type === 'CallExpression' && KNEX_ROOT.test(dottedName(root.callee)?.split('.').pop() ?? '') && isString(root.arguments[0])) {
      out.push({ node, range: range(last.property), call: text(last.method), kind: kindOf(methods) });
      return;
    }
    // drizzle: await db.select().from(t).where(...)
    if (rootName && KNEX_ROOT.test(rootName.slice(rootName.lastIndexOf('.') + 1)) && DRIZZLE_START.test(firstLink.method) && methods.slice(1).some((m) => DRIZZLE_NEXT.test(m))) {
      out.push({ node, range: range(last.property), call: text(last.method), kind: kindOf(methods) });
    }
  });
  return out;
}

/**
 * Returned from a callback whose results are awaited: `await Promise.all(ids.map((id) => chain))`,
 * `await Promise.all(ids.map(async (id) => { return chain; }))`. A callback that only builds
 * queries for later (`const qs = ids.map((id) => chain)`) is not.
 */
function returnedToAwait(node: AstNode, parent: (n: AstNode) => AstNode | null): boolean {
  let fn: AstNode | null = null;
  const p = parent(node);
  if ((p?.type === 'ArrowFunctionExpression' || p?.type === 'FunctionExpression') && p.body === node) fn = p;
  else if (p?.type === 'ReturnStatement') {
    for (let n: AstNode | null = parent(p); n; n = parent(n)) {
      if (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') {
        fn = n;
        break;
      }
    }
  }
  if (!fn) return false;
  const iter = parent(fn);
  if (iter?.type !== 'CallExpression') return false;
  const outer = parent(iter);
  return outer?.type === 'AwaitExpression' || (outer?.type === 'CallExpression' && /^Promise\.(?:all|allSettled|race|any)$/.test(dottedName(outer.callee) ?? ''));
}

function isString(n: AstNode | undefined): boolean {
  const u = n && unwrap(n);
  return isStringLiteral(u) || u?.type === 'TemplateLiteral';
}

function range(n: AstNode): { start: number; end: number } {
  return { start: n.range[0], end: n.range[1] };
}

/* ------------------------------------------------------------------------------------------------
 * N+1 evidence: where a loop's collection comes from, which names stand for its element, and
 * whether the body also does other I/O per element (an HTTP call, a queue publish).
 * --------------------------------------------------------------------------------------------- */

/** Where the collection a loop walks comes from. Only `query` and `input` are unbounded. */
export type CollectionSource = 'constant' | 'query' | 'input' | 'unknown';

type ParentOf = (n: AstNode) => AstNode | null;

const UPPER_CASE = /^[A-Z][A-Z0-9_]*$/;
/** Array methods that keep the collection's origin (and its bound on size). */
const SAME_ORIGIN = /^(?:filter|slice|map|flatMap|flat|sort|toSorted|reverse|toReversed|concat|entries|keys|values|splice)$/;
/** Names of collections of configuration size: the environments of a deploy, eval configs, monitors of a daily job. */
const CONFIG_SIZED = /(?:^|[a-z_])(?:env|envs|environments?|configs?|configurations?|settings|prompts?|monitors?|schemas?|shards?|regions?|databases?|tenants?|locales?|languages?|providers?|plugins?|migrations?|queues?|crons?|cronJobs?|jobs?|partitions?|webhooks?|integrations?|tables?|columns?|indexes|indices|seeds?|fixtures?)$/i;
/** Request data: `req.body.ids`, `ctx.request.query.x`, `event.body`. */
const REQUEST_ROOT = /^(?:req|request|ctx|event|c\.req|input|body|payload)$/;
/** Methods that run a query and return rows (drivers, ORMs, builders) when awaited. */
const QUERY_METHODS = /^(?:query|execute|executeTakeFirst|executeTakeFirstOrThrow|all|many|any|manyOrNone|select|findMany|findAll|findBy|find|getMany|getRawMany|\$queryRaw|\$queryRawUnsafe|queryRaw|rawQuery|queryRows|queryAll|getRows|unsafe)$/;
/** Per-element I/O that a query batch cannot absorb: HTTP calls, queue publishes, mail, object storage. */
const IO_LAST = /^(?:fetch|post|put|patch|publish|publishMessage|enqueue|send|sendMessage|sendBatch|sendMail|sendEmail|sendNotification|notify|emit|dispatch|invoke|trigger|upload|putObject|getObject|deleteObject|request|webhook|callWebhook|postMessage)$/;
const IO_ROOT = /^(?:axios|got|fetch|ky|superagent|needle|http|https|s3|sqs|sns|queue|\w*Queue|producer|kafka|pubsub|redis|stripe|openai|anthropic|mailer|transporter|resend|slack|octokit|github)$/;

/** The names a binding pattern declares: `x`, `{ id, user: u }`, `[a, b]`, `...rest`. */
export function patternNames(p: AstNode | null | undefined, out: Set<string> = new Set()): Set<string> {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier':
      out.add(p.name);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out);
      break;
    case 'ArrayPattern':
      for (const e of p.elements) patternNames(e, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left, out);
      break;
    case 'RestElement':
      patternNames(p.argument, out);
      break;
  }
  return out;
}

/** The root of `a.b[c].d`: `a` (or the first non-member expression). */
function memberRoot(n: AstNode): AstNode {
  let e = unwrap(n);
  while (e.type === 'MemberExpression' || (e.type === 'ChainExpression' && e.expression)) e = unwrap(e.type === 'ChainExpression' ? e.expression : e.object);
  return e;
}

/** Where `name` is declared, seen from `at`: a parameter (of `fn`), a variable (with its pattern and init), an enum, a loop's element. */
type Declaration = { kind: 'param'; fn: FunctionNode } | { kind: 'var'; init: TSESTree.Expression | undefined; id: AstNode } | { kind: 'enum' } | { kind: 'element'; loop: TSESTree.ForOfStatement | TSESTree.ForInStatement };

function declarationOf(name: string, at: AstNode, parent: ParentOf): Declaration | undefined {
  for (let child = at, scope = parent(at); scope; child = scope, scope = parent(scope)) {
    if (isFunctionNode(scope)) {
      for (const p of scope.params) if (patternNames(p).has(name)) return { kind: 'param', fn: scope };
    }
    if ((scope.type === 'ForOfStatement' || scope.type === 'ForInStatement') && scope.body === child) {
      const left = scope.left;
      const ids = left.type === 'VariableDeclaration' ? patternNames(left.declarations[0]?.id) : patternNames(left);
      if (ids.has(name)) return { kind: 'element', loop: scope };
    }
    const body = scope.type === 'BlockStatement' || scope.type === 'Program' || scope.type === 'StaticBlock' ? scope.body : undefined;
    if (!body) continue;
    for (const raw of body) {
      const stmt = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw;
      if (stmt.type === 'TSEnumDeclaration' && stmt.id.name === name) return { kind: 'enum' };
      if (stmt.type !== 'VariableDeclaration') continue;
      for (const d of stmt.declarations) if (patternNames(d.id).has(name)) return { kind: 'var', init: d.init ?? undefined, id: d.id };
    }
  }
  return undefined;
}

/** The collection an iterating callback's call walks: `xs` of `xs.map(fn)`; undefined for other functions. */
function iteratedBy(fn: FunctionNode, parent: ParentOf): AstNode | undefined {
  const call = parent(fn);
  if (call?.type !== 'CallExpression' || call.arguments[0] !== fn) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
  return /^(?:forEach|map|flatMap|reduce|reduceRight|filter|some|every|find|findIndex)$/.test(memberName(callee) ?? '') ? callee.object : undefined;
}

/** Does this (awaited) call run a query that returns rows? `db.query(...)`, `prisma.user.findMany()`, `knex('t').where(...)`, sql`...`. */
function runsQuery(n: AstNode): boolean {
  if (n.type === 'TaggedTemplateExpression') return /(?:^|\.)(?:sql|SQL|\$queryRaw|unsafe)$/.test(dottedName(n.tag) ?? '');
  if (n.type !== 'CallExpression') return false;
  const { root, links } = chainOf(n);
  if (links.some((l) => QUERY_METHODS.test(l.method)) && !/^Promise$/.test(dottedName(root) ?? '')) return true;
  if (links.some((l) => PRISMA_OPS.test(l.method)) && root.type === 'MemberExpression' && PRISMA_ROOT.test(dottedName(unwrap(root.object)) ?? '')) return true;
  return root.type === 'CallExpression' && KNEX_ROOT.test(dottedName(root.callee)?.split('.').pop() ?? '') && isString(root.arguments[0]);
}

/**
 * Where the collection comes from: `constant` (an array or object literal, a const array of
 * literals, `Object.keys` of a constant object or enum, a `.filter()` of those), `query` (the rows
 * of an awaited query), `input` (a function's parameter, request data), else `unknown`.
 */
export function collectionSource(expr: AstNode, parent: ParentOf, depth = 0): CollectionSource {
  if (depth > 6) return 'unknown';
  let e = unwrap(expr);
  let awaited = false;
  while (e.type === 'AwaitExpression' || e.type === 'ChainExpression') {
    awaited ||= e.type === 'AwaitExpression';
    e = unwrap(e.type === 'AwaitExpression' ? e.argument : e.expression);
  }
  const again = (x: AstNode) => collectionSource(x, parent, depth + 1);
  switch (e.type) {
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'Literal':
    case 'TemplateLiteral':
      return 'constant';
    case 'NewExpression':
      const first = e.arguments[0];
      return /^(?:Set|Map)$/.test(dottedName(e.callee) ?? '') && first ? again(first) : 'unknown';
    case 'TaggedTemplateExpression':
      return awaited && runsQuery(e) ? 'query' : 'unknown';
    case 'CallExpression': {
      const name = dottedName(e.callee) ?? '';
      const arg = e.arguments[0];
      if (/^(?:Object\.(?:keys|values|entries)|Array\.from|structuredClone)$/.test(name) && arg) return again(arg);
      if (awaited && runsQuery(e)) return 'query';
      const callee = unwrap(e.callee);
      if (callee.type === 'MemberExpression' && !callee.computed && SAME_ORIGIN.test(memberName(callee) ?? '')) return again(callee.object);
      return 'unknown';
    }
    case 'MemberExpression': {
      const full = dottedName(e) ?? '';
      const root = memberRoot(e);
      if (root.type === 'Identifier' && REQUEST_ROOT.test(root.name) && /\.(?:query|params|body|headers|input)\b/.test(full)) return 'input';
      // `result.rows`, `res[0]`, `TABLES.users`, `Status`: the object's origin
      if (root.type === 'Identifier' && /^[A-Z]/.test(root.name)) return 'constant';
      return again(e.object);
    }
    case 'Identifier': {
      const name = e.name;
      if (UPPER_CASE.test(name)) return 'constant';
      const d = declarationOf(name, e, parent);
      if (!d) return 'unknown';
      if (d.kind === 'enum') return 'constant';
      if (d.kind === 'element') return again(d.loop.right);
      if (d.kind === 'param') {
        const over = iteratedBy(d.fn, parent);
        return over ? again(over) : 'input';
      }
      if (!d.init) return 'unknown';
      // `const ids = []` filled later: not a constant
      if (d.init.type === 'ArrayExpression' && !d.init.elements.length) return 'unknown';
      return again(d.init);
    }
    default:
      return 'unknown';
  }
}

/** A collection named like configuration (environments, eval configs, prompts, monitors): walked on purpose, one query each. */
export function configSized(collection: AstNode): boolean {
  const e = unwrap(collection);
  const callee = e.type === 'CallExpression' ? unwrap(e.callee) : undefined;
  const name = dottedName(callee?.type === 'MemberExpression' ? callee.object : e);
  // any segment: `monitors.rows`, `this.config.environments`
  return (name ?? '').split('.').some((part) => CONFIG_SIZED.test(part));
}

/** Does the code in `body` (other than `except`) call out per element: an HTTP request, a queue publish, a mail? */
export function otherIo(body: AstNode, except: AstNode): boolean {
  let found = false;
  eachNode(body, (n) => {
    if (found || n === except || n.type !== 'CallExpression') return;
    const name = dottedName(unwrap(n.callee)) ?? '';
    const parts = name.split('.');
    const [first = '', last = '', beforeLast = ''] = [parts[0], parts[parts.length - 1], parts[parts.length - 2]];
    if (IO_LAST.test(last) || IO_ROOT.test(first) || (parts.length > 1 && /queue|publisher|producer|bus$/i.test(beforeLast) && /^(?:add|addBulk|push)$/.test(last))) found = true;
  });
  return found;
}

/** The loop's element as the query sees it: names bound per iteration, or `xs[i]` of an index loop. */
export interface LoopElement {
  names: Set<string>;
  /** The collection walked (undefined for an index loop until a value `xs[i]` names it). */
  collection?: AstNode;
  indexLoop: boolean;
}

export function loopElement(loop: AstNode): LoopElement {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') {
    const left = loop.left;
    const names = left.type === 'VariableDeclaration' ? patternNames(left.declarations[0]?.id) : patternNames(left);
    return { names, collection: loop.right, indexLoop: false };
  }
  if (loop.type === 'CallExpression') {
    // `xs.forEach((x) => ...)`, `xs.reduce((acc, x) => ...)`: the callback's element parameter
    const callee = unwrap(loop.callee);
    const method = callee.type === 'MemberExpression' ? (memberName(callee) ?? '') : '';
    const fn = loop.arguments[0];
    const param = fn && isFunctionNode(fn) ? fn.params[/^reduce/.test(method) ? 1 : 0] : undefined;
    return { names: patternNames(param), collection: callee.type === 'MemberExpression' ? callee.object : undefined, indexLoop: false };
  }
  return { names: new Set(), indexLoop: true };
}

/**
 * Is `expr` the element or a property of it (`id`, `u.id`, `xs[i].id`, `String(id)`)? For an index
 * loop, returns the collection `xs` of `xs[i]`. Looks into arrays, objects and one-argument calls.
 */
export function elementValue(expr: AstNode, el: LoopElement, depth = 0): { collection?: AstNode } | undefined {
  if (depth > 4 || !expr) return undefined;
  const e = unwrap(expr);
  const again = (x: AstNode | null | undefined) => (x ? elementValue(x, el, depth + 1) : undefined);
  switch (e.type) {
    case 'Identifier':
      return el.names.has(e.name) ? {} : undefined;
    case 'ChainExpression':
      return again(e.expression);
    case 'MemberExpression': {
      // `xs[i]` in an index loop: the element of `xs`
      for (let m: AstNode = e; m.type === 'MemberExpression'; m = unwrap(m.object)) {
        if (el.indexLoop && m.computed && m.property.type !== 'Literal') return { collection: m.object };
      }
      const root = memberRoot(e);
      return root.type === 'Identifier' && el.names.has(root.name) ? {} : undefined;
    }
    case 'ArrayExpression':
      for (const x of e.elements) {
        const r = again(x?.type === 'SpreadElement' ? x.argument : x);
        if (r) return r;
      }
      return undefined;
    case 'ObjectExpression':
      for (const p of e.properties) {
        const r = again(p.type === 'SpreadElement' ? p.argument : p.value);
        if (r) return r;
      }
      return undefined;
    case 'CallExpression':
      return e.arguments.length === 1 ? again(e.arguments[0]) : undefined;
    case 'TemplateLiteral':
      return e.expressions.length === 1 ? again(e.expressions[0]) : undefined;
    default:
      return undefined;
  }
}

/** The name of a non-computed property key: `where` of `where:` or `'where':`. */
function keyName(key: TSESTree.PropertyName): string | number | bigint | boolean | RegExp | null | undefined {
  return key.type === 'Identifier' ? key.name : key.type === 'Literal' ? key.value : undefined;
}

/** The value of a `where:` property of an object literal (Prisma `{ where: {...} }`), onto `out`. */
function pushWhere(o: TSESTree.ObjectExpression, out: AstNode[]): void {
  for (const p of o.properties) if (p.type === 'Property' && !p.computed && keyName(p.key) === 'where') out.push(p.value);
}

/** The `where` argument of a builder/ORM query: Prisma `{ where: {...} }`, arguments of `.where*()` links. */
export function builderKeyArgs(node: AstNode): AstNode[] {
  const { links } = chainOf(node);
  const out: AstNode[] = [];
  for (const l of links) {
    const args = l.call.arguments;
    if (/^(?:where|andWhere|whereIn|whereRaw|filter|find|first)$/.test(l.method)) out.push(...args);
    else if (PRISMA_OPS.test(l.method) || /^(?:findOne|findOneBy|findBy|findByPk|findOneOrFail)$/.test(l.method)) {
      const a = args[0] ? unwrap(args[0]) : undefined;
      if (a?.type === 'ObjectExpression') pushWhere(a, out);
      else if (a && /^(?:findByPk|findOneBy|findBy)$/.test(l.method)) out.push(a);
    }
  }
  // `eq(users.id, id)`: look into the calls a where argument is built from
  return out.flatMap((a): AstNode[] => {
    const u = unwrap(a);
    return u.type === 'CallExpression' ? [u, ...u.arguments] : [u];
  });
}
