/**
 * DDL inside a PostgreSQL `DO $$ ... $$` block. Migrations wrap DDL in PL/pgSQL to branch on what
 * exists (`IF NOT EXISTS (...) THEN CREATE INDEX ...`), to loop, or to build names; the tables,
 * columns and indexes they create are as real as top-level ones. Each DDL statement of the body
 * (at a statement start, or a constant `EXECUTE '...'`) is read as it would be outside; a branch is
 * taken as run, since a migration's branches exist to make it re-runnable, not to choose a schema.
 */
import { parseText, type PgStatement } from '../parse/index.js';
import { isWord, lex, type Token } from '../parse/lexer.js';
import { arr, obj, readPgDdl, str } from './ddl-pg.js';
import type { DdlAction } from './types.js';

const DDL_VERB = /^(?:CREATE|ALTER|DROP)$/i;
/** Words after which a PL/pgSQL statement starts. */
const OPENS = /^(?:BEGIN|THEN|ELSE|LOOP|DECLARE)$/i;

export function isDoBlock(stmt: PgStatement): boolean {
  return 'DoStmt' in stmt.ast;
}

/** The body's text and its offset in `text`, when the block is PL/pgSQL. */
function body(stmt: PgStatement, text: string): { text: string; start: number } | undefined {
  const opts = arr(obj(stmt.ast.DoStmt)?.args).map((a) => obj(a.DefElem));
  const opt = (name: string) => opts.find((d) => d?.defname === name);
  const lang = opt('language');
  const as = opt('as');
  if ((lang && str(lang.arg).toLowerCase() !== 'plpgsql') || !as || typeof as.location !== 'number') return undefined;
  const value = str(as.arg);
  const start = text.indexOf(value, stmt.pos(as.location));
  return start < 0 ? undefined : { text: value, start };
}

/** The DDL statements of a body: `[start, end)` ranges in the body and, for `EXECUTE '...'`, the string's SQL. */
function ddlPieces(code: string): { start: number; end: number; sql: string }[] {
  const toks = lex(code, 'postgresql').filter((t) => t.type !== 'comment');
  const out: { start: number; end: number; sql: string }[] = [];
  const endOf = (from: number) => {
    let depth = 0;
    for (let k = from; k < toks.length; k++) {
      const v = toks[k]!.type === 'punct' ? toks[k]!.value : '';
      if (v === '(') depth++;
      else if (v === ')') depth--;
      else if (v === ';' && depth <= 0) return k;
    }
    return toks.length;
  };
  for (let i = 0; i < toks.length; i++) {
    const prev: Token | undefined = toks[i - 1];
    const atStart = !prev || (prev.type === 'punct' && prev.value === ';') || (prev.type === 'ident' && OPENS.test(prev.value));
    const t = toks[i]!;
    if (!atStart || t.type !== 'ident') continue;
    const end = endOf(i);
    const s = toks[i + 1];
    if (DDL_VERB.test(t.value)) out.push({ start: t.start, end: toks[end - 1]!.end, sql: code.slice(t.start, toks[end - 1]!.end) });
    // `EXECUTE 'CREATE INDEX ...'`: a constant string only (a concatenation builds a name the file does not say)
    else if (isWord(t, 'EXECUTE') && s?.type === 'string' && end === i + 2) out.push({ start: s.start, end: s.end, sql: s.value });
    // `IF ... THEN CREATE ...`: the statement after THEN starts inside this one
    else continue;
    i = end;
  }
  return out;
}

/** The schema changes the block's DDL makes, with ranges into `text`. */
export function readDoBlock(stmt: PgStatement, text: string): DdlAction[] {
  const b = body(stmt, text);
  if (!b) return [];
  const out: DdlAction[] = [];
  for (const piece of ddlPieces(b.text)) {
    const verbatim = piece.sql === b.text.slice(piece.start, piece.end);
    for (const s of parseText(piece.sql, 'postgresql').statements) {
      if (s.parser !== 'pg') continue;
      for (const a of readPgDdl(s, piece.sql)) {
        // an EXECUTE string's offsets move with its escapes: its findings point at the whole string
        const range = verbatim ? { start: a.range.start + b.start + piece.start, end: a.range.end + b.start + piece.start } : { start: b.start + piece.start, end: b.start + piece.end };
        out.push({ ...a, range });
      }
    }
  }
  return out;
}
