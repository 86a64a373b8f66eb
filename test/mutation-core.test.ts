import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { analyze, ready } from '../src/api.js';
import { ConfigError, resolveRules } from '../src/config/rules-config.js';
import { closestName, editDistance } from '../src/did-you-mean.js';
import { byteToCharMapper } from '../src/parse/pg.js';
import { coverage, type Need } from '../src/schema/match.js';
import type { IndexKey, SchemaIndex } from '../src/schema/types.js';

// Golden tests for decisions that hand-made mutations showed unguarded (issue 19): each one pins a
// visible output that a one-token change in the code would alter.

beforeAll(() => ready());

const indexes = (sql: string) => analyze(sql).statements.flatMap((s) => s.indexes.map((i) => i.statement));

describe('index suggestions: column order and join orientation', () => {
  it('puts equality columns first, then the sort column, then the range column (eq, sort, range)', () => {
    // (a, r, s) could not give the ORDER BY s; (a, s, r) reads the rows in order and filters r on the way
    expect(indexes('SELECT id FROM t WHERE a = $1 AND r > $2 ORDER BY s LIMIT 10')).toEqual(['CREATE INDEX idx_t_a_s_r ON t (a, s, r);']);
  });
  it('indexes the looked-up side of a join whichever way the ON is written', () => {
    for (const on of ['u.id = o.user_id', 'o.user_id = u.id']) {
      expect(indexes(`SELECT o.total FROM orders o JOIN users u ON ${on} WHERE u.email = $1`)).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id);', 'CREATE INDEX idx_users_email ON users (email);']);
      expect(indexes(`SELECT u.email FROM users u JOIN orders o ON ${on}`)).toEqual(['CREATE INDEX idx_orders_user_id ON orders (user_id);']);
    }
  });
});

describe('schema matching: an index serves a sort only in its order or wholly reversed', () => {
  const key = (column: string, desc = false): IndexKey => ({ column, expression: null, desc });
  const index = (keys: IndexKey[], extra: Partial<SchemaIndex> = {}): SchemaIndex => ({ name: 'i', table: 't', keys, unique: false, primary: false, constraint: false, implicit: false, method: 'btree', where: null, seq: 0, origin: null, ...extra });
  const sortNeed = (...dirs: Array<[string, boolean]>): Need => ({ eq: [], sort: dirs.map(([column, desc]) => ({ column, expression: null, desc })), range: null });
  it('(a, b) serves ORDER BY a, b and ORDER BY a DESC, b DESC, not mixed directions', () => {
    const ab = index([key('a'), key('b')]);
    expect(coverage(ab, sortNeed(['a', false], ['b', false]))).toEqual({ served: 2, full: true });
    expect(coverage(ab, sortNeed(['a', true], ['b', true]))).toEqual({ served: 2, full: true });
    expect(coverage(ab, sortNeed(['a', false], ['b', true]))).toEqual({ served: 1, full: false });
    expect(coverage(ab, sortNeed(['a', true], ['b', false]))).toEqual({ served: 1, full: false });
  });
  it('(a DESC, b) serves exactly the mixed directions it stores, and their reverse', () => {
    const mixed = index([key('a', true), key('b')]);
    expect(coverage(mixed, sortNeed(['a', true], ['b', false]))).toEqual({ served: 2, full: true });
    expect(coverage(mixed, sortNeed(['a', false], ['b', true]))).toEqual({ served: 2, full: true });
    expect(coverage(mixed, sortNeed(['a', false], ['b', false]))).toEqual({ served: 1, full: false });
  });
  it('equality keys in any order, then the sort, then one range key; a prefix key gives no order', () => {
    const need: Need = { eq: [{ column: 'b', expression: null }, { column: 'a', expression: null }], sort: [{ column: 'c', expression: null, desc: false }], range: { column: 'd', expression: null } };
    expect(coverage(index([key('a'), key('b'), key('c'), key('d')]), need)).toEqual({ served: 4, full: true });
    expect(coverage(index([key('a'), key('b'), key('d'), key('c')]), need)).toEqual({ served: 2, full: false });
    expect(coverage(index([key('a'), key('c')]), need)).toEqual({ served: 1, full: false });
    expect(coverage(index([key('a'), key('b'), { ...key('c'), prefix: 10 }]), need)).toEqual({ served: 2, full: false });
    // a hash index serves one equality and nothing else
    expect(coverage(index([key('a')], { method: 'hash' }), { eq: [{ column: 'a', expression: null }], sort: [], range: null })).toEqual({ served: 1, full: true });
    expect(coverage(index([key('a')], { method: 'hash' }), need)).toEqual({ served: 1, full: false });
    expect(coverage(index([key('c')], { method: 'hash' }), need)).toEqual({ served: 0, full: false });
  });
});

