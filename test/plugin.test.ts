import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { ESLint } from 'eslint';
import plugin, { dataFromMessage } from '../eslint-plugin/index.js';
import { rules as coreRules } from '../rules/index.js';

RuleTester.afterAll = afterAll;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.describe = describe;

const ruleTester = new RuleTester();

describe('meta', () => {
  it('every core rule has a plugin rule with the same description, messages and schema', () => {
    for (const r of coreRules) {
      const eslintRule = plugin.rules[r.name];
      expect(eslintRule, r.name).toBeDefined();
      expect(eslintRule!.meta.docs?.description).toBe(r.description);
      const { raw, ...messages } = eslintRule!.meta.messages as Record<string, string>;
      expect(raw).toBe('{{message}}');
      expect(messages).toEqual(r.messages);
      expect(eslintRule!.meta.schema).toEqual(r.schema ? [r.schema] : []);
    }
    expect(Object.keys(plugin.rules).sort()).toEqual([...coreRules.map((r) => r.name), 'parse-error', 'invalid-directive', 'unused-directive'].sort());
  });

  it('gives ESLint no listeners for a JS/TS file whose text cannot hold SQL; for one that may, Program:exit, and the detection listeners to the first rule only', () => {
    // a new tree per call: the plugin keeps its per-file state by the tree
    const contextFor = (text: string, ast: object = { type: 'Program', body: [], comments: [] }) => ({ settings: {}, cwd: process.cwd(), filename: join(process.cwd(), 'x.ts'), options: [], sourceCode: { text, ast } }) as never;
    const detecting = ['Program:exit', 'TaggedTemplateExpression', 'CallExpression', 'NewExpression', 'VariableDeclarator', 'AssignmentExpression', 'Literal', 'TemplateLiteral', 'BinaryExpression'];
    const createOf = (name: string) => plugin.rules[name]!.create as (context: never) => Record<string, unknown>;
    for (const name of ['no-order-by-random', 'parse-error', 'invalid-directive']) {
      const create = createOf(name);
      expect(Object.keys(create(contextFor('export const labels = { delete: "Delete", select: "Select a plan" };'))), name).toEqual([]);
      expect(Object.keys(create(contextFor('const q = sql`SELECT * FROM t ORDER BY random()`;'))), name).toEqual(detecting);
      expect(Object.keys(create(contextFor("const r = knex('t').where('name', 'ilike', term);"))), name).toEqual(detecting);
    }
    // one traversal drives the detection of a file, whichever rules are on
    const ast = { type: 'Program', body: [], comments: [] };
    const text = 'const q = sql`SELECT * FROM t ORDER BY random()`;';
    expect(Object.keys(createOf('parse-error')(contextFor(text, ast)))).toEqual(detecting);
    expect(Object.keys(createOf('no-order-by-random')(contextFor(text, ast)))).toEqual(['Program:exit']);
  });

  it('configs', () => {
    expect(plugin.meta.name).toBe('sqlperf');
    expect(plugin.meta.namespace).toBe('sqlperf');
    const rec = plugin.configs.recommended.rules as Record<string, string>;
    for (const r of coreRules) expect(rec[`sqlperf/${r.name}`]).toBe(r.recommended ? r.severity : undefined);
    // exactly the rules measured precise on real code (README "Rules", Recommended), and parse-error
    expect(Object.keys(rec).sort()).toEqual(
      ['parse-error', 'invalid-directive', 'max-in-list', 'max-joins', 'no-cartesian-join', 'no-function-on-column', 'no-having-without-aggregate', 'no-order-by-random', 'prefer-exists', 'redundant-index', 'require-insert-columns', 'unindexed-foreign-key'].map((n) => `sqlperf/${n}`).sort(),
    );
    expect(Object.keys(plugin.configs.all.rules as object).length).toBe(coreRules.length + 3); // + parse-error and the two directive rules
    expect(plugin.configs.sql.language).toBe('sqlperf/sql');
  });

  it('recovers message data', () => {
    expect(dataFromMessage('{{count}} joins (max {{max}})', '5 joins (max 3)')).toEqual({ count: '5', max: '3' });
    expect(dataFromMessage('a {{x}} b', 'nope')).toBeUndefined();
  });
});

ruleTester.run('no-select-star', plugin.rules['no-select-star']!, {
  valid: ['const q = sql`SELECT id FROM users`;', "const s = 'Select a plan';", 'const q = sql`SELECT * FROM ${table}`;', '// sqlperf-disable-next-line no-select-star\nconst q = sql`SELECT * FROM users`;', 'const q = sql`SELECT * FROM users WHERE id = ${id}`;'],
  invalid: [
    {
      code: 'const q = sql`SELECT * FROM users WHERE status = ${status}`;',
      errors: [{ messageId: 'star', data: { star: '*', table: 'users' }, line: 1, column: 22, endLine: 1, endColumn: 23 }],
    },
    {
      code: 'async function f() {\n  return await db.query(`\n    SELECT u.*\n    FROM users u`);\n}',
      errors: [{ messageId: 'star', line: 3, column: 12, endLine: 3, endColumn: 15 }],
    },
    {
      code: '// crlf\r\nconst q = sql`\r\n  SELECT *\r\n  FROM users`;',
      errors: [{ messageId: 'star', line: 3, column: 10, endLine: 3, endColumn: 11 }],
    },
  ],
});

