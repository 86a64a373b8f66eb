import { fstatSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { errorCode, errorMessage } from '../error-message.js';

/**
 * Writing the files sqlperf owns (the lint and verify caches, --output-file) without harming what
 * a path already names:
 * - a regular file, or a new path, is written atomically: a temp file beside it, then a rename;
 * - a symlink to a regular file: its target is replaced the same way, the link stays a link;
 * - a character device, FIFO or socket (`-o /dev/stdout`, `/dev/null`) is written through, never
 *   replaced by the rename (callers that must not block on a FIFO pass `pipes: 'refuse'`);
 * - missing folders are created one level at a time from the nearest one that exists, so a path
 *   that cannot exist (`/proc/nope/out.json`) fails at once instead of looping.
 */
export class WriteError extends Error {}

export interface WriteOptions {
  /** What to do with a FIFO or socket: write through (default) or refuse (a cache must not block the run). */
  pipes?: 'write' | 'refuse';
}

function statOrUndefined(file: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(file) : lstatSync(file);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Creates `dir` and its missing parents, each with a plain mkdir: bounded by the number of path components. */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    const st = statOrUndefined(d, true);
    if (st) {
      if (!st.isDirectory()) throw new WriteError(`${d} is not a folder`);
      break;
    }
    missing.push(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if (errorCode(e) === 'EEXIST' && statOrUndefined(m, true)?.isDirectory()) continue;
      throw new WriteError(`cannot create the folder ${m}: ${errorCode(e) ?? errorMessage(e)}`);
    }
  }
}

/**
 * 1 or 2 when `file` is this process's own stdout or stderr (`/dev/stdout`, `/proc/self/fd/1`, or
 * the terminal, pipe or file they are): the caller writes to the stream, since opening the path
 * again fails on a socket (ENXIO), and a rename would replace a file opened for appending (`>> log`).
 */
export function stdioOf(file: string): 1 | 2 | undefined {
  const target = statOrUndefined(file, true);
  if (!target || target.isDirectory()) return undefined;
  for (const fd of [1, 2] as const) {
    try {
      const s = fstatSync(fd);
      if (s.dev === target.dev && s.ino === target.ino) return fd;
    } catch {
      // that stream is closed
    }
  }
  return undefined;
}

let tmpCounter = 0;

/** Writes `text` to `file` as described above; throws WriteError (or the system error) on failure. */
export function writeFileSafe(file: string, text: string | Uint8Array, options: WriteOptions = {}): void {
  const dest = atomicTarget(file, options);
  if (dest === undefined) {
    // a device or a pipe: write through; renaming over it would replace /dev/stdout with a file
    writeFileSync(file, text);
    return;
  }
  const tmp = tempBeside(dest);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a regular file atomically through `write`, which creates the temp file it is given (it
 * must not exist yet) and may be asynchronous (a worker writing it); then the rename. The target
 * rules are writeFileSafe's, except that a path naming anything but a regular file is refused.
 */
export async function writeFileAtomic(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const dest = atomicTarget(file, { pipes: 'refuse' });
  if (dest === undefined) throw new WriteError(`${file} is not a regular file`);
  const tmp = tempBeside(dest);
  try {
    await write(tmp);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The file to replace by a rename (a symlink's target), its folders made; undefined for a device or pipe to write through. */
function atomicTarget(file: string, options: WriteOptions): string | undefined {
  const target = statOrUndefined(file, true);
  if (target?.isDirectory()) throw new WriteError(`${file} is a folder`);
  if (target && !target.isFile()) {
    if ((target.isFIFO() || target.isSocket()) && options.pipes === 'refuse') throw new WriteError(`${file} is a FIFO or socket, not a regular file`);
    return undefined;
  }
  let dest = path.resolve(file);
  if (target) dest = realpathSync(dest); // a symlink to a regular file: replace the target, keep the link
  else if (statOrUndefined(file, false)?.isSymbolicLink()) throw new WriteError(`${file} is a symlink to nothing`);
  makeFolders(path.dirname(dest));
  return dest;
}

function tempBeside(dest: string): string {
  return `${dest}.${process.pid}.${++tmpCounter}.tmp`;
}
