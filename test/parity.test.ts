/**
 * The CLI and the ESLint plugin run the same core: on the same files they must report the same
 * rule ids at the same positions (fixtures/demo and fixtures/embed, JS/TS and .sql). Both sides run
 * every rule (`configs.all`, ALL), not the smaller recommended set, so parity covers each of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../eslint-plugin/index.js';
import { analyze, ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { toMessages } from '../src/cli/source.js';
import { contextOf } from '../src/context.js';
import { ALL } from './helpers/all-rules.js';

const root = join(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.(?:ts|sql)$/.test(e.name) ? [join(dir, e.name)] : []));
}

const files = [...filesUnder(join(root, 'fixtures', 'demo')), ...filesUnder(join(root, 'fixtures', 'embed'))].sort();

beforeAll(() => ready());

type Finding = string;

/** What the CLI reports (its lint path: lintHostSource for JS/TS, analyze for .sql), as `rule line:col-endLine:endCol`. */
function cliFindings(file: string): Finding[] {
  const text = readFileSync(file, 'utf8');
  const context = contextOf(file);
  const ds = file.endsWith('.sql') ? analyze(text, { context, rules: ALL }).diagnostics : lintHostSource(text, file, { context, rules: ALL }).diagnostics;
  return toMessages(text, ds)
    .map((m) => `${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`)
    .sort();
}

describe('CLI and ESLint plugin parity', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, { ...(plugin.configs.all as object), files: ['**/*.ts'] } as never, { ...(plugin.configs.sql as object), rules: (plugin.configs.all as { rules: object }).rules } as never],
    });
  });

  it('covers JS/TS and .sql files, with findings of host rules among them', () => {
    expect(files.some((f) => f.endsWith('.sql'))).toBe(true);
    const all = files.flatMap(cliFindings);
    expect(all.some((f) => f.startsWith('no-unsafe-interpolation '))).toBe(true);
    expect(all.some((f) => f.startsWith('no-query-in-loop '))).toBe(true);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s', async (_name, file) => {
    const [result] = await eslint.lintFiles([file]);
    // eslint-disable comments are ESLint's own (the CLI reads sqlperf-disable): compare before them
    const fromPlugin = [...result!.messages, ...result!.suppressedMessages].map((m) => `${m.ruleId?.replace(/^sqlperf\//, '')} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`).sort();
    expect(fromPlugin).toEqual(cliFindings(file));
  });
});
