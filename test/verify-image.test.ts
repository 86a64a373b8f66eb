import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { orderMigrationFiles } from '../src/schema/order.js';
import { beginVerify, unitsFromAnalysis, unitsFromHost, verify, type VerifyReport, type VerifyUnit } from '../src/verify/index.js';
import { startDatabase } from '../src/verify/pglite.js';

/**
 * The saved schema image (the cluster right after the migrations loaded) and the early start: a
 * verify that starts PGlite from the image, or before the statements are known, gives exactly the
 * answers of one that loads the migrations itself; a damaged image is replaced, never trusted.
 */
const root = 'fixtures/verify/';
const read = (p: string) => readFileSync(root + p, 'utf8');
const schemaFiles = orderMigrationFiles(['migrations/0002_indexes.sql', 'migrations/0001_init.sql']).map((path) => ({ path, text: read(path) }));

let units: VerifyUnit[];
let dir: string;
let cacheFile: string;
let first: VerifyReport;

/** The cache keeps the loaded schema but forgets every answer: the next verify must ask PostgreSQL again. */
function forgetAnswers(): void {
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { units: Record<string, unknown> };
  cache.units = {};
  writeFileSync(cacheFile, JSON.stringify(cache));
}

const image = () => readdirSync(dir).filter((f) => /^pglite-.*-schema-.*\.pgdata$/.test(f)).map((f) => join(dir, f));

beforeAll(async () => {
  await ready();
  units = [...unitsFromAnalysis('src/reports.sql', analyze(read('src/reports.sql'))), ...unitsFromHost('src/queries.ts', read('src/queries.ts'))];
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-verify-image-'));
  cacheFile = join(dir, 'verify.json');
  first = await verify(units, { schemaFiles, cacheFile });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify: the saved schema image', () => {
  it('is saved once the migrations loaded, beside the cache', () => {
    expect(first.status).toBe('verified');
    expect(first.timings.schemaLoadMs).toBeGreaterThan(0);
    expect(image()).toHaveLength(1);
  });

  it('starts the next run with the schema already there, and the answers are the same', async () => {
    forgetAnswers();
    const again = await verify(units, { schemaFiles, cacheFile });
    expect(again.started).toBe(true);
    expect(again.timings.schemaLoadMs).toBe(0);
    expect(again.outcomes).toEqual(first.outcomes);
    expect(again.schemaProblems).toEqual(first.schemaProblems);
  }, 120_000);

  it('replaces a damaged image: the migrations load again, with the same answers, and a whole image is saved', async () => {
    const [file] = image();
    truncateSync(file!, 1000);
    forgetAnswers();
    const again = await verify(units, { schemaFiles, cacheFile });
    expect(again.timings.schemaLoadMs).toBeGreaterThan(0);
    expect(again.outcomes).toEqual(first.outcomes);
    expect(statSync(file!).size).toBeGreaterThan(1_000_000);
  }, 120_000);
});

describe('verify: PGlite started before the statements are known', () => {
  it('gives the answers of a verify that starts it itself', async () => {
    forgetAnswers();
    const early = beginVerify({ schemaFiles, cacheFile });
    const r = await verify(units, { schemaFiles, cacheFile, early });
    expect(r.started).toBe(true);
    expect(r.outcomes).toEqual(first.outcomes);
    expect(r.indexes).toEqual(first.indexes);
  }, 120_000);

  it('is ended unused when the cache answers everything', async () => {
    const early = beginVerify({ schemaFiles, cacheFile });
    const r = await verify(units, { schemaFiles, cacheFile, early });
    expect(r.started).toBe(false);
    expect(r.timings.cached).toBe(units.filter((u) => !u.skip).length);
    expect(r.outcomes).toEqual(first.outcomes);
  }, 120_000);

  it('is not used for another schema', async () => {
    const other = [...schemaFiles, { path: 'migrations/0003_more.sql', text: 'CREATE TABLE extra (id int PRIMARY KEY);' }];
    const early = beginVerify({ schemaFiles, cacheFile: join(dir, 'other.json') });
    const r = await verify(units, { schemaFiles: other, cacheFile: join(dir, 'other.json'), early });
    expect(r.started).toBe(true);
    expect(r.outcomes).toEqual(first.outcomes);
  }, 120_000);
});

describe('verify: the per-user image of the initialised cluster', () => {
  it('holds the three databases in less than their size (identical files once), and CREATE DATABASE still copies template1', async () => {
    const userCache = join(dir, 'user');
    // the first start runs initdb and saves the image; the second starts from it
    await (await startDatabase([], { userCache })).close();
    const db = await startDatabase([], { userCache });
    try {
      await db.exec('CREATE DATABASE copied');
      const [r] = await db.exec("SELECT string_agg(datname, ',' ORDER BY datname) AS names, sum(pg_database_size(datname)) FILTER (WHERE datname <> 'copied') AS size FROM pg_database");
      expect(r!.rows[0]!.names).toBe('copied,postgres,template0,template1');
      const [file] = readdirSync(userCache).filter((f) => f.endsWith('.pgdata'));
      expect(statSync(join(userCache, file!)).size).toBeLessThan(Number(r!.rows[0]!.size));
    } finally {
      await db.close();
    }
  }, 120_000);
});
