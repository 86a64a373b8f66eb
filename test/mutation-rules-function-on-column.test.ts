import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, marked, type RunOptions } from './helpers/rule-findings.js';

// Golden tests for rules/no-function-on-column.ts (issue 19, mutation testing): which wrappers and
// predicate kinds are reported, the wrapper's range and text (blanks collapsed), the columns that
// belong to a real table, residual filters, system catalogs and the schema's indexes.

beforeAll(() => ready());

const RULE = 'no-function-on-column';
const wrapped = (expr: string, column: string) => `${expr} wraps the column ${column}, so an index on ${column} cannot be used; compare the bare column (move the computation to the value side) or add an expression index on ${expr}`;
const where = (w: string, o?: RunOptions) => marked(RULE, `SELECT id FROM users WHERE ${w}`, o);

describe('no-function-on-column: what is reported', () => {
  it('the wrapper\'s range, its text with blanks collapsed, and the column as written', () => {
    expect(findings(RULE, 'SELECT id FROM users WHERE lower(email) = $1')).toEqual([`1:28-1:40 ${wrapped('lower(email)', 'email')}`]);
    expect(findings(RULE, "SELECT id FROM users WHERE lower(  email\n ) = 'a'")).toEqual([`1:28-2:3 ${wrapped('lower( email )', 'email')}`]);
    expect(findings(RULE, "SELECT id FROM users u JOIN orders o ON date(o.created_at) = '2024-01-01'")).toEqual([`1:41-1:59 ${wrapped('date(o.created_at)', 'o.created_at')}`]);
    expect(findings(RULE, "UPDATE users SET a = 1 WHERE lower(email) = 'a'")).toEqual([`1:30-1:42 ${wrapped('lower(email)', 'email')}`]);
  });

  it('functions, casts, arithmetic and concatenation; not JSON access, subscripts, aggregates or window functions', () => {
    for (const w of ["DATE(created_at) = '2024-05-01'", 'price * 1.2 > 100', 'CAST(id AS text) = $1', 'id::text = $1', 'a + 0 = 1', "first || last = 'ab'", 'a - 1 = 2', 'a / 2 = 1', 'a % 4 = 1', 'mod(a, 4) = 1']) {
      expect(where(w), w).toEqual([w.slice(0, w.lastIndexOf(w.includes(' > ') ? ' > ' : ' = '))]);
    }
    for (const w of ["data->>'k' = 'x'", "tags[1] = 'x'", 'count(a) = 1', 'row_number() OVER () = 1']) expect(where(w), w).toEqual([]);
  });

  it('equality, range, IN and a prefix LIKE; not a leading wildcard, IS NULL, a not-equal, under NOT, in HAVING', () => {
    for (const w of ["lower(email) IN ('a', 'b')", "lower(email) LIKE 'ab%'"]) expect(where(w), w).toEqual(['lower(email)']);
    for (const w of ["lower(email) LIKE '%ab'", 'lower(email) IS NULL', "NOT (lower(email) = 'a')", "lower(email) <> 'a'"]) expect(where(w), w).toEqual([]);
    // no B-tree index serves ILIKE, so an expression index would not help
    for (const w of ["concat(first, ' ', last) ILIKE $1", "lower(email) ILIKE 'ab%'", "lower(email) ~~* 'ab%'"]) expect(where(w), w).toEqual([]);
    expect(where("concat(first, ' ', last) LIKE $1")).toEqual(["concat(first, ' ', last)"]);
    expect(marked(RULE, "SELECT status FROM users GROUP BY status HAVING lower(status) = 'a'")).toEqual([]);
  });

  it('not a remainder by a parameter (work shared among workers)', () => {
    expect(where('a % $1 = $2')).toEqual([]);
    expect(where('mod(a, $1) = $2')).toEqual([]);
    expect(where('mod(a, 4 + $1) = $2')).toEqual([]);
    expect(where('a MOD $1 = $2', { dialect: 'mysql' })).toEqual([]);
    // a parameter elsewhere: the first argument, another operator or function
    for (const w of ['mod(a + $1, 4) = 1', 'a + $1 = $2', 'round(a, $1) = $2']) expect(where(w), w).toEqual([w.slice(0, w.lastIndexOf(' = '))]);
  });

  it('not a substring search for a parameter (a contains search: no rewrite or expression index serves it)', () => {
    for (const w of ['position($1 in lower(name)) > 0', 'strpos(name, $1) > 0', 'pg_catalog.strpos(name, $1) > 0']) expect(where(w), w).toEqual([]);
    for (const w of ['locate(?, name) > 0', 'instr(name, ?) > 0', 'position(? in name) > 0']) expect(where(w, { dialect: 'mysql' }), w).toEqual([]);
    expect(where('charindex(@p, name) > 0', { dialect: 'transactsql' })).toEqual([]);
    // a fixed needle can get an expression index; a parameter in another function is no search
    for (const w of ["position('@' in name) > 0", "strpos(lower(name), 'x') > 0", 'left(name, $1) = $2']) expect(where(w), w).toEqual([w.slice(0, w.lastIndexOf(w.includes(' > ') ? ' > ' : ' = '))]);
  });

  it('not a negation, which is no wrapper; a value that only looks like a leading wildcard is no LIKE', () => {
    expect(where('-a = 1')).toEqual([]);
    expect(where("lower(email) = '%x'")).toEqual(['lower(email)']);
    expect(marked(RULE, "SELECT 1 WHERE lower(x) = 'a'")).toEqual([]);
  });
});

