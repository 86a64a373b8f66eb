/**
 * `sqlperf/sql`: an ESLint language (ESLint >= 9.7 `languages` API) so ESLint lints `.sql` files
 * with the same rules, and `-- eslint-disable-next-line sqlperf/no-select-star` or
 * `/* eslint-disable *\/` comments work. The rules analyse the whole text through the core (see
 * adapter.ts).
 *
 * To every other rule a `.sql` file is an empty JavaScript program that has the SQL comments as
 * its comments: the source code is ESLint's own `SourceCode` (lines, locations, tokens, comments,
 * scopes, inline config), so core and typescript-eslint rules that a config without `files`
 * applies to every file (`js.configs.recommended`, `tseslint.configs.recommended`) run on it
 * without crashing and without findings, except text rules such as `no-irregular-whitespace`.
 */
import { SourceCode } from 'eslint';
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

/** A SQL comment as an ESTree comment: `-- x` is a `Line` and `/* x *\/` a `Block`, `value` without the delimiters. */
export interface SqlCommentNode extends SqlNode {
  type: 'Line' | 'Block';
  value: string;
}

/** The root: an ESTree `Program` with no statements; `sqlperfSql` tells it from a JS/TS Program. */
export interface SqlProgramNode extends SqlNode {
  type: 'Program';
  sqlperfSql: true;
  body: [];
  sourceType: 'script';
  tokens: [];
  comments: SqlCommentNode[];
}

const VISITOR_KEYS = { Program: ['body'] };

// ESLint's directive words; `--` comments carry every kind, since `--` is how SQL comments a line
const DIRECTIVE = /^\s*eslint-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/;

/** The scope of a program with no declarations, for rules that ask `getScope` / `getDeclaredVariables`. */
function emptyScopeManager(program: SqlProgramNode) {
  const globalScope = {
    type: 'global',
    block: program,
    upper: null,
    childScopes: [],
    variables: [] as unknown[],
    set: new Map<string, unknown>(),
    references: [],
    through: [],
    functionExpressionScope: false,
    isStrict: false,
    variableScope: null as unknown,
    implicit: { variables: [], set: new Map(), left: [] },
  };
  globalScope.variableScope = globalScope;
  return {
    scopes: [globalScope],
    globalScope,
    acquire: (node: unknown) => (node === program ? globalScope : null),
    getDeclaredVariables: () => [],
    addGlobals(names: string[]) {
      for (const name of names) {
        if (globalScope.set.has(name)) continue;
        const variable = { name, scope: globalScope, identifiers: [], references: [], defs: [] };
        globalScope.set.set(name, variable);
        globalScope.variables.push(variable);
      }
    },
    isGlobalReturn: () => false,
    isModule: () => false,
    isES6: () => true,
    isImpliedStrict: () => false,
    isStrictModeSupported: () => true,
  };
}

/**
 * What typescript-eslint's untyped rules ask of parser services (`getParserServices(context, true)`):
 * node maps, here empty, and no program. Rules that need type information still say so.
 */
const NO_TYPESCRIPT = { program: null, esTreeNodeToTSNodeMap: new WeakMap(), tsNodeToESTreeNodeMap: new WeakMap(), emitDecoratorMetadata: false, experimentalDecorators: false, isolatedDeclarations: false };

export class SqlSourceCode extends SourceCode {
  declare readonly ast: SqlProgramNode & SourceCode['ast'];

  constructor(text: string, ast: SqlProgramNode) {
    super({ text, ast: ast as never, scopeManager: emptyScopeManager(ast) as never, parserServices: NO_TYPESCRIPT, visitorKeys: VISITOR_KEYS });
  }

  /** SQL has no JavaScript globals: nothing to add from `languageOptions` or `/* global *\/` comments. */
  applyLanguageOptions(): void {}
  finalize(): void {}

  /** As ESLint's, but a `--` comment may hold any directive (`-- eslint-disable` for the rest of the file). */
  getDisableDirectives(): { directives: Array<{ type: string; node: SqlCommentNode; value: string; justification: string }>; problems: [] } {
    const directives = [];
    for (const c of this.ast.comments) {
      const m = DIRECTIVE.exec(c.value);
      if (!m) continue;
      const [value, justification] = m[2]!.split(/\s-{2,}\s/);
      directives.push({ type: m[1]!, node: c, value: (value ?? '').trim(), justification: (justification ?? '').trim() });
    }
    return { directives, problems: [] };
  }
}

export const sqlLanguage = {
  fileType: 'text' as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: 'type',
  visitorKeys: VISITOR_KEYS,
  // rules such as `strict` and `no-eval` read `parserOptions.ecmaFeatures`
  defaultLanguageOptions: { parserOptions: {} },
  validateLanguageOptions(): void {},
  parse(file: { body: string | Uint8Array }): { ok: true; ast: SqlProgramNode } {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    // ESLint's line breaks (range.ts), and a binary search per offset: 100k comments stay linear
    const starts = lineStarts(text);
    const locOf = (i: number): Position => {
      const { line, column } = toLineCol(starts, i);
      return { line, column: column - 1 };
    };
    const at = (start: number, end: number) => ({ range: [start, end] as [number, number], loc: { start: locOf(start), end: locOf(end) } });
    // comments are found with the PostgreSQL lexer settings: `--` and nested `/* */`, the common ground
    const comments: SqlCommentNode[] = [];
    for (const t of lex(text, 'postgresql')) {
      // psql meta-commands and COPY data are comment tokens to the splitter, not comments
      if (t.type !== 'comment' || t.meta) continue;
      const line = text.startsWith('--', t.start);
      const value = text.slice(t.start + 2, line || t.unterminated ? t.end : t.end - 2);
      comments.push({ type: line ? 'Line' : 'Block', value, ...at(t.start, t.end) });
    }
    return { ok: true, ast: { type: 'Program', sqlperfSql: true, body: [], sourceType: 'script', tokens: [], comments, ...at(0, text.length) } };
  },
  createSourceCode(file: { body: string | Uint8Array }, parsed: { ast: SqlProgramNode }): SqlSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return new SqlSourceCode(text, parsed.ast);
  },
};
