import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { DIALECTS, type Dialect } from '../src/dialect.js';
import { rng } from '../scripts/bench-tree.js';

beforeAll(() => ready());

/** Every diagnostic stays inside the text; nothing throws. Returns the result for further checks. */
function safe(sql: string, dialect: Dialect) {
  const res = analyze(sql, { dialect });
  for (const d of res.diagnostics) {
    expect(d.start, `${dialect}: ${sql.slice(0, 60)}`).toBeGreaterThanOrEqual(0);
    expect(d.end).toBeLessThanOrEqual(sql.length);
    expect(d.end).toBeGreaterThanOrEqual(d.start);
  }
  return res;
}

const timed = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

/** The reproducers measured in shared/PARSER-FACTS.md, each a regression test. */
describe('parser failure modes from PARSER-FACTS', () => {
  it('BigQuery DELETE (TypeError inside node-sql-parser) is a diagnostic', () => {
    const res = safe('DELETE FROM dataset.t WHERE id = 1', 'bigquery');
    expect(res.statements).toHaveLength(1);
  });
  it('Snowflake a.b.c.d (ReferenceError inside node-sql-parser) is a diagnostic', () => {
    safe('SELECT a.b.c.d FROM t', 'snowflake');
  });
  it('deep closed nesting (stack overflow inside node-sql-parser) is capped with a clear message', () => {
    for (const depth of [100, 700, 1024]) {
      const res = safe('SELECT ' + '('.repeat(depth) + '1' + ')'.repeat(depth), 'mysql');
      expect(res.diagnostics.map((d) => d.message)).toEqual([`statement not analysed: brackets nested deeper than 64 (limits.maxNesting)`]);
    }
    // PostgreSQL's own parser handles depth itself, with an error rather than a crash
    safe('SELECT ' + '('.repeat(10000) + '1' + ')'.repeat(10000), 'postgresql');
  });
  it('exponential cases stay fast', () => {
    const cases: Array<[string, Dialect]> = [
      ['SELECT * FROM t WHERE ' + '('.repeat(14), 'postgresql'],
      ['SELECT * FROM t WHERE ' + '('.repeat(14), 'mysql'],
      ['SELECT ' + '(SELECT '.repeat(5), 'bigquery'],
      ['SELECT * FROM t WHERE ' + 'NOT ('.repeat(12) + 'a = 1' + ')'.repeat(12), 'mysql'],
      ['SELECT 1 FROM t WHERE ' + 'EXISTS (SELECT 1 FROM s WHERE '.repeat(12) + 'a = 1' + ')'.repeat(12), 'mysql'],
    ];
    for (const [sql, dialect] of cases) {
      const ms = timed(() => safe(sql, dialect));
      // generous bound: the parser's own time limit is 1 s; unbounded runs took many seconds
      expect(ms, `${dialect}: ${sql.slice(0, 50)}`).toBeLessThan(2500);
    }
  });
});

describe('pathological inputs stay bounded', () => {
  it('a 10,000-element IN list, 50-way joins, a statement over the size limit', () => {
    const inList = 'SELECT id FROM t WHERE id IN (' + Array.from({ length: 10000 }, (_, i) => i).join(', ') + ')';
    for (const dialect of ['postgresql', 'mysql'] as const) expect(safe(inList, dialect).statements[0]!.model).not.toBeNull();
    const joins = 'SELECT t0.id FROM t0 ' + Array.from({ length: 50 }, (_, i) => `JOIN t${i + 1} ON t${i + 1}.id = t${i}.id`).join(' ');
    expect(safe(joins, 'postgresql').diagnostics.map((d) => d.ruleId)).toEqual(['max-joins']);
    const huge = 'SELECT ' + Array.from({ length: 40000 }, (_, i) => `c${i}`).join(', ') + ' FROM t';
    const res = safe(huge, 'postgresql');
    expect(res.diagnostics[0]!.message).toMatch(/KB is over the 256 KB limit/);
  });
  it('unterminated strings and comments, NUL bytes, lone surrogates', () => {
    for (const dialect of DIALECTS) {
      for (const sql of ["SELECT 'abc", 'SELECT "abc', 'SELECT 1 /* never closed', 'SELECT $$body', 'SELECT \u0000 FROM t', 'SELECT \ud800 FROM t', 'SELECT `x', 'SELECT [x']) safe(sql, dialect);
    }
  });
});

