/**
 * SQL embedded in JS/TS: find the sites, turn each into SQL, analyse it, map findings back to the
 * host. `lintProgram` is the one pipeline of both front ends: the CLI calls it through
 * `lintHostSource` on oxc-parser's tree (parse-host.ts), the ESLint plugin on ESLint's tree.
 *
 * PostgreSQL parsing is synchronous only after `ready()` (src/api.ts) has been awaited once.
 */
import { parseText } from '../parse/index.js';
import { rules as allRules } from '../../rules/index.js';
import { analyze, type AnalysisResult } from '../analyze.js';
import { BUILTIN_IDS, builtinSeverity, type RulesConfig } from '../config/rules-config.js';
import type { Schema } from '../schema/types.js';
import { schemaForText } from '../schema/load.js';
import type { Dialect } from '../dialect.js';
import type { StatementModel } from '../model/types.js';
import { directiveDiagnostics, makeSuppressor, parseDirective, type Directive, type Suppressor } from '../directives.js';
import { lineStarts, toLineCol } from '../range.js';
import type { AnyRule, Diagnostic } from '../rule.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS, findSqlSites as detectSites, type DetectOptions, type SqlSite } from './detect.js';
import type { AstComment, AstProgram } from './estree.js';
import { activeHostRules, runHostRules, runProgramChecks } from './host-rules.js';
import { embedSql, takeStatements, type EmbeddedSql } from './template.js';
import { previewOf, siteSql, type SkipReason } from './site-sql.js';
import { siteContext } from './site-context.js';
import { appliesIn, type SqlContext } from '../context.js';
import { keepInFragment } from './fragments.js';
import { fixToHost } from '../fix/embedded.js';
import { parseHost } from './parse-host.js';
import { mayHoldSql } from './prefilter.js';
import { mayHoldBuilderQueries } from './builder-prefilter.js';
import { drizzleNames } from '../drizzle/scope.js';
import { combinedWithKeyEquality, RESIDUAL_RULES } from './residual.js';
import { errorMessage } from '../error-message.js';

export { clickhouseEvidence, isClickhouseName } from '../parse/clickhouse.js';
export { DEFAULT_CALLEES, DEFAULT_TAGS, DETECTED_NODE_TYPES, FRAGMENT_CALLEES, siteDetector, looksLikeStatement, startsLikeStatement, dottedName, matchName } from './detect.js';
export type { DetectOptions, FragmentClause, HostHole, HostPart, SiteDetector, SqlSite } from './detect.js';
export type { AstComment, AstNode, AstProgram } from './estree.js';
export { cook, embedSql, holeShapes } from './template.js';
export type { EmbeddedSql, FillKind, HoleFill, Segment } from './template.js';

export interface SiteOptions {
  /** Default `postgresql`. */
  dialect?: Dialect;
  rules?: RulesConfig;
  ruleSet?: readonly AnyRule[];
  /** The project's schema: schema rules run, suggestions already served are dropped. */
  schema?: Schema;
  /** Where the file's SQL runs (src/context.ts); rules that do not apply there are skipped. Default `app`. */
  context?: SqlContext;
  /** Diagnostics only (see `AnalyzeOptions.diagnosticsOnly`): what the linters ask; `indexes` wants the cost and suggestions. */
  diagnosticsOnly?: boolean;
  /**
   * The file's dialect is stated (a config override, a folder or file name): SQL that does not parse
   * in it is a parse error. Otherwise SQL that parses as SQLite's or MySQL's is another engine's
   * (a SQLite cache beside PostgreSQL), skipped and counted, not an error.
   */
  dialectStated?: boolean;
  /** Called with the model of each statement of the site that models (the CLI keeps the tables application SQL queries, src/schema/queried.ts). */
  onModel?: (model: StatementModel) => void;
}

export type { SkipReason } from './site-sql.js';

/** dml: a query or data change (what the rules are for); ddl: schema changes, grants, session commands; procedural: `DO $$ ... $$`, `CREATE FUNCTION`. */
export type SqlClass = 'dml' | 'ddl' | 'procedural';

