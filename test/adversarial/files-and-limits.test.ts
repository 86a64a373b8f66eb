// Class: what is read. Only regular files are read (a FIFO blocks forever, /dev/zero never ends),
// up to a size limit; what is skipped is said on stderr and counted in --stats, never a finding.
// A file named on the command line is linted even when `include` does not match it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSize, LIMIT_DEFAULTS } from '../../src/limits.js';
import { ensureBuilt, root } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

type Json = Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number; severity: number; message: string }> }>;
const WILDCARD = "SELECT id FROM users WHERE email LIKE '%x';\n";

describe('files sqlperf reads', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    ensureBuilt();
    t = tempDir('files');
    writeFileSync(join(t.dir, 'ok.sql'), WILDCARD);
  }, 240_000);
  afterAll(() => t.done());

  it('a FIFO named on the command line is skipped at once, not waited on', () => {
    execFileSync('mkfifo', [join(t.dir, 'pipe.sql')]);
    const r = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '-f', 'json', 'pipe.sql', 'ok.sql'], t.dir, 15_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sqlperf: skipping pipe.sql: not a regular file (a FIFO)');
    // the other file is linted as usual, and the FIFO is in no result
    const out = JSON.parse(r.stdout) as Json;
    expect(out.map((f) => [f.filePath.endsWith('ok.sql'), f.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)])).toEqual([[true, ['no-leading-wildcard@1:39']]]);
  }, 30_000);

  it('a .sql link to /dev/zero (walked or named) and a character device are skipped, memory untouched', () => {
    const d = join(t.dir, 'dev');
    mkdirSync(d);
    symlinkSync('/dev/zero', join(d, 'zero.sql'));
    writeFileSync(join(d, 'ok.sql'), WILDCARD);
    // a folder walk does not follow links at all
    const walked = run(['lint', '--no-schema', '--stats', 'dev'], t.dir, 15_000);
    expect(walked.code).toBe(0);
    expect(walked.stderr).toMatch(/\.sql\s+1 files, 1 statements found/);
    const named = run(['lint', '--no-schema', '--stats', 'dev/zero.sql', 'dev/ok.sql'], t.dir, 15_000);
    expect(named.code).toBe(0);
    expect(named.stderr).toContain(`sqlperf: skipping ${join('dev', 'zero.sql')}: not a regular file (a character device)`);
    expect(named.stderr).toContain('1 file not read (not a regular file, or over the size limit: see above)');
    expect(named.stderr).toMatch(/\.sql\s+1 files, 1 statements found/);
    // --cache reads files before linting them: the same check applies there
    const cached = run(['lint', '--no-schema', '--cache', '--cache-location', join(t.dir, 'c'), 'dev/zero.sql'], t.dir, 15_000);
    expect(cached.code).toBe(0);
    expect(cached.stderr).toContain('not a regular file (a character device)');
  }, 60_000);

  it('files over the size limit are skipped with the limit named; the flag and the config change it', () => {
    const d = join(t.dir, 'size');
    mkdirSync(d);
    // 1.2 MB of statements, generated here; the finding is on the last line
    const big = 'SELECT 1;\n'.repeat(120_000) + WILDCARD;
    writeFileSync(join(d, 'big.sql'), big);
    const def = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '--stats', '-f', 'json', 'big.sql'], d, 60_000);
    expect(def.code).toBe(0);
    expect(def.stderr).toContain('sqlperf: skipping big.sql: 1.1 MB is over the 1 MB file size limit (limits.maxFileSize, --max-file-size)');
    expect(def.stderr).toContain('1 file not read');
    expect(JSON.parse(def.stdout)).toEqual([]);
    const flag = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '--max-file-size', '2MB', '-f', 'json', 'big.sql'], d, 120_000);
    expect((JSON.parse(flag.stdout) as Json)[0]!.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)).toEqual(['no-leading-wildcard@120001:39']);
    writeFileSync(join(d, 'sqlperf.config.json'), JSON.stringify({ limits: { maxFileSize: '100KB' } }));
    writeFileSync(join(d, 'small.sql'), 'SELECT 1;\n'.repeat(11_000));
    const conf = run(['lint', '--no-schema', 'small.sql'], d, 15_000);
    expect(conf.stderr).toContain('skipping small.sql: 107.4 KB is over the 100 KB file size limit');
    const bad = run(['lint', '--max-file-size', 'huge', 'small.sql'], d);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-file-size expects a size in bytes or with a unit');
    writeFileSync(join(d, 'sqlperf.config.json'), JSON.stringify({ limits: { maxFileSize: -1 } }));
    const badConf = run(['lint', 'small.sql'], d);
    expect(badConf.code).toBe(2);
    expect(badConf.stderr).toContain('"limits.maxFileSize" must be a size in bytes');
  }, 240_000);

  it('a file named on the command line is linted even when `include` does not match it; a walk follows `include`', () => {
    const d = join(t.dir, 'inc');
    mkdirSync(join(d, 'db'), { recursive: true });
    mkdirSync(join(d, 'reports'), { recursive: true });
    writeFileSync(join(d, 'sqlperf.config.json'), JSON.stringify({ include: ['db/**'], ignore: ['db/generated/**'], rules: { 'no-leading-wildcard': 'warn' } }));
    writeFileSync(join(d, 'reports', 'report.sql'), WILDCARD);
    writeFileSync(join(d, 'db', 'q.sql'), WILDCARD);
    mkdirSync(join(d, 'db', 'generated'));
    writeFileSync(join(d, 'db', 'generated', 'g.sql'), WILDCARD);
    const named = run(['lint', '--no-schema', '-f', 'json', 'reports/report.sql'], d);
    expect((JSON.parse(named.stdout) as Json).map((f) => [f.filePath.endsWith(join('reports', 'report.sql')), f.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)])).toEqual([[true, ['no-leading-wildcard@1:39']]]);
    const walked = run(['lint', '--no-schema', '-f', 'json', '.'], d);
    expect((JSON.parse(walked.stdout) as Json).map((f) => f.filePath.slice(d.length + 1))).toEqual([join('db', 'q.sql')]);
    // `ignore` still applies to a named file, and that is said (lint-staged passes every staged file)
    const ignored = run(['lint', '--no-schema', '-f', 'json', 'db/generated/g.sql'], d);
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toContain(`sqlperf: skipping ${join('db', 'generated', 'g.sql')}: ignored by the config's "ignore" or --ignore-pattern`);
  }, 60_000);

  it('messages per file are bounded, with one summary line as severe as the worst left out', () => {
    const d = join(t.dir, 'many');
    mkdirSync(d);
    writeFileSync(join(d, 'many.sql'), WILDCARD.repeat(30));
    const r = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '--max-messages', '10', '-f', 'json', 'many.sql'], d);
    const msgs = (JSON.parse(r.stdout) as Json)[0]!.messages;
    expect(msgs).toHaveLength(11);
    expect(msgs.slice(0, 10).map((m) => m.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(msgs[10]).toMatchObject({ ruleId: null, severity: 1, line: 11, column: 39, message: '20 more problems in this file not shown (20 warnings, from here on): the limit is 10 messages per file (limits.maxMessagesPerFile, --max-messages)' });
    const errors = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:error', '--max-messages', '10', '-f', 'json', 'many.sql'], d);
    expect(errors.code).toBe(1);
    expect((JSON.parse(errors.stdout) as Json)[0]!.messages[10]).toMatchObject({ severity: 2, message: expect.stringContaining('(20 errors and 0 warnings, from here on)') });
    const all = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '--max-messages', '0', '-f', 'json', 'many.sql'], d);
    expect((JSON.parse(all.stdout) as Json)[0]!.messages).toHaveLength(30);
  }, 60_000);

  it("the README's Limits section states the defaults in force", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Limits'), readme.indexOf('## Schema-aware analysis'));
    expect(section).toContain(`| file size | ${formatSize(LIMIT_DEFAULTS.maxFileSize)} |`);
    expect(section).toContain(`| messages per file | ${LIMIT_DEFAULTS.maxMessagesPerFile.toLocaleString('en')} |`);
    expect(section).toContain(`| statement size | ${formatSize(LIMIT_DEFAULTS.maxStatementLength)} |`);
  });
});
