// discover(): the files a folder holds, with the .gitignore files found in the same walk and
// applied where they are (globby's filter runs only when the walk found one).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/cli/files.js';

let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sqlperf-discover-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const walk = async (dir: string) => (await discover(['.'], { cwd: dir, base: dir })).files.map((f) => f.slice(dir.length + 1));

describe('discover: a folder', () => {
  it('lists every .sql and JS/TS file when there is no .gitignore', async () => {
    const dir = tree('plain', { 'a.sql': 'SELECT 1;', 'src/b.ts': '', 'src/deep/c.sql': '', 'notes.md': '', 'node_modules/x/d.sql': '' });
    expect(await walk(dir)).toEqual(['a.sql', 'src/b.ts', 'src/deep/c.sql']);
  });

  it('applies a .gitignore to its own folder and below, and never lists it', async () => {
    const dir = tree('ignored', { 'gen.sql': '', 'sub/.gitignore': 'gen.sql\nbuild/\n', 'sub/gen.sql': '', 'sub/keep.sql': '', 'sub/build/out.js': '', 'sub/deeper/gen.sql': '' });
    expect(await walk(dir)).toEqual(['gen.sql', 'sub/keep.sql']);
  });

  it('applies the root .gitignore, negations included', async () => {
    const dir = tree('negated', { '.gitignore': '*.sql\n!keep.sql\n', 'a.sql': '', 'keep.sql': '', 'x/b.sql': '', 'x/c.ts': '' });
    expect(await walk(dir)).toEqual(['keep.sql', 'x/c.ts']);
  });
});
