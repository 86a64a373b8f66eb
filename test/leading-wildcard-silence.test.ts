/** no-leading-wildcard: the value-side check applies the SQL side's silence conditions, and messages name the real remedy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { loadSchema } from '../src/schema/index.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

const found = (code: string) => lintHostSource(code, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard');

describe('no-leading-wildcard value side', () => {
  it('silent for NOT LIKE, a search inside one parent, a non-column operand, a system catalog', () => {
    expect(found('db.query("SELECT id FROM users WHERE name NOT ILIKE $1", [`%${q}`]);')).toEqual([]);
    expect(found('db.query("SELECT id FROM users WHERE tenant_id = $1 AND name LIKE $2", [t, `%${q}%`]);')).toEqual([]);
    expect(found('db.query("SELECT id FROM users WHERE substring(name, 2) LIKE $1", [`%${q}%`]);')).toEqual([]);
    expect(found('db.query("SELECT relname FROM pg_class WHERE relname LIKE $1", [`%${q}%`]);')).toEqual([]);
  });

  it('reports a contains-search on a big table with a trigram index on the real column', () => {
    const d = found('db.query("SELECT id FROM users WHERE lower(name) LIKE $1", [`%${q}%`]);');
    expect(d.map((x) => x.message)).toEqual([
      'lower(name) LIKE `%${q}%`: the pattern starts with a wildcard, so a B-tree index on lower(name) cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (lower(name) gin_trgm_ops)',
    ]);
  });
});

describe('no-leading-wildcard with a schema that has the trigram index', () => {
  const only = { ...Object.fromEntries(Object.keys(ALL).map((k) => [k, 'off'])), 'no-leading-wildcard': 'warn' } as const;
  const schemaOf = (indexes: string) => loadSchema([{ path: 'm.sql', text: `CREATE TABLE notes (id bigint PRIMARY KEY, title text, body text);\n${indexes}` }], 'postgresql');
  /** The findings as `start-end`, for `sql` against a schema with `indexes`. */
  const at = (indexes: string, sql: string) => analyze(sql, { dialect: 'postgresql', schema: schemaOf(indexes), rules: only as never }).diagnostics.map((d) => `${d.start}-${d.end}`);
  const plain = "SELECT id FROM notes WHERE title ILIKE '%' || $1 || '%'";
  const folded = "SELECT id FROM notes WHERE lower(title) LIKE '%ab%'";

  it('is silent when a GIN or GiST trigram index covers the searched column or its case-folded expression', () => {
    expect(at('CREATE INDEX n_t ON notes USING gin (title gin_trgm_ops);', plain)).toEqual([]);
    expect(at('CREATE INDEX n_t ON notes USING gist (title gist_trgm_ops);', plain)).toEqual([]);
    expect(at('CREATE INDEX n_t ON notes USING gin (lower(title) gin_trgm_ops);', folded)).toEqual([]);
  });
  it('still reports when the index is a B-tree, on another column, on the column where the query lowers it, or partial', () => {
    const plainAt = `${plain.indexOf("'%'")}-${plain.indexOf("'%'") + 3}`;
    const foldedAt = `${folded.indexOf("'%ab%'")}-${folded.indexOf("'%ab%'") + 6}`;
    expect(at('CREATE INDEX n_t ON notes (title);', plain)).toEqual([plainAt]);
    expect(at('CREATE INDEX n_b ON notes USING gin (body gin_trgm_ops);', plain)).toEqual([plainAt]);
    expect(at('CREATE INDEX n_t ON notes USING gin (title gin_trgm_ops);', folded)).toEqual([foldedAt]);
    expect(at('CREATE INDEX n_t ON notes USING gin (title gin_trgm_ops) WHERE id > 0;', plain)).toEqual([plainAt]);
  });
});

