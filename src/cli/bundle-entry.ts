/**
 * The entry of the bundled CLI (dist/sqlperf.cjs, built by scripts/build-bundle.ts and run by
 * dist/sqlperf.js, src/cli/bundle-bin.ts): one file that Node reads and compiles once (from V8's
 * code cache after the first run) instead of about 130 modules resolved and loaded one by one.
 * The bundle is also its own lint worker: a worker thread it starts runs the worker part.
 * Both parts are dynamic imports, which the bundle inlines and evaluates only when reached; no
 * top-level await, as the bundle is CommonJS (V8's code cache needs a script, not a module).
 * node:worker_threads is loaded only in a worker (10 ms of a 300 ms run, measured), so the main
 * thread tells by the argument the pool gives its workers.
 */
import { LINT_WORKER, LINT_WORKER_ARG, useWorkerEntry } from './pool.js';

async function isLintWorker(): Promise<boolean> {
  if (!process.argv.includes(LINT_WORKER_ARG)) return false;
  const { isMainThread, workerData } = await import('node:worker_threads');
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[LINT_WORKER]);
}

async function start(): Promise<void> {
  if (await isLintWorker()) {
    await import('./worker.js');
    return;
  }
  useWorkerEntry(new URL(import.meta.url));
  const { runCli } = await import('./run.js');
  await runCli();
}

void start();
