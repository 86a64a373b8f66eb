import path from 'node:path';
import { discover, kindOf } from '../files.js';
import { emptyStats, HostUnavailableError, lintText, type Stats } from '../engine.js';
import { UsageError, EXIT } from '../errors.js';
import { FORMATTERS, type FormatName } from '../formatters/index.js';
import { emit, readStdin, useColor } from '../output.js';
import { progress } from '../progress.js';
import { resolveSettings, type CommonFlags } from '../settings.js';
import { decode, readSource } from '../source.js';
import { makeResult, type LintResult } from '../types.js';

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
}

function parseMaxWarnings(v: string | undefined): number {
  if (v === undefined) return -1;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--max-warnings expects a whole number, got "${v}"`);
  return Number(v);
}

function printStats(stats: Stats): void {
  const rows = [
    ['.sql', stats.sql, 'statements'],
    ['JS/TS', stats.host, 'SQL sites'],
  ] as const;
  const lines = ['sqlperf stats:'];
  for (const [name, s, unit] of rows) {
    if (!s.files) continue;
    lines.push(`  ${name.padEnd(6)} ${s.files} files, ${s.sites} ${unit} found, ${s.analysed} analysed, ${s.skipped} skipped, ${s.failed} ${name === '.sql' ? 'failed to parse' : 'failed'}`);
  }
  if (lines.length === 1) lines.push('  no files linted');
  process.stderr.write(lines.join('\n') + '\n');
}

export async function lint(paths: string[], flags: LintFlags): Promise<number> {
  const cwd = process.cwd();
  const format = flags.format as FormatName;
  if (!(format in FORMATTERS)) throw new UsageError(`unknown format "${flags.format}"; use one of ${Object.keys(FORMATTERS).join(', ')}`);
  const maxWarnings = parseMaxWarnings(flags.maxWarnings);
  if (flags.stdinFilename && !flags.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (flags.stdin && paths.length) throw new UsageError('--stdin lints standard input: do not pass paths with it');
  const { loaded, engine } = await resolveSettings(cwd, flags);
  const stats = emptyStats();
  const results: LintResult[] = [];
  const skippedHost: string[] = [];

  const lintOne = async (file: string, source: Awaited<ReturnType<typeof readSource>>) => {
    try {
      results.push((await lintText(file, source, engine, stats)).result);
    } catch (e) {
      if (!(e instanceof HostUnavailableError)) throw e;
      skippedHost.push(file);
      if (skippedHost.length === 1) process.stderr.write(`sqlperf: ${e.message}; skipping JS/TS files\n`);
    }
  };

  if (flags.stdin) {
    const name = flags.stdinFilename ? path.resolve(cwd, flags.stdinFilename) : '<text>';
    if (flags.stdinFilename && !kindOf(name)) throw new UsageError(`--stdin-filename ${flags.stdinFilename}: sqlperf lints .sql and JS/TS files only`);
    await lintOne(name, decode(Buffer.from(await readStdin(), 'utf8')));
  } else {
    const found = await discover(paths.length ? paths : ['.'], { cwd, base: loaded.base, include: loaded.config.include, ignore: loaded.config.ignore, ignorePatterns: flags.ignorePattern });
    for (const f of found.unsupported) process.stderr.write(`sqlperf: skipping ${path.relative(cwd, f)}: not a .sql or JS/TS file\n`);
    const bar = progress(found.files.length, format === 'stylish' || Boolean(flags.outputFile));
    let done = 0;
    for (const file of found.files) {
      await lintOne(file, await readSource(file));
      bar.tick(++done);
    }
    bar.stop();
  }

  const shown = flags.quiet ? results.map((r) => makeResult(r.filePath, r.messages.filter((m) => m.severity === 2))) : results;
  const errors = shown.reduce((n, r) => n + r.errorCount, 0);
  const warnings = shown.reduce((n, r) => n + r.warningCount, 0);
  const color = useColor(process.stdout, flags.color, Boolean(flags.outputFile));
  await emit(FORMATTERS[format](shown, { cwd, color }), flags.outputFile, cwd);
  if (flags.stats) printStats(stats);
  const tooManyWarnings = maxWarnings >= 0 && warnings > maxWarnings;
  if (tooManyWarnings) process.stderr.write(`sqlperf found too many warnings (maximum: ${maxWarnings}).\n`);
  return errors > 0 || tooManyWarnings ? EXIT.problems : EXIT.ok;
}
