// Class: line breaks. The CLI counts lines as ESLint does (\r\n, \r, \n, U+2028, U+2029), so a
// JS/TS file with U+2028 in a string gets the same line:column from both front ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../eslint-plugin/index.js';
import { lineStarts, toLineCol } from '../../src/range.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

describe('line breaks', () => {
  it('lineStarts uses ESLint\'s line breaks', () => {
    expect(lineStarts('a\r\nb\rc\nd\u2028e\u2029f')).toEqual([0, 3, 5, 7, 9, 11]);
    expect(toLineCol(lineStarts('x\u2028yz'), 3)).toEqual({ line: 2, column: 2 });
  });

  describe('CLI and ESLint agree', () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => {
      ensureBuilt();
      t = tempDir('lines');
    }, 240_000);
    afterAll(() => t.done());

    it.each([
      ['U+2028', '\u2028'],
      ['U+2029', '\u2029'],
    ])('%s in a string: 3:22 from both', async (_name, sep) => {
      const source = `const a = "x${sep}y";\nconst q = sql\`SELECT * FROM users\`;\n`;
      writeFileSync(join(t.dir, 'a.ts'), source);
      // no-select-star is off in recommended: turned on in both front ends
      const r = run(['lint', '--rule', 'no-select-star:warn', '-f', 'json', 'a.ts'], t.dir);
      const cli = (JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number; endLine: number; endColumn: number }> }>)[0]!.messages;
      expect(cli.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn])).toEqual([['no-select-star', 3, 22, 3, 23]]);
      const eslint = new ESLint({ cwd: t.dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never, { rules: { 'sqlperf/no-select-star': 'warn' } }] });
      const [e] = await eslint.lintText(source, { filePath: join(t.dir, 'a.js') });
      expect(e!.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn])).toEqual([['sqlperf/no-select-star', 3, 22, 3, 23]]);
    });
  });
});
