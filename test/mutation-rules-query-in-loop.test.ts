import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { hostFindings } from './helpers/rule-findings.js';

// Golden tests for rules/no-query-in-loop.ts (issue 19, mutation testing): the call's range and text,
// the loop kind and the remedy by statement kind, what runs a query (drivers, tags, wrappers) and what
// only builds one, the loop body against what runs once, batching, table and key-list loops, and a
// real N+1 (the element bound, over the rows of a query, a parameter or request data).

beforeAll(() => ready());

const RULE = 'no-query-in-loop';
const run = (code: string, options?: Record<string, unknown>) => hostFindings(RULE, code, options ? { options } : {});
const REMEDY = {
  select: 'fetch all rows in one query: WHERE id = ANY($1) / IN (...)',
  insert: 'insert all rows with one multi-row INSERT ... VALUES (...), (...) or unnest($1)',
  write: 'change all rows in one statement: WHERE id = ANY($1), or UPDATE ... FROM (VALUES ...)',
};
const msg = (call: string, loop: string, kind: keyof typeof REMEDY) => `[${call}] ${call} runs once per iteration of this ${loop} (N+1 queries); ${REMEDY[kind]}`;
/** Each line of `body` inside `async function f(ids: string[]) { ... }`, so line n of the body is line n + 1. */
const fn = (body: string) => `async function f(ids: string[], cond: boolean) {\n${body}\n}`;

describe('no-query-in-loop: the finding', () => {
  it('marks the call, names the loop and gives the remedy for the statement kind', () => {
    expect(run(fn(["  for (const id of ids) await db.query('SELECT name FROM users WHERE id = $1', [id]);"].join('\n')))).toEqual([`2:31-2:39 ${msg('db.query', 'for...of loop', 'select')}`]);
    const kinds = [
      ["'INSERT INTO t (a) VALUES ($1)'", 'insert'],
      ["'UPSERT INTO t (a) VALUES ($1)'", 'insert'],
      ["'REPLACE INTO t (a) VALUES ($1)'", 'insert'],
      ["'UPDATE t SET a = 1 WHERE id = $1'", 'write'],
      ["'DELETE FROM t WHERE id = $1'", 'write'],
      ["'MERGE INTO t USING s ON s.id = $1 WHEN MATCHED THEN DELETE'", 'write'],
      ["'WITH x AS (SELECT 1) SELECT * FROM t WHERE id = $1'", 'select'],
      ["'VALUES ($1)'", 'select'],
      ["'TABLE t'", 'select'],
      ["'  (SELECT a FROM t WHERE id = $1)'", 'select'],
    ] as const;
    for (const [sql, kind] of kinds) expect(run(fn(`  for (const id of ids) await db.query(${sql}, [id]);`)), sql).toEqual([`2:31-2:39 ${msg('db.query', 'for...of loop', kind)}`]);
    // a statement that reads or writes no rows
    expect(run(fn("  for (const id of ids) await db.query('SET search_path = $1', [id]);"))).toEqual([]);
    // the statement's first word after comments (a string that starts with a comment is not taken for SQL; a template or a tag is)
    expect(run(fn([
      '  for (const id of ids) await sql`/* d */ SELECT a FROM t WHERE id = ${id}`;',
      '  for (const id of ids) await sql`-- c\n SELECT a FROM t WHERE id = ${id}`;',
      '  for (const id of ids) await db.query(`/* d */ SELECT a FROM t WHERE id = ${id}`);',
      '  for (const id of ids) await sql`/* d */ SET a = ${id}`;',
    ].join('\n')))).toEqual([`2:31-2:34 ${msg('sql', 'for...of loop', 'select')}`, `3:31-3:34 ${msg('sql', 'for...of loop', 'select')}`, `5:31-5:39 ${msg('db.query', 'for...of loop', 'select')}`]);
  });

  it('each loop statement and each iterating callback', () => {
    expect(run(fn([
      "  for (let i = 0; i < ids.length; i++) await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]);",
      '  let i = 0;',
      "  while (i < ids.length) { await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]); i++; }",
      "  do { await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]); i++; } while (i < ids.length);",
    ].join('\n')))).toEqual([`2:46-2:54 ${msg('db.query', 'for loop', 'select')}`, `4:34-4:42 ${msg('db.query', 'while loop', 'select')}`, `5:14-5:22 ${msg('db.query', 'do...while loop', 'select')}`]);
    const methods = ['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex'];
    for (const m of methods) expect(run(fn(`  ids.${m}((id) => db.query('SELECT 1 FROM t WHERE id = $1', [id]));`)), m).toEqual([`2:${m.length + 16}-2:${m.length + 24} ${msg('db.query', `.${m}() callback`, 'select')}`]);
    for (const m of ['reduce', 'reduceRight']) expect(run(fn(`  ids.${m}((a, id) => db.query('SELECT 1 FROM t WHERE id = $1', [id]), 0);`)), m).toEqual([`2:${m.length + 19}-2:${m.length + 27} ${msg('db.query', `.${m}() callback`, 'select')}`]);
    expect(run(fn("  ids.map(function (id) { return db.query('SELECT 1 FROM t WHERE id = $1', [id]); });"))).toEqual([`2:34-2:42 ${msg('db.query', '.map() callback', 'select')}`]);
  });

  it('not a loop: another method, a computed or later callback, the iterable, a function defined in the body', () => {
    for (const code of [
      "  ids.sort((id) => db.query('SELECT 1 FROM t WHERE id = $1', [id]));",
      "  ids['map']((id) => db.query('SELECT 1 FROM t WHERE id = $1', [id]));",
      "  ids.map(0, (id) => db.query('SELECT 1 FROM t WHERE id = $1', [id]));",
      "  for (const id of await db.query('SELECT 1 FROM t WHERE id = $1', [ids])) g(id);",
      "  for (const id of ids) { function g() { return db.query('SELECT 1 FROM t WHERE id = $1', [id]); } }",
      "  for (const id of ids) { const g = () => db.query('SELECT 1 FROM t WHERE id = $1', [id]); }",
      "  for (const id of ids) { class A { m() { return db.query('SELECT 1 FROM t WHERE id = $1', [id]); } } }",
    ]) expect(run(fn(code)), code).toEqual([]);
  });
});

