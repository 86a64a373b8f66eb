import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rules } from '../rules/index.js';
import { analyze } from '../src/analyze.js';
import type { RulesConfig } from '../src/config/rules-config.js';
import type { Dialect } from '../src/dialect.js';
import { lex } from '../src/parse/lexer.js';
import { parsePg } from '../src/parse/pg.js';
import { splitStatements } from '../src/parse/split.js';

/** Corpus folders and the dialect that parses each. */
export const CORPUS_DIALECTS: Record<string, Dialect> = { postgres: 'postgresql', mysql: 'mysql', sqlite: 'sqlite', bigquery: 'bigquery', tsql: 'transactsql', snowflake: 'snowflake' };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function timeRuns(runs: number, fn: () => void): number[] {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function loadCorpus(root: string, folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const require = createRequire(import.meta.url);

/** The parser that serves the dialect, on its own, statement by statement (what sqlperf feeds it). */
export function bareParser(dialect: Dialect): (sql: string) => void {
  if (dialect === 'postgresql') return (sql) => void parsePg(sql);
  const build = require(`node-sql-parser/build/${dialect}.js`) as { Parser: new () => { astify(s: string, o: object): unknown } };
  const p = new build.Parser();
  const opt = { database: dialect, parseOptions: { includeLocations: true }, trimQuery: false };
  return (sql) => {
    try {
      p.astify(sql, opt);
    } catch {
      /* failures are part of the work */
    }
  };
}

export interface CoreRow {
  corpus: string;
  statements: number;
  bareMs: number;
  analyzeMs: number;
}

/** (a) the bare parse and (b) full analysis with every rule, on the same statements. */
export function benchCore(root: string, runs: number): CoreRow[] {
  const rows: CoreRow[] = [];
  const every = Object.fromEntries(rules.map((r) => [r.name, 'warn'])) as RulesConfig;
  for (const [folder, dialect] of Object.entries(CORPUS_DIALECTS)) {
    const texts = loadCorpus(root, folder);
    if (!texts.length) continue;
    const stmts = texts.flatMap((t) => splitStatements(lex(t, dialect)).map((c) => t.slice(c.start, c.end)));
    const parse = bareParser(dialect);
    const bare = median(timeRuns(runs, () => stmts.forEach(parse)));
    const full = median(timeRuns(runs, () => texts.forEach((t) => analyze(t, { dialect, rules: every }))));
    rows.push({ corpus: folder, statements: stmts.length, bareMs: bare, analyzeMs: full });
  }
  return rows;
}
