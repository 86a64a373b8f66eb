import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordLastRun, unchangedSinceLastRun } from '../src/verify/last-run.js';

/** The hint that keeps an unchanged project from starting PGlite early: it must say "changed" whenever in doubt. */
let root: string;
let cacheFile: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sqlperf-last-run-'));
  cacheFile = join(root, 'node_modules', '.cache', 'sqlperf', 'verify.json');
  writeFileSync(join(root, 'a.sql'), 'SELECT 1;\n');
  writeFileSync(join(root, 'b.ts'), 'sql`SELECT 2`;\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('verify: what the last run saw', () => {
  it('holds while the schema and every file are as they were', () => {
    recordLastRun(cacheFile, root, 'H', ['a.sql', 'b.ts']);
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(true);
  });

  it('does not hold after an edit, a touch, a removed file, or with another schema', () => {
    recordLastRun(cacheFile, root, 'H', ['a.sql', 'b.ts']);
    expect(unchangedSinceLastRun(cacheFile, root, 'other')).toBe(false);
    utimesSync(join(root, 'b.ts'), new Date(), new Date(Date.now() + 5000));
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(false);
    recordLastRun(cacheFile, root, 'H', ['a.sql', 'b.ts']);
    writeFileSync(join(root, 'a.sql'), 'SELECT 10;\n');
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(false);
    recordLastRun(cacheFile, root, 'H', ['a.sql', 'b.ts']);
    rmSync(join(root, 'a.sql'));
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(false);
  });

  it('does not hold without a record, or with a damaged one', () => {
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(false);
    recordLastRun(cacheFile, root, 'H', ['a.sql']);
    writeFileSync(join(root, 'node_modules', '.cache', 'sqlperf', 'verify-files.json'), '{"schema":"H","files":');
    expect(unchangedSinceLastRun(cacheFile, root, 'H')).toBe(false);
  });
});
