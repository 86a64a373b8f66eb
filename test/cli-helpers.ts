import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const bin = join(root, 'dist', 'src', 'cli', 'bin.js');
/** The package's `sqlperf` bin, which runs the bundled CLI, dist/sqlperf.cjs (scripts/build-bundle.ts). */
export const bundle = join(root, 'dist', 'sqlperf.js');
const bundled = join(root, 'dist', 'sqlperf.cjs');
export const fixtures = join(root, 'fixtures', 'cli');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const stale = () => !existsSync(bin) || statSync(bin).mtimeMs < Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'rules')));

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ when a source is newer than the built CLI; test files running in parallel build once. */
export function ensureBuilt(): void {
  if (!stale()) return;
  const lock = join(root, 'dist', '.cli-test-build.lock');
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`timed out waiting for ${lock}`);
      sleep(200);
    }
  }
  try {
    if (stale()) {
      try {
        execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'pipe' });
      } catch (e) {
        // type errors elsewhere in the tree still emit JavaScript; fail only when the CLI was not built
        if (stale()) throw e;
      }
    }
  } finally {
    rmdirSync(lock);
  }
}

/** Builds dist/ (ensureBuilt), then the bundle when it is older than the built CLI (tsc rewrites every file). */
export function ensureBundled(): void {
  ensureBuilt();
  if (existsSync(bundle) && existsSync(bundled) && statSync(bundled).mtimeMs >= statSync(bin).mtimeMs) return;
  execFileSync(process.execPath, [join(root, 'dist', 'scripts', 'build-bundle.js')], { stdio: 'pipe' });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI as a user would: no TTY, no colour forcing, not in CI unless asked. */
export function sqlperf(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string | undefined>; bin?: string } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, CI: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [opts.bin ?? bin, ...args], { cwd: opts.cwd ?? root, input: opts.input ?? '', encoding: 'utf8', env: env as NodeJS.ProcessEnv, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
