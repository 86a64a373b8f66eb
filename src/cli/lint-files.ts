/**
 * The lint of a run's files: each one is taken from the cache when unchanged, the rest linted in
 * this thread or on worker threads, and the results put back in sorted path order.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { limitsOf } from '../limits.js';
import { cacheKey, LintCache, resolveCacheLocation, type CacheContent, type CacheStrategy, type FileStamp } from './cache.js';
// results depend on the Drizzle tables of the project (src/drizzle/): they are part of the cache key
import { drizzleDigest } from '../drizzle/project.js';
import type * as Engine from './engine.js';
import type { EngineOptions, FileOutcome } from './engine.js';
import { progress } from './progress.js';
import { addStats, emptyStats, type Stats } from './stats.js';
import { workerCount, type Concurrency, type FileReply, type Job } from './pool.js';
import { overSizeLimit, readBytesSync } from './source.js';
import { kindOf } from './files.js';
import { makeResult, type LintResult } from './types.js';

/** The analysis code and the parsers, loaded only when some file has to be linted. */
export async function loadAnalysis(engine: EngineOptions): Promise<typeof Engine> {
  const [api, eng] = await Promise.all([import('../ready.js'), import('./engine.js')]);
  await api.ready([engine.dialect, ...(engine.overrides ?? []).flatMap((o) => (o.dialect ? [o.dialect] : []))]);
  return eng;
}

export interface FilesRun {
  cwd: string;
  engine: EngineOptions;
  concurrency: Concurrency;
  /** Set with --cache: where, how, and the digest of the schema the results depend on. */
  cache?: { location?: string; strategy: CacheStrategy; schemaDigest: string | null; read?: CacheContent | undefined; schema?: unknown };
  /**
   * Works out the tables the application queries (`Schema.queried`) once the application files are
   * linted: on worker threads, the migrations linted after them judge by it (see appFirst).
   */
  answerQueried?: () => Promise<void>;
  /** Draw the progress bar (a terminal report, or output to a file). */
  showProgress: boolean;
  note: (line: string) => void;
}

export interface FilesLinted {
  results: LintResult[];
  stats: Stats;
  /** Files not read (not a regular file, over the size limit): said on stderr, counted in --stats. */
  skippedFiles: string[];
}

/** Lints `files` (absolute, sorted), with the cache and worker threads as the run asks. */
export async function lintFiles(files: string[], run: FilesRun): Promise<FilesLinted> {
  const { engine, note } = run;
  const stats = emptyStats();
  const skippedFiles: string[] = [];
  // one slot per file, in sorted path order, whatever order the results arrive in
  const slots: Array<LintResult | undefined> = new Array<LintResult | undefined>(files.length);
  const pending: Array<[index: number, reason: string]> = [];
  const location = run.cache && resolveCacheLocation(run.cwd, run.cache.location);
  const cache = run.cache && location ? LintCache.load(location, cacheKey({ ...engine, schema: run.cache.schemaDigest, drizzle: drizzleDigest(run.cwd) }, location), run.cache.read) : undefined;
  if (cache) cache.schema = run.cache?.schema;
  const maxFileSize = limitsOf(engine).maxFileSize;
  const { jobs: all, stamps } = cachedOrJobs(files, cache, run.cache?.strategy ?? 'metadata', maxFileSize, slots, stats);
  // a file the cache knows is over the size limit is skipped here: on a warm run it alone would load the parsers
  const jobs = all.filter((j) => {
    const over = overSizeLimit(stamps.get(j.index)?.size ?? 0, maxFileSize);
    if (over) pending.push([j.index, over]);
    return !over;
  });
  const bar = progress(files.length, run.showProgress);
  let done = files.length - all.length;
  const settle = (index: number, hash: string | undefined, outcome: FileOutcome) => {
    const file = files[index]!;
    bar.tick(++done);
    if (outcome.skipped) {
      // not read (a FIFO, a device, over the size limit): said here and counted, never a finding
      skippedFiles.push(file);
      note(`skipping ${path.relative(run.cwd, file)}: ${outcome.skipped}`);
      cache?.delete(file);
      return;
    }
    addStats(stats, outcome);
    slots[index] = makeResult(file, outcome.messages);
    if (cache && hash) cache.set(file, { hash, ...stamps.get(index), kind: outcome.kind, messages: outcome.messages, stats: outcome.stats });
    else cache?.delete(file);
  };
  for (const [index, reason] of pending) settle(index, undefined, { kind: kindOf(files[index]!) ?? 'sql', messages: [], stats: { sites: 0, analysed: 0, skipped: 0, failed: 0 }, skipped: reason });
  await lintJobs(jobs, run, settle);
  bar.stop();
  if (cache) {
    const problem = await cache.save();
    if (problem) note(problem);
  }
  return { results: slots.filter((r): r is LintResult => r !== undefined), stats, skippedFiles };
}

