import type { VerifyUnit } from './units.js';
import type { SchemaProblem } from './load-schema.js';
import type { Anchor } from './text.js';

/** What verification reports: per statement, per index across statements, and the run as a whole. */
export type IndexStatus = 'confirmed' | 'corrected' | 'added' | 'dropped';

/** What the planner made of one static suggestion (or of an index it needed that static analysis did not suggest). */
export interface IndexOutcome {
  table: string;
  /** The static suggestion (`CREATE INDEX ...;`); null for an index the planner needed that static analysis did not suggest. */
  original: string | null;
  status: IndexStatus;
  /** The index to create; null when dropped. */
  statement: string | null;
  /** Why: what the planner did. */
  reason: string;
  /** A caveat the planner cannot settle (collation, table sizes). */
  note?: string;
}

/** The result of one statement, independent of where it sits (cached by fingerprint). */
export interface UnitOutcome {
  error: { message: string; code: string; anchor: Anchor | null } | null;
  /** Tables read by the query: whether an existing index serves them (with `enable_seqscan = off`). */
  tables: Array<{ table: string; served: boolean; indexes: string[]; filters: string[] }>;
  indexes: IndexOutcome[];
  /** Not checked, and why. */
  unverified?: string;
}

export interface VerifiedQuery {
  file: string;
  /** Offsets in the file. */
  start: number;
  end: number;
  sql: string;
}

/** An index as the planner judged it, with every query behind it. */
export interface VerifiedIndex extends IndexOutcome {
  queries: VerifiedQuery[];
}

export interface VerifyTimings {
  /** PGlite start, ms (0 when everything came from the cache). */
  startMs: number;
  schemaLoadMs: number;
  /** EXPLAINs run (including those with a hypothetical index). */
  explains: number;
  explainMs: number;
  /** From when PGlite began starting (before `verify` was called, for an early start) or from the call, whichever came first. */
  totalMs: number;
  /** Statements answered from the cache. */
  cached: number;
}

export function emptyTimings(): VerifyTimings {
  return { startMs: 0, schemaLoadMs: 0, explains: 0, explainMs: 0, totalMs: 0, cached: 0 };
}

export interface VerifyReport {
  /** verified: every statement was checked; partial: some could not be; unavailable: nothing was (static findings stand). */
  status: 'verified' | 'partial' | 'unavailable';
  schemaHash: string;
  /** Problems in the schema files (file offsets). */
  schemaProblems: SchemaProblem[];
  /** Per unit, in input order. */
  outcomes: UnitOutcome[];
  units: VerifyUnit[];
  /** Indexes the planner uses, merged across queries (one entry per `CREATE INDEX`). */
  indexes: VerifiedIndex[];
  /** Suggestions the planner would not use, with the reason. */
  dropped: VerifiedIndex[];
  /** What could not be verified, in words. */
  notes: string[];
  timings: VerifyTimings;
  /** Whether a PGlite instance was started. */
  started: boolean;
}

function queryOf(u: VerifyUnit): VerifiedQuery {
  const r = u.toHost({ start: 0, end: u.sql.length });
  return { file: u.file, start: r.start, end: r.end, sql: u.sql.replace(/\s+/g, ' ').trim() };
}

/** The outcomes of every statement, by index: the ones the planner uses and the ones it would not, each with its queries. */
export function mergeIndexes(units: readonly VerifyUnit[], outcomes: readonly UnitOutcome[]): { indexes: VerifiedIndex[]; dropped: VerifiedIndex[] } {
  const used = new Map<string, VerifiedIndex>();
  const dropped = new Map<string, VerifiedIndex>();
  outcomes.forEach((o, i) => {
    const q = queryOf(units[i]!);
    for (const x of o.indexes) {
      const key = x.statement ?? `drop:${x.original}:${x.reason}`;
      const into = x.statement ? used : dropped;
      const hit = into.get(key);
      if (hit) {
        if (!hit.queries.some((y) => y.file === q.file && y.start === q.start)) hit.queries.push(q);
      } else into.set(key, { ...x, queries: [q] });
    }
  });
  // a dropped suggestion that another query confirms is not dropped
  for (const [k, d] of dropped) if ([...used.values()].some((u) => u.original === d.original && u.statement === d.original)) dropped.delete(k);
  return { indexes: [...used.values()], dropped: [...dropped.values()] };
}
