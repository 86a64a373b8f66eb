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
  | 'param' // $1, ?, :name, @name, ${name}
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
function isIdentStartCode(k: number): boolean {
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || k >= 128;
}
function isIdentPartCode(k: number): boolean {
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36 || k >= 128;
}
const isIdentStart = (c: string): boolean => isIdentStartCode(c.charCodeAt(0));
const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const OP_CHARS = '+-*/<>=~!@#%^&|`?:';
/** Char codes of OP_CHARS, as a table: looked up for every operator character. */
const OP_CODE = new Uint8Array(128);
for (let k = 0; k < OP_CHARS.length; k++) OP_CODE[OP_CHARS.charCodeAt(k)] = 1;
const isOpCode = (k: number) => k < 128 && OP_CODE[k] === 1;
/** The letters that prefix a string (`E'..'`, `N'..'`, `B'..'`, `X'..'`). */
const isStringPrefix = (k: number) => k === 69 || k === 101 || k === 78 || k === 110 || k === 66 || k === 98 || k === 88 || k === 120;

export function lex(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  lexEach(text, dialect, (t) => tokens.push(t));
  return tokens;
}

/** Where a statement is on its way to `COPY ... FROM stdin` (whose data block follows its `;`). */
type CopyState = 'start' | 'copy' | 'from' | 'stdin' | 'other';

function nextCopyState(state: CopyState, t: Token): CopyState {
  // comments are blanks to PostgreSQL: `COPY t FROM /* x */ stdin` still reads data
  if (t.type === 'comment') return state;
  if (state === 'start') return isWord(t, 'COPY') ? 'copy' : 'other';
  if (state === 'from') return isWord(t, 'STDIN') ? 'stdin' : 'copy';
  return state === 'copy' && isWord(t, 'FROM') ? 'from' : state;
}

/**
 * The lexer proper: hands each token to `emit` as it is found and keeps none, so that a caller can
 * split and analyse statements while lexing a text of any size in memory for one statement.
 * The scanners below return where their token ends; what else they find is left in `scanned`.
 */
export function lexEach(text: string, dialect: Dialect, emit: (t: Token) => void): void {
  const lx: LexState = {
    text,
    dialect,
    o: optionsFor(dialect),
    pg: dialect === 'postgresql',
    clientMeta: dialect === 'postgresql' || dialect === 'mysql' || dialect === 'mariadb',
    copy: 'start',
    prev: undefined,
    brackets: [],
    add(t) {
      lx.copy = nextCopyState(lx.copy, t);
      lx.prev = t;
      emit(t);
    },
    push(type, start, end, value, unterminated = false) {
      const t: Token = { type, start, end, value };
      if (unterminated) t.unterminated = true;
      lx.add(t);
    },
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const k = text.charCodeAt(i);
    // space, \t \n \v \f \r, NUL
    if (k === 32 || (k >= 9 && k <= 13) || k === 0) i++;
    // a word (not a prefixed string such as E'..'): most tokens, taken before the other cases
    else if (isIdentStartCode(k) && !(isStringPrefix(k) && text.charCodeAt(i + 1) === 39)) {
      const end = wordEnd(text, i, false);
      lx.push('ident', i, end, text.slice(i, end));
      i = end;
    } else if (k === 40 || k === 41 || k === 44) {
      // `(`, `)`, `,`: punctuation that means nothing more to the lexer (scanPunct's other cases)
      lx.push('punct', i, i + 1, k === 40 ? '(' : k === 41 ? ')' : ',');
      i++;
    } else i = scanToken(lx, i, text[i]!);
  }
}

