import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, hostFindings } from './helpers/rule-findings.js';

// Golden tests for rules/no-leading-wildcard.ts (issue 19, mutation testing): the pattern's range and
// the whole message with its remedy per dialect, the schema's trigram indexes, patterns that start with
// a host value; the value side (a hole, a parameter, a constant pattern shown with what it holds, the
// 60-character cut) and the builder side (knex, drizzle, negations, a search inside one parent).

beforeAll(() => ready());

const RULE = 'no-leading-wildcard';
const PG = (table: string, key: string) => `for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON ${table} USING gin (${key} gin_trgm_ops)`;
const MY = (table: string, col: string) => `ALTER TABLE ${table} ADD FULLTEXT INDEX (${col}) and search with MATCH (${col}) AGAINST (...)`;
const sqlMsg = (op: string, pattern: string, column: string, remedy: string) => `${op} pattern ${pattern} starts with a wildcard, so a B-tree index on ${column} cannot be used and every row is scanned; ${remedy}`;
const valueMsg = (column: string, op: string, value: string, remedy: string) => `${column} ${op} ${value}: the pattern starts with a wildcard, so a B-tree index on ${column} cannot be used and every row is scanned; ${remedy}`;

describe('no-leading-wildcard: SQL', () => {
  it('marks the pattern; the remedy in the dialect\'s terms', () => {
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '%@x.com'")).toEqual([`1:39-1:48 ${sqlMsg('LIKE', "'%@x.com'", 'email', PG('users', 'email'))}`]);
    expect(findings(RULE, "SELECT id FROM users WHERE lower(email) ILIKE '_x%' AND name NOT LIKE '%y'")).toEqual([`1:47-1:52 ${sqlMsg('ILIKE', "'_x%'", 'lower(email)', PG('users', 'lower(email)'))}`]);
    for (const dialect of ['mysql', 'mariadb'] as const) expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '%x'", { dialect }), dialect).toEqual([`1:39-1:43 ${sqlMsg('LIKE', "'%x'", 'email', `for word search add a FULLTEXT index: ${MY('users', 'email')}`)}`]);
    expect(findings(RULE, "SELECT id FROM main.users WHERE email LIKE '%x'", { dialect: 'sqlite' })).toEqual([`1:44-1:48 ${sqlMsg('LIKE', "'%x'", 'email', "for substring search use an FTS5 table: CREATE VIRTUAL TABLE main_users_fts USING fts5(email, tokenize='trigram')")}`]);
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '%x'", { dialect: 'bigquery' })).toEqual([`1:39-1:43 ${sqlMsg('LIKE', "'%x'", 'email', `${PG('users', 'email')} (PostgreSQL); in MySQL: ${MY('users', 'email')}`)}`]);
  });

  it('a concatenated pattern marks its leading literal; a pattern that starts with a host value is left to the value side', () => {
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '%' || $1")).toEqual([`1:39-1:42 ${sqlMsg('LIKE', "'%' || $1", 'email', PG('users', 'email'))}`]);
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '${prefix}%'")).toEqual([]);
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE 'a%'")).toEqual([]);
  });

  it('a trigram index on the column, or on lower(col) when the query lowers it, serves the search', () => {
    const ddl = 'CREATE TABLE users (id int PRIMARY KEY, email text, name text); CREATE INDEX u_t ON users USING gin (email gin_trgm_ops); CREATE INDEX u_n ON users USING gin (lower(name) gin_trgm_ops);';
    expect(findings(RULE, "SELECT id FROM users WHERE email LIKE '%x' OR lower(name) LIKE '%y' OR name LIKE '%z' OR lower(email) LIKE '%w'", { ddl })).toEqual([
      `1:82-1:86 ${sqlMsg('LIKE', "'%z'", 'name', PG('users', 'name'))}`,
      `1:108-1:112 ${sqlMsg('LIKE', "'%w'", 'lower(email)', PG('users', 'lower(email)'))}`,
    ]);
  });
});

