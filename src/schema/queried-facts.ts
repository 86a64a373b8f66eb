/**
 * What src/schema/queried.ts keeps per file (the tables its application SQL queries), read and
 * written without it: this module loads no parser, so a warm `--cache` run whose files are all
 * unchanged answers the schema's question without loading PostgreSQL's, and the CLI's lint keeps
 * what it found in a file without loading the scan.
 */
import { createHash } from 'node:crypto';
import { contextOf, fileDialect, type ContextSettings, type DialectOverride } from '../context.js';
import type { Dialect } from '../dialect.js';
import { fileFact, keptFact, NOT_KEPT } from '../file-facts.js';
import { LIMIT_DEFAULTS } from '../limits.js';
import type { StatementModel } from '../model/types.js';
import { projectFilesSync } from '../project-files.js';

/** A table name as `Schema.queried` holds it: compared as `sameName` does (src/schema/load.ts), case-insensitively. */
export const queriedKey = (name: string) => name.toLowerCase();

export interface QueriedOptions {
  dialect: Dialect;
  /** Config `contexts`: only `app` files count. */
  contexts?: ContextSettings;
  /** Config `overrides`: each file is read in the dialect the lint reads it in. */
  overrides?: DialectOverride[];
  tags?: string[];
  callees?: string[];
}

export const isTableList = (v: unknown): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string');

/**
 * The same answer when every application file's tables are kept (a warm `--cache` run): then no
 * parser has to be loaded to give it. Undefined when some file has to be read.
 */
export function keptQueriedTables(root: string, options: QueriedOptions): Set<string> | undefined {
  const out = new Set<string>();
  const key = optionsKeyOf(options);
  for (const f of projectFilesSync(root)) {
    if (contextOf(f, options.contexts) !== 'app') continue;
    const kept = keptFact(f, `queried:${key}`, isTableList);
    if (kept === NOT_KEPT) return undefined;
    for (const t of kept ?? []) out.add(t);
  }
  return out;
}

const keys = new WeakMap<QueriedOptions, string>();

/** A short name for the options: it is written once per file in the CLI's cache (and asked once per linted file: kept per options object). */
export function optionsKeyOf(options: QueriedOptions): string {
  let k = keys.get(options);
  if (k === undefined) {
    k = createHash('sha1').update(JSON.stringify([options.dialect, options.contexts ?? null, options.tags ?? null, options.callees ?? null, options.overrides ?? null])).digest('base64url').slice(0, 12);
    keys.set(options, k);
  }
  return k;
}

/** The real tables a statement reads or writes (FROM, JOIN, subqueries, the DML target), lower-cased. */
export function tablesOf(model: StatementModel): string[] {
  const out = new Set<string>();
  for (const b of model.blocks) {
    for (const t of [...b.from, ...b.joins.map((j) => j.table), ...(b.target ? [b.target] : [])]) {
      if (t.kind === 'table' && t.name) out.add(queriedKey(t.name));
    }
  }
  return [...out];
}

/** The dialect a file's SQL is read in; none when it is no evidence: the lint does not read a file this large either, and no parser reads ClickHouse's. */
export function evidenceDialect(file: string, options: QueriedOptions, size: number): Dialect | undefined {
  const dialect = fileDialect(file, options);
  return size > LIMIT_DEFAULTS.maxFileSize || dialect === 'clickhouse' ? undefined : dialect;
}

/**
 * Keeps, as `file`'s fact, the tables a lint of it found its application SQL to query (the models
 * of its statements, `tablesOf`), so that the project scan of mayBeLarge's first question does
 * not read and parse the file again. The lint must have read it as the scan does: an `app` file,
 * in its own dialect, the statements of `app` sites only, under the default statement limits.
 */
export function keepFileTables(file: string, options: QueriedOptions, tables: ReadonlySet<string>): void {
  if (contextOf(file, options.contexts) !== 'app') return;
  fileFact(file, `queried:${optionsKeyOf(options)}`, isTableList, ({ size }) => (evidenceDialect(file, options, size) ? [...tables] : []));
}
