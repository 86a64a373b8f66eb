import { existsSync, statSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import path from 'node:path';
import { posix } from '../schema/discover.js';
import type { LoadedConfig } from '../config/load.js';
import type { Dialect } from '../dialect.js';
import { lineStarts, toLineCol } from '../range.js';
import type { Schema, SchemaFile } from '../schema/types.js';
import { UsageError } from './errors.js';
import { contentHash } from './source.js';
import type { EngineOptions } from './engine.js';
import { version } from '../version.js';

/** The project's schema as the CLI uses it: loaded model, the files it came from, and a digest for caches. */
export interface ProjectSchema {
  schema: Schema;
  files: SchemaFile[];
  /** Where it came from, for the one-line note on stderr. */
  location: string;
  /** Content digest of the schema files: results depend on it (cache keys). */
  digest: string;
  /** The project the schema belongs to: the folder it was found in, the config's, or the working directory for --schema. */
  root: string;
}

/**
 * A loaded schema kept in the `--cache` file: the schema files' digest, the notes its load printed,
 * and the model (V8's serialization, as worker threads get it; none when it had no table). A run
 * whose schema files are unchanged takes it rather than parsing every migration again.
 */
export interface SavedSchema {
  version: string;
  digest: string;
  notes: string[];
  image?: string;
}

const isSaved = (v: unknown): v is SavedSchema => {
  const s = v as SavedSchema | null;
  return typeof s === 'object' && s !== null && typeof s.version === 'string' && typeof s.digest === 'string' && Array.isArray(s.notes) && s.notes.every((n) => typeof n === 'string') && (s.image === undefined || typeof s.image === 'string');
};

/** `--cache`: the saved schema to start from, and where to hand the one this run loads. */
export interface SchemaMemo {
  saved?: unknown;
  keep: (s: SavedSchema) => void;
}

/** The saved schema when it is of these files and this sqlperf: the model (none when it had no table) and its notes. */
function fromSaved(memo: SchemaMemo | undefined, digest: string): { schema?: Schema; notes: string[] } | undefined {
  const s = memo?.saved;
  if (!isSaved(s) || s.digest !== digest || s.version !== version()) return undefined;
  if (!s.image) return { notes: s.notes };
  try {
    const schema = deserialize(Buffer.from(s.image, 'base64')) as Schema | null;
    // damaged (it does not deserialize, or not to a schema): loaded again
    return schema?.tables instanceof Map ? { schema, notes: s.notes } : undefined;
  } catch {
    return undefined;
  }
}


/**
 * Tells the schema where the application's own SQL is (src/schema/queried.ts), when an active rule
 * judges by table size: it is read when such a rule first finds something. With `--cache` it is read
 * now, since cached findings depend on it: the digest covers it.
 */
export async function addQueriedTables(project: ProjectSchema, engine: EngineOptions, eager: boolean, note: (line: string) => void): Promise<void> {
  const [{ rules }, { resolveRules }, { keptQueriedTables, queriedKey }] = await Promise.all([import('../../rules/index.js'), import('../config/rules-config.js'), import('../schema/queried-facts.js')]);
  const judged = resolveRules(rules, engine.rules).active.filter((a) => a.rule.tableSize).map((a) => a.rule.name);
  if (!judged.length) return;
  const options = { dialect: engine.dialect, ...(engine.contexts ? { contexts: engine.contexts } : {}), ...(engine.overrides ? { overrides: engine.overrides } : {}), ...(engine.tags ? { tags: engine.tags } : {}), ...(engine.callees ? { callees: engine.callees } : {}) };
  project.schema.queriedIn = { root: project.root, options };
  if (!eager) return;
  // the parsers load only when some file's tables are not kept from the last --cache run
  let queried = keptQueriedTables(project.root, options);
  if (!queried) {
    const [{ ready }, { queriedTables }] = await Promise.all([import('../ready.js'), import('../schema/queried.js')]);
    await ready([engine.dialect, ...(engine.overrides ?? []).flatMap((o) => (o.dialect ? [o.dialect] : []))]);
    queried = queriedTables(project.root, options);
  }
  project.schema.queried = queried;
  project.digest = contentHash(Buffer.from(JSON.stringify([project.digest, [...queried].sort()])));
  const known = [...project.schema.tables.values()].filter((t) => queried.has(queriedKey(t.name))).length;
  note(`schema: the application's SQL queries ${known} of its ${project.schema.tables.size} tables; findings that grow with a table's size (${judged.join(', ')}) are reported on those and on tables the config's "tables" sizes`);
}

/** `schema` entries (config, relative to its folder; `--schema`, relative to the working directory) -> files in migration order. */
async function expand(entries: string[], base: string, cwd: string, what: string): Promise<string[]> {
  const [{ schemaEntryFiles }, { orderMigrationFiles }] = await Promise.all([import('../schema/discover.js'), import('../schema/order.js')]);
  const { files, missing } = schemaEntryFiles(entries, base);
  for (const e of missing) {
    // the CLI also takes globs (the ESLint plugin, synchronous, only paths)
    if (/[*?{[]/.test(e)) {
      const { globby } = await import('globby');
      const hits = await globby(e, { cwd: base, absolute: true, onlyFiles: true });
      if (hits.length) {
        files.push(...hits);
        continue;
      }
    }
    throw new UsageError(`${what}: ${e} matches no file (relative to ${posix(cwd, base) || '.'})`);
  }
  return orderMigrationFiles([...new Set(files)].map((f) => posix(cwd, f)));
}

/**
 * Finds and loads the schema: `--schema` paths, else the config's `schema`, else the layouts that
 * `discoverSchemaFiles` knows (prisma/migrations, drizzle, migrations, db/schema.sql ...). Says on
 * stderr which files were used and which statements were skipped.
 */
export async function resolveProjectSchema(cwd: string, loaded: LoadedConfig, flagPaths: string[] | false | undefined, dialect: Dialect, note: (line: string) => void, lintPaths: readonly string[] = [], memo?: SchemaMemo): Promise<ProjectSchema | undefined> {
  if (flagPaths === false || loaded.config.schema === false) return undefined;
  // discovery only reads folder names; the DDL readers load when there is a schema to read
  const { candidatesMessage, discoverSchemaFiles, readSchemaFiles } = await import('../schema/discover.js');
  let files: string[];
  let location: string;
  let root = loaded.base;
  let scope: string[] | undefined;
  if (flagPaths?.length) {
    root = cwd;
    files = await expand(flagPaths, cwd, cwd, '--schema');
    location = flagPaths.join(', ');
  } else if (loaded.config.schema?.length) {
    files = await expand(loaded.config.schema, loaded.base, cwd, `${loaded.filepath ?? 'config'}: "schema"`);
    location = loaded.config.schema.join(', ');
  } else {
    // the config's folder first, then each folder being linted (`sqlperf lint apps/api`)
    const roots = [loaded.base, ...lintPaths.map((p) => path.resolve(cwd, p)).filter((p) => existsSync(p) && statSync(p).isDirectory())];
    let found;
    for (root of roots) {
      found = discoverSchemaFiles(root);
      for (const link of found?.outside ?? []) note(`schema: not following ${posix(cwd, path.join(root, link))}: a symbolic link out of ${posix(cwd, root) || '.'} (name it with --schema to use it)`);
      if (found?.candidates) note(`schema: ${candidatesMessage(found.candidates.map((c) => posix(cwd, path.join(root, c))), '--schema or the config\'s "schema"')}`);
      if (found?.files.length) break;
    }
    if (!found?.files.length) return undefined;
    files = found.files.map((f) => posix(cwd, path.join(root, f)));
    location = `${posix(cwd, path.join(root, found.location)) || '.'} (${found.layout}, found automatically)`;
    const from = root;
    scope = found.scope?.map((d) => path.resolve(from, d));
    if (scope) note(`schema: used for the SQL of ${scope.map((d) => posix(cwd, d) || '.').join(', ')} (the package with the schema and those that depend on it)`);
  }
  if (!files.length) return undefined;
  const read = readSchemaFiles(cwd, files);
  const digest = contentHash(Buffer.from(JSON.stringify([dialect, loaded.config.tables ?? null, read.map((f) => [f.path, f.text]), scope?.map((d) => posix(cwd, d)) ?? null])));
  const saved = fromSaved(memo, digest);
  if (saved) {
    for (const line of saved.notes) note(line);
    return saved.schema && { schema: saved.schema, files: read, location, digest, root };
  }
  const notes: string[] = [];
  const said = (line: string) => {
    notes.push(line);
    note(line);
  };
  const schema = await loadProjectSchema(read, dialect, loaded, location, said);
  if (schema && scope) schema.scope = scope;
  // before the queried tables are added to it: they are read again on each run
  memo?.keep({ version: version(), digest, notes, ...(schema ? { image: serialize(schema).toString('base64') } : {}) });
  return schema && { schema, files: read, location, digest, root };
}

/** Parses the schema files; says what it found and what it skipped. Undefined when it has no table. */
async function loadProjectSchema(read: SchemaFile[], dialect: Dialect, loaded: LoadedConfig, location: string, note: (line: string) => void): Promise<Schema | undefined> {
  const { loadSchema } = await import('../schema/load.js');
  if (dialect === 'postgresql') await (await import('../ready.js')).ready(['postgresql']);
  const schema = loadSchema(read, dialect, { keepOrder: true, ...(loaded.config.tables ? { tables: loaded.config.tables } : {}) });
  if (schema.tables.size === 0) {
    // a schema without tables (a file of queries or data found as the schema) would make every table unknown
    note(`schema: ${location}: ${read.length} ${read.length === 1 ? 'file' : 'files'} but no table sqlperf could read (no CREATE TABLE): not used, so no rule checks queries against a schema`);
    return undefined;
  }
  const indexes = [...schema.tables.values()].reduce((n, t) => n + t.indexes.length, 0);
  note(`schema: ${location}: ${read.length} ${read.length === 1 ? 'file' : 'files'}, ${schema.tables.size} tables, ${indexes} indexes`);
  for (const w of schema.warnings) {
    const text = read.find((f) => f.path === w.file)?.text ?? '';
    const at = toLineCol(lineStarts(text), w.start);
    note(`schema: ${w.file}:${at.line}:${at.column}: skipped: ${w.message}`);
  }
  return schema;
}
