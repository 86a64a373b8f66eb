/**
 * no-unsafe-interpolation reports only values that can carry arbitrary text from outside (real-code
 * review: validated numbers, constant lists, process configuration, literal-only call sites were noise).
 */
import { afterAll, describe, it } from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';
import plugin from '../eslint-plugin/index.js';

RuleTester.afterAll = afterAll;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.describe = describe;

const ruleTester = new RuleTester();

ruleTester.run('no-unsafe-interpolation (trusted values)', plugin.rules['no-unsafe-interpolation']! as never, {
  valid: [
    // types that hold no text; number | string in LIMIT/OFFSET
    'function f(n: number | bigint, on: boolean) { return db.query(`SELECT id FROM t WHERE n = ${n} AND b = ${on}`); }',
    "function f(d: Date | null, k: 1 | 2) { return db.query(`SELECT id FROM t WHERE at > '${d}' AND k = ${k}`); }",
    'export function f(limit: number | string, offset: string | number) { return db.query(`SELECT id FROM t LIMIT ${limit} OFFSET ${offset}`); }',
    // lists of constants through local helpers
    "const q = (s: string) => `'${s}'`; db.query(`SELECT id FROM t WHERE k IN (${['a', 'b'].map(q).join(',')})`);",
    "const kinds = ['a', 'b']; db.query(`SELECT id FROM t WHERE k IN (${kinds.map((k) => `'${k}'`).join(',')})`);",
    // configuration of the process
    'db.query(`SELECT id FROM ${process.env.TABLE} WHERE id = ${process.env.DEFAULT_ID}`);',
    'class S { async f() { return db.query(`SELECT id FROM t WHERE tenant = ${this.options.tenant} AND x = ${this.config.x}`); } }',
    'class S { constructor(options: Opts) { db.query(`SELECT id FROM t WHERE tenant = ${options.tenant}`); } }',
    // known-safe producers
    "function f(d: Date, x: number) { return db.query(`SELECT id FROM t WHERE at > '${d.toISOString()}' AND a = ${String(x)} AND b = ${parseInt(s, 10)} AND c = ${x.toString()}`); }",
    // every call in the file passes a literal
    "async function byKind(kind: string) { return db.query(`SELECT id FROM t WHERE kind = '${kind}'`); } byKind('a'); byKind('b');",
    "const byKind = (kind) => db.query(`SELECT id FROM t WHERE kind = '${kind}'`); byKind('a');",
  ],
  invalid: [
    {
      code: "function f(x: number | string) { return db.query(`SELECT id FROM t WHERE a = '${x}'`); }",
      errors: [{ messageId: 'quoted', line: 1, column: 79, endLine: 1, endColumn: 83 }],
    },
    {
      code: "db.query(`SELECT id FROM t WHERE a = '${JSON.stringify({ a: 1 })}'`);",
      errors: [{ messageId: 'quoted', line: 1, column: 39, endLine: 1, endColumn: 66 }],
    },
    {
      code: "async function byKind(kind: string) { return db.query(`SELECT id FROM t WHERE kind = '${kind}'`); } byKind('a'); byKind(req.query.k);",
      errors: [{ messageId: 'quoted', line: 1, column: 87, endLine: 1, endColumn: 94 }],
    },
    {
      code: "export async function byKind(kind) { return db.query(`SELECT id FROM t WHERE kind = '${kind}'`); } byKind('a');",
      errors: [{ messageId: 'quoted', line: 1, column: 86, endLine: 1, endColumn: 93 }],
    },
    {
      code: 'function f(req: Req) { return db.query(`SELECT id FROM t WHERE a = ${req.body.a} LIMIT ${req.query.n}`); }',
      errors: [
        { messageId: 'interpolated', line: 1, column: 68, endLine: 1, endColumn: 81 },
        { messageId: 'interpolated', line: 1, column: 88, endLine: 1, endColumn: 102 },
      ],
    },
    {
      code: 'function f(name: string) { return db.query(`SELECT id FROM t WHERE a = ${name}`); }',
      errors: [{ messageId: 'interpolated', line: 1, column: 72, endLine: 1, endColumn: 79 }],
    },
  ],
});
