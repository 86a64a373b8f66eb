import { closestName } from '../did-you-mean.js';
import type { IndexSuggestion } from '../indexes.js';
import { predicatesOf, type Predicate } from '../model/predicates.js';
import { fingerprintPg } from '../parse/pg.js';
import { lineStarts, toLineCol, type Range } from '../range.js';
import type { Diagnostic } from '../rule.js';
import type { SchemaFile } from '../schema/types.js';
import { readCache, writeCache, type CacheFile } from './cache.js';
import { dropImage, readImage, saveImage, schemaImagePath } from './data-dir.js';
import { execChecked, extensionsOf, SESSION_RESET, loadSchema, schemaHash, schemaStatements, type SchemaLoadResult, type SchemaProblem, type SchemaStatement } from './load-schema.js';
import { isServerError, pgliteVersion, startDatabase, toPgError, VerifyUnavailableError, type Database, type PgError } from './pglite.js';
import { WatchdogError, type VerifyLimits } from './supervisor.js';
import { better, qualityOf, rootOf, servesWith, tableAccess, type PlanNode, type Quality } from './plan.js';
import { anchorOf, pgPositionToOffset, resolveAnchor, tokenAt, type Anchor } from './text.js';
import type { VerifyUnit } from './units.js';

/** Bumped when what is cached changes meaning. */
export const VERIFY_VERSION = '1';

export type IndexStatus = 'confirmed' | 'corrected' | 'added' | 'dropped';

/** What the planner made of one static suggestion (or of an index it needed that static analysis did not suggest). */
export interface IndexOutcome {
  table: string;
  /** The static suggestion (`CREATE INDEX ...;`); null for an index the planner needed that static analysis did not suggest. */
  original: string | null;
  status: IndexStatus;
  /** The index to create; null when dropped. */
  statement: string | null;
  /** Why: what the planner did. */
  reason: string;
  /** A caveat the planner cannot settle (collation, table sizes). */
  note?: string;
}

/** The result of one statement, independent of where it sits (cached by fingerprint). */
export interface UnitOutcome {
  error: { message: string; code: string; anchor: Anchor | null } | null;
  /** Tables read by the query: whether an existing index serves them (with `enable_seqscan = off`). */
  tables: Array<{ table: string; served: boolean; indexes: string[]; filters: string[] }>;
  indexes: IndexOutcome[];
  /** Not checked, and why. */
  unverified?: string;
}

export interface VerifiedQuery {
  file: string;
  /** Offsets in the file. */
  start: number;
  end: number;
  sql: string;
}

/** An index as the planner judged it, with every query behind it. */
export interface VerifiedIndex extends IndexOutcome {
  queries: VerifiedQuery[];
}

export interface VerifyTimings {
  /** PGlite start, ms (0 when everything came from the cache). */
  startMs: number;
  schemaLoadMs: number;
  /** EXPLAINs run (including those with a hypothetical index). */
  explains: number;
  explainMs: number;
  totalMs: number;
  /** Statements answered from the cache. */
  cached: number;
}

export interface VerifyReport {
  /** verified: every statement was checked; partial: some could not be; unavailable: nothing was (static findings stand). */
  status: 'verified' | 'partial' | 'unavailable';
  schemaHash: string;
  /** Problems in the schema files (file offsets). */
  schemaProblems: SchemaProblem[];
  /** Per unit, in input order. */
  outcomes: UnitOutcome[];
  units: VerifyUnit[];
  /** Indexes the planner uses, merged across queries (one entry per `CREATE INDEX`). */
  indexes: VerifiedIndex[];
  /** Suggestions the planner would not use, with the reason. */
  dropped: VerifiedIndex[];
  /** What could not be verified, in words. */
  notes: string[];
  timings: VerifyTimings;
  /** Whether a PGlite instance was started. */
  started: boolean;
}

