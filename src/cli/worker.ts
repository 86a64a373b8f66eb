/**
 * A lint worker (worker thread): lints the files it is sent, one batch at a time, and posts back
 * each file's messages and counts, and for an application file the tables its SQL queries (see
 * lintInWorkers' phases). It keeps nothing else between files.
 */
import { ready } from '../ready.js';
import { keptFact, NOT_KEPT } from '../file-facts.js';
import { isTableList, optionsKeyOf } from '../schema/queried-facts.js';
import { lintPath, type EngineOptions } from './engine.js';
import type { WorkerQueried, WorkerReply, WorkerRequest } from './pool.js';
import { errorMessage } from '../error-message.js';

/** Answers the pool's batches on this thread's port (messages sent before the listener wait for it). */
async function serve(): Promise<void> {
  // a dynamic import: in the bundled CLI (worker and main thread in one file) a static one would load it in the main thread too
  const { parentPort, workerData } = await import('node:worker_threads');
  const { engine } = workerData as { engine: EngineOptions };
  const port = parentPort!;
  const loaded = ready([engine.dialect, ...(engine.overrides ?? []).flatMap((o) => (o.dialect ? [o.dialect] : []))]);
  let chain: Promise<void> = Promise.resolve();

  const run = async (req: WorkerRequest): Promise<void> => {
    await loaded;
    const replies: WorkerReply['files'] = [];
    // while the application's tables are not known, each file's lint keeps the tables it queries: they go back to the pool
    const queriedIn = engine.schema && !engine.schema.queried ? engine.schema.queriedIn : undefined;
    for (const job of req.jobs) {
      const { hash, outcome } = await lintPath(job.file, engine);
      const kept = queriedIn ? keptFact(job.file, `queried:${optionsKeyOf(queriedIn.options)}`, isTableList) : undefined;
      replies.push({ index: job.index, ...(hash ? { hash } : {}), outcome, ...(kept && kept !== NOT_KEPT ? { queried: kept } : {}) });
    }
    port.postMessage({ batch: req.batch, files: replies } satisfies WorkerReply);
  };

  port.on('message', (req: WorkerRequest | WorkerQueried) => {
    if ('queried' in req) {
      // the pool's answer between phases: the later files' size-dependent findings judge by it
      if (engine.schema) engine.schema.queried = new Set(req.queried);
      return;
    }
    // batches run one after the other; an internal error ends the worker and the pool reports it
    chain = chain.then(() => run(req)).catch((e: unknown) => {
      port.postMessage({ batch: req.batch, files: [], error: { message: errorMessage(e), stack: e instanceof Error ? e.stack : undefined } } satisfies WorkerReply);
    });
  });
}

void serve();
