/**
 * Text-template placeholders in query files (`%where%`, printf's `%s`): a program fills them in
 * before it prepares the statement, so they are neither parse errors nor SQL of their own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const rules = { 'no-offset-pagination': 'warn', 'no-select-star': 'warn' } as const;
const run = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect, rules });
/** Each statement's state: ok, or the error's kind and message. */
const states = (sql: string, dialect: Dialect = 'postgresql') => run(sql, dialect).statements.map((s) => (s.error ? `${s.error.kind}@${s.error.range.start}-${s.error.range.end} ${s.error.message}` : 'ok'));

describe('text-template placeholders', () => {
  it('a statement with %name% or %s is analysed with the placeholders as values, in PostgreSQL and node-sql-parser dialects', () => {
    const sql = 'SELECT * FROM members WHERE team_id = $1 AND %where% ORDER BY %sort% OFFSET $2 LIMIT $3';
    const res = run(sql);
    expect(res.statements.map((s) => s.error ?? 'ok')).toEqual(['ok']);
    expect(res.diagnostics.map((d) => `${d.ruleId} ${d.start}`)).toEqual([`no-select-star ${sql.indexOf('*')}`, `no-offset-pagination ${sql.indexOf('$2')}`]);
    expect(states('SELECT COUNT(%s) AS total FROM events WHERE team_id = $1')).toEqual(['ok']);
    expect(states('SELECT id FROM events WHERE team_id = ? AND %where%', 'sqlite')).toEqual(['ok']);
    expect(states('SELECT id FROM events WHERE kind = %s AND team_id = %d', 'mysql')).toEqual(['ok']);
  });

  it('the placeholders are values to the model, never columns', () => {
    const schema = loadSchema([{ path: 'm.sql', text: 'CREATE TABLE members (id int, team_id int);' }], 'postgresql');
    const unknown = (sql: string) => analyze(sql, { dialect: 'postgresql', schema, rules: { 'unknown-column': 'error' } }).diagnostics.map((d) => d.message);
    expect(unknown('SELECT id FROM members WHERE team_id = $1 AND %where% ORDER BY %sort%')).toEqual([]);
    // the check is on: a real unknown column beside them is reported
    expect(unknown('SELECT idx FROM members WHERE %where%')).toHaveLength(1);
  });

  it('skipped as templated, at the first placeholder, when the filled-in text still does not parse', () => {
    const sql = 'WITH picked AS (%query%) UPDATE members SET banned = true WHERE id IN (SELECT id FROM picked)';
    expect(states(sql)).toEqual([`skipped@16-23 not analysed: templated SQL (%query% is filled in by the program)`]);
    expect(run(sql).diagnostics).toEqual([]);
    expect(states('SELECT %cols% FROM %table% %joins%', 'sqlite')).toEqual(['ok']);
  });

  it('valid SQL with % is left as written; a syntax error without placeholders is still one', () => {
    expect(states('SELECT a%b%c FROM t')).toEqual(['ok']);
    const bad = "SELECT id FROM t WHERE name LIKE '%where%' AND = 1";
    expect(states(bad)).toEqual([`syntax@${bad.indexOf('= 1')}-${bad.indexOf('= 1') + 1} syntax error at or near "="`]);
    // `%s` followed by a name character is the modulo of a column, not a verb
    expect(states('SELECT a %sx FROM t WHERE')).toEqual(['syntax@20-25 syntax error at end of input']);
  });
});
