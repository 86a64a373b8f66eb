/**
 * Golden cases for the parse driver (src/parse/index.ts): which parser reads each statement, its
 * range and tokens, and for a statement that is not read, the error's kind, range and message:
 * NUL bytes, the bracket and size pre-checks, ClickHouse SQL, statements node-sql-parser skips,
 * the time guard, reserved aliases, and positions after multi-byte characters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { DEFAULT_LIMITS, forEachStatement, parseText, type ParsedStatement, type ParseLimits } from '../src/parse/index.js';
import type { Token } from '../src/parse/lexer.js';

beforeAll(() => ready());

/**
 * A statement as `parser start-end what`: the tree's first key (libpg-query) or its type
 * (node-sql-parser), or for one not read `kind@start-end message`.
 */
function show(s: ParsedStatement): string {
  const at = `${s.range.start}-${s.range.end}`;
  if (s.parser === 'none') return `none ${at} ${s.error.kind}@${s.error.range.start}-${s.error.range.end} ${s.error.message}`;
  return `${s.parser} ${at} ${s.parser === 'pg' ? Object.keys(s.ast)[0] : s.ast.type}`;
}
const statements = (text: string, dialect: Dialect = 'postgresql', limits?: ParseLimits) => parseText(text, dialect, limits).statements;
const shown = (text: string, dialect: Dialect = 'postgresql', limits?: ParseLimits) => statements(text, dialect, limits).map(show);
const tokenText = (t: Token) => `${t.value}@${t.start}-${t.end}`;
const NUL_MESSAGE = 'invalid character: a NUL byte (\\0) in the statement, which databases reject and the parser cannot read past';

describe('parse driver: statements and their tokens', () => {
  it('parseText keeps every token, comments included, and each statement its own tokens', () => {
    const parsed = parseText('-- a\nSELECT 1; /* b */ SELECT 2', 'postgresql');
    expect(parsed.tokens.map(tokenText)).toEqual(['-- a@0-4', 'SELECT@5-11', '1@12-13', ';@13-14', '/* b */@15-22', 'SELECT@23-29', '2@30-31']);
    expect(parsed.statements.map(show)).toEqual(['pg 5-13 SelectStmt', 'pg 23-31 SelectStmt']);
    expect(parsed.statements.map((s) => s.tokens.map(tokenText))).toEqual([['SELECT@5-11', '1@12-13'], ['SELECT@23-29', '2@30-31']]);
    expect([parsed.text, parsed.dialect]).toEqual(['-- a\nSELECT 1; /* b */ SELECT 2', 'postgresql']);
    expect(parseText('', 'postgresql').statements).toEqual([]);
    expect(parseText(' \n', 'mysql')).toEqual({ text: ' \n', dialect: 'mysql', tokens: [], statements: [] });
  });

  it('node-sql-parser statements map their locations from the statement to the text', () => {
    const [, s] = statements('SELECT 1;  SELECT a FROM t', 'mysql');
    expect(s && show(s)).toBe('nsp 11-26 select');
    expect(s!.parser === 'nsp' && [s!.pos(0), s!.pos(7)]).toEqual([11, 18]);
  });

  it('a NUL byte makes its statement an error at the byte; statements around it are read', () => {
    for (const dialect of ['postgresql', 'mysql'] as const) {
      const [a, b, c] = shown('SELECT 1;\0SELECT 2;SELECT \0 3', dialect);
      expect(a).toBe(dialect === 'postgresql' ? 'pg 0-8 SelectStmt' : 'nsp 0-8 select');
      expect(b).toBe(dialect === 'postgresql' ? 'pg 10-18 SelectStmt' : 'nsp 10-18 select');
      expect(c).toBe(`none 19-29 syntax@26-27 ${NUL_MESSAGE}`);
    }
    expect(shown('SELECT \0 1;\0 SELECT \0 2', 'mysql')).toEqual([`none 0-10 syntax@7-8 ${NUL_MESSAGE}`, `none 13-23 syntax@20-21 ${NUL_MESSAGE}`]);
    // a NUL before the first statement or right after its last token is outside it
    expect(shown('\0SELECT 1')).toEqual(['pg 1-9 SelectStmt']);
    expect(shown('SELECT 1\0', 'mysql')).toEqual(['nsp 0-8 select']);
  });

  it('a block comment never closed after the last statement is an error at its /*', () => {
    const message = 'unterminated comment: the "/*" is never closed, so everything after it is ignored';
    expect(shown('SELECT 1; /* x')).toEqual(['pg 0-8 SelectStmt', `none 10-12 syntax@10-12 ${message}`]);
    expect(shown('/* x', 'mysql')).toEqual([`none 0-2 syntax@0-2 ${message}`]);
    expect(statements('SELECT 1 /* x', 'mysql')[1]!.tokens.map(tokenText)).toEqual(['/* x@9-13']);
    // a closed comment, or an unclosed string, is no such error
    expect(shown('SELECT 1; /* x */')).toEqual(['pg 0-8 SelectStmt']);
    expect(shown("SELECT 'x", 'mysql')).toEqual(['none 0-9 syntax@7-8 unterminated string']);
  });
});

