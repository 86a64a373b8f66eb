import path from 'node:path';
import { UsageError } from './errors.js';
import { stdioOf, writeFileSafe, type WriteOptions } from '../verify/cache-write.js';
import { errorMessage } from '../error-message.js';

/** Colours: on for a terminal, off with --no-color, NO_COLOR, or output to a file; FORCE_COLOR forces them. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined, toFile: boolean): boolean {
  if (flag === false || toFile) return false;
  const env = process.env;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY);
}

/** Writes a command's output to stdout or to --output-file (creating its folder). */
export async function emit(text: string, outputFile: string | undefined, cwd: string): Promise<void> {
  if (!outputFile) {
    if (text) process.stdout.write(text);
    return;
  }
  const abs = path.resolve(cwd, outputFile);
  const own = stdioOf(abs);
  if (own) {
    // `-o /dev/stdout`: our own stream, written as without -o (reopening it fails on a socket)
    const stream = own === 1 ? process.stdout : process.stderr;
    if (text) await new Promise<void>((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
    return;
  }
  try {
    await writeAtomic(abs, text);
  } catch (e) {
    throw new UsageError(`cannot write --output-file ${outputFile}: ${errorMessage(e)}`);
  }
}

/**
 * Writes a file so that readers see the old content or the new, never half of it (a temp file in
 * the same folder, then a rename), onto regular files and new paths only; devices and pipes
 * (`-o /dev/stdout`) are written through and symlinks stay symlinks (see writeFileSafe).
 */
export async function writeAtomic(file: string, text: string, options: WriteOptions = {}): Promise<void> {
  writeFileSafe(file, text, options);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
