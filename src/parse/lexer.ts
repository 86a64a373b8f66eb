import type { Dialect } from '../dialect.js';

/**
 * A small SQL lexer of our own. node-sql-parser drops comments and often locations, and both
 * parsers fail as a whole on one bad statement, so sqlperf needs its own view of the tokens for:
 * statement splitting, suppression comments, bracket pre-checks and locating tokens that an AST
 * node carries no position for. It never throws: unterminated strings or comments run to the end.
 */
export type TokenType =
  | 'ident' // bare word, keywords included
  | 'qident' // "quoted", `quoted` or [quoted] identifier
  | 'string'
  | 'number'
  | 'param' // $1, ?, :name, @name
  | 'op'
  | 'punct' // ( ) , ; . [ ]
  | 'comment';

export interface Token {
  type: TokenType;
  start: number;
  end: number;
  /** Unquoted identifier name, string contents, or the raw text for other tokens. */
  value: string;
  /** Set when a string, quoted identifier or block comment reaches the end of input unclosed. */
  unterminated?: boolean;
  /**
   * A `comment` that is not SQL but a psql meta-command line (`\set x 1`, `\i file`, `\restrict k`)
   * or a `COPY ... FROM stdin` data block: it ends the statement before it.
   */
  meta?: boolean;
}

interface LexOptions {
  hashComments: boolean;
  backtick: boolean;
  brackets: boolean;
  dollarQuotes: boolean;
  backslashEscapes: boolean;
  nestedComments: boolean;
}

function optionsFor(dialect: Dialect): LexOptions {
  switch (dialect) {
    case 'postgresql':
      return { hashComments: false, backtick: false, brackets: false, dollarQuotes: true, backslashEscapes: false, nestedComments: true };
    case 'mysql':
    case 'mariadb':
      return { hashComments: true, backtick: true, brackets: false, dollarQuotes: false, backslashEscapes: true, nestedComments: false };
    case 'sqlite':
      return { hashComments: false, backtick: true, brackets: true, dollarQuotes: false, backslashEscapes: false, nestedComments: false };
    case 'bigquery':
      return { hashComments: true, backtick: true, brackets: false, dollarQuotes: false, backslashEscapes: true, nestedComments: false };
    case 'transactsql':
      return { hashComments: false, backtick: false, brackets: true, dollarQuotes: false, backslashEscapes: false, nestedComments: true };
    case 'snowflake':
      return { hashComments: false, backtick: false, brackets: false, dollarQuotes: true, backslashEscapes: true, nestedComments: false };
  }
}

// char-code tests: this runs on every character of every file
function isIdentStart(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || k >= 128;
}
function isIdentPart(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36 || k >= 128;
}
const isDigit = (c: string) => c >= '0' && c <= '9';
const OP_CHARS = '+-*/<>=~!@#%^&|`?:';

export function lex(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  lexEach(text, dialect, (t) => tokens.push(t));
  return tokens;
}

/**
 * The lexer proper: hands each token to `emit` as it is found and keeps none, so that a caller can
 * split and analyse statements while lexing a text of any size in memory for one statement.
 */
