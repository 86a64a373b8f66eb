// The CLI's lint of an application file keeps the tables its SQL queries as the file's fact
// (src/cli/engine.ts, keepFileTables), and the project scan behind mayBeLarge
// (src/schema/queried.ts) then takes it instead of reading the file again. The two must agree file
// by file, or a finding of redundant-index or unindexed-foreign-key would depend on which ran first.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { root } from './cli-helpers.js';
import type { QueriedOptions } from '../src/schema/queried.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-queried-lint-'));
const proj = join(dir, 'p');

beforeAll(() => {
  cpSync(join(root, 'fixtures', 'queried'), proj, { recursive: true });
  const put = (rel: string, text: string) => {
    mkdirSync(join(proj, rel, '..'), { recursive: true });
    writeFileSync(join(proj, rel), text);
  };
  // read as MySQL through the config's override, as SQLite for its folder's name
  put('src/reports/ledger.sql', 'SELECT `id` FROM `ledger` WHERE `account` = ? LIMIT 10;\n');
  put('db/sqlite/cache.sql', 'SELECT v FROM kv WHERE k = ? LIMIT 1;\n');
  // no parser reads ClickHouse's SQL: no evidence
  put('src/clickhouse/events.sql', 'SELECT count() FROM events FINAL;\n');
  // a startup migration inside application code says nothing about sizes; the query beside it does
  put('src/boot.ts', "import { sql } from './db';\nexport const boot = async () => { await sql`CREATE TABLE IF NOT EXISTS boot_log (id int)`; await sql`INSERT INTO audit (at) VALUES (now())`; };\n");
  // over the size limit: the lint does not read it, and the scan says nothing about it
  put('src/huge.ts', `import { sql } from './db';\nexport const q = () => sql\`SELECT * FROM huge_table\`;\n${'// padding\n'.repeat(110_000)}`);
  put('src/plain.ts', 'export const answer = 42;\n');
  put('src/broken.ts', 'export const = ;\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (): QueriedOptions => ({ dialect: 'postgresql', overrides: [{ base: proj, files: ['src/reports/**'], dialect: 'mysql' }] });

/** Fresh copies of the modules (file facts are module state): the facts one way of working out gives, by file. */
async function factsBy(how: 'lint' | 'scan', limits?: { maxStatementLength: number }): Promise<Record<string, string[]>> {
  vi.resetModules();
  const { ready } = await import('../src/ready.js');
  const { exportFacts } = await import('../src/file-facts.js');
  await ready(['postgresql', 'mysql', 'sqlite']);
  const opts = options();
  if (how === 'lint') {
    const [{ lintSource }, { readSource }, { emptySchema }, { projectFilesSync }, { kindOf }] = await Promise.all([import('../src/cli/engine.js'), import('../src/cli/source.js'), import('../src/schema/load.js'), import('../src/project-files.js'), import('../src/cli/files.js')]);
    const engine = { dialect: opts.dialect, overrides: opts.overrides!, schema: Object.assign(emptySchema('postgresql'), { queriedIn: { root: proj, options: opts } }), ...(limits ? { limits } : {}) };
    for (const f of projectFilesSync(proj)) if (kindOf(f)) await lintSource(f, await readSource(f), engine);
  } else {
    const { queriedTables } = await import('../src/schema/queried.js');
    queriedTables(proj, opts);
  }
  const out: Record<string, string[]> = {};
  for (const [file, [, values]] of Object.entries(exportFacts(() => true).facts)) {
    for (const [k, v] of Object.entries(values)) if (k.startsWith('queried:')) out[file.slice(proj.length + 1)] = [...(v as string[])].sort();
  }
  return out;
}

describe('the tables an application file queries, kept by its lint', () => {
  it('are the project scan\'s, file by file', async () => {
    const scan = await factsBy('scan');
    expect(scan).toMatchObject({ 'src/orders.ts': ['order_notes', 'orders'], 'src/reports/ledger.sql': ['ledger'], 'db/sqlite/cache.sql': ['kv'], 'src/boot.ts': ['audit'], 'src/clickhouse/events.sql': [], 'src/huge.ts': [], 'src/plain.ts': [] });
    // tests, seeds and migrations are not application code: the scan keeps nothing for them
    expect(Object.keys(scan).filter((f) => /test|scripts|prisma/.test(f))).toEqual([]);
    const lint = await factsBy('lint');
    // the file over the size limit is not read by the lint: it keeps nothing, and the scan says [] for it
    const { 'src/huge.ts': huge, ...read } = scan;
    expect(huge).toEqual([]);
    expect(lint).toEqual(read);
  });

  it('a lint under other statement limits keeps nothing for the .sql files it parses: the scan reads them under the defaults', async () => {
    const lint = await factsBy('lint', { maxStatementLength: 20 });
    // ClickHouse's file is no evidence whatever the limits
    expect(Object.keys(lint).filter((f) => f.endsWith('.sql'))).toEqual(['src/clickhouse/events.sql']);
    expect(lint['src/orders.ts']).toEqual(['order_notes', 'orders']);
  });
});