describe('parse driver: sqlc annotations', () => {
  it('the nearest -- name: comment before a statement names it; its command is lower-cased', () => {
    const [a, b, c] = statements('-- name: First :one\n-- name: GetUser :MANY\n-- plain\nSELECT 1;\nSELECT 2;\n-- name: Bad\nSELECT 3', 'postgresql');
    expect(a!.sqlc).toEqual({ name: 'GetUser', command: 'many' });
    expect(b!.sqlc).toBeUndefined();
    expect(c!.sqlc).toBeUndefined();
    expect(statements('-- name: Only :exec\nSELECT 1', 'mysql')[0]!.sqlc).toEqual({ name: 'Only', command: 'exec' });
  });

  it('a statement that is not read keeps its annotation, and has none when it has no annotation', () => {
    const [a, b] = statements('-- name: Broken :one\nSELECT (1;\nSELECT (2', 'mysql');
    expect(a!.sqlc).toEqual({ name: 'Broken', command: 'one' });
    expect('sqlc' in b!).toBe(false);
    expect('rewrites' in b!).toBe(false);
    // no rewrites: none recorded, whichever parser read the statement or failed to
    expect(statements('SELECT 1')[0]!.rewrites).toBeUndefined();
    expect(statements('SELECT 1', 'mysql')[0]!.rewrites).toBeUndefined();
    expect('rewrites' in statements('SELEC 1', 'mysql')[0]!).toBe(false);
  });
});

describe('parse driver: pre-checks', () => {
  it('brackets: an unmatched ) or the last ( never closed, outside PostgreSQL', () => {
    expect(shown('SELECT 1)', 'mysql')).toEqual(['none 0-9 syntax@8-9 syntax error: unmatched ")"']);
    expect(shown('SELECT ((1) + (2', 'mysql')).toEqual(['none 0-16 syntax@14-15 syntax error: "(" is never closed']);
    expect(shown('SELECT (1))', 'sqlite')).toEqual(['none 0-11 syntax@10-11 syntax error: unmatched ")"']);
    // brackets inside strings are no brackets
    expect(shown("SELECT ')', '(' FROM t", 'mysql')).toEqual(['nsp 0-22 select']);
    // PostgreSQL's own parser says where
    expect(shown('SELECT 1)')).toEqual(['none 0-9 syntax@8-9 syntax error at or near ")"']);
    expect(shown('SELECT (1')).toEqual(['none 0-9 syntax@8-9 syntax error at end of input']);
  });

  it('an unterminated string or quoted name is an error at its first character', () => {
    expect(shown('SELECT `ab', 'mysql')).toEqual(['none 0-10 syntax@7-8 unterminated quoted identifier']);
    expect(shown('SELECT "ab', 'mysql')).toEqual(['none 0-10 syntax@7-8 unterminated string']);
    expect(shown('SELECT [ab', 'transactsql')).toEqual(['none 0-10 syntax@7-8 unterminated quoted identifier']);
  });

  it('brackets nested deeper than maxNesting: the first bracket too deep, outside PostgreSQL', () => {
    const limits = { ...DEFAULT_LIMITS, maxNesting: 2 };
    const message = 'statement not analysed: brackets nested deeper than 2 (limits.maxNesting)';
    expect(shown('SELECT ((1)), ((2))', 'mysql', limits)).toEqual(['nsp 0-19 select']);
    expect(shown('SELECT (((1))), (((2)))', 'mysql', limits)).toEqual([`none 0-23 limit@9-10 ${message}`]);
    expect(shown('SELECT (((1)))', 'postgresql', limits)).toEqual(['pg 0-14 SelectStmt']);
  });

  it('a statement longer than maxStatementLength is not parsed, in any dialect; one of exactly that length is', () => {
    const limits = { ...DEFAULT_LIMITS, maxStatementLength: 2048 };
    const sql = (n: number) => `SELECT ${'x'.repeat(n - 'SELECT  FROM t'.length)} FROM t`;
    const message = 'statement not analysed: 3 KB is over the 2 KB limit (limits.maxStatementLength)';
    expect(shown(sql(3000), 'postgresql', limits)).toEqual([`none 0-3000 limit@0-6 ${message}`]);
    expect(shown(sql(3000), 'mysql', limits)).toEqual([`none 0-3000 limit@0-6 ${message}`]);
    expect(shown(sql(2048), 'postgresql', limits)).toEqual(['pg 0-2048 SelectStmt']);
    expect(shown(sql(2049), 'mysql', limits)).toEqual(['none 0-2049 limit@0-6 statement not analysed: 2 KB is over the 2 KB limit (limits.maxStatementLength)']);
    // a statement's length is its own, wherever it starts
    const first = `${sql(1500)};\n`;
    expect(shown(first + sql(2048), 'mysql', limits)).toEqual(['nsp 0-1500 select', 'nsp 1502-3550 select']);
    expect(shown(first + sql(3000), 'mysql', limits)).toEqual(['nsp 0-1500 select', `none 1502-4502 limit@1502-1508 ${message}`]);
  });
});

