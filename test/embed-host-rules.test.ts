import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';
import plugin from '../eslint-plugin/index.js';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { rules } from '../rules/index.js';
import { ALL } from './helpers/all-rules.js';

RuleTester.afterAll = afterAll;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.describe = describe;

const ruleTester = new RuleTester();
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'embed', 'host');

beforeAll(() => ready());

/** `rule line:col-endLine:endCol [text]` of one rule's findings in a host file, through the CLI's path. */
function cli(file: string, ruleId: string): string[] {
  const code = readFileSync(join(fixtures, file), 'utf8');
  return lintHostSource(code, file, { rules: ALL })
    .diagnostics.filter((d) => d.ruleId === ruleId)
    .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}] ${d.messageId}`);
}

ruleTester.run('no-unsafe-interpolation', plugin.rules['no-unsafe-interpolation']! as never, {
  valid: [
    'db.query(`SELECT id FROM users WHERE email = $1`, [email]);',
    'sql`SELECT id FROM users WHERE email = ${email}`;',
    'const LIMIT_ROWS = 10; db.query(`SELECT id FROM users LIMIT ${LIMIT_ROWS}`);',
    'db.query(`SELECT id FROM ${table} WHERE id = $1`, [id]);',
    'db.query(`DROP TABLE IF EXISTS "${name}"`);',
    'const ph = ids.map((_, i) => `$${i + 1}`).join(", "); db.query(`SELECT id FROM t WHERE id IN (${ph})`, ids);',
    'prisma.$queryRaw`SELECT id FROM users ORDER BY ${Prisma.raw(orderBy())}`;',
    'db.query(`SELECT ${cols()} FROM users WHERE id = $1`, [id]);',
    'function f(limit: number) { return db.query(`SELECT id FROM users LIMIT ${limit}`); }',
    'db.query(`SELECT id FROM users WHERE status = ${Status.Active}`);',
  ],
  invalid: [
    {
      code: "db.query(`SELECT id FROM users WHERE email = '${email}'`);",
      errors: [{ messageId: 'quoted', line: 1, column: 47, endLine: 1, endColumn: 55 }],
    },
    {
      code: 'db.query(`SELECT id FROM users WHERE id = ${id}`);',
      errors: [{ messageId: 'interpolated', line: 1, column: 43, endLine: 1, endColumn: 48 }],
    },
    {
      code: "db.query(\"SELECT id FROM users WHERE email = '\" + email + \"'\");",
      errors: [{ messageId: 'quoted', line: 1, column: 51, endLine: 1, endColumn: 56 }],
    },
    {
      code: 'prisma.$queryRawUnsafe(\n  `SELECT id FROM users\n   WHERE id = ${id}`,\n);',
      errors: [{ messageId: 'interpolated', line: 3, column: 15, endLine: 3, endColumn: 20 }],
    },
    {
      code: 'prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw(email)}`;',
      errors: [{ messageId: 'rawHelper', line: 1, column: 53, endLine: 1, endColumn: 73 }],
    },
    {
      code: "q.whereRaw(`email = '${email}'`);",
      errors: [{ messageId: 'quoted', line: 1, column: 22, endLine: 1, endColumn: 30 }],
    },
  ],
});

