import { lineStarts, toLineCol } from '../range.js';
import type { VerifyReport } from './report.js';

/**
 * `sqlperf indexes --verify --format sql`: only the indexes the planner uses, each preceded by the
 * queries it serves (`-- file:line: SELECT ...`). Suggestions the planner would not use are listed
 * at the end as comments, with the reason, unless `dropped: false`.
 */
export function formatVerifiedIndexes(report: VerifyReport, readText: (file: string) => string | undefined, options: { dropped?: boolean } = {}): string {
  const starts = new Map<string, number[]>();
  const where = (file: string, at: number) => {
    let s = starts.get(file);
    if (!s) {
      const t = readText(file);
      s = t === undefined ? [0] : lineStarts(t);
      starts.set(file, s);
    }
    return `${file}:${toLineCol(s, at).line}`;
  };
  const short = (sql: string) => (sql.length > 100 ? `${sql.slice(0, 97)}...` : sql);
  const out: string[] = [];
  for (const ix of report.indexes) {
    const label = ix.status === 'confirmed' ? 'confirmed by the planner' : ix.status === 'corrected' ? `corrected (static suggestion: ${ix.original})` : 'needed by the planner';
    out.push(`-- ${label}; serves:`);
    for (const q of ix.queries) out.push(`--   ${where(q.file, q.start)}: ${short(q.sql)}`);
    if (ix.note) out.push(`-- note: ${ix.note}`);
    out.push(ix.statement!, '');
  }
  if (options.dropped !== false && report.dropped.length) {
    out.push('-- not created: the planner would not use these suggestions');
    for (const d of report.dropped) out.push(`-- ${d.original}  -- ${d.reason} (${d.queries.map((q) => where(q.file, q.start)).join(', ')})`);
    out.push('');
  }
  if (report.status !== 'verified') out.push(`-- verification ${report.status}: ${report.notes.join('; ')}`);
  return out.join('\n');
}

/** At most this many unverified statements are named on stderr; the rest are counted. */
const MAX_LISTED = 20;

/**
 * What `indexes --verify` says on stderr besides its output: each suggestion it did not print, with
 * PostgreSQL's or the planner's reason, and each statement it could not verify, with why.
 */
export function verifyNotes(report: VerifyReport, readText: (file: string) => string | undefined): string[] {
  const starts = new Map<string, number[]>();
  const where = (file: string, at: number) => {
    let s = starts.get(file);
    if (!s) starts.set(file, (s = lineStarts(readText(file) ?? '')));
    return `${file}:${toLineCol(s, at).line}`;
  };
  const out = report.dropped.map((d) => `not printed: ${d.original} (${d.reason}; ${d.queries.map((q) => where(q.file, q.start)).join(', ')})`);
  const unverified = report.outcomes.flatMap((o, i) => (o.unverified ? [`not verified: ${where(report.units[i]!.file, report.units[i]!.toHost({ start: 0, end: 0 }).start)}: ${o.unverified}`] : []));
  out.push(...unverified.slice(0, MAX_LISTED));
  if (unverified.length > MAX_LISTED) out.push(`not verified: ${unverified.length - MAX_LISTED} more statement(s)`);
  return out;
}
