/**
 * The CLI's JS/TS parser: oxc-parser, loaded on the first JS/TS file that may hold SQL (it loads in
 * milliseconds where typescript-estree and typescript cost ~370 ms). Its output is ESTree/TS-ESTree
 * with `range` in UTF-16 offsets, like ESLint's `SourceCode.ast`; the one difference the embed layer
 * sees is bridged here: oxc returns the comments beside the program (with `start`/`end`), ESLint
 * puts them on it (with `range`).
 */
import { createRequire } from 'node:module';
import type { ParserOptions, ParseResult } from 'oxc-parser';
import { fromOxc, type AstComment, type AstProgram } from './estree.js';

type ParseSync = (filename: string, code: string, options: ParserOptions) => ParseResult;
let parseSync: ParseSync | undefined;

function loadOxc(): ParseSync {
  if (parseSync) return parseSync;
  // loaded on demand (require gives no types: oxc's own declarations type it)
  const oxc: { parseSync: ParseSync } = createRequire(import.meta.url)('oxc-parser');
  parseSync = oxc.parseSync;
  return parseSync;
}

/** A parsed file, or where and why it is not JavaScript/TypeScript. */
export type HostParse = { ok: true; program: AstProgram } | { ok: false; message: string; at: number };

/**
 * How to read a file: `.ts`/`.mts`/`.cts` as TypeScript without JSX (`<T>x` is a cast there),
 * anything else as TypeScript with JSX (as typescript-estree with `jsx: true` did: `.js` files with
 * JSX or type annotations both parse). A file that fails one way is tried the other way.
 */
function langsFor(filePath: string): ['ts' | 'tsx', 'ts' | 'tsx'] {
  return /\.[cm]?ts$/i.test(filePath) ? ['ts', 'tsx'] : ['tsx', 'ts'];
}

/** Parses one JS/TS file with oxc; never throws for anything in the file. */
export function parseHost(code: string, filePath: string): HostParse {
  const [first, second] = langsFor(filePath);
  const tried = parseAs(first, code, filePath);
  if (tried.ok) return tried;
  const other = parseAs(second, code, filePath);
  // the error of the first way is the one that reads as the file's kind
  return other.ok ? other : tried;
}

function parseAs(lang: 'ts' | 'tsx', code: string, filePath: string): HostParse {
  const r = loadOxc()(filePath, code, { lang, range: true, preserveParens: false, sourceType: 'module' });
  const err = r.errors.find((e) => e.severity === 'Error');
  if (err) return { ok: false, message: err.message, at: Math.max(0, Math.min(err.labels[0]?.start ?? 0, code.length)) };
  return { ok: true, program: fromOxc(r.program, r.comments.map((c): AstComment => ({ type: c.type, value: c.value, range: [c.start, c.end] }))) };
}
