import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dropImage, hasImage, IMAGE_FORMAT, initImagePath, saveImage, userCacheDir } from './data-dir.js';
import { prewarm, SERVER_SETTINGS, verifyLimits, WatchdogError, WorkerDatabase, type VerifyLimits } from './supervisor.js';
import { codeCacheFile } from '../cli/compile-cache.js';
import { errorMessage } from '../error-message.js';

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
  /** Writes the data directory as an image to start from to `file`, which must not exist (PGlite in a worker can; a test's stand-in may not); `shutdown` ends the instance. */
  dump?(file: string, shutdown?: boolean): Promise<void>;
}

/** PostgreSQL extensions PGlite ships (`@electric-sql/pglite/contrib/<module>`), by SQL name. */
export const SHIPPED_EXTENSIONS: Record<string, string> = Object.fromEntries(
  ['amcheck', 'auto_explain', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'file_fdw', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pageinspect', 'pg_buffercache', 'pg_freespacemap', 'pg_stat_statements', 'pg_surgery', 'pg_trgm', 'pg_visibility', 'pg_walinspect', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp']
    .map((m) => [m === 'uuid_ossp' ? 'uuid-ossp' : m, m]),
);
/** Always there (part of the core build). */
export const BUILTIN_EXTENSIONS = new Set(['plpgsql']);

interface PgliteFiles {
  /** The CommonJS entry the worker requires. */
  main: string;
  version: string;
  contrib(module: string): string;
}

let files: PgliteFiles | undefined;

/** Where @electric-sql/pglite is installed, or VerifyUnavailableError (with how to add it). */
function pgliteFiles(): PgliteFiles {
  if (files) return files;
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve('@electric-sql/pglite');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new VerifyUnavailableError(PGLITE_MISSING);
    throw new VerifyUnavailableError(`@electric-sql/pglite could not be loaded: ${errorMessage(e)}`);
  }
  let version = 'unknown';
  try {
    version = String((JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version?: unknown }).version ?? version);
  } catch {
    // an unusual layout: images are then keyed by 'unknown', and one that does not load is replaced
  }
  return (files = { main, version, contrib: (m) => require.resolve(`@electric-sql/pglite/contrib/${m}`) });
}

/** The installed PGlite's version (keys the saved data directories). */
export function pgliteVersion(): string {
  return pgliteFiles().version;
}

/** Gets PGlite's worker going before `startDatabase` is called (see `prewarm`); quiet when PGlite is not installed. */
export async function prewarmDatabase(limits?: Partial<VerifyLimits>, userCache: string | false = userCacheDir()): Promise<void> {
  try {
    const { main } = pgliteFiles();
    await prewarm(main, verifyLimits(limits), userCache === false ? undefined : codeCacheFile(main, userCache));
  } catch {
    // startDatabase says why
  }
}

export interface StartOptions {
  /** Start from this saved data directory (the file of a schema image); throws when it does not load. */
  image?: string;
  limits?: Partial<VerifyLimits>;
  /** The per-user cache folder for the initialised cluster and V8's code cache of PGlite's JavaScript; false: neither read nor write them. */
  userCache?: string | false;
  /** Told when something worth saying happened (an image could not be saved). */
  note?: (line: string) => void;
  /** Aborted: the start is not needed any more; the instance ends, and no image is judged by it. */
  signal?: AbortSignal;
}

/**
 * Starts one PostgreSQL (PGlite in a worker thread, under the watchdog) with the given shipped
 * extensions loaded (SQL names, e.g. `uuid-ossp`, `pg_trgm`; unknown names are ignored here, the
 * schema loader reports them). It starts from `image` when given, else from the initialised
 * cluster saved in the per-user cache, else runs initdb and saves the result there for next time.
 */
export async function startDatabase(extensions: readonly string[] = [], options: StartOptions = {}): Promise<WorkerDatabase> {
  const pg = pgliteFiles();
  const exts: Record<string, string> = {};
  for (const name of extensions) {
    const file = SHIPPED_EXTENSIONS[name];
    if (file) exts[file] = pg.contrib(file);
  }
  const limits = verifyLimits(options.limits);
  const userCache = options.userCache === false ? undefined : (options.userCache ?? userCacheDir());
  const codeCache = userCache === undefined ? undefined : codeCacheFile(pg.main, userCache);
  const start = (image?: string) => WorkerDatabase.start(pg.main, exts, image, limits, options.signal, codeCache);
  // a schema image that does not load is the caller's to replace: a fresh cluster would lack the schema
  if (options.image) return start(options.image);
  // keyed by the image format too: images of before store the three databases' identical files three times
  const image = userCache === undefined ? undefined : initImagePath(`${pg.version}-wal${SERVER_SETTINGS.walSegmentMb}mb-${IMAGE_FORMAT}`, userCache);
  if (image && hasImage(image)) {
    try {
      return await start(image);
    } catch (e) {
      // out of time on a slow machine says nothing about the image, and initdb would take longer still
      if ((e instanceof WatchdogError && e.limit !== 'crash') || options.signal?.aborted) throw e;
      dropImage(image);
    }
  }
  const db = await start();
  if (!image) return db;
  let dumped = false;
  // written after a clean shutdown, so that every later start skips crash recovery;
  // other versions' images stay: projects on another sqlperf or PGlite share this folder
  const failed = await saveImage(image, (tmp) => {
    dumped = true;
    return db.dump(tmp, true);
  });
  if (!failed) return start(image);
  options.note?.(`could not save the initialised PGlite cluster to ${image}: ${failed}`);
  // the folder could not take it: the cluster runs on; the write itself failed: it was shut down
  return dumped ? start() : db;
}
