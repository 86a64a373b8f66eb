import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import { CACHE_STRATEGIES, openCache, resolveCacheLocation, type CacheContent, type CacheStrategy } from '../cache.js';
import { discover, kindOf } from '../files.js';
import { keepWalks, walkProjectFiles } from '../../project-files.js';
import { keepStamps } from '../../file-facts.js';
import type { EngineOptions } from '../engine.js';
import { UsageError, EXIT } from '../errors.js';
import { FORMATTERS, type FormatName } from '../formatters/index.js';
import { lintFiles, loadAnalysis, type FilesLinted } from '../lint-files.js';
import { emit, readStdin, useColor } from '../output.js';
import { emptyStats, type Stats } from '../stats.js';
import { addQueriedTables, resolveProjectSchema, type ProjectSchema } from '../schema.js';
import { resolveSettings, type CommonFlags } from '../settings.js';
import { parseConcurrency, type Concurrency } from '../pool.js';
import { decode } from '../source.js';
import { makeResult, type LintResult } from '../types.js';
import { addSuppressions, applySuppressions, loadSuppressions, pruneSuppressions, saveSuppressions, suppressionsPath, type Applied } from '../suppressions.js';
import { ruleIds } from '../rule-meta.js';
import { unknownRuleMessage } from '../../config/rules-config.js';

export interface LintFlags extends CommonFlags {
  format: string;
  outputFile?: string;
  ignorePattern?: string[];
  quiet?: boolean;
  maxWarnings?: string;
  stdin?: boolean;
  stdinFilename?: string;
  color?: boolean;
  stats?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  cacheStrategy?: string;
  concurrency?: string;
  /** `--schema <path>` (repeatable), or false for `--no-schema`. */
  schema?: string[] | false;
  verify?: boolean;
  reportUnanalysed?: boolean;
  suppressAll?: boolean;
  suppressRule?: string[];
  suppressionsLocation?: string;
  pruneSuppressions?: boolean;
  passOnUnprunedSuppressions?: boolean;
  /** Say on stderr which config, context, dialect and schema each file got (the program's --debug). */
  debug?: boolean;
  /** Print the resolved config for this file (JSON) instead of linting. */
  printConfig?: string;
  /** Apply the safe fixes and write the files (src/fix/files.ts). */
  fix?: boolean;
  /** Apply them in memory only and print the changes. */
  fixDryRun?: boolean;
}

function parseMaxWarnings(v: string | undefined): number {
  if (v === undefined) return -1;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--max-warnings expects a whole number, got "${v}"`);
  return Number(v);
}

function printStats(stats: Stats, skippedFiles: number, configFile: string | null): void {
  const rows = [
    ['.sql', stats.sql, 'statements'],
    ['JS/TS', stats.host, 'SQL sites'],
  ] as const;
  const lines = ['sqlperf stats:'];
  for (const [name, s, unit] of rows) {
    if (!s.files) continue;
    lines.push(`  ${name.padEnd(6)} ${s.files} files, ${s.sites} ${unit} found, ${s.analysed} analysed, ${s.skipped} skipped, ${s.failed} ${name === '.sql' ? 'failed to parse' : 'failed'}`);
    const ctx = Object.entries(s.byContext ?? {}).filter(([, n]) => n);
    if (ctx.length) lines.push(`         by context: ${ctx.map(([c, n]) => `${n} ${c}`).join(', ')} (files; rules apply per context, see \`sqlperf rules\`)`);
    if (s.counted !== undefined && s.skipped) {
      const other = s.skipped - (s.clickhouse ?? 0) - (s.fragments ?? 0) - (s.holes ?? 0);
      lines.push(`         skipped: ${s.clickhouse ?? 0} ClickHouse SQL, ${s.fragments ?? 0} fragments, ${other} other (empty, or found by shape and not parsable)`);
      if (s.holes) lines.push(`         looks like SQL, not analysed: ${s.holes} whose \${} holes sqlperf cannot fill so that they parse (--report-unanalysed lists them)`);
    }
    if (s.counted) lines.push(`         statements (no DDL, DO blocks, fragments or ClickHouse): ${s.countedAnalysed ?? 0} of ${s.counted} analysed (${((100 * (s.countedAnalysed ?? 0)) / s.counted).toFixed(1)}%)`);
  }
  if (lines.length === 1) lines.push('  no files linted');
  lines.push(`  config: ${configFile ?? 'none found (defaults)'}`);
  if (skippedFiles) lines.push(`  ${skippedFiles} ${skippedFiles === 1 ? 'file' : 'files'} not read (not a regular file, or over the size limit: see above)`);
  process.stderr.write(lines.join('\n') + '\n');
}

