import { statSync } from 'node:fs';
import path from 'node:path';
import type { Dialect } from '../src/dialect.js';
import { candidatesMessage, discoverSchemaFiles, loadSchema, orderMigrationFiles, readSchemaFiles, schemaEntryFiles } from '../src/schema/index.js';
import type { Schema } from '../src/schema/types.js';
import type { QueriedOptions } from '../src/schema/queried.js';

/**
 * `settings.sqlperf.schema`: paths of DDL files or folders (relative to ESLint's cwd), or `true` to
 * find the migrations as the CLI does. Loaded once and reloaded when a schema file changes, so an
 * editor session picks up a new migration.
 */
export type SchemaSetting = string[] | string | boolean | undefined;

const loaded = new Map<string, { stamp: string; schema: Schema }>();

const entriesOf = (setting: SchemaSetting): string[] => (typeof setting === 'string' ? [setting] : Array.isArray(setting) ? setting : []);

/** The schema files of the setting, relative to ESLint's cwd, in migration order (the CLI's readers: src/schema/discover.ts). */
export function schemaFiles(cwd: string, setting: SchemaSetting): string[] {
  if (setting === true) return discoverSchemaFiles(cwd)?.files ?? [];
  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join('/');
  return orderMigrationFiles([...new Set(schemaEntryFiles(entriesOf(setting), cwd).files.map(rel))]);
}

/**
 * What is wrong with the setting, said as the CLI says it: entries that name no file, or (with
 * `true`) several packages of a monorepo with a schema, none used.
 */
export function schemaProblems(cwd: string, setting: SchemaSetting): string[] {
  if (setting === true) {
    const candidates = discoverSchemaFiles(cwd)?.candidates;
    return candidates ? [`settings.sqlperf.schema: ${candidatesMessage(candidates, 'settings.sqlperf.schema: [<its folder>]')}`] : [];
  }
  return schemaEntryFiles(entriesOf(setting), cwd).missing.map((e) => `settings.sqlperf.schema: ${e} matches no file (relative to ESLint's cwd ${path.resolve(cwd)})`);
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
    // found in one package of a monorepo: it serves that package and those that depend on it (as in the CLI)
    const scope = setting === true ? discoverSchemaFiles(cwd)?.scope : undefined;
    if (scope) schema.scope = scope.map((d) => path.resolve(cwd, d));
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
