/**
 * `sqlperf/sql`: an ESLint language (ESLint >= 9.7 `languages` API) so ESLint lints `.sql` files
 * with the same rules, and `-- eslint-disable-next-line sqlperf/no-select-star` or
 * `/* eslint-disable *\/` comments work. The AST is a single `Program` node (with `sqlperfSql: true`): the rules analyse
 * the whole text through the core (see adapter.ts).
 */
import { lex } from '../src/parse/lexer.js';
import { lineStarts, toLineCol } from '../src/range.js';

export interface Position {
  line: number;
  column: number;
}
export interface Loc {
  start: Position;
  end: Position;
}

export interface SqlNode {
  type: string;
  range: [number, number];
  loc: Loc;
}

export interface SqlCommentNode extends SqlNode {
  type: 'Comment';
  value: string;
}

/** The root: type `Program`, so rules' `Program` visitors run; `sqlperfSql` tells it from an ESTree Program. */
export interface SqlProgramNode extends SqlNode {
  type: 'Program';
  sqlperfSql: true;
  comments: SqlCommentNode[];
}

const DIRECTIVE = /^(?:--|\/\*)\s*eslint-(disable-next-line|disable-line|disable|enable)(?=\s|\*\/|$)([\s\S]*?)(?:\*\/)?$/;

export class SqlSourceCode {
  readonly text: string;
  readonly ast: SqlProgramNode;
  readonly lines: string[];
  readonly visitorKeys = { Program: [], Comment: [] };
  #starts: number[];

  constructor(text: string, ast: SqlProgramNode) {
    this.text = text;
    this.ast = ast;
    this.#starts = lineStarts(text);
    this.lines = text.split(/\r\n|\r|\n/);
  }

  getLoc(node: SqlNode): Loc {
    return node.loc;
  }

  getRange(node: SqlNode): [number, number] {
    return node.range;
  }

  getParent(node: SqlNode): SqlNode | undefined {
    return node === this.ast ? undefined : this.ast;
  }

  getAncestors(node: SqlNode): SqlNode[] {
    return node === this.ast ? [] : [this.ast];
  }

  /** 1-based line, 0-based column, as ESLint's own JS source code. */
  getLocFromIndex(index: number): Position {
    const { line, column } = toLineCol(this.#starts, index);
    return { line, column: column - 1 };
  }


  getIndexFromLoc(loc: Position): number {
    return (this.#starts[loc.line - 1] ?? this.text.length) + loc.column;
  }

  *traverse(): Iterable<{ kind: 1; target: SqlNode; phase: 1 | 2; args: unknown[] }> {
    yield { kind: 1, target: this.ast, phase: 1, args: [this.ast, null] };
    yield { kind: 1, target: this.ast, phase: 2, args: [this.ast, null] };
  }

  getInlineConfigNodes(): SqlCommentNode[] {
    return this.ast.comments.filter((c) => /^(?:--|\/\*)\s*eslint(?:-env)?\s/.test(c.value));
  }

  getDisableDirectives(): { directives: Array<{ type: string; node: SqlCommentNode; value: string; justification: string }>; problems: never[] } {
    const directives = [];
    for (const c of this.ast.comments) {
      const m = DIRECTIVE.exec(c.value.trim());
      if (!m) continue;
      const [value, justification] = m[2]!.split(/\s-{2,}\s/);
      directives.push({ type: m[1]!, node: c, value: (value ?? '').trim(), justification: (justification ?? '').trim() });
    }
    return { directives, problems: [] };
  }

  applyInlineConfig(): { configs: never[]; problems: never[] } {
    return { configs: [], problems: [] };
  }
}

function nodeAt(type: string, start: number, end: number, locOf: (i: number) => Position): SqlNode {
  return { type, range: [start, end], loc: { start: locOf(start), end: locOf(end) } };
}

export const sqlLanguage = {
  fileType: 'text' as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: 'type',
  visitorKeys: { Program: [], Comment: [] },
  defaultLanguageOptions: {},
  validateLanguageOptions(): void {},
  parse(file: { body: string | Uint8Array }): { ok: true; ast: SqlProgramNode } {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    const starts = lineStarts(text);
    const locOf = (i: number): Position => {
      let line = 0;
      while (line + 1 < starts.length && starts[line + 1]! <= i) line++;
      return { line: line + 1, column: i - starts[line]! };
    };
    // comments are found with the PostgreSQL lexer settings: `--` and nested `/* */`, the common ground
    const comments = lex(text, 'postgresql')
      .filter((t) => t.type === 'comment')
      .map((t) => ({ ...nodeAt('Comment', t.start, t.end, locOf), value: t.value }) as SqlCommentNode);
    return { ok: true, ast: { ...nodeAt('Program', 0, text.length, locOf), type: 'Program', sqlperfSql: true, comments } };
  },
  createSourceCode(file: { body: string | Uint8Array }, parsed: { ast: SqlProgramNode }): SqlSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return new SqlSourceCode(text, parsed.ast);
  },
};