describe('no-leading-wildcard on query builders', () => {
  const builder = (dialect?: 'postgresql' | 'sqlite' | 'mysql', code = "import { like } from 'drizzle-orm';\ndb.select().from(tags).where(like(tags.name, `%${q}%`));") =>
    lintHostSource(code, 'a.ts', { rules: ALL, ...(dialect ? { dialect } : {}) }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard').map((d) => d.message.replace(/^.*every row is scanned; /, ''));
  it("advises in the project's dialect", () => {
    expect(builder('sqlite')).toEqual(["for substring search use an FTS5 table: CREATE VIRTUAL TABLE _table__fts USING fts5(tags.name, tokenize='trigram')"]);
    expect(builder('mysql')).toEqual(['for word search add a FULLTEXT index: ALTER TABLE <table> ADD FULLTEXT INDEX (tags.name) and search with MATCH (tags.name) AGAINST (...)']);
    expect(builder('postgresql')).toEqual(['for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON <table> USING gin (tags.name gin_trgm_ops)']);
  });
  it("is silent on drizzle's not(like(...)), a negative pattern", () => {
    expect(builder('postgresql', "import { like, not } from 'drizzle-orm';\ndb.select().from(d).where(not(like(d.name, '%.placeholder')));")).toEqual([]);
    expect(builder('postgresql', "import { like, not } from 'drizzle-orm';\ndb.select().from(d).where(like(d.name, '%.placeholder'));")).toHaveLength(1);
  });
});

describe('no-leading-wildcard value side with a schema', () => {
  // loaded in the tests, after ready(): the PostgreSQL DDL reader needs the parser
  const notes = (index: string) => loadSchema([{ path: 'm.sql', text: `CREATE TABLE notes (id bigint PRIMARY KEY, "teamID" text, title text);\n${index}` }], 'postgresql');
  const withSchema = (code: string, index: string) => lintHostSource(code, 'a.ts', { rules: ALL, schema: notes(index) }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard').map((d) => `${d.line}:${d.column}`);
  const schema = 'CREATE INDEX n_team ON notes ("teamID");';
  const trgm = 'CREATE INDEX n_t ON notes USING gin (title gin_trgm_ops);';
  const search = 'db.query(`SELECT id FROM notes WHERE title ILIKE ${`%${q}%`}`);';
  const scoped = 'db.query(`SELECT id FROM notes WHERE "teamID" = ${t} AND title ILIKE ${`%${q}%`}`);';
  it('is silent where the schema has the trigram index, or an index on the equality that scopes the search', () => {
    expect(withSchema(search, trgm)).toEqual([]);
    expect(withSchema(scoped, schema)).toEqual([]);
  });
  it('reports the same searches without those indexes', () => {
    const none = '';
    const col = (code: string) => `1:${code.indexOf('${`%') + 1}`;
    expect(withSchema(search, schema)).toEqual([col(search)]);
    expect(withSchema(scoped, none)).toEqual([col(scoped)]);
  });
});

describe('no-leading-wildcard on query builders inside one parent', () => {
  /** line:column of each builder finding in `code` (PostgreSQL). */
  const at = (code: string) => lintHostSource(code, 'a.ts', { rules: ALL, dialect: 'postgresql' }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard').map((d) => `${d.line}:${d.column}`);
  /** line:column of the pattern's opening backtick (the one `%...` value in each case). */
  const patternAt = (code: string) => {
    const lines = code.slice(0, code.indexOf('`%')).split('\n');
    return `${lines.length}:${lines[lines.length - 1]!.length + 1}`;
  };
  it('is silent when the chain, the drizzle and(...) or the Sequelize where also matches a key column', () => {
    expect(at("db.selectFrom('labels').select('id').where('workspaceId', '=', ws).where('name', 'ilike', `%${q}%`).execute();")).toEqual([]);
    expect(at("knex('labels').where({ workspace_id: ws }).andWhereILike('name', `%${q}%`);")).toEqual([]);
    expect(at("knex('labels').whereILike('name', `%${q}%`).where('teamID', ws);")).toEqual([]);
    expect(at("import { and, eq, like } from 'drizzle-orm';\ndb.select().from(labels).where(and(eq(labels.workspaceId, ws), like(labels.name, `%${q}%`)));")).toEqual([]);
    expect(at("import { and, eq, like } from 'drizzle-orm';\ndb.select().from(t).where(and(eq(t.orgId, o), and(like(t.name, `%${q}%`), eq(t.kind, k))));")).toEqual([]);
    expect(at("Label.findAll({ where: { workspaceId: ws, name: { [Op.iLike]: `%${q}%` } } });")).toEqual([]);
  });
  it('reports when the key equality is an alternative, on another table, not a key, or the search itself', () => {
    const reported = [
      "db.selectFrom('labels').where('workspaceId', '=', ws).orWhere('name', 'ilike', `%${q}%`).execute();",
      "db.selectFrom('labels').where('kind', '=', k).where('name', 'ilike', `%${q}%`).execute();",
      "db.selectFrom('labels as l').innerJoin('ws as w', 'w.id', 'l.wsId').where('w.ownerId', '=', u).where('l.name', 'like', `%${q}%`);",
      "import { eq, like, or } from 'drizzle-orm';\ndb.select().from(t).where(or(eq(t.orgId, o), like(t.name, `%${q}%`)));",
      "import { and, eq, like } from 'drizzle-orm';\ndb.select().from(t).where(and(eq(u.orgId, o), like(t.name, `%${q}%`)));",
      "Label.findAll({ where: { kind: k, name: { [Op.iLike]: `%${q}%` } } });",
    ];
    for (const code of reported) expect(at(code)).toEqual([patternAt(code)]);
  });
});
