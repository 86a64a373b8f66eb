// Class: output amplification and formatter limits. A file with 200k messages does not overflow
// the stylish formatter's stack; one long message does not pad every row; messages are bounded
// (no-cartesian-join names at most 5 tables, stylish/github cut any message at 2,000 characters).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ready } from '../../src/api.js';
import { github } from '../../src/cli/formatters/github.js';
import { MAX_MESSAGE_CHARS, stylish } from '../../src/cli/formatters/stylish.js';
import type { LintMessage, LintResult } from '../../src/cli/types.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

const resultOf = (messages: LintMessage[]): LintResult => ({ filePath: '/p/a.sql', messages, errorCount: 0, warningCount: messages.length, fatalErrorCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 }) as LintResult;
const msg = (i: number, message = 'm'): LintMessage => ({ ruleId: 'no-select-star', severity: 1, message, line: i + 1, column: 1, endLine: i + 1, endColumn: 2 });

describe('stylish limits', () => {
  it('200,000 messages in one file: no stack overflow, one line each', () => {
    const out = stylish([resultOf(Array.from({ length: 200_000 }, (_, i) => msg(i)))], { cwd: '/p', color: false });
    expect(out.split('\n').length).toBe(200_000 + 5);
    expect(out.endsWith('\u2716 200000 problems (0 errors, 200000 warnings)\n')).toBe(true);
  }, 30_000);

  it('a 1 MB message is cut at 2,000 characters, and does not pad the other rows', () => {
    const long = 'x'.repeat(1_000_000);
    const out = stylish([resultOf([msg(0, long), msg(1, 'short')])], { cwd: '/p', color: false });
    expect(out.length).toBeLessThan(3_000);
    // wider than the terminal: on its own line below its rule id
    expect(out).toContain(`  no-select-star\n      ${'x'.repeat(MAX_MESSAGE_CHARS)}… (${1_000_000 - MAX_MESSAGE_CHARS} more characters)\n`);
    const short = out.split('\n').find((l) => l.includes('short'))!;
    expect(short).toBe(`  2:1  warning  short  no-select-star`);
    const gh = github([resultOf([msg(0, long)])], { cwd: '/p', color: false });
    expect(gh.length).toBeLessThan(2_200);
  });
});

describe('no-cartesian-join names at most 5 tables', () => {
  beforeAll(async () => {
    await ready(['postgresql']);
  }, 60_000);

  it('exact message for 8 comma-joined tables', () => {
    const sql = `SELECT 1 FROM ${Array.from({ length: 8 }, (_, i) => `t${i}`).join(', ')}`;
    const d = analyze(sql, { dialect: 'postgresql', rules: { 'no-cartesian-join': 'warn' } }).diagnostics.filter((x) => x.ruleId === 'no-cartesian-join');
    expect(d.map((x) => x.message)).toEqual([
      'No condition connects t1 to t0: every row of one is paired with every row of the other; add the join condition (JOIN t1 ON ...)',
      'No condition connects t2 to t0, t1: every row of one is paired with every row of the other; add the join condition (JOIN t2 ON ...)',
      'No condition connects t3 to t0, t1, t2: every row of one is paired with every row of the other; add the join condition (JOIN t3 ON ...)',
      'No condition connects t4 to t0, t1, t2, t3: every row of one is paired with every row of the other; add the join condition (JOIN t4 ON ...)',
      'No condition connects t5 to t0, t1, t2, t3, t4: every row of one is paired with every row of the other; add the join condition (JOIN t5 ON ...)',
      'No condition connects t6 to t0, t1, t2, t3, t4 and 1 more: every row of one is paired with every row of the other; add the join condition (JOIN t6 ON ...)',
      'No condition connects t7 to t0, t1, t2, t3, t4 and 2 more: every row of one is paired with every row of the other; add the join condition (JOIN t7 ON ...)',
    ]);
  });

  describe('through the CLI', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => {
      ensureBuilt();
      t = tempDir('amp');
      writeFileSync(join(t.dir, 'wide.sql'), `SELECT 1 FROM ${Array.from({ length: 5000 }, (_, i) => `table_${i}`).join(', ')};\n`);
    }, 240_000);
    afterAll(() => t.done());

    it('5,000 comma-joined tables: stylish output stays under 1.5 MB (was 170 MB)', () => {
      const r = run(['lint', 'wide.sql'], t.dir, 120_000);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeLessThan(1_500_000);
      expect(r.stdout).toContain('No condition connects table_999 to table_0, table_1, table_2, table_3, table_4 and 994 more:');
      // past the per-file message limit (README, Limits), one line says how many more and what they are
      expect(r.stdout).toContain('4000 more problems in this file not shown (4000 warnings, from here on): the limit is 1000 messages per file');
    }, 130_000);
  });
});
