import { rules as allRules } from '../rules/index.js';
import { resolveRules, type ActiveRule, type RulesConfig } from './config/rules-config.js';
import { statementContext } from './check-rule.js';
import { estimateCost, type Cost } from './cost.js';
import type { Dialect } from './dialect.js';
import { directiveDiagnostics, directivesFromTokens, makeSuppressor, type Directive, type Suppressor } from './directives.js';
import { suggestIndexes, type IndexSuggestion } from './indexes.js';
import { buildModel } from './model/build.js';
import { ALL_CONSTRUCTS, CONSTRUCTS, constructMask } from './model/constructs.js';
import type { StatementModel } from './model/types.js';
import { DEFAULT_LIMITS, forEachStatement, type ParsedStatement, type ParseError, type ParseLimits } from './parse/index.js';
import { lexEach, type Token } from './parse/lexer.js';
import type { Range } from './range.js';
import { rulesForSchemaFile } from './schema/history.js';
import { appliesIn, type SqlContext } from './context.js';
import { schemaForText } from './schema/load.js';
import type { Schema } from './schema/types.js';
import { formatMessage, isHostRule, type AnyRule, type Diagnostic, type Report, type RuleContext, type Severity, type SeveritySetting } from './rule.js';
import { errorMessage } from './error-message.js';

export { buildModel };

export interface AnalyzeOptions {
  /** Default `postgresql`. */
  dialect?: Dialect;
  /** ESLint-style rule settings; recommended rules are on by default. */
  rules?: RulesConfig;
  /** The rule set to pick from (defaults to every sqlperf rule). */
  ruleSet?: readonly AnyRule[];
  limits?: Partial<ParseLimits>;
  /** Suppression directives found outside the SQL (e.g. JS comments), positioned in the SQL text. */
  directives?: Directive[];
  /** Skip rules, cost and index suggestions: parse and model only. */
  modelOnly?: boolean;
  /**
   * A linter's run: diagnostics only. Cost and index suggestions are not computed (each statement's
   * `cost` is null and `indexes` empty); they cost more than the rules and a lint report shows neither.
   */
  diagnosticsOnly?: boolean;
  /** The project's schema (`loadSchema`): index suggestions skip what existing indexes serve, schema rules run. */
  schema?: Schema;
  /**
   * The text is one of the schema's own files (a migration). Its DDL is already in `schema`, so it
   * is not added again, and rules that compare queries with the final schema are off: the
   * migration ran against the schema of its time (a table it updates may be dropped later). A text
   * in the `migration` context is treated the same way.
   */
  schemaFile?: boolean;
  /**
   * Where the text runs (src/context.ts): rules that do not apply there are skipped, and only
   * application code (`app`, the default) gets index suggestions.
   */
  context?: SqlContext;
  /**
   * Keep each statement's result (model, cost, indexes) in `statements` (default true). A linter
   * needs only the diagnostics: with false, each statement is dropped once analysed, and memory holds
   * one statement's tree whatever the size of the text; `onStatement` still sees each one.
   */
  keepStatements?: boolean;
  /** Called with each statement's result, in text order, as soon as it is analysed. */
  onStatement?: (s: StatementResult) => void;
  /** Keep at most this many diagnostics (the first in text order); the rest are only counted in `omitted`. */
  maxDiagnostics?: number;
  /**
   * The statements of `text` as this function parses it (default limits, trees for queries only),
   * from a caller that parsed it already (src/embed's fill search): not parsed again. Ignored with `limits`.
   */
  statements?: readonly ParsedStatement[];
}

export interface StatementResult {
  range: Range;
  kind: StatementModel['kind'] | 'unparsed';
  /** The query model; null when the statement did not parse. */
  model: StatementModel | null;
  cost: Cost | null;
  indexes: IndexSuggestion[];
  diagnostics: Diagnostic[];
  error: ParseError | null;
}

export interface AnalysisResult {
  dialect: Dialect;
  text: string;
  statements: StatementResult[];
  /** Every diagnostic of every statement, plus directive problems, in source order. */
  diagnostics: Diagnostic[];
  /** Diagnostics over `maxDiagnostics`: how many, how many of them errors, and the first one. */
  omitted?: { count: number; errors: number; first: Diagnostic };
}

