// Class: SQL text that hid findings. A NUL byte (libpg-query stops reading at it), a `/*` never
// closed at the end of a file, a non-ASCII dollar-quote tag, UTF-16 files, statements over the size
// limit: each is reported where it is, at the right severity, and nothing after it is lost.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { decode } from '../../src/cli/source.js';
import { lineStarts, toLineCol } from '../../src/range.js';
import { ready } from '../../src/ready.js';
import type { Dialect } from '../../src/dialect.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

const WILDCARD = "SELECT id FROM users WHERE email LIKE '%x'";

function found(text: string, dialect: Dialect = 'postgresql', limits = {}) {
  const starts = lineStarts(text);
  return analyze(text, { dialect, rules: { 'no-leading-wildcard': 'warn' }, limits }).diagnostics.map((d) => {
    const at = toLineCol(starts, d.start);
    return `${d.ruleId}:${d.severity}@${at.line}:${at.column}`;
  });
}

describe('SQL text that hid findings', () => {
  beforeAll(() => ready(['postgresql', 'mysql']), 60_000);

  it('a NUL byte is an error at its position; the statements after it are still analysed', () => {
    const text = `SELECT 1;\nSELECT id FROM users\0 WHERE email LIKE '%x';\n${WILDCARD};\n`;
    expect(found(text)).toEqual(['parse-error:error@2:21', 'no-leading-wildcard:warn@3:39']);
    const [nul] = analyze(text).diagnostics;
    expect(nul!.message).toBe('invalid character: a NUL byte (\\0) in the statement, which databases reject and the parser cannot read past');
    // sqlperf's own scan is certain in every dialect: an error in MySQL too
    expect(found(text, 'mysql')).toEqual(['parse-error:error@2:21', 'no-leading-wildcard:warn@3:39']);
  });

  it.each(['postgresql', 'mysql'] as const)('an unterminated /* at the end of the file is reported where it starts (%s)', (dialect) => {
    expect(found(`${WILDCARD};\n/* never closed\nSELECT * FROM users;\n`, dialect)).toEqual(['no-leading-wildcard:warn@1:39', 'parse-error:error@2:1']);
    // after the last code on a line, with no `;`
    expect(found(`${WILDCARD} /* x`, dialect)).toEqual(['no-leading-wildcard:warn@1:39', 'parse-error:error@1:44']);
    const [d] = analyze('SELECT 1; /* x', { dialect }).diagnostics;
    expect(d!.message).toBe('unterminated comment: the "/*" is never closed, so everything after it is ignored');
    // closed comments, and `/*` inside strings, are no problem
    expect(found(`/* a */ ${WILDCARD}; SELECT '/*';\n`, dialect)).toEqual(['no-leading-wildcard:warn@1:47']);
  });

  it('a non-ASCII dollar-quote tag is one string: its inner `;` splits nothing', () => {
    const text = `SELECT $é$ a; b $é$;\n${WILDCARD};\nSELECT $タグ$;$タグ$, $😀$ ; $😀$;\n`;
    expect(found(text)).toEqual(['no-leading-wildcard:warn@2:39']);
    expect(analyze(text).statements.map((s) => s.kind)).toEqual(['select', 'select', 'select']);
  });

  it('a statement over the size limit is a warning naming the limit, and the next statement is analysed', () => {
    const long = `SELECT ${Array.from({ length: 400 }, (_, i) => `c${i}`).join(', ')} FROM t`;
    const text = `${long};\n${WILDCARD};\n`;
    expect(found(text, 'postgresql', { maxStatementLength: 1000 })).toEqual(['parse-error:warn@1:1', 'no-leading-wildcard:warn@2:39']);
    expect(analyze(text, { limits: { maxStatementLength: 1000 } }).diagnostics[0]!.message).toBe(`statement not analysed: ${Math.round(long.length / 1024)} KB is over the 1 KB limit (limits.maxStatementLength)`);
  });

  it('UTF-16 with a BOM (both byte orders) is decoded; binary stays binary; a stray NUL in UTF-8 text is text', () => {
    const text = `${WILDCARD};\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    expect(decode(le)).toEqual({ ok: true, text });
    expect(decode(be)).toEqual({ ok: true, text });
    expect(decode(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0x00]))).toEqual({ ok: false, reason: 'binary file (it contains NUL bytes)' });
    expect(decode(Buffer.from('SELECT 1\0;'))).toEqual({ ok: true, text: 'SELECT 1\0;' });
  });

  describe('through the CLI', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => {
      ensureBuilt();
      t = tempDir('text');
    }, 240_000);
    afterAll(() => t.done());

    it('a UTF-16 file is linted with exact positions; a NUL past the first 8 KB is reported where it is', () => {
      writeFileSync(join(t.dir, 'u16.sql'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`SELECT 1;\n${WILDCARD};\n`, 'utf16le')]));
      writeFileSync(join(t.dir, 'nul.sql'), `${'SELECT 1;\n'.repeat(1000)}SELECT\0 2;\n${WILDCARD};\n`);
      const r = run(['lint', '--no-schema', '--rule', 'no-leading-wildcard:warn', '-f', 'json', 'u16.sql', 'nul.sql'], t.dir);
      const out = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number }> }>;
      expect(out.map((f) => [f.filePath.slice(t.dir.length + 1), f.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)])).toEqual([
        ['nul.sql', ['parse-error@1001:7', 'no-leading-wildcard@1002:39']],
        ['u16.sql', ['no-leading-wildcard@2:39']],
      ]);
    }, 60_000);
  });
});
