/**
 * The lexical state (code, quoted, comment) at the end of the SQL before a hole: whether a hole
 * stands in SQL code or inside a string, and which quote is open.
 */

export type LexState = { state: 'code' | 'quoted' | 'block-comment' | 'line-comment'; quote?: string };

/** How far a scan may look past a position (a `$tag$` is read from at most 64 characters). */
const LOOKAHEAD = 65;

/**
 * The state at the end of `text`, scanning from `from` (a point where the scan is in code), and the
 * last point where it was in code with every decision before it made on enough text: a scan of a
 * longer text with the same prefix may start there.
 */
function scanFrom(text: string, from: number): { at: LexState; resume: number } {
  let i = from;
  let resume = from;
  const n = text.length;
  const done = (at: LexState) => ({ at, resume });
  while (i < n) {
    if (i + LOOKAHEAD <= n) resume = i;
    const c = text.charAt(i);
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return done({ state: 'line-comment' });
      i = nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return done({ state: 'block-comment' });
      i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const close = closingQuote(text, i);
      if (close < 0) return done({ state: 'quoted', quote: c });
      i = close + 1;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_]\w*)?\$/.exec(text.slice(i, i + 64));
      if (m && !/\w/.test(text[i - 1] ?? '')) {
        const close = text.indexOf(m[0], i + m[0].length);
        if (close < 0) return done({ state: 'quoted', quote: m[0] });
        i = close + m[0].length;
      } else i++;
    } else i++;
  }
  return done({ state: 'code' });
}

/** Where the quote at i (`'`, `"` or a backtick) closes, a doubled quote inside; -1 when it does not. */
function closingQuote(text: string, i: number): number {
  const c = text[i];
  const backslash = c === "'" && (text[i - 1] === 'E' || text[i - 1] === 'e');
  let j = i + 1;
  for (;;) {
    if (j >= text.length) return -1;
    if (backslash && text[j] === '\\') j += 2;
    else if (text[j] === c) {
      if (text[j + 1] !== c) return j;
      j += 2;
    } else j++;
  }
}

/**
 * The lexical state at the end of a text that only grows (the SQL before each hole): each call
 * resumes where the last one was safely in code, so n holes cost O(length), not O(n × length).
 */
export class PrefixScanner {
  private resume = 0;
  private seen = 0;

  stateOf(text: string): LexState {
    if (text.length < this.seen) this.resume = 0;
    const r = scanFrom(text, this.resume);
    this.resume = r.resume;
    this.seen = text.length;
    return r.at;
  }
}
