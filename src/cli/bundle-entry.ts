/**
 * The entry of the bundled CLI (dist/sqlperf.js, built by scripts/build-bundle.ts): one file that
 * Node reads and compiles once, instead of about 130 modules resolved and loaded one by one.
 * The bundle is also its own lint worker: a worker thread it starts runs the worker part.
 * Both parts are dynamic imports, which the bundle inlines and evaluates only when reached.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { LINT_WORKER, useWorkerEntry } from './pool.js';

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[LINT_WORKER]) {
  await import('./worker.js');
} else {
  useWorkerEntry(new URL(import.meta.url));
  const { runCli } = await import('./run.js');
  await runCli();
}
