// discover(): the files a folder holds, with the .gitignore files found in the same walk and
// applied where they are, as git does; the ESLint plugin's project scans walk the same way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/cli/files.js';
import { projectFilesSync } from '../src/project-files.js';

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

  it('a deeper .gitignore overrides a shallower one; a file in an ignored folder stays ignored', async () => {
    const dir = tree('levels', { '.gitignore': 'gen/\n*.gen.ts\n', 'gen/keep.ts': '', 'gen/.gitignore': '!keep.ts\n', 'src/a.gen.ts': '', 'src/.gitignore': '!a.gen.ts\n', 'src/b.gen.ts': '', 'lib/c.gen.ts': '' });
    expect(await walk(dir)).toEqual(['src/a.gen.ts']);
  });

  it('in a repository, the .gitignore files above the walked folder apply, those above the repository do not', async () => {
    const dir = tree('repo', { '.gitignore': 'app/gen/\n', 'app/src/a.ts': '', 'app/gen/b.ts': '', 'app/.gitignore': 'old.sql\n', 'app/src/old.sql': '', '.git/HEAD': '' });
    writeFileSync(join(tmp, '.gitignore'), '*.ts\n');
    const app = join(dir, 'app');
    expect(await walk(app)).toEqual(['src/a.ts']);
    expect(projectFilesSync(join(app, 'src')).map((f) => f.slice(app.length + 1))).toEqual(['src/a.ts']);
  });

  it('the project scans (queried tables, Drizzle tables) walk as the lint does', () => {
    const dir = tree('scans', { '.gitignore': 'generated/\n', 'src/q.ts': '', 'generated/client.ts': '' });
    expect(projectFilesSync(dir).map((f) => f.slice(dir.length + 1))).toEqual(['src/q.ts']);
  });
});
