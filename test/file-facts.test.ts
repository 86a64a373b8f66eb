// File facts (src/file-facts.ts): kept while a file's stamp holds, recomputed when it changes, and
// taken from an earlier run (the CLI's cache) only when well-formed and accepted by the fact's check.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportFacts, fileFact, importFacts, metadataStamp } from '../src/file-facts.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isNumber = (v: unknown): v is number => typeof v === 'number';

describe('file facts', () => {
  it('are computed once while the file is unchanged, and again when its stamp changes', () => {
    const f = join(dir, 'a.ts');
    writeFileSync(f, 'one');
    utimesSync(f, 1_700_000_000, 1_700_000_000);
    let runs = 0;
    const length = () => fileFact(f, 'length', isNumber, ({ size }) => (runs++, size));
    expect([length(), length(), runs]).toEqual([3, 3, 1]);
    writeFileSync(f, 'three');
    expect([length(), runs]).toEqual([5, 2]);
    expect(fileFact(join(dir, 'missing.ts'), 'length', isNumber, () => 0)).toBeUndefined();
  });

  it('an imported fact is used while its stamp matches; a damaged one is recomputed, a malformed entry skipped', () => {
    const f = join(dir, 'b.ts');
    writeFileSync(f, 'b');
    utimesSync(f, 1_700_000_000, 1_700_000_000);
    const stamp = metadataStamp(f)!.key;
    const g = join(dir, 'c.ts');
    writeFileSync(g, 'c');
    importFacts({ [f]: [stamp, { n: 41, bad: 'x' }], [g]: ['not', 'an object'], [join(dir, 'gone.ts')]: ['1:1', { n: 1 }] });
    expect(fileFact(f, 'n', isNumber, () => 0)).toBe(41);
    expect(fileFact(f, 'bad', isNumber, () => 7)).toBe(7);
    expect(fileFact(g, 'n', isNumber, () => 9)).toBe(9);
    const { facts, changed } = exportFacts((file) => !file.endsWith('gone.ts'));
    expect(changed).toBe(true);
    expect(facts[f]).toEqual([stamp, { n: 41, bad: 7 }]);
    expect(Object.keys(facts).some((k) => k.endsWith('gone.ts'))).toBe(false);
  });
});
