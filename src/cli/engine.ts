import { analyze, type AnalysisResult } from '../analyze.js';
import type { RulesConfig } from '../config/rules-config.js';
import type { Dialect } from '../dialect.js';
import type { Diagnostic } from '../rule.js';
import { kindOf, type FileKind } from './files.js';
import { fileError, toMessages, type ReadOutcome } from './source.js';
import { makeResult, type LintMessage, type LintResult } from './types.js';

export interface EngineOptions {
  dialect: Dialect;
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
}

/** Per file type: SQL sites found (statements, for .sql), analysed, skipped, failed (to parse). */
export interface KindStats {
  files: number;
  sites: number;
  analysed: number;
  skipped: number;
  failed: number;
}
export type Stats = Record<FileKind, KindStats>;

export function emptyStats(): Stats {
  const z = (): KindStats => ({ files: 0, sites: 0, analysed: 0, skipped: 0, failed: 0 });
  return { sql: z(), host: z() };
}

interface HostModule {
  DEFAULT_TAGS?: readonly string[];
  DEFAULT_CALLEES?: readonly string[];
  lintHostSource(code: string, filePath: string, options: { dialect?: Dialect; rules?: RulesConfig; tags?: string[]; callees?: string[] }): { diagnostics: Diagnostic[]; stats: { sites: number; analysed: number; skipped: number; failed: number } };
}

let hostModule: Promise<HostModule | null> | undefined;

/** SQL-in-JS support is loaded only when a JS/TS file may hold SQL. */
export function loadHost(): Promise<HostModule | null> {
  const spec = '../embed/index.js';
  hostModule ??= (import(spec) as Promise<HostModule>).then(
    (m) => (typeof m.lintHostSource === 'function' ? m : null),
    () => null,
  );
  return hostModule;
}

const KEYWORDS = 'select|insert|update|delete|with|values|create|alter|drop|truncate|merge|replace|explain|upsert|copy|vacuum|analyze|pragma|call|lock|grant|revoke|show|set|begin|commit|rollback|table';
/** A string or template literal that starts like a statement. */
const LITERAL_HEAD = new RegExp(String.raw`[\x60'"]\s*(?:\(\s*)*(?:(?:--[^\n]*\n|/\*[\s\S]*?\*/)\s*)*(?:${KEYWORDS})\b`, 'i');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lastName = (n: string) => escapeRe(n.split('.').pop()!);
const nameCache = new Map<string, RegExp>();

/**
 * Cheap test that a JS/TS file may hold SQL at all (most files of a project do not), so that the
 * JS/TS parser runs only where it can find something: a literal that starts with a statement
 * keyword, a SQL tag before a backtick, or a query function called with a literal.
 */
export function mayHoldSql(code: string, tags: readonly string[], callees: readonly string[]): boolean {
  if (LITERAL_HEAD.test(code)) return true;
  const key = `${tags.join(',')}|${callees.join(',')}`;
  let re = nameCache.get(key);
  if (!re) {
    const tagRe = tags.length ? `(?:${tags.map(lastName).join('|')})\\s*(?:<[^>\`]*>)?\\s*\x60` : '(?!)';
    const calleeRe = callees.length ? `(?:${callees.map(lastName).join('|')})\\s*(?:<[^>(]*>)?\\s*\\(\\s*[\x60'"]` : '(?!)';
    re = new RegExp(`${tagRe}|${calleeRe}`);
    nameCache.set(key, re);
  }
  return re.test(code);
}

export class HostUnavailableError extends Error {}

/** Lints one file's text; never throws for anything in the file. */
export async function lintText(filePath: string, source: ReadOutcome, opts: EngineOptions, stats: Stats, kind: FileKind = kindOf(filePath) ?? 'sql'): Promise<{ result: LintResult; analysis?: AnalysisResult }> {
  const s = stats[kind];
  s.files++;
  if (!source.ok) return { result: makeResult(filePath, [fileError(source.reason)]) };
  const text = source.text;
  if (kind === 'sql') {
    const analysis = analyze(text, { dialect: opts.dialect, rules: opts.rules });
    for (const st of analysis.statements) {
      s.sites++;
      if (st.kind === 'unparsed') s.failed++;
      else s.analysed++;
    }
    return { result: makeResult(filePath, toMessages(text, analysis.diagnostics)), analysis };
  }
  const host = await loadHost();
  if (!host) throw new HostUnavailableError('SQL in JS/TS files cannot be linted by this build of sqlperf (src/embed is missing)');
  if (!mayHoldSql(text, opts.tags ?? host.DEFAULT_TAGS ?? ['sql'], opts.callees ?? host.DEFAULT_CALLEES ?? [])) return { result: makeResult(filePath, []) };
  let messages: LintMessage[];
  try {
    const r = host.lintHostSource(text, filePath, { dialect: opts.dialect, rules: opts.rules, tags: opts.tags, callees: opts.callees });
    s.sites += r.stats.sites;
    s.analysed += r.stats.analysed;
    s.skipped += r.stats.skipped;
    s.failed += r.stats.failed;
    messages = toMessages(text, r.diagnostics);
  } catch (e) {
    // a JS/TS syntax error the embed layer did not turn into a diagnostic: report it on the file
    messages = [fileError(`could not be analysed: ${(e as Error).message}`)];
  }
  return { result: makeResult(filePath, messages) };
}
