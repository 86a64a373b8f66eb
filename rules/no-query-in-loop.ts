import { dottedName, type SiteCall, type SqlSite } from '../src/embed/detect.js';
import { isStringLiteral, memberName, type AstNode, type TSESTree } from '../src/embed/estree.js';
import { withValueCheck } from '../src/embed/hole-values.js';
import { holeExpression, unwrap } from '../src/embed/host-code.js';
import { holeShapes } from '../src/embed/hole-shapes.js';
import { builderKeyArgs, builderQueries, collectionSource, configSized, elementValue, loopElement, otherIo, pollingLoop, type LoopElement } from '../src/embed/loops.js';
import { defineHostRule } from '../src/rule.js';

type LoopStatement = TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement;

const LOOPS: Record<LoopStatement['type'], string> = {
  ForStatement: 'for loop',
  ForOfStatement: 'for...of loop',
  ForInStatement: 'for...in loop',
  WhileStatement: 'while loop',
  DoWhileStatement: 'do...while loop',
};

function isLoop(n: AstNode): n is LoopStatement {
  return Object.hasOwn(LOOPS, n.type);
}

/** A loop statement, or the call of an iterating callback (`xs.map((x) => ...)`). */
type Loop = LoopStatement | TSESTree.CallExpression;

/** Array methods whose callback runs once per element. */
const ITERATORS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex']);

/** Names that run SQL on a connection (`db.run(...)`) but are some local function when bare (`run(...)`). */
const WEAK = new Set(['get', 'all', 'run', 'exec', 'getAll', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'execute']);

/**
 * Loops that already batch: over chunks or pages (`for (const chunk of chunks)`, `i += BATCH`),
 * or a paged read (`while (...) { ... LIMIT ... }`, each page after the last one's key).
 */
function batchingLoop(loop: AstNode, sql: string): boolean {
  if (/\blimit\b/i.test(sql) && ['WhileStatement', 'DoWhileStatement', 'ForStatement'].includes(loop.type)) return true;
  if (loop.type === 'ForOfStatement') {
    const over = dottedName(unwrap(loop.right)) ?? '';
    const left = loop.left;
    const each = left.type === 'VariableDeclaration' ? dottedName(left.declarations[0]?.id) : undefined;
    if (/chunk|batch|page|slice|group/i.test(`${over} ${each ?? ''}`)) return true;
  }
  if (loop.type === 'ForStatement') {
    const update = loop.update;
    if (update?.type === 'AssignmentExpression' && update.operator === '+=' && !(update.right.type === 'Literal' && update.right.value === 1)) return true;
  }
  return false;
}

/** Tags that run the query (others build fragments: drizzle/slonik/Prisma.sql, or run only when awaited). */
const RUNNING_TAGS = new Set(['$queryRaw', '$executeRaw', 'sql.unsafe']);

/** Names of calls that run SQL handed to them (drivers and their common wrappers). */
const RUNS_SQL = /^(?:query|execute|exec|run|all|get|one|many|any|none|oneOrNone|manyOrNone|getAll|\$queryRaw(?:Unsafe)?|\$executeRaw(?:Unsafe)?|unsafe|executeSql|runSql|execSql|rawQuery|pagedRawQuery|queryRaw|queryOne|queryRows|queryAll|getRows?|getCell|getValue|getOne|getFirst|select|insert|update|delete)$/;

