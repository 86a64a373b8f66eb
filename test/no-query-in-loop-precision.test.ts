/**
 * no-query-in-loop reports only real N+1 (real-code review: literal and configuration-sized
 * collections, per-element HTTP/queue work and ORM calls were noise): the element is a bound
 * value of the query, over the rows of a query, a parameter or request data.
 */
import { afterAll, describe, it } from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';
import plugin from '../eslint-plugin/index.js';

RuleTester.afterAll = afterAll;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.describe = describe;

const ruleTester = new RuleTester();

ruleTester.run('no-query-in-loop (precision)', plugin.rules['no-query-in-loop']! as never, {
  valid: [
    // literal and constant collections
    "async function f() { for (const x of ['a', 'b', 'c']) await db.query('SELECT count(*) FROM t WHERE kind = $1', [x]); }",
    "async function f() { await Promise.all(['a', 'b'].map((k) => db.query('SELECT 1 FROM t WHERE kind = $1', [k]))); }",
    "const KINDS = ['a', 'b']; async function f() { for (const k of KINDS) await db.query('SELECT 1 FROM t WHERE kind = $1', [k]); }",
    "const kinds = ['a', 'b']; async function f() { for (const k of kinds) await db.query('SELECT 1 FROM t WHERE kind = $1', [k]); }",
    "enum Status { A = 'a', B = 'b' } async function f() { for (const s of Object.values(Status)) await db.query('SELECT count(*) FROM t WHERE status = $1', [s]); }",
    "const LIMITS = { free: 1, pro: 2 }; async function f() { for (const [plan, n] of Object.entries(LIMITS)) await db.query('UPDATE plans SET n = $2 WHERE name = $1', [plan, n]); }",
    "async function f() { for (const k of ['a', 'b', 'c'].filter((x) => x !== 'b')) await db.query('DELETE FROM t WHERE kind = $1', [k]); }",
    // configuration-sized collections, walked on purpose
    "async function f(environments: Env[]) { for (const env of environments) await db.query('SELECT id FROM deploys WHERE env_id = $1', [env.id]); }",
    "async function daily() { const monitors = await db.query('SELECT id FROM monitors'); for (const m of monitors.rows) await db.query('INSERT INTO checks (monitor_id) VALUES ($1)', [m.id]); }",
    // other I/O per element that a batch cannot absorb
    "async function f(users: User[]) { for (const u of users) { await fetch(`https://x/${u.id}`); await db.query('UPDATE users SET synced = true WHERE id = $1', [u.id]); } }",
    "async function f(orders: Order[]) { for (const o of orders) { await db.query('UPDATE orders SET sent = true WHERE id = $1', [o.id]); await queue.publish('order', o); } }",
    // the element is not a bound value of the query
    "async function f(items: Item[]) { for (const item of items) await db.query('SELECT count(*) FROM t'); }",
    // a collection of unknown origin (an import, an array filled elsewhere)
    "import { ids } from './ids'; async function f() { for (const id of ids) await db.query('SELECT 1 FROM t WHERE id = $1', [id]); }",
    // builder and ORM calls: off by default
    "async function f() { const posts = await prisma.post.findMany(); for (const p of posts) await prisma.user.findUnique({ where: { id: p.authorId } }); }",
  ],
  invalid: [
    {
      code: "async function f() {\n  const { rows } = await db.query('SELECT id FROM users');\n  for (const u of rows) await db.query('SELECT id FROM orders WHERE user_id = $1', [u.id]);\n}",
      errors: [{ messageId: 'select', line: 3, column: 31, endLine: 3, endColumn: 39 }],
    },
    {
      code: "async function f(req: Request) {\n  await Promise.all(req.body.ids.map((id) => db.query('DELETE FROM t WHERE id = $1', [id])));\n}",
      errors: [{ messageId: 'write', line: 2, column: 46, endLine: 2, endColumn: 54 }],
    },
    {
      code: "async function f(rows: Row[]) {\n  for (let i = 0; i < rows.length; i++) await db.query('UPDATE t SET a = 1 WHERE id = $1', [rows[i].id]);\n}",
      errors: [{ messageId: 'write', line: 2, column: 47, endLine: 2, endColumn: 55 }],
    },
    {
      code: "async function f() {\n  const users = await sql`SELECT id FROM users`;\n  for (const u of users.filter((x) => x.active)) await sql`SELECT id FROM orders WHERE user_id = ${u.id}`;\n}",
      errors: [{ messageId: 'select', line: 3, column: 56, endLine: 3, endColumn: 59 }],
    },
    {
      code: "async function f() {\n  const posts = await prisma.post.findMany();\n  for (const p of posts) await prisma.user.findUnique({ where: { id: p.authorId } });\n}",
      options: [{ builders: true }],
      errors: [{ messageId: 'select', line: 3, column: 32, endLine: 3, endColumn: 54 }],
    },
  ],
});