describe('no-function-on-column: where an index could be', () => {
  it('not against a column of the same block (an index on it serves a join), nor on an outer column', () => {
    expect(where('lower(email) = lower(name)')).toEqual([]);
    expect(marked(RULE, 'SELECT id FROM users u JOIN orders o ON date(o.created_at) = u.day')).toEqual([]);
    expect(marked(RULE, "SELECT 1 FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE lower(u.email) = 'a')")).toEqual([]);
  });

  it('a bare column only when every FROM item is a table; not a CTE or derived table\'s column, nor a system catalog', () => {
    expect(marked(RULE, "SELECT 1 FROM users u, x WHERE lower(email) = 'a'")).toEqual(['lower(email)']);
    for (const sql of [
      "SELECT 1 FROM users u, (SELECT 1) d WHERE lower(email) = 'a'",
      "WITH x AS (SELECT email FROM users) SELECT 1 FROM x WHERE lower(email) = 'a'",
      "WITH x AS (SELECT email FROM users) SELECT 1 FROM x WHERE lower(x.email) = 'a'",
      "SELECT 1 FROM pg_class WHERE lower(relname) = 'a'",
      "SELECT 1 FROM information_schema.tables WHERE lower(table_name) = 'a'",
    ]) expect(marked(RULE, sql), sql).toEqual([]);
  });
});

describe('no-function-on-column: residual filters and the schema', () => {
  it('not beside a key equality or a sargable range on the same column; other conditions do not count', () => {
    expect(where('tenant_id = $1 AND lower(name) = $2')).toEqual([]);
    expect(where('date(created_at) = $1 AND created_at >= $2')).toEqual([]);
    expect(where("kind = 'x' AND lower(name) = $2")).toEqual(['lower(name)']);
    for (const w of ['date(created_at) = $1 AND updated_at >= $2', 'date(created_at) = $1 AND (created_at >= $2 OR a = 1)', 'date(created_at) = $1 AND NOT (created_at >= $2)']) expect(where(w), w).toEqual(['date(created_at)']);
    expect(where('date(created_at) = $1 AND created_at + 0 >= $2')).toEqual(['date(created_at)', 'created_at + 0']);
    expect(where("date(created_at) = $1 AND created_at = '2024-01-01'")).toEqual(['date(created_at)']);
    expect(marked(RULE, 'SELECT 1 FROM users u, orders o WHERE date(o.created_at) = $1 AND u.created_at >= $2')).toEqual(['date(o.created_at)']);
    expect(marked(RULE, 'SELECT created_at FROM users WHERE date(created_at) = $1 GROUP BY created_at HAVING created_at >= $2')).toEqual(['date(created_at)']);
    expect(marked(RULE, 'SELECT status FROM users WHERE date(created_at) = $1 GROUP BY status HAVING max(created_at) >= $2')).toEqual(['date(created_at)']);
  });

  it('with the schema: not when an index has the exact expression; a key equality needs an index', () => {
    expect(where("lower(email) = 'a'", { ddl: 'CREATE TABLE users (id int, email text); CREATE INDEX ON users (lower(email));' })).toEqual([]);
    expect(where("lower(email) = 'a'", { ddl: 'CREATE TABLE users (id int, email text); CREATE INDEX ON users (upper(email));' })).toEqual(['lower(email)']);
    expect(where("lower(email) = 'a' AND id = 5", { ddl: 'CREATE TABLE users (id int, email text);' })).toEqual(['lower(email)']);
    expect(where("lower(email) = 'a' AND org = 5", { ddl: 'CREATE TABLE users (id int, email text, org int); CREATE INDEX ON users (org);' })).toEqual([]);
  });
});