ruleTester.run('no-leading-wildcard', plugin.rules['no-leading-wildcard']!, {
  valid: ["const q = sql`SELECT id FROM t WHERE a LIKE 'x%'`;"],
  invalid: [
    {
      code: "const q = sql`SELECT id FROM t WHERE a = ${a} AND b LIKE '%\\`x'`;",
      errors: [{ messageId: 'leading', line: 1, column: 58, endLine: 1, endColumn: 64 }],
    },
  ],
});

ruleTester.run('max-joins', plugin.rules['max-joins']!, {
  valid: [
    { code: 'const q = sql`SELECT a.id FROM a JOIN b ON b.id = a.id JOIN c ON c.id = a.id`;', options: [{ max: 2 }] },
    { code: 'const q = sql`SELECT a.id FROM a JOIN b ON b.id = a.id JOIN c ON c.id = a.id JOIN d ON d.id = a.id JOIN e ON e.id = a.id`;', options: [{ max: 4 }] },
  ],
  invalid: [
    {
      code: 'const q = sql`SELECT a.id FROM a JOIN b ON b.id = a.id JOIN c ON c.id = a.id`;',
      options: [{ max: 1 }],
      errors: [{ messageId: 'tooMany', data: { joins: '2 joins', max: 1 }, line: 1, column: 56, endLine: 1, endColumn: 62 }],
    },
  ],
});

ruleTester.run('parse-error', plugin.rules['parse-error']!, {
  valid: ['const q = sql`SELECT 1`;', 'const w = sql`WHERE a = ${a}`;', 'const q = "SELECT a, FROM t WHERE";'],
  invalid: [
    {
      code: 'const q = sql`SELEC id FROM t`;',
      errors: [{ messageId: 'syntax', line: 1, column: 15, endLine: 1, endColumn: 20 }],
    },
  ],
});

// the CLI's ids for the same directive problems (src/directives.ts): one name in both front ends
ruleTester.run('invalid-directive', plugin.rules['invalid-directive']!, {
  valid: ['// sqlperf-disable-next-line no-select-star\nconst q = sql`SELECT * FROM t`;'],
  invalid: [
    {
      code: '// sqlperf-disable-next-line no-such-rule\nconst q = sql`SELECT 1`;',
      errors: [{ messageId: 'unknownRule', line: 1, column: 1, endLine: 1, endColumn: 42 }],
    },
  ],
});

ruleTester.run('unused-directive', plugin.rules['unused-directive']!, {
  valid: ['// sqlperf-disable-next-line no-order-by-random\nconst q = sql`SELECT id FROM t ORDER BY random()`;'],
  invalid: [
    {
      code: '// sqlperf-disable-next-line no-order-by-random\nconst q = sql`SELECT id FROM t ORDER BY id`;',
      errors: [{ messageId: 'unused', data: { message: 'Unused sqlperf-disable-next-line directive (no problems were reported from \'no-order-by-random\').' }, line: 1, column: 1 }],
    },
  ],
});

