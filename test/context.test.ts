import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { appliesIn, builtinContext, checkContextGlobs, contextOf, dialectFromPath } from '../src/context.js';
import { lintHostSource } from '../src/embed/index.js';
import { loadSchema } from '../src/schema/index.js';
import { rules } from '../rules/index.js';

beforeAll(() => ready());

describe('dialectFromPath: the dialect a folder name states', () => {
  it('reads a folder named for a dialect, or a dialect joined to a word for SQL folders; the deepest wins', () => {
    const at = (rel: string) => dialectFromPath(join('/proj', rel), '/proj');
    expect(at('db/sqlite/notes.sql')).toBe('sqlite');
    expect(at('server/db/migrations-sqlite/001.sql')).toBe('sqlite');
    expect(at('mysql_schema/users.sql')).toBe('mysql');
    expect(at('db/clickhouse-migrations/1.sql')).toBe('clickhouse');
    expect(at('postgres.migrations/1.sql')).toBe('postgresql');
    expect(at('mysql/migrations-sqlite/1.sql')).toBe('sqlite');
    // a dialect beside another word, a short name in a compound, two dialects, or a JS file: not stated
    expect(at('pg-boss/queue.sql')).toBeUndefined();
    expect(at('sqlite-viewer/dump.sql')).toBeUndefined();
    expect(at('mysql-to-postgres/x.sql')).toBeUndefined();
    expect(at('migrations-mysql-sqlite/1.sql')).toBeUndefined();
    expect(at('db/migrations/1.sql')).toBeUndefined();
  });

  it("a JS/TS file: its own name (a dialect's full name inside it), then its folders; ClickHouse is left to each site", () => {
    const at = (rel: string) => dialectFromPath(join('/proj', rel), '/proj');
    expect(at('src/cache/kv-sqlite.ts')).toBe('sqlite');
    expect(at('src/cache/mysql-store.ts')).toBe('mysql');
    expect(at('nodes/MySQLRecordManager/MySQLrecordManager.ts')).toBe('mysql');
    expect(at('db/migrations/mysql/1720000000000-AddUsers.ts')).toBe('mysql');
    expect(at('migrations-sqlite/db.js')).toBe('sqlite');
    expect(at('src/db/pg.ts')).toBe('postgresql');
    expect(at('mysql/postgresClient.mts')).toBe('postgresql');
    // a .sql file's name tells its subject, not its dialect
    expect(at('db/old_migrations/patch-add-sqlserver-monitor.sql')).toBeUndefined();
    // two dialects, a short name inside a word, Twitter's snowflake ids, ClickHouse in JS/TS, other files
    expect(at('src/mysqlToPostgres.ts')).toBeUndefined();
    expect(at('src/pg-boss.ts')).toBeUndefined();
    expect(at('src/snowflakeId.ts')).toBeUndefined();
    expect(at('src/clickhouse.ts')).toBeUndefined();
    expect(at('db/clickhouse/events.ts')).toBeUndefined();
    expect(at('db/clickhouse/events.sql')).toBe('clickhouse');
    expect(at('docs/mysql.md')).toBeUndefined();
    expect(at('src/orders.ts')).toBeUndefined();
  });
});

