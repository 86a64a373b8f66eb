import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema } from '../src/schema/index.js';

// Golden tests for src/indexes.ts (issue 19): the exact suggestions, their column order, reasons and
// roles, so that a one-token change in the index planner shows in a failing test (docs/mutation.md).

beforeAll(() => ready());

/** Each suggestion as `statement | reason; reason | role,role`. */
const plan = (sql: string, dialect: Dialect = 'postgresql') =>
  analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => `${i.statement} | ${i.reasons.join('; ')} | ${i.roles.join(',')}`));

describe('same-named tables in two schemas are two tables', () => {
  it('app.users and audit.users each get their own conditions (PostgreSQL, MySQL)', () => {
    const cases: Array<[Dialect, string]> = [
      ['postgresql', 'SELECT u.id FROM app.users u JOIN audit.users a ON a.user_id = u.id WHERE u.email = $1 AND a.actor = $2'],
      ['mysql', 'SELECT u.id FROM app.users u JOIN audit.users a ON a.user_id = u.id WHERE u.email = ? AND a.actor = ?'],
    ];
    for (const [dialect, sql] of cases) {
      expect(plan(sql, dialect)).toEqual([
        'CREATE INDEX idx_users_user_id_actor ON audit.users (user_id, actor); | join user_id =; filter actor = | eq,eq',
        'CREATE INDEX idx_users_email ON app.users (email); | filter email = | eq',
      ]);
    }
  });
  it('a join between them indexes the looked-up schema only', () => {
    // neither side is a key nor filtered: the JOIN brings in s2.t, which is looked up by ref
    expect(plan('SELECT 1 FROM s1.t a JOIN s2.t b ON b.ref = a.ref')).toEqual(['CREATE INDEX idx_t_ref ON s2.t (ref); | join ref = | eq']);
    expect(plan('SELECT 1 FROM s1.t a JOIN s2.t b ON a.ref = b.ref')).toEqual(['CREATE INDEX idx_t_ref ON s2.t (ref); | join ref = | eq']);
  });
  it('public.t and t are the same table in PostgreSQL', () => {
    expect(plan('SELECT 1 FROM public.t a JOIN t b ON a.ref = b.ref WHERE a.x = $1')).toEqual(['CREATE INDEX idx_t_ref_x ON t (ref, x); | join ref =; filter x = | eq,eq']);
  });
  it('with a schema, an expression key is completed only by equality columns of its own schema\'s table', () => {
    // (account_id, lower(email)) serves `lower(email) = $1 AND account_id = $2` on one table, not across s1.t and s2.t
    const schema = loadSchema([{ path: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, email text, account_id int); CREATE INDEX t_acc_email ON t (account_id, lower(email));' }], 'postgresql', {});
    const suggested = (sql: string) => analyze(sql, { schema }).statements.flatMap((s) => s.indexes.map((i) => i.statement));
    expect(suggested('SELECT 1 FROM s2.t b, s1.t a WHERE lower(a.email) = $1 AND b.account_id = $2')).toEqual(['CREATE INDEX idx_t_lower_email ON s1.t ((lower(email)));']);
    expect(suggested('SELECT 1 FROM s1.t a WHERE lower(a.email) = $1 AND a.account_id = $2')).toEqual([]);
  });
});

describe('MySQL names with a doubled backtick', () => {
  it('`a``b` is the column a`b, in the query model and in the schema, and its index quotes it back', () => {
    expect(plan('SELECT `q``r`.`a``b` FROM `t``x` AS `q``r` WHERE `q``r`.`a``b` = ? ORDER BY `c``d`', 'mysql')).toEqual(['CREATE INDEX idx_t_x_a_b_c_d ON `t``x` (`a``b`, `c``d`); | filter a`b =; sort c`d | eq,sort']);
    expect(plan('UPDATE t SET x = 1 WHERE `a``b` = ?', 'mariadb')).toEqual(['CREATE INDEX idx_t_a_b ON t (`a``b`); | filter a`b = | eq']);
    const schema = loadSchema([{ path: 's.sql', text: 'CREATE TABLE `t``x` (id int PRIMARY KEY, `a``b` int, c int); CREATE INDEX i ON `t``x` (`a``b`);' }], 'mysql', {});
    const t = schema.tables.get('t`x');
    expect(t?.columns.map((c) => c.name)).toEqual(['id', 'a`b', 'c']);
    expect(t?.indexes.find((i) => i.name === 'i')?.keys.map((k) => k.column)).toEqual(['a`b']);
    const r = analyze('SELECT `a``b` FROM `t``x` WHERE `a``b` = ? AND nope = 1', { dialect: 'mysql', schema, rules: { 'unknown-column': 'error' } });
    // the existing index serves the equality; only the misspelt column is unknown
    expect(r.statements.flatMap((s) => s.indexes)).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.start}-${d.end} ${d.message}`)).toEqual(['unknown-column 47-51 column nope is not in t`x']);
  });
});

describe('likePrefix: the typed mark --verify reads for its collation note', () => {
  const marks = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => `${i.statement} ${i.likePrefix ?? '-'}`));
  it('is set on the B-tree that serves a LIKE or SIMILAR TO prefix, and on nothing else', () => {
    expect(marks("SELECT id FROM t WHERE a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
    expect(marks("SELECT id FROM t WHERE a SIMILAR TO 'ab%'")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
    expect(marks("SELECT id FROM t WHERE b = $1 AND a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_b_a ON t (b, a); true']);
    expect(marks('SELECT id FROM t WHERE a > $1')).toEqual(['CREATE INDEX idx_t_a ON t (a); -']);
    expect(marks("SELECT id FROM t WHERE a LIKE '%ab%'")).toEqual(['CREATE INDEX idx_t_a_trgm ON t USING gin (a gin_trgm_ops); -']);
    // a second range column is left out of the index, and its LIKE with it
    expect(marks("SELECT id FROM t WHERE b > $1 AND a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_b ON t (b); -']);
    expect(marks("SELECT id FROM t WHERE a LIKE 'ab%' AND b > $1")).toEqual(['CREATE INDEX idx_t_a ON t (a); true']);
  });
  it('survives a merge into a longer index of the same table', () => {
    // (a) from the subquery's LIKE prefix merges into (a, b): the host serves that LIKE with its first key
    expect(marks("SELECT id FROM t WHERE a = $1 AND b = $2 UNION SELECT id FROM t WHERE a LIKE 'ab%'")).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b); true']);
  });
});
