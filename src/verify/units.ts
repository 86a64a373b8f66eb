import type { AnalysisResult } from '../analyze.js';
import { analyzeSite, findSqlSites, type EmbeddedSql } from '../embed/index.js';
import { parseHost } from '../embed/parse-host.js';
import { SYSTEM_TABLES } from '../schema/names.js';
import type { IndexSuggestion } from '../indexes.js';
import type { StatementModel } from '../model/types.js';
import type { RulesConfig } from '../config/rules-config.js';
import type { Range } from '../range.js';

/**
 * One statement to verify: the SQL exactly as PostgreSQL will see it (template holes as `$n`), and
 * how to map a range of it back to the file it came from.
 */
export interface VerifyUnit {
  file: string;
  /** The statement text sent to PostgreSQL. */
  sql: string;
  /** Offset of `sql` in the analysed text; model and suggestion ranges are analysed-text offsets. */
  base: number;
  /** Maps a range of `sql` (0-based in `sql`) to offsets in the file. */
  toHost(range: Range): Range;
  model: StatementModel;
  /** Static index suggestions for this statement (ranges in the analysed text). */
  indexes: IndexSuggestion[];
  /** Set when the statement cannot be checked by PostgreSQL, and why. */
  skip?: string;
}

const EXPLAINABLE = new Set(['select', 'insert', 'update', 'delete', 'merge', 'values']);
const VALUE_FILLS = new Set(['value', 'number', 'text']);

/**
 * The verifiable statements of one analysis. `toHost` maps offsets of the analysed text to the
 * file (identity for .sql files, the embed segment map for SQL in JS/TS).
 */
export function unitsFromAnalysis(file: string, analysis: AnalysisResult, toHost: (r: Range) => Range = (r) => r, embedded?: EmbeddedSql): VerifyUnit[] {
  if (analysis.dialect !== 'postgresql') return [];
  const out: VerifyUnit[] = [];
  analysis.statements.forEach((s, i) => {
    if (!s.model || !EXPLAINABLE.has(s.model.kind)) return;
    const base = s.range.start;
    const sql = analysis.text.slice(base, s.range.end);
    const unit: VerifyUnit = { file, sql, base, toHost: (r) => toHost({ start: r.start + base, end: r.end + base }), model: s.model, indexes: s.indexes };
    if (/__sqlperf_p\d+/.test(sql)) unit.skip = 'a template hole stands for an identifier or SQL text here, so PostgreSQL cannot check the statement';
    // only holes that stand for values are what PostgreSQL will see; any other fill is sqlperf's guess at SQL text
    // up to the next statement: empty fills after the last token (`HAVING count(*) ${op} ${v}`) belong to this one
    const limit = analysis.statements[i + 1]?.range.start ?? analysis.text.length;
    const inside = (r: Range) => r.start <= limit && r.end >= base;
    const guessed = embedded?.holes.find((h) => inside(h.sql) && !VALUE_FILLS.has(h.as));
    if (guessed) unit.skip = `a template hole stands for SQL text (${guessed.as}) here, so PostgreSQL cannot check the statement`;
    if (embedded?.synthetic.some(inside)) unit.skip = 'sqlperf wrapped this fragment to analyse it, so PostgreSQL cannot check it as written';
    const bookkeeping = s.model.blocks.flatMap((b) => b.from).find((t) => t.kind === 'table' && t.name && SYSTEM_TABLES.has(t.name.toLowerCase()));
    if (bookkeeping) unit.skip = `it reads ${bookkeeping.name}, which the migration tool creates and the schema files do not`;
    out.push(unit);
  });
  return out;
}

export interface HostUnitOptions {
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
}

/** The verifiable statements of the SQL embedded in a JS/TS file (none when the file does not parse). */
export function unitsFromHost(file: string, code: string, options: HostUnitOptions = {}): VerifyUnit[] {
  // read as lint reads it (oxc-parser, src/embed/parse-host.ts)
  const parsed = parseHost(code, file);
  if (!parsed.ok) return [];
  const program = parsed.program;
  const sites = findSqlSites(program, code, { ...(options.tags ? { tags: options.tags } : {}), ...(options.callees ? { callees: options.callees } : {}) });
  const out: VerifyUnit[] = [];
  for (const site of sites) {
    const r = analyzeSite(site, { dialect: 'postgresql', ...(options.rules ? { rules: options.rules } : {}) });
    if (r.status !== 'analysed' || !r.analysis || !r.embedded) continue;
    out.push(...unitsFromAnalysis(file, r.analysis, r.embedded.toHost, r.embedded));
  }
  return out;
}
