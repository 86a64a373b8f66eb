/**
 * The site detection driven node by node from ESLint's traversal (`siteDetector().visitLinked`,
 * what the plugin does) finds exactly the sites `findSqlSites` finds with its own walk, on ESLint's
 * tree and on oxc-parser's (the CLI's): the same literals, found the same way, with the same parts
 * and holes. SQL in decorators and type positions, which the walk does not read, stays unread.
 */
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { DETECTED_NODE_TYPES, findSqlSites, siteDetector, type SqlSite } from '../src/embed/detect.js';
import type { AstNode, AstProgram } from '../src/embed/estree.js';
import { parseHost } from '../src/embed/parse-host.js';

/** Sites as plain data (their enumerable fields), without the host code. */
const plain = (sites: readonly SqlSite[]) => sites.map(({ code: _code, ...s }) => JSON.parse(JSON.stringify(s)) as unknown);

/** The sites of `code` found during ESLint's traversal, and those `findSqlSites` finds walking the same tree. */
function eslintSites(code: string): { linked: SqlSite[]; walked: SqlSite[] } {
  const out: { linked: SqlSite[]; walked: SqlSite[] } = { linked: [], walked: [] };
  const rule = {
    create(context: { sourceCode: { ast: unknown; text: string } }) {
      const program = context.sourceCode.ast as AstProgram;
      const detector = siteDetector(program, context.sourceCode.text);
      const listeners: Record<string, (node: AstNode) => void> = {
        'Program:exit': () => {
          out.linked = detector.finish();
          out.walked = findSqlSites(program, context.sourceCode.text);
        },
      };
      for (const type of DETECTED_NODE_TYPES) listeners[type] = (node) => detector.visitLinked(node);
      return listeners;
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { t: { rules: { sites: rule as never } } }, rules: { 't/sites': 'error' } }], 'x.ts');
  expect(messages).toEqual([]);
  return out;
}

const CASES: Record<string, string> = {
  'tags, calls, comments, heuristics and nesting': [
    "import { sql } from './db';",
    'const byId = (id: number) => sql`SELECT * FROM users WHERE id = ${id} AND ${sql`org = ${1}`}`;',
    "await db.query('SELECT id FROM orders WHERE status = $1', ['open']);",
    'const report = /* sql */ `SELECT count(*) FROM events`;',
    "const q = 'SELECT name FROM projects WHERE owner = ' + owner + ' ORDER BY name';",
    "export const queries = { list: 'SELECT id, email FROM users LIMIT 10', label: 'Select a plan' };",
    "knex('t').whereRaw('lower(email) = ?', [email]).orderByRaw(cond ? 'name DESC' : 'id');",
  ].join('\n'),
  'variables resolved to the call they reach, per function': [
    'async function a(db: Db, id: number) {',
    "  let text = 'SELECT * FROM users WHERE true';",
    "  if (id) text += ' AND id = $1';",
    '  return db.query(text, [id]);',
    '}',
    'async function b(db: Db) {',
    '  const text = `DELETE FROM sessions WHERE expires < now()`;',
    '  await db.query({ text, values: [] });',
    '  return db.query(text);',
    '}',
  ].join('\n'),
  'ClickHouse functions bound by destructuring, in their scope only': [
    'function f(clickhouse: Ch) {',
    '  const { rawQuery } = clickhouse;',
    "  return rawQuery('SELECT count() FROM hits FINAL');",
    '}',
    "function g() { return rawQuery('SELECT count(*) FROM hits'); }",
  ].join('\n'),
  'SQL in decorators and types is not read, as by the walk': [
    '@Entity(/* sql */ `SELECT * FROM decorated`)',
    'class Repo {',
    "  @Query('SELECT * FROM users WHERE id = $1') byId!: () => Promise<unknown>;",
    "  run(): Promise<Rows<'SELECT * FROM typed'>> { return this.db.query<'SELECT 1 FROM t'>('SELECT id FROM repos'); }",
    '}',
    "type Q = /* sql */ 'SELECT * FROM alias';",
    "const x = y as /* sql */ 'SELECT * FROM cast';",
    "const z = sql`SELECT * FROM t WHERE a = ${b as 'SELECT 1 FROM u'}`;",
  ].join('\n'),
};

describe('siteDetector driven by ESLint listeners', () => {
  for (const [name, code] of Object.entries(CASES)) {
    it(name, () => {
      const { linked, walked } = eslintSites(code);
      const host = parseHost(code, 'x.ts');
      if (!host.ok) throw new Error(host.message);
      const oxc = findSqlSites(host.program, code);
      expect(plain(linked)).toEqual(plain(walked));
      expect(plain(linked)).toEqual(plain(oxc));
      expect(linked.length).toBeGreaterThan(0);
    });
  }

  it('reads no literal in a decorator or a type, and the code beside them as usual', () => {
    const code = CASES['SQL in decorators and types is not read, as by the walk']!;
    const texts = eslintSites(code).linked.map((s) => code.slice(s.range[0], s.range[1]));
    expect(texts).toEqual(["'SELECT id FROM repos'", '`SELECT * FROM t WHERE a = ${b as \'SELECT 1 FROM u\'}`']);
  });
});
