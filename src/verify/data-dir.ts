import { readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './cache-write.js';
import { errorMessage } from '../error-message.js';

/**
 * Saved PGlite data directories ("images", in the worker's own format: see worker-source.ts):
 * starting from one takes a fraction of a second where initdb takes seconds. Two kinds:
 * - the freshly initialised cluster, per user (it depends only on the PGlite version), so a
 *   project's first verify does not pay initdb either;
 * - the cluster with a project's schema loaded, beside the project's verify cache, keyed by the
 *   schema hash and the PGlite version, so a run with an unchanged schema loads no migration.
 * A missing, unreadable or damaged image is never an error: PGlite starts the slow way. They are
 * not compressed (~10 MB, identical files once): inflating one cost more than starting PostgreSQL
 * from it, and PostgreSQL reads only a few of its files.
 */

/** The per-user cache folder: `SQLPERF_CACHE_DIR`, else the platform's cache folder + `/sqlperf`. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SQLPERF_CACHE_DIR) return path.resolve(env.SQLPERF_CACHE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'sqlperf', 'Cache');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'sqlperf');
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'sqlperf');
}

/** The worker's image format (MAGIC in worker-source.ts): keys the per-user image. */
export const IMAGE_FORMAT = 'img2';

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
const IMAGE_EXT = '.pgdata';

export function initImagePath(pgliteVersion: string, dir = userCacheDir()): string {
  return path.join(dir, `pglite-${safe(pgliteVersion)}-initdb${IMAGE_EXT}`);
}

/** The schema image beside the project's verify cache file. */
export function schemaImagePath(cacheFile: string, schemaHash: string, pgliteVersion: string): string {
  return path.join(path.dirname(cacheFile), `pglite-${safe(pgliteVersion)}-schema-${safe(schemaHash)}${IMAGE_EXT}`);
}

/** The older schema images beside a project's cache (this format's and the gzip tarballs of before). */
export const SCHEMA_IMAGES = /^pglite-.*-schema-.*\.(pgdata|tar\.gz)$/;

/** Whether there is an image at `file` to start from (the worker reads and checks it). */
export function hasImage(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Saves an image atomically: `write` writes it to the temp file it is given (PGlite's worker does).
 * `replaces` names the older images of the same kind to remove (a schema changes often). Returns an
 * error message, or undefined.
 */
export async function saveImage(file: string, write: (tmp: string) => Promise<void>, replaces?: RegExp): Promise<string | undefined> {
  try {
    await writeFileAtomic(file, write);
    if (replaces) {
      const dir = path.dirname(file);
      for (const f of readdirSync(dir)) if (replaces.test(f) && path.join(dir, f) !== file) rmSync(path.join(dir, f), { force: true });
    }
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

/** Removes a damaged image so the next run does not trip over it. */
export function dropImage(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // best effort
  }
}
