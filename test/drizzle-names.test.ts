// Drizzle apps write conditions on columns as `sql\`LOWER(${inbox.senderEmail}) = ${email}\``: the
// hole is the column `"inbox"."sender_email"` (drizzle renders a column qualified by its table),
// read from the project's `pgTable('inbox', { senderEmail: text('sender_email') })`. These tests
// pin what is read from definitions, which holes become names, and the positions both front ends report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import plugin, { schemaDigest } from '../eslint-plugin/index.js';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { parseHost } from '../src/embed/parse-host.js';
import { columnName, readCasing } from '../src/drizzle/names.js';
import { readTables, type FileTables } from '../src/drizzle/tables.js';
import { analyze } from '../src/analyze.js';
import { classifyFragment } from '../src/embed/fragments.js';
import { loadSchema } from '../src/schema/load.js';
import { bin, ensureBuilt } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-drizzle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ready());

function tablesOf(code: string): FileTables {
  const p = parseHost(code, 'schema.ts');
  if (!p.ok) throw new Error(p.message);
  return readTables(p.program);
}

/** `table: key=name, ...` for every table read, `?` for an unnamed column, `+` for an incomplete table. */
function summary(code: string): string[] {
  const { tables } = tablesOf(code);
  return [...tables].map(([v, t]) => `${v}=${t.schema ? `${t.schema}.` : ''}${t.name}${t.complete ? '' : '+'}: ${[...t.columns].map(([k, c]) => `${k}=${c.name ?? '?'}`).join(',')}`);
}

describe('reading Drizzle table definitions', () => {
  it('reads pgTable, sqliteTable and mysqlTable with named and unnamed columns', () => {
    const code = `import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
import { mysqlTable, varchar } from 'drizzle-orm/mysql-core';
export const inbox = pgTable('inbox', { id: uuid().primaryKey().notNull(), senderEmail: text('sender_email'), meta: text({ enum: ['a'] }) });
export const runs = sqliteTable("monitor_run", { runId: integer("run_id") });
export const people = mysqlTable(\`people\`, { fullName: varchar('full_name', { length: 9 }).notNull() });`;
    expect(summary(code)).toEqual(['inbox=inbox: id=?,senderEmail=sender_email,meta=?', 'runs=monitor_run: runId=run_id', 'people=people: fullName=full_name']);
  });

  it('reads withRLS, column callbacks and tables of a pgSchema', () => {
    const code = `import { pgTable, pgSchema, text } from 'drizzle-orm/pg-core';
const auth = pgSchema('auth');
export const users = auth.table('users', { email: text('email') });
export const a = pgTable.withRLS('a', { b: text('b_col') });
export const c = pgTable('c', { d: text('d_col') }).withRLS();
export const e = pgTable('e', (t) => ({ f: t.text('f_col'), g: t.integer() }));`;
    expect(summary(code)).toEqual(['users=auth.users: email=email', 'a=a: b=b_col', 'c=c: d=d_col', 'e=e: f=f_col,g=?']);
  });

  it('skips what is computed: a table name that is not a literal, a builder named by a variable, a spread, a function not from drizzle-orm', () => {
    const code = `import { pgTable, text } from 'drizzle-orm/pg-core';
import { makeTable } from './helpers';
const NAME = 'x';
const shared = { createdAt: text('created_at') };
export const computed = pgTable(NAME, { a: text('a') });
export const partial = pgTable('partial', { a: text(NAME), b: text('b'), ...shared, ['c']: text('c') });
export const other = makeTable('other', { a: text('a') });`;
    expect(summary(code)).toEqual(['partial=partial+: b=b']);
  });

  it('names a column without a name by drizzle casing', () => {
    const col = { methods: [] };
    expect(columnName('senderEmail', col, 'none')).toBe('senderEmail');
    expect(columnName('senderEmail', col, 'snake_case')).toBe('sender_email');
    expect(columnName('userID2', col, 'snake_case')).toBe('user_id2');
    expect(columnName('sender_email', col, 'camelCase')).toBe('senderEmail');
    // casing unsettled: only keys every casing leaves alone
    expect(columnName('email', col, undefined)).toBe('email');
    expect(columnName('senderEmail', col, undefined)).toBeUndefined();
    expect(columnName('senderEmail', { name: 'se', methods: [] }, undefined)).toBe('se');
    expect(readCasing(`export const db = drizzle(pool, { schema, casing: "snake_case" });`)).toBe('snake_case');
    expect(readCasing(`const casing = 'snake_case'`)).toBeUndefined();
  });
});

