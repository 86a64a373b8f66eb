import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';

beforeAll(() => ready());

describe('parse errors by context and tool', () => {
  it("goose's annotations delimit statements, with or without a semicolon", () => {
    const text = '-- +goose Up\n-- +goose StatementBegin\nALTER TABLE a ADD COLUMN b int\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\nALTER TABLE a DROP COLUMN b\n-- +goose StatementEnd\n';
    const r = analyze(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.map((s) => text.slice(s.range.start, s.range.end))).toEqual(['ALTER TABLE a ADD COLUMN b int', 'ALTER TABLE a DROP COLUMN b']);
  });
  it('a PostgreSQL syntax error is an error in application code and a warning in a migration', () => {
    const bad = 'ALTER TABLE t DROP COLUMN IF NOT EXISTS c;';
    expect(analyze(bad, { context: 'app' }).diagnostics.map((d) => `${d.severity} ${d.start}`)).toEqual(['error 29']);
    expect(analyze(bad, { context: 'migration' }).diagnostics.map((d) => `${d.severity} ${d.start}`)).toEqual(['warn 29']);
  });
  it("what node-sql-parser cannot read outside application code is counted, not reported", () => {
    const sqlite = 'UPDATE monitor SET [interval] = 20 WHERE id = 1, x = 2;';
    expect(analyze(sqlite, { dialect: 'mysql', context: 'migration' }).diagnostics).toEqual([]);
    expect(analyze(sqlite, { dialect: 'mysql', context: 'migration' }).statements[0]!.kind).toBe('unparsed');
    expect(analyze(sqlite, { dialect: 'mysql', context: 'app' }).diagnostics.map((d) => d.severity)).toEqual(['warn']);
  });
  it("SQLite's PRAGMA in PostgreSQL code is another database's statement, not a syntax error", () => {
    expect(analyze('PRAGMA foreign_keys = ON;').diagnostics).toEqual([]);
  });
  it("MySQL's `backquoted` names in PostgreSQL migrations and scripts are another database's, not a syntax error", () => {
    // a data script that keeps its MySQL variant beside the PostgreSQL one
    const text = 'INSERT INTO revenue SELECT id FROM events;\nINSERT INTO `revenue` SELECT id FROM events;\n';
    expect(analyze(text, { context: 'script' }).diagnostics).toEqual([]);
    expect(analyze(text, { context: 'migration' }).statements.map((s) => s.kind)).toEqual(['insert', 'unparsed']);
    // PostgreSQL's own syntax error beside it still is one
    expect(analyze('INSERT INTO revenue SELECT id FROM events WHERE;\nINSERT INTO `revenue` SELECT 1;', { context: 'migration' }).diagnostics.map((d) => `${d.ruleId} ${d.start}`)).toEqual(['parse-error 42']);
    // in application code it is rather MySQL linted as PostgreSQL: the error says so
    expect(analyze(text, { context: 'app' }).diagnostics.map((d) => `${d.ruleId} ${d.severity} ${d.start}`)).toEqual(['parse-error error 55']);
  });
  it("SQLite's sqlite_master and [bracketed] table names in MySQL code are another database's, not a syntax error", () => {
    expect(analyze("UPDATE SQLITE_MASTER SET sql = replace(sql, 'a', 'b') WHERE name = 'x', type = 'table';", { dialect: 'mysql' }).diagnostics).toEqual([]);
    expect(analyze('UPDATE [group] SET public = 1 WHERE id = 1;', { dialect: 'mysql' }).diagnostics).toEqual([]);
    expect(analyze('UPDATE [group] SET public = 1 WHERE id = 1;', { dialect: 'mysql' }).statements[0]!.kind).toBe('unparsed');
    // a MySQL statement that is simply wrong is still reported
    expect(analyze('UPDATE grp SET public = = 1;', { dialect: 'mysql' }).diagnostics.map((d) => d.ruleId)).toEqual(['parse-error']);
  });
});
