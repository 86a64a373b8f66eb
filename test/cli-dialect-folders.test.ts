import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

let dir: string;
// valid SQLite / MySQL / ClickHouse, each a syntax error to PostgreSQL
const SQLITE = 'SELECT id FROM notes WHERE title = ?1;\n';
const MYSQL = 'SELECT `id` FROM notes;\n';
const CLICKHOUSE = 'SELECT count() FROM events FINAL;\n';

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-dialects-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const d of ['db/sqlite', 'db/clickhouse', 'legacy', 'sql']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'db/sqlite/notes.sql'), SQLITE);
  writeFileSync(join(dir, 'db/clickhouse/events.sql'), CLICKHOUSE);
  writeFileSync(join(dir, 'legacy/notes.sql'), MYSQL);
  writeFileSync(join(dir, 'sql/notes.sql'), MYSQL);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorsByFile = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number }> }>).map((f) => [f.filePath.slice(dir.length + 1), f.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`)]));

describe('dialects per folder', () => {
  it('a folder named for a dialect is read in it, a clickhouse/ folder is skipped; config overrides name others', () => {
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ overrides: [{ files: ['legacy/**'], dialect: 'mysql' }] }));
    const r = sqlperf(['lint', '-f', 'json', '--stats', '--no-schema'], { cwd: dir });
    expect(errorsByFile(r.stdout)).toEqual({
      'db/clickhouse/events.sql': [],
      'db/sqlite/notes.sql': [],
      'legacy/notes.sql': [],
      // the project's own dialect (PostgreSQL) rejects the MySQL quoting where nothing says otherwise
      'sql/notes.sql': ['parse-error 1:13'],
    });
    expect(r.stderr).toMatch(/\.sql {3}4 files, 4 statements found, 2 analysed, 1 skipped, 1 failed to parse/);
  });
  it('an override that is not an object of files and dialect names the key', () => {
    writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ overrides: [{ files: ['legacy/**'], dialect: 'oracle' }] }));
    const r = sqlperf(['lint', '--no-schema'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"overrides\[0\]\.dialect" must be one of postgresql, /);
  });
});
