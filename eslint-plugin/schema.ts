import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Dialect } from '../src/dialect.js';
import { discoverSchemaFiles, loadSchema, orderMigrationFiles, readSchemaFiles, sqlFilesUnder } from '../src/schema/index.js';
import type { Schema } from '../src/schema/types.js';
import type { QueriedOptions } from '../src/schema/queried.js';

/**
 * `settings.sqlperf.schema`: paths of DDL files or folders (relative to ESLint's cwd), or `true` to
 * find the migrations as the CLI does. Loaded once and reloaded when a schema file changes, so an
 * editor session picks up a new migration.
 */
export type SchemaSetting = string[] | string | boolean | undefined;

const loaded = new Map<string, { stamp: string; schema: Schema }>();

export function schemaFiles(cwd: string, setting: SchemaSetting): string[] {
  if (setting === true) return discoverSchemaFiles(cwd)?.files ?? [];
  const entries = typeof setting === 'string' ? [setting] : Array.isArray(setting) ? setting : [];
  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join('/');
  const files = entries.flatMap((e) => {
    const abs = path.resolve(cwd, e);
    if (!existsSync(abs)) return [];
    return statSync(abs).isDirectory() ? sqlFilesUnder(abs, 8).map(rel) : [rel(abs)];
  });
  return orderMigrationFiles([...new Set(files)]);
}

/** The schema of `setting`, with the table sizes of `settings.sqlperf.tables` (as the CLI's config `tables`). */
export function schemaFor(cwd: string, setting: SchemaSetting, dialect: Dialect, tables?: Record<string, { rows?: number }>): Schema | undefined {
  if (!setting) return undefined;
  try {
    const files = schemaFiles(cwd, setting);
    if (!files.length) return undefined;
    const stamp = files.map((f) => `${f}@${statSync(path.join(cwd, f)).mtimeMs}`).join('|');
    const key = `${cwd}\0${dialect}\0${JSON.stringify(setting)}\0${JSON.stringify(tables ?? null)}`;
    const hit = loaded.get(key);
    if (hit && hit.stamp === stamp) return hit.schema;
    const schema = loadSchema(readSchemaFiles(cwd, files), dialect, { keepOrder: true, ...(tables ? { tables } : {}) });
    loaded.set(key, { stamp, schema });
    return schema;
  } catch {
    // a schema that cannot be read must not take the editor down: lint without it
    return undefined;
  }
}

/**
 * Tells `schema` where the application's own SQL is, as the CLI does (src/schema/queried.ts):
 * redundant-index and unindexed-foreign-key then report on the tables it queries and on those
 * `settings.sqlperf.tables` sizes. Read when such a rule first finds something.
 */
export function withQueriedTables(schema: Schema, cwd: string, options: QueriedOptions): Schema {
  schema.queriedIn = { root: cwd, options };
  return schema;
}
