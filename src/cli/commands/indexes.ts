import path from 'node:path';
import { analyze } from '../../analyze.js';
import type * as EmbedApi from '../../embed/index.js';
import type { AstProgram } from '../../embed/index.js';
import type { Dialect } from '../../dialect.js';
import { commentText } from '../../index-ddl.js';
import { indexName, onlineStatement, planIndexes, type IndexSuggestion } from '../../indexes.js';
import { lineStarts, toLineCol } from '../../range.js';
import { EXIT, UsageError } from '../errors.js';
import { fileContext, mayHoldSql, type EngineOptions } from '../engine.js';
import { discover, kindOf } from '../files.js';
import { emit } from '../output.js';
import { resolveProjectSchema, type ProjectSchema } from '../schema.js';
import { resolveSettings, type CommonFlags } from '../settings.js';
import { readSource } from '../source.js';
import { errorMessage } from '../../error-message.js';

export interface IndexesFlags extends CommonFlags {
  format: string;
  outputFile?: string;
  ignorePattern?: string[];
  schema?: string[] | false;
  verify?: boolean;
}

export interface MergedIndex {
  table: string;
  columns: string[];
  statement: string;
  /** The statement as a migration on a live database runs it (`CONCURRENTLY IF NOT EXISTS`, `ALGORITHM=INPLACE, LOCK=NONE`). */
  online: string;
  /** Statements to run first (`CREATE EXTENSION IF NOT EXISTS pg_trgm;`). */
  requires?: string[];
  /** The trade-off of this index, when there is one worth saying. */
  note?: string;
  /** How the queries must be rewritten to use it (FULLTEXT: MATCH ... AGAINST). */
  rewrite?: string;
  /** file:line:column of each query that wants this index (or one it was merged with), costliest first. */
  places: string[];
  /** The same queries with their static cost score (src/cost.ts), costliest first. */
  queries: Array<{ place: string; cost: number }>;
  /** The summed cost score of the queries it serves: the second ranking key, after how many. */
  cost: number;
}

/** A suggestion found at one query; `cost` is that statement's static cost score, when known. */
export interface FoundIndex {
  s: Omit<IndexSuggestion, 'name'> & { name?: string };
  place: string;
  cost?: number;
}

const bare = (c: string) => c.replace(/ DESC$/i, '');

/**
 * Merges suggestions across queries: identical ones are one, and one whose columns are a leading
 * prefix of another's on the same table is served by it. Ranked by how many queries each serves,
 * then by how costly they are (the sum of their static cost scores); each lists its queries costliest first.
 */
export function mergeAcross(found: FoundIndex[], dialect: Dialect = 'postgresql'): MergedIndex[] {
  const sorted = [...found].sort((a, b) => b.s.columns.length - a.s.columns.length);
  const out: Array<MergedIndex & { key: string; method: string }> = [];
  for (const { s, place, cost = 0 } of sorted) {
    const key = `${s.schema ?? ''}.${s.table}`;
    const method = s.kind === 'gin' || s.kind === 'trigram' || s.kind === 'fulltext' ? s.kind : 'btree';
    const host = out.find((o) => o.key === key && (o.statement === s.statement || (o.method === method && method === 'btree' && s.columns.length <= o.columns.length && s.columns.every((c, i) => bare(o.columns[i]!) === bare(c)))));
    if (host) {
      if (!host.places.includes(place)) {
        host.places.push(place);
        host.queries.push({ place, cost });
      }
      continue;
    }
    out.push({ key, method, table: s.schema ? `${s.schema}.${s.table}` : s.table, columns: s.columns, statement: s.statement, online: onlineStatement({ ...s, name: s.name ?? indexName(s.table, s.columns) }, dialect), ...(s.requires ? { requires: s.requires } : {}), ...(s.note ? { note: s.note } : {}), ...(s.rewrite ? { rewrite: s.rewrite } : {}), places: [place], queries: [{ place, cost }], cost: 0 });
  }
  for (const m of out) {
    // a stable order: costliest first, then by place
    m.queries.sort((a, b) => b.cost - a.cost || a.place.localeCompare(b.place, 'en', { numeric: true }));
    m.places = m.queries.map((q) => q.place);
    m.cost = m.queries.reduce((n, q) => n + q.cost, 0);
  }
  // two different indexes never share a name (a slug can collide: `(a, b)` and `(a_b)`): the later one gets a hash
  const names = new Set<string>();
  for (const m of out) {
    const name = /^CREATE INDEX (\S+) /.exec(m.statement)?.[1];
    if (!name) continue;
    let unique = name;
    for (let i = 1; names.has(unique); i++) unique = `${name.slice(0, 56)}_${i}`;
    names.add(unique);
    if (unique !== name) {
      m.statement = m.statement.replace(` ${name} `, ` ${unique} `);
      m.online = m.online.replace(` ${name} `, ` ${unique} `);
    }
  }
  return out
    .map(({ key: _key, method: _method, ...m }) => m)
    .sort((a, b) => b.places.length - a.places.length || b.cost - a.cost || a.table.localeCompare(b.table) || a.columns.join().localeCompare(b.columns.join()));
}

