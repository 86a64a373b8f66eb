import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { findings, hostFindings, marked } from './helpers/rule-findings.js';

// Golden tests for rules/no-or-across-columns.ts (issue 19, mutation testing): the message and the
// OR it marks, patterns with and without a fixed prefix per operator, function and existence
// branches, lookups by key beside the OR, CTE and derived-table columns, nested ORs.

beforeAll(() => ready());

const RULE = 'no-or-across-columns';
const across = (columns: string, branches: string, table: string) => `OR across ${columns}: no single index serves ${branches}, so the planner often scans ${table}; index each branch's columns (PostgreSQL can combine the indexes with a BitmapOr) or split the query into a UNION of one indexed query per branch`;
const ors = (sql: string, dialect: Dialect = 'postgresql') => marked(RULE, sql, { dialect }).length;

describe('no-or-across-columns: the finding', () => {
  it('lists the columns as written, counts the branches and names the one table', () => {
    expect(findings(RULE, 'SELECT id FROM users WHERE email = $1 OR phone = $2')).toEqual([`1:39-1:41 ${across('email, phone', 'both branches', 'users')}`]);
    expect(findings(RULE, 'SELECT id FROM users u WHERE u.email = $1 OR u.phone = $2 OR u.name = $3')).toEqual([`1:43-1:45 ${across('u.email, u.phone, u.name', 'all 3 branches', 'users')}`]);
    expect(findings(RULE, 'SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1 OR o.total = $2')).toEqual([`1:79-1:81 ${across('u.email, o.total', 'both branches', 'the table')}`]);
    // an unqualified column among a function and a table has no table of its own
    expect(findings(RULE, 'SELECT 1 FROM generate_series(1, 3) g, u WHERE a = 1 OR b = 2')).toEqual([`1:54-1:56 ${across('a, b', 'both branches', 'the table')}`]);
  });

  it('a column differs by name whatever its case; the OR marked is the one after the first branch, also inside parentheses', () => {
    expect(ors('SELECT id FROM users WHERE Email = $1 OR email = $2')).toBe(0);
    expect(findings(RULE, 'SELECT id FROM users WHERE ((a = 1 OR b = 2)) OR c = 3')).toEqual([`1:36-1:38 ${across('a, b, c', 'all 3 branches', 'users')}`]);
    expect(marked(RULE, 'SELECT 1 FROM t WHERE (a = 1 AND (c = 1 OR d = 2)) OR (c = 3 AND b = 1)')).toEqual(['OR', 'OR']);
    expect(findings(RULE, 'SELECT 1 FROM t WHERE (a = 1 AND (c = 1 OR d = 2)) OR (c = 3 AND b = 1)').map((f) => f.split(' ')[0])).toEqual(['1:41-1:43', '1:52-1:54']);
    expect(findings(RULE, 'SELECT 1 FROM t WHERE (a = 1 OR b = 2) AND (c = 1 OR d = 2)')).toEqual([`1:30-1:32 ${across('a, b', 'both branches', 't')}`, `1:51-1:53 ${across('c, d', 'both branches', 't')}`]);
  });

  it('columns of one name in two tables are two columns', () => {
    expect(ors('SELECT 1 FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1 OR o.email = $2')).toBe(1);
  });

  it('UPDATE and DELETE restrict the target table', () => {
    expect(findings(RULE, 'UPDATE users SET x = 1 WHERE a = 1 OR b = 2')).toEqual([`1:36-1:38 ${across('a, b', 'both branches', 'users')}`]);
    expect(findings(RULE, 'DELETE FROM users WHERE a = 1 OR b = 2')).toEqual([`1:31-1:33 ${across('a, b', 'both branches', 'users')}`]);
  });
});