/** The lexer's state while it runs: the text, its dialect's options and what the statement says so far. */
interface LexState {
  text: string;
  dialect: Dialect;
  o: LexOptions;
  pg: boolean;
  /** psql's and mysql's clients take `\` commands after a query on its line */
  clientMeta: boolean;
  /** what the current statement says so far, for COPY ... FROM stdin data blocks */
  copy: CopyState;
  /** the last token */
  prev: Token | undefined;
  /** `[` brackets open: true for an array subscript (`a[1:n]`, whose `:n` is no parameter) */
  brackets: boolean[];
  add(t: Token): void;
  push(type: TokenType, start: number, end: number, value: string, unterminated?: boolean): void;
}

/** One token from its first character c at i (not white space): emits it and returns where it ends. */
function scanToken(lx: LexState, i: number, c: string): number {
  const { text, o, pg, dialect, push } = lx;
  const next = text[i + 1];
  const start = i;
  // `$1`, `$name`, `$tag$...$tag$`, `:name`, psql's `:'var'`: 0 for a `$` or `:` that starts none of them
  const param = c === '$' ? dollarEnd(text, i, next, o.dollarQuotes) : c === ':' && next !== undefined && !lx.brackets[lx.brackets.length - 1] ? colonParamEnd(text, i, next, pg) : 0;
  if (c === '\\' && (atLineStart(text, i) || (lx.clientMeta && next !== undefined && isLetter(next)))) {
    // psql meta-commands: a line starting with a backslash is not SQL (`\set`, `\echo`, `\i`, `\restrict`),
    // nor one after a query on its line (`SELECT ... \gset`, `\gexec`, mysql's `\G`), which also ends it
    i = lineEnd(text, i);
    lx.add({ type: 'comment', start, end: i, value: text.slice(start, i), meta: true });
    lx.copy = 'start';
  } else if ((c === '-' && next === '-') || (c === '#' && o.hashComments)) {
    i = lineEnd(text, i);
    push('comment', start, i, text.slice(start, i));
  } else if (c === '/' && next === '*') {
    i = blockCommentEnd(text, i, o.nestedComments);
    push('comment', start, i, text.slice(start, i), scanned.unterminated);
  } else if (c === "'" || ((c === 'E' || c === 'e' || c === 'N' || c === 'n' || c === 'B' || c === 'b' || c === 'X' || c === 'x') && next === "'")) {
    // strings, with prefixes: E'..' (escapes), N'..', B'..', X'..', U&'..'
    i = stringEnd(text, c === "'" ? i + 1 : i + 2, o.backslashEscapes || c === 'E' || c === 'e');
    push('string', start, i, scanned.value, scanned.unterminated);
  } else if (c === '"' || (c === '`' && o.backtick) || (c === '[' && o.brackets)) {
    // "name", `name`, [name]; in MySQL and BigQuery "..." is a string
    i = quotedEnd(text, i, c, dialect === 'mysql' || dialect === 'mariadb' || dialect === 'bigquery', o.backslashEscapes);
    push(scanned.type, start, i, scanned.value, scanned.unterminated);
  } else if (param > 0) {
    i = param;
    push(scanned.type, start, i, scanned.value, scanned.unterminated);
  } else if (isDigit(c) || (c === '.' && next !== undefined && isDigit(next))) {
    i = scanNumber(text, i);
    push('number', start, i, text.slice(start, i));
  } else if (isIdentStart(c) || (c === '@' && next !== undefined && isIdentStart(next) && !pg)) {
    // a word, or an `@name` parameter (`@` allowed inside: `@@session`)
    i = wordEnd(text, i, c === '@');
    push(c === '@' ? 'param' : 'ident', start, i, text.slice(start, i));
  } else if (c === '?' && !(next === '|' || next === '&')) {
    i = questionEnd(text, i, next, pg);
    push('param', start, i, text.slice(start, i));
  } else if ('(),;.[]{}'.includes(c)) {
    i = scanPunct(lx, i, c);
  } else {
    // an operator, or anything else (a stray character) as a one-character operator so the caller sees it
    i = isOpCode(c.charCodeAt(0)) ? operatorEnd(text, i) : i + 1;
    push('op', start, i, text.slice(start, i));
  }
  return i;
}

