/**
 * Issue 14 §2 and §4: fragments analysed wrapped in a statement of their clause, nested sql tags
 * and conditional holes read in place, clause holes filled so the rest is analysed, and a hole after
 * a column not glued into a typed literal. Positions are host positions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { embedSql, findSqlSites, lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';
import { classifyFragment, keepInFragment } from '../src/embed/fragments.js';
import { eslintFindings as eslintFindingsOf } from './helpers/eslint-findings.js';

const root = join(import.meta.dirname, '..');

beforeAll(() => ready());

function lint(code: string, file = 'x.ts'): string[] {
  return lintHostSource(code, file, { rules: ALL }).diagnostics.map((d) => `${d.ruleId} [${code.slice(d.start, d.end)}] ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
}

function sites(code: string) {
  const program = parse(code, { range: true, comment: true, jsx: false });
  return findSqlSites(program, code);
}

function sqlOf(code: string): string {
  return embedSql(sites(code)[0]!, 'postgresql').sql;
}

const eslintFindings = (file: string) => eslintFindingsOf(root, file);

describe('fragment classification', () => {
  it('by leading tokens', () => {
    expect(classifyFragment('LOWER(__HOLE__) LIKE LOWER(__HOLE__)')).toBe('where');
    expect(classifyFragment('AND created_at > __HOLE__')).toBe('and');
    expect(classifyFragment('OR a = 1')).toBe('and');
    expect(classifyFragment('ORDER BY created_at DESC')).toBe('tail');
    expect(classifyFragment('GROUP BY a')).toBe('tail');
    expect(classifyFragment('WHERE a = 1')).toBe('tail');
    expect(classifyFragment('LIMIT 10')).toBe('tail');
    expect(classifyFragment('LEFT JOIN t ON t.id = a.t_id')).toBe('join');
    expect(classifyFragment('JOIN t USING (id)')).toBe('join');
    expect(classifyFragment('u.id, u.name AS name')).toBe('select');
    expect(classifyFragment('SET a = __HOLE__, b = 2')).toBe('updateTail');
    expect(classifyFragment('a = __HOLE__, b = __HOLE__')).toBe('set');
    expect(classifyFragment('(__HOLE__, __HOLE__), (__HOLE__, __HOLE__)')).toBe('values');
    expect(classifyFragment('VALUES (__HOLE__)')).toBe('insertTail');
    expect(classifyFragment('HAVING count(*) > 1')).toBe('havingTail');
    expect(classifyFragment('FROM t WHERE a = 1')).toBe('fromTail');
    expect(classifyFragment('__HOLE__')).toBeUndefined();
    expect(classifyFragment('hello world again')).toBeUndefined();
    expect(classifyFragment('DO NOTHING')).toBeUndefined();
    expect(classifyFragment('DO UPDATE SET a = excluded.a, b = excluded.b')).toBeUndefined();
  });

  it("ON CONFLICT's action alone (DO NOTHING, DO UPDATE SET) is a fragment, not a DO block: skipped, no parse error", () => {
    const code = [
      'const action = (u: Fragment[]) => (u.length ? sql`DO UPDATE SET ${sql.join(u, sql`, `)}` : sql`DO NOTHING`);',
      'const block = sql`DO $$ BEGIN PERFORM 1; END $$`;',
    ].join('\n');
    const r = lintHostSource(code, 'x.ts', { rules: ALL });
    expect(r.diagnostics.map((d) => d.ruleId)).toEqual([]);
    expect(r.stats).toMatchObject({ sites: 3, analysed: 1, skipped: 2, failed: 0, skippedBy: { fragment: 2 } });
  });

  it('wraps and keeps the fragment text in place', () => {
    const code = 'const a = Prisma.sql`AND created_at > ${d}`;';
    const [site] = sites(code);
    expect([site!.wrap, site!.certain]).toEqual(['and', false]);
    const e = embedSql(site!, 'postgresql');
    expect(e.sql).toBe('SELECT 1 FROM __sqlperf_t WHERE TRUE AND created_at > $1');
    expect(e.parsed).toBe(true);
    expect(e.synthetic).toEqual([{ start: 0, end: 37 }]);
    expect(e.segments[0]).toEqual({ sqlStart: 37, sqlEnd: 54, hostStart: 21 });
  });

  it('a statement with a typo in a tag is not a fragment (parse-error stays)', () => {
    expect(lint('const r = sql`SELEC * FROM t`;')).toEqual(['parse-error [SELEC] 1:15-1:20']);
  });

  it('rules that cannot judge a fragment are listed for the analyzeSite hook', () => {
    expect(keepInFragment({ wrap: 'where' }, 'no-leading-wildcard')).toBe(true);
    expect(keepInFragment({ wrap: 'set' }, 'require-where')).toBe(false);
    expect(keepInFragment({ wrap: 'join' }, 'no-cartesian-join')).toBe(false);
    expect(keepInFragment({}, 'require-where')).toBe(true);
  });
});

describe('findings inside fragments', () => {
  it('a wildcard in a condition fragment, at its host position', () => {
    expect(lint("const c = sql`name LIKE '%smith' AND ${a} = 1`;")).toEqual(["no-leading-wildcard ['%smith'] 1:25-1:33"]);
    // the fragment's table is sqlperf's stand-in: the remedy says <table>, not that name (a message naming it would be dropped)
    const [d] = lintHostSource("const c = sql`name LIKE '%smith' AND ${a} = 1`;", 'x.ts', { rules: ALL }).diagnostics;
    expect(d?.message).toMatch(/; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON <table> USING gin \(name gin_trgm_ops\)$/);
    expect(lint('const o = sql`ORDER BY random()`;')).toEqual(['no-order-by-random [random()] 1:24-1:32']);
  });

  it('an ORDER BY piece led by a subquery is a fragment, not a statement that fails to parse', () => {
    const code = 'const o = Prisma.sql`(SELECT max(s.n) FROM s WHERE s.pid = p.id) DESC, p.id ASC`;';
    const [site] = sites(code);
    expect([site!.wrap, site!.certain]).toEqual(['orderBy', false]);
    expect(lintHostSource(code, 'x.ts', { rules: ALL, dialect: 'mysql' }).diagnostics).toEqual([]);
    // a bracketed query that a set operation, ORDER BY or LIMIT follows is a statement
    for (const q of ['(SELECT a FROM t WHERE b = 1) UNION (SELECT a FROM u)', '(SELECT a FROM t) ORDER BY a', '(SELECT a FROM t WHERE b = 1);', '((SELECT a FROM t)) LIMIT 1']) {
      expect(sites(`const q = sql\`${q}\`;`)[0]!.certain, q).toBe(true);
    }
  });

  it('a condition whose first term is bracketed is a condition, not VALUES rows; an operator alone is nothing', () => {
    expect(classifyFragment("(__HOLE__ = 'email' AND __HOLE__ IS NOT NULL) OR (__HOLE__ = 'hook')")).toBe('where');
    expect(classifyFragment("(__HOLE__ = 'email')")).toBe('where');
    expect(classifyFragment("(1, 'a')")).toBe('values');
    expect(classifyFragment("(__HOLE__, lower('A')), (2, 'b')")).toBe('values');
    for (const op of ['NOT IN', 'IN', 'ILIKE', '>=', 'IS NOT', ' = ']) expect(classifyFragment(op), op).toBeUndefined();
    const r = lintHostSource("import { sql } from 'drizzle-orm';\nexport const a = sql`(${t.kind} = 'email' AND ${t.email} IS NOT NULL) OR (${t.kind} = 'hook')`;\nexport const b = sql`(name LIKE '%x') OR (${t.kind} = 'hook')`;", 'x.ts', { rules: ALL, reportUnanalysed: true });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)).toEqual(['no-leading-wildcard 3:33']);
    expect(r.unanalysed).toEqual([]);
  });

  it('a fragment that does not parse wrapped is skipped, not a parse error', () => {
    const r = lintHostSource('const c = sql`foo, bar baz qux (`;', 'x.ts', { rules: ALL });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('holes read in place', () => {
  it('a nested sql tag in a hole is part of the outer statement', () => {
    const code = 'const q = sql`SELECT id FROM users WHERE a = 1 ${q ? sql`AND lower(name) = ${q}` : sql``}`;';
    expect(sqlOf(code)).toBe('SELECT id FROM users WHERE a = 1  AND lower(name) = $1 ');
    expect(lint(code)).toEqual(['no-function-on-column [lower(name)] 1:62-1:73']);
    expect(sites(code).length).toBe(1);
  });

  it('a conditional hole: the template branch with its own holes, or the empty branch when it does not fit', () => {
    const code = "db.query(`SELECT id FROM n WHERE ${f ? `n.name ${f} AND` : ''} n.x LIKE '%pg'`);";
    expect(sqlOf(code)).toBe("SELECT id FROM n WHERE  n.name   AND  n.x LIKE '%pg'");
    expect(lint(code)).toEqual(["no-leading-wildcard ['%pg'] 1:73-1:78"]);
    const bad = "db.query(`SELECT id FROM n WHERE ${f ? `) garbage (` : ''} n.x LIKE '%pg'`);";
    expect(sqlOf(bad)).toBe("SELECT id FROM n WHERE   n.x LIKE '%pg'");
  });

  it('`&&` and string branches in a plain template are inlined; values in a parameterized tag are not', () => {
    expect(sqlOf("db.query(`SELECT id FROM t WHERE a = 1 ${x && 'AND b = 2'}`)")).toBe('SELECT id FROM t WHERE a = 1  AND b = 2 ');
    expect(sqlOf("q = sql`SELECT id FROM t WHERE a = ${x ? 'AND b' : 'c d'}`")).toBe('SELECT id FROM t WHERE a = $1');
  });

  it('a hole after a column is not glued into a typed literal', () => {
    const code = 'q = sql`SELECT n.id FROM pg_namespace n JOIN pg_user u ON n.nspowner = u.oid ${cond} WHERE n.x = 1`';
    expect(sqlOf(code)).not.toMatch(/u\.oid \$1/);
    expect(sqlOf(code)).toMatch(/u\.oid\s+WHERE/);
    expect(sqlOf('q = sql`SELECT a FROM t LIMIT ${n}`')).toBe('SELECT a FROM t LIMIT $1');
    expect(sqlOf("q = sql`SELECT a FROM t WHERE d > now() - INTERVAL ${days}`")).toBe('SELECT a FROM t WHERE d > now() - INTERVAL $1');
  });

  it('clause holes (${join}, ${where} ${order}) leave the rest analysed', () => {
    expect(lint('db.query(`SELECT * FROM m ${join} WHERE m.a LIKE \'%c\'`)')).toEqual(['no-select-star [*] 1:18-1:19', "no-leading-wildcard ['%c'] 1:50-1:54"]);
    expect(lintHostSource('db.query(`SELECT * FROM events ${where} ${order}`)', 'x.ts').stats).toMatchObject({ analysed: 1, failed: 0 });
  });
});

describe.each([
  [
    'fragments.ts',
    [
      'no-function-on-column [lower(email)] 6:61-6:73',
      "no-leading-wildcard ['%smith'] 7:62-7:70",
      'no-order-by-random [random()] 8:30-8:38',
      "no-leading-wildcard ['%core'] 9:78-9:85",
      'no-not-in-subquery [NOT IN] 13:30-13:36',
      'no-select-star [*] 18:21-18:22',
      'no-function-on-column [lower(name)] 18:71-18:82',
    ],
  ],
  [
    'clause-holes.ts',
    [
      'no-select-star [*] 5:26-5:27',
      "no-leading-wildcard ['%pg'] 5:110-5:115",
      'no-select-star [n.*] 6:26-6:29',
      'no-function-on-column [lower(n.nspname)] 6:127-6:143',
      'no-select-star [*] 7:26-7:27',
      "no-leading-wildcard ['%cpu'] 7:79-7:85",
      'no-select-star [*] 8:26-8:27',
      "no-leading-wildcard ['%bot'] 9:90-9:96",
    ],
  ],
])('fixtures/embed/shapes/%s', (name, expected) => {
  const file = join(root, 'fixtures', 'embed', 'shapes', name);
  it('core path (lintHostSource)', () => {
    expect(lint(readFileSync(file, 'utf8'), file)).toEqual(expected);
  });
  it('ESLint plugin', async () => {
    expect((await eslintFindings(file)).sort()).toEqual([...expected].sort());
  });
});

describe('statement holes', () => {
  it('the main statement after a CTE list can be a hole', () => {
    expect(sqlOf('db.$queryRawUnsafe(`WITH base AS (${baseQuery}) ${main};`)')).toBe('WITH base AS (SELECT $1) SELECT $2;');
  });
});
