/**
 * Runs the bundled CLI (one CommonJS file, dist/sqlperf.cjs) with V8's code cache: the code V8
 * compiled in an earlier run, kept in the per-user cache folder, so that the next run neither
 * parses nor compiles the bundle's functions again (Node 20 has no module.enableCompileCache).
 * One cache file per installed bundle, rewritten when the bundle, Node or the flags change (V8
 * refuses a cache made by another version, with other flags or for another source). A cache
 * that cannot be read or written is never an error: the bundle is compiled as usual.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** What the cache was made for; checked before V8 is handed the data. */
function stampOf(bundle: string): string {
  const st = statSync(bundle);
  return JSON.stringify([process.version, process.arch, st.size, st.mtimeMs]);
}

/**
 * The cache file of this bundle (one per installed copy), named by a 64-bit FNV-1a hash of its path:
 * node:crypto costs a tiny lint ~10 ms to load, and a name shared by two paths is harmless (the
 * stamp and V8's own source check refuse the other bundle's cache, which is then rewritten).
 */
export function codeCacheFile(bundle: string, dir: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < bundle.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(bundle.charCodeAt(i))) * 0x100000001b3n);
  return path.join(dir, `code-cache-${h.toString(16).padStart(16, '0')}.bin`);
}

/** The cached data, when the file holds a cache for this stamp: a line with the stamp, then V8's bytes. */
function readCache(file: string, stamp: string): Buffer | undefined {
  try {
    const raw = readFileSync(file);
    const eol = raw.indexOf(10);
    return eol > 0 && raw.toString('utf8', 0, eol) === stamp ? raw.subarray(eol + 1) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, stamp: string, data: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${stamp}\n`), data]));
    // atomic: runs in parallel (pre-commit batches) each read a whole cache or none
    renameSync(tmp, file);
  } catch {
    // a read-only or full disk: the next run compiles again
  }
}

/** Compiles (or takes from the cache) and runs the CommonJS bundle, as Node's own loader would run it; returns its exports. */
export function runWithCodeCache(bundle: string, cacheDir: string): unknown {
  const source = readFileSync(bundle, 'utf8');
  const stamp = stampOf(bundle);
  const file = codeCacheFile(bundle, cacheDir);
  const cachedData = readCache(file, stamp);
  // the wrapper on the bundle's first line keeps its line numbers in stack traces
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  // at exit, the cache holds every function this run compiled, not only the top level
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(file, stamp, script.createCachedData()));
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module: { exports: unknown } = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports;
}
