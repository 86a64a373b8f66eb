import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, fixedText } from './helpers/rule-findings.js';

// Golden tests for rules/require-insert-columns.ts (issue 19, mutation testing): the range (from the
// INSERT or REPLACE keyword to the table), the table in the message, which INSERTs name no values by
// position, and when the schema gives a safe column-list fix.

beforeAll(() => ready());

const RULE = 'require-insert-columns';
const msg = (table: string) => `INSERT INTO ${table} VALUES without a column list depends on the order of the table's columns; name them: INSERT INTO ${table} (col1, col2, ...) VALUES ...`;
const DDL = 'CREATE TABLE users (id int PRIMARY KEY, email text, name text); CREATE VIEW vu AS SELECT id FROM users;';
const fix = (output: string, list: string) => ({ output, safe: true, description: `Name the columns: (${list})` });

describe('require-insert-columns: what is reported', () => {
  it('from the last INSERT / REPLACE keyword before the table to the table', () => {
    expect(findings(RULE, "INSERT INTO users VALUES (1, 'a', 'b')")).toEqual([`1:1-1:18 ${msg('users')}`]);
    expect(findings(RULE, "REPLACE INTO users VALUES (1, 'a', 'b')", { dialect: 'mysql' })).toEqual([`1:1-1:19 ${msg('users')}`]);
    expect(findings(RULE, 'INSERT INTO public.users VALUES (1)')).toEqual([`1:1-1:25 ${msg('users')}`]);
    expect(findings(RULE, "WITH x AS (SELECT replace('a', 'b', 'c')) INSERT INTO users VALUES (1)")).toEqual([`1:43-1:60 ${msg('users')}`]);
    expect(findings(RULE, '/* insert */ INSERT INTO "Users" VALUES (1)')).toEqual([`1:14-1:33 ${msg('Users')}`]);
  });

  it('not with a column list, INSERT ... SELECT, DEFAULT VALUES or MySQL\'s SET', () => {
    expect(findings(RULE, 'INSERT INTO users (id) VALUES (1)')).toEqual([]);
    expect(findings(RULE, 'INSERT INTO users SELECT * FROM users')).toEqual([]);
    expect(findings(RULE, 'INSERT INTO users DEFAULT VALUES')).toEqual([]);
    expect(findings(RULE, 'INSERT INTO users SET id = 1', { dialect: 'mysql' })).toEqual([]);
  });
});

describe('require-insert-columns: the fix', () => {
  it('the table\'s first columns for rows of equal length, quoted as needed, after a schema-qualified name or a WITH', () => {
    expect(fixedText(RULE, "INSERT INTO users VALUES (1, 'a', 'b')", { ddl: DDL })).toEqual([fix("INSERT INTO users (id, email, name) VALUES (1, 'a', 'b')", 'id, email, name')]);
    expect(fixedText(RULE, "INSERT INTO users VALUES (1, 'a'), (2, 'b')", { ddl: DDL })).toEqual([fix("INSERT INTO users (id, email) VALUES (1, 'a'), (2, 'b')", 'id, email')]);
    expect(fixedText(RULE, 'INSERT INTO public.users VALUES (1)', { ddl: DDL })).toEqual([fix('INSERT INTO public.users (id) VALUES (1)', 'id')]);
    expect(fixedText(RULE, 'WITH x AS (SELECT 1) INSERT INTO users VALUES ((SELECT 1))', { ddl: DDL })).toEqual([fix('WITH x AS (SELECT 1) INSERT INTO users (id) VALUES ((SELECT 1))', 'id')]);
    expect(fixedText(RULE, 'INSERT INTO "Users" VALUES (1)', { ddl: 'CREATE TABLE "Users" ("Id" int, b int);' })).toEqual([fix('INSERT INTO "Users" ("Id") VALUES (1)', '"Id"')]);
    expect(fixedText(RULE, "INSERT INTO users VALUES (1, 'a')", { ddl: DDL, dialect: 'mysql' })).toEqual([fix("INSERT INTO users (id, email) VALUES (1, 'a')", 'id, email')]);
  });

  it('VALUES after any blanks', () => {
    expect(fixedText(RULE, 'INSERT INTO users  VALUES (1)', { ddl: DDL })).toEqual([fix('INSERT INTO users (id)  VALUES (1)', 'id')]);
    expect(fixedText(RULE, 'INSERT INTO users VALUES(1)', { ddl: DDL })).toEqual([fix('INSERT INTO users (id) VALUES(1)', 'id')]);
  });

  it('a lone parameter fills one column only when the table has one; a parameter among other values is one value', () => {
    expect(fixedText(RULE, "INSERT INTO users VALUES ($1, 'a')", { ddl: DDL })).toEqual([fix("INSERT INTO users (id, email) VALUES ($1, 'a')", 'id, email')]);
    expect(fixedText(RULE, 'INSERT INTO users VALUES ($1)', { ddl: DDL })).toEqual([null]);
    expect(fixedText(RULE, 'INSERT INTO users VALUES ($1)', { ddl: 'CREATE TABLE users (id int);' })).toEqual([fix('INSERT INTO users (id) VALUES ($1)', 'id')]);
  });

  it('none without a schema, for rows of unequal length or longer than the table, an alias, a view or an unknown table', () => {
    expect(fixedText(RULE, "INSERT INTO users VALUES (1, 'a', 'b')")).toEqual([null]);
    for (const sql of ["INSERT INTO users VALUES (1, 'a'), (2)", "INSERT INTO users VALUES (2), (1, 'a')", "INSERT INTO users VALUES (1, 'a', 'b', 'c')", 'INSERT INTO users AS u VALUES (1)', 'INSERT INTO vu VALUES (1)', 'INSERT INTO nope VALUES (1)']) {
      expect(fixedText(RULE, sql, { ddl: DDL }), sql).toEqual([null]);
    }
  });
});
