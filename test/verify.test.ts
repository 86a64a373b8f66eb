import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { orderMigrationFiles } from '../src/schema/order.js';
import { formatVerifiedIndexes, unitsFromAnalysis, unitsFromHost, verifiedDiagnostics, verify, type VerifyReport, type VerifyUnit } from '../src/verify/index.js';

/** The demo: fixtures/verify (migrations + a TS file and a SQL file with queries). PGlite starts once, in beforeAll. */
const root = 'fixtures/verify/';
const read = (p: string) => readFileSync(root + p, 'utf8');
const schemaFiles = orderMigrationFiles(['migrations/0002_indexes.sql', 'migrations/0001_init.sql']).map((path) => ({ path, text: read(path) }));
const files = { 'src/reports.sql': read('src/reports.sql'), 'src/queries.ts': read('src/queries.ts') };

let units: VerifyUnit[];
let report: VerifyReport;
let cacheDir: string;

beforeAll(async () => {
  await ready();
  units = [...unitsFromAnalysis('src/reports.sql', analyze(files['src/reports.sql'])), ...unitsFromHost('src/queries.ts', files['src/queries.ts'])];
  cacheDir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-'));
  report = await verify(units, { schemaFiles, cacheFile: join(cacheDir, 'verify.json') });
}, 120_000);

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Diagnostics of a file as `ruleId line:col-line:col 'text'`, to pin exact positions. */
function marks(file: keyof typeof files, ruleId: string): string[] {
  const text = files[file];
  const starts = lineStarts(text);
  return verifiedDiagnostics(report, file, [])
    .filter((d) => d.ruleId === ruleId)
    .map((d) => {
      const s = toLineCol(starts, d.start);
      const e = toLineCol(starts, d.end);
      return `${s.line}:${s.column}-${e.line}:${e.column} ${text.slice(d.start, d.end)}`;
    });
}

