// Class: worker threads. --concurrency is capped at the cores (100 threads used 1.9 GB), said on
// stderr; and the results are the same in one thread and in workers, deep input included (a worker
// has another stack size than the main thread: no result may depend on it).
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCount } from '../../src/cli/pool.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

describe('--concurrency', () => {
  it('asks for at most one thread per core', () => {
    expect(workerCount(100, 500, 2)).toBe(2);
    expect(workerCount(3, 500, 8)).toBe(3);
    expect(workerCount(8, 2, 8)).toBe(2);
    expect(workerCount('off', 500, 8)).toBe(0);
  });

  describe('through the CLI', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => {
      ensureBuilt();
      t = tempDir('conc');
      // deep shapes generated here: brackets, nested subqueries, CASE, OR chains, in SQL and in a template
      for (const d of [50, 400, 1200]) {
        writeFileSync(join(t.dir, `paren${d}.sql`), `SELECT ${'('.repeat(d)}1${')'.repeat(d)} FROM users WHERE email LIKE '%x';\n`);
        writeFileSync(join(t.dir, `sub${d}.sql`), `SELECT * FROM ${'(SELECT * FROM '.repeat(d)}users${') t'.repeat(d)};\n`);
        writeFileSync(join(t.dir, `case${d}.sql`), `SELECT ${'CASE WHEN x THEN '.repeat(d)}1${' END'.repeat(d)} FROM users;\n`);
        writeFileSync(join(t.dir, `or${d}.sql`), `SELECT id FROM users WHERE ${Array.from({ length: d }, (_, i) => `a${i} = 1`).join(' OR ')};\n`);
        writeFileSync(join(t.dir, `q${d}.ts`), `const q = sql\`SELECT * FROM ${'(SELECT * FROM '.repeat(d)}users${') t'.repeat(d)} WHERE email LIKE '%x'\`;\n`);
      }
    }, 240_000);
    afterAll(() => t.done());

    it('gives the same results in one thread and in workers, on deep input; more threads than cores is said and capped', () => {
      const args = ['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '--rule', 'no-select-star:warn', '-f', 'json', '.'];
      const off = run([...args, '--concurrency', 'off'], t.dir, 120_000);
      const many = run([...args, '--concurrency', '64'], t.dir, 120_000);
      expect(off.code).not.toBeNull();
      expect(many.code).toBe(off.code);
      const cores = availableParallelism();
      if (cores < 64) expect(many.stderr).toContain(`sqlperf: --concurrency 64 is more than the ${cores} cores: using at most ${cores} threads`);
      expect(off.stderr).not.toContain('--concurrency');
      expect(many.stdout).toBe(off.stdout);
      // the deep files were analysed or reported, not lost: every file has a result
      const files = JSON.parse(off.stdout) as Array<{ filePath: string; messages: unknown[] }>;
      expect(files).toHaveLength(15);
      expect(files.find((f) => f.filePath.endsWith('paren1200.sql'))!.messages.length).toBeGreaterThan(0);
    }, 300_000);
  });
});
