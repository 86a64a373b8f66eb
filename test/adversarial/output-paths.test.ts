// Class: output and cache paths. -o and --cache-location write atomically only onto regular files
// and new paths; devices and pipes are written through, symlinks stay symlinks, and a folder that
// cannot be made fails at once (exit 2) instead of looping.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt } from '../cli-helpers.js';
import { makeFolders, writeFileSafe } from '../../src/verify/cache-write.js';
import { run, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  ensureBuilt();
  t = tempDir('paths');
  writeFileSync(join(t.dir, 'a.sql'), 'SELECT * FROM users;\n');
}, 240_000);
afterAll(() => t.done());

const canMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return process.platform !== 'win32';
  } catch {
    return false;
  }
})();

describe('--output-file', () => {
  it('-o /dev/stdout writes to stdout and leaves /dev/stdout as it was (a symlink on Linux)', () => {
    const before = lstatSync('/dev/stdout');
    const r = run(['lint', '-f', 'json', '-o', '/dev/stdout', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(1);
    const after = lstatSync('/dev/stdout');
    expect(after.isSymbolicLink()).toBe(before.isSymbolicLink());
    expect(after.isFile()).toBe(false);
  });

  it('-o /dev/stdout with stdout appended to a file (>> log) appends, never replaces the log', () => {
    const log = join(t.dir, 'app.log');
    writeFileSync(log, 'previous line\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" lint -f json -o /dev/stdout a.sql >> "${log}"`], { cwd: t.dir, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    const text = readFileSync(log, 'utf8');
    expect(text.startsWith('previous line\n[{"filePath":')).toBe(true);
  });

  it('-o /dev/null is written through, not replaced', () => {
    const r = run(['lint', '-o', '/dev/null', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('-o to a symlink replaces the target atomically and keeps the link', () => {
    writeFileSync(join(t.dir, 'target.json'), 'old');
    symlinkSync('target.json', join(t.dir, 'link.json'));
    const r = run(['lint', '-f', 'json', '-o', 'link.json', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect(lstatSync(join(t.dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(t.dir, 'link.json'))).toBe('target.json');
    expect((JSON.parse(readFileSync(join(t.dir, 'target.json'), 'utf8')) as unknown[]).length).toBe(1);
  });

  it('-o to a dangling symlink is refused (exit 2), nothing is created', () => {
    symlinkSync('nowhere/x.json', join(t.dir, 'dangling.json'));
    const r = run(['lint', '-o', 'dangling.json', 'a.sql'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: cannot write --output-file dangling.json: ${join(t.dir, 'dangling.json')} is a symlink to nothing\n`);
  });

  it.runIf(canMkfifo)('-o to a FIFO writes through to its reader; the FIFO stays a FIFO', async () => {
    const fifo = join(t.dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const r = run(['lint', '-f', 'json', '-o', fifo, 'a.sql'], t.dir, 15_000);
    await closed;
    expect(r.code).toBe(0);
    expect((JSON.parse(got) as unknown[]).length).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  }, 20_000);

  it.runIf(process.platform === 'linux')('-o /proc/nope/out.json fails at once with a clear message (exit 2), no hang', () => {
    const started = Date.now();
    const r = run(['lint', '-o', '/proc/nope/out.json', 'a.sql'], t.dir, 15_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sqlperf: cannot write --output-file /proc/nope/out.json: cannot create the folder /proc/nope: ENOENT\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);

  it('-o into a path under a regular file is an error naming it (exit 2)', () => {
    writeFileSync(join(t.dir, 'plain'), 'x');
    const r = run(['lint', '-o', 'plain/sub/out.txt', 'a.sql'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: cannot write --output-file plain/sub/out.txt: ${join(t.dir, 'plain')} is not a folder\n`);
  });

  it('missing folders are still created, one level at a time', () => {
    const r = run(['lint', '-f', 'json', '-o', 'new/deeper/out.json', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect(lstatSync(join(t.dir, 'new/deeper/out.json')).isFile()).toBe(true);
  });
});

describe('--cache-location', () => {
  it.runIf(canMkfifo)('a FIFO is neither read nor replaced: the run does not block, says why the cache was not written', () => {
    const fifo = join(t.dir, 'cache.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = run(['lint', '--cache', '--cache-location', fifo, 'a.sql'], t.dir, 15_000);
    expect(r.code).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(r.stderr).toContain(`${fifo} is a FIFO or socket, not a regular file`);
  }, 20_000);

  it('/dev/null is written through and stays a device', () => {
    const r = run(['lint', '--cache', '--cache-location', '/dev/null', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a symlinked cache stays a symlink; its target holds the cache', () => {
    writeFileSync(join(t.dir, 'cache-target'), '');
    symlinkSync('cache-target', join(t.dir, 'cache-link'));
    const r = run(['lint', '--cache', '--cache-location', 'cache-link', 'a.sql'], t.dir);
    expect(r.code).toBe(0);
    expect(lstatSync(join(t.dir, 'cache-link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(t.dir, 'cache-target'), 'utf8')).toMatch(/^\{"format":"sqlperf-cache\//);
  });
});

describe('writeFileSafe (the writer under -o and both caches)', () => {
  it('refuses a folder, and a FIFO when asked to', () => {
    expect(() => writeFileSafe(t.dir, 'x')).toThrow(`${t.dir} is a folder`);
    if (canMkfifo) {
      const fifo = join(t.dir, 'w.fifo');
      execFileSync('mkfifo', [fifo]);
      expect(() => writeFileSafe(fifo, 'x', { pipes: 'refuse' })).toThrow(`${fifo} is a FIFO or socket, not a regular file`);
    }
  });

  it.runIf(process.platform === 'linux')('makeFolders under /proc fails instead of looping', () => {
    expect(() => makeFolders('/proc/nope/a/b')).toThrow('cannot create the folder /proc/nope: ENOENT');
  });
});