/** Punctuation at i; after `COPY ... FROM stdin;` also the data lines that follow, up to a line `\.`. */
function scanPunct(lx: LexState, i: number, c: string): number {
  const { text } = lx;
  const n = text.length;
  if (c === '[') lx.brackets.push(isSubscript(lx.prev));
  else if (c === ']') lx.brackets.pop();
  const start = i++;
  const fromStdin = lx.copy === 'stdin';
  lx.push('punct', start, i, c);
  const data = c === ';' && lx.pg && fromStdin ? nextLine(text, i) : n;
  if (data < n) {
    i = copyDataEnd(text, data);
    lx.add({ type: 'comment', start: data, end: i, value: text.slice(data, i), meta: true });
  }
  if (c === ';') lx.copy = 'start';
  return i;
}

/** What a scanner found besides where its token ends: shared, so that no token allocates a result. */
const scanned: { type: TokenType; value: string; unterminated: boolean } = { type: 'string', value: '', unterminated: false };

/** The end of the line at i (before its line break). */
function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** A block comment from its `/*` at i; sets `scanned.unterminated`. */
function blockCommentEnd(text: string, i: number, nested: boolean): number {
  const n = text.length;
  let depth = 1;
  i += 2;
  while (i < n && depth > 0) {
    if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
    } else if (nested && text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else i++;
  }
  scanned.unterminated = depth > 0;
  return i;
}

