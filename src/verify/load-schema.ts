import { createHash } from 'node:crypto';
import { parseText } from '../parse/index.js';
import { upSection } from '../schema/load.js';
import type { SchemaFile } from '../schema/types.js';
import { isServerError, SHIPPED_EXTENSIONS, BUILTIN_EXTENSIONS, toPgError, type Database } from './pglite.js';
import { blankWord, pgPositionToOffset, tokenAt } from './text.js';

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
  /** The engine itself failed (not PostgreSQL rejecting a statement): stop using it. */
  crashed: boolean;
}

/**
 * Applies the schema statements in order inside one transaction, each in a savepoint: a statement
 * PostgreSQL rejects is reported once at PostgreSQL's position (mapped to the file) and rolled back,
 * and the rest still loads. Transaction control in the files is skipped (the loader owns the
 * transaction); `CONCURRENTLY` is ignored (the database is empty); a statement that cannot run in a
 * transaction block runs on its own. Extensions PGlite does not ship are reported and skipped.
 */
export async function applySchema(db: Database, stmts: readonly SchemaStatement[]): Promise<SchemaLoadResult> {
  const problems: SchemaProblem[] = [];
  let applied = 0;
  await db.exec('BEGIN');
  let file: string | undefined;
  for (const s of stmts) {
    if (TX_CONTROL.test(s.sql)) continue;
    // migration tools run each file on its own (Prisma, for one, commits as it goes): commit between files
    if (file !== undefined && s.file !== file) await db.exec('COMMIT; BEGIN');
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
    const prefix = 'SAVEPOINT sqlperf_s; ';
    try {
      await db.exec(`${prefix}${sql};\nRELEASE SAVEPOINT sqlperf_s`);
      applied++;
    } catch (e) {
      if (!isServerError(e)) {
        problems.push({ ruleId: 'schema-error', messageId: 'crash', severity: 'warn', file: s.file, start: s.start, end: s.end, message: `PGlite failed while loading this statement (${toPgError(e).message}); the schema was not verified past it` });
        return { problems, statements: stmts.length, applied, crashed: true };
      }
      const err = toPgError(e);
      await db.exec('ROLLBACK TO SAVEPOINT sqlperf_s; RELEASE SAVEPOINT sqlperf_s');
      if (err.code === '25001' || err.code === '55P04') {
        // cannot run inside a transaction block (ALTER SYSTEM, VACUUM), or uses an enum value added
        // earlier in the same transaction (55P04, which PostgreSQL allows only after a commit): run it on its own
        try {
          await db.exec(`COMMIT; ${sql}`);
          applied++;
          await db.exec('BEGIN');
          continue;
        } catch (e2) {
          await db.exec('ROLLBACK; BEGIN').catch(() => undefined);
          problems.push(rejected(s, toPgError(e2), `COMMIT; `));
          continue;
        }
      }
      problems.push(rejected(s, err, prefix));
    }
  }
  await db.exec('COMMIT');
  return { problems, statements: stmts.length, applied, crashed: false };
}

function rejected(s: SchemaStatement, err: ReturnType<typeof toPgError>, prefix: string): SchemaProblem {
  let start = s.start;
  let end = s.end;
  if (err.position !== null) {
    const at = pgPositionToOffset(prefix + s.sql, err.position) - prefix.length;
    if (at >= 0 && at <= s.sql.length) {
      const r = tokenAt(s.sql, at);
      start = s.start + r.start;
      end = s.start + r.end;
    }
  }
  const hint = err.hint ? ` (${err.hint})` : '';
  return { ruleId: 'schema-error', messageId: 'rejected', severity: 'warn', file: s.file, start, end, message: `PostgreSQL rejected this migration statement: ${err.message}${hint}; it was skipped and the rest of the schema still loaded` };
}
