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
