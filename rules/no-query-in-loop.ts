import { dottedName, FRAGMENT_CALLEES, type EsNode, type SqlSite } from '../src/embed/detect.js';
import { withValueCheck } from '../src/embed/hole-values.js';
import { unwrap } from '../src/embed/host-code.js';
import { holeShapes } from '../src/embed/template.js';
import { builderQueries, pollingLoop } from '../src/embed/loops.js';
import { defineHostRule } from '../src/rule.js';

const LOOPS: Record<string, string> = {
  ForStatement: 'for loop',
  ForOfStatement: 'for...of loop',
  ForInStatement: 'for...in loop',
  WhileStatement: 'while loop',
  DoWhileStatement: 'do...while loop',
};

/** Array methods whose callback runs once per element. */
const ITERATORS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex']);

/** Calls that build SQL or prepare it rather than run it: a loop over them is not N+1. */
const NOT_RUN = new Set(['raw', 'prepare', 'addSql', ...Object.keys(FRAGMENT_CALLEES)]);
const WEAK = new Set(['get', 'all', 'run', 'exec', 'getAll', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'execute']);

/**
 * Loops that already batch: over chunks or pages (`for (const chunk of chunks)`, `i += BATCH`),
 * or a paged read (`while (...) { ... LIMIT ... }`, each page after the last one's key).
 */
function batchingLoop(loop: EsNode, sql: string): boolean {
  if (/\blimit\b/i.test(sql) && ['WhileStatement', 'DoWhileStatement', 'ForStatement'].includes(loop.type)) return true;
  if (loop.type === 'ForOfStatement') {
    const over = dottedName(unwrap(loop.right as EsNode)) ?? '';
    const left = loop.left as EsNode;
    const each = left.type === 'VariableDeclaration' ? dottedName(((left.declarations as EsNode[])[0]?.id as EsNode) ?? undefined) : undefined;
    if (/chunk|batch|page|slice|group/i.test(`${over} ${each ?? ''}`)) return true;
  }
  if (loop.type === 'ForStatement') {
    const update = loop.update as EsNode | null;
    if (update?.type === 'AssignmentExpression' && update.operator === '+=' && !((update.right as EsNode).type === 'Literal' && (update.right as EsNode).value === 1)) return true;
  }
  return false;
}

/** Tags that run the query (others build fragments: drizzle/slonik/Prisma.sql, or run only when awaited). */
const RUNNING_TAGS = new Set(['$queryRaw', '$executeRaw', 'sql.unsafe']);

/** Names of calls that run SQL handed to them (drivers and their common wrappers). */
const RUNS_SQL = /^(?:query|execute|exec|run|all|get|one|many|any|none|oneOrNone|manyOrNone|getAll|\$queryRaw(?:Unsafe)?|\$executeRaw(?:Unsafe)?|unsafe|executeSql|runSql|execSql|rawQuery|pagedRawQuery|queryRaw|queryOne|queryRows|queryAll|getRows?|getCell|getValue|getOne|getFirst|select|insert|update|delete)$/;

/** The argument of `call` that holds `node` (itself, or a branch of a conditional). */
function argumentOf(call: EsNode, node: EsNode, parent: (n: EsNode) => EsNode | null): EsNode | undefined {
  const args = call.arguments as EsNode[];
  for (let n: EsNode | null = node, depth = 0; n && depth < 3; n = parent(n), depth++) {
    if (args.includes(n)) return n;
    const p = parent(n);
    if (!p || !['ConditionalExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression'].includes(p.type)) return undefined;
  }
  return undefined;
}

/** Does this call run SQL given to it? `db.query(...)`, `pool.query(sql`...`)`, `execute(conn, `...`)`; not `raw()`, `prepare()`, knex `*Raw` fragments. */
function runsSql(call: EsNode, sqlArg: EsNode): boolean {
  const name = dottedName(call.callee as EsNode)?.split('.').pop();
  if (!name || NOT_RUN.has(name) || !RUNS_SQL.test(name)) return false;
  // a bare `run(...)`, `get(...)` is some local function; `db.run(...)` is a query, and so is `execute(conn, sql)` (a driver wrapper: the connection first)
  if (WEAK.has(name) && unwrap(call.callee as EsNode).type !== 'MemberExpression') return (call.arguments as EsNode[])[0] !== sqlArg;
  return true;
}