describe('no-leading-wildcard: the value the code binds', () => {
  const code = [
    'async function f(q: string) {',
    '  await db.query(`SELECT id FROM users WHERE email ILIKE ${`%${q}%`}`);',
    "  await db.query('SELECT id FROM users WHERE email LIKE $1', [`%${q}`]);",
    "  await db.query(`SELECT id FROM users WHERE email LIKE '%${q}'`);",
    '  const pattern = `%${q}%`;',
    "  await db.query('SELECT id FROM users WHERE lower(name) LIKE $1', [pattern]);",
    "  await db.query('SELECT id FROM users WHERE name NOT LIKE $1', [pattern]);",
    "  await db.query('SELECT id FROM users WHERE name LIKE $1', [`${q}%`]);",
    "  await db.query('SELECT id FROM users WHERE name LIKE $1 AND account_id = $2', [pattern, 1]);",
    "  await db.query('SELECT id FROM users WHERE name LIKE $1', ['%' + q]);",
    '  const veryLongPatternNameForTheTest = `%${q} and some more text to make it longer than sixty characters%`;',
    "  await db.query('SELECT id FROM users WHERE name LIKE $1', [veryLongPatternNameForTheTest]);",
    '}',
  ].join('\n');

  it('a hole, a parameter, a quoted hole, a constant pattern; not NOT LIKE, a prefix, a search inside one parent', () => {
    expect(hostFindings(RULE, code)).toEqual([
      `2:58-2:69 [\${\`%\${q}%\`}] ${valueMsg('email', 'ILIKE', '`%${q}%`', PG('users', 'email'))}`,
      `3:63-3:70 [\`%\${q}\`] ${valueMsg('email', 'LIKE', '`%${q}`', PG('users', 'email'))}`,
      `4:57-4:64 ['%\${q}'] ${sqlMsg('LIKE', "'%${q}'", 'email', PG('users', 'email'))}`,
      `6:69-6:76 [pattern] ${valueMsg('lower(name)', 'LIKE', 'pattern = `%${q}%`', PG('users', 'lower(name)'))}`,
      `10:62-10:69 ['%' + q] ${valueMsg('name', 'LIKE', "'%' + q", PG('users', 'name'))}`,
      `12:62-12:91 [veryLongPatternNameForTheTest] ${valueMsg('name', 'LIKE', 'veryLongPatternNameForTheTest = `%${q} and some more text...', PG('users', 'name'))}`,
    ]);
  });

  it('the dialect configured for the file names the remedy', () => {
    expect(hostFindings(RULE, "async function f(q: string) {\n  await db.query('SELECT id FROM users WHERE email LIKE ?', [`%${q}`]);\n}", { dialect: 'mysql' })).toEqual([
      `2:62-2:69 [\`%\${q}\`] ${valueMsg('email', 'LIKE', '`%${q}`', `for word search add a FULLTEXT index: ${MY('users', 'email')}`)}`,
    ]);
  });
});

