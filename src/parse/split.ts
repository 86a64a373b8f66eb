import type { Range } from '../range.js';
import { isWord, type Token } from './lexer.js';

/**
 * Splits a text into statements at top-level `;`. Each parser fails a whole text on one bad
 * statement, so statements are parsed one by one and a syntax error hides nothing else.
 * Procedural bodies (`CREATE TRIGGER ... BEGIN ...; END`) keep their inner semicolons.
 */
export interface StatementChunk extends Range {
  /** Index range into the token array (code and comment tokens) covered by this statement. */
  firstToken: number;
  lastToken: number;
}

/** goose's annotations (`-- +goose Up`, `StatementBegin`/`StatementEnd`) delimit the statements it sends, `;` or not. */
const GOOSE = /^--\s*\+goose\s+(?:up|down|statementbegin|statementend)\b/i;

export function splitStatements(tokens: Token[]): StatementChunk[] {
  const chunks: StatementChunk[] = [];
  let first = -1;
  let blockDepth = 0;
  let startsWithCreate = false;
  let prevCode: Token | undefined;
  const close = (endIdx: number) => {
    // trim to first/last code token
    let a = first;
    let b = endIdx;
    while (a <= b && tokens[a]!.type === 'comment') a++;
    while (b >= a && tokens[b]!.type === 'comment') b--;
    if (a <= b) chunks.push({ start: tokens[a]!.start, end: tokens[b]!.end, firstToken: a, lastToken: b });
    first = -1;
    blockDepth = 0;
    startsWithCreate = false;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // a psql meta-command line or a COPY data block ends the statement before it (psql runs it then)
    if (t.meta || (t.type === 'comment' && GOOSE.test(t.value))) {
      if (first >= 0) close(i - 1);
      continue;
    }
    if (first < 0) {
      if (t.type === 'comment' || (t.type === 'punct' && t.value === ';')) continue;
      first = i;
      startsWithCreate = isWord(t, 'CREATE');
    }
    if (t.type === 'comment') continue;
    if (startsWithCreate && t.type === 'ident') {
      const next = nextCode(tokens, i);
      if (isWord(t, 'BEGIN') && !(next && (isWord(next, 'TRANSACTION') || isWord(next, 'WORK') || next.value === ';'))) blockDepth++;
      else if (isWord(t, 'CASE') && blockDepth > 0) blockDepth++;
      else if (isWord(t, 'END') && blockDepth > 0 && !(prevCode && isWord(prevCode, 'END'))) blockDepth--;
    }
    if (t.type === 'punct' && t.value === ';' && blockDepth === 0) {
      close(i - 1);
      prevCode = t;
      continue;
    }
    prevCode = t;
  }
  if (first >= 0) close(tokens.length - 1);
  return chunks;
}

function nextCode(tokens: Token[], i: number): Token | undefined {
  for (let j = i + 1; j < tokens.length; j++) if (tokens[j]!.type !== 'comment') return tokens[j];
  return undefined;
}
