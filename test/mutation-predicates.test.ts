import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { leadingWildcard, localColumns, predicatesOf } from '../src/model/predicates.js';
import type { StatementModel } from '../src/model/types.js';

// Golden tests for the mutants of src/model/predicates.ts that survived `npm run mutation` (docs/mutation.md):
// each predicate of a statement, with its text, column, operator, kind, value kind and flags.

beforeAll(() => ready());

function model(sql: string, dialect: Dialect = 'postgresql'): StatementModel {
  const st = analyze(sql, { dialect, modelOnly: true }).statements;
  expect(st.map((s) => s.error?.message ?? null)).toEqual([null]);
  return st[0]!.model!;
}

/** `clause text | column op kind valueKind [wrapped] [sarg] [or] [not]` for each predicate of each block. */
const preds = (sql: string, dialect: Dialect = 'postgresql') =>
  model(sql, dialect)
    .blocks.flatMap((b) => predicatesOf(b))
    .map((p) => `${p.clause} ${sql.slice(p.range.start, p.range.end)} | ${p.column?.name ?? '-'} ${p.op} ${p.kind} ${p.valueKind}${p.wrapped ? ' wrapped' : ''}${p.sargable ? ' sarg' : ''}${p.underOr ? ' or' : ''}${p.negated ? ' not' : ''}`);

describe('predicatesOf: operators and kinds', () => {
  it('puts the column on the left, flipping the comparison', () => {
    expect(preds('SELECT 1 FROM t WHERE 5 < a AND 5 <= b AND 5 > c AND 5 >= d AND 5 = e AND 5 <> f AND 5 != g')).toEqual([
      'where 5 < a | a > range literal sarg',
      'where 5 <= b | b >= range literal sarg',
      'where 5 > c | c < range literal sarg',
      'where 5 >= d | d <= range literal sarg',
      'where 5 = e | e = equality literal sarg',
      'where 5 <> f | f <> inequality literal',
      'where 5 != g | g <> inequality literal',
    ]);
  });
  it('a comparison without a column of this block, or an operator that cannot be flipped, is no predicate', () => {
    expect(preds('SELECT 1 FROM t WHERE 1 = 1 AND $1 = 2 AND 3 < $2')).toEqual([]);
    expect(preds("SELECT 1 FROM t WHERE 'x%' LIKE a AND $1 @> b AND a + 1 = 2")).toEqual(['where a + 1 = 2 | a = equality literal wrapped']);
  });
  it('== (SQLite), <=> (MySQL), IS [NOT] DISTINCT FROM', () => {
    expect(preds('SELECT 1 FROM t WHERE a == 5 AND 5 == b', 'sqlite')).toEqual(['where a == 5 | a = equality literal sarg', 'where 5 == b | b = equality literal sarg']);
    expect(preds('SELECT 1 FROM t WHERE a <=> 5', 'mysql')).toEqual(['where a <=> 5 | a <=> equality literal sarg']);
    expect(preds('SELECT 1 FROM t WHERE d IS NOT DISTINCT FROM 1 AND e IS DISTINCT FROM 1')).toEqual(['where d IS NOT DISTINCT FROM 1 | d IS NOT DISTINCT FROM equality literal sarg', 'where e IS DISTINCT FROM 1 | e IS DISTINCT FROM inequality literal']);
  });
  it('IS NULL can use an index, IS NOT NULL and a wrapped column cannot, in every parser', () => {
    const want = ['where a IS NULL | a IS NULL null null sarg', 'where b IS NOT NULL | b IS NOT NULL null null', 'where lower(c) IS NULL | c IS NULL null null wrapped'];
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) expect(preds('SELECT 1 FROM t WHERE a IS NULL AND b IS NOT NULL AND lower(c) IS NULL', dialect), dialect).toEqual(want);
    expect(preds('SELECT 1 FROM t WHERE a IS TRUE AND b IS NOT TRUE', 'mysql')).toEqual(['where a IS TRUE | a IS other literal', 'where b IS NOT TRUE | b IS NOT other literal']);
  });
  it('NOT BETWEEN and NOT IN are neither ranges nor lists an index searches; a bare boolean or EXISTS is no comparison', () => {
    expect(preds('SELECT 1 FROM t WHERE a NOT BETWEEN 1 AND 2 AND b NOT IN (1, 2) AND active AND EXISTS (SELECT 1 FROM u)')).toEqual(['where a NOT BETWEEN 1 AND 2 | a NOT BETWEEN other list', 'where b NOT IN (1, 2) | b NOT IN other list']);
  });
  it('BETWEEN, IN lists, IN subqueries and = ANY', () => {
    expect(preds('SELECT 1 FROM t WHERE a BETWEEN 1 AND 2 AND b IN (1, 2) AND c IN (SELECT x FROM u) AND d = ANY($1) AND lower(e) IN (1, 2)')).toEqual([
      'where a BETWEEN 1 AND 2 | a BETWEEN range list sarg',
      'where b IN (1, 2) | b IN in list sarg',
      'where c IN (SELECT x FROM u) | c IN in subquery sarg',
      'where d = ANY($1) | d = ANY in param sarg',
      'where lower(e) IN (1, 2) | e IN in list wrapped',
    ]);
  });
  it('LIKE and SIMILAR TO with a fixed prefix are sargable; ILIKE, NOT LIKE, a leading wildcard or an unknown pattern are not', () => {
    expect(preds("SELECT 1 FROM t WHERE a LIKE 'x%' AND b LIKE '%x' AND c ILIKE 'x%' AND d SIMILAR TO 'x%' AND e NOT LIKE 'x%' AND lower(f) LIKE 'x%' AND g LIKE $1 AND h LIKE '_x' AND i LIKE 'x%'::text")).toEqual([
      "where a LIKE 'x%' | a LIKE like literal sarg",
      "where b LIKE '%x' | b LIKE like literal",
      "where c ILIKE 'x%' | c ILIKE like literal",
      "where d SIMILAR TO 'x%' | d SIMILAR TO like literal sarg",
      "where e NOT LIKE 'x%' | e NOT LIKE like literal",
      "where lower(f) LIKE 'x%' | f LIKE like literal wrapped",
      'where g LIKE $1 | g LIKE like param',
      "where h LIKE '_x' | h LIKE like literal",
      "where i LIKE 'x%'::text | i LIKE like literal sarg",
    ]);
    expect(preds("SELECT 1 FROM t WHERE a NOT ILIKE 'x%' AND b NOT SIMILAR TO 'x%' AND c ~~ 'x%' AND d ~~* 'x%'")).toEqual([
      "where a NOT ILIKE 'x%' | a NOT ILIKE like literal",
      "where b NOT SIMILAR TO 'x%' | b NOT SIMILAR TO like literal",
      "where c ~~ 'x%' | c ~~ like literal",
      "where d ~~* 'x%' | d ~~* like literal",
    ]);
    expect(preds("SELECT 1 FROM t WHERE a GLOB 'x*'", 'sqlite')).toEqual(["where a GLOB 'x*' | a GLOB like literal"]);
    expect(preds("SELECT 1 FROM t WHERE a REGEXP '^x' AND b RLIKE 'x'", 'mysql')).toEqual(["where a REGEXP '^x' | a REGEXP like literal", "where b RLIKE 'x' | b RLIKE like literal"]);
  });
});

