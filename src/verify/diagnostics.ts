import type { Diagnostic } from '../rule.js';
import type { VerifyReport } from './report.js';
import { resolveAnchor } from './text.js';

/** A diagnostic in a file (offsets into that file). */
export interface FileDiagnostic extends Diagnostic {
  file: string;
}

const CONFIRMED = ' (confirmed by the PostgreSQL planner)';

/**
 * The verified diagnostics of one file: static findings with the planner's verdict applied
 * (`missing-index` confirmed, or dropped where an existing index serves the query), plus
 * `invalid-query` where PostgreSQL rejects a statement and `schema-error` for migration statements
 * it rejects. `staticDiagnostics` are the file's diagnostics from the static run (file offsets).
 */
export function verifiedDiagnostics(report: VerifyReport, file: string, staticDiagnostics: readonly Diagnostic[]): Diagnostic[] {
  let out: Diagnostic[] = [...staticDiagnostics];
  report.units.forEach((u, i) => {
    if (u.file !== file) return;
    const o = report.outcomes[i]!;
    const span = u.toHost({ start: 0, end: u.sql.length });
    const inside = (d: Diagnostic) => d.start >= span.start && d.end <= span.end;
    if (o.error) {
      const r = o.error.anchor ? u.toHost(resolveAnchor(u.sql, o.error.anchor)) : span;
      out.push({ ruleId: 'invalid-query', severity: 'error', message: `PostgreSQL rejects this query: ${o.error.message}`, messageId: 'rejected', start: r.start, end: r.end, category: 'correctness' });
      return;
    }
    if (o.unverified) return;
    for (const t of o.tables) {
      const mentions = (d: Diagnostic) => d.ruleId === 'missing-index' && inside(d) && new RegExp(`\\b${t.table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(d.message);
      if (t.served) {
        out = out.filter((d) => !mentions(d));
        continue;
      }
      const useful = o.indexes.find((x) => x.table === t.table && x.statement);
      if (!useful) continue;
      const mine = out.filter(mentions);
      if (mine.length) {
        for (const d of mine) if (!d.message.endsWith(CONFIRMED)) d.message += CONFIRMED;
        continue;
      }
      const sug = u.indexes.find((x) => x.table === t.table);
      const r = sug?.ranges[0] ? u.toHost({ start: sug.ranges[0].start - u.base, end: sug.ranges[0].end - u.base }) : span;
      out.push({ ruleId: 'missing-index', severity: 'warn', message: `no existing index serves ${t.table} in this query${CONFIRMED}; ${useful.statement}`, messageId: 'plannerConfirmed', start: r.start, end: r.end, category: 'performance' });
    }
  });
  for (const p of report.schemaProblems) if (p.file === file) out.push({ ruleId: p.ruleId, severity: p.severity, message: p.message, messageId: p.messageId, start: p.start, end: p.end, category: 'correctness' });
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
