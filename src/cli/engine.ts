import { analyze, type StatementResult } from '../analyze.js';
import type { StatementModel } from '../model/types.js';
import { DEFAULT_LIMITS } from '../parse/index.js';
import { keepFileTables, tablesOf } from '../schema/queried-facts.js';
import { limitsOf, type Limits } from '../limits.js';
import { lineStarts } from '../range.js';
import { ready } from '../ready.js';
import type { RulesConfig } from '../config/rules-config.js';
import type { Dialect } from '../dialect.js';
import type { Schema } from '../schema/types.js';
import { schemaAppliesTo } from '../schema/scope.js';
import type { Diagnostic } from '../rule.js';
import { contextOf, fileDialect, statedDialect, type ContextSettings, type DialectOverride, type SqlContext } from '../context.js';
import { mayHoldSql } from '../embed/prefilter.js';
import type * as EmbedModule from '../embed/index.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS } from '../embed/detect.js';
import { mayHoldBuilderQueries } from '../embed/builder-prefilter.js';
import { kindOf, type FileKind } from './files.js';
import { contentHash, fileError, readWithBytes, toMessages, type ReadOutcome } from './source.js';
import { addStats, type KindStats, type Stats } from './stats.js';
import { makeResult, type LintMessage, type LintResult } from './types.js';
import { errorMessage } from '../error-message.js';

export interface EngineOptions {
  dialect: Dialect;
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
  /** The project's schema (migrations), when one was found. */
  schema?: Schema;
  /** Absolute paths of the schema files: their own queries ran against the schema of their time, not the final one. */
  schemaFiles?: string[];
  /** Config `contexts` and the folder its globs are relative to. */
  contexts?: ContextSettings;
  /** Config `overrides`: another dialect for the files their globs match (relative to `base`); the last match wins. */
  overrides?: DialectOverride[];
  /** List the SQL sites that were not analysed, as warnings (`--report-unanalysed`). */
  reportUnanalysed?: boolean;
  /** File size, messages per file and statement size limits (config `limits`, flags); defaults in src/limits.ts. */
  limits?: Partial<Limits>;
}

/**
 * The dialect of one file: the last `overrides` entry whose globs match it, else the dialect its
 * folder names (`db/sqlite/...`; `clickhouse` for a folder of ClickHouse SQL), else the run's.
 */
export function dialectFor(file: string, opts: EngineOptions): Dialect | 'clickhouse' {
  return fileDialect(file === '<text>' ? undefined : file, opts);
}

/** Where a linted file's SQL runs (stdin without a file name, `<text>`, is application code). */
export function fileContext(file: string, opts: EngineOptions): SqlContext {
  return file === '<text>' ? 'app' : contextOf(file, opts.contexts);
}


export { addStats, emptyStats, type KindStats, type Stats } from './stats.js';

type HostModule = typeof EmbedModule;
let hostModule: Promise<HostModule> | undefined;

/** SQL-in-JS support (oxc-parser and the embed layer) is loaded only when a JS/TS file may hold SQL. */
export function loadHost(): Promise<HostModule> {
  hostModule ??= import('../embed/index.js');
  return hostModule;
}

export { mayHoldSql };

/** What linting one file gives: its messages and its share of the --stats counts. */
export interface FileOutcome {
  kind: FileKind;
  messages: LintMessage[];
  stats: Omit<KindStats, 'files'>;
  /** Why the file was not read (not a regular file, over the size limit): said on stderr, not a finding. */
  skipped?: string;
}

/**
 * Keeps the first `max` messages (in position order) and sums up the rest in one last message at
 * the first one left out, as severe as the worst of them: a file of 100k findings costs the memory
 * of `max`, and CI still fails when an error was left out.
 */
