import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pc from 'picocolors';
import { analyze as analyzeSql, type AnalysisResult } from '../../analyze.js';
import { lineStarts, toLineCol } from '../../range.js';
import { EXIT, UsageError } from '../errors.js';
import { emit, readStdin, useColor } from '../output.js';
import { resolveProjectSchema } from '../schema.js';
import { resolveSettings, type CommonFlags } from '../settings.js';
import { decode, toMessages } from '../source.js';
import type { LintMessage } from '../types.js';
import { errorCode, errorMessage } from '../../error-message.js';

export interface AnalyzeFlags extends CommonFlags {
  file?: string;
  format: string;
  color?: boolean;
  /** `--schema` paths, or false for `--no-schema`; found as `lint` finds it otherwise. */
  schema?: string[] | false;
}

/**
 * The argument names a file rather than holding SQL: one word that is an existing file, or that
 * ends like a SQL file (so a mistyped path is an error, not a statement that fails to parse).
 */
function namesFile(arg: string, cwd: string): boolean {
  if (/\s/.test(arg.trim()) || !arg.trim()) return false;
  const abs = path.resolve(cwd, arg.trim());
  return (existsSync(abs) && statSync(abs).isFile()) || /\.(sql|psql|pgsql|ddl)$/i.test(arg.trim());
}

async function readSqlFile(file: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${errorCode(e) === 'ENOENT' ? 'no such file' : errorMessage(e)}`);
  }
  const d = decode(buf);
  if (!d.ok) throw new UsageError(`cannot read ${file}: ${d.reason}`);
  return d.text;
}

interface StatementReport {
  sql: string;
  line: number;
  column: number;
  cost: { score: number; level: string; factors: Array<{ id: string; reason: string; weight: number; line: number; column: number }> } | null;
  indexes: Array<{ table: string; columns: string[]; statement: string }>;
  diagnostics: LintMessage[];
}

export function report(r: AnalysisResult): { statements: StatementReport[] } {
  const starts = lineStarts(r.text);
  const at = (offset: number) => toLineCol(starts, offset);
  const loose = toMessages(r.text, r.diagnostics.filter((d) => !r.statements.some((s) => s.diagnostics.includes(d))), starts);
  const statements = r.statements.map((s, i) => ({
    sql: r.text.slice(s.range.start, s.range.end),
    ...at(s.range.start),
    cost: s.cost && { score: s.cost.score, level: s.cost.level, factors: s.cost.factors.map((f) => ({ id: f.id, reason: f.reason, weight: f.weight, ...at(f.range.start) })) },
    indexes: s.indexes.map((x) => ({ table: x.schema ? `${x.schema}.${x.table}` : x.table, columns: x.columns, statement: x.statement })),
    // directive problems belong to no statement: show them with the first
    diagnostics: [...toMessages(r.text, s.diagnostics, starts), ...(i === 0 ? loose : [])],
  }));
  return { statements };
}

function text(rep: { statements: StatementReport[] }, color: boolean): string {
  const c = pc.createColors(color);
  const level = (l: string) => (l === 'high' ? c.red(l) : l === 'medium' ? c.yellow(l) : c.green(l));
  const out: string[] = [];
  rep.statements.forEach((s, i) => {
    if (i) out.push('');
    const oneLine = s.sql.replace(/\s+/g, ' ').trim();
    out.push(c.bold(`Statement ${i + 1}`) + c.dim(` (line ${s.line})`) + `: ${oneLine.length > 100 ? oneLine.slice(0, 97) + '...' : oneLine}`);
    if (s.cost) {
      out.push(`  Cost: ${c.bold(String(s.cost.score))} (${level(s.cost.level)})`);
      for (const f of s.cost.factors) out.push(`    ${c.dim(`+${f.weight}`.padStart(4))}  ${f.reason} ${c.dim(`(${f.line}:${f.column})`)}`);
    } else out.push('  Cost: not estimated (the statement did not parse)');
    if (s.indexes.length) {
      out.push('  Suggested indexes:');
      for (const x of s.indexes) out.push(`    ${x.statement}`);
    } else out.push('  Suggested indexes: none');
    if (s.diagnostics.length) {
      out.push('  Diagnostics:');
      for (const d of s.diagnostics) out.push(`    ${c.dim(`${d.line}:${d.column}`)}  ${d.severity === 2 ? c.red('error') : c.yellow('warning')}  ${d.message}  ${c.dim(d.ruleId ?? '')}`);
    } else out.push('  Diagnostics: none');
  });
  if (!rep.statements.length) out.push('No SQL statements found.');
  return out.join('\n') + '\n';
}

export async function analyzeCommand(sql: string | undefined, flags: AnalyzeFlags): Promise<number> {
  const cwd = process.cwd();
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use text or json`);
  if (sql !== undefined && flags.file) throw new UsageError('give the SQL as an argument or with --file, not both');
  // `sqlperf analyze db/reports.sql` reads the file; `-` is standard input; anything else is the SQL itself
  const file = flags.file ?? (sql !== undefined && sql !== '-' && namesFile(sql, cwd) ? sql.trim() : undefined);
  let input: string;
  if (file !== undefined) input = await readSqlFile(file);
  else if (sql !== undefined && sql !== '-') input = sql;
  else {
    if (sql === undefined && process.stdin.isTTY) throw new UsageError('no SQL given: pass a query, a file, --file <file.sql>, or pipe SQL on standard input');
    input = await readStdin();
  }
  const { loaded, engine } = await resolveSettings(cwd, flags);
  // the project's schema, found as `lint` finds it: suggestions leave out what existing indexes serve
  const projectSchema = await resolveProjectSchema(cwd, loaded, flags.schema, engine.dialect, (line) => process.stderr.write(`sqlperf: ${line}\n`));
  const rep = report(analyzeSql(input, { dialect: engine.dialect, rules: engine.rules, ...(projectSchema ? { schema: projectSchema.schema } : {}) }));
  const out = flags.format === 'json' ? JSON.stringify(rep, null, 2) + '\n' : text(rep, useColor(process.stdout, flags.color, false));
  await emit(out, undefined, cwd);
  return rep.statements.some((s) => s.diagnostics.some((d) => d.severity === 2)) ? EXIT.problems : EXIT.ok;
}
