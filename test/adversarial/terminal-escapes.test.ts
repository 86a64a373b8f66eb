// Class: terminal escapes. Control characters from SQL literals, identifiers and file names never
// reach a terminal or a CI log raw, in any format.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { github } from '../../src/cli/formatters/github.js';
import { json } from '../../src/cli/formatters/json.js';
import { sarif } from '../../src/cli/formatters/sarif.js';
import { stylish } from '../../src/cli/formatters/stylish.js';
import type { LintResult } from '../../src/cli/types.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

// ESC ] 0 ; title BEL (window title), ESC [ 2 J (clear screen), CSI as a C1 control, a bidi override, DEL
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u009b\u202e\u007f\r';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const result = (filePath: string, message: string): LintResult => ({
  filePath,
  messages: [{ ruleId: 'no-leading-wildcard', severity: 1, message, messageId: 'leading', line: 1, column: 2, endLine: 1, endColumn: 3 }],
  errorCount: 0,
  warningCount: 1,
  fatalErrorCount: 0,
  fixableErrorCount: 0,
  fixableWarningCount: 0,
} as LintResult);

describe('terminal escapes', () => {
  const ctx = { cwd: '/p', color: false };

  it('stylish escapes control characters in messages and file names, exactly', () => {
    const out = stylish([result(`/p/a${HOSTILE}\nb.sql`, `LIKE '%${HOSTILE}'`)], ctx);
    expect(out).toBe(
      '\na\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e\\x7f\\x0d\\x0ab.sql\n' +
        // a lone CR is a line break: collapsed to a space like a newline
        "  1:2  warning  LIKE '%\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e\\x7f '  no-leading-wildcard\n" +
        '\n\u2716 1 problem (0 errors, 1 warning)\n',
    );
    expect(out).not.toMatch(RAW);
  });

  it('github annotations escape them too (and keep their own %-encoding)', () => {
    const out = github([result('/p/x.sql', `100% ${HOSTILE}`)], ctx);
    expect(out).toBe("::warning file=x.sql,line=1,col=2,endLine=1,endColumn=3,title=sqlperf (no-leading-wildcard)::100%25 \\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e\\x7f\\x0d\n");
    expect(out).not.toMatch(RAW);
  });

  it('JSON and SARIF escape what JSON.stringify leaves raw (C1, DEL, bidi, U+2028) and parse back to the same text', () => {
    const message = `${HOSTILE}\u2028`;
    const j = json([result('/p/x.sql', message)], ctx);
    expect(j).not.toMatch(RAW);
    expect(j).not.toMatch(/[\u2028\u2029]/);
    expect((JSON.parse(j) as LintResult[])[0]!.messages[0]!.message).toBe(message);
    const s = sarif([result('/p/x.sql', message)], ctx);
    expect(s).not.toMatch(RAW);
    expect((JSON.parse(s) as { runs: Array<{ results: Array<{ message: { text: string } }> }> }).runs[0]!.results[0]!.message.text).toBe(message);
  });

  describe('through the CLI', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => {
      ensureBuilt();
      t = tempDir('esc');
      writeFileSync(join(t.dir, 'q\u001b[2J.sql'), "SELECT id FROM users WHERE name LIKE '%\u001b]0;pwned\u0007';\n");
    }, 240_000);
    afterAll(() => t.done());

    // no-leading-wildcard is off in recommended: turned on so the hostile literal is reported
    it('stylish prints the literal and the file name escaped', () => {
      const r = run(['lint', '--rule', 'no-leading-wildcard:warn', '.'], t.dir);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain('q\\x1b[2J.sql\n');
      expect(r.stdout).toContain("'%\\x1b]0;pwned\\x07'");
      expect(r.stdout).toContain('no-leading-wildcard');
    });

    it('github annotations too', () => {
      const r = run(['lint', '--rule', 'no-leading-wildcard:warn', '-f', 'github', '.'], t.dir);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain('file=q\\x1b[2J.sql,');
    });
  });
});
