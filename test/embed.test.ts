import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { analyzeSite, embedSql, findSqlSites, lintHostSource, looksLikeStatement } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(async () => {
  await ready();
});

/** Findings as `rule [host text] line:col-endLine:endCol`, every rule on (`options.rules` overrides on top). */
function lint(code: string, options: Parameters<typeof lintHostSource>[2] = {}, file = 'x.ts'): string[] {
  return lintHostSource(code, file, { ...options, rules: { ...ALL, ...options.rules } }).diagnostics.map((d) => `${d.ruleId} [${code.slice(d.start, d.end)}] ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
}

function sites(code: string, options = {}) {
  const program = parse(code, { range: true, comment: true, jsx: false });
  return findSqlSites(program, code, options);
}

function sqlOf(code: string, dialect: 'postgresql' | 'mysql' = 'postgresql'): string {
  const [site] = sites(code);
  return embedSql(site!, dialect).sql;
}

describe('positions', () => {
  it('maps a finding in a one-line tagged template', () => {
    expect(lint('const r = await sql`SELECT * FROM users`;')).toEqual(['no-select-star [*] 1:28-1:29']);
  });

  it('maps findings after holes', () => {
    const code = "const r = await sql`SELECT * FROM users WHERE status = ${user.status} AND email LIKE '%x'`;";
    expect(lint(code)).toEqual(['no-select-star [*] 1:28-1:29', "no-leading-wildcard ['%x'] 1:86-1:90"]);
  });

  it('maps multi-line templates', () => {
    const code = ['const rows = await sql`', '  SELECT *', '  FROM users', "  WHERE name LIKE '%ann'", '`;'].join('\n');
    expect(lint(code)).toEqual(['no-select-star [*] 2:10-2:11', "no-leading-wildcard ['%ann'] 4:19-4:25"]);
  });

  it('maps CRLF files', () => {
    const code = ['// a CRLF file', 'const rows = await sql`', '  SELECT *', '  FROM users', "  WHERE name LIKE '%ann'`;"].join('\r\n');
    expect(lint(code)).toEqual(['no-select-star [*] 3:10-3:11', "no-leading-wildcard ['%ann'] 5:19-5:25"]);
  });

  it('maps through escaped backticks and escapes in string literals', () => {
    const t = "db.query(`SELECT * FROM t WHERE a LIKE '%\\`x'`);";
    expect(lint(t)).toEqual(['no-select-star [*] 1:18-1:19', "no-leading-wildcard ['%\\`x'] 1:40-1:46"]);
    const s = "db.query('SELECT * FROM t WHERE b LIKE \\'%z\\'');";
    expect(lint(s)).toEqual(['no-select-star [*] 1:18-1:19', "no-leading-wildcard [\\'%z\\'] 1:40-1:46"]);
    const nl = "db.query('SELECT id\\nFROM t\\nWHERE b LIKE \\'%z\\'');";
    expect(lint(nl)).toEqual(["no-leading-wildcard [\\'%z\\'] 1:43-1:49"]);
  });

  it('a finding on a placeholder covers the whole ${expr}', () => {
    const code = "const r = await sql`SELECT id FROM users WHERE email LIKE ${'%' + q}`;";
    // the value that fills the placeholder starts with a wildcard: the finding covers the whole hole
    expect(lint(code)).toEqual(["no-leading-wildcard [${'%' + q}] 1:59-1:69"]);
    const [site] = sites('const r = sql`SELECT * FROM users WHERE id = ${ids.length} LIMIT 1`;');
    const e = embedSql(site!, 'postgresql');
    expect(e.sql).toBe('SELECT * FROM users WHERE id = $1 LIMIT 1');
    const hole = e.holes[0]!;
    expect(e.toHost({ start: hole.sql.start + 1, end: hole.sql.end })).toEqual(hole.host);
    expect('const r = sql`SELECT * FROM users WHERE id = ${ids.length} LIMIT 1`;'.slice(hole.host.start, hole.host.end)).toBe('${ids.length}');
  });

  it('knows its segments', () => {
    const [site] = sites('x = sql`SELECT a FROM t WHERE b = ${b}`;');
    const e = embedSql(site!, 'postgresql');
    expect(e.segments).toEqual([{ sqlStart: 0, sqlEnd: 26, hostStart: 8 }]);
  });
});

