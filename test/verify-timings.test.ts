import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, ready } from '../src/api.js';
import { beginVerify, unitsFromAnalysis, verify, type Database } from '../src/verify/index.js';

/**
 * The verify summary's figures (`PGlite start ..., total ...`): PGlite may start before `verify` is
 * called (while the CLI lints), and the total must still hold every part. A stand-in database that
 * takes a known time to start plays PGlite, so no PGlite starts here.
 */
type Rows = Array<{ rows: Record<string, unknown>[] }>;
const START_MS = 150;
const LINT_MS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function slowStart(): Promise<Database> {
  const plan: Rows = [{ rows: [{ 'QUERY PLAN': [{ Plan: { 'Node Type': 'Index Scan', 'Relation Name': 't', 'Index Name': 't_pkey', 'Index Cond': '(id = $1)' } }] }] }];
  const db: Database = {
    exec: (sql) => Promise.resolve(sql.startsWith('EXPLAIN') ? plan : sql.endsWith('SELECT 1 AS sqlperf_ok') ? [{ rows: [{ sqlperf_ok: 1 }] }] : [{ rows: [] }]),
    close: () => Promise.resolve(),
  };
  return sleep(START_MS).then(() => db);
}

const schemaFiles = [{ path: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, a int);' }];
let dir: string;
beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-timings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify: the timings of the summary', () => {
  // first: it also warms what any verify loads once (the fingerprint's WebAssembly), which the next must not count
  it('count from the call when nothing started early', async () => {
    const units = unitsFromAnalysis('q.sql', analyze('SELECT a FROM t WHERE id = 2 AND a = 3;'));
    const r = await verify(units, { schemaFiles, database: slowStart });
    expect(r.started).toBe(true);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.startMs + r.timings.schemaLoadMs + r.timings.explainMs);
  });

  it('count an early start in the total: the start never exceeds it', async () => {
    const units = unitsFromAnalysis('q.sql', analyze('SELECT a FROM t WHERE id = 1;'));
    const options = { schemaFiles, database: slowStart, cacheFile: join(dir, 'verify.json') };
    const early = beginVerify(options);
    // the CLI lints meanwhile: the start is over before verify is called
    await sleep(LINT_MS);
    const r = await verify(units, { ...options, early });
    expect(r.started).toBe(true);
    expect(r.timings.startMs).toBeGreaterThanOrEqual(START_MS - 5);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(LINT_MS - 5);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.startMs + r.timings.schemaLoadMs + r.timings.explainMs);
  });
});
