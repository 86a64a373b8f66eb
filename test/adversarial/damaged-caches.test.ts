// Class: damaged caches are ignored, as the README promises: every entry of the lint cache and of
// the verify cache is validated on read; a damaged one is linted/verified again, never handed to
// the formatters.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEntry } from '../../src/cli/cache.js';
import { readCache } from '../../src/verify/cache.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  ensureBuilt();
  t = tempDir('cache');
  writeFileSync(join(t.dir, 'a.sql'), 'SELECT * FROM users;\n');
  writeFileSync(join(t.dir, 'b.sql'), 'SELEC id FROM users;\n');
}, 240_000);
afterAll(() => t.done());

// an entry without findings has no `messages` (src/cli/cache.ts)
type Cache = { files: Record<string, { messages?: unknown[] }> };

describe('lint cache', () => {
  const damages: Array<[string, (c: Cache) => void]> = [
    ['messages: [null]', (c) => Object.values(c.files).forEach((f) => (f.messages = [null]))],
    ['message: null', (c) => Object.values(c.files).forEach((f) => (f.messages ?? []).forEach((m) => ((m as { message: unknown }).message = null)))],
    ['line: -1', (c) => Object.values(c.files).forEach((f) => (f.messages ?? []).forEach((m) => ((m as { line: unknown }).line = -1)))],
    ['severity: "error"', (c) => Object.values(c.files).forEach((f) => (f.messages ?? []).forEach((m) => ((m as { severity: unknown }).severity = 'error')))],
    ['ruleId: 5', (c) => Object.values(c.files).forEach((f) => (f.messages ?? []).forEach((m) => ((m as { ruleId: unknown }).ruleId = 5)))],
    ['stats: { sites: "x" }', (c) => Object.values(c.files).forEach((f) => ((f as unknown as { stats: unknown }).stats = { sites: 'x', analysed: 0, skipped: 0, failed: 0 }))],
  ];

  const FORMATS = ['stylish', 'json', 'github', 'sarif'];
  const cold: Record<string, { code: number | null; stdout: string; stderr: string }> = {};
  let good = '';
  beforeAll(() => {
    for (const format of FORMATS) cold[format] = run(['lint', '--no-color', '-f', format, '.'], t.dir);
    expect(run(['lint', '--cache', '.'], t.dir).code).toBe(1);
    good = readFileSync(join(t.dir, '.sqlperfcache'), 'utf8');
    expect(Object.keys((JSON.parse(good) as Cache).files).length).toBe(2);
  }, 120_000);

  it.each(damages)('%s: the formatters get what a cold run gives, with the same exit code', (name, damage) => {
    // the two damages the issue names go through every format; the others through stylish and json
    for (const format of name.includes('null') ? FORMATS : ['stylish', 'json']) {
      const c = JSON.parse(good) as Cache;
      damage(c);
      writeFileSync(join(t.dir, '.sqlperfcache'), JSON.stringify(c));
      const warm = run(['lint', '--cache', '--no-color', '-f', format, '.'], t.dir);
      expect(cold[format]!.code).toBe(1);
      expect({ code: warm.code, stdout: warm.stdout, stderr: warm.stderr }).toEqual(cold[format]);
    }
  }, 60_000);

  it('isEntry accepts a real entry and rejects damaged ones', () => {
    const message = { ruleId: 'no-select-star', severity: 1, message: 'm', messageId: 'star', line: 1, column: 8, endLine: 1, endColumn: 9 };
    const entry = { hash: 'h', kind: 'sql', messages: [message], stats: { sites: 1, analysed: 1, skipped: 0, failed: 0, byContext: { app: 1 } } };
    expect(isEntry(entry)).toBe(true);
    expect(isEntry({ ...entry, messages: [null] })).toBe(false);
    expect(isEntry({ ...entry, messages: [{ ...message, message: null }] })).toBe(false);
    expect(isEntry({ ...entry, messages: [{ ...message, endColumn: 0 }] })).toBe(false);
    expect(isEntry({ ...entry, messages: [{ ...message, fatal: false }] })).toBe(false);
    expect(isEntry({ ...entry, stats: { ...entry.stats, byContext: { constructor: 1 } } })).toBe(false);
    expect(isEntry({ ...entry, stats: { ...entry.stats, failed: -1 } })).toBe(false);
    expect(isEntry({ ...entry, kind: 'other' })).toBe(false);
  });
});

describe('verify cache', () => {
  const unit = {
    error: { message: 'column "x" does not exist', code: '42703', anchor: { offset: 7, token: 'x', nth: 0 } },
    tables: [{ table: 'users', served: true, indexes: ['users_pkey'], filters: [] }],
    indexes: [{ table: 'users', original: 'CREATE INDEX ON users (a);', status: 'confirmed', statement: 'CREATE INDEX ON users (a);', reason: 'used' }],
  };
  const problem = { ruleId: 'schema-error', messageId: 'rejected', severity: 'error', file: 'm.sql', start: 0, end: 4, message: 'bad' };
  const write = (c: unknown) => {
    const file = join(t.dir, 'verify-cache.json');
    writeFileSync(file, JSON.stringify(c));
    return readCache(file, 'S');
  };

  it('keeps valid entries, drops damaged ones one by one', () => {
    const c = write({
      version: '1',
      schema: 'S',
      schemaProblems: [problem],
      units: {
        good: unit,
        negative: { ...unit, error: { ...unit.error, anchor: { offset: -3, token: 'x', nth: 0 } } },
        wrongType: { ...unit, tables: 'users' },
        nullIndex: { ...unit, indexes: [null] },
        badStatus: { ...unit, indexes: [{ ...unit.indexes[0], status: 'maybe' }] },
        nothing: null,
      },
    });
    expect(c).toBeDefined();
    expect(Object.keys(c!.units)).toEqual(['good']);
    expect(c!.schemaProblems).toEqual([problem]);
    expect(Object.getPrototypeOf(c!.units)).toBe(null);
    expect(c!.units['constructor']).toBeUndefined();
  });

  it('a damaged schema problem (negative position, wrong type) makes the schema load again (null)', () => {
    expect(write({ version: '1', schema: 'S', schemaProblems: [{ ...problem, start: -1 }], units: {} })!.schemaProblems).toBe(null);
    expect(write({ version: '1', schema: 'S', schemaProblems: [{ ...problem, end: '4' }], units: {} })!.schemaProblems).toBe(null);
    expect(write({ version: '1', schema: 'S', schemaProblems: 'x', units: {} })!.schemaProblems).toBe(null);
  });

  it('a foreign or broken file is no cache', () => {
    expect(write({ version: '1', schema: 'other', schemaProblems: null, units: {} })).toBeUndefined();
    expect(write({ version: 1, schema: 'S', schemaProblems: null, units: {} })).toBeUndefined();
    expect(write({ version: '1', schema: 'S', schemaProblems: null, units: [] })).toBeUndefined();
    expect(write([1, 2])).toBeUndefined();
    expect(readCache(t.dir, 'S')).toBeUndefined();
  });
});
