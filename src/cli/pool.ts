import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { EngineOptions, FileOutcome } from './engine.js';
import { UsageError } from './errors.js';

/** Below this many files to lint, worker threads cost more (each loads the parsers) than they save. */
export const AUTO_MIN_FILES = 50;
/**
 * Fewer cores than this and auto stays in one thread: V8's own background threads (GC, compiler)
 * already keep a second core busy, and on a 2-core machine workers measured no faster (see bench).
 */
export const AUTO_MIN_CORES = 4;
/** Files per worker before another worker is worth starting. */
const FILES_PER_WORKER = 25;
const MAX_AUTO_WORKERS = 8;

export type Concurrency = number | 'auto' | 'off';

/** `--concurrency <n|auto|off>`. */
export function parseConcurrency(value: string | undefined): Concurrency {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === 'off') return 'off';
  if (/^\d+$/.test(value.trim()) && Number(value) >= 1) return Number(value) === 1 ? 'off' : Number(value);
  throw new UsageError(`--concurrency expects a number of threads, "auto" or "off" (got "${value}")`);
}

/** How many worker threads to lint `jobs` files with; 0 means in this thread. */
export function workerCount(setting: Concurrency, jobs: number, cores = availableParallelism()): number {
  if (setting === 'off' || jobs === 0) return 0;
  // more threads than cores only add memory (each loads the parsers) and contention
  if (setting !== 'auto') return Math.min(setting, jobs, Math.max(1, cores));
  if (jobs <= AUTO_MIN_FILES || cores < AUTO_MIN_CORES) return 0;
  return Math.max(0, Math.min(cores, MAX_AUTO_WORKERS, Math.floor(jobs / FILES_PER_WORKER)));
}

export interface Job {
  index: number;
  file: string;
}
export interface WorkerRequest {
  batch: number;
  jobs: Job[];
}
/** Sent between phases (see lintInWorkers): the tables the application queries, now known. */
export interface WorkerQueried {
  queried: string[];
}
export interface WorkerReply {
  batch: number;
  files: Array<{ index: number; hash?: string; outcome: FileOutcome; queried?: string[] }>;
  error?: { message: string; stack?: string };
}
export type FileReply = WorkerReply['files'][number];

/** Set in a lint worker's `workerData`: the bundled CLI (one file for both) runs the worker when it sees it. */
export const LINT_WORKER = 'sqlperfLintWorker';
/** And in its `process.argv`, which the bundle can read without loading node:worker_threads. */
export const LINT_WORKER_ARG = '--sqlperf-lint-worker';

/** The lint worker's module: worker.js beside this file, or the bundle itself (`useWorkerEntry`). */
let workerEntry: URL | undefined;

/** The bundled CLI is its own worker entry: there is no worker.js beside it. */
export function useWorkerEntry(url: URL): void {
  workerEntry = url;
}

/** An internal error inside a worker, reported as the CLI reports its own. */
export class WorkerError extends Error {}

/**
 * Lints the jobs on `threads` worker threads. Work is handed out in small batches as workers
 * become free (a slow file does not hold up the others); `onFile` is called as results arrive,
 * in no particular order: callers place them by `index`. The jobs come in phases: the next phase
 * starts when the last one's files are all back and `between` has answered; what it answers (the
 * tables the application queries, worked out from the first phase's files) reaches every worker first.
 */
export async function lintInWorkers(phases: Job[][], engine: EngineOptions, threads: number, onFile: (reply: FileReply) => void, between?: () => Promise<WorkerQueried | undefined>): Promise<void> {
  const total = phases.reduce((n, p) => n + p.length, 0);
  if (!total) return;
  const batchSize = Math.max(1, Math.min(16, Math.floor(total / (threads * 8))));
  const workers: Worker[] = [];
  const url = workerEntry ?? new URL('./worker.js', import.meta.url);
  // loaded here, not at the top: a run on one thread does not pay for it
  const { Worker } = await import('node:worker_threads');
  let failed: ((e: Error) => void) | undefined;
  let phaseDone: (() => void) | undefined;
  let batches: Job[][] = [];
  let next = 0;
  let pending = 0;
  let finished = false;
  const send = (w: Worker) => {
    if (next >= batches.length) return;
    const batch = next++;
    w.postMessage({ batch, jobs: batches[batch]! } satisfies WorkerRequest);
  };
  // a failure at any time ends the run, in whichever phase it is
  const errors = new Promise<never>((_, reject) => (failed = reject));
  errors.catch(() => undefined);
  try {
    for (let t = 0; t < threads; t++) {
      const w = new Worker(url, { workerData: { engine, [LINT_WORKER]: true }, argv: [LINT_WORKER_ARG] });
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (reply.error) {
          const err = new WorkerError(reply.error.message);
          if (reply.error.stack) err.stack = reply.error.stack;
          failed!(err);
          return;
        }
        for (const f of reply.files) onFile(f);
        if (--pending === 0) phaseDone?.();
        else send(w);
      });
      w.on('error', (e) => failed!(e));
      // between phases too: a worker lost there would leave the next phase's batches unanswered
      w.on('exit', (code) => {
        if (!finished) failed!(new WorkerError(`a lint worker stopped unexpectedly (exit code ${code})`));
      });
    }
    for (let p = 0; p < phases.length; p++) {
      const jobs = phases[p]!;
      if (!jobs.length) continue;
      const message = p > 0 && between ? await Promise.race([between(), errors]) : undefined;
      if (message) workers.forEach((w) => w.postMessage(message));
      batches = [];
      for (let i = 0; i < jobs.length; i += batchSize) batches.push(jobs.slice(i, i + batchSize));
      next = 0;
      pending = batches.length;
      const done = new Promise<void>((resolve) => (phaseDone = resolve));
      // two batches in flight per worker, so it never waits for the next one
      for (const w of workers) {
        send(w);
        send(w);
      }
      await Promise.race([done, errors]);
    }
  } finally {
    finished = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
