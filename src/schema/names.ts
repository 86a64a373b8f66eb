import { closestName } from '../did-you-mean.js';
import type { Range } from '../range.js';

/** The closest name within a small edit distance, for "did you mean" hints (the one implementation: did-you-mean.ts). */
export const didYouMean = closestName;

export function hint(best: string | undefined): string {
  return best === undefined ? '' : `; did you mean ${best}?`;
}

/** Where `name` is written inside `range` (quoted or not, after any qualifier); the whole range when not found. */
export function nameRangeIn(text: string, range: Range, name: string): Range {
  const s = text.slice(range.start, range.end);
  const re = new RegExp(`(["\`\\[]?)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(["\`\\]]?)`, 'ig');
  let m: RegExpExecArray | null;
  let last: Range | undefined;
  while ((m = re.exec(s))) {
    const before = s[m.index - 1];
    const after = s[m.index + m[0].length];
    if ((before && /[\w$]/.test(before)) || (after && /[\w$]/.test(after))) continue;
    last = { start: range.start + m.index, end: range.start + m.index + m[0].length };
    // the name after the last dot (schema.table) or the first occurrence
    if (!s.slice(m.index + m[0].length).trimStart().startsWith('.')) return last;
  }
  return last ?? range;
}

/** Schemas and tables every database has; never reported as unknown. */
export const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'performance_schema', 'mysql', 'sys', 'pg_toast', 'sqlite_temp_master']);
export const SYSTEM_TABLES = new Set(['dual', 'sqlite_master', 'sqlite_schema', 'sqlite_sequence', 'sqlite_temp_master',
  // the bookkeeping tables migration tools create for themselves, never in the migrations
  '_prisma_migrations', '__drizzle_migrations', 'schema_migrations', 'knex_migrations', 'knex_migrations_lock', 'flyway_schema_history', 'typeorm_metadata', 'migrations', 'seaql_migrations', 'goose_db_version', 'ar_internal_metadata']);

/**
 * A system catalog or statistics view (`pg_catalog.*`, `pg_stat_activity`, `information_schema.*`,
 * `sqlite_master`, MySQL's system schemas): the database's own tables, not the application's data,
 * and nothing the application can index.
 */
export function isSystemCatalog(name: string, schemaName: string | null): boolean {
  if (schemaName && (SYSTEM_SCHEMAS.has(schemaName.toLowerCase()) || /^pg_/i.test(schemaName))) return true;
  return /^(?:pg_|sqlite_)/i.test(name) || /^(?:pg_catalog|information_schema|performance_schema|mysql|sys)\./i.test(name);
}

/** Columns every row has without declaring them. */
export const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid', 'rowid', '_rowid_', '_rowid']);

/** Words some parsers read as column references. */
export const VALUE_WORDS = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'current_user', 'session_user', 'user', 'sysdate', 'null', 'true', 'false', 'default', 'unknown']);
