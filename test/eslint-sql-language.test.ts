// The `sqlperf/sql` language next to the configs most projects already have. A config without
// `files` applies to `.sql` files too, so every core rule and every typescript-eslint rule that
// needs no type information must run on the SQL language's source code without crashing.
// @eslint/js is not installed here: its `recommended` config is, by definition, the core rules
// whose `meta.docs.recommended` is true, so the test builds it from ESLint's own rule list.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';
import plugin from '../eslint-plugin/index.js';
import { sqlLanguage } from '../eslint-plugin/language.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-eslint-lang-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsRecommended = { name: 'js/recommended (core rules with docs.recommended)', rules: Object.fromEntries([...builtinRules].filter(([, r]) => r.meta?.docs?.recommended).map(([id]) => [id, 'error'])) };

const SQL = ['-- Reports for the dashboard', 'SELECT id FROM orders WHERE lower(email) = $1;', '/* Totals */', 'SELECT count(*) FROM orders;', ''].join('\n');
const TS = "import { sql } from './db';\nexport const q = sql`SELECT id FROM users WHERE lower(email) = ${'a'}`;\n";
writeFileSync(join(dir, 'reports.sql'), SQL);
writeFileSync(join(dir, 'users.ts'), TS);

type Summary = Record<string, string[]>;
async function lint(config: unknown[], files: string[]): Promise<Summary> {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config as never });
  const results = await eslint.lintFiles(files);
  return Object.fromEntries(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`)]));
}

const fn = (line: number, column: number, end: number) => `sqlperf/no-function-on-column ${line}:${column}-${line}:${end}`;

describe('configs.sql next to the common configs (issue 18)', () => {
  it('js recommended (unscoped) + tseslint recommended + sqlperf recommended + sql: both file kinds linted, only sqlperf findings', async () => {
    expect(jsRecommended.rules['no-irregular-whitespace']).toBe('error');
    expect(Object.keys(jsRecommended.rules).length).toBeGreaterThan(50);
    const summary = await lint([jsRecommended, ...tseslint.configs.recommended, plugin.configs.recommended, plugin.configs.sql], ['reports.sql', 'users.ts']);
    expect(summary).toEqual({ 'reports.sql': [fn(2, 29, 41)], 'users.ts': [fn(2, 49, 61)] });
  });

  it('each configs order gives the same result (sql first, then the JS configs)', async () => {
    const summary = await lint([plugin.configs.sql, plugin.configs.recommended, jsRecommended, ...tseslint.configs.recommended], ['reports.sql']);
    expect(summary).toEqual({ 'reports.sql': [fn(2, 29, 41)] });
  });

  it('every core rule and every untyped typescript-eslint rule runs on a .sql file; only the comment rules have something to say', async () => {
    const core = Object.fromEntries([...builtinRules].filter(([, r]) => !r.meta?.deprecated).map(([id]) => [id, 'error']));
    const ts = Object.fromEntries(
      Object.entries((tseslint.plugin as unknown as { rules: Record<string, { meta: { deprecated?: unknown; docs?: { requiresTypeChecking?: boolean } } }> }).rules)
        .filter(([, r]) => !r.meta.deprecated && !r.meta.docs?.requiresTypeChecking)
        .map(([id]) => [`@typescript-eslint/${id}`, 'error']),
    );
    expect(Object.keys(core).length).toBeGreaterThan(150);
    expect(Object.keys(ts).length).toBeGreaterThan(50);
    writeFileSync(join(dir, 'todo.sql'), '-- todo: index this\nSELECT id FROM t;\n');
    const summary = await lint([{ plugins: { '@typescript-eslint': tseslint.plugin }, rules: { ...core, ...ts } }, plugin.configs.sql], ['todo.sql']);
    // `-- todo: ...` is a lowercase comment and a warning comment: text rules read SQL comments as comments
    expect(summary).toEqual({ 'todo.sql': ['capitalized-comments 1:1-1:20', 'no-warning-comments 1:1-1:20'] });
  });
});

describe('the SQL source code', () => {
  it('directives in -- and /* */ comments, and inline rule config', async () => {
    writeFileSync(
      join(dir, 'directives.sql'),
      [
        'SELECT * FROM a;',
        '-- eslint-disable-next-line sqlperf/no-select-star -- legacy view',
        'SELECT * FROM b;',
        'SELECT * FROM c; -- eslint-disable-line sqlperf/no-select-star',
        '/* eslint sqlperf/no-function-on-column: off */',
        'SELECT id FROM d WHERE lower(x) = $1;',
        '-- eslint-disable',
        'SELECT * FROM e;',
        '',
      ].join('\n'),
    );
    const summary = await lint([plugin.configs.sql, { files: ['**/*.sql'], rules: { 'sqlperf/no-select-star': 'warn', 'sqlperf/no-function-on-column': 'warn' } }], ['directives.sql']);
    expect(summary).toEqual({ 'directives.sql': ['sqlperf/no-select-star 1:8-1:9'] });
  });

  it('lines break as ESLint breaks them (\\r\\n, \\r, \\n, U+2028, U+2029): positions after them are exact', async () => {
    // in SQL a `--` comment ends only at \n or \r; U+2028/U+2029 inside a block comment still break ESLint's lines
    const text = "SELECT 1;\r\n/* a\u2028b\u2029c */\rSELECT id FROM t WHERE lower(e) = 'x';\n-- end";
    writeFileSync(join(dir, 'breaks.sql'), text);
    const summary = await lint([plugin.configs.sql, { files: ['**/*.sql'], rules: { 'sqlperf/no-function-on-column': 'warn' } }], ['breaks.sql']);
    expect(summary).toEqual({ 'breaks.sql': [fn(5, 24, 32)] });
    const { ast } = sqlLanguage.parse({ body: text });
    expect(ast.comments.map((c) => [c.type, c.value, `${c.loc.start.line}:${c.loc.start.column}-${c.loc.end.line}:${c.loc.end.column}`])).toEqual([
      ['Block', ' a\u2028b\u2029c ', '2:0-4:4'],
      ['Line', ' end', '6:0-6:6'],
    ]);
    const code = sqlLanguage.createSourceCode({ body: 'a\u2028b\u2029c\r\nd' }, sqlLanguage.parse({ body: 'a\u2028b\u2029c\r\nd' }));
    expect(code.lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('an unterminated block comment runs to the end; psql meta-commands are not comments', () => {
    const { ast } = sqlLanguage.parse({ body: '\\set x 1\nSELECT 1; /* open' });
    expect(ast.comments.map((c) => [c.type, c.value, c.range])).toEqual([['Block', ' open', [19, 26]]]);
  });

  it('time grows linearly with the number of comment lines (was a line scan per comment)', () => {
    const cpu = (n: number): number => {
      const text = Array.from({ length: n }, (_, i) => `-- comment ${i}`).join('\n') + '\nSELECT 1;\n';
      let best = Infinity;
      for (let k = 0; k < 2; k++) {
        const t = process.cpuUsage();
        const parsed = sqlLanguage.parse({ body: text });
        sqlLanguage.createSourceCode({ body: text }, parsed).getDisableDirectives();
        const d = process.cpuUsage(t);
        best = Math.min(best, d.user + d.system);
      }
      return best;
    };
    cpu(10_000); // warm up
    const small = cpu(30_000);
    const large = cpu(120_000);
    // 4x the input: linear is ~4x the time (up to ~7x when the small run fits the young heap), a line scan per comment ~16x
    expect(large / small).toBeLessThan(10);
  }, 120_000);
});