interface Resolved {
  active: ActiveRule[];
  builtins: Record<string, SeveritySetting>;
  /** The rules that run on statements, per context ('' when none is given): built once per config. */
  runs?: Map<SqlContext | '', StatementRuns>;
}

/** The rules for statements with query blocks, and those for statements without (DDL). */
interface StatementRuns {
  query: RuleRun;
  ddl: RuleRun;
}

/** Host rules look at JS/TS code (src/embed), not at statements; a statement without query blocks (DDL) only concerns the `ddl` rules. */
function statementRuns(r: Resolved, context: SqlContext | undefined): StatementRuns {
  r.runs ??= new Map();
  let runs = r.runs.get(context ?? '');
  if (!runs) {
    const rules = r.active.filter((a) => !isHostRule(a.rule) && (!context || appliesIn(a.rule, context)));
    runs = { query: ruleRun(rules), ddl: ruleRun(rules.filter((a) => a.rule.ddl)) };
    r.runs.set(context ?? '', runs);
  }
  return runs;
}

const resolvedCache = new WeakMap<object, Resolved>();
const EMPTY = {};

/** Resolving a config validates it; front ends pass the same object each time, so do it once. */
function resolved(options: AnalyzeOptions): Resolved {
  const key = options.rules ?? EMPTY;
  const set = options.ruleSet ?? allRules;
  if (set === allRules) {
    const hit = resolvedCache.get(key);
    if (hit) return hit;
  }
  const r = resolveRules(set, options.rules);
  if (set === allRules) resolvedCache.set(key, r);
  return r;
}

const idsCache = new WeakMap<readonly AnyRule[], string[]>();
function knownRuleIds(set: readonly AnyRule[], builtins: Record<string, SeveritySetting>): string[] {
  let ids = idsCache.get(set);
  if (!ids) {
    ids = [...set.map((r) => r.name), ...Object.keys(builtins), 'invalid-directive'];
    idsCache.set(set, ids);
  }
  return ids;
}

