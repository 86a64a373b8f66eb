import { closeSync, openSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Database } from './pglite.js';
import { WORKER_SOURCE } from './worker-source.js';

/**
 * The watchdog around PGlite: every call to the worker has a time budget, and the process's
 * memory is watched while it runs. On overrun the worker is terminated (the only way to stop a
 * WebAssembly loop) and the call fails with a WatchdogError saying which limit was hit; the caller
 * records the statement as not verifiable and starts a fresh instance from the last good state.
 */
export class WatchdogError extends Error {
  override name = 'WatchdogError';
  /** time or memory: a limit was hit (the input's doing); crash: PGlite itself failed. */
  constructor(message: string, readonly limit: 'time' | 'memory' | 'crash' = 'crash') {
    super(message);
  }
}

/** Limits for one PGlite instance; see `verifyLimits` for the defaults and how to change them. */
export interface VerifyLimits {
  /** Per statement (one `exec`), ms. */
  statementMs: number;
  /** For starting PGlite (initdb or loading a saved data directory), ms. */
  startMs: number;
  /** How far the process's resident memory may grow while one statement runs (above what it was when it was sent), MB. */
  memoryMb: number;
}

const DEFAULTS: VerifyLimits = { statementMs: 10_000, startMs: 60_000, memoryMb: 1024 };

function positive(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The limits: defaults, then `SQLPERF_VERIFY_TIMEOUT_MS` / `SQLPERF_VERIFY_START_MS` / `SQLPERF_VERIFY_MEMORY_MB`, then the caller's. */
export function verifyLimits(override: Partial<VerifyLimits> = {}, env: NodeJS.ProcessEnv = process.env): VerifyLimits {
  const statementMs = positive(env.SQLPERF_VERIFY_TIMEOUT_MS);
  const startMs = positive(env.SQLPERF_VERIFY_START_MS);
  const memoryMb = positive(env.SQLPERF_VERIFY_MEMORY_MB);
  return { ...DEFAULTS, ...(statementMs ? { statementMs } : {}), ...(startMs ? { startMs } : {}), ...(memoryMb ? { memoryMb } : {}), ...override };
}

interface Reply {
  id: number;
  results?: Array<{ rows: Record<string, unknown>[] }>;
  error?: { message: string; code: string; position: number | null; hint: string | null; detail: string | null };
}

/** A PostgreSQL error passed back from the worker: same fields as PGlite's, so `isServerError`/`toPgError` read it. */
class WorkerQueryError extends Error {
  constructor(readonly e: NonNullable<Reply['error']>) {
    super(e.message);
    Object.assign(this, { code: e.code, position: e.position, hint: e.hint, detail: e.detail });
  }
}

const MEMORY_POLL_MS = 50;

/**
 * PostgreSQL settings for the embedded server, beside PGlite's defaults: small shared memory, which
 * PostgreSQL zeroes at every start (a schema larger than the buffers is written out to PGlite's
 * in-memory files, which is cheap), and initdb's WAL segments at 1 MB instead of 16 (saved data
 * directories are unpacked at every start). The segment size is fixed at initdb: it keys the
 * per-user image (`initImagePath`).
 */
export const SERVER_SETTINGS = { sharedBuffers: '1MB', maxConnections: 4, walSegmentMb: 1 } as const;

/**
 * The server's `-c` options. A checkpoint removes the WAL segments it no longer needs instead of
 * keeping five for reuse (`wal_recycle`, `min_wal_size`): a saved data directory holds one or two.
 */
const START_PARAMS = [
  `shared_buffers=${SERVER_SETTINGS.sharedBuffers}`,
  `max_connections=${SERVER_SETTINGS.maxConnections}`,
  'wal_recycle=off',
  `min_wal_size=${2 * SERVER_SETTINGS.walSegmentMb}MB`,
].flatMap((o) => ['-c', o]);

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing to release
  }
}

/** A worker spawned ahead of need (`prewarm`), taken by the next start with the same PGlite and memory limit. */
let prewarmed: { pglite: string; memoryMb: number; codeCache: string | undefined; worker: Worker } | undefined;

/** `codeCache`: the file of V8's code cache for PGlite's JavaScript (see worker-source.ts); undefined: none. */
async function spawn(pglite: string, memoryMb: number, codeCache: string | undefined): Promise<Worker> {
  // loaded here, not at the top: the bundled CLI holds this module, and most runs start no worker
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { pglite, ...(codeCache ? { codeCache } : {}) },
    // the JS heap of the worker; WebAssembly memory is outside it and is watched through the RSS
    resourceLimits: { maxOldGenerationSizeMb: Math.max(512, memoryMb) },
    stdout: true,
    stderr: true,
  });
  // PGlite's own prints must not reach sqlperf's output (stdout may be JSON): read and drop them
  worker.stdout.resume();
  worker.stderr.resume();
  worker.unref();
  return worker;
}

