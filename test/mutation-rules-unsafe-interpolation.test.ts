import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { hostFindings } from './helpers/rule-findings.js';

// Golden tests for rules/no-unsafe-interpolation.ts (issue 19, mutation testing): each message with
// the hole's range and its collapsed, cut text; the SQL before a hole that makes it a value, a string,
// a name or a fragment; quotes per dialect; holes glued to a name; parameterizing tags and raw helpers;
// values the code shows to be safe; SQL that does not parse.

beforeAll(() => ready());

const RULE = 'no-unsafe-interpolation';
const MSG = {
  interpolated: 'is interpolated into the SQL text; pass it as a bind parameter ($1 / ?) or use a parameterizing sql tag',
  quoted: 'is put inside a SQL string literal, where a quote in it ends the string; pass it as a bind parameter instead',
  concatenated: 'is concatenated into the SQL text; pass it as a bind parameter ($1 / ?)',
  rawHelper: 'puts a value into the SQL text as it is, inside a parameterized query; interpolate the value itself (it becomes a bind parameter) or give raw() only constants',
  identifier: 'is a string from outside put into the SQL text as a name; check it against an allow-list of names (ALLOWED.includes(x)) or quote it with an identifier helper',
};
/** `line:col-endLine:endCol [text] text message`, the text as the message shows it. */
const f = (at: string, text: string, id: keyof typeof MSG, shown = text) => `${at} [${text}] ${shown} ${MSG[id]}`;
/** The lines inside `async function f(x: string, ...) { ... }`: body line n is line n + 1. */
const run = (lines: string[], dialect?: Dialect) => hostFindings(RULE, `async function f(x: string, n: number, s: string | number, limit: number | string) {\n${lines.join('\n')}\n}`, dialect ? { dialect } : {});

