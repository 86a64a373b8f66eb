// A user's `tags` / `callees` are added to the built-in lists (issue 18: `tags: ['sql'], callees:
// ['query']` in the README's snippet replaced them, and Prisma and knex findings vanished);
// `extendDefaultTags: false` / `extendDefaultCallees: false` use the user's lists alone. One
// implementation (src/config/detection-lists.ts) for the CLI's config and the plugin's settings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin from '../eslint-plugin/index.js';
import { checkSettings } from '../eslint-plugin/settings.js';
import { detectionLists } from '../src/config/detection-lists.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS } from '../src/embed/detect.js';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

// line 2: a statement under an unlisted tag whose shape is not clear enough to be taken by shape
// alone (a comma join; `q`SELECT * FROM users`` would be): SQL only when `q` is listed
const HOST = [
  "import { Prisma } from '@prisma/client';",
  'export const a = q`SELECT * FROM users u, orders o WHERE o.user_id = u.id`;',
  'export const b = Prisma.sql`SELECT * FROM orders`;',
  "export const c = (e: string) => knex('users').whereRaw('lower(email) = ?', [e]);",
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-detect-lists-'));
writeFileSync(join(dir, 'app.ts'), HOST);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Lists = { tags?: string[]; callees?: string[]; extendDefaultTags?: boolean; extendDefaultCallees?: boolean };

const RULES = ['no-select-star', 'no-function-on-column'];

/** `rule@line` of the findings, from the CLI with `lists` in its config. */
function cliFindings(lists: Lists): string[] {
  writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ ...lists, rules: Object.fromEntries(RULES.map((id) => [id, 'warn'])) }));
  const r = sqlperf(['lint', '-f', 'json', 'app.ts'], { cwd: dir });
  expect(r.stderr.split('\n').filter((l) => /invalid|error/i.test(l))).toEqual([]);
  return (JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string; line: number }> }>)[0]!.messages.map((m) => `${m.ruleId}@${m.line}`);
}

/** The same from ESLint with `lists` in settings.sqlperf. */
async function eslintFindings(lists: Lists): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: (await import('@typescript-eslint/parser')).default } }, plugin.configs.recommended as never, { rules: Object.fromEntries(RULES.map((id) => [`sqlperf/${id}`, 'warn'])), settings: { sqlperf: lists } }],
  });
  const [r] = await eslint.lintText(HOST, { filePath: join(dir, 'app.ts') });
  return r!.messages.map((m) => `${m.ruleId!.replace('sqlperf/', '')}@${m.line}`);
}

describe('detectionLists', () => {
  it('adds the user lists to the defaults, once each, defaults first', () => {
    expect(detectionLists({ tags: ['q', 'sql'], callees: ['run2'] })).toEqual({ tags: [...DEFAULT_TAGS, 'q'], callees: [...DEFAULT_CALLEES, 'run2'] });
  });
  it('no lists: the detector keeps its defaults', () => {
    expect(detectionLists({})).toEqual({});
  });
  it('extendDefault*: false uses the user list alone, an empty list when none is given', () => {
    expect(detectionLists({ tags: ['q'], extendDefaultTags: false })).toEqual({ tags: ['q'] });
    expect(detectionLists({ extendDefaultCallees: false })).toEqual({ callees: [] });
    expect(detectionLists({ tags: ['q'], extendDefaultTags: true })).toEqual({ tags: [...DEFAULT_TAGS, 'q'] });
  });
});

describe('the CLI and ESLint find the same sites', () => {
  beforeAll(() => ensureBuilt(), 240_000);

  it.each<[string, Lists, string[]]>([
    ['no lists: the defaults (this q`` template is not SQL)', {}, ['no-select-star@3', 'no-function-on-column@4']],
    ["tags: ['q'], callees: ['run2'] add to the defaults: Prisma.sql and knex's whereRaw stay", { tags: ['q'], callees: ['run2'] }, ['no-select-star@2', 'no-select-star@3', 'no-function-on-column@4']],
    ['extendDefaultCallees: false drops whereRaw', { tags: ['q'], callees: ['run2'], extendDefaultCallees: false }, ['no-select-star@2', 'no-select-star@3']],
    ['both false: only the user lists', { tags: ['q'], callees: ['run2'], extendDefaultTags: false, extendDefaultCallees: false }, ['no-select-star@2']],
  ])('%s', async (_, lists, findings) => {
    expect(cliFindings(lists)).toEqual(findings);
    expect(await eslintFindings(lists)).toEqual(findings);
  });
});

describe('bad values name the setting', () => {
  it('CLI: exit 2 with the key', () => {
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ extendDefaultTags: 'no' }));
    const r = sqlperf(['lint', 'app.ts'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "extendDefaultTags" must be true (add to the defaults) or false (use only yours) (got "no")\n`);
  });

  it('ESLint: a problem naming the setting, the other settings still apply', () => {
    const s = checkSettings({ tags: ['q'], extendDefaultCallees: 0 });
    expect(s.problems).toEqual(['settings.sqlperf.extendDefaultCallees must be true (add tags/callees to the defaults) or false (use only yours) (got 0)']);
    expect(s.tags).toEqual([...DEFAULT_TAGS, 'q']);
    expect(s.callees).toBeUndefined();
  });
});
