/**
 * The entry of the bundled CLI (dist/sqlperf.js, built by scripts/build-bundle.ts): one file that
 * Node reads and compiles once, instead of about 130 modules resolved and loaded one by one.
 * The bundle is also its own lint worker: a worker thread it starts runs the worker part.
 * Both parts are dynamic imports, which the bundle inlines and evaluates only when reached.
 * node:worker_threads is loaded only in a worker (10 ms of a 300 ms run, measured), so the main
 * thread tells by the argument the pool gives its workers.
 */
import { LINT_WORKER, LINT_WORKER_ARG, useWorkerEntry } from './pool.js';

async function isLintWorker(): Promise<boolean> {
  if (!process.argv.includes(LINT_WORKER_ARG)) return false;
  const { isMainThread, workerData } = await import('node:worker_threads');
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[LINT_WORKER]);
}

if (await isLintWorker()) {
  await import('./worker.js');
} else {
  useWorkerEntry(new URL(import.meta.url));
  const { runCli } = await import('./run.js');
  await runCli();
}