/** A string quoted with q (`'`, or MySQL's and BigQuery's `"`) whose contents start at i; sets `scanned.value` (quotes and escapes resolved) and `.unterminated`. */
function stringEnd(text: string, i: number, escapes: boolean, q = "'"): number {
  const n = text.length;
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
    if (d === q) {
      value += text.slice(run, i);
      if (text[i + 1] === q) {
        value += q;
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
  scanned.value = value;
  scanned.unterminated = !closed;
  return i;
}

/** A "name", `name` or [name] at i, or (doubleQuoteStrings) a "string"; sets `scanned`. A doubled quote is one, except `]]`. */
function quotedEnd(text: string, i: number, c: string, doubleQuoteStrings: boolean, escapes: boolean): number {
  if (c === '"' && doubleQuoteStrings) {
    scanned.type = 'string';
    return stringEnd(text, i + 1, escapes, '"');
  }
  const end = scanQuoted(text, i, c === '[' ? ']' : c);
  const inner = text.slice(i + 1, scanned.unterminated ? end : end - 1);
  scanned.type = 'qident';
  scanned.value = c === '[' ? inner : inner.split(c + c).join(c);
  return end;
}

const TEMPLATE_PLACEHOLDER = /^\$\{[A-Za-z_][\w.:-]{0,126}\}/;

/** `$1`, `$name`, `${name}` or a `$tag$ ... $tag$` string at i, or 0; sets `scanned`. */
function dollarEnd(text: string, i: number, next: string | undefined, dollarQuotes: boolean): number {
  const n = text.length;
  const start = i;
  scanned.type = 'param';
  scanned.unterminated = false;
  if (next !== undefined && isDigit(next)) {
    i++;
    while (i < n && isDigit(text[i]!)) i++;
    scanned.value = text.slice(start, i);
    return i;
  }
  // `${name}`: a placeholder a tool fills in before the SQL runs (Flyway, Liquibase, schema
  // generators, envsubst); in no dialect is it SQL of its own
  if (next === '{') {
    const m = TEMPLATE_PLACEHOLDER.exec(text.slice(i, i + 130));
    if (m) {
      scanned.value = m[0];
      return i + m[0].length;
    }
  }
  const named = namedDollarEnd(text, i, dollarQuotes);
  if (named > 0) {
    // `$name` (SQLite, Bun, some drivers): a named parameter, not a dollar quote
    scanned.value = text.slice(start, named);
    return named;
  }
  if (!dollarQuotes) return 0;
  // a tag is an identifier without `$`; PostgreSQL's lexer takes every non-ASCII character as a letter
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
  if (!m) return 0;
  const tag = m[0];
  const close = text.indexOf(tag, i + tag.length);
  scanned.type = 'string';
  scanned.value = text.slice(i + tag.length, close < 0 ? n : close);
  scanned.unterminated = close < 0;
  return close < 0 ? n : close + tag.length;
}

/** A `:name` parameter at i, or (PostgreSQL) psql's `:'var'` (a string) and `:"var"` (an identifier); 0 for none. Sets `scanned`. */
function colonParamEnd(text: string, i: number, next: string, pg: boolean): number {
  let end = 0;
  if (isIdentStart(next)) end = wordEnd(text, i, false);
  else if ((next === "'" || next === '"') && pg) {
    const quoted = scanQuoted(text, i + 1, next);
    if (!scanned.unterminated && quoted - i > 3 && !/[\s]/.test(text.slice(i + 2, quoted - 1))) end = quoted;
  }
  if (end === 0) return 0;
  scanned.type = 'param';
  scanned.value = text.slice(i, end);
  scanned.unterminated = false;
  return end;
}

/** `?` placeholder; `??` is knex's identifier placeholder; `?1` SQLite's numbered one (not in PostgreSQL, where `?` is an operator too). */
function questionEnd(text: string, i: number, next: string | undefined, pg: boolean): number {
  const n = text.length;
  i += next === '?' ? 2 : 1;
  if (next !== '?' && !pg) while (i < n && isDigit(text[i]!)) i++;
  return i;
}

/** A word from its first character at i; with `at`, `@` is part of it (`@@session`). */
function wordEnd(text: string, i: number, at: boolean): number {
  const n = text.length;
  i++;
  for (; i < n; i++) {
    const k = text.charCodeAt(i);
    if (!(isIdentPartCode(k) || (at && k === 64))) break;
    // `role_${name}`: the word ends where a template placeholder starts (`$` then `{` is no name character)
    if (k === 36 && text.charCodeAt(i + 1) === 123) break;
  }
  return i;
}

/** A run of operator characters from i, which stops before a comment. */
function operatorEnd(text: string, i: number): number {
  const n = text.length;
  i++;
  while (i < n && isOpCode(text.charCodeAt(i)) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
  return i;
}

/** The `COPY ... FROM stdin` data block that starts at i: up to and including a line `\.`, else the rest of the text. */
function copyDataEnd(text: string, i: number): number {
  const m = /^\\\.[ \t]*$/m.exec(text.slice(i));
  return m ? i + m.index + m[0].length : text.length;
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
  while (j < text.length && isIdentPartCode(text.charCodeAt(j)) && text[j] !== '$') j++;
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

/** A quoted name from its opening quote at i to after its closing one; sets `scanned.unterminated`. */
function scanQuoted(text: string, i: number, close: string): number {
  i++;
  while (i < text.length) {
    if (text[i] === close) {
      if (text[i + 1] === close && close !== ']') {
        i += 2;
        continue;
      }
      scanned.unterminated = false;
      return i + 1;
    }
    i++;
  }
  scanned.unterminated = true;
  return text.length;
}

/** Tokens that are not comments. */
export function codeTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'comment');
}

/** True if the token is the (case-insensitive) keyword. */
export function isWord(t: Token | undefined, word: string): boolean {
  if (t === undefined || t.type !== 'ident' || t.value.length !== word.length) return false;
  // ASCII compared code by code, without an upper-cased copy of the value (the splitter, the batch
  // check and the builders ask this of most tokens); from the first other character, as toUpperCase
  // compares (`ſ` is `S` to it, and `ß` two letters)
  const v = t.value;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128) return v.toUpperCase() === word;
    if ((c >= 97 && c <= 122 ? c - 32 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}
