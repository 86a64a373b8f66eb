/**
 * SQL embedded in JS/TS: find the sites, turn each into SQL, analyse it, map findings back to the
 * host. Shared by the CLI (`lintHostSource`) and the ESLint plugin (`findSqlSites` + `analyzeSite`).
 *
 * PostgreSQL parsing is synchronous only after `ready()` (src/api.ts) has been awaited once.
 */
import { createRequire } from 'node:module';
import { rules as allRules } from '../../rules/index.js';
import { analyze, type AnalysisResult } from '../analyze.js';
import { BUILTIN_IDS, editDistance, type RulesConfig } from '../config/rules-config.js';
import type { Dialect } from '../dialect.js';
import { makeSuppressor, parseDirective, type Directive, type Suppressor } from '../directives.js';
import { lineStarts, toLineCol } from '../range.js';
import type { AnyRule, Diagnostic } from '../rule.js';
import { findSqlSites as detectSites, startsLikeStatement, type DetectOptions, type EsComment, type EsProgram, type SqlSite } from './detect.js';
import { embedSql, type EmbeddedSql } from './template.js';

export { DEFAULT_CALLEES, DEFAULT_TAGS, looksLikeStatement, startsLikeStatement, dottedName, matchName } from './detect.js';
export type { DetectOptions, EsComment, EsNode, EsProgram, HostHole, HostPart, SqlSite } from './detect.js';
export { cook, embedSql } from './template.js';
export type { EmbeddedSql, FillKind, HoleFill, Segment } from './template.js';

export interface SiteOptions {
  /** Default `postgresql`. */
  dialect?: Dialect;
  rules?: RulesConfig;
  ruleSet?: readonly AnyRule[];
}

export interface SiteResult {
  /** analysed: parsed and checked; failed: a certain site that does not parse (parse-error reported); skipped: a fragment, or an uncertain site that does not parse. */
  status: 'analysed' | 'failed' | 'skipped';
  /** Why a site was skipped. */
  reason?: 'fragment' | 'unparsable' | 'empty';
  /** Diagnostics with `start`/`end` in HOST offsets. */
  diagnostics: Diagnostic[];
  embedded: EmbeddedSql | null;
  /** The analysis of the SQL text (offsets into `embedded.sql`). */
  analysis: AnalysisResult | null;
}

/** Finds the SQL sites of a program (an ESTree Program with `range` and `comments`). */
export function findSqlSites(program: EsProgram, code: string, options: DetectOptions = {}): SqlSite[] {
  return detectSites(program, code, options);
}

function previewOf(site: SqlSite): string {
  return site.parts.map((p) => site.code.slice(p.start, p.end)).join(' __HOLE__ ');
}

/**
 * Analyses one site. Tagged templates that do not start with a statement keyword are fragments
 * (`sql\`WHERE id = ${id}\``) and skipped. Never throws.
 */
export function analyzeSite(site: SqlSite, options: SiteOptions = {}): SiteResult {
  const dialect = options.dialect ?? 'postgresql';
  const preview = previewOf(site);
  if (!preview.trim()) return { status: 'skipped', reason: 'empty', diagnostics: [], embedded: null, analysis: null };
  if (site.via === 'tag:sql.fragment' || !(startsLikeStatement(preview) || looksLikeTypo(preview))) return { status: 'skipped', reason: 'fragment', diagnostics: [], embedded: null, analysis: null };
  let embedded: EmbeddedSql;
  let analysis: AnalysisResult;
  try {
    embedded = embedSql(site, dialect);
    if (!embedded.parsed && !site.certain) return { status: 'skipped', reason: 'unparsable', diagnostics: [], embedded, analysis: null };
    analysis = analyze(embedded.sql, { dialect, rules: options.rules, ...(options.ruleSet ? { ruleSet: options.ruleSet } : {}) });
  } catch (e) {
    if (!site.certain) return { status: 'skipped', reason: 'unparsable', diagnostics: [], embedded: null, analysis: null };
    const d: Diagnostic = { ruleId: 'parse-error', severity: 'error', message: `not analysed: ${(e as Error).message}`, messageId: 'internal', start: site.range[0], end: site.range[1], category: 'parse' };
    return { status: 'failed', diagnostics: [d], embedded: null, analysis: null };
  }
  const diagnostics = analysis.diagnostics.map((d) => ({ ...d, ...embedded.toHost({ start: d.start, end: d.end }) }));
  const failed = analysis.statements.some((s) => s.error !== null);
  return { status: failed ? 'failed' : 'analysed', diagnostics, embedded, analysis };
}

const STATEMENT_WORDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'VALUES'];

