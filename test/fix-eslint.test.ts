import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint, Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { ready } from '../src/api.js';
import plugin from '../eslint-plugin/index.js';

beforeAll(() => ready());

/** ESLint's own Linter with the plugin: safe fixes through `fix`, the rest as suggestions. */
function lint(code: string, rules: Record<string, 'warn'>) {
  const linter = new Linter({ configType: 'flat' });
  const config = [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { sqlperf: plugin as never }, rules }];
  return { linter, config, messages: linter.verify(code, config, 'a.ts') };
}

describe('fixes in ESLint', () => {
  it('prefer-exists is fixed by eslint --fix, the hole untouched', () => {
    const code = 'await sql`SELECT id FROM users u WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = ${uid}) > 0`;\n';
    const { linter, config, messages } = lint(code, { 'sqlperf/prefer-exists': 'warn' });
    expect(messages.map((m) => [m.ruleId, m.line, m.column, m.endColumn, Boolean(m.fix), m.suggestions?.length ?? 0])).toEqual([['sqlperf/prefer-exists', 1, 48, 56, true, 0]]);
    expect(linter.verifyAndFix(code, config, 'a.ts').output).toBe('await sql`SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = ${uid})`;\n');
  });

  it('no-not-in-subquery offers NOT EXISTS as a suggestion, which eslint --fix does not apply', () => {
    const code = 'await sql`SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE reason = ${r})`;\n';
    const { linter, config, messages } = lint(code, { 'sqlperf/no-not-in-subquery': 'warn' });
    expect(messages.map((m) => [m.ruleId, m.column, m.endColumn, m.fix, m.suggestions?.map((s) => s.desc)])).toEqual([['sqlperf/no-not-in-subquery', 41, 47, undefined, ['Rewrite as NOT EXISTS (returns rows where NOT IN returned none because of a NULL)']]]);
    const s = messages[0]!.suggestions![0]!.fix;
    expect(code.slice(0, s.range[0]) + s.text + code.slice(s.range[1])).toBe('await sql`SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans WHERE (reason = ${r}) AND user_id = users.id)`;\n');
    expect(linter.verifyAndFix(code, config, 'a.ts').fixed).toBe(false);
  });
});

describe('fixes in .sql files under the sqlperf/sql language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlperf-fix-eslint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('eslint --fix rewrites the file; the fixed SQL has no finding left', async () => {
    const sql = 'SELECT id FROM users u\nWHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) = 0;\n';
    writeFileSync(join(dir, 'q.sql'), sql);
    const config = [{ ...plugin.configs.sql, rules: { 'sqlperf/prefer-exists': 'warn' } }];
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config as never, fix: true });
    const results = await eslint.lintFiles(['q.sql']);
    await ESLint.outputFixes(results);
    expect(results.map((r) => r.messages.length)).toEqual([0]);
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe('SELECT id FROM users u\nWHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);\n');
  });

  it('unindexed-foreign-key offers the index as a suggestion in the migration; once applied, the finding is gone', async () => {
    const project = join(dir, 'fk');
    mkdirSync(join(project, 'migrations'), { recursive: true });
    const migration = 'CREATE TABLE orders (id int PRIMARY KEY);\nCREATE TABLE refunds (id int PRIMARY KEY, order_id int REFERENCES orders (id));\n';
    writeFileSync(join(project, 'migrations', '001_init.sql'), migration);
    // the application queries refunds, so its size may matter
    writeFileSync(join(project, 'app.sql'), 'SELECT id FROM refunds WHERE id = $1;\n');
    const config = [{ ...plugin.configs.sql, rules: { 'sqlperf/unindexed-foreign-key': 'warn' }, settings: { sqlperf: { schema: ['migrations'] } } }];
    const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: config as never });
    const [r] = await eslint.lintFiles(['migrations/001_init.sql']);
    expect(r!.messages.map((m) => [m.ruleId, m.line, m.column, m.fix, m.suggestions?.map((s) => s.desc)])).toEqual([['sqlperf/unindexed-foreign-key', 2, 56, undefined, ['Add CREATE INDEX idx_refunds_order_id ON refunds (order_id); after this statement (in a new migration if this one has already run)']]]);
    const s = r!.messages[0]!.suggestions![0]!.fix;
    writeFileSync(join(project, 'migrations', '001_init.sql'), migration.slice(0, s.range[0]) + s.text + migration.slice(s.range[1]));
    const [again] = await new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: config as never }).lintFiles(['migrations/001_init.sql']);
    expect(again!.messages).toEqual([]);
  });
});