describe('ESLint end to end', () => {
  const cwd = fileURLToPath(new URL('../fixtures/embed/', import.meta.url));

  it('lints TS files and SQL files with the configs', async () => {
    const eslint = new ESLint({
      cwd,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: (await import('@typescript-eslint/parser')).default } }, plugin.configs.recommended as never, plugin.configs.sql as never, { rules: { 'sqlperf/no-select-star': 'warn', 'sqlperf/no-leading-wildcard': 'warn' } }],
    });
    const results = await eslint.lintFiles(['users.ts', 'orders.ts', 'clean.ts', 'report.sql']);
    const summary = Object.fromEntries(
      results.map((r) => [r.filePath.slice(cwd.length), r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`)]),
    );
    expect(summary).toEqual({
      'users.ts': ['sqlperf/no-select-star 5:12-5:13', 'sqlperf/no-leading-wildcard 7:22-7:25'],
      'orders.ts': ['sqlperf/no-leading-wildcard 4:42-4:49', 'sqlperf/parse-error 6:24-6:29'],
      'clean.ts': [],
      'report.sql': ['sqlperf/no-select-star 1:8-1:9', 'sqlperf/no-leading-wildcard 4:38-4:42'],
    });
  });

  it('with some rules on (the plugin runs only those), reports what those rules report with every rule on', async () => {
    const parser = (await import('@typescript-eslint/parser')).default;
    const all = plugin.configs.all as { rules: Record<string, unknown> };
    const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const lint = async (rules: Record<string, unknown>) => {
      const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser } }, { files: ['**/*.ts'], plugins: { sqlperf: plugin }, rules } as never, { ...(plugin.configs.sql as object), rules } as never] });
      const results = await eslint.lintFiles(['demo', 'embed']);
      // ESLint's own notes (an eslint-disable comment for a rule that is off) are not the plugin's
      return results.flatMap((r) => r.messages.filter((m) => m.ruleId !== null).map((m) => `${r.filePath.slice(root.length)} ${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.message}`)).sort();
    };
    const everything = await lint(all.rules);
    const recommended = plugin.configs.recommended.rules as Record<string, unknown>;
    for (const some of [['sqlperf/no-select-star', 'sqlperf/no-leading-wildcard', 'sqlperf/parse-error'], Object.keys(recommended)]) {
      const only = await lint(Object.fromEntries(some.map((r) => [r, 'warn'])));
      // rules outside the subset report with every rule on, and the subset reports: the comparison is not vacuous
      expect(everything.some((f) => !some.includes(f.split(' ')[1]!))).toBe(true);
      expect(only.length).toBeGreaterThan(2);
      expect(only).toEqual(everything.filter((f) => some.includes(f.split(' ')[1]!)));
    }
  });

  it('settings.sqlperf.tags (added to the default tags) and dialect apply', async () => {
    const lint = async (settings: Record<string, unknown>) => {
      const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never, { rules: { 'sqlperf/no-select-star': 'warn' }, settings: { sqlperf: settings } }] });
      const [r] = await eslint.lintText('const a = q`SELECT * FROM t`; const b = sql`SELECT * FROM t`;', { filePath: 'x.js' });
      return r!.messages.map((m) => `${m.ruleId} ${m.column}`);
    };
    expect(await lint({ dialect: 'mysql', tags: ['q'] })).toEqual(['sqlperf/no-select-star 20', 'sqlperf/no-select-star 52']);
    expect(await lint({ dialect: 'mysql', tags: ['q'], extendDefaultTags: false })).toEqual(['sqlperf/no-select-star 20']);
  });

  it('a schema path that does not exist is reported at 1:1, naming the setting and the folder it is relative to', async () => {
    const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never, { settings: { sqlperf: { schema: ['db/nope.sql'] } } }] });
    const [r] = await eslint.lintText('const a = 1;', { filePath: 'x.js' });
    expect(r!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual([`1:1 sqlperf/parse-error settings.sqlperf.schema: db/nope.sql matches no file (relative to ESLint's cwd ${join(cwd, '.')})`]);
  });

  it('schema: true in a monorepo where several packages have a schema says so, as the CLI does, and uses none', async () => {
    const mono = mkdtempSync(join(tmpdir(), 'sqlperf-plugin-mono-'));
    try {
      for (const [f, text] of Object.entries({ 'package.json': '{}', 'apps/api/migrations/1.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n', 'services/billing/db/schema.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n' })) {
        mkdirSync(dirname(join(mono, f)), { recursive: true });
        writeFileSync(join(mono, f), text);
      }
      const eslint = new ESLint({ cwd: mono, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as never, { settings: { sqlperf: { schema: true } } }] });
      const [r] = await eslint.lintText('const a = 1;', { filePath: 'x.js' });
      expect(r!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual(['1:1 sqlperf/parse-error settings.sqlperf.schema: several packages have a schema (apps/api/migrations, services/billing/db/schema.sql): none used; name one with settings.sqlperf.schema: [<its folder>]']);
    } finally {
      rmSync(mono, { recursive: true, force: true });
    }
  });

  it('settings.sqlperf.schema gives the editor the schema rules, at the places the CLI reports them', async () => {
    const pg = fileURLToPath(new URL('../fixtures/schema/pg/', import.meta.url));
    const lintWith = async (schema: unknown) => {
      const eslint = new ESLint({ cwd: pg, overrideConfigFile: true, overrideConfig: [plugin.configs.all as never, plugin.configs.sql as never, { settings: { sqlperf: { schema } } }] });
      const [r] = await eslint.lintFiles(['queries.sql']);
      return r!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`).filter((m) => /missing-index|unknown-/.test(m));
    };
    const expected = ['4:29 sqlperf/missing-index', '6:28 sqlperf/missing-index', '7:12 sqlperf/unknown-column', '8:16 sqlperf/unknown-table', '9:24 sqlperf/unknown-table'];
    expect(await lintWith(['prisma/migrations'])).toEqual(expected);
    expect(await lintWith(true)).toEqual(expected);
    expect(await lintWith(undefined)).toEqual([]);
  });

  it('a migration of the schema itself is not checked against the final schema, as in the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-plugin-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_init.sql'), 'CREATE TABLE legacy (id int PRIMARY KEY, note text);\n');
    writeFileSync(join(dir, 'migrations', '002_move.sql'), "UPDATE legacy SET note = 'x' WHERE id = 1;\nDROP TABLE legacy;\n");
    writeFileSync(join(dir, 'app.sql'), 'SELECT note FROM legacy WHERE id = 1;\n');
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.all as never, plugin.configs.sql as never, { settings: { sqlperf: { schema: true } } }] });
    const results = await eslint.lintFiles(['migrations/002_move.sql', 'app.sql']);
    const ids = results.map((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`));
    expect(ids).toEqual([[], ['1:18 sqlperf/unknown-table']]);
    rmSync(dir, { recursive: true, force: true });
  });
});
