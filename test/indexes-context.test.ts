import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-idx-ctx-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const d of ['src', 'migrations', 'scripts', 'test']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'src', 'orders.sql'), 'SELECT id FROM orders WHERE customer_id = $1;\n');
  // a data fix in a migration, a seed script and a test fixture query: none of them runs in production
  writeFileSync(join(dir, 'migrations', '0002_backfill.sql'), 'UPDATE orders SET region = $1 WHERE legacy_code = $2;\n');
  writeFileSync(join(dir, 'scripts', 'report.sql'), 'SELECT id FROM orders WHERE note = $1;\n');
  writeFileSync(join(dir, 'test', 'orders.sql'), 'SELECT id FROM orders WHERE status = $1;\n');
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlperf indexes plans from application queries only', () => {
  it('suggests the index the app query needs and none for migrations, scripts or tests', () => {
    const r = sqlperf(['indexes', '-f', 'json', '--no-schema'], { cwd: dir });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Array<{ table: string; columns: string[] }>;
    expect(plan.map((s) => `${s.table} (${s.columns.join(', ')})`)).toEqual(['orders (customer_id)']);
  });
});
