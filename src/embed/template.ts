/**
 * A SQL site in host code -> SQL text the parsers accept, plus a map back to host offsets.
 *
 * The text is built from the host SOURCE (not `quasi.value.raw`/`cooked`, which typescript-estree
 * and ESLint may normalise): escapes are cooked (`\n`, `\\`, `\``, `\u{..}`, line continuations)
 * and every SQL character remembers the host range it came from, so CRLF files, escapes and
 * multi-line templates map exactly. Each `${}` hole is filled with a placeholder chosen from the
 * token before it (a value `$n`/`:pN`, an identifier `__sqlperf_pN`, or nothing for a fragment);
 * on a parse error near a hole that hole is retried down the chain value -> identifier -> nothing.
 * If that is not enough, knex `?`/`??`, `:name` and `{{name}}` placeholders in the text itself
 * become holes too. A diagnostic that touches a placeholder maps to the whole `${expr}`.
 */

import type { Dialect } from '../dialect.js';
import type { ParsedStatement } from '../parse/index.js';
import type { Range } from '../range.js';
import type { FragmentClause, SqlSite } from './detect.js';
import { search, type Built } from './fill-search.js';
import type { HoleFill } from './hole-shapes.js';
import { holeExprFinder, piecesOf, type Piece, type PieceState } from './pieces.js';
import { PrefixScanner } from './prefix-scan.js';
import { tableSql } from '../drizzle/names.js';

// the embed layer's entry points keep their home here (cook, hole shapes and fills live in their own modules)
export { cook } from './cook.js';
export { holeShapes, type FillKind, type HoleFill } from './hole-shapes.js';

/** A run of SQL text that maps 1:1 onto host text: `sqlStart..sqlEnd` comes from `hostStart..`. */
export interface Segment {
  sqlStart: number;
  sqlEnd: number;
  hostStart: number;
}

export interface EmbeddedSql {
  sql: string;
  holes: HoleFill[];
  /** Runs of SQL that map 1:1 onto the host (placeholders and cooked escapes are not in a run). */
  segments: Segment[];
  /** Every statement parsed with the chosen fills. */
  parsed: boolean;
  /** How many parse attempts it took (1 = the first fill worked). */
  attempts: number;
  /** Maps a range of the SQL text to host offsets; a range touching a placeholder covers the whole hole. */
  toHost(range: Range): Range;
  /** Ranges of SQL text that sqlperf added (a knex fragment's wrapper, a missing main statement): findings there are not the host's. */
  synthetic: Range[];
}

