import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

/** `sqlperf analyze` reads a file named as its argument and uses the project's schema as `lint` does (issue 15). */
beforeAll(() => ensureBuilt(), 180_000);

const pg = join(root, 'fixtures', 'schema', 'pg');
const SCHEMA_NOTE = 'sqlperf: schema: prisma/migrations (prisma, found automatically): 3 files, 5 tables, 10 indexes\n';
const indexesOf = (stdout: string) => (JSON.parse(stdout) as { statements: Array<{ line: number; indexes: Array<{ statement: string }> }> }).statements.map((s) => [s.line, s.indexes.map((i) => i.statement)]);

describe('sqlperf analyze <file>', () => {
  it('reads the file, not the path as SQL, and leaves out what the discovered schema already serves', () => {
    const r = sqlperf(['analyze', '-f', 'json', 'queries.sql'], { cwd: pg });
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith(SCHEMA_NOTE)).toBe(true);
    const withSchema = indexesOf(r.stdout);
    // line 3 filters on status and sorts by created_at: orders_status_created_idx serves it
    expect(withSchema.slice(0, 3)).toEqual([
      [2, ['CREATE INDEX idx_orders_user_id_created_at ON orders (user_id, created_at DESC);']],
      [3, []],
      [4, ['CREATE INDEX idx_orders_country_code ON orders (country_code);']],
    ]);
    const without = sqlperf(['analyze', '-f', 'json', '--no-schema', 'queries.sql'], { cwd: pg });
    expect(without.stderr).toBe('');
    expect(indexesOf(without.stdout)[1]).toEqual([3, ['CREATE INDEX idx_orders_status_created_at ON orders (status, created_at DESC);']]);
    // --schema names it explicitly
    const named = sqlperf(['analyze', '-f', 'json', '--schema', 'prisma/migrations', 'queries.sql'], { cwd: pg });
    expect(indexesOf(named.stdout)).toEqual(withSchema);
  });

  it('a path that does not exist is an error, not SQL; `-` and inline SQL still work', () => {
    expect(sqlperf(['analyze', 'db/reports.sql'], { cwd: pg })).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: cannot read db/reports.sql: no such file\n' });
    const stdin = sqlperf(['analyze', '-f', 'json', '--no-schema', '-'], { cwd: pg, input: 'SELECT id FROM t WHERE a = 1' });
    expect(indexesOf(stdin.stdout)).toEqual([[1, ['CREATE INDEX idx_t_a ON t (a);']]]);
    const inline = sqlperf(['analyze', '-f', 'json', "SELECT id FROM orders WHERE status = 'paid' ORDER BY created_at DESC LIMIT 20"], { cwd: pg });
    expect(indexesOf(inline.stdout)).toEqual([[1, []]]);
    // a one-word statement is SQL, not a file
    expect(JSON.parse(sqlperf(['analyze', '-f', 'json', '--no-schema', 'VACUUM'], { cwd: pg }).stdout).statements[0].sql).toBe('VACUUM');
  });
});
