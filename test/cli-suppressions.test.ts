/** Bulk suppressions (a baseline), as ESLint's eslint-suppressions.json: src/cli/suppressions.ts. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

let tmp: string;
let dir: string;
let n = 0;

const FN = (col: string) => `lower(${col}) wraps the column ${col}`;
const TWO_FN_ONE_ERROR = 'SELECT id FROM users WHERE lower(email) = $1;\nSELECT id FROM users WHERE lower(name) = $1;\nSELEC 1;\n';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'sqlperf-suppressions-'));
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => {
  dir = join(tmp, `p${++n}`);
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(join(dir, 'db/a.sql'), TWO_FN_ONE_ERROR);
  writeFileSync(join(dir, 'db/b.sql'), 'SELECT id FROM users WHERE lower(email) = $1;\n');
});

const lint = (...args: string[]) => sqlperf(['lint', 'db', '--rule', 'no-function-on-column:warn', ...args], { cwd: dir });
const file = (name = 'sqlperf-suppressions.json') => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
type Json = Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number }>; suppressedMessages: Array<{ ruleId: string; line: number; suppressions: unknown }> }>;

describe('--suppress-all writes a baseline; later runs fail only beyond it', { timeout: 180_000 }, () => {
  it('writes counts per file and rule (errors and warnings), sorted, and the next run passes', () => {
    expect(lint().code).toBe(1);
    const w = lint('--suppress-all');
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('');
    expect(w.stderr).toBe('sqlperf: 4 findings suppressed in sqlperf-suppressions.json\n');
    expect(readFileSync(join(dir, 'sqlperf-suppressions.json'), 'utf8')).toBe(
      JSON.stringify({ 'db/a.sql': { 'no-function-on-column': { count: 2 }, 'parse-error': { count: 1 } }, 'db/b.sql': { 'no-function-on-column': { count: 1 } } }, null, 2) + '\n',
    );
    const again = lint('--max-warnings', '0');
    expect([again.code, again.stdout, again.stderr]).toEqual([0, '', '']);
    // JSON keeps what was suppressed, in ESLint's suppressedMessages
    const json = JSON.parse(lint('-f', 'json').stdout) as Json;
    expect(json[0]!.messages).toEqual([]);
    expect(json[0]!.suppressedMessages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['1 no-function-on-column', '2 no-function-on-column', '3 parse-error']);
    expect(json[0]!.suppressedMessages[0]!.suppressions).toEqual([{ kind: 'file', justification: '' }]);
  });

  it('one finding more than the count: every finding of that rule in that file is reported, with a note', () => {
    lint('--suppress-all');
    writeFileSync(join(dir, 'db/a.sql'), `${TWO_FN_ONE_ERROR}SELECT id FROM users WHERE upper(code) = $1;\n`);
    const r = lint('-f', 'json');
    expect(r.code).toBe(0); // warnings only
    const a = (JSON.parse(r.stdout) as Json).find((x) => x.filePath.endsWith('a.sql'))!;
    expect(a.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['1:28 no-function-on-column', '2:28 no-function-on-column', '4:28 no-function-on-column']);
    expect(a.suppressedMessages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['3 parse-error']);
    expect(r.stderr).toBe('sqlperf: db/a.sql: 3 no-function-on-column findings where the baseline allows 2: all 3 are shown\n');
    expect(lint('--max-warnings', '0').code).toBe(1);
    // a new error fails the run
    writeFileSync(join(dir, 'db/b.sql'), 'SELECT id FROM users WHERE lower(email) = $1;\nSELEC 2;\n');
    const e = lint();
    expect(e.code).toBe(1);
    expect(e.stdout).toMatch(/db\/b\.sql\n {2}2:1 {2}error {2}syntax error at or near "SELEC"/);
  });
});

describe('unused suppressions (ESLint: exit code 2) and --prune-suppressions', { timeout: 180_000 }, () => {
  it('a fixed finding fails the run with exit code 2 until pruned; --pass-on-unpruned-suppressions lets it pass', () => {
    lint('--suppress-all');
    writeFileSync(join(dir, 'db/a.sql'), 'SELECT id FROM users WHERE lower(email) = $1;\nSELEC 1;\n');
    const r = lint();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sqlperf: suppressions left in sqlperf-suppressions.json that no longer occur (db/a.sql: no-function-on-column 1): remove them with --prune-suppressions, or pass --pass-on-unpruned-suppressions\n');
    expect(lint('--pass-on-unpruned-suppressions').code).toBe(0);
    const p = lint('--prune-suppressions');
    expect([p.code, p.stderr]).toEqual([0, '']);
    expect(file()).toEqual({ 'db/a.sql': { 'no-function-on-column': { count: 1 }, 'parse-error': { count: 1 } }, 'db/b.sql': { 'no-function-on-column': { count: 1 } } });
    expect(lint().code).toBe(0);
  });

  it('prune drops fixed rules and files that no longer exist; files not linted in this run are left alone', () => {
    lint('--suppress-all');
    // pre-commit lints only the staged files: db/b.sql's entry is not "unused" when it is not linted
    expect(sqlperf(['lint', 'db/a.sql', '--rule', 'no-function-on-column:warn'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'db/a.sql'), 'SELECT id FROM users WHERE lower(email) = $1;\nSELECT id FROM users WHERE lower(name) = $1;\n');
    rmSync(join(dir, 'db/b.sql'));
    expect(lint().code).toBe(2);
    expect(lint('--prune-suppressions').code).toBe(0);
    expect(file()).toEqual({ 'db/a.sql': { 'no-function-on-column': { count: 2 } } });
  });
});

describe('--suppress-rule, --suppressions-location and bad input', { timeout: 180_000 }, () => {
  it('--suppress-rule adds only that rule; the others still fail', () => {
    const r = lint('--suppress-rule', 'no-function-on-column');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/3:1 {2}error {2}syntax error at or near "SELEC"/);
    expect(r.stdout).not.toContain(FN('email'));
    expect(file()).toEqual({ 'db/a.sql': { 'no-function-on-column': { count: 2 } }, 'db/b.sql': { 'no-function-on-column': { count: 1 } } });
    // adding a rule later keeps what is there
    expect(lint('--suppress-rule', 'parse-error').code).toBe(0);
    expect(file()).toEqual({ 'db/a.sql': { 'no-function-on-column': { count: 2 }, 'parse-error': { count: 1 } }, 'db/b.sql': { 'no-function-on-column': { count: 1 } } });
  });

  it('--suppressions-location names the file (or a folder for the default name); a named file that is missing is an error', () => {
    expect(lint('--suppress-all', '--suppressions-location', 'ci/baseline.json').code).toBe(0);
    expect(existsSync(join(dir, 'sqlperf-suppressions.json'))).toBe(false);
    expect(lint('--suppressions-location', 'ci/baseline.json').code).toBe(0);
    expect(lint().code).toBe(1); // the default file does not exist: no baseline
    expect(lint('--suppress-all', '--suppressions-location', 'ci').code).toBe(0);
    expect(existsSync(join(dir, 'ci/sqlperf-suppressions.json'))).toBe(true);
    const missing = lint('--suppressions-location', 'nope.json');
    expect([missing.code, missing.stderr]).toEqual([2, 'sqlperf: suppressions file nope.json does not exist; write it with --suppress-all or --suppress-rule <id>\n']);
  });

  it('usage errors exit 2 with one line: conflicting flags, --stdin, unknown rule, damaged file', () => {
    const err = (...args: string[]) => {
      const r = lint(...args);
      return [r.code, r.stderr];
    };
    expect(err('--suppress-all', '--suppress-rule', 'parse-error')).toEqual([2, 'sqlperf: --suppress-all and --suppress-rule cannot be used together\n']);
    expect(err('--suppress-all', '--prune-suppressions')).toEqual([2, 'sqlperf: --suppress-all and --prune-suppressions cannot be used together\n']);
    expect(err('--suppress-rule', 'parse-error', '--prune-suppressions')).toEqual([2, 'sqlperf: --suppress-rule and --prune-suppressions cannot be used together\n']);
    expect(err('--suppress-rule', 'no-function-on-colum')).toEqual([2, 'sqlperf: --suppress-rule: unknown rule "no-function-on-colum"; did you mean "no-function-on-column"? (run `sqlperf rules` for the list)\n']);
    const stdin = sqlperf(['lint', '--stdin', '--suppress-all'], { cwd: dir, input: 'SELECT 1;' });
    expect([stdin.code, stdin.stderr]).toEqual([2, 'sqlperf: --suppress-all, --suppress-rule and --prune-suppressions cannot be used with --stdin\n']);
    writeFileSync(join(dir, 'sqlperf-suppressions.json'), '{ "db/a.sql": { "parse-error": { "count": 0 } } }');
    expect(err()).toEqual([2, `sqlperf: suppressions file ${join(dir, 'sqlperf-suppressions.json')}: "db/a.sql" → "parse-error" must be { "count": <whole number ≥ 1> } (got {"count":0})\n`]);
    writeFileSync(join(dir, 'sqlperf-suppressions.json'), '{ "db/a.sql": ');
    expect(err()[0]).toBe(2);
    expect(err()[1]).toMatch(/^sqlperf: suppressions file .*sqlperf-suppressions\.json is not valid JSON \(.*\); fix it or write it again with --suppress-all\n$/);
  });

  it('--quiet writes the baseline without a word on stderr', () => {
    const r = lint('--suppress-all', '--quiet');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });
});