export interface SiteResult {
  /** analysed: parsed and checked; failed: a certain site that does not parse (parse-error reported); skipped: a fragment, ClickHouse SQL, or an uncertain site that does not parse. */
  status: 'analysed' | 'failed' | 'skipped';
  /** Why a site was skipped. */
  reason?: SkipReason;
  /** For `clickhouse`: the evidence (`FROM ... FINAL`, `{name: Type} parameters`, the call name). */
  detail?: string;
  /** What kind of SQL the site holds (from its first keyword). */
  sqlClass: SqlClass;
  /** Diagnostics with `start`/`end` in HOST offsets. */
  diagnostics: Diagnostic[];
  embedded: EmbeddedSql | null;
  /** The analysis of the SQL text (offsets into `embedded.sql`). */
  analysis: AnalysisResult | null;
}

/** Finds the SQL sites of a program (an ESTree Program with `range` and `comments`). */
export function findSqlSites(program: AstProgram, code: string, options: DetectOptions = {}): SqlSite[] {
  return detectSites(program, code, options);
}

/**
 * Analyses one site. Tagged templates that do not start with a statement keyword are fragments
 * (`sql\`WHERE id = ${id}\``) and skipped. Never throws.
 */
export function analyzeSite(site: SqlSite, options: SiteOptions = {}): SiteResult {
  const dialect = options.dialect ?? 'postgresql';
  const preview = previewOf(site);
  const sqlClass = classify(preview, site);
  const context = options.context;
  const allHost = activeHostRules(options.ruleSet ?? allRules, options.rules);
  const host = context ? allHost.filter((a) => appliesIn(a.rule, context)) : allHost;
  // host rules look at the JS/TS code, so they run on skipped sites too (a fragment, ClickHouse SQL)
  const skip = (reason: SkipReason, detail?: string, embedded: EmbeddedSql | null = null): SiteResult => ({ status: 'skipped', reason, ...(detail ? { detail } : {}), sqlClass, diagnostics: reason === 'empty' ? [] : runHostRules(site, embedded, host, dialect, options.schema), embedded, analysis: null });
  let embedded: EmbeddedSql;
  let analysis: AnalysisResult;
  try {
    const gate = siteSql(site, dialect);
    if (gate.skip) return skip(gate.skip, gate.detail, gate.embedded ?? null);
    embedded = gate.embedded;
    const statements = takeStatements(embedded);
    const onModel = options.onModel;
    analysis = analyze(embedded.sql, { dialect, ...(statements ? { statements } : {}), ...(options.diagnosticsOnly ? { diagnosticsOnly: true } : {}), rules: options.rules, ...(options.ruleSet ? { ruleSet: options.ruleSet } : {}), ...(options.schema ? { schema: options.schema } : {}), ...(context ? { context } : {}), ...(onModel ? { onStatement: (r) => r.model && onModel(r.model) } : {}) });
  } catch (e) {
    if (!site.certain) return skip('unparsable');
    const d: Diagnostic = { ruleId: 'parse-error', severity: 'warn', message: `not analysed: sqlperf could not read this statement: ${errorMessage(e)}`, messageId: 'internal', start: site.range[0], end: site.range[1], category: 'parse' };
    return { status: 'failed', sqlClass, diagnostics: [d, ...runHostRules(site, null, host, dialect, options.schema)], embedded: null, analysis: null };
  }
  const inSynthetic = (at: number) => embedded.synthetic.some((r) => at >= r.start && at < r.end);
  // a parse error at or after the first hole may be the hole's doing: that SQL is unread, not wrong
  const firstHole = embedded.holes.reduce((min, h) => Math.min(min, h.sql.start), Infinity);
  const holeMade = (d: Diagnostic) => d.ruleId === 'parse-error' && d.start >= firstHole;
  const unread = analysis.diagnostics.find(holeMade);
  let diagnostics = analysis.diagnostics
    .filter((d) => !inSynthetic(d.start) && !holeMade(d) && keepInFragment(site, d.ruleId))
    .map((d) => withHostFix({ ...d, message: hostMessage(d.message, embedded, site.code), ...embedded.toHost({ start: d.start, end: d.end }) }, d.fix, embedded))
    // a finding about a name sqlperf made up (a fragment's stand-in table) is not about the user's SQL
    .filter((d) => !d.message.includes('__sqlperf_'));
  const failed = analysis.statements.some((s) => s.error !== null);
  const engine = failed && !unread && !options.dialectStated ? otherEngine(site, dialect) : undefined;
  if (engine) return skip('unparsable', `does not parse as ${dialect} but as ${engine}: SQL for another database`, embedded);
  diagnostics.push(...runHostRules(site, embedded, host, dialect, options.schema));
  // a fragment the code ANDs with an equality on a key is a residual filter (residual.ts), also for the value-side checks
  if (site.wrap && diagnostics.some((d) => RESIDUAL_RULES.has(d.ruleId)) && combinedWithKeyEquality(site)) diagnostics = diagnostics.filter((d) => !RESIDUAL_RULES.has(d.ruleId));
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  if (unread) return { status: 'skipped', reason: 'holes', detail: hostMessage(unread.message, embedded, site.code), sqlClass, diagnostics, embedded, analysis };
  return { status: failed ? 'failed' : 'analysed', sqlClass, diagnostics, embedded, analysis };
}