// a seeded PRNG, so CI runs are repeatable; FUZZ_SEED / FUZZ_RUNS widen the search locally (npm run fuzz)
const prng = rng;

function seedStatements(): string[] {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'rules');
  const out: string[] = [];
  for (const rule of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, rule))) {
      for (const s of readFileSync(join(dir, rule, f), 'utf8').split(';')) if (s.trim()) out.push(s);
    }
  }
  return out;
}

const PIECES = ['(', ')', "'", '"', '`', '[', ']', ';', '--', '/*', '*/', '$$', '$1', '?', ':p', ',', '.', '*', ' SELECT ', ' FROM ', ' WHERE ', ' JOIN ', ' ON ', ' OR ', ' AND ', ' NOT ', ' IN ', ' LIKE ', " '%x' ", ' UNION ', ' ORDER BY ', ' LIMIT ', ' (SELECT 1) ', ' EXISTS ', '\n', '\r\n', '\u0000', 'é', '🎉'];

describe('fuzz: random and mutated SQL never throws or reports outside the input', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261126);
  const runs = Number(process.env.FUZZ_RUNS ?? 300);
  it(`seed ${seed}, ${runs} cases per dialect`, () => {
    const rand = prng(seed);
    const seeds = seedStatements();
    const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
    for (const dialect of DIALECTS) {
      for (let i = 0; i < runs; i++) {
        let sql = pick(seeds);
        const edits = 1 + Math.floor(rand() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rand() * (sql.length + 1));
          const op = rand();
          if (op < 0.4) sql = sql.slice(0, at) + pick(PIECES) + sql.slice(at);
          else if (op < 0.7) sql = sql.slice(0, at) + sql.slice(at + 1 + Math.floor(rand() * 8));
          else if (op < 0.85) sql = sql.slice(0, at);
          else sql = sql + ';' + pick(seeds);
        }
        safe(sql, dialect);
      }
    }
  });
});

const HOST_PIECES = ['`', '${', '}', '${x}', "'", '"', '\\', '\n', '\r\n', '(', ')', ';', '//', '/*', '*/', ' sql`', ' db.query(`', ' SELECT * FROM t WHERE a LIKE \'%x\' ', '<div>', ' as any', 'for (const x of y) ', 'é', '🎉'];

function hostSeeds(): string[] {
  const dirs = [join(import.meta.dirname, '..', 'fixtures', 'embed'), join(import.meta.dirname, '..', 'fixtures', 'embed', 'host'), join(import.meta.dirname, '..', 'fixtures', 'demo', 'src')];
  return dirs.flatMap((d) => readdirSync(d).filter((f) => /\.[cm]?[jt]sx?$/.test(f)).map((f) => readFileSync(join(d, f), 'utf8')));
}

describe('fuzz: mutated JS/TS through the embed layer and the ESLint plugin', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261126);
  const runs = Math.max(20, Math.floor(Number(process.env.FUZZ_RUNS ?? 300) / 5));
  it(`seed ${seed}, ${runs} files`, async () => {
    const { lintHostSource } = await import('../src/embed/index.js');
    const { Linter } = await import('eslint');
    const plugin = (await import('../eslint-plugin/index.js')).default;
    const linter = new Linter({ configType: 'flat' });
    const config = [{ files: ['**/*.ts'], languageOptions: { parser: (await import('@typescript-eslint/parser')).default } }, plugin.configs.all as never];
    const rand = rng(seed + 1);
    const seeds = hostSeeds();
    const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
    for (let i = 0; i < runs; i++) {
      let code = pick(seeds);
      for (let e = 0; e < 1 + Math.floor(rand() * 3); e++) {
        const at = Math.floor(rand() * (code.length + 1));
        code = rand() < 0.6 ? code.slice(0, at) + pick(HOST_PIECES) + code.slice(at) : code.slice(0, at) + code.slice(at + 1 + Math.floor(rand() * 12));
      }
      const r = lintHostSource(code, 'f.ts');
      for (const d of r.diagnostics) {
        expect(d.start).toBeGreaterThanOrEqual(0);
        expect(d.end).toBeLessThanOrEqual(code.length);
      }
      // ESLint itself reports JS syntax errors as fatal messages; sqlperf's rules must never throw
      const messages = linter.verify(code, config, { filename: 'f.ts' });
      for (const m of messages) expect(m.message, `sqlperf rule crashed on:\n${code}`).not.toMatch(/^(?:Error|TypeError|RangeError) while/);
    }
  }, 120_000);
});
