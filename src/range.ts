/** A half-open span of string offsets into the analysed SQL text. The core deals only in offsets; front ends compute line/column. */
export interface Range {
  start: number;
  end: number;
}

export function span(a: Range, b: Range): Range {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function contains(outer: Range, inner: Range): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export interface LineCol {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units like ESLint */
  column: number;
}

/**
 * Line starts of a text, for offset -> line/column conversion, with ESLint's definition of a line
 * break (its `lineBreakPattern`: \r\n, \r, \n, U+2028, U+2029), so the CLI and the plugin give
 * the same line for the same offset.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function toLineCol(starts: number[], offset: number): LineCol {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
