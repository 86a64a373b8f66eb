import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { findings, marked, type RunOptions } from './helpers/rule-findings.js';

// Golden tests for rules/no-offset-pagination.ts (issue 19, mutation testing): constant offsets
// and the max, the range of a parenthesised offset, the blocks that are not page navigation,
// rankings of aggregates, and the keyset advice built from the ORDER BY and the schema.

beforeAll(() => ready());

const RULE = 'no-offset-pagination';
const DDL = `CREATE TABLE posts (id int PRIMARY KEY, slug text, at int, UNIQUE (slug));
CREATE TABLE logs (seq int, at int, msg text);
CREATE TABLE items (id int PRIMARY KEY, code text, deleted_at int);
CREATE UNIQUE INDEX items_code ON items (code) WHERE deleted_at IS NULL;`;
/** The keyset advice of each finding. */
const advice = (sql: string, o: RunOptions = {}) => findings(RULE, sql, o).map((f) => f.slice(f.indexOf('instead: ') + 9));
const page = (offset: string) => marked(RULE, `SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET ${offset}`);

describe('no-offset-pagination: which offsets', () => {
  it('a constant above max (1000 by default), computed with + - * / and casts; the whole message', () => {
    expect(page('1000')).toEqual([]);
    expect(page('1000 - 1')).toEqual([]);
    expect(findings(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 1000 + 1')).toEqual(['1:50-1:58 OFFSET 1000 + 1 reads and throws away 1000 + 1 rows before returning any (max 1000); paginate by key instead: WHERE id > $last_id ORDER BY id LIMIT 20']);
    for (const o of ['1002 - 1', '501 * 2', '2002 / 2', '2000::int']) expect(page(o), o).toEqual([o]);
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 1001', { options: { max: 1001 } })).toEqual([]);
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET 1002', { options: { max: 1001 } })).toEqual(['1002']);
  });

  it('a subtraction and a negated negative are computed, not read as another operator', () => {
    expect(page('2000 - 500')).toEqual(['2000 - 500']);
    expect(page('2000 - 1500')).toEqual([]);
    expect(page('3000 / 2')).toEqual(['3000 / 2']);
    expect(page('3000 / 3')).toEqual([]);
    // -(-2000) is 2000: reported (its range is the leading '-' alone, a known gap)
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET -(-2000)')).toHaveLength(1);
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET -(2000)')).toEqual([]);
    // PostgreSQL folds a minus into a literal only; over an expression it stays a unary minus, computed
    // here: -(1000 - 3001) is 2001 (its range stops before the closing bracket, the same gap)
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET -(1000 - 3001)')).toHaveLength(1);
    expect(page('-(3001 - 1000)')).toEqual([]);
    // a unary plus is not computed: +(1000 - 3001) is no large offset, whatever its sign
    expect(page('+(1000 - 3001)')).toEqual([]);
    // a minus over a parameter, a parameter in a sum: variable, not a number
    expect(page('-$1')).toEqual(['-$1']);
    expect(page('$1 + 20')).toEqual(['$1 + 20']);
  });

  it('not a constant it cannot compute (a negative, a division by zero, a string, %) nor a function of constants', () => {
    for (const o of ['- 2000', '2000 / 0', "'2000'", '2000 % 3000', 'abs(1)']) expect(page(o), o).toEqual([]);
  });

  it('a parameter, a column or a subquery grows with the page; the range takes in the brackets the expression opens', () => {
    // only the brackets left open: a pair inside the expression is its own
    expect(page('((1 + (2 + 3)) * $1)')).toEqual(['(1 + (2 + 3)) * $1']);
    expect(findings(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET ((2 + 3) * $1)')).toEqual(['1:51-1:63 OFFSET (2 + 3) * $1 grows with the page number: every page reads and throws away all the rows before it; paginate by key instead: WHERE id > $last_id ORDER BY id LIMIT 20']);
    expect(findings(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET ( ( 2 + 3 ) * 1000 )').map((f) => f.slice(0, 39))).toEqual(['1:52-1:68 OFFSET ( 2 + 3 ) * 1000 reads']);
    expect(marked(RULE, 'SELECT id FROM posts p ORDER BY id LIMIT 20 OFFSET p.id')).toEqual(['p.id']);
    expect(marked(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET (SELECT n FROM x)')).toEqual(['(SELECT n FROM x)']);
  });

  it('not in a subquery of an expression (IN, ANY, EXISTS, scalar); in a derived table or CTE it is', () => {
    for (const sql of ['SELECT id FROM posts WHERE id IN (SELECT id FROM posts ORDER BY id OFFSET $1)', 'SELECT id FROM posts WHERE id = ANY (SELECT id FROM posts ORDER BY id OFFSET $1)', 'SELECT id FROM posts WHERE EXISTS (SELECT id FROM posts ORDER BY id OFFSET $1)', 'SELECT (SELECT id FROM posts ORDER BY id OFFSET $1)']) {
      expect(marked(RULE, sql), sql).toEqual([]);
    }
    expect(advice('SELECT id FROM posts UNION SELECT id FROM (SELECT id FROM posts ORDER BY id OFFSET $1) x')).toEqual(['WHERE id > $last_id ORDER BY id LIMIT n']);
    expect(marked(RULE, 'WITH x AS (SELECT id FROM posts ORDER BY id OFFSET $1) SELECT id FROM x')).toEqual(['$1']);
  });

  it('a ranking of aggregates: by an alias in any case, a cast alias, or the position of an aggregate', () => {
    const rank = (select: string, order: string) => marked(RULE, `SELECT author_id, ${select} FROM posts GROUP BY author_id, y ORDER BY ${order} LIMIT 20 OFFSET $1`).length;
    expect(rank('count(*) AS N', 'n')).toBe(0);
    expect(rank('count(*)::int AS n', 'n::int')).toBe(0);
    expect(rank('count(*) AS n', '2')).toBe(0);
    expect(rank('count(*) AS n', 'p.n')).toBe(1);
    expect(rank('count(*) AS n', '1')).toBe(1);
    expect(rank('count(*) AS n', '3')).toBe(1);
    expect(rank('max(x) AS m, y AS n', 'n')).toBe(1);
  });
});

describe('no-offset-pagination: the keyset advice', () => {
  it('one key, several in one direction, mixed directions; the LIMIT when it is a literal', () => {
    expect(advice('SELECT id FROM posts ORDER BY id DESC LIMIT $2 OFFSET $1')).toEqual(['WHERE id < $last_id ORDER BY id DESC LIMIT n']);
    expect(advice('SELECT id FROM posts p ORDER BY p.at, p.Id LIMIT 10 OFFSET $1')).toEqual(['WHERE (p.at, p.Id) > ($last_at, $last_id) ORDER BY p.at, p.Id LIMIT 10']);
    expect(advice('SELECT id FROM posts ORDER BY at DESC, score DESC, id LIMIT 10 OFFSET $1')).toEqual(['WHERE at < $last_at OR (at = $last_at AND score < $last_score) OR (at = $last_at AND score = $last_score AND id > $last_id) ORDER BY at DESC, score DESC, id LIMIT 10']);
    expect(advice('SELECT id FROM posts ORDER BY "Created At" DESC LIMIT 10 OFFSET $1')).toEqual(['WHERE ("Created At", id) < ($last_Created_At, $last_id) ORDER BY "Created At" DESC, id DESC LIMIT 10']);
  });

  it('adds id, qualified like the first key, over one table only', () => {
    expect(advice('SELECT id FROM posts p ORDER BY p.at LIMIT 10 OFFSET $1')).toEqual(['WHERE (p.at, p.id) > ($last_at, $last_id) ORDER BY p.at, p.id LIMIT 10']);
    expect(advice('SELECT id FROM posts p ORDER BY at DESC LIMIT 10 OFFSET $1')).toEqual(['WHERE (at, id) < ($last_at, $last_id) ORDER BY at DESC, id DESC LIMIT 10']);
    expect(advice('SELECT id FROM posts p, q ORDER BY p.at LIMIT 10 OFFSET $1')).toEqual(['WHERE p.at > $last_at ORDER BY p.at LIMIT 10']);
  });

  it('no sort key: order by id, qualified by the alias of the one table', () => {
    expect(advice('SELECT id FROM posts p LIMIT 10 OFFSET $1')).toEqual(['order by a unique key and ask for the rows after the last one shown: WHERE p.id > $last_id ORDER BY p.id LIMIT 10']);
    expect(advice('SELECT id FROM posts p, q LIMIT 10 OFFSET $1')).toEqual(['order by a unique key and ask for the rows after the last one shown: WHERE id > $last_id ORDER BY id LIMIT 10']);
  });

  it('an alias that is a filled-in ${} hole is not written into the advice', () => {
    const code = 'db.query(`SELECT id, title FROM posts ${orderBy} OFFSET $1`, [offset]);';
    const d = lintHostSource(code, 'feed.ts', { rules: { [RULE]: 'warn' }, dialect: 'postgresql' }).diagnostics;
    expect(d.map((x) => x.message.slice(x.message.indexOf('instead: ') + 9))).toEqual(['order by a unique key and ask for the rows after the last one shown: WHERE id > $last_id ORDER BY id LIMIT n']);
  });

  it('a sort key that is not a column gets the generic advice, in its direction', () => {
    expect(advice('SELECT id FROM posts ORDER BY lower(t) DESC LIMIT 10 OFFSET $1')).toEqual(['remember the sort key of the last row shown and ask for the rows after it (WHERE <sort key> < <last value> ... ORDER BY ... LIMIT 10), with an index on the sort key']);
    expect(advice('SELECT id FROM posts ORDER BY 1 LIMIT 10 OFFSET $1')).toEqual(['remember the sort key of the last row shown and ask for the rows after it (WHERE <sort key> > <last value> ... ORDER BY ... LIMIT 10), with an index on the sort key']);
  });

  it('skips leading sort columns the WHERE fixes by a plain equality to a value, never the last', () => {
    expect(advice('SELECT id FROM posts WHERE a = $1 AND b = 2 ORDER BY a, b, at LIMIT 10 OFFSET $1')).toEqual(['WHERE (at, id) > ($last_at, $last_id) ORDER BY at, id LIMIT 10']);
    expect(advice('SELECT id FROM posts WHERE a = $1 ORDER BY a LIMIT 10 OFFSET $1')).toEqual(['WHERE (a, id) > ($last_a, $last_id) ORDER BY a, id LIMIT 10']);
    for (const w of ['p.a = $1', '(a = $1 OR b = 1)', 'NOT (a = $1)', 'lower(a) = $1', 'a = b', 'a > $1']) {
      expect(advice(`SELECT id FROM posts p WHERE ${w} ORDER BY a, at LIMIT 10 OFFSET $1`), w).toEqual(['WHERE (a, at, id) > ($last_a, $last_at, $last_id) ORDER BY a, at, id LIMIT 10']);
    }
    expect(advice('SELECT a FROM posts GROUP BY a HAVING a = 1 ORDER BY a, b LIMIT 10 OFFSET $1')).toEqual(['WHERE (a, b, id) > ($last_a, $last_b, $last_id) ORDER BY a, b, id LIMIT 10']);
  });

  it('with the schema: no id after a unique key (not a partial one), nor for a table without an id column', () => {
    expect(advice('SELECT slug FROM posts ORDER BY slug LIMIT 10 OFFSET $1', { ddl: DDL })).toEqual(['WHERE slug > $last_slug ORDER BY slug LIMIT 10']);
    expect(advice('SELECT seq FROM logs ORDER BY at DESC LIMIT 10 OFFSET $1', { ddl: DDL })).toEqual(['WHERE at < $last_at ORDER BY at DESC LIMIT 10']);
    expect(advice('SELECT code FROM items ORDER BY code LIMIT 10 OFFSET $1', { ddl: DDL })).toEqual(['WHERE (code, id) > ($last_code, $last_id) ORDER BY code, id LIMIT 10']);
  });
});

describe('no-offset-pagination: the edges the first mutation run left', () => {
  const V = 'grows with the page number: every page reads and throws away all the rows before it; paginate by key instead: ';
  it('the keyset advice: a position first, a name with blanks, a derived table or a second source gets no id', () => {
    expect(findings(RULE, 'SELECT id FROM posts WHERE user_id = $1 ORDER BY 1, id LIMIT 20 OFFSET $2')).toEqual([`1:72-1:74 OFFSET $2 ${V}remember the sort key of the last row shown and ask for the rows after it (WHERE <sort key> > <last value> ... ORDER BY ... LIMIT 20), with an index on the sort key`]);
    expect(advice('SELECT id FROM posts ORDER BY "created  at" LIMIT 20 OFFSET $1')).toEqual(['WHERE ("created  at", id) > ($last_created_at, $last_id) ORDER BY "created  at", id LIMIT 20']);
    expect(advice('SELECT x FROM (SELECT id AS x FROM posts) s ORDER BY s.x LIMIT 20 OFFSET $1')).toEqual(['WHERE s.x > $last_x ORDER BY s.x LIMIT 20']);
    expect(advice('SELECT p.id FROM posts p, (SELECT 1) x ORDER BY p.created_at LIMIT 20 OFFSET $1')).toEqual(['WHERE p.created_at > $last_created_at ORDER BY p.created_at LIMIT 20']);
  });

  it('a unique index makes the sort unique only when all its columns are sort keys', () => {
    const ddl = (index: string) => ({ ddl: `CREATE TABLE posts (id int, a text, b int); CREATE UNIQUE INDEX pa ON posts ${index};` });
    expect(advice('SELECT id FROM posts ORDER BY a LIMIT 20 OFFSET $1', ddl('(a, b)'))).toEqual(['WHERE (a, id) > ($last_a, $last_id) ORDER BY a, id LIMIT 20']);
    expect(advice('SELECT id FROM posts ORDER BY a, b LIMIT 20 OFFSET $1', ddl('(a)'))).toEqual(['WHERE (a, b) > ($last_a, $last_b) ORDER BY a, b LIMIT 20']);
    expect(advice('SELECT id FROM posts ORDER BY a LIMIT 20 OFFSET $1', ddl('(lower(a))'))).toEqual(['WHERE (a, id) > ($last_a, $last_id) ORDER BY a, id LIMIT 20']);
  });

  it('not in a > ANY subquery (= ANY is IN); the offset text with its blanks collapsed', () => {
    expect(findings(RULE, 'SELECT id FROM posts WHERE id > ANY (SELECT post_id FROM likes ORDER BY post_id LIMIT 5 OFFSET $1)')).toEqual([]);
    expect(findings(RULE, 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1  +  1')).toEqual([`1:50-1:58 OFFSET $1 + 1 ${V}WHERE id > $last_id ORDER BY id LIMIT 20`]);
  });
});