/** The call that runs the site's SQL, or undefined when the site only builds SQL. */
function queryCall(site: SqlSite, parent: (n: EsNode) => EsNode | null): EsNode | undefined {
  const call = site.call;
  if (!call) return undefined;
  if (call.type === 'TaggedTemplateExpression') {
    const tag = site.via.slice(4);
    if (RUNNING_TAGS.has(tag)) return call;
    const p = parent(call);
    // `pool.query(sql`...`)`, `db.execute(sql`...`)`: the tag builds a query object, the call runs it
    if (p?.type === 'CallExpression' && (p.arguments as EsNode[]).includes(call) && runsSql(p, call)) return p;
    // postgres.js / @vercel/postgres `sql` run when awaited
    return p?.type === 'AwaitExpression' && (tag === 'sql' || tag === 'SQL') ? call : undefined;
  }
  if (call.type !== 'CallExpression' || !site.node) return undefined;
  // the SQL is an argument of the call (any position), or a variable holding it is
  const arg = argumentOf(call, site.node, parent) ?? (call.arguments as EsNode[]).find((a) => unwrap(a).type === 'Identifier');
  if (!arg) return undefined;
  if (!site.via.startsWith('call') && site.via !== 'comment' && site.via !== 'heuristic') return undefined;
  return runsSql(call, arg) ? call : undefined;
}

/** A hole where a table name stands (`DELETE FROM ${table}`): each iteration touches another table, not N+1. */
function tableInHole(site: SqlSite): boolean {
  return holeShapes(site).some((h) => h.kind !== 'join' && /\b(?:from|into|update|join|table|truncate|only)\s*(?:"?\w+"?\s*\.\s*)?$/i.test(h.before));
}

/** The loop (or iterating callback) the node runs in, within its function; undefined when none. */
function enclosingLoop(node: EsNode, parent: (n: EsNode) => EsNode | null): { kind: string; node: EsNode } | undefined {
  let child = node;
  for (let p = parent(node); p; child = p, p = parent(p)) {
    const loop = LOOPS[p.type];
    // only the body repeats (the iterable of for...of and the init of for run once)
    if (loop && p.body === child) return { kind: loop, node: p };
    if (p.type === 'ArrowFunctionExpression' || p.type === 'FunctionExpression') {
      const call = parent(p);
      if (call?.type === 'CallExpression' && (call.arguments as EsNode[])[0] === p) {
        const callee = unwrap(call.callee as EsNode);
        const method = callee.type === 'MemberExpression' && !callee.computed ? ((callee.property as EsNode).name as string) : undefined;
        if (method && ITERATORS.has(method)) return { kind: `.${method}() callback`, node: call };
      }
      return undefined;
    }
    if (p.type === 'FunctionDeclaration' || p.type === 'Program' || p.type === 'ClassBody') return undefined;
  }
  return undefined;
}

export default withValueCheck(defineHostRule({
  name: 'no-query-in-loop',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow running a query once per element of a loop or array callback (N+1 queries)',
  messages: {
    select: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); fetch all rows in one query: WHERE id = ANY($1) / IN (...)',
    insert: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); insert all rows with one multi-row INSERT ... VALUES (...), (...) or unnest($1)',
    write: '{{call}} runs once per iteration of this {{loop}} (N+1 queries); change all rows in one statement: WHERE id = ANY($1), or UPDATE ... FROM (VALUES ...)',
  },
  docs: {
    why: 'Each query pays a network round trip, parsing, planning and locking; a loop of N queries is N times that, and grows with the data. One query with the whole key list (= ANY($1), IN (...)), a join, or one multi-row INSERT does the same work in one round trip. Promise.all over a map only overlaps the round trips; the database still runs N statements.',
    bad: 'for (const id of ids) {\n  await db.query(`SELECT name FROM users WHERE id = $1`, [id]);\n}',
    good: 'await db.query(`SELECT id, name FROM users WHERE id = ANY($1)`, [ids]);',
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
    const head = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(\w+)/.exec(site.code.slice(site.parts[0]!.start, site.parts[0]!.end))?.[1]?.toLowerCase();
    if (head && !['select', 'with', 'insert', 'update', 'delete', 'merge', 'upsert', 'replace', 'values', 'table'].includes(head)) return;
    const callee = (call.type === 'TaggedTemplateExpression' ? call.tag : call.callee) as EsNode;
    const range = { start: callee.range![0], end: callee.range![1] };
    const messageId = head === 'insert' || head === 'upsert' || head === 'replace' ? 'insert' : head === 'update' || head === 'delete' || head === 'merge' ? 'write' : 'select';
    ctx.report({ range, messageId, data: { call: ctx.source(range), loop: loop.kind } });
  },
}), {
  // query-builder and ORM calls have no SQL text: `await db.selectFrom('users')...executeTakeFirst()`, `await prisma.user.findUnique(...)` in a loop
  program(program, ctx) {
    for (const q of builderQueries(program, ctx.code, ctx.parent)) {
      const loop = enclosingLoop(q.node, ctx.parent);
      if (!loop) continue;
      const text = ctx.source({ start: q.node.range![0], end: q.node.range![1] });
      if (batchingLoop(loop.node, text) || pollingLoop(loop.node, ctx.code)) continue;
      ctx.report({ range: q.range, messageId: q.kind, data: { call: q.call, loop: loop.kind } });
    }
  },
});
