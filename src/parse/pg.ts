import type * as PgQuery from 'libpg-query';

/**
 * libpg-query: PostgreSQL's own parser compiled to WebAssembly. It loads asynchronously once
 * (~50 ms), then parses synchronously, so `analyze` can stay synchronous for ESLint.
 */
let pg: typeof PgQuery | undefined;
let loading: Promise<void> | undefined;

export function loadPg(): Promise<void> {
  loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    pg = m;
  });
  return loading;
}

export function isPgLoaded(): boolean {
  return pg !== undefined;
}

function lib(): typeof PgQuery {
  if (!pg) throw new Error("sqlperf: the PostgreSQL parser is not loaded yet; call `await ready()` (from 'sqlperf') before analysing PostgreSQL");
  return pg;
}

export type PgNode = Record<string, unknown>;
export interface PgRawStmt {
  stmt: PgNode;
  /** byte offset of the first token, omitted when 0 */
  stmt_location?: number;
  stmt_len?: number;
}

/**
 * libpg-query writes its tree recursively in WebAssembly, on the JavaScript stack, so a statement
 * nested thousands of levels deep (a chain of 10,000 `+`) overflows it, at a depth that depends on
 * the thread. Such a statement comes back as this one node, which the model builder reports with
 * the same "too deeply nested" warning as its own fixed limit, so that no thread size changes results.
 */
export const TOO_DEEP_NODE = 'SqlperfTooDeep';

/** `cursor`: where the error is, 0-based in characters (code points), as PostgreSQL counts an error's position; not bytes. */
export type PgParse = { ok: true; stmts: PgRawStmt[] } | { ok: false; message: string; cursor: number | undefined };

export function parsePg(text: string): PgParse {
  const limit = Error.stackTraceLimit;
  // libpg-query reports a syntax error by throwing: only its message and position are read, so no stack is captured
  Error.stackTraceLimit = 0;
  try {
    const res = lib().parseSync(text) as unknown as { stmts?: PgRawStmt[] };
    return { ok: true, stmts: res.stmts ?? [] };
  } catch (e) {
    if (e instanceof RangeError) return { ok: true, stmts: [{ stmt: { [TOO_DEEP_NODE]: {} } }] };
    const err = e as { message?: string; sqlDetails?: { cursorPosition?: number } };
    return { ok: false, message: String(err.message ?? e), cursor: err.sqlDetails?.cursorPosition };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The node of a statement that was checked but whose tree was not built (`validatePg`): a
 * statement no query starts like (CREATE, ALTER, GRANT...) when the caller reads only queries.
 */
export const UNREAD_NODE = 'SqlperfUnread';

/** What libpg-query's fingerprint of a statement that parses looks like (any other text is its error message). */
const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * Checks a statement's syntax without building its tree: libpg-query's fingerprint runs the same
 * parser but returns a short hash, so neither the JSON tree nor its objects are made (about half
 * the cost of `parsePg` on DDL). Its wrapper throws only on messages that start with `syntax
 * error` or `ERROR`; others (`sequence option "restart" not supported here`) come back as the
 * result, so success is a fingerprint's shape, not the absence of an exception. (`normalizeSync`
 * returns the statement itself on success, which such a message cannot be told from.) A statement
 * it rejects goes through `parsePg`, for the error's position and the deep-nesting case.
 */
export function validatePg(text: string): PgParse {
  if (pgAccepts(text)) return { ok: true, stmts: [{ stmt: { [UNREAD_NODE]: {} } }] };
  // the parser's error, read again with its position
  return parsePg(text);
}

/** Whether libpg-query accepts every statement of the text, told by its fingerprint (see `validatePg`). */
export function pgAccepts(text: string): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return FINGERPRINT.test(lib().fingerprintSync(text));
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Same id for the same query shape with any constants; undefined when it does not parse. */
export function fingerprintPg(text: string): string | undefined {
  try {
    return lib().fingerprintSync(text);
  } catch {
    return undefined;
  }
}

/** Maps libpg-query's UTF-8 byte offsets to string (UTF-16) offsets of the same text. */
export function byteToCharMapper(text: string): (byte: number) => number {
  if (/^[\x00-\x7f]*$/.test(text)) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (code >= 0x10000) i++;
  }
  map.push(text.length);
  return (b) => (b < 0 ? 0 : b >= map.length ? text.length : map[b]!);
}