describe('builtinContext: where a file runs, from the common layouts', () => {
  it.each([
    ['src/orders.ts', 'app'],
    ['app/routes/api.tsx', 'app'],
    ['src/pages/404-page.tsx', 'app'],
    ['prisma/migrations/20240101120000_init/migration.sql', 'migration'],
    ['drizzle/0003_orders.sql', 'migration'],
    ['db/migrate/20240101120000_add_users.js', 'migration'],
    ['src/migration/1700000000000-AddUsers.ts', 'migration'],
    ['server/alterations/2024-01-01-x.ts', 'migration'],
    ['sql/V1_2__orders.sql', 'migration'],
    ['db/000001_users.up.sql', 'migration'],
    ['sql/000001.sql', 'migration'],
    ['sql/12.sql', 'app'],
    ['src/404.ts', 'app'],
    ['src/20240101120000-add-index.ts', 'migration'],
    ['workers/tasks/migrateLinkContent.ts', 'migration'],
    ['src/db/backfill-slugs.mjs', 'migration'],
    ['src/db/migrate.ts', 'migration'],
    ['src/components/migrateDialog.tsx', 'app'],
    ['src/migrated-users.ts', 'app'],
    ['src/backfilled.ts', 'app'],
    ['scripts/backfill.ts', 'script'],
    ['tool/clean-up-dbs.sql', 'script'],
    ['internal/tooling/gen.ts', 'script'],
    ['.scripts/reset.mjs', 'script'],
    ['prisma/seed.ts', 'script'],
    ['db/seeds/users.sql', 'script'],
    ['tools/dump.js', 'script'],
    ['src/orders.test.ts', 'test'],
    ['src/orders.spec.js', 'test'],
    ['src/__tests__/orders.ts', 'test'],
    ['test/migrations/001_x.sql', 'test'],
    ['e2e/login.ts', 'test'],
    ['fixtures/demo/src/db.ts', 'test'],
    ['packages/medusa-test-utils/src/db.ts', 'test'],
    ['internal/testcontainers/src/clickhouse.ts', 'test'],
    ['apps/webapp/evals/aiQuery.eval.ts', 'test'],
    ['apps/api/integration-tests/orders.ts', 'test'],
    ['db/postgresql/data-migrations/populate.sql', 'migration'],
    ['db/old_migrations/patch1.sql', 'migration'],
    ['extra/reset-password.js', 'script'],
    ['src/latest/orders.ts', 'app'],
    ['src/contests/orders.ts', 'app'],
  ])('%s is %s', (rel, want) => {
    expect(builtinContext(rel)).toBe(want);
  });
});

describe('contextOf: project root and config globs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-ctx-'));
    // a monorepo package: its own test folder is tests, whatever the folders above are called
    mkdirSync(join(dir, 'tests', 'packages', 'api', 'src'), { recursive: true });
    mkdirSync(join(dir, 'tests', 'packages', 'api', 'test'), { recursive: true });
    writeFileSync(join(dir, 'tests', 'packages', 'api', 'package.json'), '{}');
  });
  it('reads the path from the nearest package.json, never from folders above the project', () => {
    expect(contextOf(join(dir, 'tests', 'packages', 'api', 'src', 'a.ts'))).toBe('app');
    expect(contextOf(join(dir, 'tests', 'packages', 'api', 'test', 'a.ts'))).toBe('test');
  });
  it('config globs win over the layouts; an app glob carves an exception out of a test folder', () => {
    const base = join(dir, 'tests', 'packages', 'api');
    const globs = { migration: ['src/changes/**'], app: ['test/smoke/**'] };
    expect(contextOf(join(base, 'src', 'changes', 'x.ts'), { base, globs })).toBe('migration');
    expect(contextOf(join(base, 'test', 'smoke', 'x.ts'), { base, globs })).toBe('app');
    expect(contextOf(join(base, 'test', 'unit', 'x.ts'), { base, globs })).toBe('test');
  });
  it('validates config contexts, naming the key', () => {
    expect(checkContextGlobs({ migrations: ['x'] }).problem).toMatch(/"contexts.migrations" is not a context; use app, migration, script, test/);
    expect(checkContextGlobs({ test: 'x' }).problem).toMatch(/"contexts.test" must be an array/);
    expect(checkContextGlobs([]).problem).toMatch(/"contexts" must be an object/);
    expect(checkContextGlobs({ test: ['e2e/**'] }).globs).toEqual({ test: ['e2e/**'] });
  });
});

