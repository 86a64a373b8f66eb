import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHostTree, generateSqlTree } from '../scripts/bench-tree.js';
import { parseConcurrency, workerCount } from '../src/cli/pool.js';
import { ensureBuilt, sqlperf } from './cli-helpers.js';
import { ALL } from './helpers/all-rules.js';

let tmp: string;
let tree: string;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'sqlperf-cache-'));
  tree = join(tmp, 'tree');
  generateSqlTree(join(tree, 'sql'), { files: 40, statementsPerFile: 5, perFolder: 20 });
  generateHostTree(join(tree, 'src'), { files: 60, sqlShare: 0.3, queriesPerFile: 3, perFolder: 30 });
  writeFileSync(join(tree, 'broken.sql'), 'SELEC id FROM users;\nSELECT * FROM users;\n');
  // the opt-in rules too, so that cached and parallel runs are compared on findings of every kind
  writeFileSync(join(tree, 'sqlperf.config.json'), JSON.stringify({ rules: ALL }));
}, 240_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const json = (stdout: string) => JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number; message: string }> }>;

describe('sqlperf lint --cache', () => {
  it('a warm run gives the same output, exit code and --stats as the cold one, and rewrites nothing', () => {
    const cold = sqlperf(['lint', '--cache', '-f', 'json', '--stats', '--concurrency', 'off'], { cwd: tree });
    expect(cold.code).toBe(1);
    const cacheFile = join(tree, '.sqlperfcache');
    expect(existsSync(cacheFile)).toBe(true);
    const written = readFileSync(cacheFile, 'utf8');
    const warm = sqlperf(['lint', '--cache', '-f', 'json', '--stats', '--concurrency', 'off'], { cwd: tree });
    expect(warm.code).toBe(cold.code);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toBe(cold.stderr);
    expect(readFileSync(cacheFile, 'utf8')).toBe(written);
    // no temp files left behind
    expect(readdirSync(tree).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a file skipped on every run (over the size limit) does not make a warm run write the cache again', () => {
    const dir = join(tmp, 'skipped-each-run');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT id FROM users WHERE id = 1;\n');
    writeFileSync(join(dir, 'big.sql'), `SELECT 1;\n${'-- padding\n'.repeat(200)}`);
    const args = ['lint', '--cache', '--max-file-size', '1kb', '.'];
    expect(sqlperf(args, { cwd: dir }).stderr).toContain('skipping big.sql');
    const cacheFile = join(dir, '.sqlperfcache');
    const before = statSync(cacheFile).mtimeMs;
    expect(sqlperf(args, { cwd: dir }).stderr).toContain('skipping big.sql');
    expect(statSync(cacheFile).mtimeMs).toBe(before);
  });

  it('relints a changed file only, and drops files that were deleted', () => {
    const loc = join(tmp, 'c1', 'cache.json');
    const dir = join(tmp, 'edit');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT id FROM users WHERE id = 1;\n');
    writeFileSync(join(dir, 'b.sql'), 'SELECT * FROM orders;\n');
    const args = ['lint', '--cache', '--cache-location', loc, '-f', 'json', '--rule', 'no-select-star:warn', '.'];
    expect(json(sqlperf(args, { cwd: dir }).stdout).map((r) => r.messages.length)).toEqual([0, 1]);
    writeFileSync(join(dir, 'a.sql'), 'SELECT * FROM users;\n');
    expect(json(sqlperf(args, { cwd: dir }).stdout).map((r) => r.messages.map((m) => m.ruleId))).toEqual([['no-select-star'], ['no-select-star']]);
    rmSync(join(dir, 'b.sql'));
    expect(json(sqlperf(args, { cwd: dir }).stdout)).toHaveLength(1);
    // named relative to the cache file's folder
    const cached = JSON.parse(readFileSync(loc, 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(cached.files)).toEqual(['../edit/a.sql']);
  });

  it('an entry leaves out an empty message list and zero counts; a warm run counts the same', () => {
    const dir = join(tmp, 'compact');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT id FROM users WHERE id = 1;\n');
    writeFileSync(join(dir, 'b.ts'), 'export const x = 1;\n');
    const args = ['lint', '--cache', '--stats', '.'];
    const cold = sqlperf(args, { cwd: dir });
    const cached = JSON.parse(readFileSync(join(dir, '.sqlperfcache'), 'utf8')) as { files: Record<string, Record<string, unknown>> };
    expect(cached.files['a.sql']).toMatchObject({ kind: 'sql', stats: { sites: 1, analysed: 1, byContext: { app: 1 } } });
    expect(cached.files['b.ts']).toMatchObject({ kind: 'host', stats: { byContext: { app: 1 } } });
    for (const e of Object.values(cached.files)) {
      expect(e).not.toHaveProperty('messages');
      expect(Object.values(e.stats as object)).not.toContain(0);
    }
    expect(sqlperf(args, { cwd: dir }).stderr).toBe(cold.stderr);
  });

  it('runs over different files in parallel (as pre-commit does) add to the same cache', async () => {
    const dir = join(tmp, 'parallel');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `f${i}.sql`), `SELECT * FROM t${i};\n`);
    const { spawn } = await import('node:child_process');
    const { bin } = await import('./cli-helpers.js');
    const run = (files: string[]) => new Promise<number | null>((resolve) => spawn(process.execPath, [bin, 'lint', '--cache', ...files], { cwd: dir, stdio: 'ignore' }).on('exit', resolve));
    await Promise.all([run(['f0.sql', 'f1.sql', 'f2.sql']), run(['f3.sql', 'f4.sql', 'f5.sql'])]);
    await run(['f0.sql']);
    const cached = JSON.parse(readFileSync(join(dir, '.sqlperfcache'), 'utf8')) as { files: Record<string, unknown> };
    // whichever finished last kept the other's entries (or both wrote in turn)
    expect(Object.keys(cached.files).length).toBeGreaterThanOrEqual(3);
  });

  it('other settings (a --rule, a dialect) do not reuse results made with different ones', () => {
    const dir = join(tmp, 'settings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT * FROM users;\n');
    expect(sqlperf(['lint', '--cache', '-f', 'json'], { cwd: dir }).code).toBe(0);
    const r = sqlperf(['lint', '--cache', '-f', 'json', '--rule', 'no-select-star:error'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r.stdout)[0]!.messages.map((m) => m.ruleId)).toEqual(['no-select-star']);
    const off = sqlperf(['lint', '--cache', '-f', 'json', '--rule', 'no-select-star:off'], { cwd: dir });
    expect(json(off.stdout)[0]!.messages).toEqual([]);
  });

  it('a corrupt, foreign or unwritable cache is ignored, never fatal', () => {
    const dir = join(tmp, 'corrupt');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT * FROM users;\n');
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ rules: { 'no-select-star': 'warn' } }));
    const expected = sqlperf(['lint', '-f', 'json'], { cwd: dir }).stdout;
    expect(json(expected)[0]!.messages.map((m) => m.ruleId)).toEqual(['no-select-star']);
    for (const junk of ['{"format":"sqlperf-cache/1","key":', '\u0000\u0001binary', '[]', '{"format":"sqlperf-cache/1","key":"x","files":{}}', 'null']) {
      writeFileSync(join(dir, '.sqlperfcache'), junk);
      const r = sqlperf(['lint', '--cache', '-f', 'json'], { cwd: dir });
      expect(r.code, junk).toBe(0);
      expect(r.stdout).toBe(expected);
      expect(r.stderr).toBe('');
    }
    // a cache entry whose hash does not match is a miss (content strategy: the hash decides)
    const c = JSON.parse(readFileSync(join(dir, '.sqlperfcache'), 'utf8')) as { files: Record<string, { hash: string; messages: unknown[] }> };
    for (const e of Object.values(c.files)) Object.assign(e, { hash: 'not-the-content', messages: [] });
    writeFileSync(join(dir, '.sqlperfcache'), JSON.stringify(c));
    expect(sqlperf(['lint', '--cache', '--cache-strategy', 'content', '-f', 'json'], { cwd: dir }).stdout).toBe(expected);
    // the cache location cannot be written: a warning, the lint result stands
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder');
    const r = sqlperf(['lint', '--cache', '--cache-location', 'blocker/sub/cache', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toMatch(/^sqlperf: cannot write the cache .*blocker/);
  });

  it('--cache-location may name a folder; --cache-location without --cache is a usage error', () => {
    const dir = join(tmp, 'loc');
    mkdirSync(join(dir, 'cachedir'), { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT 1;\n');
    expect(sqlperf(['lint', '--cache', '--cache-location', 'cachedir', 'a.sql'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'cachedir', '.sqlperfcache'))).toBe(true);
    const r = sqlperf(['lint', '--cache-location', 'x', 'a.sql'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cache-location needs --cache/);
  });
});

describe('--cache-strategy', () => {
  const WHEN = 1_700_000_000;
  type Cache = { files: Record<string, { hash: string; size?: number; mtimeMs?: number; messages: { message: string }[] }> };
  const setup = (name: string) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT * FROM users;\n');
    // whole seconds: a time set again later is exactly the recorded one
    utimesSync(join(dir, 'a.sql'), WHEN, WHEN);
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ rules: { 'no-select-star': 'warn' } }));
    expect(sqlperf(['lint', '--cache', '-f', 'json'], { cwd: dir }).code).toBe(0);
    const file = join(dir, '.sqlperfcache');
    const cache = JSON.parse(readFileSync(file, 'utf8')) as Cache;
    // a marker in the cached message shows when a run took its result from the cache
    for (const e of Object.values(cache.files)) e.messages[0]!.message = 'FROM THE CACHE';
    writeFileSync(file, JSON.stringify(cache));
    return { dir, file, messages: (args: string[] = []) => json(sqlperf(['lint', '--cache', '-f', 'json', ...args], { cwd: dir }).stdout)[0]!.messages.map((m) => m.message) };
  };

  it('metadata (the default): a file with the recorded size and time is not read, even if its content changed', () => {
    const { dir, messages } = setup('meta-same');
    const a = join(dir, 'a.sql');
    // same size (21 bytes), other content, the recorded time
    writeFileSync(a, 'SELECT * FROM orders;');
    utimesSync(a, WHEN, WHEN);
    expect(messages()).toEqual(['FROM THE CACHE']);
    // content: every file is read and hashed, so the change is seen
    expect(messages(['--cache-strategy', 'content'])[0]).toMatch(/^\* returns every column of every matching row of orders/);
  });

  it('a project moved with its cache (a CI cache restored elsewhere) still hits: files are named relative to the cache', () => {
    const { dir } = setup('moved-from');
    const moved = join(tmp, 'moved-to', 'project');
    mkdirSync(join(tmp, 'moved-to'));
    renameSync(dir, moved);
    expect(json(sqlperf(['lint', '--cache', '-f', 'json'], { cwd: moved }).stdout)[0]!.messages.map((m) => m.message)).toEqual(['FROM THE CACHE']);
  });

  it('metadata: a new time with the same content (a fresh checkout) is still a hit, and the new time is recorded', () => {
    const { dir, file, messages } = setup('meta-touch');
    const a = join(dir, 'a.sql');
    utimesSync(a, WHEN + 60, WHEN + 60);
    expect(messages()).toEqual(['FROM THE CACHE']);
    expect(Object.values((JSON.parse(readFileSync(file, 'utf8')) as Cache).files)[0]!.mtimeMs).toBe(statSync(a).mtimeMs);
    // changed content of another size: linted again
    writeFileSync(a, 'SELECT * FROM users u;\n');
    expect(messages()[0]).toMatch(/^\* returns every column of every matching row of users/);
  });

  it('an unknown strategy, or one without --cache, is a usage error', () => {
    const dir = join(tmp, 'strategy-usage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.sql'), 'SELECT 1;\n');
    expect(sqlperf(['lint', '--cache', '--cache-strategy', 'mtime', 'a.sql'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/--cache-strategy expects metadata or content \(got "mtime"\)/) });
    expect(sqlperf(['lint', '--cache-strategy', 'content', 'a.sql'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/--cache-strategy needs --cache/) });
  });
});

