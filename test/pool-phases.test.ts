// The lint pool's phases (src/cli/pool.ts): the second phase starts only when every file of the
// first is back and `between` has answered, and every worker has that answer before its next
// batch; a worker lost between phases fails the run instead of leaving it waiting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lintInWorkers, useWorkerEntry, type FileReply, type Job } from '../src/cli/pool.js';
import type { EngineOptions } from '../src/cli/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in lint worker: each file's one message says what the worker had been told the application queries; `exitAfterFirst` makes it stop soon after its first reply. */
function standIn(name: string, exitAfterFirst: boolean): void {
  const file = join(dir, name);
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
let told = 'nothing';
parentPort.on('message', (m) => {
  if ('queried' in m) {
    told = m.queried.join(',');
    return;
  }
  parentPort.postMessage({ batch: m.batch, files: m.jobs.map((j) => ({ index: j.index, outcome: { kind: 'sql', messages: [{ message: told }], stats: { sites: 0, analysed: 0, skipped: 0, failed: 0 } } })) });
  ${exitAfterFirst ? 'setTimeout(() => process.exit(3), 20);' : ''}
});
`,
  );
  useWorkerEntry(pathToFileURL(file));
}

const jobs = (from: number, n: number): Job[] => Array.from({ length: n }, (_, i) => ({ index: from + i, file: `f${from + i}.sql` }));
const engine = { dialect: 'postgresql' } as EngineOptions;

describe('lint pool phases', () => {
  it('the second phase runs after the first is back and every worker has the answer', async () => {
    standIn('answer.mjs', false);
    const seen: Array<[number, string]> = [];
    let backBeforeAnswer = -1;
    await lintInWorkers([jobs(0, 40), jobs(40, 40)], engine, 2, (r: FileReply) => seen.push([r.index, (r.outcome.messages[0] as { message: string }).message]), async () => {
      backBeforeAnswer = seen.length;
      return { queried: ['orders', 'order_notes'] };
    });
    expect(backBeforeAnswer).toBe(40);
    expect(seen.filter(([i]) => i < 40).every(([, m]) => m === 'nothing')).toBe(true);
    expect(seen.filter(([i]) => i >= 40).map(([, m]) => m)).toEqual(Array(40).fill('orders,order_notes'));
  });

  it('a worker lost between the phases fails the run', async () => {
    standIn('exits.mjs', true);
    // the one worker answers the first phase's one file, then stops while the main thread works out the answer
    const between = () => new Promise<{ queried: string[] }>((resolve) => setTimeout(() => resolve({ queried: [] }), 300));
    await expect(lintInWorkers([jobs(0, 1), jobs(1, 4)], engine, 1, () => {}, between)).rejects.toThrow(/a lint worker stopped unexpectedly \(exit code 3\)/);
  });
});
