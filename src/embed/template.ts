/**
 * A SQL site in host code -> SQL text the parsers accept, plus a map back to host offsets.
 *
 * The text is built from the host SOURCE (not `quasi.value.raw`/`cooked`, which typescript-estree
 * and ESLint may normalise): escapes are cooked (`\n`, `\\`, `\``, `\u{..}`, line continuations)
 * and every SQL character remembers the host range it came from, so CRLF files, escapes and
 * multi-line templates map exactly. Each `${}` hole is filled with a placeholder chosen from the
 * token before it (a value `$n`/`:pN`, an identifier `__sqlperf_pN`, or nothing for a fragment);
 * on a parse error near a hole that hole is retried down the chain value -> identifier -> nothing.
 * If that is not enough, knex `?`/`??`, `:name` and `{{name}}` placeholders in the text itself
 * become holes too. A diagnostic that touches a placeholder maps to the whole `${expr}`.
 */
import type { Dialect } from '../dialect.js';
import { parseText } from '../parse/index.js';
import { lex } from '../parse/lexer.js';
import type { Range } from '../range.js';
import { dottedName, literalSite, type FragmentClause, type HostHole, type SqlSite } from './detect.js';
import type { AstNode } from './estree.js';
import { holeExpression, templateHoleExprs } from './host-code.js';
import { HOLE_EXPRS } from './variables.js';

/** One placeholder in the SQL text and where it came from. */
export interface HoleFill {
  /** Range of the placeholder in the SQL text. */
  sql: Range;
  /** Range of the `${expr}` (or knex `?`, `:name`...) in the host. */
  host: Range;
  /** What the placeholder stands for in the final text. */
  as: FillKind;
  origin: 'template' | 'placeholder';
}

/**
 * value `$n`; list `($n)` (`IN ${ids}`, `VALUES ${rows}`); identifier `__sqlperf_pN`; text (inside
 * quotes); empty; assignment `__sqlperf_pN = $n` (a whole `SET` list); statement `SELECT $n` (a
 * subquery or UNION branch); cte `__sqlperf_pN AS (SELECT 1)` (a whole CTE list); number `N` (the
 * digits of `$${i}`); operator `=` (`a ${op} ?`); join: nothing (between `'a' + 'b'`).
 */
export type FillKind = 'value' | 'list' | 'identifier' | 'text' | 'empty' | 'assignment' | 'statement' | 'cte' | 'number' | 'operator' | 'join';

/** A run of SQL text that maps 1:1 onto host text: `sqlStart..sqlEnd` comes from `hostStart..`. */
export interface Segment {
  sqlStart: number;
  sqlEnd: number;
  hostStart: number;
}

export interface EmbeddedSql {
  sql: string;
  holes: HoleFill[];
  /** Runs of SQL that map 1:1 onto the host (placeholders and cooked escapes are not in a run). */
  segments: Segment[];
  /** Every statement parsed with the chosen fills. */
  parsed: boolean;
  /** How many parse attempts it took (1 = the first fill worked). */
  attempts: number;
  /** Maps a range of the SQL text to host offsets; a range touching a placeholder covers the whole hole. */
  toHost(range: Range): Range;
  /** Ranges of SQL text that sqlperf added (a knex fragment's wrapper, a missing main statement): findings there are not the host's. */
  synthetic: Range[];
}

// ---------------------------------------------------------------- cooking

interface Cooked {
  text: string;
  /** host offset where SQL char i starts, and where it ends */
  starts: number[];
  ends: number[];
}

