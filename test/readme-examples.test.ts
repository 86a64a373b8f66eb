import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { COST_BEGIN, COST_END, renderCostTable } from '../scripts/readme-cost.js';
import { analyze, ConfigError, ready } from '../src/api.js';
import { ensureBuilt, root, sqlperf } from './cli-helpers.js';

// The README's claims, checked by running what it shows: the library snippet, the CLI commands
// against the demo project, and the output it quotes.
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The body of the first fenced block of `lang` after `heading`. */
function block(heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  expect(at, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const open = readme.indexOf('```' + lang + '\n', at);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + 4 + lang.length, close);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  ensureBuilt();
  await ready();
});

describe('README cost model', () => {
  it('cost table matches src/cost.ts (run `npm run docs` to regenerate)', () => {
    expect(readme.slice(readme.indexOf(COST_BEGIN), readme.indexOf(COST_END) + COST_END.length)).toBe(renderCostTable());
  });
});

describe('README: as a library', () => {
  it('the snippet runs against the built package and prints what its comments say', () => {
    const code = block('## As a library', 'ts');
    expect(code).toContain("from 'sqlperf'");
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-readme-'));
    try {
      const file = join(dir, 'snippet.mjs');
      // the package's own entry ("exports" "."), as `import ... from 'sqlperf'` resolves it
      const entry = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['.'].default as string;
      writeFileSync(file, code.replace("from 'sqlperf'", `from ${JSON.stringify(pathToFileURL(join(root, entry)).href)}`));
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = squash(r.stdout);
      const claims = code
        .split('\n')
        .filter((l) => l.startsWith('// '))
        .map((l) => squash(l.slice(3).replace(/\s*\.\.\.$/, '')));
      expect(claims.length).toBe(2);
      let from = 0;
      for (const c of claims) {
        const i = out.indexOf(c, from);
        expect(i, `output has "${c}" after offset ${from}: ${out}`).toBeGreaterThanOrEqual(from);
        from = i + c.length;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('no SQL makes analyze throw; an unknown dialect or bad rule settings throw a ConfigError naming them', () => {
    const r = analyze('SELECT FROM WHERE (;\nSELECT id FROM t WHERE a = 1', { dialect: 'postgresql' });
    expect(r.statements.map((s) => s.kind)).toEqual(['unparsed', 'select']);
    expect(r.diagnostics.map((d) => d.ruleId)).toEqual(['parse-error']);
    // the CLI's spellings are accepted
    expect(analyze('SELECT 1', { dialect: 'postgres' as never }).dialect).toBe('postgresql');
    expect(analyze('SELECT 1', { dialect: 'MSSQL' as never }).dialect).toBe('transactsql');
    expect(() => analyze('SELECT 1', { dialect: 'oracle' as never })).toThrow(new ConfigError('analyze: unknown dialect "oracle"; use one of postgresql, mysql, mariadb, sqlite, bigquery, transactsql, snowflake'));
    expect(() => analyze('SELECT 1', { dialect: 'oracle' as never })).toThrow(ConfigError);
    expect(() => analyze('SELECT 1', { rules: { 'no-such-rule': 'warn' } })).toThrow(/unknown rule "no-such-rule"/);
    expect(() => analyze(42 as never)).toThrow('analyze: the SQL text must be a string (got number)');
  });
});

describe('README: the CLI against the demo project', () => {
  it('`npm run demo` lints SQL files and TypeScript files with embedded SQL in fixtures/demo', () => {
    const r = sqlperf(['lint', 'fixtures/demo', '-f', 'json']);
    expect(r.code === 0 || r.code === 1).toBe(true);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: unknown[] }>;
    expect(results.map((f) => f.filePath.slice(root.length + 1)).sort()).toEqual([
      'fixtures/demo/migrations/001_init.sql',
      'fixtures/demo/migrations/002_order_indexes.sql',
      'fixtures/demo/sql/maintenance.sql',
      'fixtures/demo/sql/reports.sql',
      'fixtures/demo/src/db.ts',
      'fixtures/demo/src/orders.ts',
    ]);
    expect(results.find((f) => f.filePath.endsWith('reports.sql'))!.messages.length).toBeGreaterThan(0);
  });
  it('the analyze output quoted under "Index suggestions" is what `sqlperf analyze --file fixtures/demo/sql/reports.sql` prints', () => {
    const quoted = block('On the demo (`sqlperf analyze --file fixtures/demo/sql/reports.sql`', '').split('\n');
    const r = sqlperf(['analyze', '--file', 'fixtures/demo/sql/reports.sql']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // every quoted line, in order, is a line of the output (the quote leaves statements and factor lines out)
    let at = 0;
    for (const q of quoted.filter((l) => l.trim())) {
      const i = lines.findIndex((l, k) => k >= at && (q.endsWith('...') ? l.startsWith(q.slice(0, -3)) : l === q));
      expect(i, `README line not in the output (in order): ${q}\n${r.stdout}`).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
  });
  it('the commands of "The CLI" that need no project run: analyze, rules, explain', () => {
    const a = sqlperf(['analyze', 'SELECT * FROM orders WHERE customer_id = 1 ORDER BY created_at']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^Statement 1 \(line 1\): SELECT \* FROM orders/);
    const list = sqlperf(['rules']);
    expect(list.code).toBe(0);
    for (const rule of rules) expect(list.stdout).toContain(rule.name);
    const explain = sqlperf(['explain', 'no-select-star']);
    expect(explain.code).toBe(0);
    const star = rules.find((x) => x.name === 'no-select-star')!;
    expect(explain.stdout).toContain(star.docs.bad);
    expect(explain.stdout).toContain(star.docs.good);
  });
});