describe('config: numeric severities as in ESLint', () => {
  const severity = (setting: unknown) => resolveRules(rules, { 'no-select-star': setting as never }).active.find((a) => a.rule.name === 'no-select-star')?.severity;
  it('0 is off, 1 warn, 2 error; anything else is a ConfigError naming the rule', () => {
    expect(severity(0)).toBeUndefined();
    expect(severity(1)).toBe('warn');
    expect(severity(2)).toBe('error');
    expect(severity([2, {}])).toBe('error');
    expect(severity('off')).toBeUndefined();
    expect(() => severity(3)).toThrow(new ConfigError('rules.no-select-star: severity must be "off", "warn" or "error" (got 3)'));
    expect(() => severity('2')).toThrow(ConfigError);
  });
  it('a numeric severity turns a recommended rule off too', () => {
    const on = resolveRules(rules, {}).active.map((a) => a.rule.name);
    expect(on).toContain('no-order-by-random');
    expect(resolveRules(rules, { 'no-order-by-random': 0 as never }).active.map((a) => a.rule.name)).not.toContain('no-order-by-random');
  });
});

describe('PostgreSQL positions after multi-byte characters', () => {
  it('maps UTF-8 byte offsets to string offsets for 1-, 2-, 3- and 4-byte characters', () => {
    const text = 'aé€😀b';
    const at = byteToCharMapper(text);
    // bytes: a=0, é=1-2, €=3-5, 😀=6-9 (two UTF-16 units), b=10
    expect([0, 1, 3, 6, 10, 11].map(at)).toEqual([0, 1, 2, 3, 5, 6]);
    expect(at(-1)).toBe(0);
    expect(at(99)).toBe(text.length);
  });
  for (const [label, ch] of [
    ['2-byte', 'é'],
    ['3-byte', '€'],
    ['4-byte', '😀'],
  ] as const) {
    it(`a finding after a ${label} character (${ch}) lands on its own text`, () => {
      const sql = `SELECT '${ch}${ch}' AS x, id FROM t ORDER BY random() LIMIT 1`;
      const r = analyze(sql);
      expect(r.diagnostics.map((d) => [d.ruleId, sql.slice(d.start, d.end)])).toEqual([['no-order-by-random', 'random()']]);
      // PostgreSQL's own error position (a byte offset) lands on the token it names
      const bad = `SELECT '${ch}' FROM t WHERE`;
      const err = analyze(bad).diagnostics[0]!;
      expect([err.ruleId, err.start]).toEqual(['parse-error', bad.indexOf('WHERE')]);
    });
  }
});

describe('did you mean: one implementation for rules, config keys, tables, columns and relations', () => {
  it('suggests the nearest name within max(2, a third of the length) edits, ignoring case, never the name itself', () => {
    expect(closestName('no-selct-star', ['no-select-star', 'no-offset-pagination'])).toBe('no-select-star');
    expect(closestName('rulez', ['dialect', 'rules', 'include'])).toBe('rules');
    expect(closestName('USRES', ['users', 'orders'])).toBe('users');
    // 2 edits are allowed even for a short name; 3 only from 9 characters
    expect(closestName('ab', ['xy'])).toBe('xy');
    expect(closestName('abc', ['xyz'])).toBeUndefined();
    expect(closestName('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz');
    expect(closestName('abcdefgh', ['abcdexyz'])).toBeUndefined();
    expect(closestName('users', ['users'])).toBeUndefined();
    expect(closestName('Users', ['users'])).toBe('users');
    // the first of equally near candidates
    expect(closestName('cat', ['bat', 'hat'])).toBe('bat');
    expect(closestName('x', [])).toBeUndefined();
  });
  it('counts insertions, deletions and substitutions', () => {
    expect([editDistance('', ''), editDistance('abc', ''), editDistance('', 'ab'), editDistance('kitten', 'sitting'), editDistance('flaw', 'lawn')]).toEqual([0, 3, 2, 3, 2]);
  });
});