/**
 * The schema as the file's SQL sees it: the project's, plus the tables and indexes the file's own
 * DDL sites create (a script that creates its progress table, then queries it), as for a .sql file.
 */
function withFileDdl(schema: Schema, sites: readonly SqlSite[], dialect: Dialect): Schema {
  const ddl: string[] = [];
  for (const site of sites) {
    if (classify(previewOf(site), site) !== 'ddl') continue;
    try {
      ddl.push(embedSql(site, dialect).sql);
    } catch {
      // a site that cannot be embedded adds nothing
    }
  }
  return ddl.length ? schemaForText(schema, ddl.join(';\n'), dialect) : schema;
}

/** Engines a JS/TS project may talk to beside its own (node-sql-parser's, loaded synchronously). */
const OTHER_ENGINES: readonly Dialect[] = ['sqlite', 'mysql'];

/** The other engine whose parser reads every statement of the site (its holes filled in as for that engine), when the file's dialect does not. */
function otherEngine(site: SqlSite, dialect: Dialect): Dialect | undefined {
  return OTHER_ENGINES.find((d) => {
    if (d === dialect || (d === 'mysql' && dialect === 'mariadb')) return false;
    try {
      const { statements } = parseText(embedSql(site, d).sql, d);
      return statements.length > 0 && statements.every((s) => s.parser !== 'none');
    } catch {
      return false;
    }
  });
}

/** A finding's fix in host offsets (src/fix/embedded.ts); dropped when it would touch a hole. */
function withHostFix(d: Diagnostic, fix: Diagnostic['fix'], embedded: EmbeddedSql): Diagnostic {
  const { fix: _sqlFix, ...rest } = d;
  const host = fix && fixToHost(fix, embedded);
  return host ? { ...rest, fix: host } : rest;
}

/**
 * Checks over a whole JS/TS program, for SQL that query builders write from their arguments
 * (`.where('name', 'ilike', \`%${q}%\`)`, a builder chain awaited in a loop): no SQL site holds it.
 * Both front ends call it once per file, with the rules and context of the file.
 */
export function programChecks(program: AstProgram, code: string, rules: RulesConfig | undefined, context?: SqlContext, ruleSet: readonly AnyRule[] = allRules, dialect?: Dialect): Diagnostic[] {
  const active = activeHostRules(ruleSet, rules).filter((a) => appliesIn(a.rule, context));
  return runProgramChecks(program, code, active, dialect);
}

/**
 * Messages quote SQL text; where that text holds a placeholder sqlperf put in for a hole
 * (`LIKE '%__sqlperf_p1%'`, `= $3`), show the host's `${expr}` instead.
 */
