import type { Dialect } from '../dialect.js';
import { codeTokens, isWord, type Token } from '../parse/lexer.js';
import { parseText, type FailedStatement, type ParsedStatement } from '../parse/index.js';
import type { Range } from '../range.js';
import type { DdlAction } from './types.js';

/**
 * Schema changes in index statements node-sql-parser's grammars reject, read from the tokens:
 * MySQL `ALTER TABLE t RENAME INDEX|KEY a TO b`, T-SQL `EXEC sp_rename 'obj', 'new', 'INDEX'|'COLUMN'`,
 * and statements that parse once a clause the grammar lacks is blanked out (MariaDB's
 * `CREATE INDEX IF NOT EXISTS`, T-SQL's `CREATE UNIQUE NONCLUSTERED INDEX`) and SQLite's `DROP INDEX [IF EXISTS]`.
 * Empty when the statement is none of these.
 */
export function readUnparsedDdl(stmt: FailedStatement, text: string, dialect: Dialect, read: (stmt: ParsedStatement, text: string) => DdlAction[]): DdlAction[] {
  const toks = codeTokens(stmt.tokens);
  const w = (i: number, word: string) => isWord(toks[i], word);
  const range = stmt.range;
  if (w(0, 'ALTER') && w(1, 'TABLE')) {
    const renames = alterRenames(toks);
    if (renames) return renames;
  }
  const rename = spRename(toks, range);
  if (rename) return rename;
  // a clause the grammar lacks, blanked out (offsets unchanged), and the statement read again
  const blank: Token[] = [];
  if (w(0, 'CREATE') && (w(2, 'INDEX') || w(1, 'INDEX') || w(3, 'INDEX'))) {
    // T-SQL: UNIQUE NONCLUSTERED (the grammar takes one of the two words); the storage choice changes no key
    const kind = [1, 2].find((k) => w(k, 'NONCLUSTERED') || w(k, 'CLUSTERED'));
    if (kind !== undefined && w(1, 'UNIQUE')) blank.push(toks[kind]!);
    const i = w(1, 'INDEX') ? 2 : w(2, 'INDEX') ? 3 : 4;
    if (w(i, 'IF') && w(i + 1, 'NOT') && w(i + 2, 'EXISTS')) blank.push(toks[i]!, toks[i + 1]!, toks[i + 2]!);
  } else if (w(0, 'DROP') && w(1, 'INDEX')) return dropIndex(toks, range);
  else if (w(0, 'CREATE')) {
    const table = createdTable(toks, range);
    if (table) return [table];
  }
  if (!blank.length) return [];
  let slice = text.slice(range.start, range.end);
  for (const t of blank) slice = slice.slice(0, t.start - range.start) + ' '.repeat(t.end - t.start) + slice.slice(t.end - range.start);
  const out: DdlAction[] = [];
  for (const st of parseText(slice, dialect).statements) {
    if (st.parser === 'none') return [];
    for (const a of read(st, slice)) out.push({ ...a, range: { start: a.range.start + range.start, end: a.range.end + range.start } });
  }
  return out;
}

/** `ALTER TABLE t RENAME INDEX a TO b[, RENAME KEY c TO d]`: null when any part is something else. */
function alterRenames(toks: Token[]): DdlAction[] | null {
  let i = 2;
  while (toks[i + 1]?.value === '.') i += 2;
  i++;
  const out: DdlAction[] = [];
  while (i < toks.length) {
    if (!(isWord(toks[i], 'RENAME') && (isWord(toks[i + 1], 'INDEX') || isWord(toks[i + 1], 'KEY')) && isName(toks[i + 2]) && isWord(toks[i + 3], 'TO') && isName(toks[i + 4]))) return null;
    out.push({ op: 'renameIndex', from: toks[i + 2]!.value, to: toks[i + 4]!.value, range: { start: toks[i]!.start, end: toks[i + 4]!.end } });
    i += 5;
    if (toks[i]?.value === ',') i++;
    else if (i < toks.length) return null;
  }
  return out.length ? out : null;
}