describe('hole fills and retries', () => {
  it('values become $n for PostgreSQL and :pN for node-sql-parser dialects', () => {
    expect(sqlOf('q = sql`SELECT a FROM t WHERE b = ${b} AND c = ${c}`')).toBe('SELECT a FROM t WHERE b = $1 AND c = $2');
    expect(sqlOf('q = sql`SELECT a FROM t WHERE b = ${b} AND c = ${c}`', 'mysql')).toBe('SELECT a FROM t WHERE b = :p1 AND c = :p2');
  });

  it('a table hole is an identifier (and the table is unknown, so no select-star)', () => {
    expect(sqlOf('q = sql`SELECT * FROM ${table} WHERE id = ${id}`')).toBe('SELECT * FROM __sqlperf_p1 WHERE id = $2');
    expect(lint('q = sql`SELECT * FROM ${table} WHERE id = ${id}`')).toEqual([]);
  });

  it('a column hole after ORDER BY is retried as an identifier when needed', () => {
    expect(sqlOf('q = sql`SELECT a FROM t ORDER BY ${col} ${dir}`')).toBe('SELECT a FROM t ORDER BY $1  ');
  });

  it('an optional fragment is read in place (its text inlined)', () => {
    const code = "q = sql`SELECT id FROM users WHERE a LIKE '%x' ${cond ? sql`LIMIT 10` : sql``}`;";
    expect(sqlOf(code)).toBe("SELECT id FROM users WHERE a LIKE '%x'  LIMIT 10 ");
    expect(lint(code)).toEqual(["no-leading-wildcard ['%x'] 1:43-1:47"]);
    expect(lintHostSource(code, 'x.ts').stats).toMatchObject({ sites: 1, analysed: 1, skipped: 0, failed: 0 });
  });

  it('IN ${list} becomes IN ($n)', () => {
    const code = "q = sql`SELECT id FROM users WHERE id IN ${list} AND b LIKE '%y'`;";
    expect(sqlOf(code)).toBe("SELECT id FROM users WHERE id IN ($1) AND b LIKE '%y'");
    expect(lint(code)).toEqual(["no-leading-wildcard ['%y'] 1:61-1:65"]);
  });

  it('a hole inside quotes is text', () => {
    const code = "q = sql`SELECT id FROM users WHERE name LIKE '%${term}%'`;";
    expect(sqlOf(code)).toBe("SELECT id FROM users WHERE name LIKE '%__sqlperf_p1%'");
    expect(lint(code)).toEqual(["no-leading-wildcard ['%${term}%'] 1:46-1:57"]);
  });

  it('knex ? and ?? placeholders', () => {
    expect(sqlOf("knex.raw('select name from ?? where b = ?', ['t', 1])")).toBe('select name from __sqlperf_p1 where b = $2');
    expect(sqlOf("knex.raw('select name from t where b = :b and c = {{c}}')")).toBe('select name from t where b = $1 and c = $2');
  });

  it("knex's escaped \\? is PostgreSQL's own ? operator, never a placeholder", () => {
    expect(sqlOf("knex.whereRaw(`??::jsonb @\\\\? '$[*] \\\\? (@ == 1)'`, [col])")).toBe("SELECT 1 FROM __sqlperf_t WHERE __sqlperf_p1::jsonb @?  '$[*] ?  (@ == 1)'");
    expect(sqlOf('knex.whereRaw(`?? \\\\? ?`, [col, key])')).toBe('SELECT 1 FROM __sqlperf_t WHERE __sqlperf_p1 ?  $2');
    expect(lint('knex.whereRaw(`??::jsonb @\\\\? ?`, [col, path]);')).toEqual([]);
  });

  it('keeps jsonb ? when the text parses as it is', () => {
    expect(sqlOf("db.query(\"SELECT a FROM t WHERE data ? 'k'\")")).toBe("SELECT a FROM t WHERE data ? 'k'");
  });

  it('certain sites that do not parse give one parse-error; uncertain ones are skipped', () => {
    const code = 'const r = sql`SELEC * FROM t`;';
    expect(lint(code)).toEqual(['parse-error [SELEC] 1:15-1:20']);
    expect(lintHostSource(code, 'x.ts').stats).toMatchObject({ sites: 1, analysed: 0, skipped: 0, failed: 1 });
    const unsure = 'const r = "SELECT a, FROM t WHERE";';
    expect(lint(unsure)).toEqual([]);
  });

  it('fragments are analysed wrapped in a statement of their clause; sql.fragment is skipped', () => {
    const code = 'const w = sql`WHERE id = ${id}`; const f = sql.fragment`AND b = ${b}`;';
    expect(lint(code)).toEqual([]);
    expect(lintHostSource(code, 'x.ts').stats).toMatchObject({ sites: 2, analysed: 1, skipped: 1, failed: 0 });
  });
});

