import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lineStarts, toLineCol } from '../range.js';
import type { Diagnostic } from '../rule.js';
import { FILE_ERROR_ID, type LintMessage } from './types.js';

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string };

function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
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
      return err.message;
  }
}

/** Decodes source text: UTF-8 without BOM; a file with NUL bytes is binary and not read as text. */
export function decode(buf: Buffer): ReadOutcome {
  if (buf.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file (it contains NUL bytes)' };
  const text = buf.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

export async function readSource(file: string): Promise<ReadOutcome> {
  return (await readWithBytes(file)).source;
}

/** The file's decoded text and the bytes it came from (for content hashes); no bytes when unreadable. */
export async function readWithBytes(file: string): Promise<{ bytes?: Buffer; source: ReadOutcome }> {
  try {
    const bytes = await readFile(file);
    return { bytes, source: decode(bytes) };
  } catch (e) {
    return { source: { ok: false, reason: fsReason(e) } };
  }
}

/** The content hash the cache keys files by. */
export function contentHash(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('base64url');
}

/** The bytes of a file, read synchronously (the cache check reads thousands of small files: async costs ~5x more); undefined when unreadable. */
export function readBytesSync(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
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
    return { ruleId: d.ruleId, severity: d.severity === 'error' ? 2 : 1, message: d.message, messageId: d.messageId, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  });
}
