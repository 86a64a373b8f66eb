import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

/** `sqlperf lint --verify` through the built CLI, on projects written in the test. */
let dir: string;
const project = (name: string, files: Record<string, string>) => {
  const p = join(dir, name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(p, f, '..'), { recursive: true });
    writeFileSync(join(p, f), text);
  }
  return p;
};
type Json = Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number; message: string }> }>;
const marks = (stdout: string) => (JSON.parse(stdout) as Json).flatMap((r) => r.messages.map((m) => `${r.filePath.split('/').pop()}:${m.line}:${m.column} ${m.ruleId}`));

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-cli-'));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lint --verify (CLI)', () => {
  it('--stdin --stdin-filename X --verify verifies the text read from stdin, not the file X on disk', () => {
    const cwd = project('stdin', {
      'migrations/0001_init.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
      'src/q.sql': 'SELECT id FROM users WHERE id = $1;\n',
    });
    const r = sqlperf(['lint', '--verify', '-f', 'json', '--stdin', '--stdin-filename', 'src/q.sql'], { cwd, input: '\nSELECT id FROM users WHERE emial = $1;\n' });
    expect(r.code).toBe(1);
    expect(marks(r.stdout)).toEqual(['q.sql:2:28 invalid-query']);
    expect(r.stdout).toContain('column \\"emial\\" does not exist');
  }, 120_000);

  it('a migration that loops forever: the run finishes, the static findings are printed and the exit code is the static run\'s', () => {
    const cwd = project('loop', {
      'migrations/0001_init.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE orders (id int PRIMARY KEY, user_id int);\nDO $$ BEGIN LOOP END LOOP; END $$;\n',
      'src/q.sql': 'SELECT u.id FROM users u, orders o;\nSELECT id FROM users WHERE emial = $1;\n',
    });
    const env = { SQLPERF_VERIFY_TIMEOUT_MS: '1500' };
    const plain = sqlperf(['lint', '-f', 'json', '.'], { cwd, env });
    const verified = sqlperf(['lint', '--verify', '-f', 'json', '.'], { cwd, env });
    expect(plain.code).toBe(0);
    expect(marks(plain.stdout)).toEqual(['q.sql:1:27 no-cartesian-join']);
    // the loop was stopped and skipped; the tables before it loaded, so the misspelt column is still found
    expect(marks(verified.stdout)).toEqual(['q.sql:1:27 no-cartesian-join', 'q.sql:2:28 invalid-query']);
    expect(verified.stderr).toContain('migrations/0001_init.sql:3:1: this migration statement was not loaded (running a statement took longer than 1500 ms)');
    // without the misspelling, verify changes nothing: same findings, same exit code
    writeFileSync(join(cwd, 'src/q.sql'), 'SELECT u.id FROM users u, orders o;\n');
    const again = sqlperf(['lint', '--verify', '-f', 'json', '.'], { cwd, env });
    expect([again.code, marks(again.stdout)]).toEqual([0, ['q.sql:1:27 no-cartesian-join']]);
  }, 180_000);

  it('indexes --verify prints the planner-checked index past a skip scan, and the static plan marked "not verified" when PGlite cannot start', () => {
    const cwd = project('indexes', {
      'migrations/0001_init.sql': 'CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL);\nCREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);\n',
      'src/q.sql': "UPDATE orders SET status = 'archived' WHERE created_at < $1;\n",
    });
    const ok = sqlperf(['indexes', '--verify', '.'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('CREATE INDEX idx_orders_created_at ON orders (created_at);  -- 1 query, confirmed\n');
    // the verify cache would answer without PGlite: remove it
    rmSync(join(cwd, 'node_modules'), { recursive: true, force: true });
    const down = sqlperf(['indexes', '--verify', '-f', 'sql', '.'], { cwd, env: { SQLPERF_VERIFY_START_MS: '1', SQLPERF_CACHE_DIR: join(dir, 'user-cache') } });
    expect(down.code).toBe(0);
    expect(down.stdout.split('\n')[0]).toBe("-- not verified: PostgreSQL's planner could not check these suggestions (see stderr)");
    expect(down.stdout).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_created_at ON orders (created_at);');
    expect(down.stderr).toContain('starting PGlite took longer than 1 ms');
  }, 180_000);
});