function hostMessage(message: string, embedded: EmbeddedSql, code: string): string {
  if (!embedded.holes.length || !/__sqlperf_p|\$\d|:p\d/.test(message)) return message;
  let out = message;
  // longest placeholder first, so `$12` is not read as `$1` followed by 2
  const fills = embedded.holes.map((h) => ({ text: embedded.sql.slice(h.sql.start, h.sql.end).trim(), host: code.slice(h.host.start, h.host.end) })).filter((f) => /^(?:__sqlperf_p\d+|\$\d+|:p\d+)$/.test(f.text));
  fills.sort((a, b) => b.text.length - a.text.length);
  for (const f of fills) out = out.replace(new RegExp(`${f.text.replace(/\$/g, '\\$')}(?!\\d)`, 'g'), () => f.host);
  return out;
}

const DDL_HEAD = /^(?:\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(create|alter|drop|comment|grant|revoke|vacuum|analyze|reindex|cluster|refresh|set|reset|begin|commit|rollback|savepoint|release|lock|listen|notify|do|pragma|show|use)\b/i;

function classify(preview: string, site: SqlSite): SqlClass {
  if (site.wrap) return 'dml';
  const head = DDL_HEAD.exec(preview)?.[1]?.toLowerCase();
  if (!head) return 'dml';
  if (head === 'do' || /^\s*create\s+(?:or\s+replace\s+)?(?:function|procedure|trigger)\b/i.test(preview)) return 'procedural';
  return 'ddl';
}

/** `sqlperf-disable...` directives in host comments (`// sqlperf-disable-next-line no-select-star`), positioned in the host. */
export function hostDirectives(code: string, comments: readonly AstComment[]): Directive[] {
  const out: Directive[] = [];
  let starts: number[] | undefined;
  for (const c of comments) {
    if (!c.range || !c.value.includes('sqlperf-')) continue;
    const d = parseDirective(code.slice(c.range[0], c.range[1]));
    if (!d) continue;
    starts ??= lineStarts(code);
    const line = toLineCol(starts, c.range[0]).line;
    out.push({ ...d, range: { start: c.range[0], end: c.range[1] }, line: d.kind === 'disable-next-line' ? line + 1 : line });
  }
  return out;
}

/**
 * Suppression by host comments, with the core's own semantics, in host offsets:
 * `// sqlperf-disable-next-line r` silences `r` on the next host line, `/* sqlperf-disable *\/`
 * ... `/* sqlperf-enable *\/` a region. Directives naming unknown rules are `problems`.
 */
export function hostSuppressor(code: string, comments: readonly AstComment[], ruleSet: readonly AnyRule[] = allRules): Suppressor {
  return makeSuppressor(code, hostDirectives(code, comments), [...ruleSet.map((r) => r.name), ...BUILTIN_IDS]);
}

export interface HostDiagnostic extends Diagnostic {
  /** 1-based line/column (UTF-16) of start and end in the host file. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HostLintOptions {
  dialect?: Dialect;
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
  schema?: Schema;
  /** Where the file's SQL runs; default `app`. */
  context?: SqlContext;
  /** Collect the sites that look like SQL but were not analysed (`HostLintResult.unanalysed`). */
  reportUnanalysed?: boolean;
  /** The file's dialect is stated by config or its path (see `SiteOptions.dialectStated`). */
  dialectStated?: boolean;
  /** Called with the model of each statement of the sites in `app` context (see `SiteOptions.onModel`). */
  onAppModel?: (model: StatementModel) => void;
}

/** A site that looks like SQL and was not analysed, with why (`--report-unanalysed`). */
export interface UnanalysedSite {
  start: number;
  end: number;
  reason: SkipReason | 'failed';
  detail?: string;
}

export interface HostStats {
  sites: number;
  analysed: number;
  skipped: number;
  failed: number;
  /** Skipped sites by reason. */
  skippedBy: Record<SkipReason, number>;
  /** Sites that count toward "statements analysed": not a fragment, empty or ClickHouse, and not DDL or procedural. */
  counted: { sites: number; analysed: number };
}

export interface HostLintResult {
  diagnostics: HostDiagnostic[];
  stats: HostStats;
  /** With `reportUnanalysed`: statements (not fragments, empty literals or ClickHouse SQL) that were not analysed. */
  unanalysed?: UnanalysedSite[];
}

export function emptyHostStats(): HostStats {
  return { sites: 0, analysed: 0, skipped: 0, failed: 0, skippedBy: { fragment: 0, unparsable: 0, holes: 0, empty: 0, clickhouse: 0 }, counted: { sites: 0, analysed: 0 } };
}

/** Adds one site's outcome to the stats. */
export function countSite(stats: HostStats, r: SiteResult): void {
  stats[r.status === 'analysed' ? 'analysed' : r.status === 'failed' ? 'failed' : 'skipped']++;
  if (r.reason) stats.skippedBy[r.reason]++;
  if (r.sqlClass === 'dml' && r.reason !== 'fragment' && r.reason !== 'empty' && r.reason !== 'clickhouse') {
    stats.counted.sites++;
    if (r.status === 'analysed') stats.counted.analysed++;
  }
}

/**
 * Lints the SQL embedded in one JS/TS file (parsed with oxc-parser, parse-host.ts). Diagnostics
 * have host offsets and line/columns. Never throws. A host file that does not parse as JS/TS gives
 * one `parse-error` warning at the syntax error (messageId `host`) and counts as `failed: 1` with
 * no sites; `parse-error: off` hides it. Call `await ready()` (src/api.ts) once before, for PostgreSQL.
 */
export function lintHostSource(code: string, filePath: string, options: HostLintOptions = {}): HostLintResult {
  const stats = emptyHostStats();
  const parsed = parseHost(code, filePath);
  if (!parsed.ok) {
    stats.failed = 1;
    if (builtinSeverity(options.rules, 'parse-error') === 'off') return { diagnostics: [], stats };
    const d: Diagnostic = { ruleId: 'parse-error', severity: 'warn', message: `not analysed: this file is not valid JavaScript/TypeScript (${parsed.message.split('\n')[0]})`, messageId: 'host', start: parsed.at, end: parsed.at, category: 'parse' };
    return { diagnostics: withLines(code, [d]), stats };
  }
  const r = lintProgram(parsed.program, code, { ...options, filePath });
  return { ...r, diagnostics: withLines(code, r.diagnostics) };
}

export interface ProgramLintOptions extends HostLintOptions {
  /** Only these rules (the ESLint plugin runs a rule configured with its own options alone). Directives may still name any rule. */
  ruleSet?: readonly AnyRule[];
  /** The file's path: places it in its project, whose Drizzle tables name what `${table.column}` holes stand for (src/drizzle/). */
  filePath?: string;
  /**
   * The program's sites, when the caller found them during its own traversal (the ESLint plugin
   * drives `siteDetector` from ESLint's listeners); otherwise `findSqlSites` walks the program.
   */
  sites?: readonly SqlSite[];
}

export interface ProgramLintResult {
  /** Host offsets, sorted; no line/columns (each front end has its own). */
  diagnostics: Diagnostic[];
  stats: HostStats;
  unanalysed?: UnanalysedSite[];
}

/**
 * The text prefilter of `lintProgram`: false when a file cannot hold a SQL site or a query-builder
 * call the program checks read, so neither its tree nor its text need more work (most files of a
 * project). The ESLint plugin asks it first, to give ESLint no listeners for such files.
 */
export function programMayHoldSql(code: string, options: Pick<HostLintOptions, 'tags' | 'callees'> = {}): boolean {
  return mayHoldSql(code, options.tags ?? DEFAULT_TAGS, options.callees ?? DEFAULT_CALLEES) || mayHoldBuilderQueries(code);
}

/**
 * THE JS/TS pipeline, which both front ends run on a parsed program (the CLI's from oxc-parser,
 * the plugin's from ESLint): the text prefilter, the SQL sites, their analysis, the program-wide
 * checks, host-comment directives (unknown rules in them are `invalid-directive` problems).
 * Never throws for anything in the file.
 */
export function lintProgram(program: AstProgram, code: string, options: ProgramLintOptions = {}): ProgramLintResult {
  const stats = emptyHostStats();
  // most files of a project hold no SQL: a text test spares them the walk (it accepts every file with a site)
  if (!programMayHoldSql(code, options)) return { diagnostics: [], stats, ...(options.reportUnanalysed ? { unanalysed: [] } : {}) };
  const diagnostics: Diagnostic[] = [];
  const sites = options.sites ?? findSqlSites(program, code, { ...(options.tags ? { tags: options.tags } : {}), ...(options.callees ? { callees: options.callees } : {}) });
  stats.sites = sites.length;
  if (options.filePath !== undefined && sites.some((s) => s.holes.length)) {
    const names = drizzleNames(program, code, options.filePath);
    // configurable: the plugin lints the same sites again for a rule with its own options
    for (const s of sites) Object.defineProperty(s, 'names', { value: names, enumerable: false, configurable: true });
  }
  const suppressor = hostSuppressor(code, program.comments ?? []);
  // a linter's pipeline: findings only, no cost or index suggestions to compute
  const schema = options.schema && withFileDdl(options.schema, sites, options.dialect ?? 'postgresql');
  const siteOptions: SiteOptions = { dialect: options.dialect ?? 'postgresql', diagnosticsOnly: true, rules: options.rules, ...(options.ruleSet ? { ruleSet: options.ruleSet } : {}), ...(schema ? { schema } : {}), ...(options.context ? { context: options.context } : {}), ...(options.dialectStated ? { dialectStated: true } : {}) };
  // a startup migration or backfill in application code runs once, as a migration file does
  const results = sites.map((site) => {
    const context = siteContext(site, options.context ?? 'app');
    const own = context === (options.context ?? 'app') ? siteOptions : { ...siteOptions, context };
    return { site, r: analyzeSite(site, options.onAppModel && context === 'app' ? { ...own, onModel: options.onAppModel } : own) };
  });
  const unanalysed: UnanalysedSite[] = [];
  // in a file that sends SQL to ClickHouse, a literal found by its shape alone that PostgreSQL cannot parse is ClickHouse too
  const clickhouseFile = results.some(({ r }) => r.reason === 'clickhouse');
  for (const { site, r } of results) {
    countSite(stats, clickhouseFile && r.reason === 'unparsable' && !site.certain ? { ...r, reason: 'clickhouse', detail: 'does not parse as PostgreSQL, in a file with ClickHouse SQL' } : r);
    for (const d of r.diagnostics) if (!suppressor.isSuppressed(d.ruleId, d.start)) diagnostics.push(d);
    if (options.reportUnanalysed && r.status !== 'analysed' && r.sqlClass === 'dml' && (r.reason === undefined || r.reason === 'holes' || (r.reason === 'unparsable' && !clickhouseFile))) {
      unanalysed.push({ start: site.range[0], end: site.range[1], reason: r.reason ?? 'failed', ...(r.detail ? { detail: r.detail } : {}) });
    }
  }
  for (const d of programChecks(program, code, options.rules, options.context, options.ruleSet, options.dialect)) if (!suppressor.isSuppressed(d.ruleId, d.start)) diagnostics.push(d);
  for (const d of directiveDiagnostics(suppressor, options.rules)) diagnostics.push(d);
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { diagnostics, stats, ...(options.reportUnanalysed ? { unanalysed } : {}) };
}

function withLines(code: string, ds: Diagnostic[]): HostDiagnostic[] {
  if (!ds.length) return [];
  const starts = lineStarts(code);
  return ds.map((d) => {
    const s = toLineCol(starts, d.start);
    const e = toLineCol(starts, d.end);
    return { ...d, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  });
}