describe('sqlperf lint --concurrency', () => {
  it('worker threads give the same output, in sorted path order, as one thread', () => {
    const one = sqlperf(['lint', '-f', 'json', '--stats', '--concurrency', 'off'], { cwd: tree });
    expect(json(one.stdout).length).toBeGreaterThan(100);
    const paths = json(one.stdout).map((r) => r.filePath);
    expect(paths).toEqual([...paths].sort());
    for (const c of ['2', '3', 'auto']) {
      const many = sqlperf(['lint', '-f', 'json', '--stats', '--concurrency', c], { cwd: tree });
      expect(many.code, c).toBe(one.code);
      expect(many.stdout, c).toBe(one.stdout);
      // asking for more threads than cores is said (test/adversarial/concurrency.test.ts); the rest is the same
      expect(many.stderr.replace(/^sqlperf: --concurrency \d+ is more than the \d+ cores?: .*\n/m, ''), c).toBe(one.stderr);
    }
    // stylish output too, and with the cache warm from a parallel run
    const stylish = sqlperf(['lint', '--concurrency', 'off'], { cwd: tree }).stdout;
    const loc = join(tmp, 'par-cache');
    expect(sqlperf(['lint', '--cache', '--cache-location', loc, '--concurrency', '2'], { cwd: tree }).stdout).toBe(stylish);
    expect(sqlperf(['lint', '--cache', '--cache-location', loc, '--concurrency', '2'], { cwd: tree }).stdout).toBe(stylish);
  });

  it('rejects bad values with exit 2', () => {
    for (const bad of ['0', 'many', '-1', '1.5']) {
      const r = sqlperf(['lint', '--concurrency', bad, 'sql'], { cwd: tree });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--concurrency expects/);
    }
  });

  it('auto uses threads only when there are many files to lint', () => {
    expect(parseConcurrency(undefined)).toBe('auto');
    expect(parseConcurrency('1')).toBe('off');
    expect(parseConcurrency('4')).toBe(4);
    expect(workerCount('auto', 10, 8)).toBe(0);
    expect(workerCount('auto', 51, 8)).toBe(2);
    expect(workerCount('auto', 60, 2)).toBe(0);
    expect(workerCount('auto', 5000, 4)).toBe(4);
    expect(workerCount('auto', 5000, 2)).toBe(0);
    expect(workerCount('auto', 5000, 1)).toBe(0);
    // an explicit count is capped at the cores
    expect(workerCount(2, 5000, 1)).toBe(1);
    expect(workerCount(3, 5000, 8)).toBe(3);
    expect(workerCount('auto', 5000, 64)).toBe(8);
    expect(workerCount(3, 2, 8)).toBe(2);
    expect(workerCount('off', 5000, 8)).toBe(0);
  });
});
