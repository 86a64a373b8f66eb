/**
 * The CLI and the ESLint plugin run one JS/TS pipeline (src/embed/index.ts lintProgram): on the same
 * files they must report the same rule, at the same place, with the same message. The CLI side is
 * the built CLI as a process (`sqlperf lint --format json`, JS/TS read by oxc-parser); the ESLint
 * side is an ESLint run (typescript-eslint's parser for .ts, the sqlperf/sql language for .sql).
 * Both run every rule. fixtures/parity adds host directives (one naming an unknown rule), holes,
 * a schema with table sizes (`tables`) and contexts, configured the same way on both sides.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../eslint-plugin/index.js';
import { rules } from '../rules/index.js';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.(?:ts|sql)$/.test(e.name) ? [join(dir, e.name)] : []));
}

const files = [...filesUnder(join(root, 'fixtures', 'demo')), ...filesUnder(join(root, 'fixtures', 'embed'))].sort();
const parityDir = join(root, 'fixtures', 'parity');
const parityFiles = filesUnder(join(parityDir, 'src'));

/** Every rule on, on the command line (the CLI's side of `configs.all`). */
const allRuleFlags = rules.flatMap((r) => ['--rule', `${r.name}:${r.severity}`]);

type Finding = string;
interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string; line: number; column: number; endLine: number; endColumn: number }>;
}

/**
 * A finding as `rule line:col-endLine:endCol message`; a directive naming an unknown rule is
 * `invalid-directive` in both (`sqlperf/invalid-directive` in ESLint).
 */
const show = (m: Pick<JsonResult['messages'][number], 'ruleId' | 'message' | 'line' | 'column'> & { endLine?: number; endColumn?: number }): Finding => `${(m.ruleId ?? '').replace(/^sqlperf\//, '')} ${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.message}`;

/** One CLI process over all the files; findings per file. */
function cliFindings(paths: string[], args: string[]): Map<string, Finding[]> {
  const r = sqlperf(['lint', '--format', 'json', ...allRuleFlags, ...args, ...paths.map((p) => relative(root, p))]);
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  const out = new Map<string, Finding[]>();
  for (const f of JSON.parse(r.stdout) as JsonResult[]) out.set(f.filePath, f.messages.map(show).sort());
  return out;
}

function eslintFor(settings?: Record<string, unknown>): ESLint {
  const all = plugin.configs.all as { rules: Linter.RulesRecord };
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
      { ...(plugin.configs.all as object), files: ['**/*.ts'] } as never,
      { ...(plugin.configs.sql as object), rules: all.rules } as never,
      ...(settings ? [{ settings: { sqlperf: settings } }] : []),
    ],
  });
}

async function eslintFindings(eslint: ESLint, file: string): Promise<Finding[]> {
  const [result] = await eslint.lintFiles([file]);
  // eslint-disable comments are ESLint's own (the CLI reads sqlperf-disable): compare before them
  return [...result!.messages, ...result!.suppressedMessages].map(show).sort();
}

beforeAll(() => ensureBuilt(), 300_000);

describe('CLI process and ESLint run: same findings', () => {
  let cli: Map<string, Finding[]>;
  let eslint: ESLint;
  beforeAll(() => {
    cli = cliFindings(files, ['--no-schema']);
    eslint = eslintFor();
  }, 120_000);

  it('covers JS/TS and .sql files, with findings of host rules among them', () => {
    expect(files.some((f) => f.endsWith('.sql'))).toBe(true);
    const all = [...cli.values()].flat();
    expect(all.some((f) => f.startsWith('no-unsafe-interpolation '))).toBe(true);
    expect(all.some((f) => f.startsWith('no-query-in-loop '))).toBe(true);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s', async (_name, file) => {
    expect(await eslintFindings(eslint, file)).toEqual(cli.get(file) ?? []);
  });
});

describe('CLI process and ESLint run with a schema, table sizes, contexts and host directives', () => {
  let cli: Map<string, Finding[]>;
  let eslint: ESLint;
  beforeAll(() => {
    cli = cliFindings(parityFiles, ['-c', relative(root, join(parityDir, 'sqlperf.config.json'))]);
    eslint = eslintFor({
      schema: ['fixtures/parity/schema.sql'],
      tables: { orders: { rows: 50000000 }, users: { rows: 2000000 }, statuses: { rows: 20 } },
      contexts: { app: ['fixtures/parity/src/**'] },
    });
  }, 120_000);

  it('the CLI reports what the fixture is for (so the comparison below is not of two empty lists)', () => {
    const found = cli.get(join(parityDir, 'src', 'queries.ts'))!.map((f) => f.split(' ').slice(0, 2).join(' '));
    expect(found).toEqual([
      'invalid-directive 10:1-10:42', // `// sqlperf-disable-next-line no-such-rule`
      'missing-index 11:53-11:71',
      'missing-index 19:80-19:93',
      'no-leading-wildcard 13:79-13:89', // on the `${}` hole
      'no-leading-wildcard 25:63-25:78', // after the disabled region
      'no-select-star 11:33-11:34', // the directive above names no real rule: nothing is silenced
      'unknown-column 17:34-17:38',
      'unknown-table 15:40-15:46',
    ]);
    // silenced by directives: line 8 (next-line) and line 22 (a disabled region); statuses is small (`tables`)
    expect(found.filter((f) => / (?:8|22|28):/.test(f))).toEqual([]);
    // a .sql file: its own directives, read by the core for both front ends
    const sqlFile = cli.get(join(parityDir, 'src', 'report.sql'))!.map((f) => f.split(' ').slice(0, 2).join(' '));
    expect(sqlFile).toEqual(['invalid-directive 2:1-2:42', 'missing-index 3:28-3:40', 'missing-index 6:27-6:36', 'no-select-star 3:8-3:9', 'unknown-table 8:16-8:22']);
  });

  it.each(parityFiles.map((f) => [relative(root, f), f]))('%s', async (_name, file) => {
    expect(await eslintFindings(eslint, file)).toEqual(cli.get(file) ?? []);
  });
});