describe('predicatesOf: values', () => {
  it('classifies the value side', () => {
    expect(preds("SELECT 1 FROM t WHERE a = NULL AND b = $1 AND c = d AND e = f + 1 AND g = now() - interval '1 day' AND h = (SELECT 1) AND i = lower($1) AND j = 'x'::text AND k::text = 'x' AND l = $2::int")).toEqual([
      'where a = NULL | a = equality null sarg',
      'where b = $1 | b = equality param sarg',
      'where c = d | c = equality column sarg',
      // b + 1 reads the row: no index on e can be searched with it
      'where e = f + 1 | e = equality column',
      "where g = now() - interval '1 day' | g = equality expression sarg",
      'where h = (SELECT 1) | h = equality subquery sarg',
      'where i = lower($1) | i = equality expression sarg',
      "where j = 'x'::text | j = equality literal sarg",
      "where k::text = 'x' | k = equality literal wrapped",
      'where l = $2::int | l = equality param sarg',
    ]);
  });
  it('an outer column in a subquery is a value (a parameter per outer row)', () => {
    expect(preds('SELECT 1 FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.tid = t.id AND t.id = u.pid AND u.x = 1)')).toEqual(['where u.tid = t.id | tid = equality param sarg', 'where t.id = u.pid | pid = equality param sarg', 'where u.x = 1 | x = equality literal sarg']);
  });
  it('a value tested for NULL, or compared with an outer column only, restricts no column of this block', () => {
    expect(preds('SELECT 1 FROM t WHERE ($1 IS NULL OR a = $1) AND $2 IS NOT NULL')).toEqual(['where a = $1 | a = equality param sarg or']);
    expect(preds('SELECT 1 FROM t WHERE EXISTS (SELECT 1 FROM u WHERE $1 = t.id AND u.x = 1)')).toEqual(['where u.x = 1 | x = equality literal sarg']);
  });
  it('the column of a wrapped side is its first local column', () => {
    const p = predicatesOf(model('SELECT 1 FROM t WHERE coalesce(a, b) = 1').root!);
    expect(p.map((x) => [x.column?.name, x.wrapped?.type])).toEqual([['a', 'func']]);
    expect(localColumns(p[0]!.expr).map((c) => c.name)).toEqual(['a', 'b']);
  });
});

