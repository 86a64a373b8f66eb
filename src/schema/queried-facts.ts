/**
 * What src/schema/queried.ts keeps per file (the tables its application SQL queries), read without
 * it: this module loads no parser, so a warm `--cache` run whose files are all unchanged answers
 * the schema's question without loading PostgreSQL's.
 */
import { createHash } from 'node:crypto';
import { contextOf, type ContextSettings, type DialectOverride } from '../context.js';
import type { Dialect } from '../dialect.js';
import { keptFact, NOT_KEPT } from '../file-facts.js';
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

/** A short name for the options: it is written once per file in the CLI's cache. */
export const optionsKeyOf = (options: QueriedOptions) =>
  createHash('sha1').update(JSON.stringify([options.dialect, options.contexts ?? null, options.tags ?? null, options.callees ?? null, options.overrides ?? null])).digest('base64url').slice(0, 12);
