import { lex, type Token } from '../parse/lexer.js';
import type { Range } from '../range.js';

/**
 * PostgreSQL error positions are 1-based and count characters (code points) of the whole command
 * sent; JS strings count UTF-16 units. Returns the 0-based JS offset into `command`.
 */
export function pgPositionToOffset(command: string, position: number): number {
  let chars = 0;
  let i = 0;
  while (i < command.length && chars < position - 1) {
    const c = command.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
    chars++;
  }
  return i;
}

/** The token of `text` that covers `offset` (or the next one), as a range; an empty range at the offset when there is none. */
export function tokenAt(text: string, offset: number, tokens: Token[] = lex(text, 'postgresql')): Range {
  const t = tokens.find((x) => x.type !== 'comment' && x.end > offset);
  if (t && t.start <= offset + 1) return { start: Math.max(t.start, Math.min(offset, t.end)), end: t.end };
  if (t) return { start: offset, end: offset };
  return { start: Math.min(offset, text.length), end: Math.min(offset, text.length) };
}

/**
 * Where an error sits, in a form that survives constants changing length (queries with one
 * fingerprint): the token text and how many equal tokens come before it.
 */
export interface Anchor {
  offset: number;
  token: string;
  nth: number;
}

export function anchorOf(text: string, range: Range): Anchor {
  const token = text.slice(range.start, range.end);
  let nth = 0;
  if (token) for (let i = text.indexOf(token); i !== -1 && i < range.start; i = text.indexOf(token, i + 1)) nth++;
  return { offset: range.start, token, nth };
}

export function resolveAnchor(text: string, a: Anchor): Range {
  if (text.slice(a.offset, a.offset + a.token.length) === a.token) return { start: a.offset, end: a.offset + a.token.length };
  if (a.token) {
    let i = text.indexOf(a.token);
    for (let k = 0; k < a.nth && i !== -1; k++) i = text.indexOf(a.token, i + 1);
    if (i !== -1) return { start: i, end: i + a.token.length };
  }
  const at = Math.min(a.offset, text.length);
  return { start: at, end: at };
}

/** Blanks a word with spaces (same length), so positions after it do not move. */
export function blankWord(text: string, re: RegExp): string {
  return text.replace(re, (m) => ' '.repeat(m.length));
}