/** Fills the slots of unchanged files from the cache; the others become jobs, with their stamp taken before they are read. */
function cachedOrJobs(files: string[], cache: LintCache | undefined, strategy: CacheStrategy, maxFileSize: number, slots: Array<LintResult | undefined>, stats: Stats): { jobs: Job[]; stamps: Map<number, FileStamp> } {
  const jobs: Job[] = [];
  const stamps = new Map<number, FileStamp>();
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    if (cache) {
      const { entry, stamp } = cache.lookup(file, strategy, maxFileSize, readBytesSync);
      if (entry) {
        slots[i] = makeResult(file, entry.messages ? entry.messages.map((m) => ({ ...m })) : []);
        addStats(stats, entry);
        continue;
      }
      if (stamp) stamps.set(i, stamp);
    }
    jobs.push({ index: i, file });
  }
  return { jobs, stamps };
}

/** Lints the jobs on worker threads (`--concurrency`, many files on many cores) or in this thread. */
async function lintJobs(jobs: Job[], run: FilesRun, settle: (index: number, hash: string | undefined, outcome: FileOutcome) => void): Promise<void> {
  const threads = workerCount(run.concurrency, jobs.length);
  const cores = availableParallelism();
  if (typeof run.concurrency === 'number' && run.concurrency > cores) run.note(`--concurrency ${run.concurrency} is more than the ${cores} cores: using at most ${cores} threads`);
  if (threads > 0) {
    const [{ lintInWorkers }, { fileContext }, { keepFileTables }] = await Promise.all([import('./pool.js'), import('./engine.js'), import('../schema/queried-facts.js')]);
    const queriedIn = run.engine.schema?.queried ? undefined : run.engine.schema?.queriedIn;
    const [app, rest] = appFirst(jobs, run.engine, fileContext);
    const fileOf = new Map(jobs.map((j) => [j.index, j.file]));
    const onFile = (r: FileReply) => {
      if (queriedIn && r.queried) keepFileTables(fileOf.get(r.index)!, queriedIn.options, new Set(r.queried));
      settle(r.index, r.hash, r.outcome);
    };
    // the application's tables, from what the first phase kept (the files not linted are read now), before the migrations are linted
    const between = async () => {
      await run.answerQueried?.();
      return run.engine.schema?.queried ? { queried: [...run.engine.schema.queried] } : undefined;
    };
    await lintInWorkers(rest.length ? [app, rest] : [app], run.engine, threads, onFile, between);
    return;
  }
  if (!jobs.length) return;
  const { lintPath, fileContext } = await loadAnalysis(run.engine);
  for (const { index, file } of appFirst(jobs, run.engine, fileContext).flat()) {
    const { hash, outcome } = await lintPath(file, run.engine, Boolean(run.cache));
    settle(index, hash, outcome);
  }
}

/**
 * While the schema's size question is open (src/schema/queried.ts: which tables the application
 * queries), application files are linted first: each keeps the tables it found, so the question,
 * asked when a migration is linted, is answered without reading them again. Else the path order.
 */
function appFirst(jobs: Job[], engine: EngineOptions, contextOf: typeof Engine.fileContext): [app: Job[], rest: Job[]] {
  if (!engine.schema?.queriedIn || engine.schema.queried) return [jobs, []];
  const app = jobs.map((j) => contextOf(j.file, engine) === 'app');
  return [jobs.filter((_, i) => app[i]), jobs.filter((_, i) => !app[i])];
}
