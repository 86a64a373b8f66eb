// Findings whose cost grows with a table's rows (redundant-index, unindexed-foreign-key) are reported
// on tables the application's own SQL queries, or that the config sizes: not on a settings table only
// a test and a seed script touch (src/schema/queried.ts).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin from '../eslint-plugin/index.js';
import { analyze } from '../src/analyze.js';
import { ready } from '../src/ready.js';
import { mayBeLarge, queriedTables, tablesOf } from '../src/schema/queried.js';
import { loadSchema } from '../src/schema/load.js';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

const fixture = join(root, 'fixtures', 'queried');
const migration = 'prisma/migrations/20240101000000_init/migration.sql';
const dir = mkdtempSync(join(tmpdir(), 'sqlperf-queried-'));

beforeAll(async () => {
  await ready();
  ensureBuilt();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP_TABLES_ONLY = ['3:75 unindexed-foreign-key', '5:14 redundant-index'];

function cliFindings(cwd: string, ...flags: string[]): string[] {
  const r = sqlperf(['lint', '.', '--format', 'json', ...flags], { cwd });
  expect(r.code).toBe(0);
  const results = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; column: number; ruleId: string }[] }[];
  return results.filter((f) => f.filePath.endsWith(migration)).flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`));
}

/** A preload that says on stderr each time a thread reads src/orders.ts: the lint opens it and reads the descriptor, the project scan reads it by name. */
function readsOfOrders(): string {
  const hook = join(dir, 'read-once-hook.cjs');
  writeFileSync(hook, "const fs = require('node:fs'); const open = fs.openSync; const read = fs.readFileSync; fs.openSync = function (f, ...a) { if (String(f).endsWith('orders.ts')) process.stderr.write('READ orders.ts\\n'); return open.call(this, f, ...a); }; fs.readFileSync = function (f, ...a) { if (typeof f === 'string' && f.endsWith('orders.ts')) process.stderr.write('READ orders.ts\\n'); return read.call(this, f, ...a); };\n");
  return hook;
}

describe('tables the application queries', () => {
  it('tablesOf: every real table a statement reads or writes, not its CTEs', () => {
    const model = analyze('WITH x AS (SELECT id FROM a) UPDATE b SET v = 1 FROM x JOIN "C" ON "C".id = x.id WHERE b.id IN (SELECT id FROM d)').statements[0]!.model!;
    expect(tablesOf(model).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('queriedTables reads application code only: a test and a seed script do not count', () => {
    expect([...queriedTables(fixture, { dialect: 'postgresql' })].sort()).toEqual(['order_notes', 'orders']);
  });

  it('queriedTables reads each file in the dialect the lint does: config overrides and dialect folders', () => {
    const proj = join(dir, 'overrides');
    mkdirSync(join(proj, 'src', 'reports'), { recursive: true });
    mkdirSync(join(proj, 'db', 'sqlite'), { recursive: true });
    // MySQL's backquotes are a syntax error for PostgreSQL: read as PostgreSQL these files say nothing
    writeFileSync(join(proj, 'src', 'reports', 'ledger.sql'), 'SELECT `id` FROM `ledger` WHERE `account` = ? LIMIT 10;\n');
    writeFileSync(join(proj, 'src', 'reports', 'totals.ts'), 'export const q = (db: any, a: string) => db.query(`SELECT sum(`amount`) FROM `totals` WHERE `account` = ?`, [a]);\n'.replace(/`amount`|`totals`|`account`/g, (m) => '\\' + m.slice(0, -1) + '\\`'));
    writeFileSync(join(proj, 'db', 'sqlite', 'cache.sql'), 'SELECT v FROM kv WHERE k = ? LIMIT 1;\n');
    writeFileSync(join(proj, 'src', 'orders.sql'), 'SELECT id FROM orders WHERE id = $1;\n');
    expect([...queriedTables(proj, { dialect: 'postgresql' })].sort()).toEqual(['kv', 'orders']);
    const overrides = [{ base: proj, files: ['src/reports/**'], dialect: 'mysql' as const }];
    expect([...queriedTables(proj, { dialect: 'postgresql', overrides })].sort()).toEqual(['kv', 'ledger', 'orders', 'totals']);
  });

  it('mayBeLarge: unknown without evidence, the config size first, then the evidence', () => {
    const schema = loadSchema([{ path: '1.sql', text: 'CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (id int PRIMARY KEY);' }], 'postgresql');
    const t = schema.tables.get('t')!;
    expect(mayBeLarge(schema, t)).toBe(true);
    schema.queried = new Set(['u']);
    expect(mayBeLarge(schema, t)).toBe(false);
    expect(mayBeLarge(schema, schema.tables.get('u')!)).toBe(true);
    expect(mayBeLarge(schema, { ...t, rows: 50_000 })).toBe(true);
    expect(mayBeLarge(schema, { ...schema.tables.get('u')!, rows: 100 })).toBe(false);
  });
});

