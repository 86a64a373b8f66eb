// isEntry: every cache entry a warm run uses is checked; a damaged one is a miss, never a crash.
import { describe, expect, it } from 'vitest';
import { isEntry } from '../src/cli/cache.js';

const entry = (stats: unknown, more: object = {}) => ({ hash: 'h', size: 10, mtimeMs: 1.5, kind: 'sql', messages: [], stats, ...more });
const good = { sites: 2, analysed: 1, skipped: 1, failed: 0, byContext: { app: 1 } };

describe('isEntry: the stats of a cached file', () => {
  it('takes whole counts, known contexts, and keys added by later versions', () => {
    expect(isEntry(entry(good))).toBe(true);
    expect(isEntry(entry({ ...good, byContext: { app: 1, migration: 0 } }))).toBe(true);
    expect(isEntry(entry({ ...good, somethingNew: 'ignored' }))).toBe(true);
    expect(isEntry(entry({ ...good, holes: 3, counted: 2, countedAnalysed: 1 }))).toBe(true);
  });

  it('takes a missing count or message list as none (an entry leaves them out when zero or empty)', () => {
    const { failed: _, ...noFailed } = good;
    expect(isEntry(entry(noFailed))).toBe(true);
    expect(isEntry(entry({}))).toBe(true);
    const { messages: __, ...noMessages } = entry(good);
    expect(isEntry(noMessages)).toBe(true);
  });

  it('refuses a broken count, an unknown context, and stats that are not an object', () => {
    expect(isEntry(entry({ ...good, sites: -1 }))).toBe(false);
    expect(isEntry(entry({ ...good, analysed: 1.5 }))).toBe(false);
    expect(isEntry(entry({ ...good, holes: '3' }))).toBe(false);
    expect(isEntry(entry({ ...good, byContext: { nowhere: 1 } }))).toBe(false);
    expect(isEntry(entry({ ...good, byContext: { app: -2 } }))).toBe(false);
    expect(isEntry(entry({ ...good, byContext: [1] }))).toBe(false);
    expect(isEntry(entry(null))).toBe(false);
    expect(isEntry(entry([good]))).toBe(false);
  });

  it('refuses a damaged message', () => {
    const m = { ruleId: 'no-select-star', severity: 1, message: 'x', line: 1, column: 1, endLine: 1, endColumn: 2 };
    expect(isEntry(entry(good, { messages: [m] }))).toBe(true);
    expect(isEntry(entry(good, { messages: [{ ...m, line: 0 }] }))).toBe(false);
    expect(isEntry(entry(good, { messages: [null] }))).toBe(false);
  });
});
