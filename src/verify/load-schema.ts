import { createHash } from 'node:crypto';
import { parseText } from '../parse/index.js';
import { upSection } from '../schema/load.js';
import type { SchemaFile } from '../schema/types.js';
import { isServerError, SHIPPED_EXTENSIONS, BUILTIN_EXTENSIONS, toPgError, type Database } from './pglite.js';
import { blankWord, pgPositionToOffset, tokenAt } from './text.js';
import { errorMessage } from '../error-message.js';

/** A finding in a file that is not a query: a migration PostgreSQL rejected, an extension PGlite lacks. */
export interface SchemaProblem {
  ruleId: 'schema-error';
  messageId: 'rejected' | 'extension' | 'crash';
  severity: 'warn' | 'error';
  file: string;
  start: number;
  end: number;
  message: string;
}

export interface SchemaStatement {
  file: string;
  /** Offsets of the statement in the file. */
  start: number;
  end: number;
  sql: string;
}

const TX_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE)\b/i;
const EXTENSION = /^\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?("([^"]+)"|[A-Za-z_][\w-]*)/i;

/** The statements of the schema files, in the order given (migration order), down sections blanked. */
export function schemaStatements(files: readonly SchemaFile[]): SchemaStatement[] {
  const out: SchemaStatement[] = [];
  for (const f of files) {
    const text = upSection(f.text);
    for (const s of parseText(text, 'postgresql').statements) out.push({ file: f.path, start: s.range.start, end: s.range.end, sql: text.slice(s.range.start, s.range.end) });
  }
  return out;
}

/** `CREATE EXTENSION` names used by the schema (lower-case). */
export function extensionsOf(stmts: readonly SchemaStatement[]): string[] {
  const names = new Set<string>();
  for (const s of stmts) {
    const m = EXTENSION.exec(s.sql);
    if (m) names.add((m[2] ?? m[1]!).toLowerCase());
  }
  return [...names];
}

/** Identity of a schema: the files in order and their text. */
export function schemaHash(files: readonly SchemaFile[], salt = ''): string {
  const h = createHash('sha256');
  h.update(salt);
  for (const f of files) h.update(`\0${f.path}\0${f.text}`);
  return h.digest('hex').slice(0, 32);
}

export interface SchemaLoadResult {
  problems: SchemaProblem[];
  statements: number;
  applied: number;
  /** Statements PGlite could not run at all (the watchdog stopped it, or it broke the instance), with why: sqlperf's limits, not findings. */
  skipped: Array<{ statement: SchemaStatement; reason: string }>;
}

/**
 * Session state a schema file may leave behind (pg_dump's `set_config('search_path', '', false)`,
 * a `SET ROLE`): reset between files and before the EXPLAINs, as a new connection would start.
 */
export const SESSION_RESET = `RESET ALL; SET ROLE NONE; RESET SESSION AUTHORIZATION; SET search_path TO "$user", public`;

/** A query sqlperf appends to its own statements: PGlite that stopped answering (after a stack overflow, say) returns no row. */
const CANARY = 'SELECT 1 AS sqlperf_ok';

/** Whether the last result of `exec(... ; CANARY)` is the canary's row. */
export function canaryAnswered(results: Array<{ rows: Record<string, unknown>[] }>): boolean {
  return results[results.length - 1]?.rows[0]?.sqlperf_ok === 1;
}

/** PGlite is broken or was stopped: the instance must be replaced. */
export class EngineBroken extends Error {
  override name = 'EngineBroken';
}

/** Runs sqlperf's own statements followed by the canary; EngineBroken when PGlite does not answer. */
export async function execChecked(db: Database, sql: string): Promise<void> {
  if (!canaryAnswered(await db.exec(`${sql}; ${CANARY}`))) throw new EngineBroken('PGlite stopped answering queries');
}

/** Thrown by applySchema when statement `index` stopped or broke PGlite: load again without it. */
class StatementBroke extends Error {
  constructor(readonly index: number, reason: string) {
    super(reason);
  }
}

const COPY = /^\s*COPY\b/i;

/**
 * Applies the schema statements in order inside one transaction per file, each in a savepoint: a
 * statement PostgreSQL rejects is reported once at PostgreSQL's position (mapped to the file) and
 * rolled back, and the rest still loads. Transaction control in the files is skipped (the loader
 * owns the transaction); `COPY` is skipped (data, often from stdin, which a plan on empty tables
 * does not need); `CONCURRENTLY` is ignored (the database is empty); a statement that cannot run in
 * a transaction block runs on its own. Extensions PGlite does not ship are reported and skipped.
 * Statements in `skip` are not sent. Throws StatementBroke when a statement stops or breaks PGlite.
 */