/** `2 queries (cost 37): a.ts:6:36 (cost 21), b.sql:2:1 (cost 16)`; costs left out when none is known. */
export function servedQueries(m: Pick<MergedIndex, 'queries' | 'cost'>): string {
  const withCost = m.cost > 0;
  const total = withCost && m.queries.length > 1 ? ` (cost ${m.cost})` : '';
  return `${queries(m.queries.length)}${total}: ${m.queries.map((q) => (withCost ? `${q.place} (cost ${q.cost})` : q.place)).join(', ')}`;
}

type EmbedModule = typeof EmbedApi;
type HostParse = (code: string, filePath: string) => AstProgram;

type HostTools = { embed: EmbedModule; parse: HostParse };

/** src/embed and its JS/TS parser (oxc-parser, as lint reads files), loaded on the first JS/TS file. */
let hostTools: Promise<HostTools> | undefined;
function loadHostTools(): Promise<HostTools> {
  hostTools ??= Promise.all([import('../../embed/index.js'), import('../../embed/parse-host.js')]).then(([embed, { parseHost }]) => ({
    embed,
    parse: (code: string, filePath: string) => {
      const r = parseHost(code, filePath);
      if (!r.ok) throw new Error(r.message);
      return r.program;
    },
  }));
  return hostTools;
}

interface HostIndexes {
  found: Array<{ s: IndexSuggestion; offset: number; cost: number }>;
  unparsed: number;
}

/**
 * Index suggestions of the SQL embedded in one JS/TS file, each placed at its statement's start
 * in the host file (through the site's map from SQL to host offsets). Throws when the file is not
 * valid JS/TS.
 */
export function hostIndexes(tools: HostTools, code: string, filePath: string, engine: EngineOptions): HostIndexes {
  const program = tools.parse(code, filePath);
  const sites = tools.embed.findSqlSites(program, code, { ...(engine.tags ? { tags: engine.tags } : {}), ...(engine.callees ? { callees: engine.callees } : {}) });
  const out: HostIndexes = { found: [], unparsed: 0 };
  for (const site of sites) {
    // the plan is built from application queries only: migrations, scripts and tests ran once or never in production
    const r = tools.embed.analyzeSite(site, { dialect: engine.dialect, rules: engine.rules, context: fileContext(filePath, engine), ...(engine.schema ? { schema: engine.schema } : {}) });
    if (!r.analysis || !r.embedded) continue;
    const app = fileContext(filePath, engine) === 'app';
    for (const st of r.analysis.statements) {
      if (st.kind === 'unparsed' && app) out.unparsed++;
      if (!st.indexes.length) continue;
      const offset = r.embedded.toHost({ start: st.range.start, end: st.range.start }).start;
      for (const s of st.indexes) out.found.push({ s, offset, cost: st.cost?.score ?? 0 });
    }
  }
  return out;
}

