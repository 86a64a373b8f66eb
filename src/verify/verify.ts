import { fingerprintPg } from '../parse/pg.js';
import { readCache, writeCache, type CacheFile } from './cache.js';
import { DatabaseRun, SUGGESTED_EXTENSIONS } from './database-run.js';
import type { Database } from './pglite.js';
import { emptyTimings, mergeIndexes, type UnitOutcome, type VerifyReport, type VerifyTimings } from './report.js';
import type { VerifyLimits } from './supervisor.js';
import type { VerifyUnit } from './units.js';
import { schemaHash } from './load-schema.js';
import type { SchemaFile } from '../schema/types.js';
import { errorMessage } from '../error-message.js';

/** Bumped when what is cached changes meaning. */
export const VERIFY_VERSION = '1';

export interface VerifyOptions {
  /** The schema files in migration order (see `orderMigrationFiles`). */
  schemaFiles: readonly SchemaFile[];
  /** A JSON cache file; results are reused while the schema and the query fingerprints are unchanged. */
  cacheFile?: string;
  /** Start a database, from a saved data directory (its file) when given (tests pass a stand-in); default: PGlite in a worker. */
  database?: (image?: string) => Promise<Database>;
  /** The watchdog's limits; default `verifyLimits()` (10 s per statement, 1024 MB, or the SQLPERF_VERIFY_* variables). */
  limits?: Partial<VerifyLimits>;
  /** The per-user cache of the initialised cluster (default `userCacheDir()`); false: none. */
  userCache?: string | false;
  /** The database started before the statements were known (`beginVerify`); used when the schema is the same. */
  early?: EarlyVerify;
}

/** A verify whose database started opening before the statements were known. */
export interface EarlyVerify {
  readonly hash: string;
  readonly run: DatabaseRun;
}

const NO_SIZES = 'the planner ran on empty tables with enable_seqscan = off: it shows which indexes CAN serve each query, not whether it would prefer them at your table sizes';

function unitKey(u: VerifyUnit): string {
  return fingerprintPg(u.sql) ?? `text:${u.sql}`;
}

function readVerifyCache(options: VerifyOptions, hash: string): CacheFile {
  return (options.cacheFile ? readCache(options.cacheFile, hash) : undefined) ?? { version: VERIFY_VERSION, schema: hash, schemaProblems: null, units: {} };
}

/**
 * Starts PGlite with the schema loaded (from the saved image when there is one) while the caller
 * still finds and lints the statements: the start is most of a verify's time, and runs in a worker,
 * on the other core. Pass the result as `early` to `verify` with the same options; a run the verify
 * cache answers entirely ends it unused.
 */
export function beginVerify(options: VerifyOptions): EarlyVerify {
  const hash = schemaHash(options.schemaFiles, VERIFY_VERSION);
  const run = new DatabaseRun(options, hash, readVerifyCache(options, hash));
  run.begin(SUGGESTED_EXTENSIONS);
  return { hash, run };
}

/**
 * Checks statements against PostgreSQL's own analyzer and planner (PGlite, in-process): loads the
 * schema files in order, then EXPLAINs every statement (generic plan, holes as `$n`), tries each
 * suggested index in a rolled-back transaction, and corrects or drops what the planner would not
 * use. Results are cached by schema hash and query fingerprint, so an unchanged project starts no
 * database. Never throws for a database problem: what could not be verified is said in `notes`
 * and the static findings stand. Needs the PostgreSQL parser loaded (`await ready()`).
 */
export async function verify(units: readonly VerifyUnit[], options: VerifyOptions): Promise<VerifyReport> {
  const t0 = performance.now();
  const hash = schemaHash(options.schemaFiles, VERIFY_VERSION);
  let early = options.early?.hash === hash ? options.early.run : undefined;
  if (options.early && !early) await options.early.run.discard();
  // a suggestion needs an extension the schema does not create, which the early start did not load
  if (early && !early.serves(units)) {
    await early.discard();
    early = undefined;
  }
  let timings = emptyTimings();
  const notes: string[] = [];
  const keys = units.map(unitKey);
  let cache = early?.cache ?? readVerifyCache(options, hash);
  const outcomes = cachedOutcomes(units, keys, cache, timings);
  let schemaProblems = cache.schemaProblems ?? [];
  let status: VerifyReport['status'] = 'verified';
  let started = false;
  let since = t0;
  const todo = outcomes.some((o) => o === undefined) || cache.schemaProblems === null;
  if (!todo) await early?.discard();
  if (todo) {
    const run = early ?? new DatabaseRun(options, hash, cache);
    await run.check(units, outcomes, keys);
    ({ status, started, schemaProblems } = run);
    // PGlite's start may have begun before this call (while the caller linted): it counts in the total
    since = Math.min(t0, run.beganAt);
    timings = { ...run.timings, cached: timings.cached };
    notes.push(...run.notes);
    if (options.cacheFile && status === 'verified') {
      cache = { ...cache, schema: hash, version: VERIFY_VERSION };
      try {
        writeCache(options.cacheFile, cache);
      } catch (e) {
        notes.push(`could not write the verify cache ${options.cacheFile}: ${errorMessage(e)}`);
      }
    }
  }
  const final = outcomes.map((o) => o ?? { error: null, tables: [], indexes: [], unverified: 'not checked: PGlite was not available' });
  const unverified = final.filter((o) => o.unverified).length;
  if (unverified && status === 'verified') status = 'partial';
  if (unverified) notes.push(`${unverified} statement(s) could not be verified; their static findings stand`);
  notes.push(NO_SIZES);
  const { indexes, dropped } = mergeIndexes(units, final);
  timings.totalMs = performance.now() - since;
  return { status, schemaHash: hash, schemaProblems, outcomes: final, units: [...units], indexes, dropped, notes, timings, started };
}

/** Per unit, the cached outcome, or undefined for one to check (skipped units are answered here). */
function cachedOutcomes(units: readonly VerifyUnit[], keys: string[], cache: CacheFile, timings: VerifyTimings): Array<UnitOutcome | undefined> {
  return units.map((u, i) => {
    if (u.skip) return { error: null, tables: [], indexes: [], unverified: u.skip };
    const hit = cache.units[keys[i]!];
    // a cached result counts only if it covers today's static suggestions
    if (hit && (hit.error || hit.unverified || u.indexes.every((s) => hit.indexes.some((o) => o.original === s.statement)))) {
      timings.cached++;
      return hit;
    }
    return undefined;
  });
}

