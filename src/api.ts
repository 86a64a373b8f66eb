import { analyze as analyzeText, type AnalysisResult, type AnalyzeOptions } from './analyze.js';
import { ConfigError } from './config/rules-config.js';
import { DIALECTS, normalizeDialect } from './dialect.js';

export { buildModel } from './analyze.js';
export { ready } from './ready.js';
export type { AnalysisResult, AnalyzeOptions, StatementResult } from './analyze.js';
export { rules } from '../rules/index.js';
export { defineRule, formatMessage } from './rule.js';
export type { AnyRule, Category, Diagnostic, RuleContext, RuleDefinition, RuleDocs, Severity } from './rule.js';
export { DIALECTS, normalizeDialect, type Dialect } from './dialect.js';
export { resolveRules, ConfigError, type RulesConfig, type RuleSetting } from './config/rules-config.js';
export { estimateCost, WEIGHTS, LEVELS, type Cost, type CostFactor } from './cost.js';
export { suggestIndexes, mergeSuggestions, type IndexSuggestion } from './indexes.js';
export { predicatesOf, type Predicate } from './model/predicates.js';
export type * from './model/types.js';
export { lineStarts, toLineCol, type Range, type LineCol } from './range.js';
export { fingerprintPg as fingerprint } from './parse/pg.js';

/** The shape of the original brief: one query in, cost, index usage and flags out. */
export interface QueryReport {
  estimatedCost: number;
  costLevel: 'low' | 'medium' | 'high';
  indexUsage: { suggestedIndexes: string[] };
  suggestions: string[];
  warningFlags: string[];
}

/**
 * Analyses a SQL text (see analyze.ts). Checks what the caller passes first: a dialect sqlperf does not
 * know (`dialect` accepts the CLI's spellings: `postgres`, `pg`, `tsql`, `mssql`, `sqlserver`) or bad
 * rule settings throw a ConfigError naming the problem; the SQL itself never makes it throw.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  if (typeof text !== 'string') throw new TypeError(`analyze: the SQL text must be a string (got ${text === null ? 'null' : typeof text})`);
  if (options.dialect === undefined) return analyzeText(text, options);
  const dialect = normalizeDialect(options.dialect);
  if (!dialect) throw new ConfigError(`analyze: unknown dialect ${JSON.stringify(options.dialect)}; use one of ${DIALECTS.join(', ')}`);
  return analyzeText(text, dialect === options.dialect ? options : { ...options, dialect });
}

export function analyzeQuery(sql: string, options: AnalyzeOptions = {}): QueryReport {
  const r: AnalysisResult = analyze(sql, options);
  const costs = r.statements.map((s) => s.cost).filter((c) => c !== null);
  const score = costs.reduce((s, c) => s + c.score, 0);
  const levels = costs.map((c) => c.level);
  return {
    estimatedCost: score,
    costLevel: levels.includes('high') ? 'high' : levels.includes('medium') ? 'medium' : 'low',
    indexUsage: { suggestedIndexes: r.statements.flatMap((s) => s.indexes.map((i) => i.statement)) },
    suggestions: r.diagnostics.map((d) => d.message),
    warningFlags: [...new Set(r.diagnostics.map((d) => d.ruleId))],
  };
}

export { loadSchema, discoverSchemaFiles, readSchemaFiles, orderMigrationFiles } from './schema/index.js';
export type { Schema, SchemaTable, SchemaIndex } from './schema/index.js';
