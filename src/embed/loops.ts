/**
 * Loops and queries without SQL text, for no-query-in-loop: polling/retry loops (a query per
 * attempt is not N+1), and query-builder / ORM calls that run a query (kysely, knex, drizzle,
 * Prisma), found in the JS/TS tree.
 */
import { dottedName, type EsNode } from './detect.js';
import { eachNode } from './hole-values.js';
import { unwrap } from './host-code.js';

/** Names in a loop's head that say it waits for something: `while (!done)`, `for (let attempt = 0; ...)`. */
const POLL_HEAD = /\b(?:attempts?|attemptNumber|retr(?:y|ies)\w*|tries|tried|poll\w*|done|finished|completed?|stop(?:ped)?|running|isRunning|keepGoing|backoff|timeout|deadline|Date\.now|performance\.now|signal\.aborted|aborted)\b/i;
/** Calls in a loop's body that wait between iterations. */
const WAITS = /\b(?:sleep|delay|wait|waitFor\w*|setTimeout|backoff|exponentialBackoff|pause|setImmediate)\s*\(/;

/** A polling or retry loop: its head names attempts, a done flag or a deadline, or its body sleeps between iterations. */
export function pollingLoop(loop: EsNode, code: string): boolean {
  if (!loop.range || !['WhileStatement', 'DoWhileStatement', 'ForStatement'].includes(loop.type)) return false;
  const body = loop.body as EsNode;
  const headParts = [loop.test, loop.init, loop.update].filter((x): x is EsNode => !!x && typeof x === 'object' && !!(x as EsNode).range);
  const head = headParts.map((x) => code.slice(x.range![0], x.range![1])).join(' ');
  if (POLL_HEAD.test(head)) return true;
  return !!body.range && WAITS.test(code.slice(body.range[0], body.range[1]));
}

/** A query that a builder or ORM call runs. */
export interface BuilderQuery {
  /** The outermost expression of the chain (the call that runs it). */
  node: EsNode;
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
  call: EsNode;
  property: EsNode;
}

/** `a.b(x).c(y).d()` as its calls from the root outwards, and the root (`a`, or `knex('t')`). */
function chainOf(node: EsNode): { root: EsNode; links: Link[] } {
  const links: Link[] = [];
  let n = node;
  for (;;) {
    if (n.type !== 'CallExpression') break;
    const callee = unwrap(n.callee as EsNode);
    if (callee.type !== 'MemberExpression' || callee.computed) break;
    const property = callee.property as EsNode;
    links.unshift({ method: property.name as string, call: n, property });
    n = unwrap(callee.object as EsNode);
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
export function builderQueries(program: EsNode, code: string, parent: (n: EsNode) => EsNode | null): BuilderQuery[] {
  const out: BuilderQuery[] = [];
  eachNode(program, (node) => {
    if (node.type !== 'CallExpression') return;
    // only the outermost call of a chain
    const p = parent(node);
    if (p?.type === 'MemberExpression' && p.object === node) {
      const pp = parent(p);
      const m = !p.computed ? ((p.property as EsNode).name as string) : '';
      // `.then(...)` runs the chain: the chain is judged at the call before it
      if (!(pp?.type === 'CallExpression' && pp.callee === p && m === 'then')) return;
    }
    const { root, links } = chainOf(node);
    if (!links.length || !node.range) return;
    const methods = links.map((l) => l.method);
    const last = links[links.length - 1]!;
    // `chain.then(...)`: judged at `chain`
    if (last.method === 'then' && links.length > 1) return;
    const source = (n: EsNode) => (n.range ? code.slice(n.range[0], n.range[1]) : '');
    const awaited = p?.type === 'AwaitExpression' || (p?.type === 'MemberExpression' && p.object === node) || returnedToAwait(node, parent);
    const rootName = dottedName(root);
    const head = root.type === 'CallExpression' ? root : links[0]!.call;
    const text = (what: string) => (head === last.call ? `${short(source(head))}` : `${short(source(head))}...${what}()`);
    // kysely: db.selectFrom('t')...execute()
    if (methods.some((m) => KYSELY_START.test(m)) && KYSELY_RUN.test(last.method)) {
      out.push({ node, range: range(last.property), call: text(last.method), kind: kindOf(methods) });
      return;
    }
    // Prisma: prisma.user.findUnique(...)
    if (links.length === 1 && PRISMA_OPS.test(last.method) && root.type === 'MemberExpression' && PRISMA_ROOT.test(dottedName(unwrap(root.object as EsNode)) ?? '')) {
      const callee = node.callee as EsNode;
      out.push({ node, range: range(callee), call: `${short(source(callee))}()`, kind: kindOf(methods) });
      return;
    }
    if (!awaited) return;
    // knex: await knex('users').where(...).first()
    if (root.type === 'CallExpression' && KNEX_ROOT.test(dottedName(root.callee as EsNode)?.split('.').pop() ?? '') && (root.arguments as EsNode[]).length >= 1 && isString((root.arguments as EsNode[])[0]!)) {
      out.push({ node, range: range(last.property), call: text(last.method), kind: kindOf(methods) });
      return;
    }
    // drizzle: await db.select().from(t).where(...)
    if (rootName && KNEX_ROOT.test(rootName.split('.').pop()!) && DRIZZLE_START.test(methods[0]!) && methods.slice(1).some((m) => DRIZZLE_NEXT.test(m))) {
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
function returnedToAwait(node: EsNode, parent: (n: EsNode) => EsNode | null): boolean {
  let fn: EsNode | null = null;
  const p = parent(node);
  if ((p?.type === 'ArrowFunctionExpression' || p?.type === 'FunctionExpression') && p.body === node) fn = p;
  else if (p?.type === 'ReturnStatement') {
    for (let n: EsNode | null = parent(p); n; n = parent(n)) {
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
  return outer?.type === 'AwaitExpression' || (outer?.type === 'CallExpression' && /^Promise\.(?:all|allSettled|race|any)$/.test(dottedName(outer.callee as EsNode) ?? ''));
}

function isString(n: EsNode): boolean {
  const u = unwrap(n);
  return (u.type === 'Literal' && typeof u.value === 'string') || u.type === 'TemplateLiteral';
}

function range(n: EsNode): { start: number; end: number } {
  return { start: n.range![0], end: n.range![1] };
}

/* ------------------------------------------------------------------------------------------------
 * N+1 evidence: where a loop's collection comes from, which names stand for its element, and
 * whether the body also does other I/O per element (an HTTP call, a queue publish).
 * --------------------------------------------------------------------------------------------- */

/** Where the collection a loop walks comes from. Only `query` and `input` are unbounded. */
export type CollectionSource = 'constant' | 'query' | 'input' | 'unknown';

type ParentOf = (n: EsNode) => EsNode | null;

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
export function patternNames(p: EsNode | null | undefined, out: Set<string> = new Set()): Set<string> {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier':
      out.add(p.name as string);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as EsNode[]) patternNames(prop.type === 'RestElement' ? (prop.argument as EsNode) : (prop.value as EsNode), out);
      break;
    case 'ArrayPattern':
      for (const e of p.elements as Array<EsNode | null>) patternNames(e, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left as EsNode, out);
      break;
    case 'RestElement':
      patternNames(p.argument as EsNode, out);
      break;
  }
  return out;
}

/** The root of `a.b[c].d`: `a` (or the first non-member expression). */
function memberRoot(n: EsNode): EsNode {
  let e = unwrap(n);
  while (e.type === 'MemberExpression' || (e.type === 'ChainExpression' && e.expression)) e = unwrap(e.type === 'ChainExpression' ? (e.expression as EsNode) : (e.object as EsNode));
  return e;
}

/** Where `name` is declared, seen from `at`: a parameter (of `fn`), a variable (with its pattern and init), an enum, a loop's element. */
type Declaration = { kind: 'param'; fn: EsNode } | { kind: 'var'; init: EsNode | undefined; id: EsNode } | { kind: 'enum' } | { kind: 'element'; loop: EsNode };

function declarationOf(name: string, at: EsNode, parent: ParentOf): Declaration | undefined {
  for (let child = at, scope = parent(at); scope; child = scope, scope = parent(scope)) {
    if (/Function/.test(scope.type)) {
      for (const p of (scope.params as EsNode[] | undefined) ?? []) if (patternNames(p).has(name)) return { kind: 'param', fn: scope };
    }
    if ((scope.type === 'ForOfStatement' || scope.type === 'ForInStatement') && scope.body === child) {
      const left = scope.left as EsNode;
      const ids = left.type === 'VariableDeclaration' ? patternNames((left.declarations as EsNode[])[0]?.id as EsNode) : patternNames(left);
      if (ids.has(name)) return { kind: 'element', loop: scope };
    }
    const body = scope.type === 'BlockStatement' || scope.type === 'Program' || scope.type === 'StaticBlock' ? (scope.body as EsNode[]) : undefined;
    if (!body) continue;
    for (const raw of body) {
      const stmt = raw.type === 'ExportNamedDeclaration' && raw.declaration ? (raw.declaration as EsNode) : raw;
      if (stmt.type === 'TSEnumDeclaration' && (stmt.id as EsNode).name === name) return { kind: 'enum' };
      if (stmt.type !== 'VariableDeclaration') continue;
      for (const d of stmt.declarations as EsNode[]) if (patternNames(d.id as EsNode).has(name)) return { kind: 'var', init: (d.init as EsNode | null) ?? undefined, id: d.id as EsNode };
    }
  }
  return undefined;
}

/** The collection an iterating callback's call walks: `xs` of `xs.map(fn)`; undefined for other functions. */
function iteratedBy(fn: EsNode, parent: ParentOf): EsNode | undefined {
  const call = parent(fn);
  if (call?.type !== 'CallExpression' || (call.arguments as EsNode[])[0] !== fn) return undefined;
  const callee = unwrap(call.callee as EsNode);
  if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
  return /^(?:forEach|map|flatMap|reduce|reduceRight|filter|some|every|find|findIndex)$/.test((callee.property as EsNode).name as string) ? (callee.object as EsNode) : undefined;
}

/** Does this (awaited) call run a query that returns rows? `db.query(...)`, `prisma.user.findMany()`, `knex('t').where(...)`, sql`...`. */
function runsQuery(n: EsNode): boolean {
  if (n.type === 'TaggedTemplateExpression') return /(?:^|\.)(?:sql|SQL|\$queryRaw|unsafe)$/.test(dottedName(n.tag as EsNode) ?? '');
  if (n.type !== 'CallExpression') return false;
  const { root, links } = chainOf(n);
  if (links.some((l) => QUERY_METHODS.test(l.method)) && !/^Promise$/.test(dottedName(root) ?? '')) return true;
  if (links.some((l) => PRISMA_OPS.test(l.method)) && root.type === 'MemberExpression' && PRISMA_ROOT.test(dottedName(unwrap(root.object as EsNode)) ?? '')) return true;
  return root.type === 'CallExpression' && KNEX_ROOT.test(dottedName(root.callee as EsNode)?.split('.').pop() ?? '') && isString((root.arguments as EsNode[])[0] ?? ({ type: 'Null' } as EsNode));
}

/**
 * Where the collection comes from: `constant` (an array or object literal, a const array of
 * literals, `Object.keys` of a constant object or enum, a `.filter()` of those), `query` (the rows
 * of an awaited query), `input` (a function's parameter, request data), else `unknown`.
 */
export function collectionSource(expr: EsNode, parent: ParentOf, depth = 0): CollectionSource {
  if (depth > 6) return 'unknown';
  let e = unwrap(expr);
  let awaited = false;
  while (e.type === 'AwaitExpression' || e.type === 'ChainExpression') {
    awaited ||= e.type === 'AwaitExpression';
    e = unwrap((e.type === 'AwaitExpression' ? e.argument : e.expression) as EsNode);
  }
  const again = (x: EsNode) => collectionSource(x, parent, depth + 1);
  switch (e.type) {
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'Literal':
    case 'TemplateLiteral':
      return 'constant';
    case 'NewExpression':
      return /^(?:Set|Map)$/.test(dottedName(e.callee as EsNode) ?? '') && (e.arguments as EsNode[])[0] ? again((e.arguments as EsNode[])[0]!) : 'unknown';
    case 'TaggedTemplateExpression':
      return awaited && runsQuery(e) ? 'query' : 'unknown';
    case 'CallExpression': {
      const name = dottedName(e.callee as EsNode) ?? '';
      const arg = (e.arguments as EsNode[])[0];
      if (/^(?:Object\.(?:keys|values|entries)|Array\.from|structuredClone)$/.test(name) && arg) return again(arg);
      if (awaited && runsQuery(e)) return 'query';
      const callee = unwrap(e.callee as EsNode);
      if (callee.type === 'MemberExpression' && !callee.computed && SAME_ORIGIN.test((callee.property as EsNode).name as string)) return again(callee.object as EsNode);
      return 'unknown';
    }
    case 'MemberExpression': {
      const full = dottedName(e) ?? '';
      const root = memberRoot(e);
      if (root.type === 'Identifier' && REQUEST_ROOT.test(root.name as string) && /\.(?:query|params|body|headers|input)\b/.test(full)) return 'input';
      // `result.rows`, `res[0]`, `TABLES.users`, `Status`: the object's origin
      if (root.type === 'Identifier' && /^[A-Z]/.test(root.name as string)) return 'constant';
      return again(e.object as EsNode);
    }
    case 'Identifier': {
      const name = e.name as string;
      if (UPPER_CASE.test(name)) return 'constant';
      const d = declarationOf(name, e, parent);
      if (!d) return 'unknown';
      if (d.kind === 'enum') return 'constant';
      if (d.kind === 'element') return again(d.loop.right as EsNode);
      if (d.kind === 'param') {
        const over = iteratedBy(d.fn, parent);
        return over ? again(over) : 'input';
      }
      if (!d.init) return 'unknown';
      // `const ids = []` filled later: not a constant
      if (d.init.type === 'ArrayExpression' && !(d.init.elements as unknown[]).length) return 'unknown';
      return again(d.init);
    }
    default:
      return 'unknown';
  }
}

/** A collection named like configuration (environments, eval configs, prompts, monitors): walked on purpose, one query each. */
export function configSized(collection: EsNode): boolean {
  const e = unwrap(collection);
  const name = e.type === 'CallExpression' ? dottedName(unwrap(e.callee as EsNode).type === 'MemberExpression' ? (unwrap(e.callee as EsNode).object as EsNode) : e) : dottedName(e);
  // any segment: `monitors.rows`, `this.config.environments`
  return (name ?? '').split('.').some((part) => CONFIG_SIZED.test(part));
}

/** Does the code in `body` (other than `except`) call out per element: an HTTP request, a queue publish, a mail? */
export function otherIo(body: EsNode, except: EsNode): boolean {
  let found = false;
  eachNode(body, (n) => {
    if (found || n === except || n.type !== 'CallExpression') return;
    const name = dottedName(unwrap(n.callee as EsNode)) ?? '';
    const parts = name.split('.');
    if (IO_LAST.test(parts[parts.length - 1]!) || IO_ROOT.test(parts[0]!) || (parts.length > 1 && /queue|publisher|producer|bus$/i.test(parts[parts.length - 2]!) && /^(?:add|addBulk|push)$/.test(parts[parts.length - 1]!))) found = true;
  });
  return found;
}

/** The loop's element as the query sees it: names bound per iteration, or `xs[i]` of an index loop. */
export interface LoopElement {
  names: Set<string>;
  /** The collection walked (undefined for an index loop until a value `xs[i]` names it). */
  collection?: EsNode;
  indexLoop: boolean;
}

export function loopElement(loop: EsNode): LoopElement {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') {
    const left = loop.left as EsNode;
    const names = left.type === 'VariableDeclaration' ? patternNames((left.declarations as EsNode[])[0]?.id as EsNode) : patternNames(left);
    return { names, collection: loop.right as EsNode, indexLoop: false };
  }
  if (loop.type === 'CallExpression') {
    const callee = unwrap(loop.callee as EsNode);
    const method = (callee.property as EsNode).name as string;
    const fn = (loop.arguments as EsNode[])[0]!;
    const param = (fn.params as EsNode[])[/^reduce/.test(method) ? 1 : 0];
    return { names: patternNames(param), collection: callee.object as EsNode, indexLoop: false };
  }
  return { names: new Set(), indexLoop: true };
}

/**
 * Is `expr` the element or a property of it (`id`, `u.id`, `xs[i].id`, `String(id)`)? For an index
 * loop, returns the collection `xs` of `xs[i]`. Looks into arrays, objects and one-argument calls.
 */
export function elementValue(expr: EsNode, el: LoopElement, depth = 0): { collection?: EsNode } | undefined {
  if (depth > 4 || !expr) return undefined;
  const e = unwrap(expr);
  const again = (x: EsNode | null | undefined) => (x ? elementValue(x, el, depth + 1) : undefined);
  switch (e.type) {
    case 'Identifier':
      return el.names.has(e.name as string) ? {} : undefined;
    case 'ChainExpression':
      return again(e.expression as EsNode);
    case 'MemberExpression': {
      // `xs[i]` in an index loop: the element of `xs`
      for (let m: EsNode = e; m.type === 'MemberExpression'; m = unwrap(m.object as EsNode)) {
        if (el.indexLoop && m.computed && (m.property as EsNode).type !== 'Literal') return { collection: m.object as EsNode };
      }
      const root = memberRoot(e);
      return root.type === 'Identifier' && el.names.has(root.name as string) ? {} : undefined;
    }
    case 'ArrayExpression':
      for (const x of e.elements as Array<EsNode | null>) {
        const r = again(x?.type === 'SpreadElement' ? (x.argument as EsNode) : x);
        if (r) return r;
      }
      return undefined;
    case 'ObjectExpression':
      for (const p of e.properties as EsNode[]) {
        const r = again(p.type === 'SpreadElement' ? (p.argument as EsNode) : (p.value as EsNode));
        if (r) return r;
      }
      return undefined;
    case 'CallExpression':
      return (e.arguments as EsNode[]).length === 1 ? again((e.arguments as EsNode[])[0]) : undefined;
    case 'TemplateLiteral':
      return (e.expressions as EsNode[]).length === 1 ? again((e.expressions as EsNode[])[0]) : undefined;
    default:
      return undefined;
  }
}

/** The `where` argument of a builder/ORM query: Prisma `{ where: {...} }`, arguments of `.where*()` links. */
export function builderKeyArgs(node: EsNode): EsNode[] {
  const { links } = chainOf(node);
  const out: EsNode[] = [];
  for (const l of links) {
    const args = l.call.arguments as EsNode[];
    if (/^(?:where|andWhere|whereIn|whereRaw|filter|find|first)$/.test(l.method)) out.push(...args);
    else if (PRISMA_OPS.test(l.method) || /^(?:findOne|findOneBy|findBy|findByPk|findOneOrFail)$/.test(l.method)) {
      const a = args[0] ? unwrap(args[0]) : undefined;
      if (a?.type === 'ObjectExpression') {
        for (const p of a.properties as EsNode[]) if (p.type === 'Property' && !p.computed && ((p.key as EsNode).name ?? (p.key as EsNode).value) === 'where') out.push(p.value as EsNode);
      } else if (a && /^(?:findByPk|findOneBy|findBy)$/.test(l.method)) out.push(a);
    }
  }
  // `eq(users.id, id)`: look into the calls a where argument is built from
  return out.flatMap((a) => {
    const u = unwrap(a);
    return u.type === 'CallExpression' ? [u, ...(u.arguments as EsNode[])] : [u];
  });
}
