import type { Range } from '../range.js';
import { isWord, type Token } from './lexer.js';

/**
 * Splits a text into statements at top-level `;`. Each parser fails a whole text on one bad
 * statement, so statements are parsed one by one and a syntax error hides nothing else.
 * Procedural bodies (`CREATE TRIGGER ... BEGIN ...; END`) keep their inner semicolons.
 */
export interface StatementChunk extends Range {
  /** The statement's tokens (code and comments), from its first to its last code token. */
  tokens: Token[];
  /** The last comments (at most BEFORE_KEPT) between the previous statement and this one: annotations such as sqlc's. */
  before: Token[];
}

/** goose's annotations (`-- +goose Up`, `StatementBegin`/`StatementEnd`) delimit the statements it sends, `;` or not. */
const GOOSE = /^--\s*\+goose\s+(?:up|down|statementbegin|statementend)\b/i;

/** Punctuation a name follows and a body's BEGIN never does. */
const NAME_BEFORE = new Set(['(', ',', '.']);

/** Comments kept before a statement: an annotation sits just above it, and 100k comment lines must not pile up. */
const BEFORE_KEPT = 32;

/**
 * The splitter, fed one token at a time (as the lexer finds them) and handing each statement to
 * `onChunk` as soon as it ends: it holds one statement's tokens, never the text's.
 */
export class StatementSplitter {
  private current: Token[] = [];
  private before: Token[] = [];
  private blockDepth = 0;
  private startsWithCreate = false;
  private prevCode: Token | undefined;
  /** A `BEGIN` seen in a CREATE: opens a block unless the next code token makes it BEGIN TRANSACTION/WORK or `BEGIN;`. */
  private pendingBegin = false;

  /** A statement past `maxLength` characters keeps only its first token (it will not be parsed): a 10 MB statement costs no 10 MB of tokens. */
  private oversized = false;

  constructor(
    private readonly onChunk: (chunk: StatementChunk) => void,
    private readonly maxLength = Infinity,
  ) {}

  feed(t: Token): void {
    // a psql meta-command line or a COPY data block ends the statement before it (psql runs it then)
    if (t.meta || (t.type === 'comment' && GOOSE.test(t.value))) {
      this.close();
      this.keepBefore(t);
      return;
    }
    if (!this.current.length) {
      if (t.type === 'comment' || (t.type === 'punct' && t.value === ';')) {
        this.keepBefore(t);
        return;
      }
      this.startsWithCreate = isWord(t, 'CREATE');
    }
    if (!this.oversized) this.current.push(t);
    if (t.type === 'comment') return;
    if (!this.oversized && t.end - this.current[0]!.start > this.maxLength) {
      this.oversized = true;
      this.current.length = 1;
    }
    if (this.pendingBegin) {
      this.pendingBegin = false;
      if (!(isWord(t, 'TRANSACTION') || isWord(t, 'WORK') || t.value === ';')) this.blockDepth++;
    }
    if (this.startsWithCreate && t.type === 'ident') {
      // after `(`, `,` or `.` BEGIN is a name (`CREATE TABLE t (begin date, ...)`), never a body
      if (isWord(t, 'BEGIN')) this.pendingBegin = !(this.prevCode?.type === 'punct' && NAME_BEFORE.has(this.prevCode.value));
      else if (isWord(t, 'CASE') && this.blockDepth > 0) this.blockDepth++;
      else if (isWord(t, 'END') && this.blockDepth > 0 && !(this.prevCode && isWord(this.prevCode, 'END'))) this.blockDepth--;
    }
    this.prevCode = t;
    if (t.type === 'punct' && t.value === ';' && this.blockDepth === 0) {
      if (!this.oversized) this.current.pop();
      this.close();
      return;
    }
    this.lastCode = t;
  }

  private lastCode: Token | undefined;

  /** Ends the text: the last statement needs no `;`. */
  end(): void {
    this.close();
  }

  private close(): void {
    const toks = this.current;
    const { oversized, lastCode } = this;
    this.current = [];
    this.blockDepth = 0;
    this.startsWithCreate = false;
    this.pendingBegin = false;
    this.oversized = false;
    this.lastCode = undefined;
    if (oversized) {
      const before = this.before;
      this.before = [];
      this.onChunk({ start: toks[0]!.start, end: Math.max(toks[0]!.end, lastCode?.end ?? 0), tokens: toks, before });
      return;
    }
    // trim to the first/last code token; trailing comments belong to what comes next
    let b = toks.length - 1;
    while (b >= 0 && toks[b]!.type === 'comment') b--;
    if (b < 0) {
      for (const t of toks) this.keepBefore(t);
      return;
    }
    const tokens = b === toks.length - 1 ? toks : toks.slice(0, b + 1);
    const before = this.before;
    this.before = [];
    for (let k = b + 1; k < toks.length; k++) this.keepBefore(toks[k]!);
    this.onChunk({ start: tokens[0]!.start, end: tokens[b]!.end, tokens, before });
  }

  private keepBefore(t: Token): void {
    if (t.type !== 'comment') return;
    if (this.before.length >= BEFORE_KEPT) this.before.shift();
    this.before.push(t);
  }
}

/** Every statement of a token list at once. */
export function splitStatements(tokens: readonly Token[]): StatementChunk[] {
  const chunks: StatementChunk[] = [];
  const splitter = new StatementSplitter((c) => chunks.push(c));
  for (const t of tokens) splitter.feed(t);
  splitter.end();
  return chunks;
}
