import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema, type Schema } from '../src/schema/index.js';

/** Schema loader parity across dialects (issue 15): each fixture holds every index statement its loader reads. */
const dir = join(import.meta.dirname, '..', 'fixtures', 'schema', 'loader');

function load(dialect: Dialect): Schema {
  return loadSchema([{ path: `${dialect}.sql`, text: readFileSync(join(dir, `${dialect}.sql`), 'utf8') }], dialect);
}

/** `name!(keys) method where ...` per index: ! for unique, (n) for a prefix length. */
function indexes(s: Schema, table = 'accounts'): string[] {
  return s.tables.get(table)!.indexes.map((i) => `${i.name}${i.unique ? '!' : ''}(${i.keys.map((k) => (k.column ?? k.expression) + (k.prefix ? `(${k.prefix})` : '') + (k.desc ? ' desc' : '')).join(',')})${i.method !== 'btree' ? ' ' + i.method : ''}${i.where ? ' where ' + i.where : ''}`);
}

const suggested = (q: string, dialect: Dialect, schema: Schema) => analyze(q, { dialect, schema }).statements.flatMap((s) => s.indexes.map((i) => i.columns.join(',')));

describe('MySQL loader', () => {
  const s = load('mysql');
  it('reads CREATE INDEX with prefix lengths and USING BTREE, ALTER TABLE ADD INDEX/KEY/UNIQUE, RENAME INDEX/KEY and FULLTEXT, without warnings', () => {
    expect(s.warnings).toEqual([]);
    expect(indexes(s)).toEqual(['PRIMARY!(id)', 'acc_email(email(32))', 'acc_org_slug!(org_id,slug(16) desc)', 'accounts_created_at_idx(created_at)', 'accounts_name_idx(name)', 'acc_u_email!(email)', 'acc_u_name!(name,org_id)', 'bio(bio(8))', 'acc_bio_ft(bio) fulltext']);
  });
  it('a renamed index still serves; a unique key matched by equalities is one row; a prefix key does not give the order', () => {
    expect(suggested('SELECT id FROM accounts WHERE created_at > ?', 'mysql', s)).toEqual([]);
    expect(suggested('SELECT id FROM accounts WHERE name = ? AND org_id = ? AND bio = ?', 'mysql', s)).toEqual([]);
    // (org_id, slug(16)) is unique: org_id alone is its leading prefix and serves the equality
    expect(suggested('SELECT id FROM accounts WHERE org_id = ?', 'mysql', s)).toEqual([]);
    // email(32) finds the rows, but only a full key can return them in email order
    expect(suggested('SELECT id FROM accounts WHERE org_id = ? ORDER BY slug LIMIT 10', 'mysql', s)).toEqual(['org_id,slug']);
  });
});

describe('MariaDB loader', () => {
  it('reads CREATE [UNIQUE] INDEX IF NOT EXISTS and RENAME INDEX', () => {
    const s = load('mariadb');
    expect(s.warnings).toEqual([]);
    expect(indexes(s)).toEqual(['PRIMARY!(id)', 'accounts_org_idx(org_id)', 'acc_email!(email(64))']);
  });
});