describe('predicatesOf: AND, OR, NOT and clauses', () => {
  it('marks predicates under an OR or a NOT; a double NOT cancels', () => {
    expect(preds('SELECT 1 FROM t WHERE NOT (a = 1) AND NOT NOT b = 2 AND (c = 1 OR d = 2) AND NOT (e = 1 OR f = 2) AND g = 3')).toEqual([
      'where a = 1 | a = equality literal not',
      'where b = 2 | b = equality literal sarg',
      'where c = 1 | c = equality literal sarg or',
      'where d = 2 | d = equality literal sarg or',
      'where e = 1 | e = equality literal or not',
      'where f = 2 | f = equality literal or not',
      'where g = 3 | g = equality literal sarg',
    ]);
    expect(preds('SELECT 1 FROM t WHERE a = 1 OR b = 2 AND c = 3')).toEqual(['where a = 1 | a = equality literal sarg or', 'where b = 2 | b = equality literal sarg or', 'where c = 3 | c = equality literal sarg or']);
  });
  it('JOIN ON first, then WHERE, then HAVING; cached per block', () => {
    const sql = 'SELECT 1 FROM t JOIN u ON u.id = t.uid AND u.k = 1 LEFT JOIN v ON v.id = u.vid WHERE t.a = 1 GROUP BY t.a HAVING count(*) > 1 AND max(t.b) = 2';
    expect(preds(sql)).toEqual([
      'join u.id = t.uid | id = equality column sarg',
      'join u.k = 1 | k = equality literal sarg',
      'join v.id = u.vid | id = equality column sarg',
      'where t.a = 1 | a = equality literal sarg',
      'having max(t.b) = 2 | b = equality literal wrapped',
    ]);
    const b = model(sql).root!;
    expect(predicatesOf(b)).toBe(predicatesOf(b));
  });
  it('a block without conditions has no predicates', () => {
    expect(preds('SELECT a FROM t')).toEqual([]);
  });
});

describe('leadingWildcard', () => {
  const pattern = (sql: string, dialect: Dialect = 'postgresql') => {
    const p = predicatesOf(model(sql, dialect).root!)[0]!;
    const w = leadingWildcard(p.value);
    return w ? sql.slice(w.range.start, w.range.end) : null;
  };
  it('finds the literal that starts a pattern with % or _', () => {
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '%x'")).toBe("'%x'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '_x'")).toBe("'_x'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '%x'::text")).toBe("'%x'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '%' || $1")).toBe("'%'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE ('%' + @p)", 'transactsql')).toBe("'%'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE CONCAT('%', ?)", 'mysql')).toBe("'%'");
    expect(pattern("SELECT 1 FROM t WHERE a LIKE CONCAT_WS('', '%', ?)", 'mysql')).toBe("'%'");
  });
  it('not a fixed prefix, an unknown value, a hole placeholder or a separator', () => {
    expect(pattern("SELECT 1 FROM t WHERE a LIKE 'x%'")).toBeNull();
    expect(pattern('SELECT 1 FROM t WHERE a LIKE $1')).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE $1 || '%'")).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '__sqlperf_p1%'")).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE CONCAT(?, '%')", 'mysql')).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE CONCAT_WS('%', ?, 'x')", 'mysql')).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE lower('%x')")).toBeNull();
    expect(pattern("SELECT 1 FROM t WHERE a LIKE '%' - 1")).toBeNull();
    expect(leadingWildcard(null)).toBeUndefined();
  });
});
