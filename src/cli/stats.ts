import type { FileKind } from './files.js';
import type { SqlContext } from '../context.js';

/** Per file type: SQL sites found (statements, for .sql), analysed, skipped, failed (to parse). */
export interface KindStats {
  files: number;
  sites: number;
  analysed: number;
  skipped: number;
  failed: number;
  /** JS/TS: skipped sites that are ClickHouse SQL, and fragments (`sql\`a = ${x}\``, knex builders' pieces). */
  clickhouse?: number;
  fragments?: number;
  /** JS/TS: statements whose holes sqlperf could not fill so that they parse (not analysed, not an error). */
  holes?: number;
  /** Files per context (app, migration, script, test). */
  byContext?: Partial<Record<SqlContext, number>>;
  /** JS/TS: sites that count toward "statements analysed" (no fragment, ClickHouse, DDL or DO block), and how many of them were analysed. */
  counted?: number;
  countedAnalysed?: number;
}
export type Stats = Record<FileKind, KindStats>;

export function emptyStats(): Stats {
  const z = (): KindStats => ({ files: 0, sites: 0, analysed: 0, skipped: 0, failed: 0 });
  return { sql: z(), host: z() };
}

/** Adds one file's counts to the run's. */
export function addStats(stats: Stats, o: { kind: FileKind; stats: Partial<Omit<KindStats, 'files'>> }): void {
  const s = stats[o.kind];
  s.files++;
  // a cache entry leaves zero counts out (src/cli/cache.ts)
  s.sites += o.stats.sites ?? 0;
  s.analysed += o.stats.analysed ?? 0;
  s.skipped += o.stats.skipped ?? 0;
  s.failed += o.stats.failed ?? 0;
  for (const k of ['clickhouse', 'fragments', 'holes', 'counted', 'countedAnalysed'] as const) if (o.stats[k] !== undefined) s[k] = (s[k] ?? 0) + o.stats[k];
  for (const [c, n] of Object.entries(o.stats.byContext ?? {}) as [SqlContext, number][]) {
    s.byContext ??= {};
    s.byContext[c] = (s.byContext[c] ?? 0) + n;
  }
}
