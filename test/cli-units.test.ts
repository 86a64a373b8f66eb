import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS, lintHostSource } from '../src/embed/index.js';
import { mergeAcross } from '../src/cli/commands/indexes.js';
import { mayHoldSql } from '../src/cli/engine.js';
import { globToRegExp, matcher } from '../src/glob.js';
import { progress } from '../src/cli/progress.js';
import { indexName, type IndexSuggestion } from '../src/indexes.js';

const root = join(import.meta.dirname, '..');

describe('glob matcher', () => {
  it('matches like fast-glob, anchored at the base; a matched folder matches its content', () => {
    expect(globToRegExp('**/*.sql').test('a/b/c.sql')).toBe(true);
    expect(globToRegExp('**/*.sql').test('c.sql')).toBe(true);
    expect(globToRegExp('*.sql').test('a/c.sql')).toBe(false);
    expect(globToRegExp('db/{a,b}.sql').test('db/b.sql')).toBe(true);
    expect(globToRegExp('db/[ab]?.sql').test('db/a1.sql')).toBe(true);
    const m = matcher(['migrations', 'legacy/**']);
    expect(m('migrations/001.sql')).toBe(true);
    expect(m('legacy/x/y.sql')).toBe(true);
    expect(m('src/migrations/001.sql')).toBe(false);
    expect(matcher([])('x.sql')).toBe(false);
  });
});

describe('mergeAcross', () => {
  const s = (table: string, columns: string[]): IndexSuggestion => ({ table, schema: null, name: indexName(table, columns), columns, statement: `CREATE INDEX ON ${table} (${columns.join(', ')});`, kind: 'btree', reasons: [], roles: [], ranges: [] });
  it('folds duplicates and leading prefixes into the longest index, ranks by queries served', () => {
    const merged = mergeAcross([
      { s: s('t', ['a']), place: 'x.sql:1:1' },
      { s: s('t', ['a', 'b']), place: 'x.sql:2:1' },
      { s: s('t', ['a', 'b']), place: 'y.sql:1:1' },
      { s: s('t', ['b']), place: 'y.sql:2:1' },
      { s: s('u', ['a']), place: 'y.sql:3:1' },
    ]);
    expect(merged.map((m) => [m.table, m.columns.join(','), m.places.length])).toEqual([
      ['t', 'a,b', 3],
      ['t', 'b', 1],
      ['u', 'a', 1],
    ]);
  });
});

describe('mayHoldSql', () => {
  it('lets files with SQL-looking literals, tags or query calls through, and skips the rest', () => {
    expect(mayHoldSql('const q = "SELECT id FROM users WHERE id = $1"', ['sql'], ['query'])).toBe(true);
    expect(mayHoldSql('db.query(`SELCT id FROM t`)', ['sql'], ['query'])).toBe(true);
    expect(mayHoldSql('const x = sql`WHERE id = ${id}`', ['sql'], [])).toBe(true);
    expect(mayHoldSql("import { a } from './a.js';\nexport const b = a + 1;", ['sql'], ['query'])).toBe(false);
  });

  it('skips files whose only SQL-looking words are UI text', () => {
    const ui = `const labels = { del: "Delete", create: "Create a project", pick: 'Select a plan', method: "DELETE", up: "Update settings", show: "Show all" };\nmap.get("select");`;
    expect(mayHoldSql(ui, DEFAULT_TAGS, DEFAULT_CALLEES)).toBe(false);
  });

  // every file in which the embed layer finds a site must get through the prefilter
  const snippets = [
    'const rows = await prisma.$queryRawUnsafe<Array<{ ok: number }>>("SELECT 1 as ok");',
    'const r = sql<{ id: string }>`SELECT id FROM t`;',
    'db.prepare("SELECT id FROM users WHERE id = ?").get(1);',
    'const q = /* sql */ `CREATE INDEX ON t (a)`;',
    'const q = /*SQL*/ "vacuum";',
    'const q = `\n  -- the users\n  SELECT u.id\n  FROM users u WHERE u.id = ${id}`;',
    "const q = 'INSERT INTO t (a) VALUES ($1)';",
    'const q = ["UPDATE t SET a = 1 WHERE id = $1"];',
    "return `DELETE FROM sessions WHERE expires < now()`;",
    "const q = `WITH x AS (SELECT 1) SELECT * FROM x`;",
    "await pool.query('TRUNCATE t');",
    "await knex.raw('SELECT * FROM t WHERE a = ?', [1]);",
    "const run = () => db.exec(`SELECT * FROM t`);",
    'const x = Prisma.sql`WHERE id = ${id}`;',
  ];
  it('passes every file in which the embed layer finds SQL (snippets and host fixtures)', async () => {
    await ready();
    const fixtureFiles = ['fixtures/cli/host/repo.ts', 'fixtures/cli/host/plain.ts', 'fixtures/embed/users.ts', 'fixtures/embed/orders.ts', 'fixtures/embed/clean.ts', 'fixtures/demo/src/db.ts', 'fixtures/demo/src/orders.ts'];
    const cases: Array<[string, string]> = [...snippets.map((s, i): [string, string] => [s, `snippet${i}.ts`]), ...fixtureFiles.filter((f) => existsSync(join(root, f))).map((f): [string, string] => [readFileSync(join(root, f), 'utf8'), f])];
    let withSites = 0;
    for (const [code, name] of cases) {
      const r = lintHostSource(code, name, {});
      if (r.stats.sites === 0) continue;
      withSites++;
      expect(mayHoldSql(code, DEFAULT_TAGS, DEFAULT_CALLEES), name).toBe(true);
    }
    expect(withSites).toBeGreaterThan(snippets.length - 3);
  });
});

describe('progress', () => {
  const fake = (isTTY: boolean) => {
    const out: string[] = [];
    return { stream: { isTTY, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream, out };
  };
  it('is silent when stderr is not a terminal, in CI, or for short runs', () => {
    const a = fake(false);
    const p = progress(100, true, a.stream);
    p.tick(1);
    p.stop();
    expect(a.out).toEqual([]);
    const b = fake(true);
    const q = progress(5, true, b.stream);
    q.tick(1);
    expect(b.out).toEqual([]);
    const old = process.env.CI;
    process.env.CI = 'true';
    const c = fake(true);
    progress(100, true, c.stream).tick(1);
    expect(c.out).toEqual([]);
    if (old === undefined) delete process.env.CI;
    else process.env.CI = old;
  });
});
