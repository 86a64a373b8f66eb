/**
 * Golden cases for the statement splitter (src/parse/split.ts): where each statement starts and
 * ends, which comments it keeps as annotations, and where procedural bodies keep their `;`.
 */
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../src/dialect.js';
import { lex } from '../src/parse/lexer.js';
import { splitStatements, StatementSplitter, type StatementChunk } from '../src/parse/split.js';

/** Each statement as its text, with the comments kept before it. */
function split(text: string, dialect: Dialect = 'postgresql'): Array<{ sql: string; before: string[] }> {
  return splitStatements(lex(text, dialect)).map((c) => ({ sql: text.slice(c.start, c.end), before: c.before.map((t) => text.slice(t.start, t.end)) }));
}
const sqls = (text: string, dialect: Dialect = 'postgresql') => split(text, dialect).map((c) => c.sql);

describe('statement splitter', () => {
  it('splits at top-level semicolons, trims each statement to its code, and needs no final semicolon', () => {
    expect(split("  SELECT 1 ;\n\nSELECT 'a;b', \"c;d\"  ;SELECT $$;$$")).toEqual([
      { sql: 'SELECT 1', before: [] },
      { sql: `SELECT 'a;b', "c;d"`, before: [] },
      { sql: 'SELECT $$;$$', before: [] },
    ]);
  });

  it('a semicolon inside brackets still ends a statement, as psql splits', () => {
    expect(sqls('SELECT (2; 3)')).toEqual(['SELECT (2', '3)']);
  });

  it('empty statements and stray semicolons make no statement', () => {
    expect(sqls(';;  ; SELECT 1;;')).toEqual(['SELECT 1']);
    expect(sqls(';')).toEqual([]);
    expect(sqls('')).toEqual([]);
  });

  it('comments between statements are the next one\'s annotations, not its tokens', () => {
    const text = '-- name: GetUser :one\nSELECT 1; -- trailing\n/* block */ SELECT 2 /* inside */ + 1 -- after\n';
    expect(split(text)).toEqual([
      { sql: 'SELECT 1', before: ['-- name: GetUser :one'] },
      { sql: 'SELECT 2 /* inside */ + 1', before: ['-- trailing', '/* block */'] },
    ]);
    const chunks = splitStatements(lex(text, 'postgresql'));
    expect(chunks[1]!.tokens.map((t) => t.type)).toEqual(['ident', 'number', 'comment', 'op', 'number']);
  });

  it('keeps only the last 32 comments before a statement', () => {
    const comments = Array.from({ length: 40 }, (_, i) => `-- c${i}`);
    const [c] = split(`${comments.join('\n')}\nSELECT 1`);
    expect(c!.before).toEqual(comments.slice(8));
  });

  it('a text of comments only makes no statement', () => {
    expect(split('-- a\n/* b */')).toEqual([]);
  });

  it('a BEGIN ... END body inside CREATE keeps its semicolons (SQLite trigger, MySQL procedure)', () => {
    const trigger = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END';
    expect(sqls(`${trigger}; SELECT 1`, 'sqlite')).toEqual([trigger, 'SELECT 1']);
    const proc = 'CREATE PROCEDURE p() BEGIN SELECT CASE WHEN x THEN 1 ELSE 2 END; SELECT 2; END';
    expect(sqls(`${proc};\nSELECT 3`, 'mysql')).toEqual([proc, 'SELECT 3']);
  });

  it('BEGIN outside CREATE, BEGIN TRANSACTION / WORK and a bare BEGIN; open no block', () => {
    expect(sqls('BEGIN; SELECT 1; COMMIT')).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
    expect(sqls('CREATE TABLE t (a int); BEGIN TRANSACTION; SELECT 1')).toEqual(['CREATE TABLE t (a int)', 'BEGIN TRANSACTION', 'SELECT 1']);
    expect(sqls('CREATE TEMP TABLE begin_x (a int); SELECT 1')).toEqual(['CREATE TEMP TABLE begin_x (a int)', 'SELECT 1']);
  });

  it('a column or index key named begin is a name, not a body', () => {
    expect(sqls('CREATE TABLE t (begin date, id int, "end" date); SELECT 1')).toEqual(['CREATE TABLE t (begin date, id int, "end" date)', 'SELECT 1']);
    expect(sqls('CREATE TABLE t (id int, begin date); SELECT 1')).toEqual(['CREATE TABLE t (id int, begin date)', 'SELECT 1']);
    expect(sqls('CREATE VIEW v AS SELECT t.begin FROM t; SELECT 1')).toEqual(['CREATE VIEW v AS SELECT t.begin FROM t', 'SELECT 1']);
    expect(sqls('CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN SELECT 1; END; SELECT 2', 'sqlite')).toEqual(['CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN SELECT 1; END', 'SELECT 2']);
  });

  it('BEGIN opens a body only in a CREATE, and never as BEGIN TRANSACTION, BEGIN WORK or BEGIN;', () => {
    expect(sqls('SELECT begin FROM t; SELECT 1')).toEqual(['SELECT begin FROM t', 'SELECT 1']);
    // a script that forgot the semicolon after CREATE: BEGIN there starts a transaction, not a body
    for (const begin of ['BEGIN TRANSACTION', 'BEGIN WORK', 'BEGIN']) {
      expect(sqls(`CREATE TABLE t (a int)\n${begin}; SELECT 1`)).toEqual([`CREATE TABLE t (a int)\n${begin}`, 'SELECT 1']);
    }
  });

  it('an END outside a body closes nothing', () => {
    expect(sqls('CREATE VIEW v AS SELECT CASE WHEN a THEN 1 END; SELECT 2')).toEqual(['CREATE VIEW v AS SELECT CASE WHEN a THEN 1 END', 'SELECT 2']);
  });

  it('semicolons are never annotations; comments after a statement that ends without one are the next one\'s', () => {
    expect(split(';; -- c\n; SELECT 1')).toEqual([{ sql: 'SELECT 1', before: ['-- c'] }]);
    expect(split('SELECT 1 -- note\n-- +goose StatementEnd\nSELECT 2')).toEqual([
      { sql: 'SELECT 1', before: [] },
      { sql: 'SELECT 2', before: ['-- note', '-- +goose StatementEnd'] },
    ]);
  });

  it('END END closes one block, not two; CASE opens one only inside a body', () => {
    const body = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END END; END';
    expect(sqls(`${body}; SELECT 9`, 'sqlite')).toEqual([body, 'SELECT 9']);
    expect(sqls('SELECT CASE WHEN a THEN 1 END; SELECT 2')).toEqual(['SELECT CASE WHEN a THEN 1 END', 'SELECT 2']);
  });

  it('goose annotations end a statement without a semicolon', () => {
    const text = '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql\n-- +goose StatementEnd\n-- +goose Down\nDROP FUNCTION f';
    expect(split(text)).toEqual([
      { sql: 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql', before: ['-- +goose Up', '-- +goose StatementBegin'] },
      { sql: 'DROP FUNCTION f', before: ['-- +goose StatementEnd', '-- +goose Down'] },
    ]);
  });

  it('a psql meta-command ends the statement before it', () => {
    expect(sqls('SELECT 1\n\\gset\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('a statement over the length limit keeps its first token and spans to its last code token', () => {
    const text = 'SELECT a, b, c FROM t /* x */; SELECT 2';
    const chunks: StatementChunk[] = [];
    const s = new StatementSplitter((c) => chunks.push(c), 10);
    for (const t of lex(text, 'postgresql')) s.feed(t);
    s.end();
    expect(chunks.map((c) => [text.slice(c.start, c.end), c.tokens.map((t) => t.value)])).toEqual([
      ['SELECT a, b, c FROM t', ['SELECT']],
      ['SELECT 2', ['SELECT', '2']],
    ]);
  });

  it('a statement of exactly the limit is not over it; the one after an oversized statement has its own annotations', () => {
    const text = 'SELECT 1; -- c\nSELECT 1234567890';
    const chunks: StatementChunk[] = [];
    // `SELECT 1;` is 9 characters up to its semicolon, the last token the check sees
    const s = new StatementSplitter((c) => chunks.push(c), 9);
    for (const t of lex(text, 'postgresql')) s.feed(t);
    s.end();
    expect(chunks.map((c) => [c.tokens.length, c.before.map((t) => text.slice(t.start, t.end))])).toEqual([
      [2, []],
      [1, ['-- c']],
    ]);
  });

  it('the limit is per statement: the next one starts fresh', () => {
    const text = `SELECT ${'x'.repeat(30)}; SELECT 1 + 2`;
    const chunks: StatementChunk[] = [];
    const s = new StatementSplitter((c) => chunks.push(c), 20);
    for (const t of lex(text, 'postgresql')) s.feed(t);
    s.end();
    expect(chunks.map((c) => c.tokens.length)).toEqual([1, 4]);
  });
});
