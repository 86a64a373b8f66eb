import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { analyzeSite, clickhouseEvidence, findSqlSites, lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

const file = join(import.meta.dirname, '..', 'fixtures', 'embed', 'host', 'real-shapes.ts');

function results(code: string) {
  const program = parse(code, { range: true, comment: true });
  return findSqlSites(program, code).map((s) => ({ site: s, r: analyzeSite(s) }));
}

describe('shapes of embedded SQL measured in real projects', () => {
  const code = readFileSync(file, 'utf8');
  // built on first use: the PostgreSQL parser is loaded in beforeAll, after collection
  let cached: ReturnType<typeof results> | undefined;
  const line = (n: number) => (cached ??= results(code)).filter(({ site }) => code.slice(0, site.range[0]).split('\n').length === n);
  const sqlAt = (n: number) => line(n).map(({ r }) => r.embedded?.sql);

  it('every PostgreSQL statement is analysed; ClickHouse is skipped and counted apart', () => {
    expect(lintHostSource(code, 'real-shapes.ts').stats).toEqual({
      sites: 13,
      analysed: 10,
      skipped: 3,
      failed: 0,
      skippedBy: { fragment: 0, unparsable: 0, holes: 0, empty: 0, clickhouse: 3 },
      counted: { sites: 10, analysed: 10 },
    });
  });

  it('a hole for a whole VALUES list, SET list or CTE list gets a shape that parses', () => {
    expect(sqlAt(6)).toEqual(['INSERT INTO events (id, name) VALUES ($1) ON CONFLICT DO NOTHING']);
    expect(sqlAt(7)).toEqual(['UPDATE monitors SET __sqlperf_p1 = $1 WHERE id = $2']);
    expect(sqlAt(8)).toEqual(['WITH __sqlperf_p1 AS (SELECT 1), recent AS (SELECT id FROM base) SELECT id FROM recent']);
  });

  it('$${n} holes are parameter numbers; a hole glued to a name is part of it; a subquery hole', () => {
    expect(sqlAt(10)).toEqual(['SELECT id FROM runs WHERE env_id = $1 AND key = $2']);
    expect(sqlAt(12)).toEqual(['SELECT count(*) FROM app___sqlperf_p2 WHERE id = $1']);
    expect(line(13)[0]!.r.status).toBe('analysed');
  });

  it('{{name}} / {{name::type}} placeholders and knex ? (also glued to an operator) become parameters; whereRaw is wrapped', () => {
    expect(sqlAt(18)).toEqual(['SELECT id FROM website_event WHERE website_id = $1 AND created_at BETWEEN $2 AND $3']);
    expect(sqlAt(20)).toEqual(['SELECT 1 FROM __sqlperf_t WHERE data->>$1 = $2']);
  });

  it('findings in a wrapped fragment map back into the fragment, none on the wrapper', () => {
    const ds = lintHostSource(code, 'real-shapes.ts', { rules: ALL }).diagnostics;
    expect(ds.map((d) => `${d.ruleId} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}]`)).toEqual(['no-function-on-column 21:23-21:35 [lower(email)]']);
  });

  it('a CTE list without its main statement is completed for analysis', () => {
    expect(line(24).map(({ r }) => [r.status, r.reason, r.embedded?.sql])).toEqual([['analysed', undefined, 'WITH totals AS (SELECT user_id, sum(amount) AS total FROM payments GROUP BY user_id), __sqlperf_end AS (SELECT 1) SELECT 1']]);
  });

  it('ClickHouse: by call name, by destructuring from a clickhouse object, by syntax', () => {
    expect(line(27).map(({ r }) => [r.status, r.reason])).toEqual([['skipped', 'clickhouse']]);
    expect(line(29).map(({ r }) => r.detail)).toEqual(['the call sends it to ClickHouse']);
    expect(line(30).map(({ r }) => r.reason)).toEqual(['clickhouse']);
  });
});

describe('clickhouseEvidence', () => {
  it.each([
    ['SELECT * FROM t FINAL WHERE a = 1', 'FROM ... FINAL'],
    ['SELECT a FROM t ARRAY JOIN tags AS tag', 'ARRAY JOIN'],
    ['SELECT a FROM t WHERE id = {id: String}', '{name: Type} parameters'],
    ['SELECT a FROM t LIMIT 5 BY a', 'LIMIT n BY'],
    ['SELECT a FROM t SETTINGS max_threads = 2', 'SETTINGS'],
    ['SELECT quantile(0.9)(d) FROM t', 'parametric aggregate f(p)(x)'],
    ['SELECT count() FROM t', 'count()'],
    ['SELECT uniqExact(a) FROM t', 'ClickHouse function uniqExact()'],
    ["SELECT a FROM t WHERE ts > now() - INTERVAL 7 DAY", "INTERVAL n UNIT (PostgreSQL writes INTERVAL 'n unit')"],
  ])('%s', (sql, why) => {
    expect(clickhouseEvidence(sql)).toBe(why);
  });

  it.each([
    "SELECT id FROM users WHERE name = 'FINAL' AND note LIKE '%{a: String}%'",
    'SELECT count(*) FILTER (WHERE ok) FROM t',
    'INSERT INTO t(a, b) (SELECT a, b FROM s)',
    "SELECT nullif(a, ''), coalesce(b, 0), lower(c) FROM t",
    'SELECT "userId" FROM "User" WHERE "createdAt" > now() - INTERVAL \'1 day\'',
    'SELECT jsonb_build_object(\'a\', 1) FROM t',
  ])('not ClickHouse: %s', (sql) => {
    expect(clickhouseEvidence(sql)).toBeUndefined();
  });
});

describe('messages show host text, not placeholders', () => {
  it("a hole inside a LIKE pattern is shown as ${expr}", () => {
    const code = "const q = sql`SELECT id FROM products WHERE description LIKE '%${term}%'`;";
    const [d] = lintHostSource(code, 'x.ts', { rules: ALL }).diagnostics;
    expect(d!.ruleId).toBe('no-leading-wildcard');
    expect(d!.message).toContain("'%${term}%'");
    expect(d!.message).not.toContain('__sqlperf_p');
  });

  it('the demo project has no placeholder names in any message', () => {
    const code = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'demo', 'src', 'orders.ts'), 'utf8');
    const messages = lintHostSource(code, 'orders.ts', { rules: ALL }).diagnostics.map((d) => d.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).not.toMatch(/__sqlperf_p\d/);
  });
});