export function capMessages(messages: LintMessage[], max: number, omitted?: { count: number; errors: number; first: LintMessage }): LintMessage[] {
  let out = messages;
  let more = omitted;
  if (max > 0 && messages.length > max) {
    out = messages.slice(0, max);
    const rest = messages.slice(max);
    const errors = rest.filter((m) => m.severity === 2).length;
    more = { count: rest.length + (omitted?.count ?? 0), errors: errors + (omitted?.errors ?? 0), first: rest[0]! };
  }
  if (!more) return out;
  const { count, errors, first } = more;
  const what = errors ? `${errors} ${errors === 1 ? 'error' : 'errors'} and ${count - errors} ${count - errors === 1 ? 'warning' : 'warnings'}` : `${count} ${count === 1 ? 'warning' : 'warnings'}`;
  const summary: LintMessage = { ruleId: null, severity: errors ? 2 : 1, message: `${count} more ${count === 1 ? 'problem' : 'problems'} in this file not shown (${what}, from here on): the limit is ${max} messages per file (limits.maxMessagesPerFile, --max-messages)`, messageId: 'too-many-messages', line: first.line, column: first.column, endLine: first.line, endColumn: first.column };
  return [...out, summary];
}

/**
 * Lints one file's text; never throws for anything in the file. Keeps nothing: the models and
 * ASTs are dropped on return.
 */
export async function lintSource(filePath: string, source: ReadOutcome, opts: EngineOptions, kind: FileKind = kindOf(filePath) ?? 'sql'): Promise<FileOutcome> {
  const context = fileContext(filePath, opts);
  // what the config's overrides or the path say, once: it also decides whether another engine's SQL is an error
  const stated = filePath === '<text>' ? undefined : statedDialect(filePath, opts);
  const pathDialect = stated ?? opts.dialect;
  const dialect = pathDialect === 'clickhouse' ? opts.dialect : pathDialect;
  const stats: FileOutcome['stats'] = { sites: 0, analysed: 0, skipped: 0, failed: 0, byContext: { [context]: 1 } };
  if (!source.ok) return source.skipped ? { kind, messages: [], stats: { sites: 0, analysed: 0, skipped: 0, failed: 0 }, skipped: source.reason } : { kind, messages: [fileError(source.reason)], stats };
  const limits = limitsOf(opts);
  const text = source.text;
  // a monorepo package's schema describes its own SQL and that of the packages depending on it
  const schema = opts.schema && schemaAppliesTo(opts.schema, filePath) ? opts.schema : undefined;
  // a folder may name another dialect than the run's (PostgreSQL's parser loads on first need)
  if (dialect !== opts.dialect) await ready([dialect]);
  const queried = queriedCollector(filePath, opts, context);
  if (kind === 'sql' && pathDialect === 'clickhouse') {
    // a folder of ClickHouse SQL: no parser reads it; counted as skipped
    stats.sites = stats.skipped = 1;
    queried?.keep();
    return { kind, messages: [], stats };
  }
  if (kind === 'sql') {
    const schemaFile = Boolean(schema && opts.schemaFiles?.includes(filePath));
    // statements stream through the analysis: only the counts and (at most maxMessagesPerFile) diagnostics stay
    // the scan reads a .sql file under the default statement limits: a lint under others is not its reading
    const tables = limits.maxStatementLength === DEFAULT_LIMITS.maxStatementLength ? queried : undefined;
    const count = (st: StatementResult) => {
      if (st.model) tables?.add(st.model);
      stats.sites++;
      if (st.error?.kind === 'skipped') stats.skipped++;
      else if (st.kind === 'unparsed') stats.failed++;
      else stats.analysed++;
    };
    const max = limits.maxMessagesPerFile > 0 ? limits.maxMessagesPerFile : undefined;
    const analysis = analyze(text, { dialect, rules: opts.rules, context, limits: { maxStatementLength: limits.maxStatementLength }, keepStatements: false, diagnosticsOnly: true, onStatement: count, ...(max ? { maxDiagnostics: max } : {}), ...(schema ? { schema, schemaFile } : {}) });
    const starts = lineStarts(text);
    const omitted = analysis.omitted && { count: analysis.omitted.count, errors: analysis.omitted.errors, first: toMessages(text, [analysis.omitted.first], starts)[0]! };
    tables?.keep();
    return { kind, messages: capMessages(toMessages(text, analysis.diagnostics, starts), limits.maxMessagesPerFile, omitted), stats };
  }
  if (!mayHoldSql(text, opts.tags ?? DEFAULT_TAGS, opts.callees ?? DEFAULT_CALLEES) && !mayHoldBuilderQueries(text)) {
    queried?.keep();
    return { kind, messages: [], stats };
  }
  const host = await loadHost();
  let messages: LintMessage[];
  try {
    const r = host.lintHostSource(text, filePath, { dialect, rules: opts.rules, tags: opts.tags, callees: opts.callees, context, ...(schema ? { schema } : {}), ...(stated ? { dialectStated: true } : {}), ...(opts.reportUnanalysed ? { reportUnanalysed: true } : {}), ...(queried ? { onAppModel: queried.add } : {}) });
    queried?.keep();
    Object.assign(stats, { sites: r.stats.sites, analysed: r.stats.analysed, skipped: r.stats.skipped, failed: r.stats.failed });
    if (r.stats.skippedBy && r.stats.counted) Object.assign(stats, { clickhouse: r.stats.skippedBy.clickhouse, fragments: r.stats.skippedBy.fragment, holes: r.stats.skippedBy.holes ?? 0, counted: r.stats.counted.sites, countedAnalysed: r.stats.counted.analysed });
    const unanalysed: Diagnostic[] = (r.unanalysed ?? []).map((u) => ({ ruleId: 'unanalysed', severity: 'warn', message: unanalysedMessage(u.reason, u.detail), messageId: u.reason, start: u.start, end: u.start, category: 'parse' }));
    messages = capMessages(toMessages(text, [...r.diagnostics, ...unanalysed].sort((a, b) => a.start - b.start)), limits.maxMessagesPerFile);
  } catch (e) {
    // a JS/TS syntax error the embed layer did not turn into a diagnostic: report it on the file
    messages = [fileError(`could not be analysed: ${errorMessage(e)}`)];
  }
  return { kind, messages, stats };
}