export interface VerifyOptions {
  /** The schema files in migration order (see `orderMigrationFiles`). */
  schemaFiles: readonly SchemaFile[];
  /** A JSON cache file; results are reused while the schema and the query fingerprints are unchanged. */
  cacheFile?: string;
  /** Start a database, from a saved data directory when given (tests pass a stand-in); default: PGlite in a worker. */
  database?: (dataDir?: Uint8Array) => Promise<Database>;
  /** The watchdog's limits; default `verifyLimits()` (10 s per statement, 1024 MB, or the SQLPERF_VERIFY_* variables). */
  limits?: Partial<VerifyLimits>;
  /** The per-user cache of the initialised cluster (default `userCacheDir()`); false: none. */
  userCache?: string | false;
}

const EXPLAIN = 'EXPLAIN (GENERIC_PLAN, COSTS OFF, FORMAT JSON) ';
/** Errors that are about parameter types PostgreSQL could not infer, not about the query. */
const NOT_THE_QUERY = new Set(['42P18', '42P02', '08P01', '0A000']);
const GIN_OPS = new Set(['@>', '<@', '?', '?|', '?&', '@@', '&&', '@?']);
const NO_SIZES = 'the planner ran on empty tables with enable_seqscan = off: it shows which indexes CAN serve each query, not whether it would prefer them at your table sizes';

function unitKey(u: VerifyUnit): string {
  return fingerprintPg(u.sql) ?? `text:${u.sql}`;
}

function hasOrderBy(u: VerifyUnit): boolean {
  return u.model.blocks.some((b) => b.orderBy.length > 0);
}

function slice(u: VerifyUnit, r: Range): string {
  return u.sql.slice(r.start - u.base, r.end - u.base);
}

const ident = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

function predicatesOn(u: VerifyUnit, table: string): Predicate[] {
  return u.model.blocks.flatMap((b) => predicatesOf(b)).filter((p) => p.column?.table === table && !p.underOr && !p.negated);
}

/** Text of a column side without its table qualifier (`lower(u.email)` -> `lower(email)`). */
function bareText(u: VerifyUnit, p: Predicate, r: Range): string {
  const q = p.column?.qualifier;
  const t = slice(u, r).replace(/\s+/g, ' ');
  return q ? t.replace(new RegExp(`\\b${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\.\\s*`, 'g'), '') : t;
}

function indexSql(table: string, name: string, body: string, using = '', where = ''): string {
  return `CREATE INDEX ${name} ON ${ident(table)}${using ? ` USING ${using}` : ''} (${body})${where ? ` WHERE ${where}` : ''};`;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40);
}

interface Candidate {
  statement: string;
  why: string;
}