const SUPPRESSION_CONFLICTS: Array<[keyof LintFlags, keyof LintFlags, string, string]> = [
  ['suppressAll', 'suppressRule', '--suppress-all', '--suppress-rule'],
  ['suppressAll', 'pruneSuppressions', '--suppress-all', '--prune-suppressions'],
  ['suppressRule', 'pruneSuppressions', '--suppress-rule', '--prune-suppressions'],
];

/** ESLint's rules for the baseline flags: one action at a time, none on standard input. */
function checkSuppressionFlags(flags: LintFlags): void {
  for (const [a, b, na, nb] of SUPPRESSION_CONFLICTS) if (flags[a] && flags[b]) throw new UsageError(`${na} and ${nb} cannot be used together`);
  if (flags.stdin && (flags.suppressAll || flags.suppressRule || flags.pruneSuppressions)) throw new UsageError('--suppress-all, --suppress-rule and --prune-suppressions cannot be used with --stdin');
  const known = ruleIds();
  for (const r of flags.suppressRule ?? []) if (!known.includes(r)) throw new UsageError(`--suppress-rule: ${unknownRuleMessage(r, known)}`);
}

/**
 * The baseline (src/cli/suppressions.ts): written by --suppress-all / --suppress-rule, pruned by
 * --prune-suppressions, then applied to the results. None when there is no suppressions file.
 */
async function baselineOf(cwd: string, results: LintResult[], flags: LintFlags): Promise<(Applied & { file: string }) | undefined> {
  const file = suppressionsPath(cwd, flags.suppressionsLocation);
  const writing = Boolean(flags.suppressAll || flags.suppressRule);
  const exists = existsSync(file);
  if (flags.suppressionsLocation && !exists && !writing) throw new UsageError(`suppressions file ${flags.suppressionsLocation} does not exist; write it with --suppress-all or --suppress-rule <id>`);
  if (!writing && !flags.pruneSuppressions && !exists) return undefined;
  let s = loadSuppressions(file);
  if (writing || flags.pruneSuppressions) {
    s = writing ? addSuppressions(s, results, cwd, flags.suppressAll ? undefined : flags.suppressRule) : pruneSuppressions(s, results, cwd);
    await saveSuppressions(file, s);
  }
  const applied = applySuppressions(results, s, cwd);
  if (writing && !flags.quiet) {
    const n = applied.results.reduce((k, r) => k + r.suppressedMessages.length, 0);
    process.stderr.write(`sqlperf: ${n} ${n === 1 ? 'finding' : 'findings'} suppressed in ${path.relative(cwd, file) || file}\n`);
  }
  return { ...applied, file };
}

/** What a run was asked, checked: usage errors before anything is read. */
interface Checked {
  format: FormatName;
  maxWarnings: number;
  concurrency: Concurrency;
  strategy: CacheStrategy;
}

