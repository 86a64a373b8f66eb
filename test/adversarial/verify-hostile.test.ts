import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../../src/api.js';
import { lineStarts, toLineCol } from '../../src/range.js';
import { unitsFromAnalysis, verifiedDiagnostics, verify, type VerifyReport, type VerifyUnit } from '../../src/verify/index.js';

/**
 * Hostile schemas and queries under --verify (issue 16): PGlite ignores statement_timeout and runs
 * whatever a migration says, so sqlperf bounds it from outside. One verify run loads all of them.
 */
const dump = [
  '\\restrict 8sWqZ3kV',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'CREATE TABLE public.users (id integer PRIMARY KEY, email text);',
  'COPY public.users (id, email) FROM stdin;',
  "1\tO'Brien;",
  '2\t\\N',
  '\\.',
  '\\connect app',
  '\\unrestrict 8sWqZ3kV',
  '',
].join('\n');
const hostile = [
  'DO $$ BEGIN LOOP END LOOP; END $$;',
  'SELECT pg_sleep(100000);',
  'CREATE FUNCTION f(int) RETURNS int AS $$ SELECT f($1 + 1) $$ LANGUAGE sql;',
  'SELECT f(1);',
  'CREATE TABLE orders (id int PRIMARY KEY, user_id int, total numeric);',
  'CREATE TABLE broken (id int,, x int);',
  'CREATE INDEX orders_user_id_idx ON orders (user_id);',
  'CREATE FUNCTION slow(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(100000); RETURN $1; END $$;',
  '',
].join('\n');
const schemaFiles = [
  { path: 'db/0001_dump.sql', text: dump },
  { path: 'db/0002_hostile.sql', text: hostile },
];
const queries = [
  'SELECT id FROM users WHERE id = slow(1);',
  "SELECT id FROM users WHERE email = repeat('x', 900000000);",
  'SELECT id FROM users WHERE emial = $1;',
  'SELECT total FROM orders WHERE user_id = $1;',
  '',
].join('\n');

let units: VerifyUnit[];
let report: VerifyReport;
let dir: string;
const at = (text: string, offset: number) => {
  const p = toLineCol(lineStarts(text), offset);
  return `${p.line}:${p.column}`;
};

beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-hostile-'));
  units = unitsFromAnalysis('q.sql', analyze(queries));
  report = await verify(units, { schemaFiles, cacheFile: join(dir, 'verify.json'), limits: { statementMs: 2000, memoryMb: 100 } });
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify: hostile migrations and queries finish, and the rest is verified', () => {
  it('skips the migration statements that loop, sleep or break PGlite, with the reason, and loads the rest', () => {
    // the recursive function overflows PGlite's stack, after which it answers nothing (the canary
    // sees it), or on a loaded machine it is still recursing when the time budget runs out
    const skipped = report.notes.filter((n) => n.includes('was not loaded'));
    expect(skipped).toEqual([
      'db/0002_hostile.sql:1:1: this migration statement was not loaded (running a statement took longer than 2000 ms); queries that need what it creates cannot be verified',
      'db/0002_hostile.sql:2:1: this migration statement was not loaded (running a statement took longer than 2000 ms); queries that need what it creates cannot be verified',
      expect.stringMatching(/^db\/0002_hostile\.sql:4:1: this migration statement was not loaded \((?:PGlite stopped answering queries|running a statement took longer than 2000 ms)\);/),
    ]);
    expect(report.status).toBe('partial');
  });

  it('reports the syntax error at its position and still loads the statements after it (no "savepoint does not exist")', () => {
    expect(report.schemaProblems.map((p) => `${p.file}:${at(hostile, p.start)} ${p.messageId} ${hostile.slice(p.start, p.end)}`)).toEqual(['db/0002_hostile.sql:6:29 rejected ,']);
    const orders = report.outcomes[3]!;
    expect(orders.error).toBeNull();
    expect(orders.tables).toEqual([{ table: 'orders', served: true, indexes: ['orders_user_id_idx'], filters: [] }]);
  });

  it("reads pg_dump output as psql does: meta-commands and COPY data skipped, pg_dump's empty search_path not leaking into EXPLAIN", () => {
    const d = verifiedDiagnostics(report, 'q.sql', []).filter((x) => x.ruleId === 'invalid-query');
    expect(d.map((x) => `${at(queries, x.start)} ${queries.slice(x.start, x.end)}`)).toEqual(['3:28 emial']);
    expect(d[0]!.message).toContain('column "emial" does not exist');
  });

  it('records a query whose planning overruns the time budget as not verifiable, with the reason, and goes on', () => {
    expect(report.outcomes[0]!.unverified).toBe('PGlite could not check it: running a statement took longer than 2000 ms');
    expect(report.outcomes[1]!.unverified).toMatch(/^PGlite could not check it: running a statement (took longer than 2000 ms|used more than 100 MB)$/);
    // sqlperf's limits are not findings: the static diagnostics of those statements stand unchanged
    const statics = [{ ruleId: 'x', severity: 'warn' as const, message: 'static', messageId: 'x', start: 0, end: 6, category: 'performance' as const }];
    expect(verifiedDiagnostics(report, 'q.sql', statics).filter((x) => x.start < queries.indexOf('\n'))).toEqual(statics);
  });

  it('stops a query whose planning grows memory past the ceiling (a generous time budget, so memory is what stops it)', async () => {
    const big = unitsFromAnalysis('m.sql', analyze("SELECT id FROM t WHERE v = repeat('x', 900000000);\nSELECT id FROM t WHERE id = $1;\n"));
    const r = await verify(big, { schemaFiles: [{ path: 't.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, v text);' }], limits: { statementMs: 120_000, memoryMb: 60 } });
    expect(r.outcomes[0]!.unverified).toBe('PGlite could not check it: running a statement used more than 60 MB');
    expect(r.outcomes[1]).toMatchObject({ error: null, tables: [{ table: 't', served: true }] });
  }, 180_000);

  it('caches nothing from a run where PGlite had to be stopped', () => {
    expect(existsSync(join(dir, 'verify.json'))).toBe(false);
    expect(report.notes.join('\n')).not.toContain('could not write');
  });
});
