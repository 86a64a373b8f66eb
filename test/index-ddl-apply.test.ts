import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { parseText } from '../src/parse/index.js';
import { parsePg } from '../src/parse/pg.js';
import { startDatabase } from '../src/verify/pglite.js';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

beforeAll(async () => {
  ensureBuilt();
  await ready();
}, 180_000);

/** Each statement of a text, as libpg-query splits it. */
function split(text: string): string[] {
  const r = parsePg(text);
  if (!r.ok) throw new Error(r.message);
  const bytes = Buffer.from(text);
  return r.stmts.map((s) => bytes.subarray(s.stmt_location ?? 0, s.stmt_len ? (s.stmt_location ?? 0) + s.stmt_len : undefined).toString().trim());
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? sqlFiles(join(dir, n)) : n.endsWith('.sql') ? [join(dir, n)] : []));
}

/**
 * `sqlperf indexes -f sql` of a fixture project, applied on PostgreSQL (PGlite) after the project's
 * migrations: every statement it prints must succeed, each run on its own as CONCURRENTLY requires.
 */
async function apply(project: string, migrations: string): Promise<{ applied: string[]; migrationErrors: number; stderr: string }> {
  const r = sqlperf(['indexes', '-f', 'sql', '.'], { cwd: join(root, project) });
  expect(r.code).toBe(0);
  const db = await startDatabase(['pg_trgm']);
  try {
    let migrationErrors = 0;
    for (const f of sqlFiles(join(root, project, migrations))) {
      // the fixtures keep a deliberate typo or two for the schema loader to report
      const text = readFileSync(f, 'utf8');
      for (const st of parseText(text, 'postgresql').statements) await db.exec(text.slice(st.range.start, st.range.end)).catch(() => migrationErrors++);
    }
    const applied = split(r.stdout);
    for (const st of applied) await db.exec(st);
    return { applied, migrationErrors, stderr: r.stderr };
  } finally {
    await db.close();
  }
}

describe('the printed migration applies (issue 15)', () => {
  it('demo: every statement of indexes -f sql succeeds on the migrated schema', async () => {
    const { applied, migrationErrors, stderr } = await apply('fixtures/demo', 'migrations');
    expect(migrationErrors).toBe(0);
    // the README's old date_trunc suggestion on a timestamptz column is left out, and stderr says why
    expect(stderr).toContain('sqlperf: no expression index on orders for sql/reports.sql:5:7: date_trunc is IMMUTABLE only on timestamp without time zone (created_at is timestamptz)\n');
    expect(applied).toEqual([
      "SET lock_timeout = '5s'",
      'SET statement_timeout = 0',
      'CREATE EXTENSION IF NOT EXISTS pg_trgm',
      // ranked by queries served, then by their summed cost
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_status_created_at ON orders (customer_id, status, created_at DESC)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_products_name_trgm ON products USING gin (name gin_trgm_ops)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_products_archived_at ON products (archived_at)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_products_description_trgm ON products USING gin (description gin_trgm_ops)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_created_at ON orders (created_at)',
    ]);
  }, 120_000);

  it('schema/pg: every statement succeeds on the Prisma-migrated schema', async () => {
    const { applied, migrationErrors } = await apply('fixtures/schema/pg', 'prisma/migrations');
    // the fixture's deliberate `ALTER TABEL`, and what depends on it
    expect(migrationErrors).toBeGreaterThan(0);
    expect(applied).toEqual([
      "SET lock_timeout = '5s'",
      'SET statement_timeout = 0',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_user_id_created_at ON orders (user_id, created_at DESC)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_country_code ON orders (country_code)',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_full_name ON users (full_name)',
    ]);
  }, 120_000);
});