describe('no-query-in-loop: what runs a query', () => {
  it('tags that run, a query object handed to a call that runs it, an awaited sql tag', () => {
    expect(run(fn([
      '  for (const id of ids) await pool.query(sql`SELECT name FROM users WHERE id = ${id}`);',
      '  for (const id of ids) await sql`SELECT name FROM users WHERE id = ${id}`;',
      '  for (const id of ids) await SQL`SELECT name FROM users WHERE id = ${id}`;',
      '  for (const id of ids) sql`SELECT name FROM users WHERE id = ${id}`;',
      '  for (const id of ids) await prisma.$queryRaw`SELECT name FROM users WHERE id = ${id}`;',
      '  for (const id of ids) prisma.$executeRaw`DELETE FROM users WHERE id = ${id}`;',
      '  for (const id of ids) sql.unsafe`DELETE FROM users WHERE id = ${id}`;',
      '  for (const id of ids) await db.raw(sql`SELECT name FROM users WHERE id = ${id}`);',
      '  for (const id of ids) await other(sql`SELECT name FROM users WHERE id = ${id}`);',
      '  for (const id of ids) await db.query(x, sql`SELECT name FROM users WHERE id = ${id}`);',
    ].join('\n')))).toEqual([
      `2:31-2:41 ${msg('pool.query', 'for...of loop', 'select')}`,
      `3:31-3:34 ${msg('sql', 'for...of loop', 'select')}`,
      `4:31-4:34 ${msg('SQL', 'for...of loop', 'select')}`,
      `6:31-6:47 ${msg('prisma.$queryRaw', 'for...of loop', 'select')}`,
      `7:25-7:43 ${msg('prisma.$executeRaw', 'for...of loop', 'write')}`,
      `8:25-8:35 ${msg('sql.unsafe', 'for...of loop', 'write')}`,
      `11:31-11:39 ${msg('db.query', 'for...of loop', 'select')}`,
    ]);
  });

  it('the SQL as an argument (in a conditional, a cast, a satisfies, a non-null) or a variable holding it', () => {
    expect(run(fn([
      "  for (const id of ids) await db.query('SELECT 1 FROM t WHERE id = $1' as string, [id]);",
      "  for (const id of ids) await db.query('SELECT 1 FROM t WHERE id = $1' satisfies string, [id]);",
      "  for (const id of ids) await db.query(('SELECT 1 FROM t WHERE id = $1' as any)!, [id]);",
      "  for (const id of ids) await db.query(cond ? ('SELECT 1 FROM t WHERE id = $1' as string) : '', [id]);",
      "  for (const id of ids) { const q = 'SELECT 1 FROM t WHERE id = $1'; await db.query(q, [id]); }",
    ].join('\n')))).toEqual([2, 3, 4, 5].map((l) => `${l}:31-${l}:39 ${msg('db.query', 'for...of loop', 'select')}`).concat([`6:76-6:84 ${msg('db.query', 'for...of loop', 'select')}`]));
  });

  it('driver calls and wrappers; a bare weak name only with the connection first; not prepare or an unknown method', () => {
    expect(run(fn([
      "  for (const id of ids) await run('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await get('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await execute(conn, 'SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db.run('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await query('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db.prepare('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db.fetchAll('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db.$queryRawUnsafe('SELECT 1 FROM t WHERE id = $1', id);",
      "  for (const id of ids) await db.getRow('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db.queryOne('SELECT 1 FROM t WHERE id = $1', [id]);",
    ].join('\n')))).toEqual([
      `4:31-4:38 ${msg('execute', 'for...of loop', 'select')}`,
      `5:31-5:37 ${msg('db.run', 'for...of loop', 'select')}`,
      `6:31-6:36 ${msg('query', 'for...of loop', 'select')}`,
      `9:31-9:49 ${msg('db.$queryRawUnsafe', 'for...of loop', 'select')}`,
      `10:31-10:40 ${msg('db.getRow', 'for...of loop', 'select')}`,
      `11:31-11:42 ${msg('db.queryOne', 'for...of loop', 'select')}`,
    ]);
  });
});

