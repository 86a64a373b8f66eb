/** no-unsafe-interpolation precision (issue 13 §3): errors only for strings from outside that reach the SQL text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { parse } from '@typescript-eslint/typescript-estree';
import { embedSql, findSqlSites, lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';
import { activeHostRules, runHostRules } from '../src/embed/host-rules.js';
import type { Dialect } from '../src/dialect.js';
import { rules } from '../rules/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'embed', 'host');

beforeAll(() => ready());

function cli(file: string): string[] {
  const code = readFileSync(join(fixtures, file), 'utf8');
  return lintHostSource(code, file, { rules: ALL })
    .diagnostics.filter((d) => d.ruleId === 'no-unsafe-interpolation')
    .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}] ${d.messageId}`);
}

describe('no-unsafe-interpolation precision', () => {
  it('fixtures/embed/host/unsafe-interpolation-precision.ts: free-string names, request data, sql.unsafe; silent on escaping, quoting, format(), lists of constants, allow-lists, literal-union types', () => {
    expect(cli('unsafe-interpolation-precision.ts')).toEqual([
      '5:34-5:42 [${table}] identifier',
      '6:49-6:55 [${col}] identifier',
      '7:49-7:66 [${req.query.sort}] identifier',
      '8:56-8:63 [${name}] quoted',
    ]);
  });

  it('an untyped name stays silent (it may be a constant from elsewhere); a parameter typed string does not', () => {
    expect(cli('unsafe-interpolation-precision.ts').length).toBe(4);
    const untyped = 'function f(table) { return db.query(`SELECT id FROM ${table}`); }';
    expect(lintHostSource(untyped, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-unsafe-interpolation')).toEqual([]);
    const typed = 'function f(table: string) { return db.query(`SELECT id FROM ${table}`); }';
    expect(lintHostSource(typed, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-unsafe-interpolation').map((d) => d.messageId)).toEqual(['identifier']);
  });

  it('MySQL: a value inside "..." is inside a string (with the dialect passed to runHostRules); elsewhere "..." is a quoted name', () => {
    const code = 'function f(name: string) { return db.query(`SELECT id FROM users WHERE name = "${name}"`); }';
    const run = (dialect: Dialect) => {
      const [site] = findSqlSites(parse(code, { range: true, comment: true }) as never, code);
      return runHostRules(site!, embedSql(site!, dialect), activeHostRules(rules, ALL), dialect)
        .filter((d) => d.ruleId === 'no-unsafe-interpolation')
        .map((d) => `${code.slice(d.start, d.end)} ${d.messageId}`);
    };
    expect(run('mysql')).toEqual(['${name} quoted']);
    expect(run('mariadb')).toEqual(['${name} quoted']);
    expect(run('postgresql')).toEqual([]);
  });
});
