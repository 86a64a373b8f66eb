import { analyze } from '../analyze.js';
import type { RulesConfig } from '../config/rules-config.js';
import type { Dialect } from '../dialect.js';
import type { Schema } from '../schema/types.js';
import type { Diagnostic } from '../rule.js';
import { kindOf, type FileKind } from './files.js';
import { contentHash, fileError, readWithBytes, toMessages, type ReadOutcome } from './source.js';
import { addStats, type KindStats, type Stats } from './stats.js';
import { makeResult, type LintMessage, type LintResult } from './types.js';

export interface EngineOptions {
  dialect: Dialect;
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
  /** The project's schema (migrations), when one was found. */
  schema?: Schema;
}

export { addStats, emptyStats, type KindStats, type Stats } from './stats.js';

interface HostModule {
  DEFAULT_TAGS?: readonly string[];
  DEFAULT_CALLEES?: readonly string[];
  lintHostSource(code: string, filePath: string, options: { dialect?: Dialect; rules?: RulesConfig; tags?: string[]; callees?: string[]; schema?: Schema }): { diagnostics: Diagnostic[]; stats: { sites: number; analysed: number; skipped: number; failed: number; skippedBy?: { clickhouse: number; fragment: number }; counted?: { sites: number; analysed: number } } };
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

/**
 * What the embed layer accepts from a literal found by its position alone, or as the argument of a
 * generic callee (`get`, `all`, `run`...): a clear statement (SELECT ... FROM, INSERT INTO,
 * UPDATE ... SET, DELETE FROM, WITH x AS (). Plain English in UI strings ("Delete", "Create a
 * project", "Select a plan") does not look like this, and most files of a project hold such strings.
 */
const STATEMENT_LITERAL = new RegExp(
  String.raw`[\x60'"]\s*(?:\(\s*)*(?:(?:--[^\n]*\n|/\*[\s\S]*?\*/)\s*)*` +
    String.raw`(?:select\s[\s\S]{0,4000}?\bfrom\b|insert\s+(?:or\s+\w+\s+|ignore\s+)?into\s|update\s[\s\S]{0,400}?\bset\b|delete\s+from\s|with\s[\s\S]{0,400}?\bas\s*(?:(?:not\s+)?materialized\s*)?\()`,
  'i',
);
/** A `/* sql *\/` comment, which marks the literal after it. */
const SQL_COMMENT = /\/\*\s*sql\s*\*\//i;
/**
 * Callee names the embed layer trusts only with a clear statement (mirrors src/embed/detect.ts;
 * a name missing here is only treated more loosely, never missed).
 */
const WEAK_CALLEES = new Set(['get', 'all', 'run', 'exec', 'getAll', 'raw', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'execute', 'prepare']);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lastName = (n: string) => escapeRe(n.split('.').pop()!);
const nameCache = new Map<string, RegExp>();

/**
 * Cheap test that a JS/TS file may hold SQL at all (most files of a project do not), so that the
 * JS/TS parser runs only where it can find something: a literal that clearly is a statement, a
 * SQL tag before a backtick, a `/* sql *\/` comment, or a query function called with a literal.
 * It must accept every file in which the embed layer finds a site (test/cli-units checks this).
 */
export function mayHoldSql(code: string, tags: readonly string[], callees: readonly string[]): boolean {
  if (STATEMENT_LITERAL.test(code) || SQL_COMMENT.test(code)) return true;
  const key = `${tags.join(',')}|${callees.join(',')}`;
  let re = nameCache.get(key);
  if (!re) {
    // weak callees need a clear statement, which STATEMENT_LITERAL has already looked for
    const strong = callees.filter((c) => !WEAK_CALLEES.has(c.split('.').pop()!));
    const tagRe = tags.length ? `(?:${tags.map(lastName).join('|')})\\s*(?:<[^\x60]{0,300}?>)?\\s*\x60` : '(?!)';
    const calleeRe = strong.length ? `(?:${strong.map(lastName).join('|')})\\s*(?:<[^\x60'"]{0,300}?>)?\\s*\\(\\s*[\x60'"]` : '(?!)';
    re = new RegExp(`${tagRe}|${calleeRe}`);
    nameCache.set(key, re);
  }
  return re.test(code);
}

export class HostUnavailableError extends Error {}

/** What linting one file gives: its messages and its share of the --stats counts. */
export interface FileOutcome {
  kind: FileKind;
  messages: LintMessage[];
  stats: Omit<KindStats, 'files'>;
}

/**
 * Lints one file's text; never throws for anything in the file (only HostUnavailableError when
 * this build cannot read JS/TS at all). Keeps nothing: the models and ASTs are dropped on return.
 */
export async function lintSource(filePath: string, source: ReadOutcome, opts: EngineOptions, kind: FileKind = kindOf(filePath) ?? 'sql'): Promise<FileOutcome> {
  const stats: FileOutcome['stats'] = { sites: 0, analysed: 0, skipped: 0, failed: 0 };
  if (!source.ok) return { kind, messages: [fileError(source.reason)], stats };
  const text = source.text;
  if (kind === 'sql') {
    const analysis = analyze(text, { dialect: opts.dialect, rules: opts.rules, ...(opts.schema ? { schema: opts.schema } : {}) });
    for (const st of analysis.statements) {
      stats.sites++;
      if (st.error?.kind === 'skipped') stats.skipped++;
      else if (st.kind === 'unparsed') stats.failed++;
      else stats.analysed++;
    }
    return { kind, messages: toMessages(text, analysis.diagnostics), stats };
  }
  const host = await loadHost();
  if (!host) throw new HostUnavailableError('SQL in JS/TS files cannot be linted by this build of sqlperf (src/embed is missing)');
  if (!mayHoldSql(text, opts.tags ?? host.DEFAULT_TAGS ?? ['sql'], opts.callees ?? host.DEFAULT_CALLEES ?? [])) return { kind, messages: [], stats };
  let messages: LintMessage[];
  try {
    const r = host.lintHostSource(text, filePath, { dialect: opts.dialect, rules: opts.rules, tags: opts.tags, callees: opts.callees, ...(opts.schema ? { schema: opts.schema } : {}) });
    Object.assign(stats, { sites: r.stats.sites, analysed: r.stats.analysed, skipped: r.stats.skipped, failed: r.stats.failed });
    if (r.stats.skippedBy && r.stats.counted) Object.assign(stats, { clickhouse: r.stats.skippedBy.clickhouse, fragments: r.stats.skippedBy.fragment, counted: r.stats.counted.sites, countedAnalysed: r.stats.counted.analysed });
    messages = toMessages(text, r.diagnostics);
  } catch (e) {
    // a JS/TS syntax error the embed layer did not turn into a diagnostic: report it on the file
    messages = [fileError(`could not be analysed: ${(e as Error).message}`)];
  }
  return { kind, messages, stats };
}

/** Lints one file's text into an ESLint-shaped result, counting into `stats`. */
export async function lintText(filePath: string, source: ReadOutcome, opts: EngineOptions, stats: Stats, kind: FileKind = kindOf(filePath) ?? 'sql'): Promise<{ result: LintResult }> {
  const o = await lintSource(filePath, source, opts, kind);
  addStats(stats, o);
  return { result: makeResult(filePath, o.messages) };
}

/** Reads and lints one file; `hash` is the content hash of exactly the bytes linted (none when unreadable). */
export async function lintPath(file: string, opts: EngineOptions): Promise<{ hash?: string; outcome: FileOutcome }> {
  const { bytes, source } = await readWithBytes(file);
  const outcome = await lintSource(file, source, opts);
  return { ...(bytes && source.ok ? { hash: contentHash(bytes) } : {}), outcome };
}