/** `indexes --verify`: only what PostgreSQL's planner uses; undefined (static list) when verification cannot run. */
async function verifiedIndexes(cwd: string, files: string[], engine: EngineOptions, projectSchema: ProjectSchema | undefined, format: string, note: (line: string) => void): Promise<string | undefined> {
  if (engine.dialect !== 'postgresql') {
    note(`--verify checks PostgreSQL only (dialect is ${engine.dialect}); printing the static suggestions`);
    return undefined;
  }
  const { verifyProject, formatVerifiedIndexes, verifyNotes, VerifyUnavailableError } = await import('../../verify/index.js');
  const rel = (f: string) => path.relative(cwd, f).split(path.sep).join('/');
  const texts = new Map<string, string>();
  for (const f of files) {
    const src = await readSource(f);
    if (src.ok) texts.set(rel(f), src.text);
  }
  try {
    const report = await verifyProject(cwd, [...texts].map(([p, text]) => ({ path: p, text })), {
      ...(engine.rules ? { rules: engine.rules } : {}),
      ...(engine.tags ? { tags: engine.tags } : {}),
      ...(engine.callees ? { callees: engine.callees } : {}),
      ...(projectSchema ? { schemaFiles: projectSchema.files } : {}),
    });
    for (const n of report.notes) note(`verify: ${n}`);
    if (report.status === 'unavailable') return undefined; // the notes say why; the static plan is printed, marked
    for (const n of verifyNotes(report, (f) => texts.get(f))) note(`verify: ${n}`);
    if (format === 'json') return JSON.stringify({ status: report.status, indexes: report.indexes, dropped: report.dropped }, null, 2) + '\n';
    if (format === 'sql') return formatVerifiedIndexes(report, (f) => texts.get(f)) + '\n';
    return report.indexes.map((ix) => `${ix.statement}  -- ${queries(ix.queries.length)}, ${ix.status}`).join('\n') + (report.indexes.length ? '\n' : '');
  } catch (e) {
    note(e instanceof VerifyUnavailableError ? `${e.message}; printing the static suggestions` : `--verify failed (${errorMessage(e)}); printing the static suggestions`);
    return undefined;
  }
}

/**
 * `indexes -f sql`: a migration safe to run on a live database. Each statement stands alone (PostgreSQL's
 * CONCURRENTLY cannot run inside a transaction block); what sqlperf writes into comments (file names,
 * notes) is made one line with no way out of the comment.
 */
export function sqlPlan(merged: MergedIndex[], dialect: Dialect): string {
  if (!merged.length) return '-- sqlperf: no index suggestions\n';
  const head = ['-- Index suggestions from sqlperf, merged across all queries and ranked by how many they serve, then by their cost.', '-- Review before applying: every index slows writes down and takes space.'];
  if (dialect === 'postgresql') {
    head.push(
      '-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: run each statement on its own (not in a migration tool\'s transaction).',
      '-- lock_timeout: give up rather than wait behind a long transaction that holds a conflicting lock (run again later).',
      '-- statement_timeout 0: a concurrent build on a large table takes as long as it takes; one cancelled half-way leaves an INVALID index.',
      '-- After a failure, drop what it left before running again (IF NOT EXISTS would skip it): SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; DROP INDEX CONCURRENTLY <name>;',
      '',
      ...PG_SESSION,
    );
  } else if (dialect === 'mysql' || dialect === 'mariadb') {
    head.push(
      '-- ALGORITHM=INPLACE, LOCK=NONE builds each index without blocking writes; MySQL refuses the statement rather than lock the table when it cannot.',
      '-- lock_wait_timeout: the build still needs a brief metadata lock at its start and end; give up after 5 seconds rather than queue every query behind it (the default waits a year).',
      '',
      ...MYSQL_SESSION,
    );
  }
  const requires = [...new Set(merged.flatMap((m) => m.requires ?? []))];
  const lines = [...head, ''];
  if (requires.length) lines.push(...requires, '');
  for (const m of merged) {
    lines.push(`-- serves ${commentText(servedQueries(m))}`);
    if (m.rewrite) lines.push(`-- rewrite the queries: ${commentText(m.rewrite)}`);
    if (m.note) lines.push(`-- ${commentText(m.note)}`);
    lines.push(m.online, '');
  }
  return lines.join('\n');
}

const queries = (n: number) => `${n} ${n === 1 ? 'query' : 'queries'}`;

/** Session settings before the PostgreSQL migration (squawk's require-lock-timeout and require-statement-timeout, with the values a DBA picks for concurrent builds). */
export const PG_SESSION = ["SET lock_timeout = '5s';", 'SET statement_timeout = 0;'];
/** MySQL's metadata-lock wait for online DDL. */
export const MYSQL_SESSION = ['SET SESSION lock_wait_timeout = 5;'];