function checkFlags(paths: string[], flags: LintFlags): Checked {
  const format = flags.format as FormatName;
  if (!(format in FORMATTERS)) throw new UsageError(`unknown format "${flags.format}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
  const maxWarnings = parseMaxWarnings(flags.maxWarnings);
  if (flags.stdinFilename && !flags.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (flags.stdin && paths.length) throw new UsageError('--stdin lints standard input: do not pass paths with it');
  const concurrency = parseConcurrency(flags.concurrency);
  if (flags.cacheLocation && !flags.cache) throw new UsageError('--cache-location needs --cache');
  if (flags.cacheStrategy !== undefined && !flags.cache) throw new UsageError('--cache-strategy needs --cache');
  const strategy = (flags.cacheStrategy ?? 'metadata') as CacheStrategy;
  if (!CACHE_STRATEGIES.includes(strategy)) throw new UsageError(`--cache-strategy expects ${CACHE_STRATEGIES.join(' or ')} (got "${flags.cacheStrategy}")`);
  checkSuppressionFlags(flags);
  if (flags.fix && flags.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  if (flags.stdin && (flags.fix || flags.fixDryRun)) throw new UsageError('--fix and --fix-dry-run apply to files: do not use them with --stdin');
  return { format, maxWarnings, concurrency, strategy };
}

/** Everything a run's stages share. */
interface Run extends Checked {
  cwd: string;
  flags: LintFlags;
  loaded: LoadedConfig;
  engine: EngineOptions;
  projectSchema: ProjectSchema | undefined;
  /** With --cache: the cache file as read at the start (undefined when there was none), and the loaded schema to save in it. */
  cacheFile?: CacheContent | undefined;
  schemaSave?: unknown;
  /** What sqlperf says about the run on stderr; --quiet keeps stderr to errors. */
  note: (line: string) => void;
}

interface Linted extends FilesLinted {
  /** --verify checks the text that was linted: standard input's, not the file of that name on disk. */
  stdinText: Map<string, string>;
}

export async function lint(paths: string[], flags: LintFlags): Promise<number> {
  const cwd = process.cwd();
  const checked = checkFlags(paths, flags);
  keepWalks();
  keepStamps();
  // PostgreSQL's parser is loaded only when a file has to be linted (not when the cache has every file)
  const { loaded, engine } = await resolveSettings(cwd, flags, { loadParser: false });
  const note = (line: string) => {
    if (!flags.quiet) process.stderr.write(`sqlperf: ${line}\n`);
  };
  if (flags.debug) note(`config: ${loaded.filepath ? path.relative(cwd, loaded.filepath) || loaded.filepath : 'none found (defaults)'}`);
  const verifying = flags.verify ?? loaded.config.verify;
  // --verify: PGlite's worker loads while the schema is read, and starts while the files are linted
  const verifyStart = verifying ? await import('../verify.js') : undefined;
  await verifyStart?.prewarmVerify(cwd, engine);
  // `sqlperf lint .`: the project's walk, made now, serves schema discovery before it serves the lint
  if (!flags.stdin && (paths.length === 0 ? cwd : path.resolve(cwd, paths[0]!)) === loaded.base && paths.length <= 1) walkProjectFiles(loaded.base);
  // --cache: the facts of unchanged files (the tables they query) come from the last run, before the schema asks for them
  const cacheFile = flags.cache ? openCache(resolveCacheLocation(cwd, flags.cacheLocation), checked.strategy) : undefined;
  // the schema's model too, while its files are unchanged
  let schemaSave: unknown = cacheFile?.schema;
  const projectSchema = await resolveProjectSchema(cwd, loaded, flags.schema, engine.dialect, note, paths, flags.cache ? { saved: cacheFile?.schema, keep: (s) => (schemaSave = s) } : undefined);
  if (flags.reportUnanalysed) engine.reportUnanalysed = true;
  if (projectSchema) {
    // read now when cached findings depend on it, or when --debug should say what it found
    await addQueriedTables(projectSchema, engine, Boolean(flags.cache || flags.debug), flags.debug ? note : () => {});
    engine.schema = projectSchema.schema;
    engine.schemaFiles = projectSchema.files.map((f) => path.resolve(cwd, f.path));
  }
  const run: Run = { ...checked, cwd, flags, loaded, engine, projectSchema, note, cacheFile, schemaSave };
  if (flags.printConfig !== undefined) {
    const { fileConfig } = await import('../file-config.js');
    process.stdout.write(`${JSON.stringify(fileConfig(flags.printConfig, cwd, loaded, engine, projectSchema), null, 2)}\n`);
    return EXIT.ok;
  }
  const early = await verifyStart?.beginVerifyResults(cwd, engine, projectSchema);
  const linted = flags.stdin ? await lintStdin(run) : await lintPaths(paths, run);
  const { results: fixed, diff } = await applyFixes(run, linted.results);
  let results = fixed;
  if (verifyStart) results = await verifyStart.verifyResults(cwd, results, engine, projectSchema, note, linted.stdinText, early);
  if (flags.debug && !flags.quiet) {
    const { fileConfig, describeFile } = await import('../file-config.js');
    for (const r of results) if (r.filePath !== '<text>') note(`debug: ${describeFile(fileConfig(r.filePath, cwd, loaded, engine, projectSchema))}`);
  }
  const baseline = flags.stdin ? undefined : await baselineOf(cwd, results, flags);
  return report(run, baseline ? baseline.results : results, linted, diff, baseline);
}

/** Standard input, as `--stdin-filename` (or `<text>`, application SQL). */
async function lintStdin(run: Run): Promise<Linted> {
  const { cwd, flags, engine } = run;
  const name = flags.stdinFilename ? path.resolve(cwd, flags.stdinFilename) : '<text>';
  if (flags.stdinFilename && !kindOf(name)) throw new UsageError(`--stdin-filename ${flags.stdinFilename}: sqlperf lints .sql and JS/TS files only`);
  const source = decode(Buffer.from(await readStdin(), 'utf8'));
  const stdinText = new Map<string, string>();
  if (source.ok) stdinText.set(name, source.text);
  const stats = emptyStats();
  const { lintText } = await loadAnalysis(engine);
  return { results: [(await lintText(name, source, engine, stats)).result], stats, skippedFiles: [], stdinText };
}

/** The files the paths name or hold, as config and flags filter them. */
async function lintPaths(paths: string[], run: Run): Promise<Linted> {
  const { cwd, flags, loaded, note } = run;
  const found = await discover(paths.length ? paths : ['.'], { cwd, base: loaded.base, include: loaded.config.include, ignore: loaded.config.ignore, ignorePatterns: flags.ignorePattern });
  for (const f of found.unsupported) note(`skipping ${path.relative(cwd, f)}: not a .sql or JS/TS file`);
  for (const f of found.ignored) note(`skipping ${path.relative(cwd, f)}: ignored by the config's "ignore" or --ignore-pattern`);
  // on worker threads, each would scan the whole project for the tables it queries: the pool works them out once, between its phases
  const project = run.projectSchema;
  const answerQueried = project && !project.schema.queried ? () => addQueriedTables(project, run.engine, true, () => {}) : undefined;
  const cache = flags.cache ? { ...(flags.cacheLocation ? { location: flags.cacheLocation } : {}), strategy: run.strategy, schemaDigest: run.projectSchema?.digest ?? null, read: run.cacheFile, schema: run.schemaSave } : undefined;
  const linted = await lintFiles(found.files, { cwd, engine: run.engine, concurrency: run.concurrency, ...(cache ? { cache } : {}), ...(answerQueried ? { answerQueried } : {}), showProgress: run.format === 'stylish' || Boolean(flags.outputFile), note });
  return { ...linted, stdinText: new Map() };
}

/** --fix writes the safe fixes, --fix-dry-run applies them in memory and returns the changes to print. */
async function applyFixes(run: Run, results: LintResult[]): Promise<{ results: LintResult[]; diff: string }> {
  const { cwd, flags, engine, note } = run;
  if (!flags.fix && !flags.fixDryRun) return { results, diff: '' };
  const [{ fixFile, describeChange }, { lintText }] = await Promise.all([import('../../fix/files.js'), loadAnalysis(engine)]);
  let diff = '';
  const out: LintResult[] = [];
  for (const r of results) {
    const done = await fixFile(r, async (text) => (await lintText(r.filePath, { ok: true, text }, engine, emptyStats())).result, Boolean(flags.fix));
    if (done.skipped) note(`${path.relative(cwd, r.filePath)}: not fixed (${done.skipped})`);
    if (done.change && flags.fixDryRun && run.format !== 'json') diff += describeChange(path.relative(cwd, r.filePath), done.change.before, done.change.after);
    out.push(done.result);
  }
  return { results: out, diff };
}

/** Prints the report, the stats and what the baseline says; the exit code. */
async function report(run: Run, results: LintResult[], linted: Linted, diff: string, baseline: (Applied & { file: string }) | undefined): Promise<number> {
  const { cwd, flags, loaded, maxWarnings, note } = run;
  const shown = flags.quiet ? results.map((r) => makeResult(r.filePath, r.messages.filter((m) => m.severity === 2))) : results;
  const errors = shown.reduce((n, r) => n + r.errorCount, 0);
  const warnings = shown.reduce((n, r) => n + r.warningCount, 0);
  const color = useColor(process.stdout, flags.color, Boolean(flags.outputFile));
  const width = process.stdout.isTTY && !flags.outputFile ? process.stdout.columns : undefined;
  if (diff) process.stdout.write(diff);
  await emit(FORMATTERS[run.format](shown, { cwd, color, ...(width ? { width } : {}) }), flags.outputFile, cwd);
  if (flags.stats) printStats(linted.stats, linted.skippedFiles.length, loaded.filepath ? path.relative(cwd, loaded.filepath) || loaded.filepath : null);
  const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
  if (tooManyWarnings) process.stderr.write(`sqlperf found too many warnings (maximum: ${maxWarnings}).\n`);
  if (baseline) for (const e of baseline.exceeded) note(`${e.file}: ${e.found} ${e.rule} findings where the baseline allows ${e.suppressed}: all ${e.found} are shown`);
  if (baseline && !flags.passOnUnprunedSuppressions && unprunedSuppressions(cwd, baseline)) return EXIT.fatal;
  return errors > 0 || tooManyWarnings ? EXIT.problems : EXIT.ok;
}

/** Says which suppressions no longer occur; true when there are any (the run then fails, as in ESLint). */
function unprunedSuppressions(cwd: string, baseline: Applied & { file: string }): boolean {
  const unused = Object.entries(baseline.unused).flatMap(([f, rules]) => Object.entries(rules).map(([r, { count }]) => `${f}: ${r} ${count}`));
  if (!unused.length) return false;
  const list = unused.length > 5 ? `${unused.slice(0, 5).join(', ')} and ${unused.length - 5} more` : unused.join(', ');
  process.stderr.write(`sqlperf: suppressions left in ${path.relative(cwd, baseline.file) || baseline.file} that no longer occur (${list}): remove them with --prune-suppressions, or pass --pass-on-unpruned-suppressions\n`);
  return true;
}
