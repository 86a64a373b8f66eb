/**
 * no-query-in-loop in every shape: tagged templates handed to a query call, SQL in the second
 * argument, query-builder and ORM chains (program-wide check, src/embed/loops.ts); silent on
 * polling/retry loops and loops over table names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { activeHostRules, runProgramChecks } from '../src/embed/host-rules.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { rules } from '../rules/index.js';
import { ALL } from './helpers/all-rules.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'embed', 'host');

beforeAll(() => ready());

function cli(file: string): string[] {
  const code = readFileSync(join(fixtures, file), 'utf8');
  return lintHostSource(code, file, { rules: ALL })
    .diagnostics.filter((d) => d.ruleId === 'no-query-in-loop')
    .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}] ${d.messageId}`);
}

/** Program-wide checks, as the front ends run them once per file; the rule on, with builders or its default options. */
function program(code: string, builders = true): string[] {
  const prog = parse(code, { range: true, comment: true, loc: false, tokens: false });
  const starts = lineStarts(code);
  return runProgramChecks(prog as never, code, activeHostRules(rules, builders ? { 'no-query-in-loop': ['warn', { builders: true }] } : { 'no-query-in-loop': 'warn' }))
    .filter((d) => d.ruleId === 'no-query-in-loop')
    .map((d) => {
      const a = toLineCol(starts, d.start);
      const b = toLineCol(starts, d.end);
      return `${a.line}:${a.column}-${b.line}:${b.column} [${code.slice(d.start, d.end)}] ${d.messageId}: ${d.message.split(' runs once')[0]}`;
    });
}

describe('no-query-in-loop shapes', () => {
  it('fixtures/embed/host/query-in-loop-shapes.ts: push(await pool.query(sql`...`)), u.x = await db.query(sql`...`), map(i => execute(conn, `...`)); silent on table loops, polling and retries', () => {
    expect(cli('query-in-loop-shapes.ts')).toEqual(['6:40-6:50 [pool.query] select', '8:22-8:30 [db.query] select', '10:38-10:45 [execute] write', '11:31-11:41 [db.execute] write']);
  });

  it('fixtures/embed/host/query-in-loop-builders.ts (program-wide check, builders: true): kysely, Prisma, knex, drizzle keyed by the element over the rows of a query', () => {
    expect(program(readFileSync(join(fixtures, 'query-in-loop-builders.ts'), 'utf8'))).toEqual([
      "7:75-7:91 [executeTakeFirst] select: db.selectFrom('orders')...executeTakeFirst()",
      '10:32-10:54 [prisma.user.findUnique] select: prisma.user.findUnique()',
      "11:78-11:84 [update] write: knex('users')...update()",
      '13:55-13:60 [where] select: db.select()...where()',
    ]);
  });

  it('builder and ORM calls are not checked by default', () => {
    expect(program(readFileSync(join(fixtures, 'query-in-loop-builders.ts'), 'utf8'), false)).toEqual([]);
    expect(cli('query-in-loop-builders.ts')).toEqual([]);
  });

  it('a loop with a sleep or backoff between queries is polling', () => {
    for (const code of [
      'while (true) { await db.query("SELECT 1 FROM jobs WHERE id = $1", [id]); await new Promise((r) => setTimeout(r, 500)); }',
      'for (let retries = 0; retries < 5; retries++) { await db.query("UPDATE t SET a = 1 WHERE id = $1", [id]); }',
      'do { rows = await db.query("SELECT id FROM jobs WHERE state = $1", ["ready"]); await delay(100); } while (!rows.length);',
      'while (Date.now() < deadline) { await db.query("SELECT id FROM jobs WHERE id = $1", [id]); }',
    ]) expect(lintHostSource(code, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-query-in-loop'), code).toEqual([]);
  });
});

describe('no-query-in-loop: query config objects and transaction tags', () => {
  const lint = (code: string) =>
    lintHostSource(code, 'x.ts', { rules: ALL })
      .diagnostics.filter((d) => d.ruleId === 'no-query-in-loop')
      .map((d) => `${d.line}:${d.column} [${code.slice(d.start, d.end)}]`);
  it("node-postgres' { text, values } and postgres.js' tx`...` awaited in a loop are N+1; outside a loop they are not", () => {
    const code = [
      'async function a(db: Pool, ids: number[]) {',
      '  for (const id of ids) await db.query({ text: `SELECT name FROM users WHERE id = $1`, values: [id] });',
      '}',
      'async function b(tx: Sql, ids: number[]) {',
      '  for (const id of ids) await tx`SELECT name FROM users WHERE id = ${id}`;',
      '}',
      'async function c(db: Pool, tx: Sql, id: number) {',
      '  await db.query({ text: `SELECT name FROM users WHERE id = $1`, values: [id] });',
      '  await tx`SELECT name FROM users WHERE id = ${id}`;',
      '}',
    ].join('\n');
    expect(lint(code)).toEqual(['2:31 [db.query]', '5:31 [tx]']);
  });
});