describe('parse driver: PostgreSQL', () => {
  it('an error after multi-byte characters lands on its own token (PostgreSQL counts characters, not bytes)', () => {
    expect(shown("SELECT 'é€😀' x y")).toEqual(['none 0-17 syntax@16-17 syntax error at or near "y"']);
    expect(shown("SELECT 1;\nSELECT 'ü', 'ß' x y")).toEqual(['pg 0-8 SelectStmt', 'none 10-29 syntax@28-29 syntax error at or near "y"']);
  });

  it('a chunk libpg-query reads as several statements gives each its range and tokens, in bytes mapped to characters', () => {
    // `begin` after SELECT keeps the splitter in a CREATE body, so the chunk holds three statements
    const text = "CREATE VIEW v AS SELECT begin, 'é' FROM t; SELECT 'ü' ; SELECT 2";
    const list = statements(text);
    expect(list.map(show)).toEqual(['pg 0-41 ViewStmt', 'pg 43-54 SelectStmt', 'pg 56-64 SelectStmt']);
    expect(list.map((s) => s.tokens.map((t) => t.value).join(' '))).toEqual(['CREATE VIEW v AS SELECT begin , é FROM t', 'SELECT ü', 'SELECT 2']);
    // 'é' and 'ü' take two bytes each: byte 44 is character 43, byte 56 character 54
    expect(list[1]!.parser === 'pg' && [list[1]!.pos(44), list[1]!.pos(56)]).toEqual([43, 54]);
  });

  it("ClickHouse SQL that PostgreSQL rejects is skipped, at the statement's first token", () => {
    expect(shown('SELECT count() FROM t ARRAY JOIN a')).toEqual(['none 0-34 skipped@0-6 not analysed: ClickHouse SQL (ARRAY JOIN)']);
    expect(shown("SELECT 1;\n  SELECT a + INTERVAL 1 DAY FROM t WHERE")).toEqual(['pg 0-8 SelectStmt', "none 12-50 skipped@12-18 not analysed: ClickHouse SQL (INTERVAL n UNIT (PostgreSQL writes INTERVAL 'n unit'))"]);
  });

  it('reading queries only: statements no query starts like are checked, not built', () => {
    const kinds: string[] = [];
    const text = 'CREATE TABLE t (a int); SELECT 1; (SELECT 2); with x as (select 1) select * from x; VALUES (1); TABLE t; INSERT INTO t VALUES (1); UPDATE t SET a = 1; DELETE FROM t; SET x = 1; CREATE TABLE (';
    forEachStatement(text, 'postgresql', DEFAULT_LIMITS, (s) => kinds.push(s.parser === 'pg' ? Object.keys(s.ast)[0]! : s.parser === 'none' ? s.error.message : s.parser), undefined, 'queries');
    expect(kinds).toEqual(['SqlperfUnread', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'SqlperfUnread', 'syntax error at or near "("']);
    const all: string[] = [];
    forEachStatement('CREATE TABLE t (a int)', 'postgresql', DEFAULT_LIMITS, (s) => all.push(s.parser === 'pg' ? Object.keys(s.ast)[0]! : ''));
    expect(all).toEqual(['CreateStmt']);
  });

  it('forEachStatement hands every token to onToken, in order, when given one', () => {
    const seen: string[] = [];
    forEachStatement('SELECT 1 -- c', 'postgresql', DEFAULT_LIMITS, () => undefined, (t) => seen.push(tokenText(t)));
    expect(seen).toEqual(['SELECT@0-6', '1@7-8', '-- c@9-13']);
    expect(() => forEachStatement('SELECT 1', 'postgresql', DEFAULT_LIMITS, () => undefined)).not.toThrow();
  });
});