describe('no-or-across-columns: branches no index serves anyway', () => {
  it('a LIKE-family pattern serves a prefix unless it starts with % or _', () => {
    for (const p of ["a LIKE 'x_'", "a ~~ 'x%'", "a LIKE 'x%'::text", "a ILIKE 'x%'"]) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(1);
    for (const p of ["a LIKE '_x'", "a ~~ '%x'", "a ~~* '%x'", "a SIMILAR TO '%x'", 'a LIKE $1', 'a LIKE b']) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(0);
    expect(ors('SELECT id FROM users WHERE a LIKE 5 OR b = 1', 'mysql')).toBe(0);
  });

  it('a regex serves a prefix only when anchored at ^ before a plain character; GLOB unless it starts with a wildcard', () => {
    for (const p of ["a ~ 'x'", "a ~* 'x'", "a ~ '^.x'", "a ~ '^(x|y)'", "a ~ 'x^'", "a ~ 'x^y'"]) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(0);
    for (const p of ["a ~ '^x'", "a ~* '^abc'"]) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(1);
    expect(ors("SELECT id FROM users WHERE a REGEXP 'x' OR b = 1", 'mysql')).toBe(0);
    expect(ors("SELECT id FROM users WHERE a RLIKE 'x' OR b = 1", 'mysql')).toBe(0);
    expect(ors("SELECT id FROM users WHERE a REGEXP '^x' OR b = 1", 'mysql')).toBe(1);
    expect(ors("SELECT id FROM users WHERE a GLOB 'x*' OR b = 1", 'sqlite')).toBe(1);
    for (const p of ["'*x'", "'?x'", "'[ab]x'"]) expect(ors(`SELECT id FROM users WHERE a GLOB ${p} OR b = 1`, 'sqlite'), p).toBe(0);
  });

  it('function calls (under NOT or a cast too), existence tests; not a function ANDed with a column', () => {
    for (const p of ['NOT NOT f(a)', 'f(a)::bool', 'a IS NOT NULL', 'a IS NOT NULL AND f(c)']) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(0);
    for (const p of ['(f(a) AND c = 1)', 'a IS NOT TRUE', 'a IS NULL']) expect(ors(`SELECT id FROM users WHERE ${p} OR b = 1`), p).toBe(1);
    expect(ors('SELECT id FROM users WHERE a IS NOT b OR c = 1', 'sqlite')).toBe(1);
  });
});

describe('no-or-across-columns: an OR beside a lookup by key only filters', () => {
  it('a table column equal to a parameter or an outer column, either way round, cast or not', () => {
    for (const k of ['k = $1', '$1 = k', 'k = $1::int', 'users.k = $1']) expect(ors(`SELECT id FROM users WHERE ${k} AND (a = 1 OR b = 2)`), k).toBe(0);
    expect(ors('SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM t WHERE u.id = t.k AND (t.a = 1 OR t.b = 2))')).toBe(0);
    expect(ors('SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM t WHERE t.k = u.id AND (t.a = 1 OR t.b = 2))')).toBe(0);
    // ANDed at any level above the OR
    expect(ors('SELECT id FROM users WHERE k = $1 AND ((a = 1 AND c = 1) OR b = 2)')).toBe(0);
  });

  it('not a literal, a range, two columns, a key inside one branch, or a column of a derived table', () => {
    for (const k of ['k = 5', 'k > $1', 'k = j', 'k <> $1']) expect(ors(`SELECT id FROM users WHERE ${k} AND (a = 1 OR b = 2)`), k).toBe(1);
    expect(ors('SELECT id FROM users WHERE (k = $1 AND a = 1) OR b = 2')).toBe(1);
    expect(ors('SELECT 1 FROM (SELECT k FROM t) x, u WHERE x.k = $1 AND (u.a = 1 OR u.b = 2)')).toBe(1);
    expect(ors('SELECT 1 FROM u WHERE EXISTS (SELECT 1 FROM t WHERE t.k = t.j AND (t.a = 1 OR t.b = 2))')).toBe(1);
  });

  it('a join key of the one relation the OR restricts, in ON or WHERE', () => {
    expect(ors('SELECT p.id FROM posts p LEFT JOIN shares s ON s.post_id = p.id AND (s.member_id = $1 OR s.team_id = $2) WHERE p.id = $3')).toBe(0);
    expect(ors('SELECT p.id FROM posts p JOIN shares s ON p.id = s.post_id AND (s.member_id = $1 OR s.team_id IN (SELECT team_id FROM teams WHERE owner = $1))')).toBe(0);
    expect(ors('SELECT p.id FROM posts p, shares s WHERE s.post_id = p.id AND (s.member_id = $1 OR s.team_id = $2)')).toBe(0);
  });

  it('not an OR across both relations of the join key, nor two columns of one relation', () => {
    const across2 = 'SELECT p.id FROM posts p JOIN shares s ON s.post_id = p.id AND (s.member_id = $1 OR p.owner_id = $1)';
    const at = across2.indexOf(' OR ') + 2;
    expect(findings(RULE, across2)).toEqual([`1:${at}-1:${at + 2} ${across('s.member_id, p.owner_id', 'both branches', 'the table')}`]);
    expect(ors('SELECT p.id FROM posts p JOIN shares s ON s.post_id = s.origin_id AND (s.member_id = $1 OR s.team_id = $2)')).toBe(1);
  });
});

