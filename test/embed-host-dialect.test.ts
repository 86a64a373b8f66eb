// The project's dialect reaches host rules and value-side checks as `ctx.dialect` (typed on
// HostRuleContext and ProgramContext, src/rule.ts), through both front ends: the CLI's
// lintHostSource and the ESLint plugin's `settings.sqlperf.dialect`.
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin from '../eslint-plugin/index.js';
import { ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

// a site: a value inside "..." is a string in MySQL, a quoted name in PostgreSQL
const SITE = 'function f(name: string) { return db.query(`SELECT id FROM users WHERE name = "${name}"`); }\n';
// a query builder writes the LIKE (a program-wide check): its remedy is in the project's dialect
const BUILDER = "knex('users').where('email', 'like', `%${q}`);\n";

function cli(code: string, dialect: Dialect): string[] {
  return lintHostSource(code, 'a.ts', { rules: ALL, dialect })
    .diagnostics.filter((d) => d.ruleId === 'no-unsafe-interpolation' || d.ruleId === 'no-leading-wildcard')
    .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.ruleId}/${d.messageId} ${/FULLTEXT|pg_trgm/.exec(d.message)?.[0] ?? ''}`.trim());
}

async function eslint(code: string, dialect: Dialect): Promise<string[]> {
  const linter = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: (await import('@typescript-eslint/parser')).default } },
      { files: ['**/*.ts'], plugins: { sqlperf: plugin as never }, rules: { 'sqlperf/no-unsafe-interpolation': 'error', 'sqlperf/no-leading-wildcard': 'warn' }, settings: { sqlperf: { dialect } } },
    ],
  });
  const [result] = await linter.lintText(code, { filePath: 'a.ts' });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId?.replace('sqlperf/', '')}/${m.messageId} ${/FULLTEXT|pg_trgm/.exec(m.message)?.[0] ?? ''}`.trim());
}

describe('ctx.dialect in host rules and value-side checks', () => {
  it('MySQL: "${name}" is a string value (no-unsafe-interpolation), in the CLI and in ESLint', async () => {
    const expected = ['1:80-1:87 no-unsafe-interpolation/quoted'];
    expect(cli(SITE, 'mysql')).toEqual(expected);
    expect(await eslint(SITE, 'mysql')).toEqual(expected);
  });

  it('PostgreSQL: "${name}" is a quoted name, not a value', async () => {
    expect(cli(SITE, 'postgresql')).toEqual([]);
    expect(await eslint(SITE, 'postgresql')).toEqual([]);
  });

  it("a query builder's leading wildcard names the remedy of the project's dialect", async () => {
    expect(cli(BUILDER, 'mysql')).toEqual(['1:38-1:45 no-leading-wildcard/leadingValue FULLTEXT']);
    expect(await eslint(BUILDER, 'mysql')).toEqual(['1:38-1:45 no-leading-wildcard/leadingValue FULLTEXT']);
    expect(cli(BUILDER, 'postgresql')).toEqual(['1:38-1:45 no-leading-wildcard/leadingValue pg_trgm']);
    expect(await eslint(BUILDER, 'postgresql')).toEqual(['1:38-1:45 no-leading-wildcard/leadingValue pg_trgm']);
  });
});

describe("SQL for another engine in a project's JS/TS", () => {
  const code = [
    'export const put = (db: Db) => db.prepare(`INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)`);',
    'export const bump = (db: Db) => db.prepare(`UPDATE meta SET version=@version WHERE id=@id`);',
    "export const keys = (c: Conn, ns: string) => c.query('SELECT `key` FROM `records` WHERE `namespace` = ?', [ns]);",
    "export const cut = (c: Conn) => c.query('SELECT id FROM users WHERE id = $1 AND', [1]);",
  ].join('\n');
  const parseErrors = (r: ReturnType<typeof lintHostSource>) => r.diagnostics.filter((d) => d.ruleId === 'parse-error').map((d) => `${d.line}:${d.column}`);

  it('parses as SQLite or MySQL but not as the project dialect: skipped and counted, not a parse error; SQL no engine reads still is one', () => {
    const r = lintHostSource(code, 'src/cache.ts', { rules: ALL, dialect: 'postgresql' });
    expect(parseErrors(r)).toEqual(['4:77']);
    expect(r.stats).toMatchObject({ sites: 4, analysed: 0, skipped: 3, failed: 1, skippedBy: { unparsable: 3 } });
  });

  it('where the config or the path states the dialect, SQL that does not parse in it is a parse error', () => {
    const r = lintHostSource(code, 'src/cache.ts', { rules: ALL, dialect: 'postgresql', dialectStated: true });
    expect(parseErrors(r)).toEqual(['1:51', '2:68', '3:68', '4:77']);
  });
});

describe("another engine's SQL with holes", () => {
  it('is read with its holes filled in as for that engine', () => {
    const code = [
      'export function upsert(db: Db, table: string, row: Record<string, unknown>) {',
      '  const columns = Object.keys(row);',
      '  db.run(`INSERT OR REPLACE INTO ${table} (${columns.join(",")}) VALUES (${columns.map(() => "?").join(",")})`, Object.values(row));',
      '}',
    ].join('\n');
    const r = lintHostSource(code, 'src/replica.ts', { rules: ALL, dialect: 'postgresql' });
    expect(r.diagnostics.filter((d) => d.ruleId === 'parse-error')).toEqual([]);
    expect(r.stats).toMatchObject({ sites: 1, skipped: 1, skippedBy: { unparsable: 1 } });
  });
});