describe('no-unsafe-interpolation: values in the SQL text', () => {
  it('interpolated, inside a string literal, concatenated', () => {
    expect(run([
      "  await db.query(`SELECT id FROM users WHERE email = '${x}'`);",
      '  await db.query(`SELECT id FROM users WHERE id = ${x}`);',
      "  await db.query(\"SELECT id FROM users WHERE email = '\" + x + \"'\");",
      "  await db.query('SELECT id FROM users WHERE id = ' + x);",
      '  await db.query(`SELECT id FROM users WHERE id = ${n}`);',
      "  await db.query('SELECT id FROM users WHERE id = $1', [x]);",
    ])).toEqual([
      f('2:55-2:59', '${x}', 'quoted'),
      f('3:51-3:55', '${x}', 'interpolated'),
      f('4:59-4:60', 'x', 'quoted'),
      f('5:55-5:56', 'x', 'concatenated'),
    ]);
  });

  it('the SQL before the hole makes it a value: comparisons, LIKE, IN, BETWEEN, LIMIT, OFFSET, VALUES', () => {
    const before = ['a < ', 'a > ', 'a >= (', 'a LIKE ', 'a ILIKE ', 'a IN (', 'a IN (1, ', 'a IN (f(1), ', 'a BETWEEN 1 AND '];
    for (const b of before) expect(run([`  await db.query(\`SELECT id FROM users WHERE ${b}\${x}\`);`]), b).toEqual([f(`2:${46 + b.length}-2:${50 + b.length}`, '${x}', 'interpolated')]);
    expect(run([
      '  await db.query(`SELECT id FROM users LIMIT ${x}`);',
      '  await db.query(`SELECT id FROM users OFFSET ${x}`);',
      '  await db.query(`INSERT INTO t (a, b) VALUES (1, ${x})`);',
      '  await db.query(`INSERT INTO t (a, b) VALUES (1, 2), (3, ${x})`);',
    ])).toEqual([f('2:46-2:50', '${x}', 'interpolated'), f('3:47-3:51', '${x}', 'interpolated'), f('4:51-4:55', '${x}', 'interpolated'), f('5:59-5:63', '${x}', 'interpolated')]);
  });

  it('not a value: a select item, a condition, a function argument, a placeholder number, a hole glued to a name', () => {
    for (const sql of [
      'SELECT f(${x}) FROM users',
      'SELECT id FROM users WHERE ${x}',
      'SELECT id FROM users WHERE a = f(${x})',
      'SELECT id FROM users WHERE a = $${x}',
      'SELECT id FROM users_${x} WHERE a = 1',
      'SELECT id FROM users WHERE a = ${x}_x',
      'SELECT id FROM "${x}"',
      'SELECT id FROM users WHERE a = "${x}"',
    ]) expect(run([`  await db.query(\`${sql}\`);`]), sql).toEqual([]);
    // glued, but inside a string literal: still text
    expect(run(["  await db.query(`SELECT id FROM users WHERE a = 'a${x}'`);"])).toEqual([f('2:52-2:56', '${x}', 'quoted')]);
  });

  it('string literals: single quotes, dollar quotes, and double quotes in MySQL and MariaDB only', () => {
    const lines = ['  await db.query(`SELECT id FROM users WHERE a = "${x}"`);', "  await db.query(`SELECT id FROM users WHERE a = $tag$${x}$tag$`);", "  await db.query(`SELECT id FROM users WHERE a LIKE '%${x}%'`);"];
    expect(run(lines)).toEqual([f('3:55-3:59', '${x}', 'quoted'), f('4:55-4:59', '${x}', 'quoted')]);
    for (const d of ['mysql', 'mariadb'] as const) expect(run(lines.slice(0, 1), d), d).toEqual([f('2:51-2:55', '${x}', 'quoted')]);
    expect(run(lines.slice(0, 1), 'sqlite')).toEqual([]);
  });

  it('SQL that does not parse: the text around the hole, only where the code certainly runs SQL', () => {
    expect(run([
      '  await db.query(`SELECT id FROM users WHERE id = ${x} AND`);',
      '  const q = `SELECT id FROM users WHERE id = ${x} AND`;',
      "  const r = `SELECT id FROM users WHERE a LIKE '%${x}%' AND`;",
      '  const t = `SELECT id FROM users WHERE id = ${x}`;',
    ])).toEqual([f('2:51-2:55', '${x}', 'interpolated'), f('4:50-4:54', '${x}', 'quoted'), f('5:46-5:50', '${x}', 'interpolated')]);
  });

  it('the text in the message: several operands, whitespace collapsed, cut at 60 characters', () => {
    expect(run([
      '  await db.query(`SELECT id FROM users WHERE email = ${x + x}`);',
      "  await db.query('SELECT id FROM users WHERE email = ' + x + x);",
      "  await db.query(`SELECT id FROM users WHERE email = ${someVeryLongFunctionName(x, x, 'and some more arguments to pass sixty')}`);",
      "  await db.query(`SELECT id FROM users WHERE email = ${someLongFunctionName(x, x, 'and some arguments to make!')}`);",
      "  await db.query(`SELECT id FROM users WHERE email = ${someLongFunctionName(x, x, 'and some arguments to make!!')}`);",
      '  await db.query(`SELECT id FROM users WHERE email = ${x',
      '    .trim()}`);',
    ])).toEqual([
      f('2:54-2:62', '${x + x}', 'interpolated'),
      f('3:58-3:63', 'x + x', 'concatenated'),
      f('4:54-4:128', "${someVeryLongFunctionName(x, x, 'and some more arguments to pass sixty')}", 'interpolated', "${someVeryLongFunctionName(x, x, 'and some more arguments..."),
      f('5:54-5:114', "${someLongFunctionName(x, x, 'and some arguments to make!')}", 'interpolated'),
      f('6:54-6:115', "${someLongFunctionName(x, x, 'and some arguments to make!!')}", 'interpolated', "${someLongFunctionName(x, x, 'and some arguments to make!..."),
      f('7:54-8:13', '${x\n    .trim()}', 'interpolated', '${x .trim()}'),
    ]);
  });
});

