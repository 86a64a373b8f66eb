/**
 * Issue 14 §1: SQL in calls sqlperf has no name for (found by shape in any argument, uncertain so
 * the parser judges), both branches of a conditional, SQL held in a variable, `WITH a AS (`,
 * camelCase tables, and the prefilter that lets such files through. Positions are host positions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { findSqlSites, lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';
import { looksLikeSqlStatement, looksLikeStatement } from '../src/embed/detect.js';
import { mayHoldSql } from '../src/embed/prefilter.js';
import { clickhouseEvidence } from '../src/parse/clickhouse.js';
import { eslintFindings as eslintFindingsOf } from './helpers/eslint-findings.js';

const root = join(import.meta.dirname, '..');

beforeAll(() => ready());

function lint(code: string, file = 'x.ts'): string[] {
  return lintHostSource(code, file, { rules: ALL }).diagnostics.map((d) => `${d.ruleId} [${code.slice(d.start, d.end)}] ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
}

function sites(code: string) {
  const program = parse(code, { range: true, comment: true, jsx: false });
  return findSqlSites(program, code);
}

const eslintFindings = (file: string) => eslintFindingsOf(root, file);

describe('any call, any argument', () => {
  it('wrapper calls with SQL in the first or a later argument are sites found by shape (uncertain)', () => {
    const code = [
      "R.getCell('SELECT * FROM monitors WHERE user_id = ?', [id]);",
      'db.runSql(`SELECT * FROM migrations`);',
      'sql.getRows(`SELECT id FROM users`);',
      'executeSql("UPDATE t SET a = 1 WHERE id = 2");',
      'pagedRawQuery(`SELECT * FROM heartbeat`, 1);',
      'execute(pool, `DELETE FROM sessions WHERE id = ${id}`);',
      "insertRows(conn, 'INSERT INTO t (a) VALUES (1)');",
    ].join('\n');
    expect(sites(code).map((s) => [s.via, s.certain])).toEqual(Array.from({ length: 7 }, () => ['call-shape', false]));
    expect(lint(code).filter((f) => f.startsWith('no-select-star'))).toEqual(['no-select-star [*] 1:19-1:20', 'no-select-star [*] 2:19-2:20', 'no-select-star [*] 5:23-5:24']);
  });

  it('prose in call arguments is no site', () => {
    const code = [
      "toast('Select a file');",
      'notify(`Update available`);',
      "confirm('Delete from all environments');",
      "show('Select item(s)');",
      "show('Select the rows from the table');",
      "label('Insert into the list');",
      "throw new Error('Select a plan first');",
      "show('Update the record set');",
      "show('Values (optional)');",
      "show('Table of contents');",
      "show('Replace into the draft?');",
      'show(`With ${name} as a friend`);',
      "console.log('SELECT * FROM users');",
      // a query language of a third-party HTTP API, sent in a URL
      "api.get(`/query?query=${encodeURIComponent(\"SELECT * FROM Account WHERE AccountType = 'Bank'\")}`);",
      "const u = new URLSearchParams({ q: 'x' }); u.set('query', encodeURI('SELECT Id FROM Invoice WHERE Balance > 0'));",
      "fetch(new URL('SELECT * FROM Item', base));",
      // JavaScript's String.raw, not the `raw` tag of a SQL library
      'const cls = String.raw`[&_tr:last-child]:border-0 ${x} order-last`;',
    ].join('\n');
    expect(sites(code)).toEqual([]);
  });

  it('the known-name fast path stays certain', () => {
    expect(sites("db.query('SELECT 1')").map((s) => [s.via, s.certain])).toEqual([['call:query', true]]);
  });

  it('both branches of a conditional passed to a query call', () => {
    const code = "db.query(all ? 'SELECT * FROM a' : `SELECT id FROM b WHERE n LIKE '%x'`);";
    expect(sites(code).map((s) => [s.via, s.certain])).toEqual([
      ['call:query', true],
      ['call:query', true],
    ]);
    expect(lint(code)).toEqual(['no-select-star [*] 1:24-1:25', "no-leading-wildcard ['%x'] 1:67-1:71"]);
  });

  it('an UPDATE whose whole SET list is one hole, built in code', () => {
    const code = [
      'conn.execute(`UPDATE enrollment SET ${fields.map(([k]) => `${k} = ?`).join(", ")} WHERE id = ?`, [...values, id]);',
      'run(`UPDATE t SET ${sets}`);',
      'show(`UPDATE t SET ${sets}`);',
    ].join('\n');
    expect(sites(code).map((s) => [s.via, s.range[0]])).toEqual([['call:execute', 13], ['call:run', 119], ['call-shape', 149]]);
    expect(sites('const q = String.raw`SELECT id FROM t WHERE name ~ \'\\d+\'`;').map((s) => s.via)).toEqual(['tag:raw']);
  });

  it('a SELECT without FROM: in a known call, and by shape', () => {
    expect(sites('execute(`SELECT ${schema}.create_queue(${name})`)').map((s) => s.via)).toEqual(['call:execute']);
    expect(sites("pgmq(conn, `SELECT ${schema}.create_queue('${name}')`)").map((s) => s.via)).toEqual(['call-shape']);
    expect(looksLikeSqlStatement('SELECT now()')).toBe(true);
    expect(looksLikeSqlStatement('SELECT pg_advisory_lock($1)')).toBe(true);
    expect(looksLikeSqlStatement('SELECT 1')).toBe(true);
    expect(looksLikeSqlStatement('VALUES (1, 2), (3, 4)')).toBe(true);
    expect(looksLikeSqlStatement('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE')).toBe(true);
    expect(looksLikeSqlStatement('REPLACE INTO t (a) VALUES (1)')).toBe(true);
    expect(looksLikeSqlStatement('TABLE users')).toBe(true);
    expect(looksLikeSqlStatement('TABLE tdata;')).toBe(true);
    // CSS selectors for an HTML table's parts (`.find('table td')`)
    for (const css of ['table td', 'table tr', 'TABLE tbody;', 'table th']) expect(looksLikeSqlStatement(css), css).toBe(false);
    for (const prose of ['Select item(s)', 'Select a file', 'Update available', 'Select file(s) to upload', 'Values', 'Table of contents', 'Select one:', 'Delete from all environments'])
      expect(looksLikeSqlStatement(prose), prose).toBe(false);
  });

  it('DDL in its unmistakable shapes through a weak callee (knex.raw, db.exec, knex.schema.raw), and not prose', () => {
    const code = [
      'await knex.raw(`CREATE INDEX links_user_id_index ON links (user_id);`);',
      'await knex.schema.raw("ALTER TABLE links ADD COLUMN expire_in timestamptz");',
      "db.exec('CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text)');",
      "db.run('DROP INDEX IF EXISTS kv_v');",
      "db.exec('Create table of contents (see below)');",
      "db.run('Drop table when done');",
    ].join('\n');
    const line = (n: number) => code.split('\n').slice(0, n).join('\n').length + (n ? 1 : 0);
    expect(sites(code).map((s) => [s.via, s.range[0]])).toEqual([['call:raw', line(0) + 15], ['call:raw', line(1) + 22], ['call:exec', line(2) + 8], ['call:run', line(3) + 7]]);
    for (const ddl of ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON public.t USING gin (a)', 'create temporary table t (a int)', 'ALTER TABLE ONLY "t" RENAME COLUMN a TO b', 'DROP TABLE t CASCADE;'])
      expect(looksLikeSqlStatement(ddl), ddl).toBe(true);
    for (const prose of ['Create index on every page', 'Alter table layout', 'Drop table rows here', 'Create table (beta)']) expect(looksLikeSqlStatement(prose), prose).toBe(false);
  });

  it('WITH a AS ( is SQL, not the word "with"', () => {
    expect(looksLikeStatement('WITH a AS (SELECT 1) SELECT * FROM a')).toBe(true);
    expect(looksLikeStatement('with a as(select 1) select * from a')).toBe(true);
    expect(looksLikeStatement('UPDATE a SET b = 1')).toBe(true);
    // the CTE's * leaves the statement through the outer *, so both are reported (with `SELECT id FROM a` neither would be)
    expect(lint('const q = `WITH a AS (SELECT * FROM t) SELECT * FROM a`;')).toEqual(['no-select-star [*] 1:30-1:31', 'no-select-star [*] 1:47-1:48']);
    expect(sites('const g = `with ${name} as a friend`;')).toEqual([]);
  });

  it('a camelCase table before its column list is not ClickHouse', () => {
    expect(clickhouseEvidence('INSERT INTO bookAuthors (book_id, author_id) VALUES ($1, $2)')).toBeUndefined();
    expect(clickhouseEvidence('CREATE TABLE userRoles (id int REFERENCES orgUnits(id))')).toBeUndefined();
    expect(clickhouseEvidence('SELECT arrayMin(x) FROM t')).toBe('ClickHouse function arrayMin()');
    const code = "db.query(`INSERT INTO bookAuthors (book_id, name) SELECT id, name FROM books WHERE name LIKE '%x'`);";
    expect(lint(code)).toEqual(["no-leading-wildcard ['%x'] 1:94-1:98"]);
  });
});

describe('SQL in a variable', () => {
  it('a const passed to a known call later is a certain site', () => {
    const code = ['async function f(id: number) {', '  const q = `SELECT * FROM orders WHERE user_id = $1`;', '  return db.query(q, [id]);', '}'].join('\n');
    expect(sites(code).map((s) => [s.via, s.certain])).toEqual([['call:query+var', true]]);
    expect(lint(code)).toEqual(['no-select-star [*] 2:21-2:22']);
  });

  it('a SELECT without FROM in a variable (not found by shape alone) is found through the call', () => {
    const code = 'function f() { const q = `SELECT ${schema}.create_queue($1)`; return db.query(q, [n]); }';
    expect(sites(code).map((s) => s.via)).toEqual(['call:query+var']);
  });

  it('let + `+=` pieces before the call are one site, positions in each piece', () => {
    const code = ['function f(q: string) {', "  let text = 'SELECT * FROM products WHERE active';", "  if (q) text += \" AND name LIKE '%x'\";", "  text += ' ORDER BY id';", '  return pagedRawQuery(text, 2);', '}'].join('\n');
    const found = sites(code);
    expect(found.map((s) => [s.via, s.certain, s.kind])).toEqual([['call-shape+var', false, 'concat']]);
    expect(lint(code)).toEqual(['no-select-star [*] 2:22-2:23', "no-leading-wildcard ['%x'] 3:34-3:38"]);
  });

  it('a variable of another function, or declared after the call, is not used', () => {
    expect(sites('function a() { const q = `SELECT 1`; } function b() { return db.query(q); }')).toEqual([]);
  });
});

describe('prefilter', () => {
  it('lets files with SQL in any call through', () => {
    for (const code of ["R.getCell('SELECT 1')", 'execute(pool, `SELECT ${s}.create_queue(1)`)', "run('VALUES (1)')", "m('MERGE INTO t USING s ON true')", "x('REPLACE INTO t VALUES (1)')"]) expect(mayHoldSql(code, [], []), code).toBe(true);
    expect(mayHoldSql("toast('Select a file')", [], [])).toBe(false);
  });

  it('stays linear on a big file (no match: the whole text is scanned)', () => {
    const line = "const a = 'select an option ' + x; f('Select item(s)'); g(`update ${x} now`); h('values are'); k('delete this');\n";
    const time = (n: number) => {
      const code = line.repeat(n);
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        expect(mayHoldSql(code, ['sql'], ['query'])).toBe(false);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(200);
    const small = time(500);
    const big = time(4000);
    // 8x the text: well under the 64x of a quadratic scan
    expect(big / Math.max(small, 0.5)).toBeLessThan(24);
  });
});

describe('fixtures/embed/shapes/wrappers.ts', () => {
  const file = join(root, 'fixtures', 'embed', 'shapes', 'wrappers.ts');
  const expected = [
    'no-select-star [*] 12:27-12:28',
    'no-select-star [*] 13:27-13:28',
    "no-leading-wildcard ['%@example.com'] 14:60-14:75",
    "no-leading-wildcard ['%x'] 15:62-15:66",
    'no-select-star [*] 16:31-16:32',
    'no-select-star [*] 17:37-17:38',
    "no-leading-wildcard ['%a'] 17:92-17:96",
    'no-unsafe-interpolation [${name}] 18:55-18:62',
    'no-select-star [*] 19:38-19:39',
    'no-select-star [*] 19:59-19:60',
    "no-leading-wildcard ['%x'] 20:106-20:110",
    'no-select-star [*] 24:26-24:27',
    "no-leading-wildcard ['%'] 27:34-27:37",
  ];

  it('core path (lintHostSource)', () => {
    const code = readFileSync(file, 'utf8');
    expect(lint(code, file)).toEqual(expected);
    expect(lintHostSource(code, file).stats).toMatchObject({ sites: 12, analysed: 12, failed: 0 });
  });

  it('ESLint plugin', async () => {
    expect((await eslintFindings(file)).sort()).toEqual([...expected].sort());
  });
});

describe('sql-template-strings chains (SQL`...`.append(...))', () => {
  const lint = (code: string) => lintHostSource(code, 'a.ts', { rules: ALL, dialect: 'postgresql' });
  it('the head the chain completes is no parse error; a head that parses is analysed at its positions', () => {
    const head = "import SQL from 'sql-template-strings';\nconst q = SQL`UPDATE `.append(table).append(SQL` SET v = ${v} WHERE id = ${id}`);";
    expect(lint(head).diagnostics.filter((d) => d.ruleId === 'parse-error')).toEqual([]);
    const whole = "import SQL from 'sql-template-strings';\nconst q = SQL`SELECT * FROM users WHERE org = ${org}`.append(SQL` LIMIT 10`);";
    expect(lint(whole).diagnostics.filter((d) => d.ruleId === 'no-select-star').map((d) => `${d.line}:${d.column}`)).toEqual([`2:${whole.split('\n')[1]!.indexOf('*') + 1}`]);
    // a template that is not the receiver of .append stays a statement: its parse error is reported
    expect(lint('const q = SQL`UPDATE `;').diagnostics.map((d) => d.ruleId)).toContain('parse-error');
  });
});

describe('query config objects', () => {
  it("node-postgres { text, values } and mysql2 { sql, values }: the text is the call's SQL, found with trailing holes", () => {
    const code = 'await db.query({\n  text: `SELECT * FROM shelves ${where} ${sort} ${paging}`,\n  values,\n});\nawait conn.query({ sql: "SELECT * FROM books WHERE id > ?", values: [1] });';
    const stars = lintHostSource(code, 'a.ts', { rules: ALL, dialect: 'postgresql' }).diagnostics.filter((d) => d.ruleId === 'no-select-star');
    const lines = code.split('\n');
    expect(stars.map((d) => `${d.line}:${d.column}`)).toEqual([`2:${lines[1]!.indexOf('*') + 1}`, `5:${lines[4]!.indexOf('*') + 1}`]);
    // any other property is not the query
    expect(sites('await db.query({ name: `SELECT * FROM shelves ${a} ${b}` });')).toEqual([]);
  });
});

describe('a tag of any name', () => {
  it("postgres.js's connection or transaction as the tag: a whole statement is a site found by shape, its holes bind parameters", () => {
    const code = [
      'const a = this.#db.begin((tx) => tx<{ id: string }[]>`SELECT id FROM clients WHERE "groupID" = ${g}`);',
      'const b = this.#db`UPDATE instances SET "lastActive" = ${at} WHERE "groupID" = ${g}`;',
      'const c = conn`DELETE FROM sessions WHERE id = ${id}`;',
      // not SQL: GraphQL, HTML, CSS, an English sentence, a fragment (only a known tag makes one a site)
      'const d = gql`query { users { id } }`;',
      'const e = html`<p>Select the rows from the table</p>`;',
      'const f = css`select { color: red }`;',
      'const g = t`Delete from all environments`;',
      'const h = tx`AND a = ${b}`;',
    ].join('\n');
    expect(sites(code).map((s) => [code.slice(s.range[0], s.range[0] + 20), s.certain, s.parameterized, s.via])).toEqual([
      ['`SELECT id FROM clie', false, true, 'tag-shape'],
      ['`UPDATE instances SE', false, true, 'tag-shape'],
      ['`DELETE FROM session', false, true, 'tag-shape'],
    ]);
    // analysed: SELECT * under a transaction tag is reported where it stands; no unsafe interpolation
    const star = 'export const q = (tx: Sql, g: string) => tx`SELECT * FROM clients WHERE "groupID" = ${g}`;';
    expect(lint(star).filter((d) => d.startsWith('no-select-star') || d.startsWith('no-unsafe'))).toEqual(['no-select-star [*] 1:52-1:53']);
  });
});
