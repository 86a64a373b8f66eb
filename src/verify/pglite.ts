/**
 * The embedded PostgreSQL: @electric-sql/pglite (PostgreSQL compiled to WebAssembly, in-process,
 * no server, no network). It is an optional dependency and is imported only when verification is
 * asked for, so a plain lint never loads it.
 */

/** Thrown when @electric-sql/pglite is not installed; the message says how to add it. */
export class VerifyUnavailableError extends Error {
  override name = 'VerifyUnavailableError';
}

export const PGLITE_MISSING = '--verify needs the optional package @electric-sql/pglite (PostgreSQL as WebAssembly, runs in-process). Add it with `npm install --save-dev @electric-sql/pglite` (or install sqlperf with optional dependencies), then run again.';

/** A PostgreSQL error as the server sends it. `position` is 1-based, in characters of the whole command sent. */
export interface PgError {
  message: string;
  code: string;
  position: number | null;
  hint: string | null;
  detail: string | null;
}

export function toPgError(e: unknown): PgError {
  const x = e as { message?: unknown; code?: unknown; position?: unknown; hint?: unknown; detail?: unknown };
  const pos = x?.position === undefined || x?.position === null ? NaN : Number(x.position);
  return {
    message: String(x?.message ?? e),
    code: typeof x?.code === 'string' ? x.code : '',
    position: Number.isFinite(pos) && pos > 0 ? pos : null,
    hint: typeof x?.hint === 'string' ? x.hint : null,
    detail: typeof x?.detail === 'string' ? x.detail : null,
  };
}

/** True for errors PostgreSQL reports (they carry an SQLSTATE), false for crashes of the engine itself. */
export function isServerError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** The small part of PGlite's API sqlperf uses. */
export interface Database {
  /** Simple query protocol (several statements allowed); rows of every result. */
  exec(sql: string): Promise<Array<{ rows: Record<string, unknown>[] }>>;
  close(): Promise<void>;
}

interface PgliteModule {
  PGlite: { create(options?: Record<string, unknown>): Promise<Database> };
}

/** PostgreSQL extensions PGlite ships (`@electric-sql/pglite/contrib/<module>`), by SQL name. */
export const SHIPPED_EXTENSIONS: Record<string, string> = Object.fromEntries(
  ['amcheck', 'auto_explain', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'file_fdw', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pageinspect', 'pg_buffercache', 'pg_freespacemap', 'pg_stat_statements', 'pg_surgery', 'pg_trgm', 'pg_visibility', 'pg_walinspect', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp']
    .map((m) => [m === 'uuid_ossp' ? 'uuid-ossp' : m, m]),
);
/** Always there (part of the core build). */
export const BUILTIN_EXTENSIONS = new Set(['plpgsql']);

async function importPglite(): Promise<PgliteModule> {
  const spec = '@electric-sql/pglite';
  try {
    return (await import(spec)) as PgliteModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new VerifyUnavailableError(PGLITE_MISSING);
    throw new VerifyUnavailableError(`@electric-sql/pglite could not be loaded: ${(e as Error).message}`);
  }
}

/** Whether @electric-sql/pglite can be imported (without starting it). */
export async function pgliteAvailable(): Promise<boolean> {
  try {
    await importPglite();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts one in-memory PostgreSQL with the given shipped extensions loaded (SQL names, e.g.
 * `uuid-ossp`, `pg_trgm`); unknown names are ignored here (the schema loader reports them).
 */
export async function startDatabase(extensions: readonly string[] = []): Promise<Database> {
  const mod = await importPglite();
  const exts: Record<string, unknown> = {};
  for (const name of extensions) {
    const file = SHIPPED_EXTENSIONS[name];
    if (!file) continue;
    const spec = `@electric-sql/pglite/contrib/${file}`;
    const m = (await import(spec)) as Record<string, unknown>;
    if (m[file]) exts[file] = m[file];
  }
  return mod.PGlite.create({ extensions: exts });
}