describe('no-query-in-loop: loops that batch or touch another table each time', () => {
  it('chunks, pages, steps other than 1, a table in the hole, a key or VALUES list built in the loop', () => {
    expect(run(fn([
      "  for (const chunk of ids) await db.query('SELECT 1 FROM t WHERE id = ANY($1)', [chunk]);",
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE id = ${id} LIMIT 1`);',
      '  while (ids.length) await db.query(`SELECT 1 FROM t WHERE id > ${ids.pop()} LIMIT 100`);',
      "  for (let i = 0; i < ids.length; i += 100) await db.query('SELECT 1 FROM t WHERE id = ANY($1)', [ids.slice(i, i + 100)]);",
      "  for (let i = 0; i < ids.length; i += 1) await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]);",
      "  for (let i = 0; i < ids.length; i = i + 1) await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]);",
      '  for (const x of ids) await db.query(`DELETE FROM ${x}`);',
      '  for (const x of ids) await db.query(`SELECT 1 FROM public.${x} WHERE id = $1`, [x]);',
      '  for (const x of ids) await db.query(`SELECT 1 FROM t JOIN ${x} ON true WHERE id = $1`, [x]);',
      '  let v = \'\';',
      '  for (const id of ids) { v += `(${id})`; await db.query(`INSERT INTO t (a) VALUES ${v}`); }',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE id IN (${id})`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE id = ANY(${id})`);',
      '  for (const id of ids) await db.query(`INSERT INTO t (a) VALUES (${id})`);',
    ].join('\n')))).toEqual([
      `3:31-3:39 ${msg('db.query', 'for...of loop', 'select')}`,
      `6:49-6:57 ${msg('db.query', 'for loop', 'select')}`,
      `7:52-7:60 ${msg('db.query', 'for loop', 'select')}`,
      `15:31-15:39 ${msg('db.query', 'for...of loop', 'insert')}`,
    ]);
  });
});

describe('no-query-in-loop: a real N+1', () => {
  it('the element or its property bound, over request data, a parameter or the rows of a query', () => {
    expect(run([
      'async function f(req: Request) {',
      "  for (const id of req.body.ids) await db.query('SELECT 1 FROM t WHERE id = $1', [id]);",
      '  for (const u of req.body.users) await db.query(`SELECT 1 FROM t WHERE id = ${u.id}`);',
      "  for (const u of req.body.users) await db.query('SELECT 1 FROM t WHERE id = $1', [u.id, u.name]);",
      "  for (const u of req.body.users) await db.query('SELECT 1 FROM t WHERE id = $1', [1]);",
      "  for (const u of req.body.users) { await db.query('SELECT 1 FROM t WHERE id = $1', [u.id]); await fetch('https://x'); }",
      "  for (const u of req.body.users) { await fetch('https://x'); await db.query('SELECT 1 FROM t WHERE id = $1', [u.id]); }",
      '}',
    ].join('\n'))).toEqual([`2:40-2:48 ${msg('db.query', 'for...of loop', 'select')}`, `3:41-3:49 ${msg('db.query', 'for...of loop', 'select')}`, `4:41-4:49 ${msg('db.query', 'for...of loop', 'select')}`]);
    expect(run("async function f(tenants: string[], shardIds: string[]) {\n  for (const t of tenants) await db.query('SELECT 1 FROM t WHERE id = $1', [t]);\n  for (const t of shardIds) await db.query('SELECT 1 FROM t WHERE id = $1', [t]);\n}")).toEqual([`3:35-3:43 ${msg('db.query', 'for...of loop', 'select')}`]);
    expect(run("async function f() {\n  const rows = await db.query('SELECT id FROM users');\n  for (const u of rows) await db.query('SELECT 1 FROM t WHERE user_id = $1', [u.id]);\n  const ids = [1, 2];\n  for (const u of ids) await db.query('SELECT 1 FROM t WHERE user_id = $1', [u]);\n}")).toEqual([`3:31-3:39 ${msg('db.query', 'for...of loop', 'select')}`]);
  });

  it('holes with several operands, concatenation', () => {
    expect(run(fn([
      "  for (const id of ids) await db.query('SELECT 1 FROM t WHERE a = ' + id + ' AND b = ' + id);",
      "  for (const id of ids) await db.query('SELECT name FROM users WHERE id = ' + id);",
    ].join('\n')))).toEqual([`2:31-2:39 ${msg('db.query', 'for...of loop', 'select')}`, `3:31-3:39 ${msg('db.query', 'for...of loop', 'select')}`]);
  });
});

describe('no-query-in-loop: builder and ORM calls (builders: true)', () => {
  const orm = (loop: string) => `async function f(users: User[]) {\n  const posts = await prisma.post.findMany();\n  ${loop}\n}`;
  const found = (at: string, loop: string) => `${at} [prisma.user.findUnique] prisma.user.findUnique() runs once per iteration of this ${loop} (N+1 queries); ${REMEDY.select}`;

  it('keyed by the element, over the rows of a query; off by default', () => {
    const code = orm('for (const p of posts) await prisma.user.findUnique({ where: { id: p.authorId } });');
    expect(run(code)).toEqual([]);
    expect(run(code, { builders: false })).toEqual([]);
    expect(run(code, { builders: true })).toEqual([found('3:32-3:54', 'for...of loop')]);
    expect(run(orm('await Promise.all(posts.map((p) => prisma.user.findUnique({ where: { id: p.authorId } })));'), { builders: true })).toEqual([found('3:38-3:60', '.map() callback')]);
  });

  it('not outside a loop, over a parameter, in a paged or polling loop', () => {
    for (const loop of [
      'await prisma.user.findUnique({ where: { id: posts[0].authorId } });',
      'for (const u of users) await prisma.user.findUnique({ where: { id: u.id } });',
      'for (const p of posts) await prisma.user.findUnique({ where: { id: 1 } });',
      'for (let i = 0; i < posts.length; i += 50) await prisma.user.findUnique({ where: { id: posts[i].authorId } });',
      'for (let i = 0; i < posts.length; i++) { await prisma.user.findUnique({ where: { id: posts[i].authorId } }); await sleep(100); }',
    ]) expect(run(orm(loop), { builders: true }), loop).toEqual([]);
  });
});

describe('no-query-in-loop: the edges the first mutation run left', () => {
  const L = (l: number, a: number, b: number, call = 'db.query', loop = 'for...of loop') => `${l}:${a}-${l}:${b} ${msg(call, loop, 'select')}`;

  it('a LIMIT in a for, while or do...while loop pages; a for...of over chunks by the collection\'s name; a for loop without an update', () => {
    expect(run(fn([
      '  for (let i = 0; i < ids.length; i++) await db.query(`SELECT 1 FROM t WHERE id = ${ids[i]} LIMIT 1`);',
      '  let j = 0;',
      '  while (j < ids.length) { await db.query(`SELECT 1 FROM t WHERE id = ${ids[j]} LIMIT 1`); j++; }',
      '  do { await db.query(`SELECT 1 FROM t WHERE id = ${ids[j]} LIMIT 1`); j++; } while (j < ids.length);',
      "  for (const id of chunks) await db.query('SELECT 1 FROM t WHERE id = ANY($1)', [id]);",
      "  for (let i = 0; i < ids.length;) { await db.query('SELECT 1 FROM t WHERE id = $1', [ids[i]]); i++; }",
    ].join('\n')).replace('cond: boolean', 'cond: boolean, chunks: string[][]'))).toEqual([L(7, 44, 52, 'db.query', 'for loop')]);
  });

  it('the loop around the iterable of an inner loop; not a class static block or a callback with other I/O', () => {
    expect(run(fn([
      "  for (const u of ids) { for (const o of await db.query('SELECT 1 FROM t WHERE id = $1', [u])) g(o); }",
      "  for (const id of ids) { class A { static { db.query('SELECT 1 FROM t WHERE id = $1', [id]); } } }",
      "  await Promise.all(ids.map(async (id) => { await fetch('https://x'); await db.query('SELECT 1 FROM t WHERE id = $1', [id]); }));",
    ].join('\n')))).toEqual([L(2, 48, 56)]);
  });

  it('what the SQL is to the call: a bare weak name with the SQL first (also in a conditional or a variable), a fragment tag, SQL built but not run', () => {
    expect(run(fn([
      "  for (const id of ids) await run(cond ? 'SELECT 1 FROM t WHERE id = $1' : 'SELECT 2 FROM t WHERE id = $1', [id]);",
      '  for (const id of ids) await Prisma.sql`SELECT name FROM users WHERE id = ${id}`;',
      "  for (const id of ids) await getDb().query('SELECT 1 FROM t WHERE id = $1', [id]);",
      '  for (const id of ids) { const q = `SELECT 1 FROM t WHERE id = ${id}`; }',
      "  for (const id of ids) { const q = 'SELECT 1 FROM t WHERE id = $1'; await run(q, [id]); }",
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE id = ${id}`.trim());',
      // the SQL is found as the argument through at most two wrappers
      '  for (const id of ids) await db.query(((`SELECT 1 FROM t WHERE id = ${id}` as string) as string) as string);',
      '  for (const id of ids) await db.query((`SELECT 1 FROM t WHERE id = ${id}` as string) as string);',
    ].join('\n')))).toEqual([L(4, 31, 44, 'getDb().query'), L(9, 31, 39)]);
  });

  it('a VALUES or key list filled elsewhere is a batch wherever it stands; a literal IN list is not', () => {
    expect(run(fn([
      '  for (const id of ids) await db.query(`INSERT INTO t (a, b) VALUES',
      '    ${rows} ON CONFLICT (a) DO UPDATE SET b = ${id}`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE a IN (1, 2) AND b = ${id}`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE b = ${id} AND a IN (${list})`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE a IN (${list}) AND b = ${id}`);',
      // the first word after a line comment
      '  for (const id of ids) await sql`-- note',
      'SET a = ${id}`;',
    ].join('\n')).replace('cond: boolean', 'cond: boolean, rows: string, list: string'))).toEqual([L(4, 31, 39)]);
  });
});

