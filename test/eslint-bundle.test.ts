// The built plugin entry, `sqlperf/eslint-plugin` = dist/eslint-plugin/index.js: it runs the
// plugin's bundle (dist/eslint-plugin/plugin.cjs, scripts/build-bundle.ts) with V8's code cache,
// and must lint as the plugin's modules do: the same findings at the same places, in JS/TS and in
// .sql files, with the same exports. ESLint runs in a child process, as a user's would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin from '../eslint-plugin/index.js';
import { ensureBundled, root } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-eslint-bundle-'));
const codeCache = join(dir, 'user-cache');
const entry = join(root, 'dist', 'eslint-plugin', 'index.js');

const TS = "import { sql } from './db';\nexport const q = sql`SELECT * FROM users WHERE lower(email) = ${'a'}`;\nexport const labels = { select: 'Select a plan' };\n";
const SQL = 'SELECT id FROM orders ORDER BY random();\n';
const PLAIN = "export const labels = { delete: 'Delete', select: 'Select a plan' };\n";

/** What a config built from `plugin` reports: file, rule, start-end of each message. */
const configOf = (p: typeof plugin) => [{ files: ['**/*.ts'], ...p.configs.recommended }, { ...p.configs.sql, rules: { ...(p.configs.recommended.rules as object), 'sqlperf/no-order-by-random': 'error' } }];

const SCRIPT = `import { ESLint } from ${JSON.stringify(pathToFileURL(join(root, 'node_modules', 'eslint', 'lib', 'api.js')).href)};
import * as mod from ${JSON.stringify(pathToFileURL(entry).href)};
const p = mod.default;
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: (${configOf.toString()})(p) });
const results = await eslint.lintFiles(['.']);
const messages = results.flatMap((r) => r.messages.map((m) => r.filePath.slice(process.cwd().length + 1) + ' ' + m.ruleId + ' ' + m.line + ':' + m.column + '-' + m.endLine + ':' + m.endColumn));
console.log(JSON.stringify({ messages, exports: Object.keys(mod).sort(), rules: Object.keys(p.rules).length, digest: typeof mod.schemaDigest(false, process.cwd()) }));
`;

function runBuilt(): { messages: string[]; exports: string[]; rules: number; digest: string } {
  const r = spawnSync(process.execPath, [join(dir, 'run.mjs')], { cwd: join(dir, 'project'), encoding: 'utf8', env: { ...process.env, SQLPERF_CACHE_DIR: codeCache }, timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof runBuilt>;
}

beforeAll(() => {
  ensureBundled();
  const project = join(dir, 'project');
  mkdirSync(project);
  for (const [f, text] of [['users.ts', TS], ['report.sql', SQL], ['plain.ts', PLAIN]] as const) writeFileSync(join(project, f), text);
  writeFileSync(join(dir, 'run.mjs'), SCRIPT);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built plugin entry (bundle + code cache)', () => {
  it('reports what the plugin modules report, at the same places, and keeps its exports', async () => {
    const built = runBuilt();
    expect(built.messages).toEqual(['report.sql sqlperf/no-order-by-random 1:32-1:40', 'users.ts sqlperf/no-function-on-column 2:48-2:60']);
    const eslint = new ESLint({ cwd: join(dir, 'project'), overrideConfigFile: true, overrideConfig: configOf(plugin) as never });
    const results = await eslint.lintFiles(['.']);
    const fromModules = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(join(dir, 'project').length + 1)} ${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`));
    expect(built.messages).toEqual(fromModules);
    expect(built.exports).toEqual(['dataFromMessage', 'default', 'rules', 'schemaDigest']);
    expect(built.rules).toBe(Object.keys(plugin.rules).length);
    expect(built.digest).toBe('string');
  });

  it('runs the bundle with a code cache it writes once and then reads', () => {
    rmSync(codeCache, { recursive: true, force: true });
    const first = runBuilt();
    const cacheFiles = readdirSync(codeCache).filter((f) => f.endsWith('.bin'));
    expect(cacheFiles).toHaveLength(1);
    const written = statSync(join(codeCache, cacheFiles[0]!)).mtimeMs;
    expect(runBuilt().messages).toEqual(first.messages);
    expect(readdirSync(codeCache).filter((f) => f.endsWith('.bin'))).toEqual(cacheFiles);
    expect(statSync(join(codeCache, cacheFiles[0]!)).mtimeMs).toBe(written);
  });
});