/** The argument of `call` that holds `node` (itself, or a branch of a conditional). */
function argumentOf(call: TSESTree.CallExpression, node: AstNode, parent: (n: AstNode) => AstNode | null): AstNode | undefined {
  for (let n: AstNode | null = node, depth = 0; n && depth < 3; n = parent(n), depth++) {
    if (call.arguments.some((a) => a === n)) return n;
    const p = parent(n);
    // node-postgres' and mysql2's query config object (`{ text: \`...\`, values }`) holds the SQL too
    if (!p || !['ConditionalExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'Property', 'ObjectExpression'].includes(p.type)) return undefined;
  }
  return undefined;
}

/** Does this call run SQL given to it? `db.query(...)`, `pool.query(sql`...`)`, `execute(conn, `...`)`; not `raw()`, `prepare()`, knex `*Raw` fragments (RUNS_SQL names none of them). */
function runsSql(call: TSESTree.CallExpression, sqlArg: AstNode): boolean {
  const name = dottedName(call.callee)?.split('.').pop();
  if (!name || !RUNS_SQL.test(name)) return false;
  // a bare `run(...)`, `get(...)` is some local function; `db.run(...)` is a query, and so is `execute(conn, sql)` (a driver wrapper: the connection first)
  if (WEAK.has(name) && unwrap(call.callee).type !== 'MemberExpression') return call.arguments[0] !== sqlArg;
  return true;
}

/** The call that runs the site's SQL, or undefined when the site only builds SQL. */
function queryCall(site: SqlSite, parent: (n: AstNode) => AstNode | null): SiteCall | undefined {
  const call = site.call;
  if (!call) return undefined;
  if (call.type === 'TaggedTemplateExpression') {
    const tag = site.via.slice(4);
    if (RUNNING_TAGS.has(tag)) return call;
    const p = parent(call);
    // `pool.query(sql`...`)`, `db.execute(sql`...`)`: the tag builds a query object, the call runs it
    if (p?.type === 'CallExpression' && p.arguments.some((a) => a === call) && runsSql(p, call)) return p;
    // postgres.js / @vercel/postgres `sql` run when awaited, and so does a statement under a tag of another name (`tx\`...\``)
    return p?.type === 'AwaitExpression' && (tag === 'sql' || tag === 'SQL' || site.via === 'tag-shape') ? call : undefined;
  }
  if (call.type !== 'CallExpression' || !site.node) return undefined;
  // the SQL is an argument of the call (any position), or a variable holding it is
  const arg = argumentOf(call, site.node, parent) ?? call.arguments.find((a) => unwrap(a).type === 'Identifier');
  if (!arg) return undefined;
  return runsSql(call, arg) ? call : undefined;
}

/** A hole where a table name stands (`DELETE FROM ${table}`): each iteration touches another table, not N+1. */
function tableInHole(site: SqlSite): boolean {
  return holeShapes(site).some((h) => h.kind !== 'join' && /\b(?:from|into|update|join|table|truncate|only)\s*(?:"?\w+"?\s*\.\s*)?$/i.test(h.before));
}

/** The loop (or iterating callback) the node runs in, within its function; undefined when none. */
function enclosingLoop(node: AstNode, parent: (n: AstNode) => AstNode | null): { kind: string; node: Loop } | undefined {
  let child = node;
  for (let p = parent(node); p; child = p, p = parent(p)) {
    // only the body repeats (the iterable of for...of and the init of for run once)
    if (isLoop(p) && p.body === child) return { kind: LOOPS[p.type], node: p };
    if (p.type === 'ArrowFunctionExpression' || p.type === 'FunctionExpression') {
      const call = parent(p);
      if (call?.type === 'CallExpression' && call.arguments[0] === p) {
        const callee = unwrap(call.callee);
        const method = callee.type === 'MemberExpression' && !callee.computed ? memberName(callee) : undefined;
        if (method && ITERATORS.has(method)) return { kind: `.${method}() callback`, node: call };
      }
      return undefined;
    }
    if (p.type === 'FunctionDeclaration' || p.type === 'Program' || p.type === 'ClassBody') return undefined;
  }
  return undefined;
}


/** The body that repeats: the loop's body, or the iterating callback's body. */
function repeatedBody(loop: Loop): AstNode {
  if (loop.type === 'CallExpression') {
    const fn = loop.arguments[0];
    return fn?.type === 'ArrowFunctionExpression' || fn?.type === 'FunctionExpression' ? fn.body : loop;
  }
  return loop.body;
}

/**
 * Is this a real N+1: the query takes the element (or its property) as a bound value, over a
 * collection of unbounded size (rows of a query, a parameter, request data) that is not named like
 * configuration, and the body does no other per-element I/O (HTTP, queue) that a batch could not absorb?
 */
function realNPlusOne(loop: Loop, call: AstNode, values: AstNode[], parent: (n: AstNode) => AstNode | null, from: 'any' | 'query'): boolean {
  const el: LoopElement = loopElement(loop);
  let collection = el.collection;
  let keyed = false;
  for (const v of values) {
    const hit = elementValue(v, el);
    if (!hit) continue;
    keyed = true;
    collection ??= hit.collection;
    if (collection) break;
  }
  if (!keyed || !collection) return false;
  if (configSized(collection)) return false;
  const source = collectionSource(collection, parent);
  if (source !== 'query' && (from === 'query' || source !== 'input')) return false;
  return !otherIo(repeatedBody(loop), call);
}

/** The values a site's query binds or interpolates: `${}` holes, and the call's other arguments (the parameter array). */
function boundValues(site: SqlSite, call: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const h of site.holes) {
    const e = holeExpression(site, h);
    if (e?.type === 'SequenceOfOperands') out.push(...e.operands);
    else if (e) out.push(e);
  }
  if (call.type === 'CallExpression') for (const a of call.arguments) if (a !== site.node && a !== site.call && a.type !== 'TemplateLiteral' && !isStringLiteral(a)) out.push(a);
  return out;
}

export default withValueCheck(defineHostRule({
  name: 'no-query-in-loop',
  category: 'performance',
  severity: 'warn',
  // measured on 9 real applications (docs/precision.md): 0 of 17: loops over a few keys, in-process SQLite;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow running a query once per element of a loop or array callback (N+1 queries)',
  messages: {
    select: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); fetch all rows in one query: WHERE id = ANY($1) / IN (...)',
    insert: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); insert all rows with one multi-row INSERT ... VALUES (...), (...) or unnest($1)',
    write: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); change all rows in one statement: WHERE id = ANY($1), or UPDATE ... FROM (VALUES ...)',
  },
  docs: {
    why: 'Each query pays a network round trip, parsing, planning and locking; a loop of N queries is N times that, and grows with the data. One query with the whole key list (= ANY($1), IN (...)), a join, or one multi-row INSERT does the same work in one round trip. Promise.all over a map only overlaps the round trips; the database still runs N statements. Reported only for a real N+1: the query binds the element or one of its properties (the key a batch would take as a list), and the collection is unbounded: the rows of a query, a function parameter or request data. Silent for collections of fixed size (an array or object literal, a const array of literals, Object.keys/values/entries of a constant object or enum, a .filter() or .map() of those), for collections named like configuration (environments, configs, prompts, monitors, tenants, shards, regions, schemas, tables, migrations, jobs...), for collections of unknown origin (imports, arrays filled elsewhere), for bodies that also do other I/O per element that a batch cannot absorb (fetch/axios/HTTP calls, queue publish/send/enqueue, mail, object storage), and for paged, chunked, polling and retry loops. Query-builder and ORM calls (kysely, knex, drizzle, Prisma) have no SQL text and are checked only with the option builders: true, and then only when the element is a key in the call\'s where argument (findUnique({ where: { id: u.id } }), .where("id", "=", u.id)) and the collection is the rows of a query.',
    bad: 'async function names(ids: string[]) {\n  for (const id of ids) {\n    await db.query(`SELECT name FROM users WHERE id = $1`, [id]);\n  }\n}',
    good: 'async function names(ids: string[]) {\n  return db.query(`SELECT id, name FROM users WHERE id = ANY($1)`, [ids]);\n}',
  },
  defaultOptions: { builders: false },
  schema: {
    type: 'object',
    properties: { builders: { type: 'boolean', description: 'Also check query-builder and ORM calls (kysely, knex, drizzle, Prisma) in loops; only those keyed by the element in their where argument, over the rows of a query (default false)' } },
    additionalProperties: false,
  },
  checkSite(site, ctx) {
    if (!site.certain && !site.call) return;
    const call = queryCall(site, ctx.parent);
    if (!call) return;
    const loop = enclosingLoop(call, ctx.parent);
    if (!loop) return;
    const text = site.parts.map((p) => site.code.slice(p.start, p.end)).join(' ');
    if (batchingLoop(loop.node, text) || pollingLoop(loop.node, site.code) || tableInHole(site)) return;
    // one statement for many rows already (a VALUES list or key list built in the loop): a batch per iteration
    if (/\bvalues\s*\$?\{?$|\b(?:any|in)\s*\(\s*$/im.test(site.parts.slice(0, -1).map((p) => site.code.slice(p.start, p.end)).join('\n'))) return;
    const [first] = site.parts;
    if (!first) return;
    const head = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(\w+)/.exec(site.code.slice(first.start, first.end))?.[1]?.toLowerCase();
    if (head && !['select', 'with', 'insert', 'update', 'delete', 'merge', 'upsert', 'replace', 'values', 'table'].includes(head)) return;
    const callee = call.type === 'TaggedTemplateExpression' ? call.tag : call.callee;
    if (!realNPlusOne(loop.node, call, boundValues(site, call), ctx.parent, 'any')) return;
    const range = { start: callee.range[0], end: callee.range[1] };
    const messageId = head === 'insert' || head === 'upsert' || head === 'replace' ? 'insert' : head === 'update' || head === 'delete' || head === 'merge' ? 'write' : 'select';
    ctx.report({ range, messageId, data: { call: ctx.source(range), loop: loop.kind } });
  },
}), {
  // query-builder and ORM calls have no SQL text (only with `builders: true`): `await db.selectFrom('users')...executeTakeFirst()`, `await prisma.user.findUnique(...)` in a loop
  program(program, ctx) {
    // off by default: without SQL text, only the shape of the call says what it reads (see the rule's docs)
    if (ctx.options.builders !== true) return;
    for (const q of builderQueries(program, ctx.code, ctx.parent)) {
      const loop = enclosingLoop(q.node, ctx.parent);
      if (!loop) continue;
      const text = ctx.source({ start: q.node.range[0], end: q.node.range[1] });
      if (batchingLoop(loop.node, text) || pollingLoop(loop.node, ctx.code)) continue;
      if (!realNPlusOne(loop.node, q.node, builderKeyArgs(q.node), ctx.parent, 'query')) continue;
      ctx.report({ range: q.range, messageId: q.kind, data: { call: q.call, loop: loop.kind } });
    }
  },
});
