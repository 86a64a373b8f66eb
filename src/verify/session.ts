import { execChecked } from './load-schema.js';
import { isServerError, toPgError, type Database, type PgError } from './pglite.js';
import { better, qualityOf, rootOf, servesWith, type PlanNode, type Quality } from './plan.js';
import type { VerifyUnit } from './units.js';

export const EXPLAIN = 'EXPLAIN (GENERIC_PLAN, COSTS OFF, FORMAT JSON) ';

export function hasOrderBy(u: VerifyUnit): boolean {
  return u.model.blocks.some((b) => b.orderBy.length > 0);
}

/** A statement PGlite could not answer for a reason of sqlperf's own (no plan, a broken or stopped instance): not a finding, not cached. */
export class NotAnswered extends Error {}

/** EXPLAINs against one database, counted and timed, and indexes tried in rolled-back transactions. */
export class Session {
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
