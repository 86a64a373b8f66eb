import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, type Run } from '../cli-helpers.js';

/** Runs the built CLI with a hard time limit: a hang is a failed test (code null), never a stuck suite. */
export function run(args: string[], cwd: string, timeout = 20_000): Run {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, CI: undefined };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input: '', encoding: 'utf8', env: env as NodeJS.ProcessEnv, timeout, maxBuffer: 512 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sqlperf-adv-${prefix}-`));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}