ruleTester.run('no-query-in-loop', plugin.rules['no-query-in-loop']! as never, {
  valid: [
    'db.query("SELECT id, name FROM users WHERE id = ANY($1)", [ids]);',
    'for (const r of await db.query("SELECT id FROM users")) console.log(r);',
    'const conds = ids.map((id) => sql`id = ${id}`);',
    'for (const id of ids) q.orWhereRaw("id = ?", [id]);',
    'for (const id of ids) db.query(`CREATE TABLE IF NOT EXISTS p_${id} (LIKE events)`);',
    'for (const id of ids) { const f = () => db.query("SELECT 1 FROM t WHERE id = $1", [id]); }',
    'while (cursor) { const rows = await db.query("SELECT id FROM t WHERE id > $1 ORDER BY id LIMIT 100", [cursor]); cursor = rows.at(-1)?.id; }',
    'for (const chunk of chunks) await db.query("DELETE FROM t WHERE id = ANY($1)", [chunk]);',
    'for (let i = 0; i < ids.length; i += 500) await db.query("DELETE FROM t WHERE id = ANY($1)", [ids.slice(i, i + 500)]);',
    'for (const x of xs) await run("SELECT id FROM users WHERE id = 1");',
    'for (const batch of batches) await prisma.$executeRaw`INSERT INTO t (a) VALUES ${Prisma.join(batch)}`;',
  ],
  invalid: [
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nfor (const id of ids) {\n  await db.query("SELECT name FROM users WHERE id = $1", [id]);\n}\n}',
      errors: [{ messageId: 'select', line: 3, column: 9, endLine: 3, endColumn: 17 }],
    },
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nawait Promise.all(ids.map((id) => prisma.$queryRaw`SELECT name FROM users WHERE id = ${id}`));\n}',
      errors: [{ messageId: 'select', line: 2, column: 35, endLine: 2, endColumn: 51 }],
    },
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nrows.forEach(async (r) => { await db.query("INSERT INTO t (a) VALUES ($1)", [r.a]); });\n}',
      errors: [{ messageId: 'insert', line: 2, column: 35, endLine: 2, endColumn: 43 }],
    },
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nwhile (i < n) { await sql`UPDATE users SET seen = true WHERE id = ${ids[i++]}`; }\n}',
      errors: [{ messageId: 'write', line: 2, column: 23, endLine: 2, endColumn: 26 }],
    },
  ],
});

// no-leading-wildcard is a SQL rule with a value-side check: the wildcard is in the value the code binds
ruleTester.run('no-leading-wildcard (values)', plugin.rules['no-leading-wildcard']! as never, {
  valid: [
    "db.query(`SELECT id FROM users WHERE name LIKE '${prefix}%'`);",
    'db.query("SELECT id FROM users WHERE name LIKE $1", [`${q}%`]);',
    "sql`SELECT id FROM users WHERE name ILIKE ${q + '%'}`;",
    'db.query("SELECT id FROM users WHERE name = $1 AND email LIKE $2", [`%${q}`, `${q}%`]);',
  ],
  invalid: [
    {
      code: 'sql`SELECT id FROM users WHERE name ILIKE ${`%${q}%`}`;',
      errors: [{ messageId: 'leadingValue', line: 1, column: 43, endLine: 1, endColumn: 54 }],
    },
    {
      code: 'db.query(\n  "SELECT id FROM users WHERE email LIKE $1",\n  [`%${q}`],\n);',
      errors: [{ messageId: 'leadingValue', line: 3, column: 4, endLine: 3, endColumn: 11 }],
    },
    {
      code: "knex.raw('SELECT id FROM users WHERE a = ? AND name LIKE ?', [1, '%' + q + '%']);",
      errors: [{ messageId: 'leadingValue', line: 1, column: 66, endLine: 1, endColumn: 79 }],
    },
    {
      code: "const pattern = `%${q}`;\ndb.query(`SELECT id FROM users WHERE name LIKE '${pattern}'`);",
      errors: [{ messageId: 'leadingValue', line: 2, column: 49, endLine: 2, endColumn: 59 }],
    },
  ],
});

ruleTester.run('no-query-in-loop (more shapes)', plugin.rules['no-query-in-loop']! as never, {
  valid: [
    'for (const table of tables) await db.query(`DELETE FROM ${table}`);',
    'let done = false; while (!done) { const r = await db.query("SELECT state FROM jobs WHERE id = $1", [id]); done = r.length > 0; }',
    'for (let attempt = 0; attempt < 3; attempt++) await db.query("UPDATE locks SET owner = $1", [me]);',
    'while (true) { await db.query("SELECT id FROM jobs WHERE id = $1", [id]); await sleep(1000); }',
    'await db.query(sql`SELECT name FROM users WHERE id = ${id}`);',
  ],
  invalid: [
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nfor (const id of ids) out.push(await pool.query(sql`SELECT name FROM users WHERE id = ${id}`));\n}',
      errors: [{ messageId: 'select', line: 2, column: 38, endLine: 2, endColumn: 48 }],
    },
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nfor (const u of users) {\n  u.orders = await db.query(sql`SELECT id FROM orders WHERE user_id = ${u.id}`);\n}\n}',
      errors: [{ messageId: 'select', line: 3, column: 20, endLine: 3, endColumn: 28 }],
    },
    {
      code: 'async function f(ids: string[], rows: Row[], users: User[]) {\nfor (const id of ids) await db.execute(sql`DELETE FROM sessions WHERE user_id = ${id}`);\n}',
      errors: [{ messageId: 'write', line: 2, column: 29, endLine: 2, endColumn: 39 }],
    },
  ],
});

