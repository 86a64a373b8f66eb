import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { formatSize, LIMIT_DEFAULTS } from '../limits.js';
import { lineStarts, toLineCol } from '../range.js';
import { mergeFix } from '../fix/apply.js';
import type { Diagnostic } from '../rule.js';
import { FILE_ERROR_ID, type LintMessage } from './types.js';
import { errorCode, errorMessage } from '../error-message.js';

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string; skipped?: true };

function fsReason(e: unknown): string {
  switch (errorCode(e)) {
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOENT':
      return 'no such file (a broken symbolic link?)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return errorMessage(e);
  }
}

/** NUL bytes in the first 8 KB (git's test) make a file binary, unless they are a stray few in valid UTF-8 text. */
const SAMPLE = 8192;
const STRAY_NULS = 8;

/**
 * Decodes source text: UTF-8 (a BOM dropped), or UTF-16 when a BOM says so. A file with NUL bytes
 * is binary and not read, unless it is valid UTF-8 text with a stray NUL or two: those are SQL
 * problems, reported where they are.
 */
export function decode(buf: Buffer): ReadOutcome {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    const body = buf.subarray(2, 2 + ((buf.length - 2) & ~1));
    const text = le ? body.toString('utf16le') : Buffer.from(body).swap16().toString('utf16le');
    return { ok: true, text };
  }
  const sample = buf.subarray(0, SAMPLE);
  if (sample.includes(0)) {
    let nuls = 0;
    for (const b of sample) if (b === 0) nuls++;
    if (nuls > STRAY_NULS || !validUtf8(sample)) return { ok: false, reason: 'binary file (it contains NUL bytes)' };
  }
  const text = buf.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function validUtf8(bytes: Buffer): boolean {
  try {
    // a sample may end inside a character: `stream` lets it
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** What may be read as a source file: regular files (never a FIFO or device, which can block or never end), up to a size. */
function notReadable(st: Stats, maxSize: number): ReadOutcome | undefined {
  if (!st.isFile()) return { ok: false, skipped: true, reason: `not a regular file (${kindOfNode(st)})` };
  const over = overSizeLimit(st.size, maxSize);
  return over ? { ok: false, skipped: true, reason: over } : undefined;
}

/** Why a file of `size` bytes is not read (0: no limit); undefined when it is within the limit. */
export function overSizeLimit(size: number, maxSize: number): string | undefined {
  return maxSize > 0 && size > maxSize ? `${formatSize(size)} is over the ${formatSize(maxSize)} file size limit (limits.maxFileSize, --max-file-size)` : undefined;
}

function kindOfNode(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a file';
}

// O_NONBLOCK: opening a FIFO must not wait for a writer; the descriptor is then checked before any read
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export async function readSource(file: string, maxSize = LIMIT_DEFAULTS.maxFileSize): Promise<ReadOutcome> {
  return (await readWithBytes(file, maxSize)).source;
}

/**
 * The bytes of a regular file within `maxSize` bytes (0: any size), or why it was not read. Read
 * synchronously: the cache check reads thousands of small files (async costs ~5x more), a lint
 * reads a file right before linting it, and node:fs/promises costs a one-file lint more to load
 * than its read takes.
 */
function readRegular(file: string, maxSize: number): { bytes: Buffer } | { failed: ReadOutcome } {
  let fd: number | undefined;
  try {
    fd = openSync(file, OPEN_FLAGS);
    const skip = notReadable(fstatSync(fd), maxSize);
    return skip ? { failed: skip } : { bytes: readFileSync(fd) };
  } catch (e) {
    return { failed: { ok: false, reason: fsReason(e) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's decoded text and the bytes it came from (for content hashes); no bytes when unreadable or skipped. */
export async function readWithBytes(file: string, maxSize = LIMIT_DEFAULTS.maxFileSize): Promise<{ bytes?: Buffer; source: ReadOutcome }> {
  const r = readRegular(file, maxSize);
  return 'bytes' in r ? { bytes: r.bytes, source: decode(r.bytes) } : { source: r.failed };
}

/** The content hash the cache keys files by. */
export function contentHash(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('base64url');
}

/** The bytes of a regular file within `maxSize` bytes; undefined when unreadable or skipped. */
export function readBytesSync(file: string, maxSize = LIMIT_DEFAULTS.maxFileSize): Buffer | undefined {
  const r = readRegular(file, maxSize);
  return 'bytes' in r ? r.bytes : undefined;
}

/** A message about the file itself (ESLint's fatal message shape). */
export function fileError(reason: string): LintMessage {
  return { ruleId: null, severity: 2, message: `File not linted: ${reason}`, messageId: FILE_ERROR_ID, line: 1, column: 1, endLine: 1, endColumn: 1, fatal: true };
}

/** Offsets -> 1-based line/column, endColumn exclusive. */
export function toMessages(text: string, diagnostics: Diagnostic[], starts: number[] = lineStarts(text)): LintMessage[] {
  return diagnostics.map((d) => {
    const s = toLineCol(starts, d.start);
    const e = toLineCol(starts, Math.max(d.end, d.start));
    const fix = d.fix && mergeFix(text, d.fix);
    const fixes = !fix ? {} : d.fix!.safe ? { fix } : { suggestions: [{ desc: d.fix!.description, fix }] };
    return { ruleId: d.ruleId, severity: d.severity === 'error' ? 2 : 1, message: d.message, messageId: d.messageId, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, ...fixes };
  });
}
