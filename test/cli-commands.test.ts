import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, sqlperf } from './cli-helpers.js';

const project = join(fixtures, 'project');
const host = join(fixtures, 'host');
beforeAll(() => ensureBuilt(), 240_000);

describe('sqlperf analyze', () => {
  it('explains a query: cost and factors, index suggestions, diagnostics (text)', () => {
    const r = sqlperf(['analyze', '--rule', 'no-select-star:warn', 'SELECT * FROM orders WHERE customer_id = 1 ORDER BY created_at']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Statement 1 (line 1): SELECT * FROM orders WHERE customer_id = 1 ORDER BY created_at',
        '  Cost: 8 (low)',
        '      +1  one statement (1:1)',
        '      +3  * reads every column (1:8)',
        '      +4  ORDER BY without LIMIT sorts the whole result (1:53)',
        '  Suggested indexes:',
        '    CREATE INDEX idx_orders_customer_id_created_at ON orders (customer_id, created_at);',
        '  Diagnostics:',
        '    1:8  warning  * returns every column of every matching row of orders, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses  no-select-star',
        '',
      ].join('\n'),
    );
  });

  it('reads stdin and prints JSON; unparsable SQL exits 1', () => {
    const r = sqlperf(['analyze', '--format', 'json'], { input: 'SELECT id FROM t WHERE a = 1 AND b > 2;\nSELECT id FORM t;' });
    expect(r.code).toBe(1);
    const { statements } = JSON.parse(r.stdout);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toEqual({
      sql: 'SELECT id FROM t WHERE a = 1 AND b > 2',
      line: 1,
      column: 1,
      cost: { score: 1, level: 'low', factors: [{ id: 'base', reason: 'one statement', weight: 1, line: 1, column: 1 }] },
      indexes: [{ table: 't', columns: ['a', 'b'], statement: 'CREATE INDEX idx_t_a_b ON t (a, b);' }],
      diagnostics: [],
    });
    expect(statements[1].cost).toBeNull();
    expect(statements[1].diagnostics[0]).toMatchObject({ ruleId: 'parse-error', severity: 2, line: 2, column: 16 });
  });

  it('--file explains each statement of a file; a missing file is exit 2', () => {
    const r = sqlperf(['analyze', '--file', 'db/orders.sql'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Statement 2 (line 4)');
    expect(sqlperf(['analyze', '--file', 'nope.sql'], { cwd: project })).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: cannot read nope.sql: no such file\n' });
  });

  it('--dialect picks the parser', () => {
    const r = sqlperf(['analyze', '--dialect', 'mysql', '-f', 'json', 'SELECT `id` FROM `t` ORDER BY RAND() LIMIT 1']);
    expect(JSON.parse(r.stdout).statements[0].diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual(['no-order-by-random']);
  });
});

describe('sqlperf indexes', () => {
  it('merges suggestions across files (a prefix folds into the longer index), ranked by queries served', () => {
    const r = sqlperf(['indexes', '.'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('sqlperf: left out 1 statement that did not parse (run `sqlperf lint` to see them)\n');
    const lines = r.stdout.trimEnd().split('\n');
    // each query with its static cost, costliest first
    expect(lines[0]).toBe('CREATE INDEX idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);  -- 2 queries (cost 9): db/orders.sql:2:1 (cost 8), db/clean.sql:1:1 (cost 1)');
    // the leading-wildcard search gets a trigram index: the extension first, the trade-off after; among
    // indexes serving one query each, the costlier query's comes first
    expect(lines.slice(1)).toEqual([
      'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
      'CREATE INDEX idx_users_email_trgm ON users USING gin (email gin_trgm_ops);  -- 1 query: db/users.sql:1:1 (cost 9)',
      '  -- a trigram GIN index serves LIKE/ILIKE with a leading wildcard, but is often several times the size of the column data and slows every insert and update of it',
      'CREATE INDEX idx_invoices_customer_id ON invoices (customer_id);  -- 1 query: db/broken.sql:2:1 (cost 4)',
      'CREATE INDEX idx_orders_customer_id_status ON orders (customer_id, status);  -- 1 query: db/orders.sql:4:1 (cost 1)',
      'CREATE INDEX idx_users_customer_id ON users (customer_id);  -- 1 query: db/users.sql:2:1 (cost 1)',
    ]);
    expect(lines).toHaveLength(7);
  });

  it('--format sql prints a migration; --format json the data', () => {
    const sql = sqlperf(['indexes', '-f', 'sql', 'db'], { cwd: project });
    expect(sql.stdout).toMatch(/^-- Index suggestions from sqlperf/);
    expect(sql.stdout).toContain("-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: run each statement on its own (not in a migration tool's transaction).\n");
    expect(sql.stdout).toContain("\nSET lock_timeout = '5s';\nSET statement_timeout = 0;\n\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n");
    expect(sql.stdout).toContain('-- serves 2 queries (cost 9): db/orders.sql:2:1 (cost 8), db/clean.sql:1:1 (cost 1)\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);\n');
    const json = JSON.parse(sqlperf(['indexes', '-f', 'json', 'db'], { cwd: project }).stdout);
    expect(json[0]).toEqual({ table: 'orders', columns: ['customer_id', 'created_at DESC'], statement: 'CREATE INDEX idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);', online: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);', places: ['db/orders.sql:2:1', 'db/clean.sql:1:1'], queries: [{ place: 'db/orders.sql:2:1', cost: 8 }, { place: 'db/clean.sql:1:1', cost: 1 }], cost: 9 });
  });

  it('merges an index whose columns are a leading prefix of another on the same table', () => {
    const r = sqlperf(['indexes', '-f', 'json', 'indexes'], { cwd: fixtures });
    const json = JSON.parse(r.stdout) as Array<{ statement: string; places: string[] }>;
    expect(json.map((x) => [x.statement, x.places.length])).toEqual([['CREATE INDEX idx_events_account_id_kind_created_at ON events (account_id, kind, created_at);', 3]]);
  });
});

describe('sqlperf indexes over JS/TS files', () => {
  it('finds the SQL sites, places each suggestion at its statement in the host file, merges with .sql files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-idx-'));
    try {
      writeFileSync(join(dir, 'q.sql'), 'SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC;\n');
      // CRLF line ends, a multi-line template with a hole, a query call, a file without SQL, one that is not valid TS
      const ts = ['import { sql } from "./db";', '', 'export const a = (id: string) => sql`', '  SELECT id, total', '    FROM orders', '   WHERE customer_id = ${id}', '   ORDER BY created_at DESC`;', '', 'export const b = (db: any, e: string) => db.query("SELECT id FROM users WHERE email = $1", [e]);', ''].join('\r\n');
      writeFileSync(join(dir, 'repo.ts'), ts);
      writeFileSync(join(dir, 'plain.ts'), 'export const label = "Select a plan";\n');
      writeFileSync(join(dir, 'broken.ts'), 'const q = sql`SELECT * FROM t WHERE a = ${a}`;\nexport const = ;\n');
      const r = sqlperf(['indexes', '-f', 'json', '.'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^sqlperf: skipping broken\.ts: not valid JavaScript\/TypeScript/);
      expect(JSON.parse(r.stdout)).toEqual([
        { table: 'orders', columns: ['customer_id', 'created_at DESC'], statement: 'CREATE INDEX idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);', online: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC);', places: ['q.sql:1:1', 'repo.ts:4:3'], queries: [{ place: 'q.sql:1:1', cost: 5 }, { place: 'repo.ts:4:3', cost: 5 }], cost: 10 },
        { table: 'users', columns: ['email'], statement: 'CREATE INDEX idx_users_email ON users (email);', online: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);', places: ['repo.ts:9:52'], queries: [{ place: 'repo.ts:9:52', cost: 1 }], cost: 1 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sqlperf rules / explain', () => {
  it('lists every rule with category, default severity, recommended, contexts and description', () => {
    const r = sqlperf(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Rule\s+Category\s+Default\s+Recommended\s+Runs in\s+Description$/);
    expect(r.stdout).toMatch(/\nno-select-star\s+performance\s+warn\s+no\s+app\s+Disallow `SELECT \*` and `t\.\*` over tables\n/);
    expect(r.stdout).toMatch(/\nredundant-index\s+performance\s+warn\s+yes\s+app,migration\s+/);
    const json = JSON.parse(sqlperf(['rules', '-f', 'json']).stdout) as Array<{ id: string; contexts: string[] }>;
    expect(json.map((x) => x.id)).toContain('parse-error');
    expect(json.find((x) => x.id === 'require-where')!.contexts).toEqual(['app']);
  });

  it("explains one rule: what, why, bad and good examples", () => {
    const r = sqlperf(['explain', 'no-select-star']);
    expect(r.code).toBe(0);
    for (const part of ['no-select-star  (performance, warn by default, not recommended, runs in app)', 'What it does', 'Why is this bad?', 'Bad\n    SELECT * FROM orders WHERE customer_id = $1', 'Good\n']) expect(r.stdout).toContain(part);
  });

  it('an unknown rule is exit 2 with a suggestion', () => {
    expect(sqlperf(['explain', 'no-selct-star'])).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: unknown rule "no-selct-star"; did you mean "no-select-star"? (run `sqlperf rules` for the list)\n' });
  });
});

describe('SQL in JS/TS files', () => {
  it('lints SQL sites in TS, skips files without SQL, reports host positions', () => {
    const r = sqlperf(['lint', '--stats', '-f', 'json', '--rule', 'no-select-star:warn', '.'], { cwd: host });
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<Record<string, unknown>> }>;
    const repo = res.find((f) => f.filePath.endsWith('repo.ts'))!;
    expect(repo.messages).toEqual([{ ruleId: 'no-select-star', severity: 1, message: '* returns every column of every matching row of users, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses', messageId: 'star', line: 4, column: 21, endLine: 4, endColumn: 22 }]);
    expect(res.find((f) => f.filePath.endsWith('plain.ts'))!.messages).toEqual([]);
    expect(r.stderr).toBe('sqlperf stats:\n  JS/TS  2 files, 1 SQL sites found, 1 analysed, 0 skipped, 0 failed\n         by context: 2 app (files; rules apply per context, see `sqlperf rules`)\n         statements (no DDL, DO blocks, fragments or ClickHouse): 1 of 1 analysed (100.0%)\n  config: none found (defaults)\n');
  });
});
