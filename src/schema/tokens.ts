import type { Token } from '../parse/lexer.js';
import type { Range } from '../range.js';
import { TokenIndex } from '../model/tokens.js';

/** Token helpers for DDL: parsers give few positions, the statement's tokens give the rest. */
export class DdlTokens {
  readonly idx: TokenIndex;
  constructor(tokens: Token[]) {
    this.idx = new TokenIndex(tokens);
  }
  get list(): Token[] {
    return this.idx.tokens;
  }
  isWord(i: number, word: string): boolean {
    const t = this.list[i];
    return !!t && t.type === 'ident' && t.value.toUpperCase() === word;
  }
  range(i: number, j = i): Range {
    return { start: this.list[i]!.start, end: this.list[j]!.end };
  }

  /** Ranges of each foreign key in source order: `[CONSTRAINT x] FOREIGN KEY (...) REFERENCES t (...)` or a column's `REFERENCES t (...)`. */
  foreignKeyRanges(): Range[] {
    const out: Range[] = [];
    const toks = this.list;
    toks.forEach((_, i) => {
      if (!this.isWord(i, 'REFERENCES')) return;
      let start = i;
      if (toks[i - 1]?.value === ')') {
        const open = this.idx.matching(i - 1);
        if (open > 0 && this.isWord(open - 1, 'KEY') && this.isWord(open - 2, 'FOREIGN')) {
          start = open - 2;
          // MySQL: FOREIGN KEY name (cols)
        } else if (open > 1 && this.isWord(open - 2, 'KEY') && this.isWord(open - 3, 'FOREIGN')) start = open - 3;
        if (this.isWord(start - 2, 'CONSTRAINT')) start -= 2;
        else if (this.isWord(start - 1, 'CONSTRAINT')) start -= 1;
      }
      let end = this.idx.dottedEnd(i + 1);
      if (end < 0) end = i;
      if (toks[end + 1]?.value === '(') {
        const close = this.idx.matching(end + 1);
        if (close > 0) end = close;
      }
      out.push(this.range(start, end));
    });
    return out;
  }

  /** The token that names an object (first ident/qident with this name at or after `from`). */
  nameToken(name: string, from = 0): Range | undefined {
    const i = this.list.findIndex((t, k) => k >= from && (t.type === 'ident' || t.type === 'qident') && t.value.toLowerCase() === name.toLowerCase());
    return i < 0 ? undefined : this.range(i);
  }

  /**
   * Text of an expression that starts at `offset`, up to the `,` or `)` that ends it at its own
   * bracket depth, or to a name after a completed call (`lower(email) text_pattern_ops`).
   */
  exprText(text: string, offset: number): { text: string; range: Range } | undefined {
    const i0 = this.idx.indexAt(offset);
    if (i0 < 0) return undefined;
    let depth = 0;
    let last = i0;
    for (let i = i0; i < this.list.length; i++) {
      const t = this.list[i]!;
      if (t.type === 'punct' && (t.value === '(' || t.value === '[')) depth++;
      else if (t.type === 'punct' && (t.value === ')' || t.value === ']')) {
        if (depth === 0) break;
        depth--;
        last = i;
        const next = this.list[i + 1];
        if (depth === 0 && next && (next.type === 'ident' || next.type === 'qident')) break;
        continue;
      } else if (depth === 0 && t.type === 'punct' && t.value === ',') break;
      else if (depth === 0 && t.type === 'ident' && /^(ASC|DESC|NULLS|COLLATE)$/i.test(t.value) && i > i0) break;
      last = i;
    }
    const range = this.range(i0, last);
    return { text: text.slice(range.start, range.end), range };
  }
}

/** Expression text compared across index definitions and queries: case, spaces, quotes and outer brackets do not matter. */
export function normalizeExpr(s: string): string {
  let x = s
    .toLowerCase()
    .replace(/["`]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),.=<>!+\-*/|:[\]])\s*/g, '$1')
    .trim();
  while (x.startsWith('(') && x.endsWith(')') && balanced(x.slice(1, -1))) x = x.slice(1, -1);
  return x;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}