/** What PostgreSQL may need instead of (or besides) a plain B-tree, from the query's predicates on a table. */
function candidatesFor(u: VerifyUnit, table: string, suggestion: IndexSuggestion | null): Candidate[] {
  const preds = predicatesOn(u, table);
  const out: Candidate[] = [];
  for (const p of preds) {
    if (!GIN_OPS.has(p.op)) continue;
    const side = p.wrapped ? `(${bareText(u, p, p.wrapped.range)})` : ident(p.column!.name);
    out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(side)}_gin`, side, 'gin'), why: `${p.op} needs a GIN index (a B-tree cannot serve it)` });
  }
  for (const p of preds) {
    if (!p.wrapped || !(p.kind === 'equality' || p.kind === 'in' || p.kind === 'range') || p.valueKind === 'column') continue;
    const expr = bareText(u, p, p.wrapped.range);
    out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(expr)}`, `(${expr})`), why: `the query compares ${expr}, so the index must be on that expression` });
  }
  if (suggestion) {
    const constant = preds.filter((p) => !p.wrapped && (p.kind === 'equality' || p.kind === 'null') && (p.valueKind === 'literal' || p.valueKind === 'null'));
    if (constant.length) {
      const where = constant.map((p) => bareText(u, p, p.range)).join(' AND ');
      const fixed = new Set(constant.map((p) => ident(p.column!.name)));
      const cols = suggestion.columns.filter((c) => !fixed.has(c.replace(/ DESC$/, '')));
      if (cols.length) out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(cols.join('_'))}_partial`, cols.join(', '), '', where), why: `a partial index whose WHERE (${where}) the query repeats` });
    }
  }
  return out;
}

/** A statement PGlite could not answer for a reason of sqlperf's own (no plan, a broken or stopped instance): not a finding, not cached. */
class NotAnswered extends Error {}

class Session {
  explains = 0;
  explainMs = 0;
  private n = 0;
  private relations: string[] | undefined;
  private leadsOf: Map<string, string> | undefined;
  constructor(readonly db: Database) {}

  async explain(sql: string): Promise<{ root: PlanNode } | { error: PgError }> {
    const t = performance.now();
    this.explains++;
    try {
      const res = await this.db.exec(EXPLAIN + sql);
      const root = rootOf(res[res.length - 1]?.rows ?? []);
      if (!root) {
        // a broken PGlite answers every query with nothing: find out which it is
        await execChecked(this.db, 'SELECT 1');
        throw new NotAnswered('EXPLAIN returned no plan');
      }
      return { root };
    } catch (e) {
      if (!isServerError(e)) throw e;
      return { error: toPgError(e) };
    } finally {
      this.explainMs += performance.now() - t;
    }
  }

  /** The leading key of every index of the loaded schema, by name. */
  async leads(): Promise<Map<string, string>> {
    this.leadsOf ??= new Map((await this.db.exec(LEADS))[0]?.rows.map((r) => [String(r.name), String(r.lead)]) ?? []);
    return this.leadsOf;
  }

  /**
   * Creates the index (after what it requires, e.g. `CREATE EXTENSION pg_trgm`) in a transaction,
   * explains the query, rolls back: whether PostgreSQL builds it, and whether the planner uses its
   * leading key for the query and makes the table's access better than `base`.
   */
  async tryIndex(statement: string, requires: readonly string[], u: VerifyUnit, table: string, base: Quality): Promise<{ used: boolean; improves: boolean; error?: PgError }> {
    const name = `sqlperf_verify_${++this.n}`;
    const create = statement.replace(/^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")+"|\S+)\s+ON\b/i, (_m, uq: string | undefined) => `CREATE ${uq ?? ''}INDEX ${name} ON`).replace(/;\s*$/, '');
    await this.db.exec('BEGIN');
    try {
      let lead: string | undefined;
      try {
        for (const r of requires) await this.db.exec(r);
        await this.db.exec(create);
        lead = String((await this.db.exec(`SELECT pg_get_indexdef('${name}'::regclass, 1, true) AS lead`))[0]?.rows[0]?.lead ?? '') || undefined;
      } catch (e) {
        if (!isServerError(e)) throw e;
        return { used: false, improves: false, error: toPgError(e) };
      }
      const r = await this.explain(u.sql);
      if ('error' in r) return { used: false, improves: false, error: r.error };
      const order = hasOrderBy(u);
      const used = servesWith(r.root, name, order, lead);
      const leads = new Map(await this.leads());
      if (lead) leads.set(name, lead);
      return { used, improves: used && better(qualityOf(r.root, table, order, leads), base) };
    } finally {
      await this.db.exec('ROLLBACK');
    }
  }

  async tables(): Promise<string[]> {
    if (!this.relations) {
      const r = await this.db.exec(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','v','m','p','f') AND n.nspname NOT IN ('pg_catalog','information_schema')`);
      this.relations = (r[0]?.rows ?? []).map((x) => String(x.name));
    }
    return this.relations;
  }
}

