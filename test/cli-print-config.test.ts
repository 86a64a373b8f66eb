/** What the CLI says about its own settings: --print-config, --debug, --stats, --quiet; stylish width. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stylish } from '../src/cli/formatters/stylish.js';
import { makeResult, type LintMessage } from '../src/cli/types.js';
import { ensureBuilt, sqlperf } from './cli-helpers.js';

let dir: string;
const SCHEMA_LINE = 'sqlperf: schema: migrations (migrations, found automatically): 1 file, 1 tables, 1 indexes\n';

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sqlperf-print-config-'));
  for (const d of ['migrations', 'src', 'db/sqlite']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'migrations/001_init.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text);\n');
  writeFileSync(join(dir, 'db/q.sql'), 'SELECT id FROM users WHERE lower(email) = $1;\nSELEC 1;\n');
  writeFileSync(join(dir, 'db/sqlite/q.sql'), 'SELECT id FROM users;\n');
  writeFileSync(join(dir, 'sqlperf.config.json'), JSON.stringify({ rules: { 'max-joins': ['error', { max: 2 }], 'no-select-star': 'off' }, tags: ['sql'] }));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--print-config <file>', () => {
  it('prints the config file, dialect, context, schema files and the rules that run there, and lints nothing', () => {
    const r = sqlperf(['lint', '--print-config', 'db/q.sql'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(SCHEMA_LINE);
    const c = JSON.parse(r.stdout) as Record<string, unknown>;
    expect({ ...c, schema: { ...(c.schema as object), digest: '-' } }).toEqual({
      file: 'db/q.sql',
      configFile: 'sqlperf.config.json',
      dialect: 'postgresql',
      context: 'app',
      schema: { location: 'migrations (migrations, found automatically)', files: ['migrations/001_init.sql'], digest: '-', thisFileIsPartOfIt: false },
      rules: {
        'max-in-list': ['warn', { max: 100 }],
        'max-joins': ['error', { max: 2 }],
        'no-cartesian-join': 'warn',
        'no-function-on-column': 'warn',
        'no-having-without-aggregate': 'warn',
        'no-order-by-random': 'warn',
        'prefer-exists': 'warn',
        'redundant-index': 'warn',
        'require-insert-columns': 'warn',
        'unindexed-foreign-key': 'warn',
        'parse-error': 'error',
      },
      offInThisContext: [],
      tags: expect.arrayContaining(['sql']) as unknown,
    });
  });

  it('a migration: its own context, part of the schema, the app rules off there; a dialect folder', () => {
    const m = JSON.parse(sqlperf(['lint', '--print-config', 'migrations/001_init.sql', '--quiet'], { cwd: dir }).stdout) as { context: string; schema: { thisFileIsPartOfIt: boolean }; rules: object; offInThisContext: string[] };
    expect([m.context, m.schema.thisFileIsPartOfIt, Object.keys(m.rules)]).toEqual(['migration', true, ['redundant-index', 'unindexed-foreign-key', 'parse-error']]);
    expect(m.offInThisContext).toContain('no-function-on-column');
    const s = JSON.parse(sqlperf(['lint', '--print-config', 'db/sqlite/q.sql', '--no-schema', '--report-unused-disable-directives'], { cwd: dir }).stdout) as { dialect: string; schema: null; rules: Record<string, string> };
    expect([s.dialect, s.schema, s.rules['unused-directive']]).toEqual(['sqlite', null, 'error']);
  });
});

describe('--debug, --stats and --quiet on stderr', () => {
  it('--debug says which config, dialect, context and schema each file got', () => {
    const r = sqlperf(['lint', 'db', '--debug'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'sqlperf: config: sqlperf.config.json\n' +
        SCHEMA_LINE +
        'sqlperf: schema: the application\'s SQL queries 1 of its 1 tables; findings that grow with a table\'s size (redundant-index, unindexed-foreign-key) are reported on those and on tables the config\'s "tables" sizes\n' +
        'sqlperf: debug: db/q.sql: dialect postgresql, context app, schema from migrations (migrations, found automatically), 1 file, 11 rules on (0 more not in this context), config sqlperf.config.json\n' +
        'sqlperf: debug: db/sqlite/q.sql: dialect sqlite, context app, schema from migrations (migrations, found automatically), 1 file, 11 rules on (0 more not in this context), config sqlperf.config.json\n',
    );
  });

  it('--stats names the config file; --quiet prints nothing on stderr but errors (not the schema line)', () => {
    expect(sqlperf(['lint', 'db', '--stats'], { cwd: dir }).stderr).toMatch(/\n {2}config: sqlperf\.config\.json\n$/);
    const q = sqlperf(['lint', 'db', '--quiet', '--debug'], { cwd: dir });
    expect([q.code, q.stderr]).toEqual([1, '']);
    expect(q.stdout).toBe('\ndb/q.sql\n  2:1  error  syntax error at or near "SELEC"  parse-error\n\n✖ 1 problem (1 error, 0 warnings)\n');
    const none = sqlperf(['lint', '.', '--stats', '--no-schema', '-c', join(dir, 'sqlperf.config.json')], { cwd: join(dir, 'db') });
    expect(none.stderr).toMatch(/\n {2}config: \.\.\/sqlperf\.config\.json\n$/);
  });
});

describe('stylish: rows within the terminal width, messages whole', () => {
  const msg = (line: number, message: string, severity: 1 | 2 = 1, ruleId = 'no-function-on-column'): LintMessage => ({ ruleId, severity, message, line, column: 28, endLine: line, endColumn: 40 });
  const long = 'lower(email) wraps the column email, so an index on email cannot be used; compare the bare column (move the computation to the value side) or add an expression index on lower(email)';

  it('a message that does not fit goes on its own indented line; the others stay aligned on one', () => {
    const out = stylish([makeResult('/p/db/q.sql', [msg(1, long), msg(2, 'short one'), msg(3, 'a bit longer one', 2, 'parse-error')])], { cwd: '/p', color: false, width: 80 });
    expect(out).toBe(
      ['', 'db/q.sql', '  1:28  warning  no-function-on-column', `      ${long}`, '  2:28  warning  short one         no-function-on-column', '  3:28  error    a bit longer one  parse-error', '', '✖ 3 problems (1 error, 2 warnings)', ''].join('\n'),
    );
    for (const line of out.split('\n')) if (!line.includes(long)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('everything on one row when the terminal is wide enough; 100 columns when unknown', () => {
    const wide = stylish([makeResult('/p/q.sql', [msg(1, long)])], { cwd: '/p', color: false, width: 300 });
    expect(wide.split('\n')[2]).toBe(`  1:28  warning  ${long}  no-function-on-column`);
    const unknown = stylish([makeResult('/p/q.sql', [msg(1, long)])], { cwd: '/p', color: false });
    expect(unknown.split('\n').slice(2, 4)).toEqual(['  1:28  warning  no-function-on-column', `      ${long}`]);
  });
});