async function applyOnce(db: Database, stmts: readonly SchemaStatement[], skip: ReadonlySet<number>): Promise<Omit<SchemaLoadResult, 'skipped'>> {
  const problems: SchemaProblem[] = [];
  let applied = 0;
  let file: string | undefined;
  let i = -1;
  // our own statements are sent alone: a statement with a syntax error in the same string would make PostgreSQL reject the lot
  const own = async (sql: string) => {
    try {
      await execChecked(db, sql);
    } catch (e) {
      if (!isServerError(e)) throw e;
      // the statement ended our transaction (or left it aborted): start over from a clean one
      await execChecked(db, 'ROLLBACK');
      await execChecked(db, 'BEGIN; SAVEPOINT sqlperf_s');
    }
  };
  try {
    await own('BEGIN; SAVEPOINT sqlperf_s');
    for (i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      if (skip.has(i) || TX_CONTROL.test(s.sql) || COPY.test(s.sql)) continue;
      // migration tools run each file on its own (Prisma, for one, commits as it goes): commit between files
      // and each on a new connection: what a file SETs (pg_dump's empty search_path) does not reach the next
      if (file !== undefined && s.file !== file) await own(`RELEASE SAVEPOINT sqlperf_s; COMMIT; ${SESSION_RESET}; BEGIN; SAVEPOINT sqlperf_s`);
      file = s.file;
      const ext = EXTENSION.exec(s.sql);
      if (ext) {
        const name = (ext[2] ?? ext[1]!).toLowerCase();
        if (!BUILTIN_EXTENSIONS.has(name) && !SHIPPED_EXTENSIONS[name]) {
          problems.push({ ruleId: 'schema-error', messageId: 'extension', severity: 'warn', file: s.file, start: s.start, end: s.end, message: `extension "${name}" is not available in PGlite, so it was skipped; statements that need it cannot be verified` });
          continue;
        }
      }
      const sql = blankWord(s.sql, /\bCONCURRENTLY\b/gi);
      try {
        await db.exec(sql);
        await own('RELEASE SAVEPOINT sqlperf_s; SAVEPOINT sqlperf_s');
        applied++;
        continue;
      } catch (e) {
        if (!isServerError(e)) throw e;
        const err = toPgError(e);
        await own('ROLLBACK TO SAVEPOINT sqlperf_s');
        if (err.code !== '25001' && err.code !== '55P04') {
          problems.push(rejected(s, err));
          continue;
        }
      }
      // cannot run inside a transaction block (ALTER SYSTEM, VACUUM), or uses an enum value added
      // earlier in the same transaction (55P04, which PostgreSQL allows only after a commit): run it on its own
      await own('RELEASE SAVEPOINT sqlperf_s; COMMIT');
      try {
        await db.exec(sql);
        applied++;
      } catch (e) {
        if (!isServerError(e)) throw e;
        problems.push(rejected(s, toPgError(e)));
      }
      await own('BEGIN; SAVEPOINT sqlperf_s');
    }
    await own('RELEASE SAVEPOINT sqlperf_s; COMMIT');
  } catch (e) {
    if (isServerError(e)) throw e;
    throw new StatementBroke(Math.min(i, stmts.length - 1), errorMessage(e));
  }
  return { problems, statements: stmts.length, applied };
}

/** How many statements may stop or break PGlite before the schema is given up on. */
const MAX_BROKEN_STATEMENTS = 5;

/**
 * Loads the schema into a database from `open`. When a statement stops PGlite (the watchdog's time
 * or memory limit) or breaks it (the canary gets no answer), that instance is thrown away, a fresh
 * one is opened (from the saved initialised cluster: the last good state) and the schema is loaded
 * again without that statement, which is listed in `skipped` with the reason. `known`: statements
 * an earlier load skipped (a reload after a restart does not wait for them again).
 */
export async function loadSchema(open: () => Promise<Database>, stmts: readonly SchemaStatement[], known: SchemaLoadResult['skipped'] = []): Promise<{ db: Database; result: SchemaLoadResult }> {
  const skipped = [...known];
  const skip = new Set(known.map((k) => stmts.indexOf(k.statement)));
  for (;;) {
    const db = await open();
    try {
      const r = await applyOnce(db, stmts, skip);
      return { db, result: { ...r, skipped } };
    } catch (e) {
      await db.close().catch(() => undefined);
      if (!(e instanceof StatementBroke) || e.index < 0 || skip.has(e.index) || skip.size >= MAX_BROKEN_STATEMENTS) throw e;
      skip.add(e.index);
      skipped.push({ statement: stmts[e.index]!, reason: e.message });
    }
  }
}

/** Applies the schema to an open database (no restart: a statement that breaks it throws). */
export async function applySchema(db: Database, stmts: readonly SchemaStatement[]): Promise<SchemaLoadResult> {
  return { ...(await applyOnce(db, stmts, new Set())), skipped: [] };
}

function rejected(s: SchemaStatement, err: ReturnType<typeof toPgError>): SchemaProblem {
  let start = s.start;
  let end = s.end;
  if (err.position !== null) {
    const at = pgPositionToOffset(s.sql, err.position);
    if (at >= 0 && at <= s.sql.length) {
      const r = tokenAt(s.sql, at);
      start = s.start + r.start;
      end = s.start + r.end;
    }
  }
  const hint = err.hint ? ` (${err.hint})` : '';
  return { ruleId: 'schema-error', messageId: 'rejected', severity: 'warn', file: s.file, start, end, message: `PostgreSQL rejected this migration statement: ${err.message}${hint}; it was skipped and the rest of the schema still loaded` };
}
