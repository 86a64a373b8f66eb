/**
 * Value-side evidence (src/embed/hole-values.ts): a LIKE pattern whose wildcard is in the value the
 * code binds (a `${}` hole, a parameter array element, a quoted hole, a query builder's argument).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/typescript-estree';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';
import { activeHostRules, runProgramChecks } from '../src/embed/host-rules.js';
import { isPageOffset, listLength, startsWithWildcard, valueEvidence } from '../src/embed/hole-values.js';
import { embedSql, findSqlSites } from '../src/embed/index.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { rules } from '../rules/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'embed', 'host');

beforeAll(() => ready());

function cli(file: string, ruleId: string): string[] {
  const code = readFileSync(join(fixtures, file), 'utf8');
  return lintHostSource(code, file, { rules: ALL })
    .diagnostics.filter((d) => d.ruleId === ruleId)
    .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}] ${d.messageId}`);
}

/** Program-wide checks (query builders), as the front ends run them once per file. */
function program(code: string): Array<{ at: string; message: string }> {
  const prog = parse(code, { range: true, comment: true, loc: false, tokens: false });
  const starts = lineStarts(code);
  return runProgramChecks(prog as never, code, activeHostRules(rules, ALL)).map((d) => {
    const a = toLineCol(starts, d.start);
    const b = toLineCol(starts, d.end);
    return { at: `${d.ruleId} ${a.line}:${a.column}-${b.line}:${b.column} [${code.slice(d.start, d.end)}]`, message: d.message };
  });
}

describe('no-leading-wildcard: the wildcard is in the value', () => {
  it('fixtures/embed/host/leading-wildcard-values.ts: holes, parameter arrays ($n, ?, { values }), quoted holes; the valid block stays silent', () => {
    expect(cli('leading-wildcard-values.ts', 'no-leading-wildcard')).toEqual([
      '5:60-5:71 [${`%${q}%`}] leadingValue',
      '6:64-6:71 [`%${q}`] leadingValue',
      "7:84-7:97 ['%' + q + '%'] leadingValue",
      '9:83-9:90 [pattern] leadingValue',
      '10:78-10:85 [`_${q}`] leadingValue',
      '11:57-11:67 [${pattern}] leadingValue',
      "12:51-12:73 [${exact ? q : '%' + q}] leadingValue",
    ]);
  });

  it('messages name the column, the operator and the value as the code writes it', () => {
    const code = 'const pattern = `%${q}%`;\ndb.query("SELECT id FROM users WHERE lower(name) LIKE $1", [pattern]);';
    expect(lintHostSource(code, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard').map((d) => d.message)).toEqual([
      'lower(name) LIKE pattern = `%${q}%`: the pattern starts with a wildcard, so a B-tree index on lower(name) cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (lower(name) gin_trgm_ops)',
    ]);
  });

  it("a hole before the % is a prefix match: LIKE '${prefix}%' is silent, LIKE '%${x}' is still reported", () => {
    const prefix = "db.query(`SELECT id FROM users WHERE name LIKE '${prefix}%'`);";
    expect(lintHostSource(prefix, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard')).toEqual([]);
    const concat = "db.query(`SELECT id FROM users WHERE name LIKE '${prefix}' || '%'`);";
    expect(lintHostSource(concat, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard')).toEqual([]);
    const suffix = "db.query(`SELECT id FROM users WHERE name LIKE '%${x}'`);";
    expect(lintHostSource(suffix, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard').map((d) => [d.messageId, d.message])).toEqual([
      ['leading', "LIKE pattern '%${x}' starts with a wildcard, so a B-tree index on name cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (name gin_trgm_ops)"],
    ]);
  });

  it('"off" turns the value-side check off too', () => {
    const code = 'db.query("SELECT id FROM users WHERE name LIKE $1", [`%${q}`]);';
    expect(lintHostSource(code, 'a.ts', { rules: { ...ALL, 'no-leading-wildcard': 'off' } }).diagnostics).toEqual([]);
  });

  it('query builders (program-wide check): knex/kysely where(col, op, v), whereILike, drizzle ilike, Sequelize Op.iLike; the valid block stays silent', () => {
    const code = readFileSync(join(fixtures, 'leading-wildcard-builders.ts'), 'utf8');
    const found = program(code);
    expect(found.map((f) => f.at)).toEqual([
      "no-leading-wildcard 5:45-5:58 ['%' + q + '%']",
      'no-leading-wildcard 6:70-6:82 [`%${value}%`]',
      'no-leading-wildcard 7:42-7:50 [`%${q}%`]',
      'no-leading-wildcard 8:57-8:65 [`%${q}%`]',
      'no-leading-wildcard 9:53-9:60 [`%${q}`]',
    ]);
    expect(found[1]!.message).toBe(
      'email ILIKE `%${value}%`: the pattern starts with a wildcard, so a B-tree index on email cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON <table> USING gin (email gin_trgm_ops) (PostgreSQL); in MySQL: ALTER TABLE <table> ADD FULLTEXT INDEX (email) and search with MATCH (email) AGAINST (...)',
    );
  });

  it('startsWithWildcard: what the code certainly starts with', () => {
    const expr = (src: string) => (parse(`(${src})`, { range: true }).body[0] as unknown as { expression: never }).expression;
    for (const yes of ['"%a"', '`%${q}`', '`_${q}`', "'%' + q", '`${`%${q}`}`', "('%' + q).toLowerCase()", "'%'.concat(q)", "c ? q : '%' + q"]) expect(startsWithWildcard(expr(yes)), yes).toBe(true);
    for (const no of ['q', '`${q}%`', "q + '%'", '"abc%"', '`a%${q}`', "c ? q : q + '%'"]) expect(startsWithWildcard(expr(no)), no).toBe(false);
  });

  it('other value evidence: offsets from a page number, lists of unbounded length', () => {
    const expr = (src: string) => (parse(`(${src})`, { range: true }).body[0] as unknown as { expression: never }).expression;
    for (const yes of ['(page - 1) * pageSize', 'page * 20', 'opts.pageIndex * limit', '(Number(page) - 1) * size']) expect(isPageOffset(expr(yes)), yes).toBe(true);
    for (const no of ['offset', 'limit * 2', 'page', '10']) expect(isPageOffset(expr(no)), no).toBe(false);
    expect(['[a, b]', 'STATUSES', 'ids', 'rows.map((r) => r.id)', '[...ids]', 'Array.from(set)', 'ids.slice(0, 100)', 'x'].map((e) => listLength(expr(e)) ?? 'unknown')).toEqual([
      'bounded',
      'bounded',
      'unbounded',
      'unbounded',
      'unbounded',
      'unbounded',
      'bounded',
      'unknown',
    ]);
  });

  it('valueEvidence: per placeholder of a site, with its SQL and host ranges', () => {
    const code = 'const offset = (page - 1) * size;\ndb.query("SELECT id FROM t WHERE id = ANY($1) AND name LIKE $2 OFFSET $3", [ids, `%${q}`, offset]);';
    const prog = parse(code, { range: true, comment: true });
    const [site] = findSqlSites(prog as never, code);
    const embedded = embedSql(site!, 'postgresql');
    const ev = valueEvidence(site!, embedded, site!.parentOf!);
    expect(ev.map((e) => [embedded.sql.slice(e.sql.start, e.sql.end), code.slice(e.host.start, e.host.end), e.leadingWildcard, e.pageOffset, e.listLength ?? '-'])).toEqual([
      ['$1', 'ids', false, false, 'unbounded'],
      ['$2', '`%${q}`', true, false, '-'],
      ['$3', 'offset', false, true, '-'],
    ]);
  });
});