/**
 * Analyses a SQL text: every statement is parsed on its own, modelled, costed, given index
 * suggestions and checked by the active rules. Never throws on any input: parse failures become
 * `parse-error` diagnostics with the parser's position, and the other statements still run.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const dialect = options.dialect ?? 'postgresql';
  // a migration (one of the schema's files, or one the schema does not read, such as a TS
  // migration beside a schema dump) ran against the schema of its time: the final schema decides,
  // and what the migration creates is not added to it (a rollback's CREATE INDEX is not an index)
  const history = Boolean(options.schema && (options.schemaFile || options.context === 'migration'));
  const config = resolved(history ? { ...options, rules: rulesForSchemaFile(options.rules) } : options);
  const builtins = config.builtins;
  // what the text itself creates (temp tables, its own DDL) joins the schema, once per text
  const schema = options.schema && (history ? options.schema : schemaForText(options.schema, text, dialect));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const knownIds = knownRuleIds(options.ruleSet ?? allRules, builtins);
  // directives first (one may follow the statement it silences on its line): a lexing pass over the comments, only when there is one
  const directives: Directive[] = [];
  if (text.includes('sqlperf-')) {
    const comments: Token[] = [];
    lexEach(text, dialect, (t) => {
      if (t.type === 'comment' && t.value.includes('sqlperf-')) comments.push(t);
    });
    directives.push(...directivesFromTokens(text, comments));
  }
  // most texts have no directive: no suppressor to build (makeSuppressor indexes the known rule ids)
  const given = options.directives?.length ? [...directives, ...options.directives] : directives;
  const suppressor = given.length ? makeSuppressor(text, given, knownIds) : NO_DIRECTIVES;
  const statements: StatementResult[] = [];
  const diagnostics: Diagnostic[] = [];
  const max = options.maxDiagnostics ?? Infinity;
  let omitted: AnalysisResult['omitted'];
  const keep = (d: Diagnostic) => {
    if (diagnostics.length < max) diagnostics.push(d);
    else if (omitted) {
      omitted.count++;
      if (d.severity === 'error') omitted.errors++;
    } else omitted = { count: 1, errors: d.severity === 'error' ? 1 : 0, first: d };
  };
  const parseSeverity = builtins['parse-error'];
  const context = options.context;
  const runs = statementRuns(config, context);
  const suggest = !context || context === 'app';

  const analyzeStatement = (stmt: ParsedStatement): StatementResult => {
    if (stmt.parser === 'none') {
      const diagnostics: Diagnostic[] = [];
      if (stmt.error.kind !== 'skipped' && !otherDatabase(stmt, dialect, context) && parseSeverity !== 'off' && !suppressor.isSuppressed('parse-error', stmt.error.range.start)) {
        const d = parseDiagnostic(stmt.error, dialect, parseSeverity, context);
        if (d) diagnostics.push(d);
      }
      return { range: stmt.range, kind: 'unparsed', model: null, cost: null, indexes: [], diagnostics, error: stmt.error };
    }
    let model: StatementModel | null;
    try {
      model = buildModel(stmt, text);
    } catch (e) {
      const diag: Diagnostic = { ruleId: 'parse-error', severity: 'warn', message: `not analysed: sqlperf could not model this statement (${errorMessage(e)})`, messageId: 'unsupported', start: stmt.range.start, end: stmt.range.end, category: 'parse' };
      return { range: stmt.range, kind: 'unparsed', model: null, cost: null, indexes: [], diagnostics: parseSeverity === 'off' ? [] : [diag], error: { message: diag.message, range: stmt.range, kind: 'unsupported' } };
    }
    if (!model || options.modelOnly) return { range: stmt.range, kind: model?.kind ?? 'unparsed', model, cost: null, indexes: [], diagnostics: [], error: null };
    const diagnostics = runRules(model, text, dialect, model.blocks.length ? runs.query : runs.ddl, suppressor.isSuppressed, schema);
    if (options.diagnosticsOnly) return { range: stmt.range, kind: model.kind, model, cost: null, indexes: [], diagnostics, error: null };
    return { range: stmt.range, kind: model.kind, model, cost: estimateCost(model, text, schema, { dialect, ruleOptions: (name) => runs.query.active.find((a) => a.rule.name === name)?.options }), indexes: suggest ? suggestIndexes(model, text, dialect, schema) : [], diagnostics, error: null };
  };

  const onStatement = (stmt: ParsedStatement) => {
    const r = analyzeStatement(stmt);
    options.onStatement?.(r);
    if (options.keepStatements !== false) statements.push(r);
    // a statement's diagnostics lie inside it and statements come in text order: the first kept are the first in the text
    r.diagnostics.sort(byPosition);
    for (const d of r.diagnostics) keep(d);
  };
  if (options.statements && !options.limits) options.statements.forEach(onStatement);
  else forEachStatement(text, dialect, limits, onStatement, undefined, 'queries');
  if (suppressor !== NO_DIRECTIVES) for (const d of directiveDiagnostics(suppressor, options.rules)) keep(d);
  diagnostics.sort(byPosition);
  return { dialect, text, statements, diagnostics, ...(omitted ? { omitted } : {}) };
}

/** The suppressor of a text without directives: it suppresses nothing and has nothing to say about directives. */
const NO_DIRECTIVES: Suppressor = { isSuppressed: () => false, problems: [], unused: () => [] };

const byPosition = (a: Diagnostic, b: Diagnostic) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId);

/**
 * A statement sqlperf could not parse. PostgreSQL's own parser rejecting it is a real syntax
 * error; node-sql-parser rejecting it, or a statement over the size limit, is sqlperf's
 * limitation and says so at warning level, and so is any parse error outside application code.
 */
function parseDiagnostic(error: ParseError, dialect: Dialect, configured: SeveritySetting | undefined, context: SqlContext | undefined): Diagnostic | null {
  // sqlperf's own bracket and quote scan is certain in every dialect
  const scanned = /^(?:unterminated |invalid character: a NUL|syntax error: (?:unmatched|"\(" is never closed))/.test(error.message);
  const own = error.kind === 'limit' || error.kind === 'unsupported' || (error.kind === 'syntax' && dialect !== 'postgresql' && !scanned);
  // a migration, script or test runs under its own tool, often against another database (a SQLite
  // migration folder, a MySQL alternative kept beside the PostgreSQL one): a warning there
  const elsewhere = context !== undefined && context !== 'app';
  // and what sqlperf itself cannot read there is nobody's to fix: counted (--stats), not reported
  if (own && elsewhere) return null;
  const severity: Severity = configured === 'warn' || own || elsewhere ? 'warn' : 'error';
  const message = own && error.kind === 'syntax' ? `sqlperf could not read this statement (node-sql-parser, ${dialect}): ${error.message}` : error.message;
  return { ruleId: 'parse-error', severity, message, messageId: error.kind, start: error.range.start, end: error.range.end, category: 'parse' };
}

