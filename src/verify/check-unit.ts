import { closestName } from '../did-you-mean.js';
import type { IndexSuggestion } from '../indexes.js';
import { candidatesFor } from './candidates.js';
import type { PgError } from './pglite.js';
import { qualityOf, tableAccess, type Quality, type TableAccess } from './plan.js';
import type { IndexOutcome, UnitOutcome } from './report.js';
import { EXPLAIN, hasOrderBy, type Session } from './session.js';
import { anchorOf, pgPositionToOffset, tokenAt, type Anchor } from './text.js';
import type { VerifyUnit } from './units.js';

/** Errors that are about parameter types PostgreSQL could not infer, not about the query. */
const NOT_THE_QUERY = new Set(['42P18', '42P02', '08P01', '0A000']);

/**
 * One statement against the loaded schema: its generic plan (or PostgreSQL's error), then each
 * static suggestion tried (confirmed, corrected or dropped), then the indexes the planner needs
 * on tables static analysis suggested nothing for.
 */
export async function verifyUnit(s: Session, u: VerifyUnit): Promise<UnitOutcome> {
  const first = await s.explain(u.sql);
  if ('error' in first) return rejected(s, u, first.error);
  const order = hasOrderBy(u);
  const leads = await s.leads();
  const access = tableAccess(first.root, order, leads);
  const tables = [...access.values()].map((a) => ({ table: a.table, served: a.served, indexes: a.indexes, filters: a.filters }));
  const indexes: IndexOutcome[] = [];
  const handled = new Set<string>();
  const statics = new Set(u.indexes.map((x) => x.statement));
  const baseOf = (t: string) => qualityOf(first.root, t, order, leads);
  for (const sug of u.indexes) {
    handled.add(sug.table);
    indexes.push(await judgeSuggestion(s, u, sug, access.get(sug.table), baseOf(sug.table), statics));
  }
  // tables static analysis had nothing for, where a condition is still filtered row by row: what PostgreSQL needs (GIN, expressions)
  for (const a of access.values()) {
    if (handled.has(a.table) || !a.filters.length) continue;
    const added = await neededIndex(s, u, a.table, baseOf(a.table));
    if (added) indexes.push(added);
  }
  return { error: null, tables, indexes };
}

/** A statement PostgreSQL rejects: its message, where it points, and a near table name for an unknown one. */
async function rejected(s: Session, u: VerifyUnit, err: PgError): Promise<UnitOutcome> {
  if (NOT_THE_QUERY.has(err.code)) return { error: null, tables: [], indexes: [], unverified: `PostgreSQL could not plan it generically: ${err.message}` };
  let anchor: Anchor | null = null;
  if (err.position !== null) {
    const at = pgPositionToOffset(EXPLAIN + u.sql, err.position) - EXPLAIN.length;
    if (at >= 0 && at <= u.sql.length) anchor = anchorOf(u.sql, tokenAt(u.sql, at));
  }
  let message = err.message;
  if (err.hint) message += `. ${err.hint}`;
  const rel = err.code === '42P01' ? /relation "([^"]+)" does not exist/.exec(err.message)?.[1] : undefined;
  if (rel) {
    const near = closestName(rel.split('.').pop()!, await s.tables());
    if (near) message += `; did you mean "${near}"?`;
  }
  return { error: { message, code: err.code, anchor }, tables: [], indexes: [] };
}

/** What the planner makes of one static suggestion: confirmed, corrected to an index it does use, or dropped with the reason. */
async function judgeSuggestion(s: Session, u: VerifyUnit, sug: IndexSuggestion, a: TableAccess | undefined, base: Quality, statics: Set<string>): Promise<IndexOutcome> {
  const note = sug.likePrefix ? "PGlite uses the C collation, where a plain B-tree serves LIKE 'prefix%'; in a database with another collation the column needs text_pattern_ops (varchar_pattern_ops) for that" : undefined;
  const tried = await s.tryIndex(sug.statement, sug.requires ?? [], u, sug.table, base);
  if (tried.improves) {
    const over = a?.served && a.indexes.length ? ` (it does better than the existing ${a.indexes.join(', ')})` : a?.skipScans.length ? ` (${skipScanText(a.skipScans)})` : '';
    return { table: sug.table, original: sug.statement, status: 'confirmed', statement: sug.statement, reason: `the planner uses it${over}`, ...(note ? { note } : {}) };
  }
  for (const c of candidatesFor(u, sug.table, sug)) {
    if (statics.has(c.statement)) continue;
    if ((await s.tryIndex(c.statement, [], u, sug.table, base)).improves) {
      return { table: sug.table, original: sug.statement, status: 'corrected', statement: c.statement, reason: `the planner does not need ${sug.columns.join(', ')}${a?.served && a.indexes.length ? ` (the existing ${a.indexes.join(', ')} serves that)` : ''}; ${c.why}` };
    }
  }
  let reason: string;
  if (tried.error) reason = `PostgreSQL cannot build it: ${tried.error.message}`;
  else if (a?.served && a.indexes.length) reason = `the existing index ${[...new Set(a.indexes)].join(', ')} already serves this query as well as the suggestion would`;
  else reason = `the planner would not use it${a?.filters.length ? ` (it still filters ${a.filters.join(' AND ')} row by row)` : ''}`;
  return { table: sug.table, original: sug.statement, status: 'dropped', statement: null, reason };
}

/** The first candidate index the planner uses on a table static analysis suggested nothing for. */
async function neededIndex(s: Session, u: VerifyUnit, table: string, base: Quality): Promise<IndexOutcome | undefined> {
  for (const c of candidatesFor(u, table, null)) {
    if ((await s.tryIndex(c.statement, [], u, table, base)).improves) {
      return { table, original: null, status: 'added', statement: c.statement, reason: `static analysis suggested no index; ${c.why}, and the planner uses it` };
    }
  }
  return undefined;
}

/** What a skip scan over an existing index is worth, in words. */
function skipScanText(scans: ReadonlyArray<{ index: string; lead: string }>): string {
  return scans.map((x) => `the existing ${x.index} is usable only through a skip scan over ${x.lead}: efficient only when ${x.lead} has few distinct values`).join('; ');
}