ruleTester.run('no-unsafe-interpolation (precision)', plugin.rules['no-unsafe-interpolation']! as never, {
  valid: [
    'function f(name: string) { return db.query(`SELECT id FROM users WHERE name = \'${name.replace(/\'/g, "\'\'")}\'`); }',
    'function f(name: string) { return db.query(`SELECT id FROM users WHERE name = ${quote_literal(name)}`); }',
    "const KINDS = ['a', 'b']; db.query(`SELECT id FROM t WHERE kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})`);",
    "function f(col: string) { if (!SORTABLE.includes(col)) throw new Error('x'); return db.query(`SELECT id FROM users ORDER BY ${col}`); }",
    "function f(dir: 'ASC' | 'DESC') { return db.query(`SELECT id FROM users ORDER BY id ${dir}`); }",
  ],
  invalid: [
    {
      code: 'function f(table: string) {\n  return db.query(`SELECT id FROM ${table} WHERE id = $1`, [1]);\n}',
      errors: [{ messageId: 'identifier', line: 2, column: 35, endLine: 2, endColumn: 43 }],
    },
    {
      code: 'db.query(`SELECT id FROM users ORDER BY ${req.query.sort}`);',
      errors: [{ messageId: 'identifier', line: 1, column: 41, endLine: 1, endColumn: 58 }],
    },
  ],
});

describe('host rules through the CLI path (lintHostSource)', () => {
  it('no-unsafe-interpolation on fixtures/embed/host/unsafe-interpolation.ts: the invalid block only', () => {
    expect(cli('unsafe-interpolation.ts', 'no-unsafe-interpolation')).toEqual([
      "5:55-5:63 [${email}] quoted",
      '6:51-6:56 [${id}] interpolated',
      '7:59-7:64 [email] quoted',
      '8:65-8:70 [${id}] interpolated',
      "9:53-9:69 [${ids.join(',')}] interpolated",
      '10:61-10:81 [${Prisma.raw(email)}] rawHelper',
      '11:59-11:84 [${JSON.stringify({ id })}] quoted',
      "12:32-12:40 [${email}] quoted",
    ]);
  });

  it('no-query-in-loop on fixtures/embed/host/query-in-loop.ts: the invalid block only', () => {
    expect(cli('query-in-loop.ts', 'no-query-in-loop')).toEqual(['6:11-6:19 [db.query] select', '8:37-8:53 [prisma.$queryRaw] select', '10:11-10:19 [db.query] insert', '14:11-14:14 [sql] write']);
  });

  it('a host comment disables a host rule on the next line', () => {
    const code = '// sqlperf-disable-next-line no-unsafe-interpolation\ndb.query(`SELECT id FROM users WHERE id = ${id}`);';
    expect(lintHostSource(code, 'x.ts', { rules: ALL }).diagnostics).toEqual([]);
  });

  it('"off" in the config turns a host rule off', () => {
    const code = 'db.query(`SELECT id FROM users WHERE id = ${id}`);';
    expect(lintHostSource(code, 'x.ts', { rules: { ...ALL, 'no-unsafe-interpolation': 'off' } }).diagnostics).toEqual([]);
  });

  it.each(rules.filter((r) => r.checkSite).map((r) => [r.name, r] as const))('%s: docs bad example is flagged, good one is not; metadata', (name, rule) => {
    expect(rule.docs.language).toBe('host');
    expect(lintHostSource(rule.docs.bad, 'bad.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === name).length).toBeGreaterThan(0);
    expect(lintHostSource(rule.docs.good, 'good.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === name)).toEqual([]);
  });
});
