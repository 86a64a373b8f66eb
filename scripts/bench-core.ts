import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rules } from '../rules/index.js';
import { analyze } from '../src/analyze.js';
import type { EsProgram } from '../src/embed/index.js';
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

/** Every rule on, for "(b) analyze with all rules". */
export function everyRule(): RulesConfig {
  return Object.fromEntries(rules.map((r) => [r.name, 'warn'])) as RulesConfig;
}

export interface HostRow {
  files: number;
  sites: number;
  bareMs: number;
  analyzeMs: number;
}

/**
 * A JS/TS tree: (a) the parsing that cannot be avoided (typescript-estree on every file that may
 * hold SQL, and the dialect's parser on each embedded statement) vs (b) sqlperf's full lint of
 * those files with every rule (detection, hole filling, analysis, mapping back to the host).
 */
export async function benchHost(files: string[], runs: number): Promise<HostRow> {
  const embed = await import('../src/embed/index.js');
  const { mayHoldSql } = await import('../src/cli/engine.js');
  const estree = require('@typescript-eslint/typescript-estree') as { parse: (code: string, o: object) => EsProgram };
  const texts = files.map((f) => ({ f, code: readFileSync(f, 'utf8') })).filter((t) => mayHoldSql(t.code, embed.DEFAULT_TAGS, embed.DEFAULT_CALLEES));
  const opts = { range: true, loc: false, comment: true, tokens: false, jsx: false, errorOnUnknownASTType: false };
  const sqls: string[] = [];
  for (const t of texts) {
    for (const site of embed.findSqlSites(estree.parse(t.code, opts), t.code)) {
      const e = embed.embedSql(site, 'postgresql');
      if (e.parsed) sqls.push(e.sql);
    }
  }
  const parse = bareParser('postgresql');
  const every = everyRule();
  const bare = median(
    timeRuns(runs, () => {
      for (const t of texts) estree.parse(t.code, opts);
      sqls.forEach(parse);
    }),
  );
  const full = median(timeRuns(runs, () => texts.forEach((t) => embed.lintHostSource(t.code, t.f, { rules: every }))));
  return { files: texts.length, sites: sqls.length, bareMs: bare, analyzeMs: full };
}
