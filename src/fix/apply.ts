/**
 * Applying fixes (rules build them as data on a finding: src/rule.ts `Fix`). One function for
 * every front end that writes: the CLI's `--fix`, the tests; ESLint applies its own fixer's edits.
 */
import type { Range } from '../range.js';
import type { Fix, TextEdit } from '../rule.js';

/** The span a fix rewrites: from its first edit's start to its last edit's end. */
export function fixSpan(fix: Fix): Range {
  let start = Infinity;
  let end = -Infinity;
  for (const e of fix.edits) {
    start = Math.min(start, e.range.start);
    end = Math.max(end, e.range.end);
  }
  return { start, end };
}

/** Edits in text order; null when two of them overlap (a rule bug: the fix is not applied). */
function ordered(edits: readonly TextEdit[]): TextEdit[] | null {
  const out = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  for (let i = 1; i < out.length; i++) if (out[i]!.range.start < out[i - 1]!.range.end) return null;
  return out;
}

/**
 * A fix as ESLint's one `{ range, text }`: the span of its edits, with the text between them
 * copied from `text` (a template's `${}` holes between two edits stay as they are).
 */
export function mergeFix(text: string, fix: Fix): { range: [number, number]; text: string } | null {
  const edits = ordered(fix.edits);
  if (!edits?.length) return null;
  const span = fixSpan(fix);
  let out = '';
  let at = span.start;
  for (const e of edits) {
    out += text.slice(at, e.range.start) + e.text;
    at = e.range.end;
  }
  return { range: [span.start, span.end], text: out };
}

export interface Applied {
  output: string;
  /** Fixes applied, in text order. */
  applied: Fix[];
  /** Fixes left out because they overlap one applied before (a next pass may apply them). */
  skipped: Fix[];
}

/**
 * Applies non-overlapping fixes to `text`, first come first served in text order, as ESLint does:
 * a fix overlapping one already taken (or touching it, so two insertions at one place keep their
 * order) waits for the next pass.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): Applied {
  const sorted = fixes
    .map((fix) => ({ fix, span: fixSpan(fix), edits: ordered(fix.edits) }))
    .filter((f) => f.edits?.length && f.span.start >= 0 && f.span.end <= text.length)
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  let out = '';
  let at = 0;
  let lastEnd = -1;
  for (const f of sorted) {
    if (f.span.start <= lastEnd) {
      skipped.push(f.fix);
      continue;
    }
    for (const e of f.edits!) {
      out += text.slice(at, e.range.start) + e.text;
      at = e.range.end;
    }
    lastEnd = f.span.end;
    applied.push(f.fix);
  }
  return { output: out + text.slice(at), applied, skipped };
}