/**
 * The tables an application file's SQL queries, from the models its lint builds: kept as the
 * file's fact, the project scan that answers the schema's size question (src/schema/queried.ts,
 * asked by rules such as redundant-index on the migrations) does not read and parse the file again.
 * Only while that question is still open, and only for `app` files, which alone the scan reads.
 */
function queriedCollector(file: string, opts: EngineOptions, context: SqlContext): { add: (model: StatementModel) => void; keep: () => void } | undefined {
  const queriedIn = opts.schema?.queriedIn;
  if (!queriedIn || opts.schema?.queried || context !== 'app' || file === '<text>') return undefined;
  const tables = new Set<string>();
  return {
    add: (model) => {
      for (const t of tablesOf(model)) tables.add(t);
    },
    keep: () => keepFileTables(file, queriedIn.options, tables),
  };
}

const UNANALYSED: Record<string, string> = {
  holes: 'its ${} holes hold SQL text that sqlperf cannot fill so that the statement parses',
  unparsable: 'it looks like SQL but does not parse as the dialect',
  failed: 'it does not parse',
};

function unanalysedMessage(reason: string, detail: string | undefined): string {
  return `not analysed: ${UNANALYSED[reason] ?? reason}${detail ? ` (${detail.replace(/^sqlperf could not read this statement[^:]*: /, '')})` : ''}`;
}

/** Lints one file's text into an ESLint-shaped result, counting into `stats`. */
export async function lintText(filePath: string, source: ReadOutcome, opts: EngineOptions, stats: Stats, kind: FileKind = kindOf(filePath) ?? 'sql'): Promise<{ result: LintResult }> {
  const o = await lintSource(filePath, source, opts, kind);
  addStats(stats, o);
  return { result: makeResult(filePath, o.messages) };
}

/**
 * Reads and lints one file; `hash` is the content hash of exactly the bytes linted (none when
 * unreadable, or when `withHash` is false: a run without a cache does not load node:crypto for it).
 */
export async function lintPath(file: string, opts: EngineOptions, withHash = true): Promise<{ hash?: string; outcome: FileOutcome }> {
  const { bytes, source } = await readWithBytes(file, limitsOf(opts).maxFileSize);
  const outcome = await lintSource(file, source, opts);
  return { ...(withHash && bytes && source.ok ? { hash: contentHash(bytes) } : {}), outcome };
}
