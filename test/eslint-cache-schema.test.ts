// ESLint's --cache keys results by file and config hash: a new migration changes neither, so the
// schema rules' cached results go stale. `schemaDigest` in settings puts the schema in the hash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin, { schemaDigest } from '../eslint-plugin/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-eslint-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(project: string, withDigest: boolean): Promise<string[]> {
  const schema = ['migrations'];
  const settings = { sqlperf: { schema }, ...(withDigest ? { 'sqlperf/schema-digest': schemaDigest(schema, project) } : {}) };
  const eslint = new ESLint({
    cwd: project,
    cache: true,
    cacheLocation: join(project, '.eslintcache'),
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.sql as never, { files: ['**/*.sql'], rules: { 'sqlperf/missing-index': 'warn' }, settings }],
  });
  const [r] = await eslint.lintFiles(['app.sql']);
  return r!.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`);
}

function project(name: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, 'migrations'), { recursive: true });
  writeFileSync(join(p, 'migrations', '001_init.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\n');
  writeFileSync(join(p, 'app.sql'), 'SELECT id FROM users WHERE email = $1;\n');
  return p;
}

const addIndex = (p: string) => writeFileSync(join(p, 'migrations', '002_email.sql'), 'CREATE INDEX users_email ON users (email);\n');

describe('ESLint --cache and the schema', () => {
  it('without the digest a cached result outlives the migration that fixes it (the documented limitation)', async () => {
    const p = project('plain');
    expect(await run(p, false)).toEqual(['sqlperf/missing-index 1:28']);
    addIndex(p);
    expect(await run(p, false)).toEqual(['sqlperf/missing-index 1:28']);
  });

  it('with schemaDigest in settings the new migration invalidates the cache', async () => {
    const p = project('digest');
    const before = schemaDigest(['migrations'], p);
    expect(await run(p, true)).toEqual(['sqlperf/missing-index 1:28']);
    addIndex(p);
    expect(schemaDigest(['migrations'], p)).not.toBe(before);
    expect(await run(p, true)).toEqual([]);
  });
});
