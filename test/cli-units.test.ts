import { describe, expect, it } from 'vitest';
import { mergeAcross } from '../src/cli/commands/indexes.js';
import { mayHoldSql } from '../src/cli/engine.js';
import { globToRegExp, matcher } from '../src/cli/glob.js';
import { progress } from '../src/cli/progress.js';
import type { IndexSuggestion } from '../src/indexes.js';

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
  const s = (table: string, columns: string[]): IndexSuggestion => ({ table, schema: null, columns, statement: `CREATE INDEX ON ${table} (${columns.join(', ')});`, kind: 'btree', reasons: [], ranges: [] });
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
    expect(mayHoldSql('const q = "SELECT 1"', ['sql'], ['query'])).toBe(true);
    expect(mayHoldSql('db.query(`SELCT id FROM t`)', ['sql'], ['query'])).toBe(true);
    expect(mayHoldSql('const x = sql`WHERE id = ${id}`', ['sql'], [])).toBe(true);
    expect(mayHoldSql("import { a } from './a.js';\nexport const b = a + 1;", ['sql'], ['query'])).toBe(false);
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