describe('no-or-across-columns: columns with no index to choose', () => {
  it('a branch of derived-table columns only; unqualified columns over a derived table alone', () => {
    expect(ors('SELECT 1 FROM (SELECT a, b FROM t) x WHERE x.a = 1 OR x.b = 2')).toBe(0);
    expect(ors('SELECT 1 FROM (SELECT a, b FROM t) x WHERE a = 1 OR b = 2')).toBe(0);
    expect(ors('SELECT 1 FROM (SELECT a, b FROM t) x JOIN u ON u.k = x.a WHERE u.c = 1 OR x.b = 2')).toBe(0);
    // unqualified and unresolved among sources none of which is a table
    expect(ors('SELECT 1 FROM (SELECT a FROM t) x, generate_series(1, 2) g WHERE c = 1 OR d = 2')).toBe(0);
    // a branch with a table column beside a derived-table column still picks between indexes
    expect(ors('SELECT 1 FROM (SELECT b FROM t) x JOIN u ON u.k = x.b WHERE u.c = 1 OR (x.b = 2 AND u.d = 3)')).toBe(1);
    // unqualified among a derived table and a table: may be the table's
    expect(ors('SELECT 1 FROM (SELECT a, b FROM t) x, u WHERE a = 1 OR b = 2')).toBe(1);
  });

  it('a column every branch restricts, also through a nested OR in each branch', () => {
    expect(ors('SELECT 1 FROM t WHERE (a = 1 AND (c = 1 OR c = 2)) OR (c = 3 AND b = 1)')).toBe(0);
    expect(ors('SELECT 1 FROM t WHERE (a = 1 AND (c = 1 OR d = 2)) OR (c = 3 AND b = 1)')).toBe(2);
  });
});

describe('no-or-across-columns: with the schema, every branch served by an index', () => {
  const DDL = 'CREATE TABLE links (id int PRIMARY KEY, slug text, domain text, note text);\nCREATE INDEX l_slug ON links (slug);\nCREATE INDEX l_domain ON links (lower(domain));';
  const with_ = (sql: string) => marked(RULE, sql, { ddl: DDL }).length;
  it('silent when each branch has its index (a column or the expression it compares), also for IN and a range', () => {
    expect(with_('SELECT id FROM links WHERE slug = $1 OR lower(domain) = $1')).toBe(0);
    expect(with_("SELECT id FROM links WHERE slug IN ('a', 'b') OR id > $1")).toBe(0);
  });
  it('reported when a branch has none, compares the bare column of an expression index, is negated or is a pattern with a prefix', () => {
    expect(with_('SELECT id FROM links WHERE slug = $1 OR note = $1')).toBe(1);
    expect(with_('SELECT id FROM links WHERE slug = $1 OR domain = $1')).toBe(1);
    expect(with_('SELECT id FROM links WHERE slug = $1 OR NOT (id = $2)')).toBe(1);
    expect(with_("SELECT id FROM links WHERE slug = $1 OR note LIKE 'a%'")).toBe(1);
  });
});

