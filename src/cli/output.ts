import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './errors.js';

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
  try {
    await writeAtomic(abs, text);
  } catch (e) {
    throw new UsageError(`cannot write --output-file ${outputFile}: ${(e as Error).message}`);
  }
}

let tmpCounter = 0;

/**
 * Writes a file so that readers see the old content or the new, never half of it: a temp file
 * in the same folder, then a rename over the target (creating the folder first).
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