/**
 * A statement only another database runs, in code that supports several (SQLite's PRAGMA or
 * sqlite_master, or a `[bracketed]` name, in PostgreSQL or MySQL code; a `` `backquoted` `` name,
 * MySQL's, in PostgreSQL migrations and scripts): not a syntax error of this dialect.
 */
function otherDatabase(stmt: ParsedStatement, dialect: Dialect, context: SqlContext | undefined): boolean {
  if (dialect !== 'postgresql' && dialect !== 'mysql' && dialect !== 'mariadb') return false;
  const code = stmt.tokens.filter((t) => t.type !== 'comment');
  if (code[0] && /^pragma$/i.test(code[0].value)) return true;
  if (code.some((t) => t.type === 'ident' && /^sqlite_(?:master|schema|sequence)$/i.test(t.value))) return true;
  // `` `name` ``: MySQL's quoting, which PostgreSQL has no use for (a data script that keeps the MySQL
  // variant beside the PostgreSQL one); in application code it is rather a wrong dialect, which the error says
  if (dialect === 'postgresql' && context !== undefined && context !== 'app' && code.some((t, i) => t.value === '`' && code[i + 1]?.type === 'ident' && code[i + 2]?.value === '`')) return true;
  // `[name]`: SQLite's and SQL Server's quoting, an array subscript nowhere in a name's place in these dialects
  return dialect !== 'postgresql' && code.some((t, i) => t.value === '[' && code[i + 1]?.type === 'ident' && code[i + 2]?.value === ']' && (i === 0 || /^(?:update|from|join|into|table|on)$/i.test(code[i - 1]!.value)));
}

/** Rules to run on a statement, with the bits of the constructs each reports on (0: every statement). */
interface RuleRun {
  active: ActiveRule[];
  needs: number[];
}

function ruleRun(active: ActiveRule[]): RuleRun {
  return { active, needs: active.map((a) => constructMask(a.rule.constructs)) };
}

function runRules(model: StatementModel, text: string, dialect: Dialect, run: RuleRun, suppressed: (id: string, at: number) => boolean, schema?: Schema): Diagnostic[] {
  const { active, needs } = run;
  const have = (model.constructs ?? ALL_CONSTRUCTS) | (schema ? CONSTRUCTS.schema : 0);
  // a rule whose constructs the statement lacks would find nothing: not called, and when none is
  // left (DDL, most plain queries for most rules) neither the report closure nor the context is made
  let first = 0;
  while (first < active.length && needs[first] !== 0 && (needs[first]! & have) === 0) first++;
  if (first === active.length) return [];
  const out: Diagnostic[] = [];
  let seen: Set<string> | undefined;
  let current = active[first];
  const report = (r: Report) => {
    const { rule, severity } = current!;
    const key = `${rule.name}:${r.range.start}:${r.range.end}:${r.messageId}`;
    seen ??= new Set();
    if (seen.has(key) || suppressed(rule.name, r.range.start)) return;
    seen.add(key);
    const template = rule.messages[r.messageId] ?? r.messageId;
    out.push({ ruleId: rule.name, severity, message: formatMessage(template, r.data), messageId: r.messageId, start: r.range.start, end: r.range.end, category: rule.category, ...(r.fix ? { fix: r.fix } : {}) });
  };
  // one context for every rule of the statement, made when the first rule runs; each rule gets its own options
  let ctx: RuleContext<object> | undefined;
  for (let i = first; i < active.length; i++) {
    if (needs[i] !== 0 && (needs[i]! & have) === 0) continue;
    ctx ??= statementContext({ model, text, dialect, schema }, report);
    const a = active[i]!;
    current = a;
    ctx.options = a.options;
    try {
      a.rule.check(ctx);
    } catch (e) {
      // a rule bug must not take the linter down: say so where the statement is
      out.push({ ruleId: a.rule.name, severity: 'error', message: `internal error in rule ${a.rule.name}: ${errorMessage(e)}`, messageId: 'internal', start: model.range.start, end: model.range.start, category: a.rule.category });
    }
  }
  return out;
}
