/**
 * ESLint's `--cache` keys a file's results by the file and a hash of its config; a migration that
 * adds an index changes neither, so cached results of the schema rules go stale. ESLint's config
 * hash includes `settings`, so a digest of the schema files put there (eslint.config.js runs on
 * every ESLint start) makes a schema change invalidate the cache:
 *
 *   settings: { sqlperf: { schema }, 'sqlperf/schema-digest': schemaDigest(schema) }
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaFiles, type SchemaSetting } from './schema.js';
import { drizzleDigest } from '../src/drizzle/project.js';

/**
 * A content hash of the schema files `settings.sqlperf.schema` names (relative to `cwd`, ESLint's
 * working directory) and of the project's Drizzle tables, which name what `${table.column}` holes
 * in other files stand for (src/drizzle/).
 */
export function schemaDigest(setting: SchemaSetting = true, cwd: string = process.cwd()): string {
  const hash = createHash('sha256');
  if (setting) {
    for (const f of schemaFiles(cwd, setting)) {
      hash.update(`${f}\0`);
      try {
        hash.update(readFileSync(path.join(cwd, f)));
      } catch {
        hash.update('\0unreadable');
      }
      hash.update('\0');
    }
  }
  hash.update(drizzleDigest(cwd));
  return hash.digest('hex').slice(0, 16);
}