describe('no-leading-wildcard: query builders', () => {
  const both = (col: string) => `${PG('<table>', col)} (PostgreSQL); in MySQL: ${MY('<table>', col)}`;
  it('knex where / whereILike and drizzle ilike; not a negation, a prefix or a search inside one parent', () => {
    expect(hostFindings(RULE, [
      'async function f(q: string, ws: string) {',
      "  await knex('users').where('email', 'ilike', `%${q}%`);",
      "  await knex('users').whereILike('email', `%${q}`);",
      "  await knex('users').where('email', 'not like', `%${q}`);",
      '  await db.select().from(users).where(ilike(users.email, `%${q}%`));',
      '  await db.select().from(users).where(not(ilike(users.email, `%${q}%`)));',
      "  await knex('users').where('email', 'like', `${q}%`);",
      "  await knex('users').where('workspaceId', '=', ws).where('email', 'ilike', `%${q}%`);",
      '  await db.select().from(users).where(and(ilike(users.email, `%${q}%`)));',
      '  await db.select().from(users).where(not(ilike(users.email, `%${q}%`), x));',
      '  await db.select().from(users).where(sql.not(ilike(users.email, `%${q}%`)));',
      '}',
    ].join('\n'))).toEqual([
      `2:47-2:55 [\`%\${q}%\`] ${valueMsg('email', 'ILIKE', '`%${q}%`', both('email'))}`,
      `3:43-3:50 [\`%\${q}\`] ${valueMsg('email', 'ILIKE', '`%${q}`', both('email'))}`,
      `5:58-5:66 [\`%\${q}%\`] ${valueMsg('users.email', 'ILIKE', '`%${q}%`', both('users.email'))}`,
      `9:62-9:70 [\`%\${q}%\`] ${valueMsg('users.email', 'ILIKE', '`%${q}%`', both('users.email'))}`,
      `10:62-10:70 [\`%\${q}%\`] ${valueMsg('users.email', 'ILIKE', '`%${q}%`', both('users.email'))}`,
      `11:66-11:74 [\`%\${q}%\`] ${valueMsg('users.email', 'ILIKE', '`%${q}%`', both('users.email'))}`,
    ]);
    expect(hostFindings(RULE, "async function f(q: string) {\n  await knex('users').where('email', 'like', `%${q}`);\n}", { dialect: 'postgresql' })).toEqual([
      `2:46-2:53 [\`%\${q}\`] ${valueMsg('email', 'LIKE', '`%${q}`', PG('<table>', 'email'))}`,
    ]);
  });
});

describe('no-leading-wildcard: the edges the first mutation run left', () => {
  it('the value as shown: blanks collapsed, 60 characters kept whole', () => {
    const name = `pattern${'X'.repeat(42)}`;
    expect(`${name} = \`%\${q}%\``).toHaveLength(60);
    expect(hostFindings(RULE, [
      'async function f(q: string) {',
      "  await db.query('SELECT id FROM users WHERE name LIKE $1', ['%'  +  q]);",
      `  const ${name} = \`%\${q}%\`;`,
      `  await db.query('SELECT id FROM users WHERE name LIKE $1', [${name}]);`,
      '}',
    ].join('\n'))).toEqual([
      `2:62-2:71 ['%'  +  q] ${valueMsg('name', 'LIKE', "'%' + q", PG('users', 'name'))}`,
      `4:62-4:111 [${name}] ${valueMsg('name', 'LIKE', `${name} = \`%\${q}%\``, PG('users', 'name'))}`,
    ]);
  });

  it('SQLite: every run of characters that cannot be in a name becomes one underscore in the FTS5 table', () => {
    expect(findings(RULE, "SELECT id FROM \"my  users\" WHERE email LIKE '%x'", { dialect: 'sqlite' })).toEqual([
      `1:45-1:49 ${sqlMsg('LIKE', "'%x'", 'email', "for substring search use an FTS5 table: CREATE VIRTUAL TABLE my_users_fts USING fts5(email, tokenize='trigram')")}`,
    ]);
  });
});

describe('no-leading-wildcard: the value side after the session 9 run', () => {
  it('only the LIKE whose parameter holds the wildcard; nothing when the SQL does not parse', () => {
    expect(hostFindings(RULE, [
      'async function f(q: string) {',
      "  await db.query('SELECT id FROM users WHERE email LIKE $1 AND name LIKE $2', [`%${q}`, `${q}%`]);",
      "  await db.query('SELECT id FROM users WHERE email LIKE $1 AND', [`%${q}`]);",
      '}',
    ].join('\n'))).toEqual([`2:80-2:87 [\`%\${q}\`] ${valueMsg('email', 'LIKE', '`%${q}`', PG('users', 'email'))}`]);
  });
});