export async function indexesCommand(paths: string[], flags: IndexesFlags): Promise<number> {
  const cwd = process.cwd();
  if (!['text', 'sql', 'json'].includes(flags.format)) throw new UsageError(`unknown format "${flags.format}"; use text, sql or json`);
  const { loaded, engine } = await resolveSettings(cwd, flags);
  const note = (line: string) => process.stderr.write(`sqlperf: ${line}\n`);
  const projectSchema = await resolveProjectSchema(cwd, loaded, flags.schema, engine.dialect, note, paths);
  if (projectSchema) engine.schema = projectSchema.schema;
  const { files } = await discover(paths.length ? paths : ['.'], { cwd, base: loaded.base, include: loaded.config.include, ignore: loaded.config.ignore, ignorePatterns: flags.ignorePattern });
  const found: FoundIndex[] = [];
  let unreadable = 0;
  let unparsed = 0;
  for (const file of files) {
    const kind = kindOf(file);
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    const src = await readSource(file);
    if (!src.ok) {
      unreadable++;
      process.stderr.write(`sqlperf: skipping ${rel}: ${src.reason}\n`);
      continue;
    }
    if (kind === 'host') {
      const tools = await loadHostTools();
      if (!mayHoldSql(src.text, engine.tags ?? tools.embed.DEFAULT_TAGS, engine.callees ?? tools.embed.DEFAULT_CALLEES)) continue;
      let r: HostIndexes;
      try {
        r = hostIndexes(tools, src.text, file, engine);
      } catch (e) {
        process.stderr.write(`sqlperf: skipping ${rel}: not valid JavaScript/TypeScript (${errorMessage(e).split('\n')[0]})\n`);
        continue;
      }
      unparsed += r.unparsed;
      const starts = lineStarts(src.text);
      for (const { s, offset, cost } of r.found) {
        const at = toLineCol(starts, offset);
        found.push({ s, place: `${rel}:${at.line}:${at.column}`, cost });
      }
      continue;
    }
    unparsed += sqlFileIndexes(src.text, file, rel, engine, found, note);
  }
  if (unparsed) process.stderr.write(`sqlperf: left out ${unparsed} ${unparsed === 1 ? 'statement' : 'statements'} that did not parse (run \`sqlperf lint\` to see them)\n`);
  let notVerified = false;
  if (flags.verify ?? loaded.config.verify) {
    const verified = await verifiedIndexes(cwd, files, engine, projectSchema, flags.format, note);
    if (verified !== undefined) {
      await emit(verified, flags.outputFile, cwd);
      return unreadable ? EXIT.problems : EXIT.ok;
    }
    notVerified = true;
  }
  let out = formatPlan(mergeAcross(found, engine.dialect), flags.format, engine.dialect);
  if (notVerified && flags.format !== 'json') out = `-- not verified: PostgreSQL's planner could not check these suggestions (see stderr)\n${out}`;
  await emit(out, flags.outputFile, cwd);
  return unreadable ? EXIT.problems : EXIT.ok;
}

/** One .sql file's suggestions onto `found`, each at its statement; the number of application statements that did not parse. */
function sqlFileIndexes(text: string, file: string, rel: string, engine: EngineOptions, found: FoundIndex[], note: (line: string) => void): number {
  let unparsed = 0;
  const context = fileContext(file, engine);
  const r = analyze(text, { dialect: engine.dialect, rules: engine.rules, context, ...(engine.schema ? { schema: engine.schema } : {}) });
  const starts = lineStarts(text);
  for (const st of r.statements) {
    // only application queries drive the plan: a migration statement the parser could not read is not one left out
    if (st.kind === 'unparsed' && context === 'app') unparsed++;
    const at = toLineCol(starts, st.range.start);
    for (const s of st.indexes) found.push({ s, place: `${rel}:${at.line}:${at.column}`, cost: st.cost?.score ?? 0 });
    // say why an expression index an application query would need is not suggested (not IMMUTABLE, a parameter inside...)
    if (context !== 'app' || !st.model || st.kind === 'unparsed') continue;
    for (const k of planIndexes(st.model, text, engine.dialect, engine.schema).skipped) {
      if (!/^an expression index|^a GIN index/.test(k.what)) continue;
      const p = toLineCol(starts, k.range.start);
      note(`no ${k.what.replace(/^an? /, '')} on ${k.table} for ${rel}:${p.line}:${p.column}: ${k.reason}`);
    }
  }
  return unparsed;
}

/** The merged suggestions in the output format (text: one line per index, with its notes). */
function formatPlan(merged: MergedIndex[], format: string, dialect: Dialect): string {
  if (format === 'json') return JSON.stringify(merged, null, 2) + '\n';
  if (format === 'sql') return sqlPlan(merged, dialect);
  if (!merged.length) process.stderr.write('sqlperf: no index suggestions\n');
  return merged.map((m) => [...(m.requires ?? []), `${m.statement}  -- ${commentText(servedQueries(m))}`, ...(m.rewrite ? [`  -- rewrite the queries: ${commentText(m.rewrite)}`] : []), ...(m.note ? [`  -- ${commentText(m.note)}`] : [])].join('\n')).join('\n') + (merged.length ? '\n' : '');
}
