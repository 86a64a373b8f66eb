// Class: config and settings crashes. Prototype names, wrong types, bad globs and absurd nesting
// are usage or config errors naming the key (exit 2), never internal errors; the ESLint plugin
// reports a bad `settings.sqlperf` instead of crashing the ESLint run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../eslint-plugin/index.js';
import { checkSettings } from '../../eslint-plugin/settings.js';
import { validateConfig } from '../../src/config/load.js';
import { normalizeDialect } from '../../src/dialect.js';
import { globProblem } from '../../src/glob.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

const DIALECT_LIST = 'postgresql, mysql, mariadb, sqlite, bigquery, transactsql, snowflake';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  ensureBuilt();
  t = tempDir('config');
  writeFileSync(join(t.dir, 'a.sql'), 'SELECT id FROM users;\n');
}, 240_000);
afterAll(() => t.done());

/** A folder holding a.sql and the given sqlperf.config.json text. */
function project(name: string, config: string): string {
  const dir = join(t.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.sql'), 'SELECT id FROM users;\n');
  writeFileSync(join(dir, 'sqlperf.config.json'), config);
  return dir;
}

describe('dialect names are looked up without a prototype', () => {
  it('normalizeDialect rejects Object.prototype names and non-strings', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(normalizeDialect(name)).toBeUndefined();
    expect(normalizeDialect(5)).toBeUndefined();
    expect(normalizeDialect(['mysql'])).toBeUndefined();
    expect(normalizeDialect('Postgres')).toBe('postgresql');
  });

  it.each(['constructor', '__proto__'])('--dialect %s is a usage error (exit 2)', (name) => {
    const r = run(['lint', '--dialect', name, 'a.sql'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: unknown dialect "${name}"; use one of ${DIALECT_LIST}\n`);
  });

  it.each(['constructor', '__proto__'])('config "dialect": "%s" is a config error naming the key (exit 2)', (name) => {
    const dir = project(`dialect-${name}`, JSON.stringify({ dialect: name }));
    const r = run(['lint', 'a.sql'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "dialect" must be one of ${DIALECT_LIST} (got "${name}")\n`);
  });

  it('an override with dialect "constructor" too', () => {
    const dir = project('override-constructor', JSON.stringify({ overrides: [{ files: ['**'], dialect: 'constructor' }] }));
    const r = run(['lint', 'a.sql'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "overrides[0].dialect" must be one of ${DIALECT_LIST} (got "constructor")\n`);
  });
});

describe('table sizes named like Object properties', () => {
  it('"tables": { "__proto__": ... } is a table, not a prototype', () => {
    const tables = validateConfig(JSON.parse('{"tables":{"__proto__":{"rows":5},"constructor":{}}}'), 'x.json').tables!;
    expect(Object.getPrototypeOf(tables)).toBe(null);
    expect(Object.keys(tables)).toEqual(['__proto__', 'constructor']);
    expect(tables['__proto__']).toEqual({ rows: 5 });
    expect(tables['orders']).toBeUndefined();
  });
});

describe('invalid globs', () => {
  it('globProblem names what is wrong', () => {
    expect(globProblem('{a')).toBe('invalid glob "{a": a "{" is not closed');
    expect(globProblem('[z-a]')).toBe('invalid glob "[z-a]": Range out of order in character class');
    expect(globProblem('db/{a,b}/**/*.sql')).toBeUndefined();
  });

  it.each(['{a', '[z-a]'])('--ignore-pattern %s is a usage error (exit 2)', (glob) => {
    const r = run(['lint', '--ignore-pattern', glob, 'a.sql'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: --ignore-pattern: ${globProblem(glob)}\n`);
  });

  it.each([
    ['ignore', { ignore: ['[z-a]'] }],
    ['include', { include: ['{a'] }],
    ['contexts.app', { contexts: { app: ['[z-a]'] } }],
    ['overrides[0].files', { overrides: [{ files: ['{a'], dialect: 'mysql' }] }],
  ])('config "%s" with a bad glob is a config error naming the key (exit 2)', (key, config) => {
    const dir = project(`glob-${key.replace(/\W/g, '')}`, JSON.stringify(config));
    const r = run(['lint', 'a.sql'], dir);
    expect(r.code).toBe(2);
    const glob = JSON.stringify(config).includes('[z-a]') ? '[z-a]' : '{a';
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "${key}": ${globProblem(glob)}\n`);
  });
});

describe('deep nesting', () => {
  it('a 5,000-level nested config is a config error (exit 2), not a stack overflow', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const dir = project('deep', `{"tables":{"t":${deep}}}`);
    const r = run(['lint', 'a.sql'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "tables" is nested more than 64 levels deep; no setting needs that\n`);
  });

  it('deep arrays under "rules" too', () => {
    const dir = project('deep-rules', `{"rules":{"max-joins":["warn",${'['.repeat(5000)}${']'.repeat(5000)}]}}`);
    const r = run(['lint', 'a.sql'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${join(dir, 'sqlperf.config.json')}: "rules" is nested more than 64 levels deep; no setting needs that\n`);
  });
});

describe('ESLint plugin settings', () => {
  const source = 'const q = sql`SELECT * FROM users`;\n';
  const lint = async (sqlperf: unknown) => {
    // no-select-star is off in recommended: turned on so the run is seen to go on past the settings report
    const eslint = new ESLint({
      cwd: t.dir,
      overrideConfigFile: true,
      overrideConfig: [plugin.configs.recommended as never, { rules: { 'sqlperf/no-select-star': 'warn' }, settings: { sqlperf } }],
    });
    const [r] = await eslint.lintText(source, { filePath: join(t.dir, 'x.js') });
    // other rules' wording is theirs: only sqlperf/parse-error's text is pinned here
    return r!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}${m.ruleId === 'sqlperf/parse-error' ? ` ${m.message}` : ''}`);
  };
  const star = '1:22 sqlperf/no-select-star';

  it.each([
    [{ dialect: 5 }, `settings.sqlperf.dialect must be one of ${DIALECT_LIST} (got 5)`],
    [{ dialect: 'constructor' }, `settings.sqlperf.dialect must be one of ${DIALECT_LIST} (got "constructor")`],
    [{ dialect: '__proto__' }, `settings.sqlperf.dialect must be one of ${DIALECT_LIST} (got "__proto__")`],
    [{ dialect: ['mysql'] }, `settings.sqlperf.dialect must be one of ${DIALECT_LIST} (got ["mysql"])`],
    [{ tags: [5] }, "settings.sqlperf.tags must be an array of non-empty strings, e.g. tags: ['sql'] (got [5])"],
    [{ callees: [{}] }, "settings.sqlperf.callees must be an array of non-empty strings, e.g. callees: ['query'] (got [{}])"],
    [{ contexts: 5 }, 'settings.sqlperf: "contexts" must be an object of context names to globs, e.g. "contexts": { "migration": ["db/changes/**"], "app": ["scripts/cron/**"] }'],
    [{ contexts: { app: ['[z-a]'] } }, 'settings.sqlperf.contexts.app: invalid glob "[z-a]": Range out of order in character class'],
    [{ schema: 5 }, 'settings.sqlperf.schema must be true, false, a path or an array of paths (got 5)'],
    [{ dialet: 'mysql' }, 'settings.sqlperf.dialet is not a setting; use dialect, tags, callees, extendDefaultTags, extendDefaultCallees, schema, tables, contexts'],
  ])('%j: the run goes on; sqlperf/parse-error names the setting at 1:1', async (settings, problem) => {
    expect(await lint(settings)).toEqual([`1:1 sqlperf/parse-error ${problem}`, star]);
  });

  it('valid settings report nothing extra', async () => {
    expect(await lint({ dialect: 'postgres', tags: ['sql'], callees: ['query'], contexts: { app: ['**'] } })).toEqual([star]);
    expect(checkSettings(undefined)).toEqual({ problems: [] });
    expect(checkSettings('mysql').problems).toEqual(['settings.sqlperf must be an object, e.g. { dialect: \'postgresql\' } (got "mysql")']);
  });
});
