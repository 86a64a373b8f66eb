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