export function lexEach(text: string, dialect: Dialect, emit: (t: Token) => void): void {
  const o = optionsFor(dialect);
  const n = text.length;
  let i = 0;
  // the last token, and what the current statement says so far (for COPY ... FROM stdin data blocks)
  let prev: Token | undefined;
  const st: { copy: 'start' | 'copy' | 'from' | 'stdin' | 'other' } = { copy: 'start' };
  const add = (t: Token) => {
    if (t.type !== 'comment') {
      if (st.copy === 'start') st.copy = isWord(t, 'COPY') ? 'copy' : 'other';
      else if (st.copy === 'from') st.copy = isWord(t, 'STDIN') ? 'stdin' : 'copy';
      else if (st.copy === 'copy' && isWord(t, 'FROM')) st.copy = 'from';
    } else if (st.copy === 'from') st.copy = 'copy';
    prev = t;
    emit(t);
  };
  const push = (type: TokenType, start: number, end: number, value: string, unterminated = false) => {
    const t: Token = { type, start, end, value };
    if (unterminated) t.unterminated = true;
    add(t);
  };
  // `[` brackets open: true for an array subscript (`a[1:n]`, whose `:n` is no parameter)
  const brackets: boolean[] = [];

  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\0') {
      i++;
      continue;
    }
    const start = i;
    // psql meta-commands: a line starting with a backslash is not SQL (`\set`, `\echo`, `\i`, `\restrict`)
    if (c === '\\' && atLineStart(text, i)) {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      add({ type: 'comment', start, end: i, value: text.slice(start, i), meta: true });
      st.copy = 'start';
      continue;
    }
    // comments
    if ((c === '-' && next === '-') || (c === '#' && o.hashComments)) {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      push('comment', start, i, text.slice(start, i));
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else if (o.nestedComments && text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else i++;
      }
      push('comment', start, i, text.slice(start, i), depth > 0);
      continue;
    }
    // strings, with prefixes: E'..' (escapes), N'..', B'..', X'..', U&'..'
    if (c === "'" || ((c === 'E' || c === 'e' || c === 'N' || c === 'n' || c === 'B' || c === 'b' || c === 'X' || c === 'x') && next === "'")) {
      const escapes = o.backslashEscapes || c === 'E' || c === 'e';
      i = c === "'" ? i + 1 : i + 2;
      let closed = false;
      let value = '';
      // runs of plain characters are sliced, not added one by one (a megabyte string made a rope of a million pieces)
      let run = i;
      while (i < n) {
        const d = text[i]!;
        if (escapes && d === '\\' && i + 1 < n) {
          value += text.slice(run, i) + text[i + 1];
          i += 2;
          run = i;
          continue;
        }
        if (d === "'") {
          value += text.slice(run, i);
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            run = i;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        i++;
      }
      if (!closed) value += text.slice(run, i);
      push('string', start, i, value, !closed);
      continue;
    }
    if (c === '"' && dialect !== 'mysql' && dialect !== 'mariadb' && dialect !== 'bigquery') {
      i = scanQuoted(text, i, '"', '"');
      push('qident', start, i, unquote(text.slice(start, i), '"'), text[i - 1] !== '"' || i - start < 2);
      continue;
    }
    if (c === '"') {
      // MySQL/BigQuery: a double-quoted string
      i = scanQuoted(text, i, '"', '"', o.backslashEscapes);
      push('string', start, i, unquote(text.slice(start, i), '"'), text[i - 1] !== '"' || i - start < 2);
      continue;
    }
    if (c === '`' && o.backtick) {
      i = scanQuoted(text, i, '`', '`');
      push('qident', start, i, unquote(text.slice(start, i), '`'), text[i - 1] !== '`' || i - start < 2);
      continue;
    }
    if (c === '[' && o.brackets) {
      i = scanQuoted(text, i, '[', ']');
      push('qident', start, i, text.slice(start + 1, i - 1), text[i - 1] !== ']');
      continue;
    }
    // dollar-quoted strings and $1 parameters
    if (c === '$') {
      if (next !== undefined && isDigit(next)) {
        i++;
        while (i < n && isDigit(text[i]!)) i++;
        push('param', start, i, text.slice(start, i));
        continue;
      }
      const named = namedDollarEnd(text, i, o.dollarQuotes);
      if (named > 0) {
        // `$name` (SQLite, Bun, some drivers): a named parameter, not a dollar quote
        i = named;
        push('param', start, i, text.slice(start, i));
        continue;
      }
      if (o.dollarQuotes) {
        // a tag is an identifier without `$`; PostgreSQL's lexer takes every non-ASCII character as a letter
        const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
        if (m) {
          const tag = m[0];
          const close = text.indexOf(tag, i + tag.length);
          const end = close < 0 ? n : close + tag.length;
          push('string', start, end, text.slice(i + tag.length, close < 0 ? n : close), close < 0);
          i = end;
          continue;
        }
      }
    }
    if (isDigit(c) || (c === '.' && next !== undefined && isDigit(next))) {
      i = scanNumber(text, i);
      push('number', start, i, text.slice(start, i));
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text[i]!)) i++;
      push('ident', start, i, text.slice(start, i));
      continue;
    }
    if (c === '?' && !(next === '|' || next === '&')) {
      // `?` placeholder; `??` is knex's identifier placeholder; `?1` SQLite's numbered one
      i += next === '?' ? 2 : 1;
      if (next !== '?' && dialect !== 'postgresql') while (i < n && isDigit(text[i]!)) i++;
      push('param', start, i, text.slice(start, i));
      continue;
    }
    if (c === ':' && next !== undefined && text[i - 1] !== ':' && !brackets[brackets.length - 1]) {
      if (isIdentStart(next)) {
        i++;
        while (i < n && isIdentPart(text[i]!)) i++;
        push('param', start, i, text.slice(start, i));
        continue;
      }
      // psql `:'var'` (a string) and `:"var"` (an identifier)
      if ((next === "'" || next === '"') && dialect === 'postgresql') {
        const end = scanQuoted(text, i + 1, next, next);
        if (text[end - 1] === next && end - i > 3 && !/[\s]/.test(text.slice(i + 2, end - 1))) {
          i = end;
          push('param', start, i, text.slice(start, i));
          continue;
        }
      }
    }
    if (c === '@' && next !== undefined && isIdentStart(next) && dialect !== 'postgresql') {
      i++;
      while (i < n && (isIdentPart(text[i]!) || text[i] === '@')) i++;
      push('param', start, i, text.slice(start, i));
      continue;
    }
    if ('(),;.[]{}'.includes(c)) {
      if (c === '[') brackets.push(isSubscript(prev));
      else if (c === ']') brackets.pop();
      i++;
      const fromStdin = st.copy === 'stdin';
      push('punct', start, i, c);
      if (c === ';') {
        if (dialect === 'postgresql' && fromStdin) {
          // COPY ... FROM stdin: data lines follow, up to a line `\.`
          const dataStart = nextLine(text, i);
          if (dataStart < n) {
            const m = /^\\\.[ \t]*$/m.exec(text.slice(dataStart));
            const end = m ? dataStart + m.index + m[0].length : n;
            add({ type: 'comment', start: dataStart, end, value: text.slice(dataStart, end), meta: true });
            i = end;
          }
        }
        st.copy = 'start';
      }
      continue;
    }
    if (OP_CHARS.includes(c)) {
      i++;
      while (i < n && OP_CHARS.includes(text[i]!) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
      push('op', start, i, text.slice(start, i));
      continue;
    }
    // anything else (stray characters): a one-character operator so the caller sees it
    i++;
    push('op', start, i, c);
  }
}

