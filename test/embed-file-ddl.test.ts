// A JS/TS file's own DDL sites add to the schema its queries are checked against, as a .sql file's do.
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const schema = () => loadSchema([{ path: '1.sql', text: 'CREATE TABLE users (id int PRIMARY KEY, email text);' }], 'postgresql');
const rules = { 'unknown-table': 'warn', 'unknown-column': 'warn', 'missing-index': 'warn' } as const;

describe("a JS/TS file's own DDL", () => {
  it('a table the script creates (IF NOT EXISTS) is known to its other queries, with its columns and keys', () => {
    const code = [
      'export const ensure = () => sql`CREATE TABLE IF NOT EXISTS seed_progress (key text PRIMARY KEY, value text)`;',
      'export const done = (key: string) => sql`SELECT value FROM seed_progress WHERE key = ${key}`;',
      'export const gone = (key: string) => sql`SELECT valeu FROM seed_progress WHERE key = ${key}`;',
      'export const other = () => sql`SELECT id FROM sessions`;',
    ].join('\n');
    const r = lintHostSource(code, 'scripts/seed.ts', { rules, schema: schema() });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}: ${d.message}`)).toEqual([
      '3:49 unknown-column: column valeu is not in seed_progress; did you mean value?',
      '4:47 unknown-table: table sessions is not in the schema',
    ]);
  });

  it('an index the file creates serves its queries; without it the query is reported', () => {
    const query = 'export const byEmail = (e: string) => sql`SELECT id FROM users WHERE email = ${e}`;';
    const index = 'export const up = () => sql`CREATE INDEX users_email ON users (email)`;';
    const ids = (code: string) => lintHostSource(code, 'src/users.ts', { rules, schema: schema() }).diagnostics.map((d) => d.ruleId);
    expect(ids(query)).toEqual(['missing-index']);
    expect(ids(`${index}\n${query}`)).toEqual([]);
  });
});
