/**
 * The hook in .pre-commit-hooks.yaml, installed and run by the real `pre-commit` as a user's
 * repository would: pre-commit clones sqlperf at a commit, runs `npm install` + `npm pack` (the
 * `prepare` script builds dist/) and `npm install -g` of the tarball, then runs `sqlperf lint` on
 * the staged files. It runs in `npm test` (so in CI) and skips cleanly without `pre-commit` or `git`
 * on PATH, or when npm's registry cannot be reached (pre-commit installs the hook from it); it takes
 * about two minutes (npm install of every dependency from npm's cache, two builds).
 * SQLPERF_TEST_PRE_COMMIT=0 skips it:
 *
 *   npx vitest run test/cli-pre-commit.test.ts
 *
 * It tests the committed HEAD (a clone), not uncommitted changes. SQLPERF_PRE_COMMIT_HOME keeps
 * pre-commit's environments between runs (the install is reused while HEAD does not change).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './cli-helpers.js';

const onPath = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
// pre-commit's npm install needs the registry: offline, the test says nothing about the hook
const registryReachable = () => spawnSync('npm', ['ping', '--fetch-timeout=10000', '--fetch-retries=0'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
const enabled = process.env.SQLPERF_TEST_PRE_COMMIT !== '0' && onPath('pre-commit') && onPath('git') && registryReachable();

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 900_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!enabled)('pre-commit hook (real pre-commit; skipped without it, offline, or with SQLPERF_TEST_PRE_COMMIT=0)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sqlperf-pre-commit-'));
  // pre-commit's environment holds a full node_modules: removing it takes a while
  afterAll(() => rmSync(tmp, { recursive: true, force: true }), 300_000);

  it('installs from a git checkout and fails a commit that stages bad SQL, with the finding', () => {
    const hookRepo = join(tmp, 'sqlperf');
    expect(run('git', ['clone', '-q', root, hookRepo], tmp).code).toBe(0);
    const sha = run('git', ['rev-parse', 'HEAD'], hookRepo).out.trim();
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'sql'), { recursive: true });
    const git = (...args: string[]) => run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], app);
    expect(git('init', '-q').code).toBe(0);
    writeFileSync(join(app, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${sha}\n    hooks:\n      - id: sqlperf\n`);
    writeFileSync(join(app, 'sql', 'bad.sql'), 'SELECT id FROM users WHERE id = $1;\nSELEC 1;\n');
    // .mts: a file type the hook must pass to sqlperf (identify's older tags do not know it)
    writeFileSync(join(app, 'query.mts'), 'import { sql } from "./db";\nexport const q = sql`SELEC id FROM users`;\n');
    const env = { PRE_COMMIT_HOME: process.env.SQLPERF_PRE_COMMIT_HOME ?? join(tmp, 'home') };
    expect(run('pre-commit', ['install'], app, env).code).toBe(0);
    expect(git('add', '.').code).toBe(0);

    const failed = run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'bad'], app, env);
    expect(failed.code, failed.out).toBe(1);
    expect(failed.out).toMatch(/sqlperf\.+Failed/);
    expect(failed.out).toMatch(/^sql\/bad\.sql\n {2}2:1 {2}error {2}syntax error at or near "SELEC" {2}parse-error$/m);
    expect(failed.out).toMatch(/^query\.mts\n {2}2:22 {2}error {2}syntax error at or near "SELEC" {2}parse-error$/m);
    expect(git('rev-parse', '-q', '--verify', 'HEAD').code).not.toBe(0);

    // fixed: the same environment is reused and the commit goes through
    writeFileSync(join(app, 'sql', 'bad.sql'), 'SELECT id FROM users WHERE id = $1;\n');
    writeFileSync(join(app, 'query.mts'), 'import { sql } from "./db";\nexport const q = sql`SELECT id FROM users`;\n');
    git('add', '.');
    const passed = run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'good'], app, env);
    expect(passed.code, passed.out).toBe(0);
    expect(passed.out).toMatch(/sqlperf\.+Passed/);
  }, 900_000);
});
