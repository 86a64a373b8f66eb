// no-function-on-column with a schema: silent where an index on exactly the wrapped expression exists.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

/** `line:col-endCol` of each no-function-on-column finding in `sql`, with the schema `ddl`. */
function found(sql: string, ddl: string, dialect: Dialect = 'postgresql'): string[] {
  const schema = loadSchema([{ path: 'm.sql', text: ddl }], dialect);
  return analyze(sql, { dialect, schema, rules: { 'no-function-on-column': 'warn' } })
    .diagnostics.filter((d) => d.ruleId === 'no-function-on-column')
    .map((d) => `${d.start}-${d.end} ${d.message.split(',')[0]}`);
}

const USERS = 'CREATE TABLE users (id int PRIMARY KEY, email text, name text, created_at timestamp);';

describe('no-function-on-column and the schema\'s expression indexes', () => {
  it('is silent when an index starts with the exact expression, however the query qualifies or spaces it', () => {
    const ddl = `${USERS} CREATE INDEX users_lower_email ON users (lower(email));`;
    expect(found('SELECT id FROM users WHERE lower(email) = $1', ddl)).toEqual([]);
    expect(found('SELECT u.id FROM users u WHERE LOWER( u.email ) = $1', ddl)).toEqual([]);
    expect(found("SELECT id FROM users WHERE lower(email) LIKE 'ab%'", ddl)).toEqual([]);
  });

  it('still reports another expression, another column, or an index where the expression is not the first key', () => {
    const ddl = `${USERS} CREATE INDEX users_lower_email ON users (lower(email)); CREATE INDEX users_name_lower ON users (name, lower(name));`;
    expect(found('SELECT id FROM users WHERE upper(email) = $1', ddl)).toEqual(['27-39 upper(email) wraps the column email']);
    expect(found('SELECT id FROM users WHERE lower(name) = $1', ddl)).toEqual(['27-38 lower(name) wraps the column name']);
    expect(found('SELECT id FROM users WHERE date(created_at) = $1', ddl)).toEqual(['27-43 date(created_at) wraps the column created_at']);
  });

  it('does not count a partial expression index (its condition is not checked here)', () => {
    const ddl = `${USERS} CREATE INDEX users_lower_email ON users (lower(email)) WHERE email IS NOT NULL;`;
    expect(found('SELECT id FROM users WHERE lower(email) = $1', ddl)).toEqual(['27-39 lower(email) wraps the column email']);
  });

  it('MySQL functional key parts count too', () => {
    const ddl = 'CREATE TABLE users (id int PRIMARY KEY, email varchar(200), INDEX users_lower_email ((lower(email))));';
    expect(found('SELECT id FROM users WHERE lower(email) = ?', ddl, 'mysql')).toEqual([]);
    expect(found('SELECT id FROM users WHERE upper(email) = ?', ddl, 'mysql')).toEqual(['27-39 upper(email) wraps the column email']);
  });
});