describe('parse driver: node-sql-parser dialects', () => {
  it('a syntax error names the whole token it is at, or the end of input', () => {
    expect(shown('SELECT a,,b FROM t', 'mysql')).toEqual(['none 0-18 syntax@9-10 syntax error at or near ","']);
    expect(shown('SELECT 1 FROM t WHERE', 'mysql')).toEqual(['none 0-21 syntax@16-21 syntax error at end of input']);
    expect(shown("SELECT 1 'x' 'it''s'", 'mysql')).toEqual(["none 0-20 syntax@13-20 syntax error at or near \"'it's'\""]);
    expect(shown("SELECT 1 'x' `a b`", 'mysql')).toEqual(['none 0-18 syntax@13-18 syntax error at or near "a b"']);
  });

  it('the token named in a syntax error is cut after 40 characters', () => {
    const a40 = 'a'.repeat(40);
    expect(shown(`SELECT 1 'x' ${a40}`, 'mysql')).toEqual([`none 0-53 syntax@13-53 syntax error at or near "${a40}"`]);
    expect(shown(`SELECT 1 'x' ${a40}b`, 'mysql')).toEqual([`none 0-54 syntax@13-54 syntax error at or near "${a40}…"`]);
  });

  it('a statement no query starts like is skipped when the grammar lacks it, at its first word', () => {
    expect(shown('CREATE FOO BAR', 'mysql')).toEqual(['none 0-14 skipped@0-6 CREATE statement not analysed: syntax error at or near "F"']);
    expect(shown('vacuum full t', 'sqlite')).toEqual(['none 0-13 skipped@0-6 VACUUM statement not analysed: syntax error at or near "f"']);
    expect(shown('GO', 'transactsql')).toEqual(['none 0-2 skipped@0-2 GO statement not analysed: syntax error at end of input']);
    // a quoted name is no keyword
    expect(shown('`SET` x = 1', 'mysql')).toEqual(['none 0-11 syntax@0-5 syntax error at or near "SET"']);
  });

  it('ClickHouse SQL is skipped; MySQL, MariaDB and BigQuery have INTERVAL n UNIT of their own', () => {
    expect(shown('SELECT count() FROM t FINAL', 'mysql')).toEqual(['none 0-27 skipped@0-6 not analysed: ClickHouse SQL (FROM ... FINAL)']);
    const interval = 'SELECT a + INTERVAL 1 DAY FROM t WHERE';
    expect(shown(interval, 'sqlite')).toEqual(["none 0-38 skipped@0-6 not analysed: ClickHouse SQL (INTERVAL n UNIT (PostgreSQL writes INTERVAL 'n unit'))"]);
    for (const d of ['mysql', 'mariadb', 'bigquery'] as const) expect(shown(interval, d)).toEqual(['none 0-38 syntax@33-38 syntax error at end of input']);
  });

  it('a reserved word as an alias is quoted for the parser, as the dialect quotes, and the rewrite recorded', () => {
    const [s] = statements('SELECT a AS count, b AS Count FROM [t]', 'sqlite');
    expect(s && show(s)).toBe('nsp 0-38 select');
    expect(s!.parser === 'nsp' && (s!.ast.columns as Array<{ as: string }>).map((c) => c.as)).toEqual(['count', 'Count']);
    // in text order, with the rewrites normalisation made for [t]
    expect(s!.rewrites).toEqual([
      { start: 9, end: 17, kind: 'syntax', text: 'AS count' },
      { start: 21, end: 29, kind: 'syntax', text: 'AS Count' },
      { start: 35, end: 36, kind: 'syntax', text: '[' },
      { start: 37, end: 38, kind: 'syntax', text: ']' },
    ]);
    const [m] = statements('SELECT a AS read FROM t', 'mysql');
    expect(m && show(m)).toBe('nsp 0-23 select');
    expect(m!.rewrites).toEqual([{ start: 9, end: 16, kind: 'syntax', text: 'AS read' }]);
    // a statement after another: the rewrite is where the alias is in the text
    const later = statements('SELECT 1; SELECT a AS count FROM t', 'sqlite')[1]!;
    expect(later.rewrites).toEqual([{ start: 19, end: 27, kind: 'syntax', text: 'AS count' }]);
    // and the parser read the rest of the statement after it
    expect(later.parser === 'nsp' && (later.ast.from as Array<{ table: string }>).map((f) => f.table)).toEqual(['t']);
    // a comment between AS and the word; an alias already quoted is left as it is
    expect(statements('SELECT a AS /* c */ count FROM t', 'sqlite')[0]!.rewrites).toEqual([{ start: 9, end: 25, kind: 'syntax', text: 'AS count' }]);
    expect(statements('SELECT a AS count, b AS "count" FROM t', 'sqlite')[0]!.rewrites).toEqual([
      { start: 9, end: 17, kind: 'syntax', text: 'AS count' },
      { start: 24, end: 25, kind: 'syntax', text: '"' },
      { start: 30, end: 31, kind: 'syntax', text: '"' },
    ]);
    // an error that names no reserved word quotes nothing
    expect(shown('SELECT a AS x FROM t WHERE', 'mysql')).toEqual(['none 0-26 syntax@21-26 syntax error at end of input']);
  });

  it('four reserved aliases are quoted, a fifth is left as the error it is', () => {
    const four = 'SELECT a AS count, b AS contains, c AS read, d AS write FROM t';
    expect(shown(four, 'sqlite')).toEqual(['nsp 0-62 select']);
    const five = 'SELECT a AS count, b AS contains, c AS read, d AS write, e AS global FROM t';
    expect(shown(five, 'sqlite')).toEqual(['none 0-75 syntax@0-75 Error: "global" is a reserved word, can not as alias clause']);
    // without AS there is nothing to quote
    expect(shown('SELECT a count FROM t', 'sqlite')).toEqual(['none 0-21 syntax@15-19 syntax error at or near "FROM"']);
  });

  it('from 6 nested brackets the parse runs under the time limit; an expired limit is a limit error', () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `c${i % 9}`).join(' + ');
    const nested = (depth: number) => `SELECT ${'('.repeat(depth)}${chain}${')'.repeat(depth)} FROM t`;
    const limits = { ...DEFAULT_LIMITS, parseTimeoutMs: 1 };
    const six = nested(6);
    expect(shown(six, 'mysql', limits)).toEqual([`none 0-${six.length} limit@0-${six.length} the parser gave up after 1 ms on this statement`]);
    const five = nested(5);
    expect(shown(five, 'mysql', limits)).toEqual([`nsp 0-${five.length} select`]);
    // the depth is the deepest point, not the number of brackets
    const wide = `SELECT ${Array.from({ length: 6 }, () => `(${chain})`).join(', ')} FROM t`;
    expect(shown(wide, 'mysql', limits)).toEqual([`nsp 0-${wide.length} select`]);
    // a bracket in a string is none; a comma or a dot does not close one
    const quoted = `SELECT (((((${chain} + '('))))) FROM t`;
    expect(shown(quoted, 'mysql', limits)).toEqual([`nsp 0-${quoted.length} select`]);
    const dotted = `SELECT (t.a + (t.b + (t.c + (t.d + (t.e + (t.f + ${chain})))))) FROM t`;
    expect(shown(dotted, 'mysql', limits)).toEqual([`none 0-${dotted.length} limit@0-${dotted.length} the parser gave up after 1 ms on this statement`]);
  });

  it('a parser crash is an unsupported statement', () => {
    // a time limit of 0 ms is one the guard refuses (RangeError): the statement is not analysed
    const sql = 'SELECT ((((((1)))))) FROM t';
    expect(shown(sql, 'mysql', { ...DEFAULT_LIMITS, parseTimeoutMs: 0 })).toEqual(['none 0-27 unsupported@0-27 not analysed: node-sql-parser cannot handle this statement (RangeError)']);
  });
});