const SCHEMA = `import { pgTable, text, uuid, index } from 'drizzle-orm/pg-core';

export const inbox = pgTable('inbox', {
  id: uuid().primaryKey(),
  teamId: uuid('team_id'),
  senderEmail: text('sender_email'),
  displayName: text('display_name'),
}, (t) => [index('inbox_team_idx').on(t.teamId)]);
`;

// line numbers matter: each query is on its own line (see the expectations)
const QUERIES = `import { sql } from 'drizzle-orm';
import { inbox } from '../db/schema';
const people = { email: 'email' };
export const byEmail = (db: any, email: string) => db.select().from(inbox).where(sql\`LOWER(\${inbox.senderEmail}) = \${email}\`);
export const search = (db: any, q: string) => db.select().from(inbox).where(sql\`\${inbox.displayName} ILIKE '%' || \${q} || '%'\`);
export const whole = (db: any, email: string) => db.execute(sql\`SELECT \${inbox.id} FROM \${inbox} WHERE lower(\${inbox.senderEmail}) = \${email}\`);
export const value = (db: any, email: string) => db.select().from(inbox).where(sql\`\${inbox.senderEmail} = LOWER(\${email})\`);
export const unknown = (db: any, email: string) => db.select().from(inbox).where(sql\`LOWER(\${inbox.nope}) = \${email}\`);
export const notDrizzle = (db: any, email: string) => db.select().from(inbox).where(sql\`LOWER(\${people.email}) = \${email}\`);
export const shadowed = (db: any, inbox: any, email: string) => db.where(sql\`LOWER(\${inbox.senderEmail}) = \${email}\`);
`;

/** A project with the schema in one package and the queries in another, under a workspace root. */
function project(name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'packages', 'db'), { recursive: true });
  mkdirSync(join(root, 'packages', 'api'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, private: true, workspaces: ['packages/*'] }));
  writeFileSync(join(root, 'packages', 'db', 'package.json'), '{"name":"db"}');
  writeFileSync(join(root, 'packages', 'api', 'package.json'), '{"name":"api"}');
  writeFileSync(join(root, 'packages', 'db', 'schema.ts'), SCHEMA);
  writeFileSync(join(root, 'packages', 'api', 'queries.ts'), QUERIES);
  return root;
}

// line:column-endLine:endColumn: LOWER( starts the finding and the `)` after the hole `${inbox.senderEmail}` ends it; the pattern is the first '%' literal
const EXPECTED = ['no-function-on-column 4:86-4:113', 'no-leading-wildcard 5:108-5:111', 'no-function-on-column 6:104-6:131'];

