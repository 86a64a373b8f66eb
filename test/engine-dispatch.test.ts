import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { ready } from '../src/api.js';
import { defineHostRule, defineRule, type AnyRule } from '../src/rule.js';

beforeAll(() => ready());

/** A rule that records the keyword of every statement the engine hands it. */
function spy(name: string, ddl: boolean, seen: string[]): AnyRule {
  return defineRule({
    name,
    category: 'performance',
    severity: 'warn',
    recommended: true,
    ddl,
    description: 'test',
    messages: { m: 'm' },
    docs: { why: '', bad: '', good: '' },
    check(ctx) {
      seen.push(ctx.statement.kind);
    },
  }) as AnyRule;
}

const sql = 'CREATE INDEX a_b ON a (b);\nSELECT b FROM a WHERE b = 1;\nALTER TABLE a ADD COLUMN c int;\nDELETE FROM a WHERE b = 2;';

describe('which statements the engine hands a rule', () => {
  for (const dialect of ['postgresql', 'mysql'] as const) {
    it(`${dialect}: query rules see only statements with query blocks; ddl rules see every statement`, () => {
      const query: string[] = [];
      const ddl: string[] = [];
      const ruleSet = [spy('query-spy', false, query), spy('ddl-spy', true, ddl)];
      analyze(sql, { dialect, ruleSet, rules: { 'query-spy': 'warn', 'ddl-spy': 'warn' } as never });
      expect(query).toEqual(['select', 'delete']);
      expect(ddl).toEqual(['other', 'select', 'other', 'delete']);
    });
  }

  it('a host rule is never handed a statement (it reads JS/TS sites)', () => {
    let called = 0;
    const host = defineHostRule({ name: 'host-spy', category: 'performance', severity: 'warn', recommended: true, description: 'test', messages: { m: 'm' }, docs: { why: '', bad: '', good: '' }, checkSite() {} });
    host.check = () => void called++;
    analyze(sql, { ruleSet: [host as AnyRule], rules: { 'host-spy': 'warn' } as never });
    expect(called).toBe(0);
  });
});

describe('PostgreSQL statements that cannot be queries are checked without building their tree', () => {
  it('a syntax error in DDL keeps its message and exact position', () => {
    const text = 'CREATE INDEX a_b ON a (b);\nALTER TABLE a ADD COLUMN c intt );\nGRANT SELECT ON a TO;';
    const found = analyze(text).diagnostics.map((d) => [d.ruleId, text.slice(d.start, d.end), d.start, d.message]);
    expect(found).toEqual([
      ['parse-error', ')', 59, 'syntax error at or near ")"'],
      ['parse-error', 'TO', 80, 'syntax error at end of input'],
    ]);
  });

  it('valid DDL is an unmodelled statement named by its first words', () => {
    const r = analyze('CREATE TABLE t AS SELECT * FROM u;\nCOMMENT ON TABLE t IS $$x$$;');
    expect(r.statements.map((s) => [s.kind, s.model?.keyword])).toEqual([
      ['other', 'CREATE TABLE'],
      ['other', 'COMMENT ON'],
    ]);
  });

  it('every way a query can start is still modelled', () => {
    const r = analyze('(SELECT 1);\nTABLE t;\nVALUES (1);\nWITH x AS (SELECT 1) SELECT * FROM x;\n/* c */ select 1;\nMERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE;');
    expect(r.statements.map((s) => s.kind)).toEqual(['select', 'select', 'values', 'select', 'select', 'merge']);
  });
});