/** `SELEC * FROM t` in a known tag is a statement with a typo (so a parse error), not a fragment. */
function looksLikeTypo(text: string): boolean {
  const w = /^\s*([A-Za-z]{4,8})\b/.exec(text)?.[1]?.toUpperCase();
  return w !== undefined && STATEMENT_WORDS.some((k) => k.length >= 5 && editDistance(w, k) <= 2) && /\b(?:from|into|set)\b/i.test(text);
}

/** `sqlperf-disable...` directives in host comments (`// sqlperf-disable-next-line no-select-star`), positioned in the host. */
export function hostDirectives(code: string, comments: readonly EsComment[]): Directive[] {
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
export function hostSuppressor(code: string, comments: readonly EsComment[], ruleSet: readonly AnyRule[] = allRules): Suppressor {
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
}

export interface HostLintResult {
  diagnostics: HostDiagnostic[];
  stats: { sites: number; analysed: number; skipped: number; failed: number };
}

type EstreeParse = (code: string, options: Record<string, unknown>) => EsProgram;
let estreeParse: EstreeParse | undefined;

/** Loads typescript-estree on first use, so runs over .sql files never load TypeScript. */
function loadEstree(): EstreeParse {
  if (!estreeParse) {
    const require = createRequire(import.meta.url);
    estreeParse = (require('@typescript-eslint/typescript-estree') as { parse: EstreeParse }).parse;
  }
  return estreeParse;
}

function jsxFor(filePath: string): boolean {
  return !/\.[cm]?ts$/i.test(filePath);
}

/**
 * Lints the SQL embedded in one JS/TS file. Diagnostics have host offsets and line/columns.
 * Never throws. A host file that does not parse as JS/TS gives one `parse-error` warning at the
 * syntax error (messageId `host`) and counts as `failed: 1` with no sites; `parse-error: off` hides it.
 * Call `await ready()` (src/api.ts) once before, for PostgreSQL.
 */
export function lintHostSource(code: string, filePath: string, options: HostLintOptions = {}): HostLintResult {
  const stats = { sites: 0, analysed: 0, skipped: 0, failed: 0 };
  const diagnostics: Diagnostic[] = [];
  let program: EsProgram;
  let parse: EstreeParse;
  try {
    parse = loadEstree();
  } catch (e) {
    // typescript-estree needs the `typescript` package (a peer of it): say so instead of blaming the file
    stats.failed = 1;
    const d: Diagnostic = { ruleId: 'parse-error', severity: 'warn', message: `not analysed: JS/TS files need the "typescript" package installed (${String((e as Error).message).split('\n')[0]})`, messageId: 'host', start: 0, end: 0, category: 'parse' };
    return { diagnostics: withLines(code, [d]), stats };
  }
  try {
    const base = { range: true, loc: false, comment: true, tokens: false, filePath, errorOnUnknownASTType: false };
    try {
      program = parse(code, { ...base, jsx: jsxFor(filePath) });
    } catch (e) {
      // `.js` with JSX-looking casts, or a `.ts` file with JSX: try the other way before giving up
      try {
        program = parse(code, { ...base, jsx: !jsxFor(filePath) });
      } catch {
        throw e;
      }
    }
  } catch (e) {
    stats.failed = 1;
    const off = options.rules?.['parse-error'];
    const sev = Array.isArray(off) ? off[0] : off;
    if (sev === 'off' || (sev as unknown) === 0) return { diagnostics: [], stats };
    const err = e as { index?: number; lineNumber?: number; column?: number; message?: string };
    const at = typeof err.index === 'number' ? Math.max(0, Math.min(err.index, code.length)) : 0;
    const d: Diagnostic = { ruleId: 'parse-error', severity: 'warn', message: `not analysed: this file is not valid JavaScript/TypeScript (${String(err.message ?? e).split('\n')[0]})`, messageId: 'host', start: at, end: at, category: 'parse' };
    return { diagnostics: withLines(code, [d]), stats };
  }
  const sites = findSqlSites(program, code, { ...(options.tags ? { tags: options.tags } : {}), ...(options.callees ? { callees: options.callees } : {}) });
  stats.sites = sites.length;
  const suppressor = hostSuppressor(code, program.comments ?? []);
  for (const site of sites) {
    const r = analyzeSite(site, { dialect: options.dialect ?? 'postgresql', rules: options.rules });
    stats[r.status === 'analysed' ? 'analysed' : r.status === 'failed' ? 'failed' : 'skipped']++;
    for (const d of r.diagnostics) if (!suppressor.isSuppressed(d.ruleId, d.start)) diagnostics.push(d);
  }
  for (const p of suppressor.problems) diagnostics.push({ ruleId: 'invalid-directive', severity: 'error', message: p.message, messageId: 'unknownRule', start: p.range.start, end: p.range.end, category: 'parse' });
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { diagnostics: withLines(code, diagnostics), stats };
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