describe('rules apply per context', () => {
  const byName = new Map(rules.map((r) => [r.name, r]));
  it('performance and security rules are for application code; schema rules also run on migrations', () => {
    expect(appliesIn(byName.get('no-select-star')!, 'app')).toBe(true);
    expect(appliesIn(byName.get('no-select-star')!, 'migration')).toBe(false);
    expect(appliesIn(byName.get('no-unsafe-interpolation')!, 'test')).toBe(false);
    expect(appliesIn(byName.get('require-where')!, 'migration')).toBe(false);
    expect(appliesIn(byName.get('redundant-index')!, 'migration')).toBe(true);
    expect(appliesIn(byName.get('no-not-in-subquery')!, 'script')).toBe(true);
    expect(appliesIn(byName.get('no-not-in-subquery')!, 'test')).toBe(false);
  });

  const sql = 'SELECT * FROM users;\nUPDATE documents SET icon = emoji;';
  it('analyze skips rules and index suggestions outside their contexts', () => {
    const on = { 'require-where': 'warn', 'no-select-star': 'warn' } as const;
    const app = analyze(sql, { context: 'app', rules: on });
    expect(app.diagnostics.map((d) => `${d.ruleId}@${d.start}`)).toEqual(['no-select-star@7', 'require-where@21']);
    const migration = analyze(sql, { context: 'migration', rules: on });
    expect(migration.diagnostics).toEqual([]);
    const q = 'SELECT id FROM orders WHERE customer_id = $1';
    expect(analyze(q, { context: 'app' }).statements[0]!.indexes.length).toBe(1);
    expect(analyze(q, { context: 'script' }).statements[0]!.indexes).toEqual([]);
  });
  it('lintHostSource applies the context to SQL rules and host rules alike', () => {
    const code = 'export async function f(db, ids, name: string) {\n  for (const id of ids) await db.query(`SELECT * FROM t WHERE a = \'${name}\' AND b = ${id}`);\n}\n';
    const on = { 'no-select-star': 'warn', 'no-query-in-loop': 'warn', 'no-unsafe-interpolation': 'warn' } as const;
    const app = lintHostSource(code, 'f.ts', { context: 'app', rules: on }).diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`);
    expect(app).toContain('no-select-star 2:48');
    expect(app.some((r) => r.startsWith('no-query-in-loop '))).toBe(true);
    expect(app.some((r) => r.startsWith('no-unsafe-interpolation '))).toBe(true);
    expect(lintHostSource(code, 'f.test.ts', { context: 'test', rules: on }).diagnostics).toEqual([]);
  });
});

describe('parse errors say whose limitation they are', () => {
  it('PostgreSQL rejecting SQL is an error; node-sql-parser rejecting it is a warning that says so', () => {
    const [pg] = analyze('SELEC id FROM t').diagnostics;
    expect(pg).toMatchObject({ ruleId: 'parse-error', severity: 'error', start: 0 });
    const [my] = analyze('SELECT id FROM t WHERE a = = 1', { dialect: 'mysql' }).diagnostics;
    expect(my).toMatchObject({ ruleId: 'parse-error', severity: 'warn' });
    expect(my!.message).toMatch(/^sqlperf could not read this statement \(node-sql-parser, mysql\): /);
  });
  it('embedded SQL that holes make unreadable is counted, not reported; an error before any hole is', () => {
    const holes = 'const q = sql`SELECT id FROM t WHERE ${a} ${b} ${c} = 1 ((`;\n';
    const r = lintHostSource(holes, 'x.ts', { reportUnanalysed: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.stats.skippedBy.holes).toBe(1);
    expect(r.unanalysed).toEqual([expect.objectContaining({ start: 13, reason: 'holes' })]);
    const typo = 'const q = sql`SELECT id FROM t WHERE a = = ${b}`;\n';
    expect(lintHostSource(typo, 'x.ts').diagnostics.map((d) => `${d.ruleId} ${d.severity} ${d.column}`)).toEqual(['parse-error error 42']);
  });
});

describe('SQLite schema: CREATE INDEX names are objects in its AST', () => {
  it('loads the index, so it serves queries and redundant-index sees it', () => {
    const ddl = 'CREATE TABLE branches (id TEXT PRIMARY KEY, parentNoteId TEXT, pos INT);\nCREATE INDEX IF NOT EXISTS `IDX_branches_parent` ON `branches` (`parentNoteId`, pos);\nCREATE INDEX IDX_parent ON branches (parentNoteId);';
    const schema = loadSchema([{ path: 'schema.sql', text: ddl }], 'sqlite');
    expect(schema.tables.get('branches')!.indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['IDX_branches_parent', 'IDX_parent']));
    const q = analyze('SELECT id FROM branches WHERE parentNoteId = ?', { dialect: 'sqlite', schema });
    expect(q.diagnostics.filter((d) => d.ruleId === 'missing-index')).toEqual([]);
    expect(q.diagnostics.filter((d) => d.ruleId.startsWith('internal'))).toEqual([]);
  });
});