/** Cooks the JS escapes of a literal's source text; every output char keeps its host range. */
export function cook(code: string, start: number, end: number, template: boolean): Cooked {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, from: number, to: number) => {
    for (let k = 0; k < s.length; k++) {
      starts.push(from);
      ends.push(to);
    }
    text += s;
  };
  let i = start;
  while (i < end) {
    const c = code.charAt(i);
    if (c !== '\\' || i + 1 >= end) {
      emit(c, i, i + 1);
      i++;
      continue;
    }
    const d = code.charAt(i + 1);
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
    const escaped = simple[d];
    if (escaped !== undefined) {
      emit(escaped, i, i + 2);
      i += 2;
    } else if (d === '\r') {
      i += code[i + 2] === '\n' ? 3 : 2; // line continuation
    } else if (d === '\n' || d === '\u2028' || d === '\u2029') {
      i += 2;
    } else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(code.slice(i + 2, i + 4))) {
      emit(String.fromCharCode(parseInt(code.slice(i + 2, i + 4), 16)), i, i + 4);
      i += 4;
    } else if (d === 'u' && code[i + 2] === '{') {
      const close = code.indexOf('}', i + 3);
      const cp = close > 0 && close < end ? parseInt(code.slice(i + 3, close), 16) : NaN;
      if (Number.isFinite(cp) && cp <= 0x10ffff) {
        emit(String.fromCodePoint(cp), i, close + 1);
        i = close + 1;
      } else {
        emit(d, i, i + 2);
        i += 2;
      }
    } else if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(code.slice(i + 2, i + 6))) {
      emit(String.fromCharCode(parseInt(code.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else if (d === '0' && !/[0-9]/.test(code[i + 2] ?? '')) {
      emit('\0', i, i + 2);
      i += 2;
    } else {
      // \\ \' \" \` \$ \{ and any other character stand for themselves
      emit(d, i, i + 2);
      i += 2;
    }
  }
  void template;
  return { text, starts, ends };
}

// ---------------------------------------------------------------- holes

interface Hole {
  host: Range;
  origin: HoleFill['origin'];
  /** Fills to try, in order. */
  chain: FillKind[];
}

type Piece = { kind: 'text'; cooked: Cooked } | { kind: 'hole'; hole: Hole } | { kind: 'synthetic'; text: string; at: number };

const IDENT_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'ONLY', 'AS', 'EXISTS', 'TRUNCATE', 'USING']);

type LexState = { state: 'code' | 'quoted' | 'block-comment' | 'line-comment'; quote?: string };

