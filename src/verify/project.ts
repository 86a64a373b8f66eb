import { join } from 'node:path';
import { analyze } from '../analyze.js';
import type { RulesConfig } from '../config/rules-config.js';
import { discoverSchemaFiles, readSchemaFiles } from '../schema/discover.js';
import type { SchemaFile } from '../schema/types.js';
import { unitsFromAnalysis, unitsFromHost, type VerifyUnit } from './units.js';
import type { VerifyReport } from './report.js';
import { recordLastRun, unchangedSinceLastRun } from './last-run.js';
import { prewarmDatabase } from './pglite.js';
import { schemaHash } from './load-schema.js';
import { beginVerify, verify, VERIFY_VERSION, type EarlyVerify } from './verify.js';

export interface ProjectFile {
  /** Path as the front end reports it (relative to the root, `/` separators). */
  path: string;
  text: string;
}

export interface VerifyProjectOptions {
  rules?: RulesConfig;
  tags?: string[];
  callees?: string[];
  /** Schema files in migration order; default: `discoverSchemaFiles(rootDir)`. */
  schemaFiles?: SchemaFile[];
  /** Default `<rootDir>/node_modules/.cache/sqlperf/verify.json`; false for none. */
  cacheFile?: string | false;
  /** From `beginVerifyProject` with the same root and options: PGlite already starting. */
  early?: EarlyProjectVerify;
}

/** The project's schema and cache, found once for an early start and the verify that uses it. */
interface ProjectSetup {
  schemaFiles: SchemaFile[];
  schemaLocation: string | null;
  cacheFile: string | undefined;
}

export interface EarlyProjectVerify {
  readonly setup: ProjectSetup;
  readonly verify: EarlyVerify;
}

function projectSetup(rootDir: string, options: VerifyProjectOptions): ProjectSetup {
  let schemaFiles = options.schemaFiles;
  let schemaLocation: string | null = null;
  if (!schemaFiles) {
    const found = discoverSchemaFiles(rootDir);
    schemaLocation = found?.location ?? null;
    schemaFiles = found ? readSchemaFiles(rootDir, found.files) : [];
  }
  const cacheFile = options.cacheFile === false ? undefined : (options.cacheFile ?? defaultCacheFile(rootDir));
  return { schemaFiles, schemaLocation, cacheFile };
}

/**
 * Earlier still than `beginVerifyProject`, before the schema is read: spawns PGlite's worker so it
 * loads and compiles while the schema is read. Not when no file the last verify saw (queries and
 * schema files) has changed: then most likely nothing will start.
 */
export function prewarmVerifyProject(rootDir: string, cacheFile: string | false = defaultCacheFile(rootDir)): void {
  if (cacheFile && unchangedSinceLastRun(cacheFile, rootDir)) return;
  void prewarmDatabase();
}

/**
 * Starts PGlite for `verifyProject` before the files to verify are known (the CLI calls it before
 * linting): finds the schema and begins loading it in the worker. Undefined when no file the last
 * verify saw has changed since (the verify cache will most likely answer everything; when it does
 * not, `verifyProject` starts PGlite itself). Call `await ready()` first.
 */
export function beginVerifyProject(rootDir: string, options: Omit<VerifyProjectOptions, 'early'> = {}): EarlyProjectVerify | undefined {
  const setup = projectSetup(rootDir, options);
  const { schemaFiles, cacheFile } = setup;
  if (cacheFile && unchangedSinceLastRun(cacheFile, rootDir, schemaHash(schemaFiles, VERIFY_VERSION))) return undefined;
  return { setup, verify: beginVerify({ schemaFiles, ...(cacheFile ? { cacheFile } : {}) }) };
}

/** The default cache location, next to other tools' caches. */
export function defaultCacheFile(rootDir: string): string {
  return join(rootDir, 'node_modules', '.cache', 'sqlperf', 'verify.json');
}

/**
 * One call for a front end (`sqlperf lint --verify`, `sqlperf indexes --verify`): finds the
 * project's schema, collects the statements of the given .sql and JS/TS files, and verifies them.
 * Merge the result into each file's static diagnostics with `verifiedDiagnostics(report, path, diagnostics)`.
 * PostgreSQL only; call `await ready()` first. Without schema files the report says so and nothing starts.
 */
export async function verifyProject(rootDir: string, files: readonly ProjectFile[], options: VerifyProjectOptions = {}): Promise<VerifyReport & { schemaLocation: string | null }> {
  const { schemaFiles, schemaLocation, cacheFile } = options.early?.setup ?? projectSetup(rootDir, options);
  const units: VerifyUnit[] = [];
  for (const f of files) {
    if (/\.sql$/i.test(f.path)) units.push(...unitsFromAnalysis(f.path, analyze(f.text, { dialect: 'postgresql', ...(options.rules ? { rules: options.rules } : {}) })));
    else units.push(...unitsFromHost(f.path, f.text, { ...(options.rules ? { rules: options.rules } : {}), ...(options.tags ? { tags: options.tags } : {}), ...(options.callees ? { callees: options.callees } : {}) }));
  }
  const report = await verify(units, { schemaFiles, ...(cacheFile ? { cacheFile } : {}), ...(options.early ? { early: options.early.verify } : {}) });
  if (cacheFile) recordLastRun(cacheFile, rootDir, report.schemaHash, [...files, ...schemaFiles].map((f) => f.path));
  if (!schemaFiles.length) report.notes.unshift('no schema files found (prisma/migrations, drizzle, db/schema.sql, migrations/...): queries were checked against an empty database');
  return { ...report, schemaLocation };
}
