/**
 * The tables the application's own SQL reads or writes: evidence of which tables are large.
 *
 * A redundant index or an unindexed foreign key costs in proportion to its table's rows, and the
 * schema alone does not say how many a table holds. Judged on real applications, the findings on
 * tables no hand-written query touches (API keys, invitations, presets: tables an ORM reads by key)
 * were almost never worth a reviewer's time, while those on tables the code queries by hand (the
 * events it counts, the rows it pages through) were. So rules whose harm grows with a table report
 * on it when the config gives its size (`tables`), or when application code queries it.
 *
 * The scan parses and models only (no rules, so no import of the analyzer: the rules ask it), and
 * only when a rule first asks: a run that finds no redundant index pays nothing.
 */
import { readFileSync } from 'node:fs';
import { fileFact } from '../file-facts.js';
import { evidenceDialect, isTableList, optionsKeyOf, queriedKey, tablesOf, type QueriedOptions } from './queried-facts.js';
import { contextOf } from '../context.js';
import type { Dialect } from '../dialect.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS, findSqlSites, type SqlSite } from '../embed/detect.js';
import { parseHost } from '../embed/parse-host.js';
import { mayHoldSql } from '../embed/prefilter.js';
import { mayHoldBuilderQueries } from '../embed/builder-prefilter.js';
import { siteSql } from '../embed/site-sql.js';
import { siteContext } from '../embed/site-context.js';
import { buildModel } from '../model/build.js';
import { DEFAULT_LIMITS, forEachStatement } from '../parse/index.js';
import { kindOf, projectFilesSync } from '../project-files.js';
import { isSmall } from './match.js';
import type { Schema, SchemaTable } from './types.js';

export { keepFileTables, keptQueriedTables, queriedKey, tablesOf, type QueriedOptions } from './queried-facts.js';

const key = queriedKey;

/** The tables of every statement in a SQL text that parses and models. */
function addTables(text: string, dialect: Dialect, into: Set<string>): void {
  forEachStatement(text, dialect, DEFAULT_LIMITS, (stmt) => {
    if (stmt.parser === 'none') return;
    try {
      const m = buildModel(stmt, text);
      if (m) for (const t of tablesOf(m)) into.add(t);
    } catch {
      // a statement the model cannot build says nothing
    }
  }, undefined, 'queries');
}

/**
 * The tables one file's application SQL queries (none when the file is not application code), a
 * file fact: kept while the file is unchanged (an editor session asks again and again; the CLI's
 * cache hands it to the next run; the CLI's lint keeps what it read, `keepFileTables`).
 */
function fileTables(file: string, options: QueriedOptions, optionsKey: string): string[] {
  if (contextOf(file, options.contexts) !== 'app') return [];
  return fileFact(file, `queried:${optionsKey}`, isTableList, ({ size }) => {
    const tables = new Set<string>();
    try {
      const dialect = evidenceDialect(file, options, size);
      if (!dialect) return [];
      const text = readFileSync(file, 'utf8');
      if (kindOf(file) === 'sql') addTables(text, dialect, tables);
      else if (mayHoldSql(text, options.tags ?? DEFAULT_TAGS, options.callees ?? DEFAULT_CALLEES) || mayHoldBuilderQueries(text)) {
        const parsed = parseHost(text, file);
        const sites = parsed.ok ? findSqlSites(parsed.program, text, { ...(options.tags ? { tags: options.tags } : {}), ...(options.callees ? { callees: options.callees } : {}) }) : [];
        // a startup migration in application code says nothing about production sizes either
        for (const site of sites) if (siteContext(site, 'app') === 'app') addSiteTables(site, dialect, tables);
      }
    } catch {
      // unreadable: no evidence from it
    }
    return [...tables];
  }) ?? [];
}

/**
 * The tables the application code under `root` queries: its `.sql` files and the SQL embedded in
 * its JS/TS, in `app` context (migrations, scripts and tests say nothing about production sizes).
 * Synchronous, for both front ends; PostgreSQL's parser must be loaded (`ready()`).
 */
export function queriedTables(root: string, options: QueriedOptions): Set<string> {
  const out = new Set<string>();
  const key = optionsKeyOf(options);
  for (const f of projectFilesSync(root)) for (const t of fileTables(f, options, key)) out.add(t);
  return out;
}

/** How long a project's answer is trusted before its files are looked at again (an editor session edits them). */
const PROJECT_TTL_MS = 10_000;
const perProject = new Map<string, { at: number; tables: ReadonlySet<string> }>();

function projectTables(root: string, options: QueriedOptions): ReadonlySet<string> {
  const k = JSON.stringify([root, options]);
  const hit = perProject.get(k);
  const now = Date.now();
  if (hit && now - hit.at < PROJECT_TTL_MS) return hit.tables;
  const tables = queriedTables(root, options);
  perProject.set(k, { at: now, tables });
  return tables;
}

/**
 * Whether a finding whose cost grows with `table`'s rows is worth reporting: not when the config
 * says the table is small; yes when it gives a larger size; otherwise only when the application's
 * SQL queries the table (`schema.queried`, or the project `schema.queriedIn` names, scanned on
 * this first question), or when nobody said where to look (the API without either).
 */
export function mayBeLarge(schema: Schema, table: SchemaTable): boolean {
  if (isSmall(table)) return false;
  if (table.rows !== undefined) return true;
  const queried = schema.queried ?? (schema.queriedIn ? projectTables(schema.queriedIn.root, schema.queriedIn.options) : undefined);
  return !queried || queried.has(key(table.name));
}

/** The tables an application site's SQL names, onto `tables`; a site that cannot be embedded says nothing. */
function addSiteTables(site: SqlSite, dialect: Dialect, tables: Set<string>): void {
  try {
    const gate = siteSql(site, dialect);
    if (!gate.skip) addTables(gate.embedded.sql, dialect, tables);
  } catch {
    // nothing to learn from it
  }
}
