import { fingerprintPg } from '../parse/pg.js';
import { lineStarts, toLineCol } from '../range.js';
import type { SchemaFile } from '../schema/types.js';
import { readCache, writeCache, type CacheFile } from './cache.js';
import { verifyUnit } from './check-unit.js';
import { dropImage, hasImage, saveImage, SCHEMA_IMAGES, schemaImagePath } from './data-dir.js';
import { execChecked, extensionsOf, SESSION_RESET, loadSchema, schemaHash, schemaStatements, type SchemaLoadResult, type SchemaProblem, type SchemaStatement } from './load-schema.js';
import { isServerError, pgliteVersion, startDatabase, VerifyUnavailableError, type Database } from './pglite.js';
import { mergeIndexes, type UnitOutcome, type VerifyReport, type VerifyTimings } from './report.js';
import { NotAnswered, Session } from './session.js';
import { WatchdogError, type VerifyLimits } from './supervisor.js';
import type { VerifyUnit } from './units.js';

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
}

const NO_SIZES = 'the planner ran on empty tables with enable_seqscan = off: it shows which indexes CAN serve each query, not whether it would prefer them at your table sizes';

function unitKey(u: VerifyUnit): string {
  return fingerprintPg(u.sql) ?? `text:${u.sql}`;
}

function emptyTimings(): VerifyTimings {
  return { startMs: 0, schemaLoadMs: 0, explains: 0, explainMs: 0, totalMs: 0, cached: 0 };
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
  const timings = emptyTimings();
  const notes: string[] = [];
  const keys = units.map(unitKey);
  let cache: CacheFile = (options.cacheFile ? readCache(options.cacheFile, hash) : undefined) ?? { version: VERIFY_VERSION, schema: hash, schemaProblems: null, units: {} };
  const outcomes = cachedOutcomes(units, keys, cache, timings);
  let schemaProblems = cache.schemaProblems ?? [];
  let status: VerifyReport['status'] = 'verified';
  let started = false;
  const todo = outcomes.some((o) => o === undefined) || cache.schemaProblems === null;
  if (todo) {
    const run = new DatabaseRun(units, options, hash, cache, timings, notes, schemaProblems);
    await run.check(outcomes, keys);
    ({ status, started, schemaProblems } = run);
    if (options.cacheFile && status === 'verified') {
      cache = { ...cache, schema: hash, version: VERIFY_VERSION };
      try {
        writeCache(options.cacheFile, cache);
      } catch (e) {
        notes.push(`could not write the verify cache ${options.cacheFile}: ${(e as Error).message}`);
      }
    }
  }
  const final = outcomes.map((o) => o ?? { error: null, tables: [], indexes: [], unverified: 'not checked: PGlite was not available' });
  const unverified = final.filter((o) => o.unverified).length;
  if (unverified && status === 'verified') status = 'partial';
  if (unverified) notes.push(`${unverified} statement(s) could not be verified; their static findings stand`);
  notes.push(NO_SIZES);
  const { indexes, dropped } = mergeIndexes(units, final);
  timings.totalMs = performance.now() - t0;
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

/**
 * One pass with a database: opens it with the schema loaded, checks every unit not answered yet
 * (into `outcomes` and the cache), replaces a PGlite that fails, and saves the schema image.
 * Never throws: a failure is in `status` and `notes`.
 */
class DatabaseRun {
  status: VerifyReport['status'] = 'verified';
  started = false;
  private db: Database | undefined;
  private s: Session | undefined;
  private stmts: SchemaStatement[] = [];
  private extensions: string[] = [];
  private image: string | undefined;
  /** The image on disk holds this run's schema (it was started from, or saved). */
  private imageCurrent = false;
  private skipped: SchemaLoadResult['skipped'] = [];

  constructor(
    private readonly units: readonly VerifyUnit[],
    private readonly options: VerifyOptions,
    private readonly hash: string,
    private readonly cache: CacheFile,
    private readonly timings: VerifyTimings,
    private readonly notes: string[],
    public schemaProblems: SchemaProblem[],
  ) {}

  async check(outcomes: Array<UnitOutcome | undefined>, keys: string[]): Promise<void> {
    const { options, notes } = this;
    try {
      this.stmts = schemaStatements(options.schemaFiles);
      this.extensions = [...new Set([...extensionsOf(this.stmts), ...requiredExtensions(this.units)])];
      this.image = options.cacheFile && !options.database ? schemaImagePath(options.cacheFile, this.hash, pgliteVersion()) : undefined;
      this.db = await this.openLoaded();
      this.s = new Session(this.db);
      await this.checkUnits(outcomes, keys);
      if (this.skipped.length) this.status = 'partial';
    } catch (e) {
      this.status = outcomes.some((o) => o && !o.unverified) ? 'partial' : 'unavailable';
      notes.push(e instanceof VerifyUnavailableError ? e.message : `PGlite failed (${(e as Error).message}); the static findings of the statements it did not check stand`);
    } finally {
      this.count();
      if (this.db) await this.db.close().catch(() => undefined);
    }
  }

  /** The units not answered yet; a PGlite that fails on one is replaced (at most MAX_RESTARTS times). */
  private async checkUnits(outcomes: Array<UnitOutcome | undefined>, keys: string[]): Promise<void> {
    let restarts = 0;
    for (let i = 0; i < this.units.length; i++) {
      if (outcomes[i]) continue;
      try {
        const o = await verifyUnit(this.s!, this.units[i]!);
        outcomes[i] = o;
        this.cache.units[keys[i]!] = o;
      } catch (e) {
        if (isServerError(e)) throw e;
        // sqlperf's own limit or PGlite's failure, not the query's: no finding, no cache entry
        outcomes[i] = { error: null, tables: [], indexes: [], unverified: `PGlite could not check it: ${(e as Error).message}` };
        if (e instanceof NotAnswered) continue; // the canary answered: the instance is fine
        this.count();
        await this.db!.close().catch(() => undefined);
        this.db = undefined;
        if (++restarts > MAX_RESTARTS) throw new Error(`PGlite had to be restarted ${MAX_RESTARTS} times`);
        this.db = await this.openLoaded();
        this.s = new Session(this.db);
      }
    }
  }

  /** Adds the session's EXPLAIN counts to the timings (before the session is replaced or the run ends). */
  private count(): void {
    this.timings.explains += this.s?.explains ?? 0;
    this.timings.explainMs += this.s?.explainMs ?? 0;
  }

  private async open(image?: string): Promise<Database> {
    const { options, notes } = this;
    const t = performance.now();
    try {
      return await (options.database ? options.database(image) : startDatabase(this.extensions, { ...(image ? { image } : {}), ...(options.limits ? { limits: options.limits } : {}), ...(options.userCache !== undefined ? { userCache: options.userCache } : {}), note: (l) => notes.push(l) }));
    } finally {
      this.started = true;
      this.timings.startMs += performance.now() - t;
    }
  }

  /**
   * A database with the schema loaded: from the saved schema image when there is one (the last
   * good state), else by loading the migrations and saving the image; then the session reset for EXPLAIN.
   */
  private async openLoaded(): Promise<Database> {
    const { image, cache, timings } = this;
    if (image && cache.schemaProblems !== null && hasImage(image)) {
      let d: Database | undefined;
      try {
        d = await this.open(image);
        await execChecked(d, EXPLAIN_SESSION);
        this.imageCurrent = true;
        return d;
      } catch (e) {
        await d?.close().catch(() => undefined);
        if (!(e instanceof WatchdogError) || e.limit === 'crash') dropImage(image!);
      }
    }
    const t = performance.now();
    const start = timings.startMs;
    const loaded = await loadSchema(() => this.open(), this.stmts, this.skipped);
    timings.schemaLoadMs += performance.now() - t - (timings.startMs - start);
    this.schemaProblems = loaded.result.problems;
    for (const k of loaded.result.skipped.slice(this.skipped.length)) this.notes.push(`${where(this.options.schemaFiles, k.statement)}: this migration statement was not loaded (${k.reason}); queries that need what it creates cannot be verified`);
    this.skipped = loaded.result.skipped;
    // a statement the watchdog stopped may finish on a faster machine: such a load is not saved
    if (!this.skipped.length) {
      cache.schemaProblems = this.schemaProblems;
      await this.saveImage(loaded.db);
    }
    await execChecked(loaded.db, EXPLAIN_SESSION);
    return loaded.db;
  }

  /** Saves the schema just loaded (before any EXPLAIN touched the cluster) as the project's image. */
  private async saveImage(db: Database): Promise<void> {
    if (!this.image || this.imageCurrent || !db.dump) return;
    let failed: string | undefined;
    try {
      failed = saveImage(this.image, await db.dump(), SCHEMA_IMAGES);
    } catch (e) {
      // the instance broke while saving: said in the notes; the next statement sent to it fails as any would
      failed = (e as Error).message;
    }
    if (failed) this.notes.push(`could not save the schema's PGlite data directory to ${this.image}: ${failed}`);
    // saved once a run: a replacement after a failure starts from it
    else this.imageCurrent = true;
  }
}

/** How many times PGlite may be replaced while checking queries before verification gives up. */
const MAX_RESTARTS = 5;

/** Before the EXPLAINs: a fresh session, where only indexes can read a table (see NO_SIZES). */
const EXPLAIN_SESSION = `${SESSION_RESET}; SET enable_seqscan = off`;

/** Extensions the static suggestions need (`CREATE EXTENSION IF NOT EXISTS pg_trgm;`), to load into PGlite. */
function requiredExtensions(units: readonly VerifyUnit[]): string[] {
  return units.flatMap((u) => u.indexes.flatMap((x) => x.requires ?? [])).flatMap((r) => extensionsOf([{ file: '', start: 0, end: r.length, sql: r }]));
}

/** `file:line:column` of a schema statement. */
function where(files: readonly SchemaFile[], s: SchemaStatement): string {
  const text = files.find((f) => f.path === s.file)?.text ?? '';
  const p = toLineCol(lineStarts(text), s.start);
  return `${s.file}:${p.line}:${p.column}`;
}