describe('detection', () => {
  it('finds tags, calls and /* sql */ comments', () => {
    const code = [
      'const a = sql`SELECT 1`;',
      'const b = Prisma.sql`SELECT 2`;',
      'const c = await prisma.$queryRaw`SELECT 3`;',
      "const d = await db.query('SELECT 4');",
      'const e = await prisma.$queryRawUnsafe(`SELECT 5`);',
      "const f = /* sql */ 'SELECT 6';",
      'const g = await sql.type(Row)`SELECT 7`;',
      "const h = db.prepare('SELECT 8 FROM t').get();",
    ].join('\n');
    const found = sites(code);
    expect(found.map((s) => [s.via, s.certain, s.parameterized])).toEqual([
      ['tag:sql', true, true],
      ['tag:Prisma.sql', true, true],
      ['tag:$queryRaw', true, true],
      ['call:query', true, false],
      ['call:$queryRawUnsafe', true, false],
      ['comment', true, false],
      ['tag:sql.type', true, true],
      ['call:prepare', true, false],
    ]);
  });

  it('does not take plain English or generic calls for SQL', () => {
    const code = [
      "const a = 'Select a plan';",
      "const b = 'Delete from all environments';",
      "const c = 'Select the rows from the table';",
      "const d = map.get('select');",
      "router.get('/users', handler);",
      "const e = 'Update your profile settings';",
      "const f = t('Insert into the list');",
      "const g = `with ${name} as a friend`;",
    ].join('\n');
    expect(sites(code)).toEqual([]);
  });

  it('finds statement-shaped literals by shape, as uncertain', () => {
    const code = ["const q = 'SELECT id FROM users WHERE id = $1';", 'function f() { return `DELETE FROM sessions WHERE expires < now()`; }', "const u = 'UPDATE users SET name = $1 WHERE id = $2';"].join('\n');
    expect(sites(code).map((s) => [s.via, s.certain])).toEqual([
      ['heuristic', false],
      ['heuristic', false],
      ['heuristic', false],
    ]);
  });

  it('the statement check', () => {
    expect(looksLikeStatement('SELECT * FROM users')).toBe(true);
    expect(looksLikeStatement('select u.id, u.name from users u where u.id = 1')).toBe(true);
    expect(looksLikeStatement('INSERT INTO t (a) VALUES ($1)')).toBe(true);
    expect(looksLikeStatement('WITH x AS (SELECT 1) SELECT * FROM x')).toBe(true);
    expect(looksLikeStatement('Select a plan')).toBe(false);
    expect(looksLikeStatement('Delete from all environments')).toBe(false);
    expect(looksLikeStatement('Update the record set')).toBe(false);
  });

  it('custom tags and callees', () => {
    expect(sites('q = myDb`SELECT 1`; r = run2("SELECT a FROM t")', { tags: ['myDb'], callees: ['run2'] }).map((s) => s.via)).toEqual(['tag:myDb', 'call:run2']);
    expect(sites('q = sql`SELECT 1`', { tags: ['other'] })).toEqual([]);
  });

  it('nested tagged templates in holes are not sites of their own', () => {
    expect(sites('q = sql`SELECT a FROM t ${x ? sql`WHERE b = ${b}` : sql``}`').length).toBe(1);
  });
});

describe('suppression and robustness', () => {
  it('// sqlperf-disable-next-line applies to the SQL on the next line', () => {
    const code = ['// sqlperf-disable-next-line no-select-star', 'const a = sql`SELECT * FROM users`;', 'const b = sql`SELECT * FROM users`;'].join('\n');
    expect(lint(code)).toEqual(['no-select-star [*] 3:22-3:23']);
  });

  it('SQL comments inside the template work too', () => {
    const code = 'const a = sql`SELECT * FROM users -- sqlperf-disable-line no-select-star\n`;';
    expect(lint(code)).toEqual([]);
  });

  it('unknown rules in host directives are reported (in a file that may hold SQL: the CLI and the plugin skip the others unread)', () => {
    expect(lint('// sqlperf-disable-next-line no-such-rule\nconst a = sql`SELECT id FROM t`;')).toEqual([expect.stringMatching(/^invalid-directive \[\/\/ sqlperf-disable-next-line no-such-rule\] 1:1-1:42$/)]);
    expect(lint('// sqlperf-disable-next-line no-such-rule\nconst a = 1;')).toEqual([]);
  });

  it('rules config and dialect pass through', () => {
    expect(lint('const a = sql`SELECT * FROM users`;', { rules: { 'no-select-star': 'off' } })).toEqual([]);
    expect(lint('const a = sql`SELECT * FROM users WHERE status = ${status}`;', { dialect: 'mysql' })).toEqual(['no-select-star [*] 1:22-1:23']);
  });

  it('never throws: a host syntax error is one warning', () => {
    const r = lintHostSource('const = sql`SELECT`;', 'bad.ts');
    expect(r.diagnostics.map((d) => [d.ruleId, d.messageId, d.severity])).toEqual([['parse-error', 'host', 'warn']]);
    expect(r.stats.failed).toBe(1);
    expect(lintHostSource('const = 1', 'bad.ts', { rules: { 'parse-error': 'off' } }).diagnostics).toEqual([]);
    for (const code of ['', '`', 'sql`${', 'sql`SELECT ${a} ${b} ${c} ${d}`', 'db.query(`' + '('.repeat(500) + '`)', 'sql`\\u{110000}\\x\\u`']) {
      expect(() => lintHostSource(code, 'x.ts')).not.toThrow();
    }
  });

  it('JSX files', () => {
    expect(lint('const el = <div>{sql`SELECT * FROM t`}</div>;', {}, 'x.tsx')).toEqual(['no-select-star [*] 1:29-1:30']);
  });

  it('analyzeSite reports status', () => {
    const [site] = sites('q = sql`SELECT * FROM t`');
    const r = analyzeSite(site!, { rules: ALL });
    expect(r.status).toBe('analysed');
    expect(r.diagnostics[0]!.start).toBe(15);
  });
});