describe('no-unsafe-interpolation: names', () => {
  it('a string from outside as a table or a sort or group column', () => {
    expect(run([
      '  await db.query(`SELECT id FROM ${x} WHERE id = $1`, [n]);',
      '  await db.query(`SELECT id FROM users JOIN ${x} ON true`);',
      '  await db.query(`INSERT INTO ${x} (a) VALUES (1)`);',
      '  await db.query(`UPDATE ${x} SET a = 1`);',
      '  await db.query(`TRUNCATE TABLE ${x}`);',
      '  await db.query(`SELECT id FROM users ORDER BY ${x}`);',
      '  await db.query(`SELECT a, count(*) FROM users GROUP BY ${x}`);',
    ])).toEqual([
      f('2:34-2:38', '${x}', 'identifier'),
      f('3:45-3:49', '${x}', 'identifier'),
      f('4:31-4:35', '${x}', 'identifier'),
      f('5:26-5:30', '${x}', 'identifier'),
      f('6:34-6:38', '${x}', 'identifier'),
      f('7:49-7:53', '${x}', 'identifier'),
      f('8:58-8:62', '${x}', 'identifier'),
    ]);
  });

  it('not a name from outside: checked against an allow-list, a literal, a method result', () => {
    expect(hostFindings(RULE, [
      "const ALLOWED = ['a', 'b'];",
      'async function f(col: string, t: string) {',
      '  if (!ALLOWED.includes(col)) throw new Error();',
      '  await db.query(`SELECT id FROM users ORDER BY ${col}`);',
      "  await db.query(`SELECT id FROM users ORDER BY ${'a'}`);",
      '  await db.query(`SELECT id FROM users WHERE a = ${col}`);',
      "  await db.query(`SELECT id FROM users WHERE a = '${col}'`);",
      '  await db.query(`SELECT id FROM ${t.toLowerCase()}`);',
      '}',
    ].join('\n'))).toEqual([]);
  });
});

describe('no-unsafe-interpolation: values the code shows to be safe', () => {
  it('numbers, and number | string in LIMIT and OFFSET only', () => {
    expect(run([
      '  await db.query(`SELECT id FROM users LIMIT ${limit}`);',
      '  await db.query(`SELECT id FROM users OFFSET ${limit}`);',
      '  await db.query(`SELECT id FROM users WHERE a = ${s}`);',
      '  await db.query(`SELECT id FROM users LIMIT ${String(s)}`);',
      '  await db.query(`SELECT id FROM users LIMIT ${Number(s)}`);',
      '  await db.query(`SELECT id FROM users LIMIT ${limit.x}`);',
      '  await db.query(`SELECT id FROM users WHERE a = ${limit}`);',
    ])).toEqual([f('4:50-4:54', '${s}', 'interpolated'), f('5:46-5:58', '${String(s)}', 'interpolated'), f('7:46-7:56', '${limit.x}', 'interpolated'), f('8:50-8:58', '${limit}', 'interpolated')]);
  });
});