/** The lexical state at the end of a SQL prefix, and the quote that is open (`'`, `"`, `` ` ``, `$$`) when quoted. */
export function scanState(text: string): LexState {
  return scanFrom(text, 0).at;
}

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
      const backslash = c === "'" && (text[i - 1] === 'E' || text[i - 1] === 'e');
      let j = i + 1;
      for (;;) {
        if (j >= n) return done({ state: 'quoted', quote: c });
        if (backslash && text[j] === '\\') j += 2;
        else if (text[j] === c) {
          if (text[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
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

/** The last token of a text, upper-cased: a word, or one character that is not a space. */
function lastToken(text: string): string {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text.charAt(i))) i--;
  if (i < 0) return '';
  if (!/[A-Za-z_]/.test(text.charAt(i))) return text.charAt(i);
  let j = i;
  while (j > 0 && /[A-Za-z_]/.test(text.charAt(j - 1))) j--;
  return text.slice(j, i + 1).toUpperCase();
}

/** Chooses the fill chain of a template hole from the SQL before and after it. */
function chainFor(before: string, after: string, state: LexState['state']): FillKind[] {
  if (state !== 'code') return ['text'];
  // `$${i + 1}`: the code builds a positional parameter; the hole is its number
  if (before.endsWith('$')) return ['number', 'value', 'identifier', 'empty'];
  // glued to a name (`data${suffix}`, `${prefix}_events`): a piece of an identifier
  if (/[A-Za-z_0-9]/.test(before.at(-1) ?? '') || /^[A-Za-z_0-9]/.test(after)) return ['identifier', 'empty', 'value'];
  // the text before grows with every hole: only its end is read, never the whole of it
  const prev = lastToken(before);
  const rest = after.trimStart();
  const next = rest[0] ?? '';
  if (prev === '.' || next === '.' || IDENT_BEFORE.has(prev)) return ['identifier', 'value', 'empty'];
  if (prev === 'IN' && next !== '(') return ['list', 'identifier', 'empty'];
  if (prev === 'VALUES' && next !== '(') return ['list', 'value', 'identifier', 'empty'];
  if (prev === 'SET') return next === '=' ? ['identifier', 'assignment', 'empty'] : ['assignment', 'identifier', 'value', 'empty'];
  if (prev === 'WITH' || prev === 'RECURSIVE') return ['cte', 'identifier', 'empty'];
  if (prev === 'UNION' || prev === 'ALL' || prev === 'EXCEPT' || prev === 'INTERSECT') return ['statement', 'value', 'identifier', 'empty'];
  if (prev === '') return ['empty', 'identifier', 'value', 'statement'];
  if (prev === '(') return ['value', 'identifier', 'empty', 'statement'];
  if (prev === ',') return ['value', 'identifier', 'empty', 'assignment', 'cte'];
  // `WITH base AS (...) ${mainQuery}`: the main statement after a CTE list
  if (prev === ')' && /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*with\b/i.test(before)) return ['value', 'identifier', 'empty', 'operator', 'statement'];
  return ['value', 'identifier', 'empty', 'operator'];
}

function fillText(kind: FillKind, n: number, dialect: Dialect): string {
  const value = dialect === 'postgresql' ? `$${n}` : `:p${n}`;
  switch (kind) {
    case 'value':
      return value;
    case 'list':
      return `(${value})`;
    case 'identifier':
    case 'text':
      return `__sqlperf_p${n}`;
    case 'empty':
      return ' ';
    case 'assignment':
      return `__sqlperf_p${n} = ${value}`;
    case 'statement':
      return `SELECT ${value}`;
    case 'cte':
      return `__sqlperf_p${n} AS (SELECT 1)`;
    case 'number':
      return String(n);
    case 'operator':
      return '=';
    case 'join':
      return '';
  }
}

/** Splits text pieces at knex `?`/`??`, `:name` and `{{name}}` placeholders, turning them into holes. */
function placeholderHoles(pieces: Piece[], dialect: Dialect): Piece[] | undefined {
  const questionIsParam = dialect !== 'mysql' && dialect !== 'mariadb' && dialect !== 'sqlite';
  // knex's escaped question mark `\?` is a literal `?` (PostgreSQL's jsonb operators `?`, `@?`):
  // sent as `?` followed by a space, same length, and never a placeholder
  const escapedIn = new Map<number, number[]>();
  if (questionIsParam) {
    pieces = pieces.map((p, pi) => {
      if (p.kind !== 'text' || !p.cooked.text.includes('\\?')) return p;
      const at: number[] = [];
      const text = p.cooked.text.replace(/\\\?/g, (_m, k: number) => {
        at.push(k);
        return '? ';
      });
      escapedIn.set(pi, at);
      return { ...p, cooked: { ...p.cooked, text } };
    });
  }
  const escaped = new Set<number>();
  // the text with template holes blanked, to lex it as a whole
  let flat = '';
  const owner: Array<{ piece: number; at: number }> = [];
  pieces.forEach((p, pi) => {
    for (const k of escapedIn.get(pi) ?? []) escaped.add(flat.length + k);
    const s = p.kind === 'text' ? p.cooked.text : p.kind === 'synthetic' ? p.text : ' ';
    for (let k = 0; k < s.length; k++) owner.push({ piece: pi, at: k });
    flat += s;
  });
  const tokens = lex(flat, dialect);
  const cuts: Array<{ start: number; end: number; chain: FillKind[] }> = [];
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
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
  if (!cuts.length) return escapedIn.size ? pieces : undefined;
  const out: Piece[] = [];
  let cursor = 0;
  const pushText = (from: number, to: number) => {
    // flat [from, to) may span several pieces: copy each text run
    let k = from;
    while (k < to) {
      const o = owner[k]!;
      const p = pieces[o.piece]!;
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
    const o = owner[k]!;
    const p = pieces[o.piece]!;
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

// ---------------------------------------------------------------- building and retrying

interface Built {
  sql: string;
  starts: number[];
  ends: number[];
  holes: HoleFill[];
  synthetic: Range[];
}

function build(pieces: Piece[], choice: number[], dialect: Dialect, firstParam: number): Built {
  let sql = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const holes: HoleFill[] = [];
  const synthetic: Range[] = [];
  let h = 0;
  for (const p of pieces) {
    if (p.kind === 'synthetic') {
      synthetic.push({ start: sql.length, end: sql.length + p.text.length });
      sql += p.text;
      for (let k = 0; k < p.text.length; k++) {
        starts.push(p.at);
        ends.push(p.at);
      }
      continue;
    }
    if (p.kind === 'text') {
      sql += p.cooked.text;
      for (let k = 0; k < p.cooked.text.length; k++) {
        starts.push(p.cooked.starts[k]!);
        ends.push(p.cooked.ends[k]!);
      }
      continue;
    }
    const kind = p.hole.chain[choice[h]!]!;
    const text = fillText(kind, firstParam + h, dialect);
    const at = sql.length;
    sql += text;
    for (let k = 0; k < text.length; k++) {
      starts.push(p.hole.host.start);
      ends.push(p.hole.host.end);
    }
    holes.push({ sql: { start: at, end: sql.length }, host: p.hole.host, as: kind, origin: p.hole.origin });
    h++;
  }
  return { sql, starts, ends, holes, synthetic };
}

interface Failure {
  stmt: Range;
  error: Range;
  /** It parsed, but a fill was read as a typed literal: closer to success than any syntax error. */
  typed?: true;
}

function failures(sql: string, dialect: Dialect): Failure[] {
  let parsed;
  try {
    parsed = parseText(sql, dialect);
  } catch {
    return [{ stmt: { start: 0, end: sql.length }, error: { start: 0, end: sql.length } }];
  }
  return parsed.statements.flatMap((s) => (s.parser === 'none' && s.error.kind !== 'limit' ? [{ stmt: s.range, error: s.error.range }] : []));
}


interface Attempt {
  built: Built;
  failed: number;
  attempts: number;
}

/**
 * A placeholder name right before a value parses as a typed literal (`__sqlperf_p1 $2` reads as a
 * cast of `$2` to a type named `__sqlperf_p1`, `__sqlperf_p1 'x'` as a constant of that type):
 * it parsed, but not as the code means it, so it counts as a failed fill.
 */
function typedLiterals(b: Built): Failure[] {
  const out: Failure[] = [];
  for (const h of b.holes) {
    if (h.as === 'identifier') {
      if (/^\s+(?:\$\d|:p\d|')/.test(b.sql.slice(h.sql.end, h.sql.end + 12))) out.push({ stmt: { start: 0, end: b.sql.length }, error: h.sql, typed: true });
    } else if (h.as === 'value' && h.origin === 'template') {
      // `n.nspowner = u.oid ${cond}`: `u.oid $1` reads as CAST($1 AS u.oid) and the predicate is lost
      const m = /(?:^|[^\w$."])((?:(?:"[^"]+"|[A-Za-z_][\w$]*)\.)*(?:"[^"]+"|[A-Za-z_][\w$]*))\s+$/.exec(b.sql.slice(Math.max(0, h.sql.start - 80), h.sql.start));
      const name = m?.[1];
      if (name !== undefined && (name.includes('.') || !VALUE_AFTER.has(name.toUpperCase()))) out.push({ stmt: { start: 0, end: b.sql.length }, error: h.sql, typed: true });
    }
  }
  // the first one only: a text that parses with one misread fill is closer than any syntax error, and fixing them left to right is progress
  return out.slice(0, 1);
}

/** Words after which a value stands (`LIMIT $1`, `THEN $1`, `INTERVAL $1`): a value hole there is not a typed literal by mistake. */
const VALUE_AFTER = new Set(
  'SELECT WHERE AND OR NOT ON LIMIT OFFSET THEN ELSE WHEN CASE IN IS LIKE ILIKE BETWEEN VALUES SET RETURNING DISTINCT ALL ANY SOME EXISTS HAVING INTERVAL DATE TIME TIMESTAMP TIMESTAMPTZ FETCH FIRST NEXT ESCAPE SIMILAR TO RETURN USING DEFAULT ARRAY ROW BY AS FROM INTO WITH ONLY TOP ZONE UNION EXCEPT INTERSECT DO OVERLAPS COLLATE MATCH AGAINST REGEXP RLIKE GLOB DIV MOD XOR LEADING TRAILING BOTH FOR OVER ROWS RANGE PRECEDING FOLLOWING UNBOUNDED EXECUTE CALL PERFORM RAISE NOTICE JSON JSONB UUID TEXT BOOLEAN INTEGER BIGINT NUMERIC REAL'.split(' '),
);

function failuresOf(b: Built, dialect: Dialect): Failure[] {
  const f = failures(b.sql, dialect);
  return f.length ? f : typedLiterals(b);
}

/** How far a fill got: no failure is best, then fewer failures, then a later first error. */
function progress(fails: Failure[]): [number, number] {
  const [first] = fails;
  return first ? [fails.length, first.typed ? -1e9 - first.error.start : -first.error.start] : [0, 0];
}

function better(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Ranks the holes a parse error may come from: the one at the error, then the nearest before it, then after. */
function suspects(holes: HoleFill[], f: Failure, canAdvance: (i: number) => boolean): number[] {
  const scored: Array<[number, number]> = [];
  holes.forEach((h, i) => {
    if (!canAdvance(i)) return;
    if (h.sql.end < f.stmt.start - 1 || h.sql.start > f.stmt.end + 1) return;
    let score: number;
    if (h.sql.start <= f.error.end && h.sql.end >= f.error.start) score = 0;
    else if (h.sql.end <= f.error.start) score = f.error.start - h.sql.end;
    else score = 1e6 + (h.sql.start - f.error.end);
    scored.push([score, i]);
  });
  return scored.sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

/**
 * Fills every hole with the first shape of its chain, then, while a statement fails, changes the
 * fill of a hole near the error: the first change (among the 3 nearest holes, each down its chain)
 * that moves the error later or removes it is kept; when none does, the nearest hole moves on one
 * step. Bounded by a parse budget.
 */
function fillAndRetry(pieces: Piece[], dialect: Dialect, firstParam: number): { best: Attempt; first: Attempt } {
  const holes = pieces.filter((p): p is { kind: 'hole'; hole: Hole } => p.kind === 'hole').map((p) => p.hole);
  const choice = holes.map(() => 0);
  let built = build(pieces, choice, dialect, firstParam);
  let fails = failuresOf(built, dialect);
  const first: Attempt = { built, failed: fails.length, attempts: 1 };
  let attempts = 1;
  const budget = Math.min(400, 8 * holes.reduce((s, h) => s + h.chain.length, 1));
  const canAdvance = (k: number) => choice[k]! + 1 < holes[k]!.chain.length;
  while (fails.length && attempts < budget) {
    const order = suspects(built.holes, fails[0]!, canAdvance);
    if (!order.length) break;
    const now = progress(fails);
    let moved = false;
    for (const i of order.slice(0, 3)) {
      for (let c = choice[i]! + 1; c < holes[i]!.chain.length && attempts < budget; c++) {
        const trial = choice.slice();
        trial[i] = c;
        const b = build(pieces, trial, dialect, firstParam);
        const f = failuresOf(b, dialect);
        attempts++;
        if (better(progress(f), now)) {
          choice[i] = c;
          built = b;
          fails = f;
          moved = true;
          break;
        }
      }
      if (moved) break;
    }
    if (!moved) {
      choice[order[0]!]!++;
      built = build(pieces, choice, dialect, firstParam);
      fails = failuresOf(built, dialect);
      attempts++;
    }
  }
  return { best: { built, failed: fails.length, attempts }, first };
}

function maxParam(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/**
 * The first-choice shape of each `${}` hole, from the SQL text before and after it alone (no
 * parsing): `text` inside quotes, `identifier` after FROM or a dot, `value` after an operator...
 * For host rules on sites that were not built (ClickHouse SQL, fragments).
 */
export function holeShapes(site: SqlSite): Array<{ kind: FillKind; before: string; quote?: string }> {
  const out: Array<{ kind: FillKind; before: string; quote?: string }> = [];
  let before = '';
  const scanner = new PrefixScanner();
  site.parts.forEach((part, i) => {
    before += cook(site.code, part.start, part.end, site.kind === 'template').text;
    const hole = site.holes[i];
    if (!hole) return;
    const next = site.parts[i + 1];
    const after = next ? site.code.slice(next.start, next.end) : '';
    const lex = scanner.stateOf(before);
    const kind = hole.join ? 'join' : chainFor(before, after, lex.state)[0]!;
    const quote = kind === 'text' ? lex.quote : undefined;
    out.push({ kind, before, ...(quote ? { quote } : {}) });
    if (!hole.join) before += ' ';
  });
  return out;
}

/** What a fragment is wrapped in to make a statement: text before and after it (see FragmentClause). */
const WRAPS: Record<FragmentClause, [string, string]> = {
  where: ['SELECT 1 FROM __sqlperf_t WHERE ', ''],
  having: ['SELECT 1 FROM __sqlperf_t GROUP BY 1 HAVING ', ''],
  join: ['SELECT 1 FROM __sqlperf_t ', ''],
  orderBy: ['SELECT 1 FROM __sqlperf_t ORDER BY ', ''],
  groupBy: ['SELECT 1 FROM __sqlperf_t GROUP BY ', ''],
  select: ['SELECT ', ' FROM __sqlperf_t'],
  and: ['SELECT 1 FROM __sqlperf_t WHERE TRUE ', ''],
  tail: ['SELECT 1 FROM __sqlperf_t ', ''],
  havingTail: ['SELECT 1 FROM __sqlperf_t GROUP BY 1 ', ''],
  fromTail: ['SELECT 1 ', ''],
  updateTail: ['UPDATE __sqlperf_t ', ''],
  insertTail: ['INSERT INTO __sqlperf_t ', ''],
  values: ['INSERT INTO __sqlperf_t VALUES ', ''],
  set: ['UPDATE __sqlperf_t SET ', ''],
};

/** Template fills first; then knex `?`, `:name` and `{{name}}` placeholders in the text as holes too. */
function search(pieces: Piece[], dialect: Dialect, firstParam: number): { best: Attempt; first: Attempt } {
  const initial = fillAndRetry(pieces, dialect, firstParam);
  const first = initial.first;
  let best = initial.best;
  if (best.failed) {
    const more = placeholderHoles(pieces, dialect);
    if (more) {
      const second = fillAndRetry(more, dialect, firstParam);
      if (second.best.failed < best.failed || second.best.failed === 0) {
        best = second.best;
        best.attempts += first.attempts;
      }
    }
  }
  return { best, first };
}

type LitLike = Pick<SqlSite, 'parts' | 'holes'>;

/** Expansion depth limit for nested fragments (`sql\`... ${sql\`... ${...}\`}\``). */
const MAX_DEPTH = 4;

/**
 * The SQL text a hole's expression inserts when the code shows it: a nested tagged template
 * (`${sql\`AND b = ${b}\`}`), and where the outer text is not parameterized also a template or
 * string (`${\`AND b = ${b}\`}`); for `c ? x : y` and `c && x`, the first non-empty branch.
 * Returns the literal node whose text to inline, and whether its own holes are bind parameters.
 */
function expansionOf(expr: AstNode | undefined, parameterized: boolean, code: string): { node: AstNode; parameterized: boolean } | undefined {
  if (!expr) return undefined;
  let n = expr;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  const nonEmpty = (lit: AstNode) => {
    const l = literalSite(lit, code);
    return l !== undefined && l.parts.some((p) => code.slice(p.start, p.end).trim() !== '');
  };
  // text the code inserts as SQL: a clause (`AND a = 1`, `ORDER BY x`, `JOIN ...`), not a single word or a value (`'%x'`, `users`)
  const clauseText = (lit: AstNode) => {
    const l = literalSite(lit, code);
    if (!l) return false;
    const text = l.parts.map((p) => code.slice(p.start, p.end)).join('__HOLE__').trim();
    return /^[A-Za-z_(]/.test(text) && /\s/.test(text);
  };
  switch (n.type) {
    case 'TaggedTemplateExpression': {
      const quasi = n.quasi;
      const tag = dottedName(n.tag) ?? '';
      return nonEmpty(quasi) ? { node: quasi, parameterized: !/(?:^|\.)(?:raw|unsafe)$/.test(tag) } : undefined;
    }
    case 'TemplateLiteral':
      return !parameterized && clauseText(n) ? { node: n, parameterized: false } : undefined;
    case 'Literal':
      return !parameterized && typeof n.value === 'string' && clauseText(n) ? { node: n, parameterized: false } : undefined;
    case 'ConditionalExpression':
      return expansionOf(n.consequent, parameterized, code) ?? expansionOf(n.alternate, parameterized, code);
    case 'LogicalExpression':
      return n.operator === '&&' ? expansionOf(n.right, parameterized, code) : undefined;
    default:
      return undefined;
  }
}

/** The SQL text before the current point (it only grows), its scanner, and how many holes were inlined. */
interface PieceState {
  before: string;
  scanner: PrefixScanner;
  expanded: number;
}

/** A space that stands between inlined text and its surroundings (maps to the hole's start, in no segment). */
function spacer(at: number): Piece {
  return { kind: 'text', cooked: { text: ' ', starts: [at], ends: [at] } };
}

/**
 * The pieces of a literal: text, and holes with their fill chains; with `expand`, holes whose
 * expression is SQL text (a nested sql tag, a conditional between templates) are inlined with
 * their own holes, so the statement around them is read as the code builds it.
 */
function piecesOf(lit: LitLike, code: string, state: PieceState, expand: boolean, parameterized: boolean, depth: number, exprOf: (hole: HostHole) => AstNode | undefined, out: Piece[]): void {
  lit.parts.forEach((part, i) => {
    const cooked = cook(code, part.start, part.end, true);
    out.push({ kind: 'text', cooked });
    state.before += cooked.text;
    const hole = lit.holes[i];
    if (!hole) return;
    const next = lit.parts[i + 1];
    const after = next ? code.slice(next.start, next.end) : '';
    const lex = state.scanner.stateOf(state.before).state;
    if (!hole.join && expand && depth < MAX_DEPTH && lex === 'code' && !/[\w$.]/.test(state.before.at(-1) ?? '') && !/^[\w.]/.test(after)) {
      const exp = expansionOf(exprOf(hole), parameterized, code);
      const inner = exp && literalSite(exp.node, code);
      if (exp && inner) {
        state.expanded++;
        out.push(spacer(hole.start));
        state.before += ' ';
        piecesOf(inner, code, state, expand, exp.parameterized, depth + 1, exprOf, out);
        out.push(spacer(hole.start));
        state.before += ' ';
        return;
      }
    }
    const chain: FillKind[] = hole.join ? ['join'] : chainFor(state.before, after, lex);
    out.push({ kind: 'hole', hole: { host: { start: hole.start, end: hole.end }, origin: 'template', chain } });
    if (!hole.join) state.before += ' ';
  });
}

/** The expression of a hole: of a nested literal (by its `${`), of the site's own literal, or of a site built from several literals. */
function holeExprFinder(site: SqlSite): (hole: HostHole) => AstNode | undefined {
  return (hole) => {
    const known = HOLE_EXPRS.get(hole);
    if (known) return known;
    if (!site.node) return undefined;
    const expr = (site.node.type === 'TemplateLiteral' ? templateHoleExprs(site.node).get(hole.start) : undefined) ?? holeExpression(site, hole);
    // several operands in one hole are no one expression to inline
    return expr?.type === 'SequenceOfOperands' ? undefined : expr;
  };
}

/** Builds the SQL text of a site, trying hole fills until every statement parses (or the options run out). */
export function embedSql(site: SqlSite, dialect: Dialect): EmbeddedSql {
  const wrap = site.wrap ? WRAPS[site.wrap] : undefined;
  const exprOf = holeExprFinder(site);
  const attempt = (expand: boolean) => {
    const pieces: Piece[] = [];
    const state: PieceState = { before: '', scanner: new PrefixScanner(), expanded: 0 };
    const startAt = site.parts[0]?.start ?? site.range[0];
    const endAt = site.parts[site.parts.length - 1]?.end ?? site.range[1];
    if (wrap) {
      pieces.push({ kind: 'synthetic', text: wrap[0], at: startAt });
      state.before += wrap[0];
    }
    piecesOf(site, site.code, state, expand, site.parameterized, 0, exprOf, pieces);
    if (wrap?.[1]) pieces.push({ kind: 'synthetic', text: wrap[1], at: endAt });
    const { before } = state;
    const firstParam = maxParam(before) + 1;
    const found = search(pieces, dialect, firstParam);
    const first = found.first;
    let best = found.best;
    if (best.failed && !wrap && /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*with\b/i.test(before)) {
      // a CTE list whose main statement is added elsewhere (`WITH a AS (...), b AS (...)`): complete it
      const tail = /,\s*$/.test(before) ? ' __sqlperf_end AS (SELECT 1) SELECT 1' : ' SELECT 1';
      const completed = search([...pieces, { kind: 'synthetic', text: tail, at: endAt }], dialect, firstParam);
      if (completed.best.failed === 0) best = { ...completed.best, attempts: completed.best.attempts + best.attempts };
    }
    return { first, best, expanded: state.expanded };
  };
  let run = attempt(true);
  if (run.expanded && run.best.failed) {
    // the inlined text does not fit: read those holes as plain holes (an empty branch, a value)
    const plain = attempt(false);
    if (plain.best.failed < run.best.failed) run = { ...plain, best: { ...plain.best, attempts: plain.best.attempts + run.best.attempts } };
  }
  const { first, best } = run;
  // when nothing parses, report against the natural reading (every hole a value), not the last guess
  const chosen = best.failed && best.failed >= first.failed ? first : best;
  return toEmbedded(chosen.built, chosen.failed === 0, best.attempts);
}

function toEmbedded(b: Built, parsed: boolean, attempts: number): EmbeddedSql {
  const { sql, starts, ends, holes, synthetic } = b;
  const segments: Segment[] = [];
  // characters sqlperf put in (placeholders, wrappers) are in no segment: marked once, not searched per character
  const made = new Uint8Array(sql.length);
  for (const r of [...synthetic, ...holes.map((h) => h.sql)]) made.fill(1, r.start, r.end);
  for (let i = 0; i < sql.length; ) {
    if (ends[i]! - starts[i]! !== 1 || made[i]) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < sql.length && starts[j] === starts[j - 1]! + 1 && ends[j]! - starts[j]! === 1) j++;
    segments.push({ sqlStart: i, sqlEnd: j, hostStart: starts[i]! });
    i = j;
  }
  const hostEnd = sql.length ? ends[sql.length - 1]! : 0;
  const toHost = (r: Range): Range => {
    if (sql.length === 0) return { start: 0, end: 0 };
    const s = Math.max(0, Math.min(r.start, sql.length));
    const start = s < sql.length ? starts[s]! : hostEnd;
    if (r.end <= r.start) return { start, end: start };
    const e = Math.min(r.end, sql.length);
    return { start, end: Math.max(start, ends[e - 1]!) };
  };
  return { sql, holes, segments, parsed, attempts, toHost, synthetic };
}
