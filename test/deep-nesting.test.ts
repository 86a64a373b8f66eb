// Deep statements: every stage either analyses them or says, at warning level, that they are
// nested too deeply for sqlperf; never a stack overflow, and never a result that depends on the
// stack size of the thread that ran it (`--concurrency` runs analysis in workers).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { MAX_NESTING } from '../src/model/deep.js';

beforeAll(() => ready());

const arithmetic = (n: number) => 'SELECT ' + Array.from({ length: n }, (_, i) => `c${i % 9}`).join(' + ') + ' FROM t';
const ands = (n: number) => 'SELECT id FROM t WHERE ' + Array.from({ length: n }, (_, i) => `c${i} = ${i}`).join(' AND ');
function nestedIn(n: number): string {
  let s = 'SELECT id FROM t WHERE a = 1';
  for (let i = 0; i < n; i++) s = `SELECT id FROM t${i} WHERE id IN (${s})`;
  return s;
}

function findings(sql: string, dialect: Dialect = 'postgresql') {
  const r = analyze(sql, { dialect });
  return { r, list: r.diagnostics.map((d) => ({ ruleId: d.ruleId, severity: d.severity, start: d.start, end: d.end, tooDeep: d.message.includes('too deeply for sqlperf') })) };
}

const tooDeep = (sql: string) => [{ ruleId: 'parse-error', severity: 'warn', start: 0, end: sql.length, tooDeep: true }];

describe('deep statements', { timeout: 120_000 }, () => {
  it('a chain of 20,000 additions (libpg-query itself overflows the stack) is one warning over the statement', () => {
    const sql = arithmetic(20_000);
    expect(findings(sql).list).toEqual(tooDeep(sql));
  });

  it('an expression just under the nesting limit is analysed, one over it is the warning', () => {
    const under = arithmetic(MAX_NESTING - 1);
    const { r, list } = findings(under);
    expect(list).toEqual([]);
    expect(r.statements[0]!.model?.kind).toBe('select');
    const over = arithmetic(MAX_NESTING + 5);
    expect(findings(over).list).toEqual(tooDeep(over));
  });

  it('1,000 nested IN subqueries: the warning, in PostgreSQL; the bracket limit names the first bracket too deep elsewhere', () => {
    const sql = nestedIn(1000);
    expect(findings(sql).list).toEqual(tooDeep(sql));
    const my = findings(sql, 'mysql').list;
    expect(my).toHaveLength(1);
    // the 65th "(" opens the first level past limits.maxNesting (64)
    let at = -1;
    for (let k = 0; k < 65; k++) at = sql.indexOf('(', at + 1);
    expect(my[0]).toMatchObject({ ruleId: 'parse-error', severity: 'warn', start: at, end: at + 1 });
  });

  it('5,000 AND terms and 20,000 additions are chains, not nesting: analysed in node-sql-parser dialects', () => {
    for (const [sql, dialect] of [
      [ands(5000), 'postgresql'],
      [ands(5000), 'mysql'],
      [arithmetic(20_000), 'mysql'],
      [arithmetic(20_000), 'sqlite'],
    ] as const) {
      const { r, list } = findings(sql, dialect);
      expect(list, `${dialect}: ${sql.slice(0, 40)}`).toEqual([]);
      expect(r.statements[0]!.model?.kind).toBe('select');
    }
  });

  it('the statement after a deep one is still analysed, with its own findings', () => {
    const deep = arithmetic(20_000);
    const sql = `${deep};\nSELECT * FROM orders ORDER BY random() LIMIT 5;`;
    const r = analyze(sql, { rules: { 'no-order-by-random': 'warn' } });
    const at = sql.indexOf('random()');
    expect(r.diagnostics.map((d) => [d.ruleId, d.start, d.end])).toEqual([
      ['parse-error', 0, deep.length],
      ['no-order-by-random', at, at + 'random()'.length],
    ]);
  });
});

// the same analysis under a small and a large stack: identical findings (run from dist/, `npm run build`)
const dist = join(import.meta.dirname, '..', 'dist', 'src', 'api.js');
describe.skipIf(!existsSync(dist))('results do not depend on the stack size', { timeout: 120_000 }, () => {
  it('--stack-size 400 KB and 3,500 KB give the same findings on deep input', () => {
    const script = `
      const { analyze, ready, rules } = await import(${JSON.stringify(pathToFileURL(dist).href)});
      await ready();
      const every = Object.fromEntries(rules.map((r) => [r.name, 'warn']));
      const arithmetic = (n) => 'SELECT ' + Array.from({ length: n }, (_, i) => 'c' + (i % 9)).join(' + ') + ' FROM t';
      let nested = 'SELECT id FROM t WHERE a = 1';
      for (let i = 0; i < 1000; i++) nested = 'SELECT id FROM t' + i + ' WHERE id IN (' + nested + ')';
      let derived = 'SELECT id FROM t';
      for (let i = 0; i < 1000; i++) derived = 'SELECT id FROM (' + derived + ') d' + i;
      const out = [];
      for (const sql of [arithmetic(300), arithmetic(3000), arithmetic(20000), nested, derived])
        for (const dialect of ['postgresql', 'mysql']) out.push(analyze(sql, { dialect, rules: every }).diagnostics.map((d) => [d.ruleId, d.severity, d.start, d.end, d.message]));
      console.log(JSON.stringify(out));`;
    const run = (kb: number) => JSON.parse(execFileSync(process.execPath, [`--stack-size=${kb}`, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })) as unknown[][];
    const small = run(400);
    const large = run(3500);
    expect(small).toEqual(large);
    // and the deep ones are the warning, not an overflow reported as an error
    const flat = small.flat() as Array<[string, string, number, number, string]>;
    expect(flat.filter((d) => /Maximum call stack|internal error/.test(d[4]))).toEqual([]);
    expect(flat.filter((d) => d[4].includes('too deeply for sqlperf')).length).toBeGreaterThanOrEqual(4);
  });
});
