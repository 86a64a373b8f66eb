import { TRIGRAM_EXTENSION } from '../index-ddl.js';
import { lineStarts, toLineCol } from '../range.js';
import type { SchemaFile } from '../schema/types.js';
import type { CacheFile } from './cache.js';
import { verifyUnit } from './check-unit.js';
import { dropImage, hasImage, saveImage, SCHEMA_IMAGES, schemaImagePath } from './data-dir.js';
import { execChecked, extensionsOf, SESSION_RESET, loadSchema, schemaStatements, type SchemaLoadResult, type SchemaProblem, type SchemaStatement } from './load-schema.js';
import { isServerError, pgliteVersion, startDatabase, VerifyUnavailableError, type Database } from './pglite.js';
import { emptyTimings, type UnitOutcome, type VerifyReport, type VerifyTimings } from './report.js';
import { NotAnswered, Session } from './session.js';
import { WatchdogError } from './supervisor.js';
import type { VerifyUnit } from './units.js';
import type { VerifyOptions } from './verify.js';
import { errorMessage } from '../error-message.js';

/**
 * One pass with a database: opens it with the schema loaded (saving the schema image), checks
 * every unit not answered yet (into `outcomes` and the cache), and replaces a PGlite that fails.
 * The opening can begin before the units are known (`begin`), while the caller is still linting.
 * Never throws: a failure is in `status` and `notes`.
 */
export class DatabaseRun {
  status: VerifyReport['status'] = 'verified';
  started = false;
  /** When the database began opening (`begin`), by performance.now(): an early start is part of the verify's total. */
  beganAt = Infinity;
  readonly notes: string[] = [];
  readonly timings: VerifyTimings = emptyTimings();
  schemaProblems: SchemaProblem[];
  private opening: Promise<Database> | undefined;
  private abort = new AbortController();
  private db: Database | undefined;
  private s: Session | undefined;
  private stmts: SchemaStatement[] = [];
  private extensions: string[] = [];
  private image: string | undefined;
  /** The image on disk holds this run's schema (it was started from, or saved). */
  private imageCurrent = false;
  private skipped: SchemaLoadResult['skipped'] = [];

  constructor(
    private readonly options: VerifyOptions,
    private readonly hash: string,
    readonly cache: CacheFile,
  ) {
    this.schemaProblems = cache.schemaProblems ?? [];
  }

  /** Starts opening the database with the schema loaded and these extensions besides the schema's. */
  begin(extensions: readonly string[] = []): void {
    const { options } = this;
    this.beganAt = Math.min(this.beganAt, performance.now());
    this.abort = new AbortController();
    this.opening = (async () => {
      this.stmts = schemaStatements(options.schemaFiles);
      this.extensions = [...new Set([...extensionsOf(this.stmts), ...extensions])];
      this.image = options.cacheFile && !options.database ? schemaImagePath(options.cacheFile, this.hash, pgliteVersion()) : undefined;
      return this.openLoaded();
    })();
    // a begun run nobody checks (the cache answered everything) must not fail the process
    this.opening.catch(() => undefined);
  }

  /** Whether the begun database has every extension the units' suggestions need (an early start knows only the schema's). */
  serves(units: readonly VerifyUnit[]): boolean {
    return requiredExtensions(units).every((x) => this.extensions.includes(x));
  }

  /** Ends a begun run that is not needed, at once: its worker is stopped wherever it is. */
  async discard(): Promise<void> {
    this.abort.abort();
    const opening = this.opening;
    this.opening = undefined;
    await opening?.then((d) => d.close(), () => undefined).catch(() => undefined);
  }

  async check(units: readonly VerifyUnit[], outcomes: Array<UnitOutcome | undefined>, keys: string[]): Promise<void> {
    const { notes } = this;
    try {
      if (!this.opening) this.begin(requiredExtensions(units));
      this.db = await this.opening!;
      this.s = new Session(this.db);
      await this.checkUnits(units, outcomes, keys);
      if (this.skipped.length) this.status = 'partial';
    } catch (e) {
      this.status = outcomes.some((o) => o && !o.unverified) ? 'partial' : 'unavailable';
      notes.push(e instanceof VerifyUnavailableError ? e.message : `PGlite failed (${errorMessage(e)}); the static findings of the statements it did not check stand`);
    } finally {
      this.count();
      if (this.db) await this.db.close().catch(() => undefined);
    }
  }

  /** The units not answered yet; a PGlite that fails on one is replaced (at most MAX_RESTARTS times). */
  private async checkUnits(units: readonly VerifyUnit[], outcomes: Array<UnitOutcome | undefined>, keys: string[]): Promise<void> {
    let restarts = 0;
    for (let i = 0; i < units.length; i++) {
      if (outcomes[i]) continue;
      try {
        const o = await verifyUnit(this.s!, units[i]!);
        outcomes[i] = o;
        this.cache.units[keys[i]!] = o;
      } catch (e) {
        if (isServerError(e)) throw e;
        // sqlperf's own limit or PGlite's failure, not the query's: no finding, no cache entry
        outcomes[i] = { error: null, tables: [], indexes: [], unverified: `PGlite could not check it: ${errorMessage(e)}` };
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
    if (this.abort.signal.aborted) throw new Error('PGlite was not needed any more');
    const t = performance.now();
    try {
      return await (options.database ? options.database(image) : startDatabase(this.extensions, { signal: this.abort.signal, ...(image ? { image } : {}), ...(options.limits ? { limits: options.limits } : {}), ...(options.userCache !== undefined ? { userCache: options.userCache } : {}), note: (l) => notes.push(l) }));
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
        // stopped because it was not needed: that says nothing about the image
        if (this.abort.signal.aborted) throw e;
        if (!(e instanceof WatchdogError) || e.limit === 'crash') dropImage(image);
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
    // when the instance broke while saving, that is said in the notes; the next statement sent to it fails as any would
    const failed = await saveImage(this.image, (tmp) => db.dump!(tmp), SCHEMA_IMAGES);
    if (failed) this.notes.push(`could not save the schema's PGlite data directory to ${this.image}: ${failed}`);
    // saved once a run: a replacement after a failure starts from it
    else this.imageCurrent = true;
  }
}

/** How many times PGlite may be replaced while checking queries before verification gives up. */
const MAX_RESTARTS = 5;

/** Before the EXPLAINs: a fresh session, where only indexes can read a table (see NO_SIZES). */
const EXPLAIN_SESSION = `${SESSION_RESET}; SET enable_seqscan = off`;

/** The extensions `CREATE EXTENSION` statements name. */
function extensionsIn(statements: readonly string[]): string[] {
  return extensionsOf(statements.map((sql) => ({ file: '', start: 0, end: sql.length, sql })));
}

/** Extensions the static suggestions need (`CREATE EXTENSION IF NOT EXISTS pg_trgm;`), to load into PGlite. */
function requiredExtensions(units: readonly VerifyUnit[]): string[] {
  return extensionsIn(units.flatMap((u) => u.indexes.flatMap((x) => x.requires ?? [])));
}

/** Every extension a static suggestion can need: an early start, before the suggestions are known, loads them. */
export const SUGGESTED_EXTENSIONS = extensionsIn([TRIGRAM_EXTENSION]);

/** `file:line:column` of a schema statement. */
function where(files: readonly SchemaFile[], s: SchemaStatement): string {
  const text = files.find((f) => f.path === s.file)?.text ?? '';
  const p = toLineCol(lineStarts(text), s.start);
  return `${s.file}:${p.line}:${p.column}`;
}
