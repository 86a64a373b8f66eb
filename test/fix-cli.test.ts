import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const DDL = 'CREATE TABLE users (id int PRIMARY KEY, email text, name text);\nCREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);\nCREATE TABLE bans (id int PRIMARY KEY, user_id int);\n';
const SQL = 'SELECT id FROM users u\nWHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) > 0;\nINSERT INTO users VALUES (1, $1);\n';
const FIXED_SQL = 'SELECT id FROM users u\nWHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);\nINSERT INTO users (id, email) VALUES (1, $1);\n';
const TS = 'export const q = (min: number) => sql`\n  SELECT * FROM orders WHERE total > ${min}`;\n';
const FIXED_TS = 'export const q = (min: number) => sql`\n  SELECT id, user_id, total FROM orders WHERE total > ${min}`;\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-fix-'));
  writeFileSync(join(dir, 'schema.sql'), DDL);
  writeFileSync(join(dir, 'q.sql'), SQL);
  writeFileSync(join(dir, 'app.ts'), TS);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rules = ['--rule', 'prefer-exists:error', '--rule', 'require-insert-columns:error', '--rule', 'no-select-star:error'];
const run = (...args: string[]) => sqlperf(['lint', '--schema', 'schema.sql', ...rules, ...args, 'q.sql', 'app.ts'], { cwd: dir });

describe('sqlperf lint --fix / --fix-dry-run', () => {
  it('without a flag: the JSON messages carry ESLint-shaped fixes, and the files stay', () => {
    const r = run('--format', 'json');
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; fixableErrorCount: number; messages: Array<{ ruleId: string; line: number; fix?: { range: [number, number]; text: string } }> }>;
    const q = results.find((x) => x.filePath.endsWith('q.sql'))!;
    expect(q.fixableErrorCount).toBe(2);
    expect(q.messages.map((m) => [m.ruleId, m.line, m.fix])).toEqual([
      ['prefer-exists', 2, { range: [SQL.indexOf('(SELECT COUNT'), SQL.indexOf(' > 0;') + 4], text: 'EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)' }],
      ['require-insert-columns', 3, { range: [SQL.indexOf(' VALUES'), SQL.indexOf(' VALUES')], text: ' (id, email)' }],
    ]);
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe(SQL);
  });

  it('--fix-dry-run prints the change and writes nothing; exit 0 as no error would remain', () => {
    const r = run('--fix-dry-run');
    expect(r.stdout).toContain('--- q.sql\n+++ q.sql (fixed)\n@@ line 2 @@\n-WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) > 0;\n-INSERT INTO users VALUES (1, $1);\n+WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);\n+INSERT INTO users (id, email) VALUES (1, $1);\n');
    expect(r.stdout).toContain('+  SELECT id, user_id, total FROM orders WHERE total > ${min}`;');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe(SQL);
    expect(readFileSync(join(dir, 'app.ts'), 'utf8')).toBe(TS);
    const json = JSON.parse(run('--fix-dry-run', '--format', 'json').stdout) as Array<{ filePath: string; output?: string; messages: unknown[] }>;
    expect(json.map((x) => [x.filePath.slice(dir.length + 1), x.output, x.messages.length])).toEqual([['app.ts', FIXED_TS, 0], ['q.sql', FIXED_SQL, 0]]);
  });

  it('--fix writes the files (atomically: no temporary file left, mode kept) and exits on what remains', () => {
    chmodSync(join(dir, 'q.sql'), 0o640);
    const r = run('--fix', '--rule', 'no-not-in-subquery:error', '--format', 'json');
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe(FIXED_SQL);
    expect(readFileSync(join(dir, 'app.ts'), 'utf8')).toBe(FIXED_TS);
    expect(statSync(join(dir, 'q.sql')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['app.ts', 'q.sql', 'schema.sql']);
    expect(r.code).toBe(0);
    // a suggestion is never applied: the NOT IN stays, reported with its suggestion (ESLint's merged
    // {range, text}: it ends at the last edit, before the subquery's closing parenthesis), and fails the run
    writeFileSync(join(dir, 'q.sql'), 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE id > 3);\n');
    const again = run('--fix', '--rule', 'no-not-in-subquery:error', '--format', 'json');
    expect(again.code).toBe(1);
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE id > 3);\n');
    const q = (JSON.parse(again.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; suggestions?: Array<{ desc: string; fix: { text: string } }> }> }>).find((x) => x.filePath.endsWith('q.sql'))!;
    expect(q.messages.map((m) => [m.ruleId, m.suggestions?.[0]?.fix.text])).toEqual([['no-not-in-subquery', 'NOT EXISTS (SELECT 1 FROM bans WHERE (id > 3) AND user_id = users.id']]);
  });

  it('--fix with --fix-dry-run, or with --stdin, is a usage error (exit 2)', () => {
    expect(run('--fix', '--fix-dry-run').code).toBe(2);
    expect(sqlperf(['lint', '--stdin', '--fix'], { cwd: dir, input: 'SELECT 1' }).code).toBe(2);
  });
});
