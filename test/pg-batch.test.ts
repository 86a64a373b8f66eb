/**
 * PostgreSQL statements that are only checked (DDL when the caller reads queries) are checked in
 * batches (src/parse/pg-batch.ts): the results must be those of checking each alone, in text order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { DEFAULT_LIMITS, forEachStatement, type ParsedStatement } from '../src/parse/index.js';
import { batchable } from '../src/parse/pg-batch.js';
import { lex } from '../src/parse/lexer.js';

beforeAll(() => ready());

function show(s: ParsedStatement): string {
  const at = `${s.range.start}-${s.range.end}`;
  if (s.parser === 'none') return `none ${at} ${s.error.kind}@${s.error.range.start}-${s.error.range.end} ${s.error.message}`;
  return `${s.parser} ${at} ${s.parser === 'pg' ? Object.keys(s.ast)[0] : s.ast.type}`;
}

function queriesOnly(text: string): string[] {
  const out: string[] = [];
  forEachStatement(text, 'postgresql', DEFAULT_LIMITS, (s) => out.push(show(s)), undefined, 'queries');
  return out;
}

describe('PostgreSQL syntax checks in batches', () => {
  it('a bad statement among good ones gets its own error and position; the others pass, in order', () => {
    const text = 'CREATE TABLE a (x int);\nCREATE TABLE b (y int);\nCREATE TABLE c (z int,, w int);\nCREATE INDEX ON a (x);\nDROP TABLE b';
    expect(queriesOnly(text)).toEqual([
      'pg 0-22 SqlperfUnread',
      'pg 24-46 SqlperfUnread',
      'none 48-78 syntax@70-71 syntax error at or near ","',
      'pg 80-101 SqlperfUnread',
      'pg 103-115 SqlperfUnread',
    ]);
  });

  it('a query between checked statements comes in its place, its tree built', () => {
    expect(queriesOnly('CREATE TABLE a (x int); CREATE TABLE b (y int); SELECT x FROM a; GRANT SELECT ON a TO u; COMMIT')).toEqual([
      'pg 0-22 SqlperfUnread',
      'pg 24-46 SqlperfUnread',
      'pg 48-63 SelectStmt',
      'pg 65-87 SqlperfUnread',
      'pg 89-95 SqlperfUnread',
    ]);
  });

  it('more statements than one batch holds: every one is checked and handed on', () => {
    const text = Array.from({ length: 70 }, (_, i) => `CREATE TABLE t${i} (x int)`).join(';\n');
    const got = queriesOnly(text);
    expect(got).toHaveLength(70);
    expect(got.every((s) => s.endsWith('SqlperfUnread'))).toBe(true);
    // the last statement is in the last (partial) batch
    expect(got[69]).toBe(`pg ${text.lastIndexOf('CREATE')}-${text.length} SqlperfUnread`);
  });

  it('an error the parser returns rather than throws fails the batch, and is reported alone', () => {
    expect(queriesOnly('CREATE TABLE a (x int); ALTER SEQUENCE s RESTART WITH 1 START WITH 1; CREATE TABLE b (y int)')).toEqual(['pg 0-22 SqlperfUnread', 'pg 24-68 SqlperfUnread', 'pg 70-92 SqlperfUnread']);
    expect(queriesOnly('CREATE TABLE a (x int);\nALTER TABLE a ALTER COLUMN x SET RESTART WITH 3;\nCREATE TABLE b (y int)')).toEqual([
      'pg 0-22 SqlperfUnread',
      'none 24-71 syntax@57-64 sequence option "restart" not supported here',
      'pg 73-95 SqlperfUnread',
    ]);
  });

  it('a statement with BEGIN (a routine body) is checked alone', () => {
    expect(batchable(lex('CREATE TABLE a (x int)', 'postgresql'))).toBe(true);
    expect(batchable(lex('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END', 'postgresql'))).toBe(false);
    expect(queriesOnly('CREATE TABLE a (x int); CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; CREATE TABLE b (y int)')).toEqual([
      'pg 0-22 SqlperfUnread',
      'pg 24-95 SqlperfUnread',
      'pg 97-119 SqlperfUnread',
    ]);
  });
});