describe('no-query-in-loop: the edges the second mutation run left', () => {
  const L = (l: number, a: number, b: number) => `${l}:${a}-${l}:${b} ${msg('db.query', 'for...of loop', 'write')}`;

  it('a table in the hole: after blanks, a schema and a dot with blanks around it; not the join of two strings after FROM', () => {
    expect(run(fn([
      '  for (const id of ids) await db.query(`SELECT 1 FROM  ${id}`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM public .${id} WHERE a = $1`, [id]);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM "public". ${id} WHERE a = $1`, [id]);',
      "  for (const id of ids) await db.query('DELETE FROM ' + 'users WHERE id = ' + id);",
    ].join('\n')))).toEqual([L(5, 31, 39)]);
  });

  it('a key or VALUES list after blanks on the same line; a computed map is no iterating callback; no statement word at the start', () => {
    expect(run(fn([
      '  for (const id of ids) await db.query(`INSERT INTO t (a, b) VALUES ${rows} ON CONFLICT (a) DO UPDATE SET b = ${id}`);',
      '  for (const id of ids) await db.query(`SELECT 1 FROM t WHERE a = ANY(  ${list}) AND b = $1`, [id]);',
      "  await Promise.all(ids['map']((id) => db.query('SELECT 1 FROM t WHERE id = $1', [id])));",
      '  for (const id of ids) await db.query(`${list} SELECT 1 FROM t WHERE b = ${id}`);',
    ].join('\n')).replace('cond: boolean', 'cond: boolean, rows: string, list: string'))).toEqual([]);
  });
});

