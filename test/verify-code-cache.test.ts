import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile } from '../src/cli/compile-cache.js';
import { startDatabase } from '../src/verify/pglite.js';

/**
 * V8's code cache of PGlite's JavaScript, in the per-user cache folder beside the initialised
 * cluster: written by the first start, used by the next, and a damaged one is compiled around and
 * rewritten, never an error.
 */
let dir: string;
let cache: string;

/** A start from the per-user folder `dir` and two statements (the worker writes the cache after the first one answered). */
async function startAndQuery(): Promise<unknown> {
  const db = await startDatabase([], { userCache: dir });
  try {
    await db.exec('SELECT 1 AS one');
    return (await db.exec("SELECT 'x' || 'y' AS xy"))[0]?.rows;
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-pglite-code-'));
  cache = codeCacheFile(createRequire(import.meta.url).resolve('@electric-sql/pglite'), dir);
  // the first start runs initdb and saves the cluster to `dir`
  await startAndQuery();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify: the code cache of PGlite', () => {
  it('is written by the first start, with no temp file left', () => {
    expect(statSync(cache).size).toBeGreaterThan(10_000);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is used as it is by the next start', async () => {
    const before = readFileSync(cache);
    expect(await startAndQuery()).toEqual([{ xy: 'xy' }]);
    expect(readFileSync(cache).equals(before)).toBe(true);
  }, 120_000);

  it('is ignored and rewritten when V8 refuses it (damaged bytes after a right stamp)', async () => {
    const good = readFileSync(cache);
    const eol = good.indexOf(10);
    writeFileSync(cache, Buffer.concat([good.subarray(0, eol + 1), Buffer.alloc(5000, 7)]));
    expect(await startAndQuery()).toEqual([{ xy: 'xy' }]);
    expect(statSync(cache).size).toBeGreaterThan(10_000);
    expect(readFileSync(cache).subarray(0, eol + 1).equals(good.subarray(0, eol + 1))).toBe(true);
  }, 120_000);

  it('is ignored and rewritten when it is not a cache at all', async () => {
    writeFileSync(cache, 'not a cache');
    expect(await startAndQuery()).toEqual([{ xy: 'xy' }]);
    expect(statSync(cache).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('is neither read nor written without a per-user folder', async () => {
    rmSync(cache);
    const db = await startDatabase([], { userCache: false });
    try {
      await db.exec('SELECT 1');
      expect(await db.exec('SELECT 2 AS two')).toEqual([{ rows: [{ two: 2 }] }]);
    } finally {
      await db.close();
    }
    expect(() => statSync(cache)).toThrow();
  }, 120_000);
});

describe("verify: PGlite's start in sqlperf's worker", () => {
  it('leaves out the lookup of array types: an array column comes back as PostgreSQL\'s text', async () => {
    const db = await startDatabase([], { userCache: dir });
    try {
      expect(await db.exec('SELECT ARRAY[1, 2] AS a, 3 AS n')).toEqual([{ rows: [{ a: '{1,2}', n: 3 }] }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
