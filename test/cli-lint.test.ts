import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, sqlperf } from './cli-helpers.js';

const project = join(fixtures, 'project');
let tmp: string;

beforeAll(() => {
  ensureBuilt();
  // folders that must be skipped; git does not keep them (they are in the root .gitignore)
  for (const d of ['node_modules/dep', 'dist']) mkdirSync(join(project, d), { recursive: true });
  writeFileSync(join(project, 'node_modules/dep/q.sql'), 'SELECT * FROM in_node_modules;\n');
  writeFileSync(join(project, 'dist/q.sql'), 'SELECT * FROM in_dist;\n');
  tmp = mkdtempSync(join(tmpdir(), 'sqlperf-cli-'));
}, 240_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('sqlperf lint: files and exit codes', () => {
  it('walks a folder, honouring .gitignore and skipping node_modules and build output', () => {
    const r = sqlperf(['lint', '-f', 'json'], { cwd: project });
    const files = (JSON.parse(r.stdout) as Array<{ filePath: string }>).map((f) => f.filePath.slice(project.length + 1)).sort();
    expect(files).toEqual(['db/broken.sql', 'db/clean.sql', 'db/orders.sql', 'db/suppressed.sql', 'db/users.sql']);
    expect(r.code).toBe(1);
  });

  it('walks dot-folders (.scripts/) but not tool caches (.cache/)', () => {
    const dir = join(tmp, 'dots');
    for (const d of ['.cache', '.scripts']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, '.cache/q.sql'), 'SELECT * FROM in_a_tool_cache;\n');
    writeFileSync(join(dir, '.scripts/reset.sql'), 'SELECT id FROM in_a_dot_folder;\n');
    const r = sqlperf(['lint', '-f', 'json'], { cwd: dir });
    expect((JSON.parse(r.stdout) as Array<{ filePath: string }>).map((f) => f.filePath.slice(dir.length + 1))).toEqual(['.scripts/reset.sql']);
  });

  it('prints stylish output grouped by file with a summary, no colour when not a TTY, exit 1 on an error', () => {
    const r = sqlperf(['lint'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toBe(
      [
        '',
        'db/broken.sql',
        // rows within 100 columns (not a terminal): a longer message goes whole on its own line
        '  1:16  error    syntax error at or near "users"  parse-error',
        '  2:8   warning  no-select-star',
        '      * returns every column of every matching row of invoices, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses',
        '',
        'db/orders.sql',
        '  2:8  warning  no-select-star',
        '      * returns every column of every matching row of orders, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses',
        '',
        'db/users.sql',
        '  1:39  warning  no-leading-wildcard',
        "      LIKE pattern '%@example.com' starts with a wildcard, so a B-tree index on email cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (email gin_trgm_ops)",
        '',
        '\u2716 4 problems (1 error, 3 warnings)',
        '',
      ].join('\n'),
    );
  });

  it('unparsable SQL in one file among many: the other files and statements are still linted', () => {
    const r = sqlperf(['lint', '-f', 'json', 'db'], { cwd: project });
    const byFile = Object.fromEntries((JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>).map((f) => [f.filePath.split('/').pop(), f.messages.map((m) => m.ruleId)]));
    expect(byFile['broken.sql']).toEqual(['parse-error', 'no-select-star']);
    expect(byFile['orders.sql']).toEqual(['no-select-star']);
    expect(byFile['users.sql']).toEqual(['no-leading-wildcard']);
  });

  it('exits 0 with only warnings, and 1 when they exceed --max-warnings', () => {
    const ok = sqlperf(['lint', 'db/orders.sql', 'db/users.sql'], { cwd: project });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 problems (0 errors, 2 warnings)');
    const within = sqlperf(['lint', '--max-warnings', '2', 'db/orders.sql', 'db/users.sql'], { cwd: project });
    expect(within.stderr).toBe('');
    expect(within.code).toBe(0);
    const over = sqlperf(['lint', '--max-warnings', '1', 'db/orders.sql', 'db/users.sql'], { cwd: project });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('sqlperf found too many warnings (maximum: 1).\n');
  });

  it('exits 0 with no output for clean files', () => {
    const r = sqlperf(['lint', 'db/clean.sql'], { cwd: project });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('honours inline suppression comments end to end', () => {
    const r = sqlperf(['lint', 'db/suppressed.sql'], { cwd: project });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    // the same statement without the directive is reported, so the silence above is the directive's
    const bare = sqlperf(['lint', '--stdin', '-f', 'json', '--rule', 'no-select-star:warn'], { input: readFileSync(join(project, 'db/suppressed.sql'), 'utf8').replace(/^--.*\n/, '') });
    expect((JSON.parse(bare.stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number }> }>)[0]!.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['no-select-star', 1, 8]]);
    const typo = sqlperf(['lint', '--stdin', '-f', 'json', '--rule', 'no-select-star:warn'], { input: '-- sqlperf-disable-next-line no-selct-star\nSELECT * FROM t WHERE customer_id = 1;\n' });
    const msgs = (JSON.parse(typo.stdout) as Array<{ messages: Array<{ ruleId: string; line: number }> }>)[0]!.messages;
    expect(msgs.map((m) => [m.ruleId, m.line])).toEqual([
      ['invalid-directive', 1],
      ['no-select-star', 2],
    ]);
    expect(typo.code).toBe(1);
  });

  it('--quiet reports errors only; --rule overrides severities', () => {
    const quiet = sqlperf(['lint', '--quiet', 'db/broken.sql'], { cwd: project });
    expect(quiet.stdout).toContain('parse-error');
    expect(quiet.stdout).not.toContain('no-select-star');
    expect(quiet.code).toBe(1);
    const quietWarnOnly = sqlperf(['lint', '--quiet', 'db/orders.sql'], { cwd: project });
    expect(quietWarnOnly).toEqual({ code: 0, stdout: '', stderr: '' });
    const promoted = sqlperf(['lint', '--rule', 'no-select-star:error', '--rule', 'no-leading-wildcard:off', 'db/orders.sql', 'db/users.sql'], { cwd: project });
    expect(promoted.code).toBe(1);
    expect(promoted.stdout).toContain('1 problem (1 error, 0 warnings)');
  });

  it('takes explicit file lists as pre-commit passes them, and --ignore-pattern', () => {
    const r = sqlperf(['lint', '-f', 'json', 'db/orders.sql', 'db/clean.sql', 'notes.txt'], { cwd: project });
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(2);
    expect(r.stderr).toBe('sqlperf: skipping notes.txt: not a .sql or JS/TS file\n');
    const ignored = sqlperf(['lint', '-f', 'json', '--ignore-pattern', 'db/broken.sql', '--ignore-pattern', '**/users.sql', '.'], { cwd: project });
    const files = (JSON.parse(ignored.stdout) as Array<{ filePath: string }>).map((f) => f.filePath.split('/').pop()).sort();
    expect(files).toEqual(['clean.sql', 'orders.sql', 'suppressed.sql']);
    expect(ignored.code).toBe(0);
  });

  it('lints standard input with --stdin and --stdin-filename', () => {
    const r = sqlperf(['lint', '--stdin', '--stdin-filename', 'db/new.sql', '-f', 'json'], { cwd: project, input: 'SELECT * FROM t;\n' });
    const [res] = JSON.parse(r.stdout) as Array<{ filePath: string; warningCount: number }>;
    expect(res!.filePath).toBe(join(project, 'db/new.sql'));
    expect(res!.warningCount).toBe(1);
    const anon = sqlperf(['lint', '--stdin'], { input: 'SELECT id FROM t WHERE id = 1;\n' });
    expect(anon).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--stats prints per file type counts on stderr', () => {
    const r = sqlperf(['lint', '--stats', '-f', 'json', 'db'], { cwd: project });
    expect(r.stderr).toBe('sqlperf stats:\n  .sql   5 files, 8 statements found, 7 analysed, 0 skipped, 1 failed to parse\n         by context: 5 app (files; rules apply per context, see `sqlperf rules`)\n  config: sqlperf.config.json\n');
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('--output-file writes the report to a file and nothing to stdout', () => {
    const out = join(tmp, 'reports', 'lint.json');
    const r = sqlperf(['lint', '-f', 'json', '-o', out, 'db/orders.sql'], { cwd: project });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(out, 'utf8'))[0].warningCount).toBe(1);
  });
});

describe('sqlperf lint: files that cannot be read', () => {
  it('reports binary files, broken links and unreadable paths on the file, lints the rest, exits 1', () => {
    const dir = join(tmp, 'mixed');
    cpSync(join(project, 'db'), dir, { recursive: true });
    writeFileSync(join(dir, 'binary.sql'), Buffer.from([0x53, 0x45, 0x00, 0x01, 0xff]));
    symlinkSync(join(dir, 'nowhere.sql'), join(dir, 'broken-link.sql'));
    const r = sqlperf(['lint', '-f', 'json', '--rule', 'no-select-star:warn', 'binary.sql', 'broken-link.sql', 'orders.sql'], { cwd: dir });
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<Record<string, unknown>>; errorCount: number; fatalErrorCount: number }>;
    const byName = Object.fromEntries(res.map((f) => [f.filePath.split('/').pop(), f]));
    expect(byName['binary.sql']!.messages).toEqual([{ ruleId: null, severity: 2, fatal: true, message: 'File not linted: binary file (it contains NUL bytes)', messageId: 'file-error', line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(byName['broken-link.sql']!.messages[0]!.message).toBe('File not linted: no such file (a broken symbolic link?)');
    expect(byName['broken-link.sql']!.fatalErrorCount).toBe(1);
    expect(byName['orders.sql']!.messages.map((m: Record<string, unknown>) => m.ruleId)).toEqual(['no-select-star']);
    const stylish = sqlperf(['lint', 'binary.sql'], { cwd: dir });
    expect(stylish.stdout).toContain('1:1  error  File not linted: binary file (it contains NUL bytes)  file-error');
  });

  it('a path that does not exist is a usage error (exit 2), with no stack trace', () => {
    const r = sqlperf(['lint', 'db/nope.sql'], { cwd: project });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: no such file or directory: db/nope.sql\n' });
    const glob = sqlperf(['lint', 'db/*.nothing'], { cwd: project });
    expect(glob.code).toBe(2);
    expect(glob.stderr).toBe('sqlperf: no files matching the pattern "db/*.nothing" were found\n');
  });
});
