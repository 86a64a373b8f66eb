/**
 * `sqlperf-disable*` directives (src/directives.ts): unused ones reported on request, at their
 * position and under one id (`unused-directive`) in every front end; handling linear in their number.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { ready } from '../src/api.js';
import { directivesFromTokens, makeSuppressor } from '../src/directives.js';
import { lintHostSource } from '../src/embed/index.js';
import { lex } from '../src/parse/lexer.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

beforeAll(() => ready());

const at = (text: string, offset: number) => {
  const p = toLineCol(lineStarts(text), offset);
  return `${p.line}:${p.column}`;
};
const found = (text: string, ds: Array<{ ruleId: string; start: number; message: string; severity: string }>) => ds.map((d) => `${at(text, d.start)} ${d.severity} ${d.ruleId}: ${d.message}`);

const SQL = [
  '-- sqlperf-disable-next-line no-select-star', // 1: used
  'SELECT * FROM users;',
  '-- sqlperf-disable-next-line no-select-star', // 3: unused (nothing on line 4)
  'SELECT id FROM users;',
  'SELECT * FROM users; -- sqlperf-disable-line no-select-star, require-where', // 5: require-where unused
  '/* sqlperf-disable */', // 6: used by line 7
  'SELECT * FROM orders;',
  '/* sqlperf-enable */', // 8: used (re-enables)
  '/* sqlperf-enable no-select-star */', // 9: unused (nothing disabled)
  '-- sqlperf-disable-line', // 10: unused
  'SELECT id FROM orders; -- sqlperf-disable-line no-select-str', // 11: unknown rule: invalid-directive only
  '',
].join('\n');
const RULES = { 'no-select-star': 'warn', 'require-where': 'warn' } as const;

