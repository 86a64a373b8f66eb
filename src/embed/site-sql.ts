/**
 * Which SQL text a site stands for, or why it has none: the gate both the analysis of a site
 * (analyzeSite, src/embed/index.ts) and the scan for the tables a project queries
 * (src/schema/queried.ts) go through, so both read the same sites the same way.
 */
import { editDistance } from '../config/rules-config.js';
import type { Dialect } from '../dialect.js';
import { clickhouseEvidence } from '../parse/clickhouse.js';
import { startsLikeStatement, type SqlSite } from './detect.js';
import { embedSql, type EmbeddedSql } from './template.js';

/**
 * fragment: a piece of SQL sqlperf does not analyse on its own; unparsable: found by shape only
 * and not SQL to the parser; holes: SQL whose `${}` holes hold something sqlperf cannot fill so
 * that it parses (counted, never an error); empty; clickhouse.
 */
export type SkipReason = 'fragment' | 'unparsable' | 'holes' | 'empty' | 'clickhouse';

export type SiteSql = { preview: string; embedded: EmbeddedSql; skip?: undefined } | { preview: string; skip: SkipReason; detail?: string; embedded?: EmbeddedSql };

/** The site's text with its holes marked, for the tests on its first words. */
export function previewOf(site: SqlSite): string {
  return site.parts.map((p) => site.code.slice(p.start, p.end)).join(' __HOLE__ ');
}

const STATEMENT_WORDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'VALUES'];

/** `SELEC * FROM t` in a known tag is a statement with a typo (so a parse error), not a fragment. */
function looksLikeTypo(text: string): boolean {
  const w = /^\s*([A-Za-z]{4,8})\b/.exec(text)?.[1]?.toUpperCase();
  return w !== undefined && STATEMENT_WORDS.some((k) => k.length >= 5 && editDistance(w, k) <= 2) && /\b(?:from|into|set)\b/i.test(text);
}

/**
 * The SQL a site stands for (its holes filled), or why it is skipped: empty, a fragment (a tagged
 * template that does not start with a statement: `sql\`WHERE id = ${id}\``), ClickHouse SQL, or a
 * literal found by its shape alone that does not parse. May throw where `embedSql` does.
 */
export function siteSql(site: SqlSite, dialect: Dialect): SiteSql {
  const preview = previewOf(site);
  if (!preview.trim()) return { preview, skip: 'empty' };
  if (site.via === 'tag:sql.fragment' || (!site.wrap && !(startsLikeStatement(preview) || looksLikeTypo(preview)))) return { preview, skip: 'fragment' };
  const clickhouse = site.clickhouse ? 'the call sends it to ClickHouse' : clickhouseEvidence(preview, dialect === 'mysql' || dialect === 'mariadb');
  if (clickhouse) return { preview, skip: 'clickhouse', detail: clickhouse };
  const embedded = embedSql(site, dialect);
  if (!embedded.parsed && !site.certain) return { preview, skip: 'unparsable', embedded };
  return { preview, embedded };
}