function atLineStart(text: string, i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const c = text[k];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

function nextLine(text: string, i: number): number {
  while (i < text.length && text[i] !== '\n') i++;
  return i + 1;
}

/** End of a `$name` parameter at i, or 0 (a dollar quote `$tag$`, or no name). */
function namedDollarEnd(text: string, i: number, dollarQuotes: boolean): number {
  if (!isIdentStart(text[i + 1] ?? ' ')) return 0;
  let j = i + 1;
  while (j < text.length && isIdentPart(text[j]!) && text[j] !== '$') j++;
  if (dollarQuotes && text[j] === '$') return 0;
  return j;
}

/** A `[` after a value opens a subscript (`a[1]`, `f(x)[2]`); after ARRAY, `(`, `,` or an operator it is an array. */
function isSubscript(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.type === 'ident') return prev.value.toUpperCase() !== 'ARRAY';
  return prev.type === 'qident' || prev.type === 'param' || (prev.type === 'punct' && (prev.value === ')' || prev.value === ']'));
}

function scanNumber(text: string, i: number): number {
  const n = text.length;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    i += 2;
    while (i < n && /[0-9a-fA-F_]/.test(text[i]!)) i++;
    return i;
  }
  while (i < n && (isDigit(text[i]!) || text[i] === '_')) i++;
  if (text[i] === '.' && text[i + 1] !== '.') {
    i++;
    while (i < n && isDigit(text[i]!)) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2] ?? '')))) {
    i += 2;
    while (i < n && isDigit(text[i]!)) i++;
  }
  return i;
}

function scanQuoted(text: string, i: number, open: string, close: string, backslash = false): number {
  void open;
  i++;
  while (i < text.length) {
    if (backslash && text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text[i] === close) {
      if (text[i + 1] === close && close !== ']') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

function unquote(raw: string, q: string): string {
  const inner = raw.endsWith(q) && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  return inner.split(q + q).join(q);
}

/** Tokens that are not comments. */
export function codeTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'comment');
}

/** True if the token is the (case-insensitive) keyword. */
export function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.type === 'ident' && t.value.length === word.length && t.value.toUpperCase() === word;
}