/**
 * Spawns the next start's worker now: it loads PGlite and compiles its WebAssembly while the caller
 * still reads the schema that decides which saved data directory to start from. An unused one
 * never keeps the process alive.
 */
export async function prewarm(pglite: string, limits: VerifyLimits, codeCache?: string): Promise<void> {
  prewarmed ??= { pglite, memoryMb: limits.memoryMb, codeCache, worker: await spawn(pglite, limits.memoryMb, codeCache) };
}

/** PGlite in a worker thread; every call is bounded by the limits. After a WatchdogError the instance is dead. */
export class WorkerDatabase implements Database {
  private next = 0;
  private dead: string | undefined;
  /** Starting is bounded by time only: PGlite's memory is allocated then. */
  private started = false;
  private constructor(private readonly worker: Worker, private readonly limits: VerifyLimits) {}

  /**
   * Starts PGlite in a new worker: from a saved data directory (an image file) when given, else runs
   * initdb. The image is opened here and closed when the worker ends; the worker reads from it what
   * PostgreSQL touches. `signal` ends the instance whenever it is aborted (a start that turned out not to be needed).
   */
  static async start(pglite: string, extensions: Record<string, string>, image: string | undefined, limits: VerifyLimits, signal?: AbortSignal, codeCache?: string): Promise<WorkerDatabase> {
    const warm = prewarmed?.pglite === pglite && prewarmed.memoryMb === limits.memoryMb && prewarmed.codeCache === codeCache ? prewarmed.worker : undefined;
    prewarmed = undefined;
    const worker = warm ?? (await spawn(pglite, limits.memoryMb, codeCache));
    let imageFd: number | undefined;
    try {
      if (image) imageFd = openSync(image, 'r');
    } catch (e) {
      void worker.terminate();
      throw e;
    }
    if (imageFd !== undefined) worker.once('exit', () => closeQuietly(imageFd));
    const db = new WorkerDatabase(worker, limits);
    if (signal?.aborted) void db.close();
    signal?.addEventListener('abort', () => void db.close(), { once: true });
    try {
      const initDbParams = [`--wal-segsize=${SERVER_SETTINGS.walSegmentMb}`];
      await db.call({ type: 'start', extensions, startParams: START_PARAMS, initDbParams, ...(imageFd === undefined ? {} : { imageFd }) }, limits.startMs, 'starting PGlite');
    } catch (e) {
      await db.close();
      throw e;
    }
    db.started = true;
    return db;
  }

  private call(message: Record<string, unknown>, budgetMs: number, what: string): Promise<Reply> {
    if (this.dead) return Promise.reject(new WatchdogError(this.dead));
    const id = ++this.next;
    // measured from when the call is sent, not from PGlite's start: the main thread may still be
    // linting beside an early start, and what it allocates is not the statement's doing
    const rssLimit = this.started ? process.memoryUsage.rss() + this.limits.memoryMb * 1024 * 1024 : Infinity;
    return new Promise<Reply>((resolve, reject) => {
      const done = (f: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.worker.off('exit', onExit);
        f();
      };
      const kill = (reason: string, limit: WatchdogError['limit'] = 'crash') => {
        this.dead = reason;
        void this.worker.terminate();
        done(() => reject(new WatchdogError(reason, limit)));
      };
      const onMessage = (r: Reply) => {
        if (r.id !== id) return;
        done(() => (r.error ? reject(new WorkerQueryError(r.error)) : resolve(r)));
      };
      const onError = (e: Error) => kill(`PGlite crashed while ${what} (${e.message})`);
      const onExit = (code: number) => kill(`PGlite stopped while ${what} (exit code ${code})`);
      const timer = setTimeout(() => kill(`${what} took longer than ${budgetMs} ms`, 'time'), budgetMs);
      const poll = setInterval(() => {
        if (process.memoryUsage.rss() > rssLimit) kill(`${what} used more than ${this.limits.memoryMb} MB`, 'memory');
      }, MEMORY_POLL_MS);
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.on('exit', onExit);
      this.worker.postMessage({ ...message, id });
    });
  }

  async exec(sql: string): Promise<Array<{ rows: Record<string, unknown>[] }>> {
    return (await this.call({ type: 'exec', sql }, this.limits.statementMs, 'running a statement')).results ?? [];
  }

  /**
   * Writes the data directory as an image to `file`, which must not exist (the worker writes it: no
   * copy crosses to this thread): after a checkpoint, the server running on; or, with `shutdown`,
   * after PostgreSQL's clean shutdown (the next start then has no recovery to run), which ends this instance.
   */
  async dump(file: string, shutdown = false): Promise<void> {
    await this.call({ type: 'dump', file, shutdown }, this.limits.startMs, 'saving the data directory');
    if (shutdown) this.dead = 'PGlite was closed';
  }

  async close(): Promise<void> {
    this.dead ??= 'PGlite was closed';
    await this.worker.terminate();
  }
}
