import { isWord, type Token } from './lexer.js';
import { pgAccepts } from './pg.js';

/**
 * Checks the syntax of many statements in one libpg-query call. Most statements of a schema file
 * are DDL that the analysis only checks (`validatePg`), and each call into the WebAssembly parser
 * costs a fixed amount besides the parse (copying the text in and out, setting up the parser's
 * memory): checked together, the DDL of the SQL corpus costs about 30% less. When the statements
 * pass together each passes alone; when they do not, each is checked again alone, for its own
 * message and position, so a batch never changes a result.
 *
 * A batch is a run of such statements, up to MAX_CHECKS of them (or MAX_CHARS), held until it is
 * checked, so memory still holds a bounded number of statements whatever the size of the text.
 */
const MAX_CHECKS = 32;
const MAX_CHARS = 64 * 1024;

/**
 * Between two statements in a batch: a line break ends a `--` comment the parser might see where
 * sqlperf's lexer does not, and `;` separates the statements.
 */
const SEPARATOR = '\n;\n';

/** A statement waiting for its batch's check. */
interface Check<B> {
  sql: string;
  base: B;
}

/**
 * Whether a statement may join a batch: checked together and alone, it gets the same answer. A
 * `;` separates statements except in a rule's bracketed action list (brackets that do not balance
 * are never batched: the caller's pre-check sees them) and in a `BEGIN ATOMIC ... END` body; a
 * statement with a BEGIN is checked alone, so that a body the splitter cut in two is not glued
 * back together and accepted.
 */
export function batchable(tokens: readonly Token[]): boolean {
  for (const t of tokens) if (isWord(t, 'BEGIN')) return false;
  return true;
}

export class PgCheckBatch<S, B> {
  private held: Array<Check<B>> = [];
  private chars = 0;

  /**
   * `emit` receives every statement in text order; `alone` checks one statement on its own (its
   * message and position when it fails); `accepted` makes the statement of one that passed.
   */
  constructor(
    private readonly emit: (s: S) => void,
    private readonly alone: (sql: string, base: B) => S[],
    private readonly accepted: (sql: string, base: B) => S,
  ) {}

  /**
   * A statement already parsed: the checks held before it are done first, then it is handed on
   * (a query's tree is not held back: a tree kept alive longer costs the garbage collector more).
   */
  add(s: S): void {
    if (this.held.length) this.flush();
    this.emit(s);
  }

  /** A statement whose syntax only is checked, with others when it can be. */
  check(sql: string, base: B): void {
    this.held.push({ sql, base });
    this.chars += sql.length;
    if (this.held.length >= MAX_CHECKS || this.chars >= MAX_CHARS) this.flush();
  }

  /** Checks what is held and hands every held statement on, in order. */
  flush(): void {
    const held = this.held;
    this.held = [];
    this.chars = 0;
    const together = held.length > 1 && pgAccepts(held.map((h) => h.sql).join(SEPARATOR));
    for (const h of held) {
      if (together) this.emit(this.accepted(h.sql, h.base));
      else for (const s of this.alone(h.sql, h.base)) this.emit(s);
    }
  }
}
