import type { Dialect } from '../dialect.js';
import { lex } from '../parse/lexer.js';
import type { FillChain } from './hole-shapes.js';
import type { Piece } from './pieces.js';

/** knex `?`/`??`, `:name` and `{{name}}` placeholders in the text itself, made holes for a second round of fills. */

/** The piece a character of the flat text comes from, and its offset in that piece. */
interface Owner {
  piece: Piece;
  at: number;
}

/** A stretch of the flat text that becomes one hole. */
interface Cut {
  start: number;
  end: number;
  chain: FillChain;
}

/** Splits text pieces at knex `?`/`??`, `:name` and `{{name}}` placeholders, turning them into holes. */
export function placeholderHoles(pieces: Piece[], dialect: Dialect): Piece[] | undefined {
  const questionIsParam = dialect !== 'mysql' && dialect !== 'mariadb' && dialect !== 'sqlite';
  const unescaped = questionIsParam ? unescapeQuestionMarks(pieces) : { pieces, escapedIn: new Map<number, number[]>() };
  const flat = flatten(unescaped.pieces, unescaped.escapedIn);
  const cuts = placeholderCuts(flat.text, flat.escaped, dialect, questionIsParam);
  if (!cuts.length) return unescaped.escapedIn.size ? unescaped.pieces : undefined;
  return splitAtCuts(flat.text, flat.owner, cuts);
}

/**
 * knex's escaped question mark `\?` is a literal `?` (PostgreSQL's jsonb operators `?`, `@?`):
 * sent as `?` followed by a space, same length, and never a placeholder. `escapedIn`: piece index ->
 * offsets of the escaped marks in its text.
 */
function unescapeQuestionMarks(pieces: Piece[]): { pieces: Piece[]; escapedIn: Map<number, number[]> } {
  const escapedIn = new Map<number, number[]>();
  const out = pieces.map((p, pi): Piece => {
    if (p.kind !== 'text' || !p.cooked.text.includes('\\?')) return p;
    const at: number[] = [];
    const text = p.cooked.text.replace(/\\\?/g, (_m, k: number) => {
      at.push(k);
      return '? ';
    });
    escapedIn.set(pi, at);
    return { ...p, cooked: { ...p.cooked, text } };
  });
  return { pieces: out, escapedIn };
}

/** The text with template holes blanked, to lex it as a whole; the owner of each character; the offsets of escaped marks in it. */
function flatten(pieces: Piece[], escapedIn: Map<number, number[]>): { text: string; owner: Owner[]; escaped: Set<number> } {
  const escaped = new Set<number>();
  let text = '';
  const owner: Owner[] = [];
  pieces.forEach((p, pi) => {
    for (const k of escapedIn.get(pi) ?? []) escaped.add(text.length + k);
    const s = p.kind === 'text' ? p.cooked.text : p.kind === 'synthetic' ? p.text : ' ';
    for (let k = 0; k < s.length; k++) owner.push({ piece: p, at: k });
    text += s;
  });
  return { text, owner, escaped };
}

/** The placeholders of the flat text, each with the fills to try. */
function placeholderCuts(flat: string, escaped: Set<number>, dialect: Dialect, questionIsParam: boolean): Cut[] {
  const tokens = lex(flat, dialect);
  const cuts: Cut[] = [];
  for (const [t, tok] of tokens.entries()) {
    if (escaped.has(tok.end - 1)) continue;
    if (tok.type === 'param' && tok.value === '??') cuts.push({ start: tok.start, end: tok.end, chain: ['identifier', 'value', 'empty'] });
    else if (tok.type === 'param' && tok.value === '?' && questionIsParam) cuts.push({ start: tok.start, end: tok.end, chain: ['value', 'identifier', 'empty'] });
    // knex binds every `?`, also one glued to an operator (`id=?`, `data->>?`); `@?` is PostgreSQL's own
    else if (tok.type === 'op' && questionIsParam && tok.value.length > 1 && tok.value.endsWith('?') && tok.value !== '@?' && !tok.value.endsWith('??')) cuts.push({ start: tok.end - 1, end: tok.end, chain: ['value', 'identifier', 'empty'] });
    else if (tok.type === 'param' && tok.value.startsWith(':') && dialect === 'postgresql') cuts.push({ start: tok.start, end: tok.end, chain: ['value', 'identifier', 'empty'] });
    else if (tok.type === 'punct' && tok.value === '{' && tokens[t + 1]?.value === '{' && tokens[t + 1]?.start === tok.end) {
      // `{{name}}`, `{{name::type}}`, and `{{${i}}}` (a template hole inside the braces, blanked to a space here)
      const m = /^\{\{\s*(?:[\w.]+)?(?:\s*::\s*[\w.]+(?:\[\])?)?\s*\}\}/.exec(flat.slice(tok.start));
      if (m) cuts.push({ start: tok.start, end: tok.start + m[0].length, chain: ['value', 'identifier', 'empty'] });
    }
  }
  return cuts;
}

/** The pieces again, with each cut made one hole. */
function splitAtCuts(flat: string, owner: Owner[], cuts: Cut[]): Piece[] {
  const out: Piece[] = [];
  let cursor = 0;
  const pushText = (from: number, to: number) => {
    // flat [from, to) may span several pieces: copy each text run
    let k = from;
    while (k < to) {
      // to <= flat.length: every character has an owner
      const o = owner[k];
      if (!o) break;
      const p = o.piece;
      if (p.kind === 'hole') {
        out.push(p);
        k++;
        continue;
      }
      if (p.kind === 'synthetic') {
        out.push(p);
        k += p.text.length - o.at;
        continue;
      }
      const take = Math.min(to - k, p.cooked.text.length - o.at);
      out.push({ kind: 'text', cooked: { text: p.cooked.text.slice(o.at, o.at + take), starts: p.cooked.starts.slice(o.at, o.at + take), ends: p.cooked.ends.slice(o.at, o.at + take) } });
      k += take;
    }
  };
  const hostAt = (k: number, side: 'start' | 'end'): number | undefined => {
    const o = owner[k];
    if (!o) return undefined;
    const p = o.piece;
    if (p.kind === 'hole') return p.hole.host[side];
    if (p.kind === 'synthetic') return undefined;
    return side === 'start' ? p.cooked.starts[o.at] : p.cooked.ends[o.at];
  };
  for (const c of cuts) {
    // a cut covers text, or text around template holes (`{{${i}}}`): it becomes one hole
    const start = hostAt(c.start, 'start');
    const end = hostAt(c.end - 1, 'end');
    if (start === undefined || end === undefined || c.start < cursor) continue;
    pushText(cursor, c.start);
    out.push({ kind: 'hole', hole: { host: { start, end }, origin: 'placeholder', chain: c.chain } });
    cursor = c.end;
  }
  pushText(cursor, flat.length);
  return out;
}
