import path from 'node:path';
import { analyze } from '../../analyze.js';
import type { IndexSuggestion } from '../../indexes.js';
import { lineStarts, toLineCol } from '../../range.js';
import { EXIT, UsageError } from '../errors.js';
import { discover, kindOf } from '../files.js';
import { emit } from '../output.js';
import { resolveSettings, type CommonFlags } from '../settings.js';
import { readSource } from '../source.js';

export interface IndexesFlags extends CommonFlags {
  format: string;
  outputFile?: string;
  ignorePattern?: string[];
}

export interface MergedIndex {
  table: string;
  columns: string[];
  statement: string;
  /** file:line:column of each query that wants this index (or one it was merged with). */
  places: string[];
}

const bare = (c: string) => c.replace(/ DESC$/i, '');

/**
 * Merges suggestions across queries: identical ones are one, and one whose columns are a leading
 * prefix of another's on the same table is served by it. Ranked by how many queries each serves.
 */
export function mergeAcross(found: Array<{ s: IndexSuggestion; place: string }>): MergedIndex[] {
  const sorted = [...found].sort((a, b) => b.s.columns.length - a.s.columns.length);
  const out: Array<MergedIndex & { key: string }> = [];
  for (const { s, place } of sorted) {
    const key = `${s.schema ?? ''}.${s.table}`;
    const host = out.find((o) => o.key === key && s.columns.length <= o.columns.length && s.columns.every((c, i) => bare(o.columns[i]!) === bare(c)));
    if (host) {
      if (!host.places.includes(place)) host.places.push(place);
      continue;
    }
    out.push({ key, table: s.schema ? `${s.schema}.${s.table}` : s.table, columns: s.columns, statement: s.statement, places: [place] });
  }
  return out
    .map(({ key: _key, ...m }) => m)
    .sort((a, b) => b.places.length - a.places.length || a.table.localeCompare(b.table) || a.columns.join().localeCompare(b.columns.join()));
}

const queries = (n: number) => `${n} ${n === 1 ? 'query' : 'queries'}`;

export async function indexesCommand(paths: string[], flags: IndexesFlags): Promise<number> {
  const cwd = process.cwd();
  if (!['text', 'sql', 'json'].includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use text, sql or json`);
  const { loaded, engine } = await resolveSettings(cwd, flags);
  const { files } = await discover(paths.length ? paths : ['.'], { cwd, base: loaded.base, include: loaded.config.include, ignore: loaded.config.ignore, ignorePatterns: flags.ignorePattern });
  const found: Array<{ s: IndexSuggestion; place: string }> = [];
  let unreadable = 0;
  let unparsed = 0;
  let hostFiles = 0;
  for (const file of files) {
    if (kindOf(file) !== 'sql') {
      hostFiles++;
      continue;
    }
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    const src = await readSource(file);
    if (!src.ok) {
      unreadable++;
      process.stderr.write(`sqlperf: skipping ${rel}: ${src.reason}\n`);
      continue;
    }
    const r = analyze(src.text, { dialect: engine.dialect, rules: engine.rules });
    const starts = lineStarts(src.text);
    for (const st of r.statements) {
      if (st.kind === 'unparsed') unparsed++;
      const at = toLineCol(starts, st.range.start);
      for (const s of st.indexes) found.push({ s, place: `${rel}:${at.line}:${at.column}` });
    }
  }
  if (hostFiles) process.stderr.write(`sqlperf: ${hostFiles} JS/TS files not searched: index suggestions cover .sql files for now\n`);
  if (unparsed) process.stderr.write(`sqlperf: left out ${unparsed} ${unparsed === 1 ? 'statement' : 'statements'} that did not parse (run \`sqlperf lint\` to see them)\n`);
  const merged = mergeAcross(found);
  let out: string;
  if (flags.format === 'json') out = JSON.stringify(merged, null, 2) + '\n';
  else if (flags.format === 'sql') {
    const head = ['-- Index suggestions from sqlperf, merged across all queries and ranked by how many they serve.', '-- Review before applying: every index slows writes down and takes space.', ''];
    out = merged.length ? [...head, ...merged.flatMap((m) => [`-- serves ${queries(m.places.length)}: ${m.places.join(', ')}`, m.statement, ''])].join('\n') : '-- sqlperf: no index suggestions\n';
  } else {
    out = merged.map((m) => `${m.statement}  -- ${queries(m.places.length)}: ${m.places.join(', ')}`).join('\n') + (merged.length ? '\n' : '');
    if (!merged.length) process.stderr.write('sqlperf: no index suggestions\n');
  }
  await emit(out, flags.outputFile, cwd);
  return unreadable ? EXIT.problems : EXIT.ok;
}