const LEADS = `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid, 1, true) AS lead FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;

/** What a skip scan over an existing index is worth, in words. */
function skipScanText(scans: ReadonlyArray<{ index: string; lead: string }>): string {
  return scans.map((x) => `the existing ${x.index} is usable only through a skip scan over ${x.lead}: efficient only when ${x.lead} has few distinct values`).join('; ');
}

async function verifyUnit(s: Session, u: VerifyUnit): Promise<UnitOutcome> {
  const first = await s.explain(u.sql);
  if ('error' in first) {
    const err = first.error;
    if (NOT_THE_QUERY.has(err.code)) return { error: null, tables: [], indexes: [], unverified: `PostgreSQL could not plan it generically: ${err.message}` };
    let anchor: Anchor | null = null;
    if (err.position !== null) {
      const at = pgPositionToOffset(EXPLAIN + u.sql, err.position) - EXPLAIN.length;
      if (at >= 0 && at <= u.sql.length) anchor = anchorOf(u.sql, tokenAt(u.sql, at));
    }
    let message = err.message;
    if (err.hint) message += `. ${err.hint}`;
    const rel = err.code === '42P01' ? /relation "([^"]+)" does not exist/.exec(err.message)?.[1] : undefined;
    if (rel) {
      const near = closestName(rel.split('.').pop()!, await s.tables());
      if (near) message += `; did you mean "${near}"?`;
    }
    return { error: { message, code: err.code, anchor }, tables: [], indexes: [] };
  }
  const order = hasOrderBy(u);
  const leads = await s.leads();
  const access = tableAccess(first.root, order, leads);
  const tables = [...access.values()].map((a) => ({ table: a.table, served: a.served, indexes: a.indexes, filters: a.filters }));
  const indexes: IndexOutcome[] = [];
  const handled = new Set<string>();
  const statics = new Set(u.indexes.map((x) => x.statement));
  const baseOf = (t: string) => qualityOf(first.root, t, order, leads);
  for (const sug of u.indexes) {
    handled.add(sug.table);
    const a = access.get(sug.table);
    const base = baseOf(sug.table);
    const like = sug.reasons.some((r) => /\b(LIKE|SIMILAR TO)\b/i.test(r));
    const note = like ? "PGlite uses the C collation, where a plain B-tree serves LIKE 'prefix%'; in a database with another collation the column needs text_pattern_ops (varchar_pattern_ops) for that" : undefined;
    const tried = await s.tryIndex(sug.statement, sug.requires ?? [], u, sug.table, base);
    if (tried.improves) {
      const over = a?.served && a.indexes.length ? ` (it does better than the existing ${a.indexes.join(', ')})` : a?.skipScans.length ? ` (${skipScanText(a.skipScans)})` : '';
      indexes.push({ table: sug.table, original: sug.statement, status: 'confirmed', statement: sug.statement, reason: `the planner uses it${over}`, ...(note ? { note } : {}) });
      continue;
    }
    let fixed: IndexOutcome | undefined;
    for (const c of candidatesFor(u, sug.table, sug)) {
      if (statics.has(c.statement)) continue;
      if ((await s.tryIndex(c.statement, [], u, sug.table, base)).improves) {
        fixed = { table: sug.table, original: sug.statement, status: 'corrected', statement: c.statement, reason: `the planner does not need ${sug.columns.join(', ')}${a?.served && a.indexes.length ? ` (the existing ${a.indexes.join(', ')} serves that)` : ''}; ${c.why}` };
        break;
      }
    }
    if (fixed) {
      indexes.push(fixed);
      continue;
    }
    let reason: string;
    if (tried.error) reason = `PostgreSQL cannot build it: ${tried.error.message}`;
    else if (a?.served && a.indexes.length) reason = `the existing index ${[...new Set(a.indexes)].join(', ')} already serves this query as well as the suggestion would`;
    else reason = `the planner would not use it${a?.filters.length ? ` (it still filters ${a.filters.join(' AND ')} row by row)` : ''}`;
    indexes.push({ table: sug.table, original: sug.statement, status: 'dropped', statement: null, reason });
  }
  // tables static analysis had nothing for, where a condition is still filtered row by row: what PostgreSQL needs (GIN, expressions)
  for (const a of access.values()) {
    if (handled.has(a.table) || !a.filters.length) continue;
    const base = baseOf(a.table);
    for (const c of candidatesFor(u, a.table, null)) {
      if ((await s.tryIndex(c.statement, [], u, a.table, base)).improves) {
        indexes.push({ table: a.table, original: null, status: 'added', statement: c.statement, reason: `static analysis suggested no index; ${c.why}, and the planner uses it` });
        break;
      }
    }
  }
  return { error: null, tables, indexes };
}

function emptyTimings(): VerifyTimings {
  return { startMs: 0, schemaLoadMs: 0, explains: 0, explainMs: 0, totalMs: 0, cached: 0 };
}

/**
 * Checks statements against PostgreSQL's own analyzer and planner (PGlite, in-process): loads the
 * schema files in order, then EXPLAINs every statement (generic plan, holes as `$n`), tries each
 * suggested index in a rolled-back transaction, and corrects or drops what the planner would not
 * use. Results are cached by schema hash and query fingerprint, so an unchanged project starts no
 * database. Never throws for a database problem: what could not be verified is said in `notes`
 * and the static findings stand. Needs the PostgreSQL parser loaded (`await ready()`).
 */
export async function verify(units: readonly VerifyUnit[], options: VerifyOptions): Promise<VerifyReport> {
  const t0 = performance.now();
  const hash = schemaHash(options.schemaFiles, VERIFY_VERSION);
  const timings = emptyTimings();
  const notes: string[] = [];
  const keys = units.map(unitKey);
  let cache: CacheFile = (options.cacheFile ? readCache(options.cacheFile, hash) : undefined) ?? { version: VERIFY_VERSION, schema: hash, schemaProblems: null, units: {} };
  const outcomes: Array<UnitOutcome | undefined> = units.map((u, i) => {
    if (u.skip) return { error: null, tables: [], indexes: [], unverified: u.skip };
    const hit = cache.units[keys[i]!];
    // a cached result counts only if it covers today's static suggestions
    if (hit && (hit.error || hit.unverified || u.indexes.every((s) => hit.indexes.some((o) => o.original === s.statement)))) {
      timings.cached++;
      return hit;
    }
    return undefined;
  });
  let schemaProblems = cache.schemaProblems ?? [];
  let status: VerifyReport['status'] = 'verified';
  let started = false;
  const todo = outcomes.some((o) => o === undefined) || cache.schemaProblems === null;
  if (todo) {
    let db: Database | undefined;
    let s: Session | undefined;
    const count = () => {
      timings.explains += s?.explains ?? 0;
      timings.explainMs += s?.explainMs ?? 0;
    };
    try {
      const stmts = schemaStatements(options.schemaFiles);
      const extensions = [...new Set([...extensionsOf(stmts), ...requiredExtensions(units)])];
      const image = options.cacheFile && !options.database ? schemaImagePath(options.cacheFile, hash, pgliteVersion()) : undefined;
      let fromImage = false;
      let skipped: SchemaLoadResult['skipped'] = [];
      const open = async (dataDir?: Uint8Array) => {
        const t = performance.now();
        try {
          return await (options.database ? options.database(dataDir) : startDatabase(extensions, { ...(dataDir ? { dataDir } : {}), ...(options.limits ? { limits: options.limits } : {}), ...(options.userCache !== undefined ? { userCache: options.userCache } : {}), note: (l) => notes.push(l) }));
        } finally {
          started = true;
          timings.startMs += performance.now() - t;
        }
      };
      // a database with the schema loaded: from the saved schema image when there is one (the last
      // good state), else by loading the migrations; then the session reset for EXPLAIN
      const openLoaded = async (): Promise<Database> => {
        const saved = image && cache.schemaProblems !== null ? readImage(image) : undefined;
        if (saved) {
          let d: Database | undefined;
          try {
            d = await open(saved);
            await execChecked(d, EXPLAIN_SESSION);
            fromImage = true;
            return d;
          } catch (e) {
            await d?.close().catch(() => undefined);
            if (!(e instanceof WatchdogError) || e.limit === 'crash') dropImage(image!);
          }
        }
        const t = performance.now();
        const start = timings.startMs;
        const loaded = await loadSchema(() => open(), stmts, skipped);
        timings.schemaLoadMs += performance.now() - t - (timings.startMs - start);
        schemaProblems = loaded.result.problems;
        for (const k of loaded.result.skipped.slice(skipped.length)) notes.push(`${where(options.schemaFiles, k.statement)}: this migration statement was not loaded (${k.reason}); queries that need what it creates cannot be verified`);
        skipped = loaded.result.skipped;
        // a statement the watchdog stopped may finish on a faster machine: such a load is not saved
        if (!skipped.length) cache.schemaProblems = schemaProblems;
        await execChecked(loaded.db, EXPLAIN_SESSION);
        return loaded.db;
      };
      db = await openLoaded();
      s = new Session(db);
      let restarts = 0;
      for (let i = 0; i < units.length; i++) {
        if (outcomes[i]) continue;
        try {
          const o = await verifyUnit(s, units[i]!);
          outcomes[i] = o;
          cache.units[keys[i]!] = o;
        } catch (e) {
          if (isServerError(e)) throw e;
          // sqlperf's own limit or PGlite's failure, not the query's: no finding, no cache entry
          outcomes[i] = { error: null, tables: [], indexes: [], unverified: `PGlite could not check it: ${(e as Error).message}` };
          if (e instanceof NotAnswered) continue; // the canary answered: the instance is fine
          count();
          await db.close().catch(() => undefined);
          db = undefined;
          if (++restarts > MAX_RESTARTS) throw new Error(`PGlite had to be restarted ${MAX_RESTARTS} times`);
          db = await openLoaded();
          s = new Session(db);
        }
      }
      if (skipped.length) status = 'partial';
      if (image && !fromImage && !skipped.length && db.dump) {
        const failed = saveImage(image, await db.dump(), /^pglite-.*-schema-.*\.tar\.gz$/);
        if (failed) notes.push(`could not save the schema's PGlite data directory to ${image}: ${failed}`);
      }
    } catch (e) {
      status = outcomes.some((o) => o && !o.unverified) ? 'partial' : 'unavailable';
      notes.push(e instanceof VerifyUnavailableError ? e.message : `PGlite failed (${(e as Error).message}); the static findings of the statements it did not check stand`);
    } finally {
      count();
      if (db) await db.close().catch(() => undefined);
    }
    if (options.cacheFile && status === 'verified') {
      cache = { ...cache, schema: hash, version: VERIFY_VERSION };
      try {
        writeCache(options.cacheFile, cache);
      } catch (e) {
        notes.push(`could not write the verify cache ${options.cacheFile}: ${(e as Error).message}`);
      }
    }
  }
  const final = outcomes.map((o) => o ?? { error: null, tables: [], indexes: [], unverified: 'not checked: PGlite was not available' });
  const unverified = final.filter((o) => o.unverified).length;
  if (unverified && status === 'verified') status = 'partial';
  if (unverified) notes.push(`${unverified} statement(s) could not be verified; their static findings stand`);
  notes.push(NO_SIZES);
  const { indexes, dropped } = mergeIndexes(units, final);
  timings.totalMs = performance.now() - t0;
  return { status, schemaHash: hash, schemaProblems, outcomes: final, units: [...units], indexes, dropped, notes, timings, started };
}