describe('no-query-in-loop: what the second mutation run left, in the loop and the call', () => {
  it('a for...of over a declared variable; a computed method; SQL marked by a comment that no call runs', () => {
    expect(run(fn([
      "  let id; for (id of ids) await db.query('SELECT 1 FROM t WHERE id = $1', [id]);",
      "  for (const id of ids) await db[m]('SELECT 1 FROM t WHERE id = $1', [id]);",
      '  for (const id of ids) { const q = /* sql */ `SELECT 1 FROM t WHERE id = ${id}`; }',
    ].join('\n')).replace('cond: boolean', 'cond: boolean, m: string'))).toEqual([`2:33-2:41 ${msg('db.query', 'for...of loop', 'select')}`]);
  });

  it('builders: a LIMIT is looked for in the builder call, not in the rest of the file', () => {
    const code = 'async function f() {\n  const posts = await prisma.post.findMany();\n  for (let i = 0; i < posts.length; i++) await prisma.user.findUnique({ where: { id: posts[i].authorId } });\n}\nconst limit = 1;';
    expect(run(code, { builders: true })).toEqual([`3:48-3:70 [prisma.user.findUnique] prisma.user.findUnique() runs once per iteration of this for loop (N+1 queries); ${REMEDY.select}`]);
  });
});
