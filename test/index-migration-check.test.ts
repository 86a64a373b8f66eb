import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNsp } from '../src/parse/nsp.js';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

/**
 * The migration `sqlperf indexes -f sql` writes is checked by the tools a team runs on migrations
 * (issue 15): squawk finds nothing in the PostgreSQL one, SQLite applies every statement of its
 * own on the migrated fixture (sql.js), and MySQL's parses with node-sql-parser's MySQL grammar.
 */
beforeAll(() => ensureBuilt(), 180_000);

const plan = (project: string, ...flags: string[]) => {
  const r = sqlperf(['indexes', '-f', 'sql', ...flags, '.'], { cwd: join(root, project) });
  expect(r.code).toBe(0);
  return r;
};
/** The statements of a plan: every line that is neither a comment nor blank (sqlPlan writes one statement a line). */
const statements = (out: string) => out.split('\n').filter((l) => l.trim() && !l.startsWith('--'));

describe('PostgreSQL: squawk finds nothing in the printed migration', () => {
  const squawk = join(root, 'node_modules', '.bin', 'squawk');
  for (const project of ['fixtures/demo', 'fixtures/schema/pg']) {
    it(project, () => {
      const out = plan(project).stdout;
      // the session settings squawk asks for come first, with the values concurrent builds need
      expect(statements(out).slice(0, 2)).toEqual(["SET lock_timeout = '5s';", 'SET statement_timeout = 0;']);
      expect(statements(out).length).toBeGreaterThan(3);
      const file = join(mkdtempSync(join(tmpdir(), 'sqlperf-squawk-')), 'indexes.sql');
      writeFileSync(file, out);
      const r = spawnSync(squawk, [file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stdout + r.stderr).toContain('Found 0 issues');
      expect(r.status).toBe(0);
    }, 60_000);
  }
});

interface SqlJsDatabase {
  exec(sql: string): Array<{ values: unknown[][] }>;
  run(sql: string): void;
  close(): void;
}

describe('SQLite: every statement applies on the migrated fixture (sql.js)', () => {
  it('fixtures/schema/sqlite', async () => {
    const r = plan('fixtures/schema/sqlite');
    // what does not parse in the migrations is not a query left out of the plan
    expect(r.stderr).not.toContain('did not parse');
    const init = createRequire(import.meta.url)('sql.js') as () => Promise<{ Database: new () => SqlJsDatabase }>;
    const SQL = await init();
    const db = new SQL.Database();
    try {
      const dir = join(root, 'fixtures/schema/sqlite/migrations');
      for (const f of readdirSync(dir).sort()) db.exec(readFileSync(join(dir, f), 'utf8'));
      const applied = statements(r.stdout);
      for (const st of applied) db.run(st);
      expect(applied).toEqual([
        'CREATE INDEX IF NOT EXISTS idx_group_order ON "group" ("order");',
        'CREATE INDEX IF NOT EXISTS idx_group_lower_name ON "group" ((lower(name)));',
        'CREATE INDEX IF NOT EXISTS idx_posts_author_id ON posts (author_id);',
        'CREATE INDEX IF NOT EXISTS idx_posts_group_id_status_published_at ON posts (group_id, status, published_at DESC);',
        // the migrations drop posts_status_idx
        'CREATE INDEX IF NOT EXISTS idx_posts_status ON posts (status);',
        'CREATE INDEX IF NOT EXISTS idx_users_full_name ON users ("Full Name");',
        'CREATE INDEX IF NOT EXISTS idx_users_last_seen_at ON users (last_seen_at);',
      ]);
      const names = db.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' ORDER BY name")[0]!.values.map((v) => v[0]);
      expect(names).toEqual(['idx_group_lower_name', 'idx_group_order', 'idx_posts_author_id', 'idx_posts_group_id_status_published_at', 'idx_posts_status', 'idx_users_full_name', 'idx_users_last_seen_at']);
      // applying the plan twice changes nothing (IF NOT EXISTS)
      for (const st of applied) db.run(st);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe("MySQL: every statement parses with node-sql-parser's MySQL grammar", () => {
  it('fixtures/schema/mysql', () => {
    const r = plan('fixtures/schema/mysql', '--dialect', 'mysql');
    const stmts = statements(r.stdout);
    expect(stmts[0]).toBe('SET SESSION lock_wait_timeout = 5;');
    expect(stmts.length).toBeGreaterThan(2);
    for (const st of stmts) {
      const p = parseNsp(st, 'mysql', 1000);
      expect(p.ok ? p.asts.map((a) => a.type) : p.message).toEqual([st.startsWith('SET') ? 'set' : 'alter']);
      if (st.startsWith('ALTER')) expect(st).toMatch(/ ADD (INDEX \S+ \(.*\), ALGORITHM=INPLACE, LOCK=NONE|FULLTEXT INDEX \S+ \(.*\), ALGORITHM=INPLACE, LOCK=SHARED);$/);
    }
    // the contains-search of queries.sql:7
    expect(stmts).toContain('ALTER TABLE users ADD FULLTEXT INDEX idx_users_full_name_ft (full_name), ALGORITHM=INPLACE, LOCK=SHARED;');
  });
});
