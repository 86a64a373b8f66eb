import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { unitsFromAnalysis, verifiedDiagnostics, verify, type Database } from '../src/verify/index.js';

/**
 * A PGlite that breaks (after a stack overflow it answers every query with no rows) must not turn
 * into findings or cache entries: a scripted stand-in database plays it, so no PGlite starts here.
 */
type Rows = Array<{ rows: Record<string, unknown>[] }>;
const plan = (table: string): Rows => [{ rows: [{ 'QUERY PLAN': [{ Plan: { 'Node Type': 'Index Scan', 'Relation Name': table, 'Index Name': `${table}_pkey`, 'Index Cond': '(id = $1)' } }] }] }];

/** A database that answers normally until the EXPLAIN of a query containing `breakOn`, then answers nothing ever after; `empty` gets no plan from a healthy instance. */
function scripted(breakOn: string, empty: string, log: string[]): () => Promise<Database> {
  return () => {
    let broken = false;
    log.push('start');
    return Promise.resolve({
      exec(sql: string): Promise<Rows> {
        if (sql.includes(breakOn) && sql.startsWith('EXPLAIN')) broken = true;
        if (broken) return Promise.resolve([{ rows: [] }]);
        if (sql.startsWith('EXPLAIN')) return Promise.resolve(sql.includes(empty) ? [{ rows: [] }] : plan('t'));
        if (sql.endsWith('SELECT 1 AS sqlperf_ok')) return Promise.resolve([{ rows: [{ sqlperf_ok: 1 }] }]);
        return Promise.resolve([{ rows: [] }]);
      },
      close: () => Promise.resolve(),
    });
  };
}

let dir: string;
beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-canary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify: a broken PGlite is noticed and replaced', () => {
  it('marks the statement that broke it as not verifiable, restarts, verifies the rest, and caches only real answers', async () => {
    const text = 'SELECT id FROM t WHERE id = $1 AND a = 1;\nSELECT id FROM t WHERE id = $1 AND b = 2;\nSELECT id FROM t WHERE id = $1 AND c = 3;\n';
    const units = unitsFromAnalysis('q.sql', analyze(text));
    const log: string[] = [];
    const cacheFile = join(dir, 'verify.json');
    const r = await verify(units, { schemaFiles: [{ path: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);' }], database: scripted('a = 1', 'c = 3', log), cacheFile });
    expect(log).toEqual(['start', 'start']);
    expect(r.outcomes.map((o) => o.unverified ?? 'verified')).toEqual([
      'PGlite could not check it: PGlite stopped answering queries',
      'verified',
      'PGlite could not check it: EXPLAIN returned no plan',
    ]);
    // no invalid-query for sqlperf's own failure
    expect(verifiedDiagnostics(r, 'q.sql', []).filter((d) => d.ruleId === 'invalid-query')).toEqual([]);
    expect(r.status).toBe('partial');
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { units: Record<string, unknown> };
    expect(Object.keys(cached.units)).toHaveLength(1);
  });
});