describe('holes that name Drizzle columns', () => {
  it('lintHostSource reads them as the columns drizzle renders (and nothing else)', () => {
    const root = project('core');
    const file = join(root, 'packages', 'api', 'queries.ts');
    const r = lintHostSource(QUERIES, file, { rules: { 'no-leading-wildcard': 'warn' } });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual(EXPECTED);
    expect(r.diagnostics[0]!.message).toMatch(/^LOWER\("inbox"\."sender_email"\) wraps the column "inbox"\."sender_email"/);
    // without the file's path there is no project to read: the holes are values, as before
    expect(lintHostSource(QUERIES, 'queries.ts', { rules: { 'no-leading-wildcard': 'warn' } }).diagnostics).toEqual([]);
  });

  it('the CLI and the ESLint plugin report the same findings at the same places', async () => {
    ensureBuilt();
    const root = project('fronts');
    const cli = spawnSync(process.execPath, [bin, 'lint', 'packages/api/queries.ts', '--format', 'json', '--rule', 'no-leading-wildcard:warn'], { cwd: root, encoding: 'utf8' });
    const cliFound = (JSON.parse(cli.stdout) as Array<{ messages: Array<{ ruleId: string; line: number; column: number; endLine: number; endColumn: number }> }>)[0]!.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`);
    expect(cliFound).toEqual(EXPECTED);
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: (await import('@typescript-eslint/parser')).default } }, plugin.configs.recommended as never, { rules: { 'sqlperf/no-leading-wildcard': 'warn' } }],
    });
    const [r] = await eslint.lintFiles(['packages/api/queries.ts']);
    expect(r!.messages.map((m) => `${m.ruleId!.replace('sqlperf/', '')} ${m.line}:${m.column}-${m.endLine}:${m.endColumn}`)).toEqual(EXPECTED);
  });
});

// each case on its own line; only the ones that say `flagged` must be reported
const COMBINED = `import { and, eq, or, sql } from 'drizzle-orm';
import { inbox } from '../db/schema';
export const a = (db: any, teamId: string, e: string) => db.select().from(inbox).where(and(eq(inbox.teamId, teamId), sql\`LOWER(\${inbox.senderEmail}) = \${e}\`));
export function b(db: any, teamId: string, e: string) {
  const conditions = [eq(inbox.teamId, teamId)];
  if (e) conditions.push(sql\`LOWER(\${inbox.senderEmail}) = \${e}\`);
  return db.select().from(inbox).where(and(...conditions));
}
export function c(db: any, teamId: string, emails: string[]) {
  const candidates = [];
  candidates.push(or(...emails.map((e) => sql\`LOWER(\${inbox.senderEmail}) = \${e}\`)));
  const where = [eq(inbox.teamId, teamId), or(...candidates)];
  return db.select().from(inbox).where(and(...where));
}
export const flagged = (db: any, e: string) => db.select().from(inbox).where(and(eq(inbox.displayName, 'x'), sql\`LOWER(\${inbox.senderEmail}) = \${e}\`));
`;

describe('fragments the code ANDs with an equality on a key', () => {
  it('are residual filters: silent when an eq() with a value joins them (directly, in a list, through or(...list)); reported with a constant eq() only', () => {
    const root = project('combined');
    const file = join(root, 'packages', 'api', 'combined.ts');
    writeFileSync(file, COMBINED);
    const r = lintHostSource(COMBINED, file, {});
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)).toEqual(['no-function-on-column 15:114']);
  });

  it('no-function-on-column leaves a similarity score against a value alone (pg_trgm serves it through its operators)', () => {
    const sqlText = 'SELECT id FROM institutions WHERE word_similarity($1, name) > 0.3;\nSELECT id FROM institutions WHERE levenshtein(name, $1) < 3;\nSELECT id FROM institutions WHERE lower(name) = $1;\n';
    const found = lintHostSource(`db.query(\`${sqlText}\`)`, 'q.ts', {}).diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`);
    expect(found).toEqual(['no-function-on-column 3:35']);
  });
});

// classes the Drizzle holes brought to light on real apps (midday, openstatus), kept quiet where there is nothing to advise
describe('conditions newly read on Drizzle columns', () => {
  const or = (sql: string, schemaSql?: string) => {
    const schema = schemaSql === undefined ? undefined : loadSchema([{ path: 'schema.sql', text: schemaSql }], 'postgresql');
    return analyze(sql, { rules: { 'no-or-across-columns': 'warn' }, ...(schema ? { schema } : {}) }).diagnostics.filter((d) => d.ruleId === 'no-or-across-columns').map((d) => d.start);
  };
  const PAGE = 'CREATE TABLE page (id int PRIMARY KEY, slug text, custom_domain text);\nCREATE INDEX page_slug ON page (lower(slug));\n';
  const BY_SLUG = 'SELECT id FROM page WHERE lower(slug) = $1 OR lower(custom_domain) = $1';

  it('no-or-across-columns: silent when the schema indexes every branch, reported when one branch has no index', () => {
    expect(or(BY_SLUG, `${PAGE}CREATE INDEX page_domain ON page (lower(custom_domain));\n`)).toEqual([]);
    expect(or(BY_SLUG, PAGE)).toEqual([BY_SLUG.indexOf('OR')]);
    expect(or(BY_SLUG)).toEqual([BY_SLUG.indexOf('OR')]);
  });

  it('no-or-across-columns: pg_trgm similarity operators are searches a trigram index serves, not B-tree lookups', () => {
    expect(or('SELECT id FROM t WHERE $1 %> name OR $1 %> merchant_name')).toEqual([]);
  });

  it('a fragment that compares aggregates is a HAVING condition', () => {
    expect(classifyFragment("(COUNT(__HOLE__) > 0 OR __HOLE__ = 'completed')")).toBe('having');
    expect(classifyFragment('a = (SELECT max(b) FROM c)')).toBe('where');
    const code = "import { sql } from 'drizzle-orm';\nexport const q = (db: any) => db.select().from(t).having(sql`(COUNT(x) > 0 OR status = 'completed')`);\n";
    expect(lintHostSource(code, 'q.ts', { rules: { 'no-or-across-columns': 'warn' } }).diagnostics).toEqual([]);
  });
});

describe('the CLI cache and Drizzle tables', () => {
  it('a changed table definition invalidates cached results of the files that query it', () => {
    ensureBuilt();
    const root = project('cache');
    const lint = () => {
      const r = spawnSync(process.execPath, [bin, 'lint', 'packages/api/queries.ts', '--format', 'json', '--cache'], { cwd: root, encoding: 'utf8' });
      return (JSON.parse(r.stdout) as Array<{ messages: Array<{ message: string }> }>)[0]!.messages.map((m) => m.message.slice(0, 30));
    };
    expect(lint()).toEqual(['LOWER("inbox"."sender_email") ', 'lower("inbox"."sender_email") ']);
    writeFileSync(join(root, 'packages', 'db', 'schema.ts'), SCHEMA.replace("'sender_email'", "'from_email'"));
    expect(lint()).toEqual(['LOWER("inbox"."from_email") wr', 'lower("inbox"."from_email") wr']);
  });
});

describe('sql.identifier and sql.raw holes', () => {
  it('sql.identifier is the quoted name, sql.raw its literal text (positions in the host)', () => {
    const code = [
      "import { sql } from 'drizzle-orm';",
      "export const a = (db: any, e: string) => db.execute(sql`SELECT id FROM users WHERE lower(${sql.identifier('email')}) = ${e}`);",
      "export const b = (db: any) => db.execute(sql`SELECT id FROM users ${sql.raw('ORDER BY random()')} LIMIT 5`);",
      "export const c = (db: any, col: string, e: string) => db.execute(sql`SELECT id FROM users WHERE lower(${sql.identifier(col)}) = ${e}`);",
      '',
    ].join('\n');
    const found = lintHostSource(code, 'q.ts', {}).diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
    const line2 = code.split('\n')[1]!;
    const line3 = code.split('\n')[2]!;
    expect(found).toEqual([`no-function-on-column 2:${line2.indexOf('lower(') + 1}-2:${line2.indexOf("')})") + 5}`, `no-order-by-random 3:${line3.indexOf('random()') + 1}-3:${line3.indexOf('random()') + 9}`]);
  });
});

describe('the value-side check on a residual fragment', () => {
  it('no-leading-wildcard on a bound `%${q}%` is silent when the fragment joins an eq() on a key, reported otherwise', () => {
    const code = [
      "import { and, eq, sql } from 'drizzle-orm';",
      "import { inbox } from '../db/schema';",
      "export const a = (db: any, teamId: string, q: string) => db.select().from(inbox).where(and(eq(inbox.teamId, teamId), sql`${inbox.displayName} ILIKE ${`%${q}%`}`));",
      "export const b = (db: any, q: string) => db.select().from(inbox).where(sql`${inbox.displayName} ILIKE ${`%${q}%`}`);",
      '',
    ].join('\n');
    const root = project('valueside');
    const file = join(root, 'packages', 'api', 'valueside.ts');
    writeFileSync(file, code);
    const found = lintHostSource(code, file, { rules: { 'no-leading-wildcard': 'warn' } }).diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`);
    expect(found).toEqual([`no-leading-wildcard 4:${code.split('\n')[3]!.indexOf('${`%') + 1}`]);
  });
});

describe('ESLint --cache and Drizzle tables', () => {
  it('schemaDigest changes when a Drizzle table definition does', () => {
    const root = project('digest');
    const before = schemaDigest(true, root);
    expect(schemaDigest(true, root)).toBe(before);
    writeFileSync(join(root, 'packages', 'db', 'schema.ts'), SCHEMA.replace("'sender_email'", "'from_email'"));
    expect(schemaDigest(true, root)).not.toBe(before);
  });
});
