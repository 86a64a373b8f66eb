/**
 * `sqlperf lint --fix` / `--fix-dry-run` over linted files: apply each file's safe fixes (never its
 * suggestions), lint the new text again, repeat while fixes apply (at most MAX_PASSES, as ESLint
 * does, for fixes that overlapped one applied before), then write the file atomically (--fix) or
 * keep the fixed text in the result's `output` only (--fix-dry-run). The results returned hold
 * what remains, so the exit code follows what is left.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What this module needs of a linted file (the CLI's LintResult, ESLint's shape). */
interface Fixable {
  filePath: string;
  messages: Array<{ fix?: { range: [number, number]; text: string } }>;
}

const MAX_PASSES = 10;

/** Applies ESLint-shaped fixes (non-overlapping, in text order); returns the new text and how many applied. */
export function applyMessageFixes(text: string, messages: Fixable['messages']): { output: string; count: number } {
  const fixes = messages.flatMap((m) => (m.fix ? [m.fix] : [])).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let at = 0;
  let lastEnd = -1;
  let count = 0;
  for (const f of fixes) {
    if (f.range[0] <= lastEnd || f.range[1] > text.length) continue;
    out += text.slice(at, f.range[0]) + f.text;
    at = f.range[1];
    lastEnd = f.range[1];
    count++;
  }
  return { output: out + text.slice(at), count };
}

/** Writes next to the file and renames over it, so a reader never sees half a file; keeps its mode. */
export function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.sqlperf-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: statSync(file).mode });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // not created
    }
    throw e;
  }
}

const BOM = '\ufeff';

export interface FixOutcome<R> {
  result: R & { output?: string };
  /** Fixes applied over all passes. */
  fixed: number;
  /** The text before and after, for a file that changed. */
  change?: { before: string; after: string };
  /** Why a file with fixes was left as it is (not UTF-8 text). */
  skipped?: string;
}

/**
 * Fixes one file. `relint` lints a text as the file's (same config, dialect, schema). Files that are
 * not UTF-8 (UTF-16 with a byte-order mark) are left alone and said so: the linted text would not be
 * written back byte for byte. A UTF-8 byte-order mark is kept.
 */
export async function fixFile<R extends Fixable>(result: R, relint: (text: string) => Promise<R>, write: boolean): Promise<FixOutcome<R>> {
  if (!result.messages.some((m) => m.fix) || result.filePath === '<text>') return { result, fixed: 0 };
  const bytes = readFileSync(result.filePath);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { result, fixed: 0, skipped: 'UTF-16 files are not fixed' };
  const raw = bytes.toString('utf8');
  const bom = raw.startsWith(BOM) ? BOM : '';
  const before = raw.slice(bom.length);
  let text = before;
  // lint what is on disk now: the offsets must be those of this text, even if the file changed since
  let current = await relint(text);
  let fixed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { output, count } = applyMessageFixes(text, current.messages);
    if (!count || output === text) break;
    fixed += count;
    text = output;
    current = await relint(text);
  }
  if (text === before) return { result: current, fixed };
  if (write) writeAtomically(result.filePath, bom + text);
  return { result: { ...current, output: bom + text }, fixed, change: { before, after: text } };
}

/** A short line diff of a fixed file for --fix-dry-run (the changed lines, with their numbers). */
export function describeChange(file: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const lines = [`--- ${file}`, `+++ ${file} (fixed)`, `@@ line ${head + 1} @@`];
  for (const l of a.slice(head, a.length - tail)) lines.push(`-${l}`);
  for (const l of b.slice(head, b.length - tail)) lines.push(`+${l}`);
  return lines.join('\n') + '\n';
}
