import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

const pg = join(root, 'fixtures', 'schema', 'pg');
const verifyDemo = join(root, 'fixtures', 'verify');
let tmp: string;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'sqlperf-schema-'));
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Msg = { ruleId: string; line: number; column: number; message: string };
const messages = (stdout: string, file: string): string[] =>
  (JSON.parse(stdout) as Array<{ filePath: string; messages: Msg[] }>).find((f) => f.filePath.endsWith(file))!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`);

describe('the schema in the CLI', () => {
  it('finds Prisma migrations by itself, says so, and runs the schema rules', () => {
    const r = sqlperf(['lint', '-f', 'json'], { cwd: pg });
    expect(r.stderr).toContain('sqlperf: schema: prisma/migrations (prisma, found automatically): 3 files, 5 tables, 10 indexes\n');
    expect(r.stderr).toContain('sqlperf: schema: prisma/migrations/20240215093000_orders/migration.sql:27:8: skipped: statement not loaded into the schema: syntax error at or near "TABEL"\n');
    // lower(email) on line 5 is served by the migration's users_lower_email_idx: no finding there
    expect(messages(r.stdout, 'queries.sql')).toEqual(['4:29 missing-index', '6:28 missing-index', '7:12 unknown-column', '8:16 unknown-table', '9:24 unknown-table']);
    // order_items' redundant index (24:14) is left out: no application query reads order_items, so its size is unknown (test/queried-tables.test.ts)
    expect(messages(r.stdout, '20240215093000_orders/migration.sql').filter((m) => !m.endsWith('parse-error'))).toEqual(['4:26 unindexed-foreign-key', '21:14 redundant-index']);
    // PostgreSQL's parse error in a migration is a warning (it runs under its own tool), so nothing here is an error
    const migration = (JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<Msg & { severity: number }> }>).find((f) => f.filePath.endsWith('20240215093000_orders/migration.sql'))!;
    expect(migration.messages.filter((m) => m.ruleId === 'parse-error').map((m) => [m.line, m.column, m.severity])).toEqual([[27, 8, 1]]);
    expect(r.code).toBe(0);
  });
  it('--no-schema turns it off; --schema names the files', () => {
    const off = sqlperf(['lint', '-f', 'json', '--no-schema', 'queries.sql'], { cwd: pg });
    expect(off.stderr).toBe('');
    expect(messages(off.stdout, 'queries.sql')).toEqual(['5:35 no-function-on-column']);
    const named = sqlperf(['lint', '-f', 'json', '--schema', 'prisma/migrations/20240101120000_init', 'queries.sql'], { cwd: pg });
    expect(named.stderr).toMatch(/^sqlperf: schema: prisma\/migrations\/20240101120000_init: 1 file, /);
    const missing = sqlperf(['lint', '--schema', 'nowhere', 'queries.sql'], { cwd: pg });
    expect(missing).toMatchObject({ code: 2, stderr: 'sqlperf: --schema: nowhere matches no file (relative to .)\n' });
  });
  it('config keys schema and tables are validated and used', () => {
    const dir = join(tmp, 'cfg');
    cpSync(pg, dir, { recursive: true });
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ tables: { orders: { rowz: 1 } } }));
    const bad = sqlperf(['lint', 'queries.sql'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"tables.orders" must be { "rows": <whole number> }');
    // a known-small table needs no index
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ schema: ['prisma/migrations'], tables: { orders: { rows: 200 } }, rules: { 'missing-index': 'warn' } }));
    const small = sqlperf(['lint', '-f', 'json', 'queries.sql'], { cwd: dir });
    expect(messages(small.stdout, 'queries.sql')).not.toContain('4:29 missing-index');
    // the rule is on: users, not known to be small, still gets its finding
    expect(messages(small.stdout, 'queries.sql')).toContain('6:28 missing-index');
    expect(small.stderr).toMatch(/^sqlperf: schema: prisma\/migrations: 3 files/);
  });
  it('queries inside migrations are not checked against the final schema', () => {
    const dir = join(tmp, 'history');
    const m = join(dir, 'migrations');
    cpSync(pg, dir, { recursive: true });
    rmSync(join(dir, 'prisma'), { recursive: true });
    mkdirSync(m, { recursive: true });
    writeFileSync(join(m, '001_init.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE legacy (id int PRIMARY KEY, user_id int REFERENCES users (id), note text);\nCREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users (id));\n');
    writeFileSync(join(m, '002_move.sql'), "UPDATE legacy SET note = 'x' WHERE id = 1;\nDROP TABLE legacy;\n");
    // posts is queried by the application: a foreign key that grows with it is worth reporting
    writeFileSync(join(dir, 'app.sql'), 'SELECT note FROM legacy WHERE id = 1;\nSELECT id FROM posts WHERE id = 2;\n');
    const r = sqlperf(['lint', '-f', 'json', '.'], { cwd: dir });
    expect(messages(r.stdout, '002_move.sql')).toEqual([]);
    // the foreign key of a table a later migration drops is not reported; the one that remains is
    expect(messages(r.stdout, '001_init.sql')).toEqual(['3:53 unindexed-foreign-key']);
    expect(messages(r.stdout, 'app.sql')).toEqual(['1:18 unknown-table']);
  });
  it('indexes leaves out tables the schema does not have and what existing indexes serve', () => {
    const r = sqlperf(['indexes'], { cwd: pg });
    // ranked by the queries served, then their cost (test/cli-commands.test.ts checks the ranking)
    expect(r.stdout.trim().split('\n').map((l) => l.split('  --')[0])).toEqual(['CREATE INDEX idx_orders_user_id_created_at ON orders (user_id, created_at DESC);', 'CREATE INDEX idx_orders_country_code ON orders (country_code);', 'CREATE INDEX idx_users_full_name ON users (full_name);']);
  });
});

describe('--verify in the CLI (PGlite)', () => {
  it('lint --verify reports what PostgreSQL rejects at the exact place', () => {
    const r = sqlperf(['lint', '-f', 'json', '--verify'], { cwd: verifyDemo });
    expect(r.stderr).toMatch(/sqlperf: verify: verified, 12 statements;/);
    const ts = messages(r.stdout, 'src/queries.ts');
    expect(ts).toContain('4:14 invalid-query');
    expect(ts).toContain('6:84 invalid-query');
    // PostgreSQL names the misspelt column itself: the static unknown-column at the same place is not repeated
    expect(ts).not.toContain('4:14 unknown-column');
    expect(messages(r.stdout, 'migrations/0002_indexes.sql')).toContain('4:47 schema-error');
    expect(r.code).toBe(1);
  }, 120_000);
  it('indexes --verify --format sql prints exactly the indexes the planner uses', () => {
    const r = sqlperf(['indexes', '--verify', '-f', 'sql'], { cwd: verifyDemo });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('CREATE INDEX'))).toEqual([
      'CREATE INDEX idx_orders_user_id_status_created_at ON orders (user_id, status, created_at DESC);',
      'CREATE INDEX idx_users_lower_email ON users ((lower(email)));',
      'CREATE INDEX idx_users_deleted_at_email ON users (deleted_at, email);',
      'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);',
    ]);
    expect(r.code).toBe(0);
  }, 120_000);
  it('--verify on another dialect keeps the static findings and says why', () => {
    const r = sqlperf(['lint', '--verify', '--dialect', 'mysql', '--no-schema', 'src/reports.sql'], { cwd: verifyDemo });
    expect(r.stderr).toContain('sqlperf: --verify checks PostgreSQL only (dialect is mysql); the static findings stand\n');
  });
});
