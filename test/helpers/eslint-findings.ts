import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../../eslint-plugin/index.js';

/**
 * What ESLint with every sqlperf rule reports on a TS file, as `rule [text] line:col-endLine:endCol`,
 * the same shape the embed tests print for the core path, so the two can be compared.
 */
export async function eslintFindings(root: string, file: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, { ...(plugin.configs.all as object), files: ['**/*.ts'] } as never] });
  const [result] = await eslint.lintFiles([file]);
  const code = readFileSync(file, 'utf8');
  const starts = [0, ...[...code.matchAll(/\n/g)].map((m) => m.index! + 1)];
  return result!.messages.map((m) => {
    const at = starts[m.line - 1]! + m.column - 1;
    const end = starts[m.endLine! - 1]! + m.endColumn! - 1;
    return `${m.ruleId!.replace(/^sqlperf\//, '')} [${code.slice(at, end)}] ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`;
  });
}