describe('size-dependent schema findings in the CLI and in ESLint', () => {
  it('the CLI reports them on the tables application code queries only', () => {
    expect(cliFindings(fixture)).toEqual(APP_TABLES_ONLY);
  });

  it('a size in the config brings back the table no application query touches', () => {
    const p = join(dir, 'sized');
    cpSync(fixture, p, { recursive: true });
    writeFileSync(join(p, 'sqlperf.config.json'), JSON.stringify({ tables: { settings: { rows: 50_000 } } }));
    expect(cliFindings(p)).toEqual(['3:75 unindexed-foreign-key', '4:72 unindexed-foreign-key', '5:14 redundant-index', '7:14 redundant-index']);
  });

  it('a query added to application code brings them back too', () => {
    const p = join(dir, 'queried');
    cpSync(fixture, p, { recursive: true });
    writeFileSync(join(p, 'src', 'settings.ts'), "import { sql } from './db';\nexport const byName = (n: string) => sql`SELECT id FROM settings WHERE name = ${n}`;\n");
    expect(cliFindings(p)).toEqual(['3:75 unindexed-foreign-key', '4:72 unindexed-foreign-key', '5:14 redundant-index', '7:14 redundant-index']);
  });

  it('with --cache, a query added to application code brings them back on the next run', () => {
    const p = join(dir, 'cached');
    cpSync(fixture, p, { recursive: true });
    expect(cliFindings(p, '--cache')).toEqual(APP_TABLES_ONLY);
    writeFileSync(join(p, 'src', 'settings.ts'), "import { sql } from './db';\nexport const byName = (n: string) => sql`SELECT id FROM settings WHERE name = ${n}`;\n");
    expect(cliFindings(p, '--cache')).toEqual(['3:75 unindexed-foreign-key', '4:72 unindexed-foreign-key', '5:14 redundant-index', '7:14 redundant-index']);
  });

  it('with --cache, the tables an unchanged file queries come from the last run: it is not read again', () => {
    const p = join(dir, 'facts');
    cpSync(fixture, p, { recursive: true });
    const file = join(p, 'src', 'settings.ts');
    writeFileSync(file, "import { sql } from './db';\nexport const byName = (n: string) => sql`SELECT id FROM settings WHERE name = ${n}`;\n");
    // whole seconds: a time set again later is exactly the recorded one
    const when = 1_700_000_000;
    utimesSync(file, when, when);
    expect(cliFindings(p, '--cache')).toEqual(['3:75 unindexed-foreign-key', '4:72 unindexed-foreign-key', '5:14 redundant-index', '7:14 redundant-index']);
    expect(Object.keys((JSON.parse(readFileSync(join(p, '.sqlperfcache'), 'utf8')) as { facts: { files: object } }).facts.files)).toContain('src/settings.ts');
    // another table in the same size and time: the default strategy trusts both, as it does for results
    writeFileSync(file, readFileSync(file, 'utf8').replace('FROM settings', 'FROM xsetting'));
    utimesSync(file, when, when);
    expect(cliFindings(p, '--cache')).toEqual(['3:75 unindexed-foreign-key', '4:72 unindexed-foreign-key', '5:14 redundant-index', '7:14 redundant-index']);
    // the content strategy reads it, and the settings table is no longer queried
    expect(cliFindings(p, '--cache', '--cache-strategy', 'content')).toEqual(APP_TABLES_ONLY);
  });

  it('with --cache, the loaded schema is kept: unchanged migrations are not parsed again, a changed or damaged one is', () => {
    const p = join(dir, 'saved-schema');
    cpSync(fixture, p, { recursive: true });
    const lint = () => sqlperf(['lint', '.', '--format', 'json', '--cache'], { cwd: p });
    const cold = lint();
    const cache = join(p, '.sqlperfcache');
    const saved = (JSON.parse(readFileSync(cache, 'utf8')) as { schema: { notes: string[]; image: string } }).schema;
    expect(saved.notes).toEqual([expect.stringMatching(/^schema: prisma\/migrations \(prisma, found automatically\): 1 file, 3 tables, 7 indexes$/)]);
    expect(saved.image.length).toBeGreaterThan(100);
    // the same findings and the same notes on stderr, from the saved schema
    expect(lint()).toEqual(cold);
    // a damaged model is loaded again, with the same result
    writeFileSync(cache, JSON.stringify({ ...JSON.parse(readFileSync(cache, 'utf8')), schema: { ...saved, image: 'AAAA' } }));
    expect(lint()).toEqual(cold);
    // a migration that drops the redundant index: loaded again, one finding fewer
    const file = join(p, migration);
    writeFileSync(file, readFileSync(file, 'utf8').replace('CREATE INDEX orders_customer_idx ON orders (customer_id);', ''));
    expect(cliFindings(p, '--cache')).toEqual(['3:75 unindexed-foreign-key']);
  });

  it('a warm --cache run with every file unchanged loads no parser, even with a file over the size limit', () => {
    const p = join(dir, 'no-parser');
    cpSync(fixture, p, { recursive: true });
    writeFileSync(join(p, 'src', 'huge.ts'), `export const x = 1;\n${'// padding\n'.repeat(110_000)}`);
    const hook = join(dir, 'parser-hook.cjs');
    writeFileSync(hook, "const M = require('module'); const load = M._load; M._load = function (r, ...a) { if (/libpg-query|node-sql-parser/.test(r)) process.stderr.write('PARSER LOADED\\n'); return load.call(this, r, ...a); };\n");
    const lint = () => sqlperf(['lint', '.', '--format', 'json', '--cache'], { cwd: p, env: { NODE_OPTIONS: `--require ${hook}` } });
    const cold = lint();
    expect(cold.stderr).toContain('PARSER LOADED');
    expect(cold.stderr).toContain('skipping src/huge.ts');
    const warm = lint();
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toBe(cold.stderr.replace(/PARSER LOADED\n/g, ''));
    // a changed file is linted: the parser is loaded again
    writeFileSync(join(p, 'src', 'settings.ts'), "import { sql } from './db';\nexport const byName = (n: string) => sql`SELECT id FROM settings WHERE name = ${n}`;\n");
    expect(lint().stderr).toContain('PARSER LOADED');
  });

  it('a run without --cache reads each application file once: its lint keeps the tables it queries for the migrations\' findings', () => {
    const p = join(dir, 'read-once');
    cpSync(fixture, p, { recursive: true });
    const r = sqlperf(['lint', '.', '--format', 'json'], { cwd: p, env: { NODE_OPTIONS: `--require ${readsOfOrders()}` } });
    expect(r.stderr.match(/READ orders\.ts/g)).toEqual(['READ orders.ts']);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; column: number; ruleId: string }[] }[];
    expect(results.filter((f) => f.filePath.endsWith(migration)).flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`))).toEqual(APP_TABLES_ONLY);
  });

  it('with worker threads, the project is scanned for its queried tables once, in the main thread, not in each worker', () => {
    const p = join(dir, 'workers');
    cpSync(fixture, p, { recursive: true });
    const hook = join(dir, 'worker-read-hook.cjs');
    writeFileSync(hook, "const { isMainThread } = require('node:worker_threads'); const fs = require('node:fs'); const read = fs.readFileSync; fs.readFileSync = function (f, ...a) { if (!isMainThread && String(f).endsWith('orders.ts')) process.stderr.write('WORKER READ orders.ts\\n'); return read.call(this, f, ...a); };\n");
    // src/orders.ts is not linted: only the scan of the project reads it
    const r = sqlperf(['lint', 'prisma', 'scripts', '--format', 'json', '--concurrency', '2'], { cwd: p, env: { NODE_OPTIONS: `--require ${hook}` } });
    expect(r.stderr).not.toContain('WORKER READ');
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; column: number; ruleId: string }[] }[];
    expect(results.filter((f) => f.filePath.endsWith(migration)).flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`))).toEqual(APP_TABLES_ONLY);
  });

  it('with worker threads, the application files are linted first and read once: the workers hand back the tables they query', () => {
    const p = join(dir, 'workers-read-once');
    cpSync(fixture, p, { recursive: true });
    const r = sqlperf(['lint', '.', '--format', 'json', '--concurrency', '2'], { cwd: p, env: { NODE_OPTIONS: `--require ${readsOfOrders()}` } });
    expect(r.stderr.match(/READ orders\.ts/g)).toEqual(['READ orders.ts']);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; column: number; ruleId: string }[] }[];
    expect(results.filter((f) => f.filePath.endsWith(migration)).flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`))).toEqual(APP_TABLES_ONLY);
  });

  it('the ESLint plugin reports the same findings', async () => {
    const eslint = new ESLint({ cwd: fixture, overrideConfigFile: true, overrideConfig: [plugin.configs.sql as never, { files: ['**/*.sql'], rules: { 'sqlperf/redundant-index': 'warn', 'sqlperf/unindexed-foreign-key': 'warn' }, settings: { sqlperf: { schema: true } } }] });
    const [r] = await eslint.lintFiles([migration]);
    expect(r!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId!.replace('sqlperf/', '')}`)).toEqual(APP_TABLES_ONLY);
  });
});