/** How many times PGlite may be replaced while checking queries before verification gives up. */
const MAX_RESTARTS = 5;

/** Before the EXPLAINs: a fresh session, where only indexes can read a table (see NO_SIZES). */
const EXPLAIN_SESSION = `${SESSION_RESET}; SET enable_seqscan = off`;

/** Extensions the static suggestions need (`CREATE EXTENSION IF NOT EXISTS pg_trgm;`), to load into PGlite. */
function requiredExtensions(units: readonly VerifyUnit[]): string[] {
  return units.flatMap((u) => u.indexes.flatMap((x) => x.requires ?? [])).flatMap((r) => extensionsOf([{ file: '', start: 0, end: r.length, sql: r }]));
}

/** `file:line:column` of a schema statement. */
function where(files: readonly SchemaFile[], s: SchemaStatement): string {
  const text = files.find((f) => f.path === s.file)?.text ?? '';
  const p = toLineCol(lineStarts(text), s.start);
  return `${s.file}:${p.line}:${p.column}`;
}

function queryOf(u: VerifyUnit): VerifiedQuery {
  const r = u.toHost({ start: 0, end: u.sql.length });
  return { file: u.file, start: r.start, end: r.end, sql: u.sql.replace(/\s+/g, ' ').trim() };
}

function mergeIndexes(units: readonly VerifyUnit[], outcomes: readonly UnitOutcome[]): { indexes: VerifiedIndex[]; dropped: VerifiedIndex[] } {
  const used = new Map<string, VerifiedIndex>();
  const dropped = new Map<string, VerifiedIndex>();
  outcomes.forEach((o, i) => {
    const q = queryOf(units[i]!);
    for (const x of o.indexes) {
      const key = x.statement ?? `drop:${x.original}:${x.reason}`;
      const into = x.statement ? used : dropped;
      const hit = into.get(key);
      if (hit) {
        if (!hit.queries.some((y) => y.file === q.file && y.start === q.start)) hit.queries.push(q);
      } else into.set(key, { ...x, queries: [q] });
    }
  });
  // a dropped suggestion that another query confirms is not dropped
  for (const [k, d] of dropped) if ([...used.values()].some((u) => u.original === d.original && u.statement === d.original)) dropped.delete(k);
  return { indexes: [...used.values()], dropped: [...dropped.values()] };
}

