import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileSafe } from './cache-write.js';

/**
 * What the last `verifyProject` saw: the schema's hash and each verified file's size and mtime, in
 * `verify-files.json` beside the verify cache. Only a hint for the early start (`beginVerifyProject`):
 * when nothing it lists changed, the verify cache most likely answers every statement and starting
 * PGlite on the side would be wasted work. What is verified is always decided by `verify` itself.
 */
interface LastRun {
  schema: string;
  files: Record<string, string>;
}

function fileOf(cacheFile: string): string {
  return path.join(path.dirname(cacheFile), 'verify-files.json');
}

function stamp(file: string): string | undefined {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Records the files a verify just saw (paths relative to `rootDir`); a failure to write is ignored. */
export function recordLastRun(cacheFile: string, rootDir: string, schema: string, paths: readonly string[]): void {
  const files: Record<string, string> = {};
  for (const p of paths) {
    const s = stamp(path.resolve(rootDir, p));
    if (s) files[p] = s;
  }
  try {
    writeFileSafe(fileOf(cacheFile), JSON.stringify({ schema, files } satisfies LastRun), { pipes: 'refuse' });
  } catch {
    // a hint only: the next run starts PGlite on the side when in doubt
  }
}

/** Whether every file the last verify saw (queries and schema) is as it was, and the schema's hash is `schema` when given. */
export function unchangedSinceLastRun(cacheFile: string, rootDir: string, schema?: string): boolean {
  let last: Partial<LastRun>;
  try {
    last = JSON.parse(readFileSync(fileOf(cacheFile), 'utf8')) as Partial<LastRun>;
  } catch {
    return false;
  }
  if ((schema !== undefined && last?.schema !== schema) || typeof last?.files !== 'object' || last.files === null) return false;
  return Object.entries(last.files).every(([p, s]) => stamp(path.resolve(rootDir, p)) === s);
}
