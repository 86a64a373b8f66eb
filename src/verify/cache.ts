import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SchemaProblem } from './load-schema.js';
import type { UnitOutcome } from './verify.js';

/** The verify cache: one schema (by hash) and the outcome per query fingerprint. */
export interface CacheFile {
  version: string;
  schema: string;
  /** null until the schema has been loaded once. */
  schemaProblems: SchemaProblem[] | null;
  units: Record<string, UnitOutcome>;
}

/** The cache for this schema hash, or undefined (missing, unreadable, other schema or version). */
export function readCache(path: string, schema: string): CacheFile | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (c && c.schema === schema && typeof c.units === 'object' && c.units !== null) return c;
  } catch {
    // no cache yet, or a broken one: start over
  }
  return undefined;
}

/** Writes atomically: a temporary file in the same folder, then a rename over the old one. */
export function writeCache(path: string, cache: CacheFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, path);
}