/** A diagnostic in a file (offsets into that file). */
export interface FileDiagnostic extends Diagnostic {
  file: string;
}

const CONFIRMED = ' (confirmed by the PostgreSQL planner)';

/**
 * The verified diagnostics of one file: static findings with the planner's verdict applied
 * (`missing-index` confirmed, or dropped where an existing index serves the query), plus
 * `invalid-query` where PostgreSQL rejects a statement and `schema-error` for migration statements
 * it rejects. `staticDiagnostics` are the file's diagnostics from the static run (file offsets).
 */
export function verifiedDiagnostics(report: VerifyReport, file: string, staticDiagnostics: readonly Diagnostic[]): Diagnostic[] {
  let out: Diagnostic[] = [...staticDiagnostics];
  report.units.forEach((u, i) => {
    if (u.file !== file) return;
    const o = report.outcomes[i]!;
    const span = u.toHost({ start: 0, end: u.sql.length });
    const inside = (d: Diagnostic) => d.start >= span.start && d.end <= span.end;
    if (o.error) {
      const r = o.error.anchor ? u.toHost(resolveAnchor(u.sql, o.error.anchor)) : span;
      out.push({ ruleId: 'invalid-query', severity: 'error', message: `PostgreSQL rejects this query: ${o.error.message}`, messageId: 'rejected', start: r.start, end: r.end, category: 'correctness' });
      return;
    }
    if (o.unverified) return;
    for (const t of o.tables) {
      const mentions = (d: Diagnostic) => d.ruleId === 'missing-index' && inside(d) && new RegExp(`\\b${t.table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(d.message);
      if (t.served) {
        out = out.filter((d) => !mentions(d));
        continue;
      }
      const useful = o.indexes.find((x) => x.table === t.table && x.statement);
      if (!useful) continue;
      const mine = out.filter(mentions);
      if (mine.length) {
        for (const d of mine) if (!d.message.endsWith(CONFIRMED)) d.message += CONFIRMED;
        continue;
      }
      const sug = u.indexes.find((x) => x.table === t.table);
      const r = sug?.ranges[0] ? u.toHost({ start: sug.ranges[0].start - u.base, end: sug.ranges[0].end - u.base }) : span;
      out.push({ ruleId: 'missing-index', severity: 'warn', message: `no existing index serves ${t.table} in this query${CONFIRMED}; ${useful.statement}`, messageId: 'plannerConfirmed', start: r.start, end: r.end, category: 'performance' });
    }
  });
  for (const p of report.schemaProblems) if (p.file === file) out.push({ ruleId: p.ruleId, severity: p.severity, message: p.message, messageId: p.messageId, start: p.start, end: p.end, category: 'correctness' });
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
