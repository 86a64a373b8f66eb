// Class: the schema found automatically. Discovery reads the project's own files only (a symbolic
// link out of the project is not followed, and that is said), and a "schema" without tables (a
// file of queries found at db/schema.sql) is not used: it would make every table unknown.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSchemaFiles } from '../../src/schema/discover.js';
import { ensureBuilt } from '../cli-helpers.js';
import { run, tempDir } from './helpers.js';

const DDL = 'CREATE TABLE accounts (id int PRIMARY KEY, email text);\n';
const QUERY = 'SELECT id FROM users WHERE id = 1;\n';

describe('schema discovery', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    ensureBuilt();
    t = tempDir('schema');
    // somewhere else on the machine: another project's migrations and a DDL file
    mkdirSync(join(t.dir, 'elsewhere', 'migrations'), { recursive: true });
    writeFileSync(join(t.dir, 'elsewhere', 'migrations', '001_init.sql'), DDL);
    writeFileSync(join(t.dir, 'elsewhere', 'dump.sql'), DDL);
  }, 240_000);
  afterAll(() => t.done());

  it('does not follow a migrations folder, a schema file or a migration that links out of the project', () => {
    const p = join(t.dir, 'linked');
    mkdirSync(join(p, 'db'), { recursive: true });
    symlinkSync(join(t.dir, 'elsewhere', 'migrations'), join(p, 'migrations'));
    symlinkSync(join(t.dir, 'elsewhere', 'dump.sql'), join(p, 'db', 'schema.sql'));
    writeFileSync(join(p, 'q.sql'), QUERY);
    expect(discoverSchemaFiles(p)).toEqual({ layout: 'migrations', location: '', files: [], outside: ['db/schema.sql', 'migrations'] });
    const r = run(['lint', '--rule', 'unknown-table:warn', '-f', 'json', 'q.sql'], p);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('sqlperf: schema: not following db/schema.sql: a symbolic link out of . (name it with --schema to use it)\nsqlperf: schema: not following migrations: a symbolic link out of . (name it with --schema to use it)\n');
    // named with --schema, the same folder is the user's choice and is read
    const named = run(['lint', '--schema', 'migrations', '--rule', 'unknown-table:warn', '-f', 'json', 'q.sql'], p);
    expect(named.stderr).toContain('sqlperf: schema: migrations: 1 file, 1 tables');
    expect((JSON.parse(named.stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number }> }>)[0]!.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)).toEqual(['unknown-table@1:16']);
  }, 60_000);

  it('a link to a migration inside the project is followed; one out of it is not', () => {
    const p = join(t.dir, 'inside');
    mkdirSync(join(p, 'migrations'), { recursive: true });
    mkdirSync(join(p, 'sql'));
    writeFileSync(join(p, 'sql', 'init.sql'), DDL);
    symlinkSync(join(p, 'sql', 'init.sql'), join(p, 'migrations', '001_init.sql'));
    symlinkSync(join(t.dir, 'elsewhere', 'dump.sql'), join(p, 'migrations', '002_other.sql'));
    expect(discoverSchemaFiles(p)).toEqual({ layout: 'migrations', location: 'migrations', files: ['migrations/001_init.sql'], outside: ['migrations/002_other.sql'] });
  });

  it('a schema without tables is not used, and stderr says why: no query becomes unknown-table', () => {
    const p = join(t.dir, 'empty');
    mkdirSync(join(p, 'db'), { recursive: true });
    writeFileSync(join(p, 'db', 'schema.sql'), "SELECT 1;\nINSERT INTO audit VALUES (1, 'x');\n");
    writeFileSync(join(p, 'q.sql'), QUERY);
    const r = run(['lint', '--rule', 'unknown-table:warn', '-f', 'json', 'q.sql'], p);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('sqlperf: schema: db/schema.sql (schema-file, found automatically): 1 file but no table sqlperf could read (no CREATE TABLE): not used, so no rule checks queries against a schema\n');
    expect((JSON.parse(r.stdout) as Array<{ messages: unknown[] }>)[0]!.messages).toEqual([]);
    // with a table, the same query is checked against it
    writeFileSync(join(p, 'db', 'schema.sql'), DDL);
    const withTable = run(['lint', '--rule', 'unknown-table:warn', '-f', 'json', 'q.sql'], p);
    expect((JSON.parse(withTable.stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number }> }>)[0]!.messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`)).toEqual(['unknown-table@1:16']);
  }, 60_000);
});