function maxParam(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** What a fragment is wrapped in to make a statement: text before and after it (see FragmentClause). */
const WRAPS: Record<FragmentClause, [string, string]> = {
  where: ['SELECT 1 FROM __sqlperf_t WHERE ', ''],
  having: ['SELECT 1 FROM __sqlperf_t GROUP BY 1 HAVING ', ''],
  join: ['SELECT 1 FROM __sqlperf_t ', ''],
  orderBy: ['SELECT 1 FROM __sqlperf_t ORDER BY ', ''],
  groupBy: ['SELECT 1 FROM __sqlperf_t GROUP BY ', ''],
  select: ['SELECT ', ' FROM __sqlperf_t'],
  and: ['SELECT 1 FROM __sqlperf_t WHERE TRUE ', ''],
  tail: ['SELECT 1 FROM __sqlperf_t ', ''],
  havingTail: ['SELECT 1 FROM __sqlperf_t GROUP BY 1 ', ''],
  fromTail: ['SELECT 1 ', ''],
  updateTail: ['UPDATE __sqlperf_t ', ''],
  insertTail: ['INSERT INTO __sqlperf_t ', ''],
  values: ['INSERT INTO __sqlperf_t VALUES ', ''],
  set: ['UPDATE __sqlperf_t SET ', ''],
};

/**
 * A fragment whose Drizzle columns all belong to one table is wrapped in a statement on that table
 * (`SELECT 1 FROM "inbox" WHERE lower("inbox"."sender_email") = $1`), so its conditions are judged
 * on the table they filter: the qualified columns resolve, and the schema's indexes of that table apply.
 */
function wrapOnTable(pieces: Piece[], dialect: Dialect): void {
  const tables = new Set<string>();
  for (const p of pieces) if (p.kind === 'hole' && p.hole.name?.table) tables.add(tableSql(p.hole.name.table, dialect));
  const [only] = tables;
  if (tables.size !== 1 || only === undefined) return;
  for (const [i, p] of pieces.entries()) if (p.kind === 'synthetic' && p.text.includes(WRAP_TABLE)) pieces[i] = { ...p, text: p.text.replace(WRAP_TABLE, only) };
}

const WRAP_TABLE = '__sqlperf_t';

/** Builds the SQL text of a site, trying hole fills until every statement parses (or the options run out). */
export function embedSql(site: SqlSite, dialect: Dialect): EmbeddedSql {
  const wrap = site.wrap ? WRAPS[site.wrap] : undefined;
  const exprOf = holeExprFinder(site);
  const attempt = (expand: boolean) => {
    const pieces: Piece[] = [];
    const state: PieceState = { before: '', scanner: new PrefixScanner(), expanded: 0, names: { ...(site.names ? { resolve: site.names } : {}), dialect } };
    const startAt = site.parts[0]?.start ?? site.range[0];
    const endAt = site.parts[site.parts.length - 1]?.end ?? site.range[1];
    if (wrap) {
      pieces.push({ kind: 'synthetic', text: wrap[0], at: startAt });
      state.before += wrap[0];
    }
    piecesOf(site, site.code, state, expand, site.parameterized, 0, exprOf, pieces);
    if (wrap?.[1]) pieces.push({ kind: 'synthetic', text: wrap[1], at: endAt });
    if (wrap) wrapOnTable(pieces, dialect);
    const { before } = state;
    const firstParam = maxParam(before) + 1;
    const found = search(pieces, dialect, firstParam);
    const first = found.first;
    let best = found.best;
    if (best.failed && !wrap && /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*with\b/i.test(before)) {
      // a CTE list whose main statement is added elsewhere (`WITH a AS (...), b AS (...)`): complete it
      const tail = /,\s*$/.test(before) ? ' __sqlperf_end AS (SELECT 1) SELECT 1' : ' SELECT 1';
      const completed = search([...pieces, { kind: 'synthetic', text: tail, at: endAt }], dialect, firstParam);
      if (completed.best.failed === 0) best = { ...completed.best, attempts: completed.best.attempts + best.attempts };
    }
    return { first, best, expanded: state.expanded };
  };
  let run = attempt(true);
  if (run.expanded && run.best.failed) {
    // the inlined text does not fit: read those holes as plain holes (an empty branch, a value)
    const plain = attempt(false);
    if (plain.best.failed < run.best.failed) run = { ...plain, best: { ...plain.best, attempts: plain.best.attempts + run.best.attempts } };
  }
  const { first, best } = run;
  // when nothing parses, report against the natural reading (every hole a value), not the last guess
  const chosen = best.failed && best.failed >= first.failed ? first : best;
  return toEmbedded(chosen.built, chosen.failed === 0, best.attempts);
}

/** The statements of an embedded text as the fill search parsed them (`Built.statements`), for its one analysis. */
const parsedStatements = new WeakMap<EmbeddedSql, ParsedStatement[]>();

/** The statements the fill search parsed for `embedded.sql`, once: the first caller takes them (analyzeSite). */
export function takeStatements(embedded: EmbeddedSql): ParsedStatement[] | undefined {
  const statements = parsedStatements.get(embedded);
  parsedStatements.delete(embedded);
  return statements;
}

function toEmbedded(b: Built, parsed: boolean, attempts: number): EmbeddedSql {
  const { sql, starts, ends, holes, synthetic } = b;
  const segments: Segment[] = [];
  // characters sqlperf put in (placeholders, wrappers) are in no segment: marked once, not searched per character
  const made = new Uint8Array(sql.length);
  for (const r of [...synthetic, ...holes.map((h) => h.sql)]) made.fill(1, r.start, r.end);
  // runs of SQL characters each copied from the next host character (starts/ends: one per SQL character)
  let run: Segment | undefined;
  for (const [i, start] of starts.entries()) {
    const single = ends[i] === start + 1;
    // a run starts at a character sqlperf did not put in, and goes on while the host characters follow each other
    if (run && single && start === run.hostStart + (i - run.sqlStart)) run.sqlEnd = i + 1;
    else if (single && !made[i]) segments.push((run = { sqlStart: i, sqlEnd: i + 1, hostStart: start }));
    else run = undefined;
  }
  const hostEnd = ends.at(-1) ?? 0;
  const toHost = (r: Range): Range => {
    if (sql.length === 0) return { start: 0, end: 0 };
    // past the end of the SQL: the end of the last character
    const start = starts[Math.max(0, r.start)] ?? hostEnd;
    if (r.end <= r.start) return { start, end: start };
    const last = ends[Math.min(r.end, sql.length) - 1];
    return { start, end: last === undefined ? start : Math.max(start, last) };
  };
  const embedded = { sql, holes, segments, parsed, attempts, toHost, synthetic };
  if (b.statements) parsedStatements.set(embedded, b.statements);
  return embedded;
}