describe('verify: the demo project', () => {
  it('checked every statement', () => {
    expect(report.status).toBe('verified');
    expect(report.started).toBe(true);
    expect(units).toHaveLength(12);
    expect(report.outcomes.every((o) => !o.unverified)).toBe(true);
  });

  it('reports a misspelt column at its exact position in the TS file, with PostgreSQL\'s hint', () => {
    expect(marks('src/queries.ts', 'invalid-query')).toContain('4:14-4:19 emial');
    const d = verifiedDiagnostics(report, 'src/queries.ts', []).find((x) => x.message.includes('emial'))!;
    expect(d.severity).toBe('error');
    expect(d.category).toBe('correctness');
    expect(d.message).toContain('Perhaps you meant to reference the column "users.email"');
  });

  it('reports a type mismatch at the operator', () => {
    expect(marks('src/queries.ts', 'invalid-query')).toContain('6:84-6:85 =');
    expect(verifiedDiagnostics(report, 'src/queries.ts', []).some((d) => d.message.includes('operator does not exist: uuid = integer'))).toBe(true);
  });

  it('reports unknown tables (with a did-you-mean), ambiguous columns and wrong function arguments in the SQL file', () => {
    expect(marks('src/reports.sql', 'invalid-query')).toEqual(['2:23-2:28 usres', '4:8-4:10 id', '6:8-6:18 date_trunc']);
    const msgs = verifiedDiagnostics(report, 'src/reports.sql', []).filter((d) => d.ruleId === 'invalid-query').map((d) => d.message);
    expect(msgs[0]).toContain('relation "usres" does not exist; did you mean "users"?');
    expect(msgs[1]).toContain('column reference "id" is ambiguous');
    expect(msgs[2]).toContain('function date_trunc(timestamp with time zone) does not exist');
  });

  it('reports migration statements PostgreSQL rejects at their position, and skips extensions PGlite lacks', () => {
    const p = report.schemaProblems.map((x) => {
      const text = schemaFiles.find((f) => f.path === x.file)!.text;
      const s = toLineCol(lineStarts(text), x.start);
      return `${x.file}:${s.line}:${s.column} ${x.messageId} ${text.slice(x.start, x.end).split('\n')[0]}`;
    });
    expect(p).toEqual(['migrations/0001_init.sql:3:1 extension CREATE EXTENSION IF NOT EXISTS postgis', 'migrations/0002_indexes.sql:4:47 rejected totl']);
    // the rest of the schema loaded: the indexes after the rejected statement exist
    expect(report.outcomes.some((o) => o.tables.some((t) => t.indexes.includes('orders_status_idx')))).toBe(true);
  });

  it('confirms a static suggestion the planner uses', () => {
    const ix = report.indexes.find((i) => i.table === 'orders')!;
    expect(ix.status).toBe('confirmed');
    expect(ix.statement).toBe('CREATE INDEX idx_orders_user_id_status_created_at ON orders (user_id, status, created_at DESC);');
    expect(ix.reason).toContain('better than the existing orders_status_idx');
    expect(report.indexes.find((i) => i.statement?.includes('lower(email)'))?.status).toBe('confirmed');
  });

  it('confirms the GIN index the static analysis suggests for a jsonb operator', () => {
    const gin = report.indexes.find((i) => i.table === 'events')!;
    expect(gin).toMatchObject({ status: 'confirmed', original: 'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);', statement: 'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);' });
  });

  it('drops suggestions an existing index already serves, and one PostgreSQL cannot build', () => {
    const reasons = Object.fromEntries(report.dropped.map((d) => [d.original, d.reason]));
    expect(reasons['CREATE INDEX idx_users_org_id ON users (org_id);']).toContain('existing index users_org_id_idx already serves');
    expect(reasons['CREATE INDEX idx_events_user_id ON events (user_id);']).toContain('existing index events_user_id_idx already serves');
    // created_at::date is not IMMUTABLE on timestamptz: the static plan no longer suggests it, so PostgreSQL never has to reject it
    expect(Object.keys(reasons).filter((k) => k.includes('::date'))).toEqual([]);
    expect(report.indexes.filter((i) => i.statement?.includes('::date'))).toEqual([]);
  });

  it('keeps the collation caveat on a LIKE prefix index', () => {
    const like = report.indexes.find((i) => i.statement?.includes('deleted_at, email'))!;
    expect(like.status).toBe('confirmed');
    expect(like.note).toMatch(/C collation.*text_pattern_ops/);
  });

  it('turns planner-confirmed gaps into missing-index, and drops a static missing-index an existing index contradicts', () => {
    expect(marks('src/queries.ts', 'missing-index')).toEqual(['14:74-14:104 lower(email) = lower(${email})']);
    const fake = { ruleId: 'missing-index', severity: 'warn' as const, message: 'no index on users for org_id', messageId: 'x', start: files['src/queries.ts'].indexOf('org_id = ${orgId}`;\n', 400), end: 0, category: 'performance' as const };
    fake.end = fake.start + 6;
    expect(verifiedDiagnostics(report, 'src/queries.ts', [fake]).some((d) => d === fake)).toBe(false);
  });

  it('prints exactly the indexes the planner uses, each with the queries it serves', () => {
    const sql = formatVerifiedIndexes(report, (f) => files[f as keyof typeof files], { dropped: false });
    const creates = sql.split('\n').filter((l) => l.startsWith('CREATE INDEX'));
    expect(creates).toEqual([
      'CREATE INDEX idx_users_deleted_at_email ON users (deleted_at, email);',
      'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);',
      'CREATE INDEX idx_orders_user_id_status_created_at ON orders (user_id, status, created_at DESC);',
      'CREATE INDEX idx_users_lower_email ON users ((lower(email)));',
    ]);
    expect(sql).toContain("--   src/queries.ts:9: SELECT id, total FROM orders WHERE user_id = $1 AND status = 'open' ORDER BY created_at DESC");
  });

  it('answers a second run from the cache without starting PGlite', async () => {
    const again = await verify(units, { schemaFiles, cacheFile: join(cacheDir, 'verify.json'), database: () => Promise.reject(new Error('must not start')) });
    expect(again.started).toBe(false);
    expect(again.timings.cached).toBe(units.filter((u) => !u.skip).length);
    expect(again.indexes.map((i) => i.statement)).toEqual(report.indexes.map((i) => i.statement));
    expect(verifiedDiagnostics(again, 'src/queries.ts', [])).toEqual(verifiedDiagnostics(report, 'src/queries.ts', []));
  });

  it('keeps the static findings when PGlite fails, and says what was not verified', async () => {
    const failed = await verify(units, { schemaFiles, database: () => Promise.reject(new Error('out of memory')) });
    expect(failed.status).toBe('unavailable');
    expect(failed.notes.join(' ')).toContain('out of memory');
    const statics = [{ ruleId: 'no-select-star', severity: 'warn' as const, message: 'x', messageId: 'x', start: 1, end: 2, category: 'performance' as const }];
    expect(verifiedDiagnostics(failed, 'src/reports.sql', statics)).toEqual(statics);
  });
});

describe('verify: what PostgreSQL can be asked about', () => {
  it('skips statements whose holes stand for SQL text, fragments sqlperf wrapped, and migration bookkeeping tables', () => {
    const code = [
      "const a = Prisma.sql`SELECT object_id FROM comments WHERE project_id = ${id} GROUP BY object_id HAVING COUNT(*) ${Prisma.raw(op)} ${value}`;",
      'const b = Prisma.sql`SELECT id FROM comments WHERE project_id = ${id}`;',
      'const c = prisma.$queryRaw`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL`;',
      "const d = knex('t').whereRaw('a = ?', [1]);",
    ].join('\n');
    const units = unitsFromHost('x.ts', code);
    const byStart = (s: string) => units.find((u) => u.sql.includes(s));
    expect(byStart('HAVING')?.skip).toMatch(/^a template hole stands for SQL text/);
    expect(byStart('project_id = $1`')).toBeUndefined();
    expect(units.find((u) => u.sql.startsWith('SELECT id'))?.skip).toBeUndefined();
    expect(byStart('_prisma_migrations')?.skip).toBe('it reads _prisma_migrations, which the migration tool creates and the schema files do not');
    expect(byStart('__sqlperf_t WHERE a = $1')?.skip).toBe('sqlperf wrapped this fragment to analyse it, so PostgreSQL cannot check it as written');
  });
});