/** SQLite's `DROP INDEX [IF EXISTS] [schema.]name`, which node-sql-parser's SQLite grammar lacks. */
function dropIndex(toks: Token[], range: Range): DdlAction[] {
  let i = isWord(toks[2], 'IF') && isWord(toks[3], 'EXISTS') ? 4 : 2;
  if (toks[i + 1]?.value === '.') i += 2;
  return isName(toks[i]) && i === toks.length - 1 ? [{ op: 'dropIndex', name: toks[i]!.value, table: null, range }] : [];
}

const isName = (t: Token | undefined) => t !== undefined && (t.type === 'ident' || t.type === 'qident');

/**
 * `CREATE [TEMP|TEMPORARY] TABLE [IF NOT EXISTS] [schema.]name (`: a table that exists, whatever in
 * its definition the grammar rejects. Known by name with unknown columns, so a query on it is not
 * called one on a missing table and its columns are not judged.
 */
function createdTable(toks: Token[], range: Range): DdlAction | null {
  let i = 1;
  const temporary = isWord(toks[i], 'TEMP') || isWord(toks[i], 'TEMPORARY');
  if (temporary) i++;
  if (!isWord(toks[i], 'TABLE')) return null;
  i++;
  const ifNotExists = isWord(toks[i], 'IF') && isWord(toks[i + 1], 'NOT') && isWord(toks[i + 2], 'EXISTS');
  if (ifNotExists) i += 3;
  let schema: string | null = null;
  if (isName(toks[i]) && toks[i + 1]?.value === '.' && isName(toks[i + 2])) {
    schema = toks[i]!.value;
    i += 2;
  }
  if (!isName(toks[i]) || toks[i + 1]?.value !== '(') return null;
  return { op: 'createTable', kind: 'table', table: toks[i]!.value, schema, temporary, ifNotExists, replace: false, columns: [], columnsKnown: false, range };
}

/** A name inside a sp_rename argument: `dbo.t.ix`, `[dbo].[t].[ix]`. */
function parts(s: string): string[] {
  return (s.match(/\[(?:[^\]]|\]\])*\]|"(?:[^"]|"")*"|[^.]+/g) ?? []).map((p) => (/^\[.*\]$/.test(p) ? p.slice(1, -1).replace(/]]/g, ']') : /^".*"$/.test(p) ? p.slice(1, -1).replace(/""/g, '"') : p));
}

/** T-SQL `[EXEC[UTE]] sp_rename 'obj', 'new'[, 'INDEX' | 'COLUMN' | 'OBJECT']` (strings may have the N prefix). */
function spRename(toks: Token[], range: Range): DdlAction[] | null {
  let i = isWord(toks[0], 'EXEC') || isWord(toks[0], 'EXECUTE') ? 1 : 0;
  const callee = toks[i]?.value.toLowerCase().replace(/^(dbo|sys)\./, '');
  if (!(toks[i]?.type === 'ident' || toks[i]?.type === 'qident') || callee !== 'sp_rename') return null;
  i++;
  if (toks[i]?.value === '.') return null;
  const args: string[] = [];
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.type === 'string') args.push(t.value);
    else if (!(t.value === ',' || (t.type === 'ident' && /^n$/i.test(t.value)))) return null;
  }
  if (args.length < 2) return null;
  const obj = parts(args[0]!);
  const to = parts(args[1]!).at(-1)!;
  const kind = (args[2] ?? 'OBJECT').toUpperCase();
  const from = obj.at(-1)!;
  if (kind === 'INDEX' && obj.length >= 2) return [{ op: 'renameIndex', from, to, range }];
  if (kind === 'COLUMN' && obj.length >= 2) return [{ op: 'renameColumn', table: obj.at(-2)!, from, to, range }];
  // an object: a table, or a constraint (primary, unique or foreign key) by its name
  if (kind === 'OBJECT') return [{ op: 'renameTable', table: from, to, range }, { op: 'renameIndex', from, to, range }];
  return null;
}