describe('SQLite loader', () => {
  const s = load('sqlite');
  it('reads schema-qualified names, IF NOT EXISTS, quoted columns with COLLATE, partial and expression indexes, DROP INDEX IF EXISTS', () => {
    expect(s.warnings).toEqual([]);
    expect(indexes(s)).toEqual(['PRIMARY!(id)', 'acc_org(org_id)', 'acc_email!(Email)', 'acc_live_name(name) where deleted_at is null', 'acc_lower_name(lower(name))']);
  });
  it('reads text(256) and blob(16), as drizzle-kit writes them (SQLite ignores the length)', () => {
    const s = loadSchema([{ path: '0000.sql', text: 'CREATE TABLE `w` (`id` integer PRIMARY KEY NOT NULL, `slug` text(256) NOT NULL, `h` blob(16));\nCREATE UNIQUE INDEX `w_slug` ON `w` (`slug`);' }], 'sqlite');
    expect(s.warnings).toEqual([]);
    const w = s.tables.get('w')!;
    expect(w.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id integer', 'slug text', 'h blob']);
    expect(w.indexes.map((i) => i.name)).toEqual(['PRIMARY', 'w_slug']);
  });

  it('reads table constraints written without commas between them, as drizzle-kit writes a rebuilt table', () => {
    const text = [
      'CREATE TABLE `assets` (',
      '\t`id` text PRIMARY KEY NOT NULL,',
      '\t`postId` text,',
      '\t`userId` text NOT NULL,',
      '\tFOREIGN KEY (`postId`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade',
      '\tFOREIGN KEY (`userId`) REFERENCES `users`(`id`) ON DELETE cascade CONSTRAINT `a_org` FOREIGN KEY (`id`) REFERENCES `orgs`(`id`)',
      ');',
      '--> statement-breakpoint',
      'PRAGMA foreign_keys=OFF;',
    ].join('\n');
    const s = loadSchema([{ path: '0002.sql', text }], 'sqlite');
    expect(s.warnings).toEqual([]);
    const t = s.tables.get('assets')!;
    expect([t.columnsKnown, t.columns.map((c) => c.name)]).toEqual([true, ['id', 'postId', 'userId']]);
    expect(t.foreignKeys.map((f) => `${f.columns.join()}>${f.refTable} ${f.onDelete}`)).toEqual(['postId>posts cascade', 'userId>users cascade', 'id>orgs no action']);
  });
  it('a statement that cannot change the schema is ignored without a warning, read or not; a CREATE that fails is not', () => {
    const s = loadSchema([{ path: '0003.sql', text: 'PRAGMA foreign_keys=OFF;\nCREATE INDEX i ON t (~~~);\nCREATE TABLE t (id integer);' }], 'sqlite');
    expect(s.warnings.map((w) => `${w.start} ${w.message}`)).toEqual(['25 statement not loaded into the schema: CREATE statement not analysed: syntax error at or near ")"']);
    expect([...s.tables.keys()]).toEqual(['t']);
  });

  it('a CREATE TABLE the grammar rejects still makes its table known, with unknown columns, and says so', () => {
    const s = loadSchema([{ path: '0001.sql', text: 'CREATE TABLE IF NOT EXISTS main.w (id integer PRIMARY KEY, slug text, CHECK (slug ~~~ 1));\nCREATE INDEX w_slug ON w (slug);' }], 'sqlite');
    const w = s.tables.get('w')!;
    expect([w.schema, w.columnsKnown, w.columns, w.indexes.map((i) => i.name)]).toEqual(['main', false, [], ['w_slug']]);
    expect(s.warnings.map((x) => `${x.start} ${x.message}`)).toEqual(['0 statement loaded as a table of unknown columns: CREATE statement not analysed: syntax error at or near "~"']);
    const r = analyze('SELECT nope FROM w; SELECT 1 FROM missing', { dialect: 'sqlite', schema: s, rules: { 'unknown-table': 'warn', 'unknown-column': 'warn' } });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.start}`)).toEqual(['unknown-table 34']);
  });

  it('a partial index serves only a query that repeats its condition', () => {
    expect(suggested('SELECT id FROM accounts WHERE name = ? AND deleted_at IS NULL', 'sqlite', s)).toEqual([]);
    expect(suggested('SELECT id FROM accounts WHERE name = ?', 'sqlite', s)).toEqual(['name']);
    // the dropped index no longer serves
    expect(suggested('SELECT id FROM accounts WHERE created_at > ?', 'sqlite', s)).toEqual(['created_at']);
  });
});

describe('T-SQL loader', () => {
  it('reads CREATE INDEX on schema-qualified tables, UNIQUE NONCLUSTERED filtered indexes and sp_rename of an index and of a column', () => {
    const s = load('transactsql');
    expect(s.warnings).toEqual([]);
    expect(s.tables.get('accounts')!.columns.map((c) => c.name)).toEqual(['id', 'org_id', 'email', 'display_name']);
    expect(indexes(s)).toEqual(['PRIMARY!(id)', 'accounts_org_name_idx(org_id,display_name desc)', 'ix_acc_email!(email)', 'ix_acc_org_email!(org_id,email) where email is not null']);
  });
  it('sp_rename of a table (the default object type)', () => {
    const s = loadSchema([{ path: '1.sql', text: "CREATE TABLE t (id INT PRIMARY KEY);\nEXECUTE sp_rename 'dbo.t', 'accounts';\nsp_rename '[dbo].[accounts].[PRIMARY]', 'pk_accounts', 'INDEX'" }], 'transactsql');
    expect([...s.tables.keys()]).toEqual(['accounts']);
    expect(indexes(s)).toEqual(['pk_accounts!(id)']);
  });
});

describe('redundant-index with MySQL prefix keys', () => {
  const findings = (ddl: string) =>
    analyze(ddl, { dialect: 'mysql', rules: { 'redundant-index': 'warn' }, schema: loadSchema([{ path: '1.sql', text: ddl }], 'mysql') })
      .diagnostics.filter((d) => d.ruleId === 'redundant-index')
      .map((d) => ddl.slice(d.start, d.end));
  it('a shorter prefix is covered by a longer or full key; a full key is not covered by a prefix', () => {
    expect(findings('CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100));\nCREATE INDEX t_e10 ON t (email(10));\nCREATE INDEX t_e_n ON t (email, name);')).toEqual(['t_e10']);
    expect(findings('CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100));\nCREATE INDEX t_e ON t (email);\nCREATE INDEX t_e10_n ON t (email(10), name);')).toEqual([]);
    expect(findings('CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100));\nCREATE INDEX t_e20 ON t (email(20));\nCREATE INDEX t_e10_n ON t (email(10), name);')).toEqual([]);
  });
});

describe('ON DELETE of a foreign key, in every dialect', () => {
  const ddl = 'CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE c (id INT PRIMARY KEY, a INT REFERENCES p (id) ON DELETE SET NULL, b INT REFERENCES p (id) ON DELETE CASCADE, d INT REFERENCES p (id));\nALTER TABLE c ADD CONSTRAINT c_e FOREIGN KEY (id) REFERENCES p (id) ON DELETE SET DEFAULT;';
  it.each(['postgresql', 'mysql', 'sqlite'] as Dialect[])('%s', async (dialect) => {
    if (dialect === 'postgresql') await (await import('../src/ready.js')).ready();
    const fks = loadSchema([{ path: '1.sql', text: dialect === 'sqlite' ? ddl.split('\n').slice(0, 2).join('\n') : ddl }], dialect).tables.get('c')!.foreignKeys;
    expect(fks.map((f) => `${f.columns.join(',')} ${f.onDelete}`)).toEqual(['a set null', 'b cascade', 'd no action', ...(dialect === 'sqlite' ? [] : ['id set default'])]);
  });
});

describe('migrations that are not the whole schema', () => {
  it('a table altered, indexed or referenced but never created is recorded, and unknown-table says nothing', () => {
    const partial = loadSchema([
      { path: '0001.sql', text: 'ALTER TABLE invoices ADD COLUMN template_id uuid;\nCREATE INDEX invoices_template ON invoices (template_id);' },
      { path: '0002.sql', text: 'CREATE TABLE insights (id int PRIMARY KEY, team_id int, FOREIGN KEY (team_id) REFERENCES teams (id));' },
    ], 'mysql');
    expect([...partial.uncreated!].sort()).toEqual(['invoices', 'teams']);
    const rules = { 'unknown-table': 'warn' } as const;
    expect(analyze('SELECT id FROM invoices; SELECT id FROM nowhere', { dialect: 'mysql', schema: partial, rules }).diagnostics).toEqual([]);
    // every changed table created first: the files are the schema, and a missing name is reported
    // (a dump may create a table after a key to it)
    const whole = loadSchema([{ path: '0001.sql', text: 'CREATE TABLE lines (id int PRIMARY KEY, invoice_id int, FOREIGN KEY (invoice_id) REFERENCES invoices (id));\nCREATE TABLE invoices (id int PRIMARY KEY);\nALTER TABLE invoices ADD COLUMN template_id int;\nCREATE INDEX invoices_template ON invoices (template_id);' }], 'mysql');
    expect(whole.uncreated).toBeUndefined();
    expect(analyze('SELECT id FROM invoices; SELECT id FROM nowhere', { dialect: 'mysql', schema: whole, rules }).diagnostics.map((d) => `${d.ruleId} ${d.start}`)).toEqual(['unknown-table 40']);
  });
});