describe('unused directives', () => {
  it('are not reported by default (the config turns them on)', () => {
    expect(found(SQL, analyze(SQL, { rules: RULES }).diagnostics)).toEqual([`11:24 error invalid-directive: sqlperf-disable-line: unknown rule "no-select-str"; did you mean "no-select-star"? (run \`sqlperf rules\` for the list)`]);
  });

  it('are reported at the directive, each rule named that suppressed nothing, as ESLint words it', () => {
    const ds = analyze(SQL, { rules: { ...RULES, 'unused-directive': 'warn' } }).diagnostics.filter((d) => d.ruleId !== 'invalid-directive');
    expect(found(SQL, ds)).toEqual([
      "3:1 warn unused-directive: Unused sqlperf-disable-next-line directive (no problems were reported from 'no-select-star').",
      "5:22 warn unused-directive: Unused sqlperf-disable-line directive (no problems were reported from 'require-where').",
      "9:1 warn unused-directive: Unused sqlperf-enable directive (no matching sqlperf-disable directives were found for 'no-select-star').",
      '10:1 warn unused-directive: Unused sqlperf-disable-line directive (no problems were reported).',
    ]);
  });

  it('a directive for a rule that is off is unused (as in ESLint); one that hides a parse error is used', () => {
    const text = '-- sqlperf-disable-next-line no-select-star\nSELECT * FROM t;\nSELEC 1; -- sqlperf-disable-line parse-error\n';
    expect(found(text, analyze(text, { rules: { 'no-select-star': 'off', 'unused-directive': 'error' } }).diagnostics)).toEqual([
      "1:1 error unused-directive: Unused sqlperf-disable-next-line directive (no problems were reported from 'no-select-star').",
    ]);
  });

  it('in JS/TS: host comments and SQL comments inside a template, at host positions', () => {
    const code = [
      'import { sql } from "./db";',
      '// sqlperf-disable-next-line no-select-star',
      'export const a = sql`SELECT id FROM users`;',
      '// sqlperf-disable-next-line no-select-star',
      'export const b = sql`SELECT * FROM users`;',
      'export const c = sql`SELECT id FROM users -- sqlperf-disable-line no-select-star',
      '`;',
      '',
    ].join('\n');
    const r = lintHostSource(code, 'q.ts', { rules: { 'no-select-star': 'warn', 'unused-directive': 'warn' } });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}: ${d.message}`)).toEqual([
      "2:1 unused-directive: Unused sqlperf-disable-next-line directive (no problems were reported from 'no-select-star').",
      "6:43 unused-directive: Unused sqlperf-disable-line directive (no problems were reported from 'no-select-star').",
    ]);
  });
});

describe('the CLI: --report-unused-disable-directives and the config key', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-directives-'));
    writeFileSync(join(dir, 'q.sql'), '-- sqlperf-disable-next-line no-select-star\nSELECT id FROM users;\n');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the flag reports errors (as ESLint\'s), -severity chooses, the config key sets it; default off', () => {
    // wider than 100 columns (not a terminal): the message on its own line
    const line = (sev: string) => `q.sql\n  1:1  ${sev}  unused-directive\n      Unused sqlperf-disable-next-line directive (no problems were reported from 'no-select-star').\n`;
    const flag = sqlperf(['lint', 'q.sql', '--report-unused-disable-directives'], { cwd: dir });
    expect([flag.code, flag.stdout.split('\n\n')[0]!.trim()]).toEqual([1, line('error').trim()]);
    const sev = sqlperf(['lint', 'q.sql', '--report-unused-disable-directives-severity', 'warn'], { cwd: dir });
    expect([sev.code, sev.stdout.split('\n\n')[0]!.trim()]).toEqual([0, line('warning').trim()]);
    expect(sqlperf(['lint', 'q.sql'], { cwd: dir }).stdout).toBe('');
    writeFileSync(join(dir, 'sqlperf.config.json'), '{ "reportUnusedDisableDirectives": true }');
    expect(sqlperf(['lint', 'q.sql'], { cwd: dir }).stdout.split('\n\n')[0]!.trim()).toBe(line('warning').trim());
    writeFileSync(join(dir, 'sqlperf.config.json'), '{ "reportUnusedDisableDirectives": "loud" }');
    const bad = sqlperf(['lint', 'q.sql'], { cwd: dir });
    expect([bad.code, bad.stderr]).toEqual([2, `sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "reportUnusedDisableDirectives" must be "off", "warn", "error", true ("warn") or false (got "loud")\n`]);
    rmSync(join(dir, 'sqlperf.config.json'));
    const badFlag = sqlperf(['lint', 'q.sql', '--report-unused-disable-directives-severity', 'loud'], { cwd: dir });
    expect([badFlag.code, badFlag.stderr]).toEqual([2, 'sqlperf: --report-unused-disable-directives-severity expects off, warn or error (got "loud")\n']);
  }, 120_000);
});

/** Directives and one query per line, as `-- sqlperf-disable-line` after each statement. */
function timeSuppression(n: number): { ms: number; suppressed: number; unused: number } {
  const text = Array.from({ length: n }, (_, i) => `SELECT * FROM t${i}; -- sqlperf-disable-line no-select-star`).join('\n');
  let best = Infinity;
  let suppressed = 0;
  let unused = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const s = makeSuppressor(text, directivesFromTokens(text, lex(text, 'postgresql')), ['no-select-star']);
    suppressed = 0;
    for (let off = text.indexOf('*'); off >= 0; off = text.indexOf('*', off + 1)) if (s.isSuppressed('no-select-star', off)) suppressed++;
    unused = s.unused().length;
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, suppressed, unused };
}

describe('directive handling is linear', () => {
  it('2n line directives and findings take about twice the time of n (20k took 47 s when each finding scanned every directive)', () => {
    const n = 20_000;
    timeSuppression(500);
    const small = timeSuppression(n);
    const large = timeSuppression(2 * n);
    expect([small.suppressed, small.unused, large.suppressed, large.unused]).toEqual([n, 0, 2 * n, 0]);
    expect(large.ms / small.ms).toBeLessThan(3);
  }, 120_000);

  it('region directives: a finding is decided by the last directive before it that concerns its rule', () => {
    const text = '/* sqlperf-disable */\nA\n/* sqlperf-enable no-select-star */\nB\n/* sqlperf-disable no-select-star */\nC\n/* sqlperf-enable */\nD\n';
    const s = makeSuppressor(text, directivesFromTokens(text, lex(text, 'postgresql')), ['no-select-star', 'require-where']);
    const q = (rule: string, letter: string) => s.isSuppressed(rule, text.indexOf(letter));
    expect(['A', 'B', 'C', 'D'].map((l) => [q('no-select-star', l), q('require-where', l)])).toEqual([
      [true, true],
      [false, true],
      [true, true],
      [false, false],
    ]);
    expect(s.unused()).toEqual([]);
  });
});