describe('no-unsafe-interpolation: parameterizing tags', () => {
  it('values become parameters; a raw helper given a variable where a value stands is reported', () => {
    expect(run([
      '  await sql`SELECT id FROM users WHERE email = ${x}`;',
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw(x)}`;',
      "  await prisma.$queryRaw`SELECT id FROM users WHERE email = '${Prisma.raw(x)}'`;",
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email IN (${Prisma.raw(x)})`;',
      '  await prisma.$queryRaw`SELECT id FROM users ORDER BY ${Prisma.raw(x)}`;',
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw(quote(x))}`;',
      "  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw('x')}`;",
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${x}`;',
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${sql.raw(x)}`;',
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw(x) + x}`;',
      '  await prisma.$queryRaw`SELECT id FROM users WHERE email = "${Prisma.raw(x)}"`;',
    ])).toEqual([
      f('3:61-3:77', '${Prisma.raw(x)}', 'rawHelper'),
      f('4:62-4:78', '${Prisma.raw(x)}', 'rawHelper'),
      f('5:63-5:79', '${Prisma.raw(x)}', 'rawHelper'),
      f('10:61-10:74', '${sql.raw(x)}', 'rawHelper'),
    ]);
  });
});

describe('no-unsafe-interpolation: the edges the first mutation run left', () => {
  it('number | string only right after LIMIT / OFFSET (blanks allowed), not anywhere after one', () => {
    expect(run([
      '  await db.query(`SELECT id FROM (SELECT * FROM t LIMIT 5) s WHERE a = ${limit}`);',
      '  await db.query(`SELECT id FROM users LIMIT  ${limit}`);',
    ])).toEqual([f('2:72-2:80', '${limit}', 'interpolated')]);
  });

  it('a keyword inside a string literal is text, not a name; a backtick name is a name in MySQL', () => {
    expect(run(["  await db.query(`SELECT id FROM users WHERE note = 'sent from ${x}'`);"])).toEqual([f('2:64-2:68', '${x}', 'quoted')]);
    expect(run(['  await db.query(`SELECT id FROM users WHERE \\`${x}\\` = 1`);'], 'mysql')).toEqual([]);
  });
});

describe('no-unsafe-interpolation: the edges the second mutation run left', () => {
  const interpolated = (sql: string) => {
    const at = sql.indexOf('${') + 19;
    return [f(`2:${at}-2:${at + 4}`, '${x}', 'interpolated')];
  };
  const line = (sql: string) => [`  await db.query(\`${sql}\`);`];

  it('a hole after an open bracket or a comma is a value only in the innermost VALUES (...) or IN (...) row', () => {
    for (const sql of [
      'INSERT INTO t (a) VALUES (${x})',
      'SELECT id FROM users WHERE a IN (1,${x})',
      'SELECT id FROM users WHERE a IN(1, ${x})',
      'INSERT INTO t (a, b) VALUES(1, 2), (3, ${x})',
      'INSERT INTO t (a, b) VALUES (1, 2), (3, 4), (5, ${x})',
      'INSERT INTO t (a, b) VALUES (1, 2) , (3, ${x})',
      'INSERT INTO t (a, b) VALUES (1, 2),(3, ${x})',
    ]) expect(run(line(sql)), sql).toEqual(interpolated(sql));
    for (const sql of [
      'SELECT id FROM users WHERE a IN (SELECT b FROM t WHERE ${x})',
      'SELECT id FROM users WHERE a IN (1) AND b = f(${x})',
      'INSERT INTO t (a) VALUES (1) RETURNING f(${x})',
      'SELECT a, ${x} FROM users',
    ]) expect(run(line(sql)), sql).toEqual([]);
  });

  it('the fill the SQL parsed with decides: a hole filled with nothing is no value, even after =', () => {
    expect(run(line('SELECT id FROM users WHERE a = ${x} 1'))).toEqual([]);
  });

  it('a raw helper given a call (it builds the SQL itself) is not reported, whatever the call', () => {
    expect(run(['  await prisma.$queryRaw`SELECT id FROM users WHERE email = ${Prisma.raw(f(x))}`;'])).toEqual([]);
  });

  it('a parameter every call in the file fixes to a string literal, and a constructor\'s options, are trusted', () => {
    expect(hostFindings(RULE, "async function g(x: string) {\n  await db.query(`SELECT id FROM users WHERE a = '${x}'`);\n}\ng('a');\ng('b');\n")).toEqual([]);
    expect(hostFindings(RULE, "class Repo {\n  constructor(options: { x: string }) {\n    db.query(`SELECT id FROM users WHERE a = '${options.x}'`);\n  }\n}\n")).toEqual([]);
  });
});
