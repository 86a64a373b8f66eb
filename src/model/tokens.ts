import type { Token } from '../parse/lexer.js';
import type { Range } from '../range.js';

/**
 * Token look-ups for the model builders: parsers give a start location (or none) and sqlperf
 * needs whole ranges, so ends come from the statement's own tokens.
 */
export class TokenIndex {
  readonly tokens: Token[];
  /** Bracket pairs (see `matching`), found when first asked: many statements never ask. */
  private match: Int32Array | undefined;

  constructor(all: Token[]) {
    // most statements have no comment: then the statement's own list serves (it is never changed)
    let comments = false;
    for (let i = 0; i < all.length && !comments; i++) comments = all[i]!.type === 'comment';
    this.tokens = comments ? all.filter((t) => t.type !== 'comment') : all;
  }

  private matchBrackets(): Int32Array {
    const match = new Int32Array(this.tokens.length).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.type !== 'punct') continue;
      if (t.value === '(' || t.value === '[') stack.push(i);
      else if (t.value === ')' || t.value === ']') {
        const j = stack.pop();
        if (j !== undefined) {
          match[i] = j;
          match[j] = i;
        }
      }
    }
    return match;
  }

  /** Index of the first token ending after `offset` (the token at or after it), or -1. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.tokens.length ? lo : -1;
  }

  /** Index of the last token starting before `offset`, or -1. */
  indexBefore(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  rangeOf(i: number): Range {
    const t = this.tokens[i]!;
    return { start: t.start, end: t.end };
  }

  tokenRangeAt(offset: number): Range {
    const i = this.indexAt(offset);
    return i < 0 ? { start: offset, end: offset } : this.rangeOf(i);
  }

  matching(i: number): number {
    return (this.match ??= this.matchBrackets())[i] ?? -1;
  }

  /** Index of the last token of a dotted name (`a.b."c"`, `t.*`) that starts at token i. */
  dottedEnd(i: number): number {
    let j = i;
    while (j + 2 < this.tokens.length && this.tokens[j + 1]!.value === '.' && this.tokens[j + 1]!.type === 'punct') {
      const n = this.tokens[j + 2]!;
      if (n.type === 'ident' || n.type === 'qident' || n.value === '*') j += 2;
      else break;
    }
    return j;
  }

  /** Range of a dotted name starting at `offset`. */
  nameRange(offset: number): Range {
    const i = this.indexAt(offset);
    if (i < 0) return { start: offset, end: offset };
    return { start: this.tokens[i]!.start, end: this.tokens[this.dottedEnd(i)]!.end };
  }

  /** Range of a call `name(...)` starting at `offset`: the name and its argument list. */
  callRange(offset: number): Range {
    const i = this.indexAt(offset);
    if (i < 0) return { start: offset, end: offset };
    const j = this.dottedEnd(i);
    const open = j + 1;
    if (this.tokens[open]?.value === '(' && this.matching(open) > open) return { start: this.tokens[i]!.start, end: this.tokens[this.matching(open)]!.end };
    return { start: this.tokens[i]!.start, end: this.tokens[j]!.end };
  }

  /**
   * The interior of the innermost bracket pair that encloses [start, end), from the token after
   * `(` to the token before `)`. Used for subqueries, which libpg-query gives no location.
   */
  enclosingParens(r: Range): { inner: Range; open: number; close: number } | undefined {
    let i = this.indexBefore(r.start);
    let depth = 0;
    for (; i >= 0; i--) {
      const t = this.tokens[i]!;
      if (t.type !== 'punct') continue;
      if (t.value === ')') depth++;
      else if (t.value === '(') {
        if (depth === 0) {
          const close = this.matching(i);
          if (close >= 0 && this.tokens[close]!.start >= r.end - 1 && close > i + 1) {
            return { inner: { start: this.tokens[i + 1]!.start, end: this.tokens[close - 1]!.end }, open: i, close };
          }
          return undefined;
        }
        depth--;
      }
    }
    return undefined;
  }

  private words: Map<string, boolean> | undefined;

  /** Whether a token whose upper-cased value is `word` occurs in the statement; answered once per word. */
  hasWord(word: string): boolean {
    this.words ??= new Map();
    let has = this.words.get(word);
    if (has === undefined) {
      // upper-casing never shortens a string: a longer token cannot be the word
      has = this.tokens.some((t) => t.value.length <= word.length && t.value.toUpperCase() === word);
      this.words.set(word, has);
    }
    return has;
  }

  /** The nearest token at or before `offset` whose upper-cased value is one of `words`. */
  keywordBefore(offset: number, words: string[], stopAt = 0): number {
    for (let i = this.indexBefore(offset + 1); i >= 0 && this.tokens[i]!.start >= stopAt; i--) {
      const t = this.tokens[i]!;
      if (t.type === 'ident' && words.includes(t.value.toUpperCase())) return i;
    }
    return -1;
  }
}

/** The words among a statement's first two code tokens (`CREATE INDEX`): the keyword of a statement neither builder models. */
export function leadingWords(tokens: readonly Token[]): string {
  let words = '';
  let seen = 0;
  for (let i = 0; i < tokens.length && seen < 2; i++) {
    const t = tokens[i]!;
    if (t.type === 'comment') continue;
    seen++;
    if (t.type === 'ident') words = words ? `${words} ${t.value.toUpperCase()}` : t.value.toUpperCase();
  }
  return words;
}