describe('no-or-across-columns: the edges the session 9 mutation run left', () => {
  /** The one finding, at the first ` OR ` after `from` (its columns and table as given). */
  const one = (sql: string, columns: string, table: string, from = 0) => {
    const at = sql.indexOf(' OR ', from) + 2;
    return [`1:${at}-1:${at + 2} ${across(columns, 'both branches', table)}`];
  };

  it('one column whether qualified or not; an existence test written IS NOT NULL in MySQL and SQLite', () => {
    expect(ors('SELECT id FROM users u WHERE email = $1 OR u.email = $2')).toBe(0);
    for (const dialect of ['mysql', 'sqlite'] as const) expect(ors('SELECT id FROM users WHERE a IS NOT NULL OR b = 1', dialect), dialect).toBe(0);
  });

  it('a join key is an equality between two columns of two relations the block knows, one of them the relation the OR restricts', () => {
    for (const on of ['s.post_id > p.id', 'f(s.x)', 'lower(s.post_id) = p.id', 's.post_id = z.id']) {
      const sql = `SELECT p.id FROM posts p JOIN shares s ON ${on} AND (s.member_id = $1 OR s.team_id = $2)`;
      expect(findings(RULE, sql), on).toEqual(one(sql, 's.member_id, s.team_id', 'shares'));
    }
    const three = 'SELECT p.id FROM posts p, shares s, teams t WHERE s.post_id = p.id AND (t.a = $1 OR t.b = $2)';
    expect(findings(RULE, three)).toEqual(one(three, 't.a, t.b', 'teams'));
    // an UPDATE's target is one side of the join key
    expect(ors('UPDATE shares s SET x = 1 FROM posts p WHERE s.post_id = p.id AND (s.member_id = $1 OR s.team_id = $2)')).toBe(0);
  });

  it('branches over the same columns are one choice of index, even when no column is in every branch', () => {
    // the four inner ORs are reported, the outer one over {a, b} in both branches is not
    expect(ors('SELECT 1 FROM t WHERE ((a = 1 OR b = 1) AND (a = 2 OR b = 2)) OR ((a = 3 OR b = 3) AND (a = 4 OR b = 4))')).toBe(4);
    // one branch over all the columns is not enough: the inner OR and the outer one are reported
    expect(ors('SELECT 1 FROM t WHERE a = 1 OR ((a = 2 OR b = 2) AND b = 3)')).toBe(2);
  });

  it('a table written by a template hole has no index to choose; one glued to a name is named', () => {
    expect(hostFindings(RULE, 'async function f(t: string) {\n  await db.query(`SELECT 1 FROM ${t} WHERE a = 1 OR b = 2`);\n}')).toEqual([]);
    // a name glued to a hole is named as written
    expect(hostFindings(RULE, 'async function f(t: string) {\n  await db.query(`SELECT 1 FROM x_${t} WHERE a = 1 OR b = 2`);\n}')).toEqual([`2:52-2:54 [OR] ${across('a, b', 'both branches', 'x_${t}')}`]);
  });

  it('with the schema: a table it does not know, a predicate without a column, a LIKE on an indexed column, the unindexed branch first', () => {
    const DDL = 'CREATE TABLE links (id int PRIMARY KEY, slug text, domain text, note text);\nCREATE INDEX l_slug ON links (slug);';
    for (const [sql, columns, table] of [
      ['SELECT id FROM other WHERE a = $1 OR b = $2', 'a, b', 'other'],
      ['SELECT id FROM links WHERE slug = $1 OR (note = $2 AND $3 > 1)', 'slug, note', 'links'],
      ["SELECT id FROM links WHERE id = $1 OR slug LIKE 'a%'", 'id, slug', 'links'],
      ['SELECT id FROM links WHERE note = $1 OR slug = $1', 'note, slug', 'links'],
    ] as const) expect(findings(RULE, sql, { ddl: DDL }), sql).toEqual(one(sql, columns, table));
  });
});
