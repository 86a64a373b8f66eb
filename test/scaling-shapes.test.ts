// Every stage is linear (or n·log n) in the size of a statement: each generated shape is analysed
// at n and 2n with every rule on, and the CPU time may at most triple (a quadratic stage
// quadruples it). Medians of three runs, sizes where one run takes tens of milliseconds or more, CPU
// rather than wall time: robust on a loaded two-core machine. Each shape's findings are checked too.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules, type AnalysisResult, type RulesConfig } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';

beforeAll(() => ready());

const every = Object.fromEntries(rules.map((r) => [r.name, 'warn'])) as RulesConfig;

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * CPU time of analysing the shape at n and at 2n (medians of 3, after a warm-up), and the result at
 * n. A ratio spoiled by a loaded machine is measured once more at 2n and 4n: quadratic fails both.
 */
function measure(make: (n: number) => string, n: number, dialect: Dialect) {
  const first = timeAt(make, n, dialect);
  if (first.ratio < 3) return first;
  return { ...first, ratio: timeAt(make, 2 * n, dialect).ratio };
}

function timeAt(make: (n: number) => string, n: number, dialect: Dialect) {
  const small = make(n);
  const large = make(2 * n);
  let result: AnalysisResult | undefined;
  analyze(small, { dialect, rules: every });
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < 3; k++) {
    a.push(cpuMs(() => (result = analyze(small, { dialect, rules: every }))));
    b.push(cpuMs(() => analyze(large, { dialect, rules: every })));
  }
  return { sql: small, result: result!, ratio: median(b) / Math.max(median(a), 1), ms: median(a) };
}

const at = (sql: string, needle: string, nth = 1): number => {
  let i = -1;
  for (let k = 0; k < nth; k++) i = sql.indexOf(needle, i + 1);
  return i;
};

const shapes = {
  /** the reproducer took 41 s for 3,333 branches: source ranges re-walked every subtree */
  unionAll: (n: number) => Array.from({ length: n }, (_, i) => `SELECT id FROM t${i % 7} WHERE id = ${i}`).join('\nUNION ALL\n'),
  /** 25 s for 1,250 joins: index suggestion */
  joins: (n: number) => 'SELECT * FROM t0 ' + Array.from({ length: n }, (_, i) => `JOIN t${i + 1} ON t${i + 1}.id = t${i}.ref`).join('\n') + ' WHERE t0.id = 1',
  /** 6.7 s for 2,000 ORs, 27 s for 4,000: OR flattening */
  orsAcrossColumns: (n: number) => 'SELECT id FROM t WHERE ' + Array.from({ length: n }, (_, i) => `c${i % 5} = ${i}`).join(' OR '),
  ands: (n: number) => 'SELECT id FROM t WHERE ' + Array.from({ length: n }, (_, i) => `c${i} = ${i}`).join(' AND '),
  arithmetic: (n: number) => 'SELECT ' + Array.from({ length: n }, (_, i) => `c${i % 9}`).join(' + ') + ' FROM t',
};

describe('analysis time grows linearly with the statement', { timeout: 120_000 }, () => {
  it('a UNION ALL chain', () => {
    for (const dialect of ['postgresql', 'mysql'] as const) {
      const m = measure(shapes.unionAll, 500, dialect);
      expect(m.result.diagnostics, dialect).toEqual([]);
      expect(m.ratio, `${dialect}: ${m.ms.toFixed(0)} ms at n`).toBeLessThan(3);
    }
  });

  // PostgreSQL only: node-sql-parser's own grammar is quadratic on a long join list (two thirds of
  // the time at 1,000 joins is inside its parse), which sqlperf cannot change
  it('joins: max-joins points at the ninth join, nothing else', () => {
    for (const dialect of ['postgresql'] as const) {
      const m = measure(shapes.joins, 500, dialect);
      const ninth = at(m.sql, 'JOIN', 9);
      expect(m.result.diagnostics.map((d) => [d.ruleId, d.start, d.end]), dialect).toEqual([['max-joins', ninth, ninth + 'JOIN t9'.length]]);
      expect(m.ratio, `${dialect}: ${m.ms.toFixed(0)} ms at n`).toBeLessThan(3);
    }
  });

  it('ORs across columns: one finding at the first OR', () => {
    for (const dialect of ['postgresql', 'mysql'] as const) {
      const m = measure(shapes.orsAcrossColumns, 2000, dialect);
      const or = at(m.sql, ' OR ') + 1;
      expect(m.result.diagnostics.map((d) => [d.ruleId, d.start, d.end]), dialect).toEqual([['no-or-across-columns', or, or + 2]]);
      expect(m.ratio, `${dialect}: ${m.ms.toFixed(0)} ms at n`).toBeLessThan(3);
    }
  });

  it('ANDs', () => {
    // PostgreSQL analyses 1,500 ANDs in about 13 ms now, too short to time on a loaded machine: 4,000 there
    for (const [dialect, n] of [['postgresql', 4000], ['mysql', 1500]] as const) {
      const m = measure(shapes.ands, n, dialect);
      expect(m.result.diagnostics, dialect).toEqual([]);
      expect(m.ratio, `${dialect}: ${m.ms.toFixed(0)} ms at n`).toBeLessThan(3);
    }
  });

  it('arithmetic chains (node-sql-parser: analysed; PostgreSQL: the nesting warning, also linear)', () => {
    const my = measure(shapes.arithmetic, 3000, 'mysql');
    expect(my.result.diagnostics).toEqual([]);
    expect(my.ratio, `${my.ms.toFixed(0)} ms at n`).toBeLessThan(3);
    // PostgreSQL stops at the nesting limit early: 3,000 terms take ~10 ms, too short to time on a loaded machine
    const pg = measure(shapes.arithmetic, 12000, 'postgresql');
    expect(pg.result.diagnostics.map((d) => [d.ruleId, d.severity, d.start, d.end])).toEqual([['parse-error', 'warn', 0, pg.sql.length]]);
    expect(pg.ratio, `${pg.ms.toFixed(0)} ms at n`).toBeLessThan(3);
  });
});
