import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { lineStarts, toLineCol } from '../src/range.js';
import { keepWalks, walkProjectFiles } from '../src/project-files.js';
import { discoverSchemaFiles, declaredWorkspaces, findTable, loadSchema, orderMigrationFiles, readSchemaFiles, schemaAppliesTo, type Schema } from '../src/schema/index.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'schema');
beforeAll(() => ready());

function demo(name: 'pg' | 'mysql', dialect: Dialect, tables?: Record<string, { rows: number }>): Schema {
  const dir = join(root, name);
  return loadSchema(readSchemaFiles(dir, discoverSchemaFiles(dir)!.files), dialect, tables ? { tables } : {});
}

/** `line:col-endCol rule` of every diagnostic of the rules named (1-based, like the fixtures), those rules turned on. */
function findings(text: string, dialect: Dialect, schema: Schema | undefined, only: string[]) {
  const res = analyze(text, { dialect, rules: Object.fromEntries(only.map((r) => [r, 'warn' as const])), ...(schema ? { schema } : {}) });
  const starts = lineStarts(text);
  return res.diagnostics
    .filter((d) => only.includes(d.ruleId))
    .map((d) => {
      const a = toLineCol(starts, d.start);
      const b = toLineCol(starts, d.end);
      return `${a.line}:${a.column}-${b.column} ${d.ruleId}: ${d.message}`;
    });
}

const SCHEMA_RULES = ['missing-index', 'unindexed-foreign-key', 'redundant-index', 'unknown-table', 'unknown-column'];

describe('orderMigrationFiles', () => {
  it('orders timestamps, numbered prefixes and Flyway versions as numbers', () => {
    expect(orderMigrationFiles(['10_c.sql', '2_b.sql', '1_a.sql'])).toEqual(['1_a.sql', '2_b.sql', '10_c.sql']);
    expect(orderMigrationFiles(['V10__x.sql', 'V2__y.sql', 'V1_1__z.sql', 'V1__w.sql'])).toEqual(['V1__w.sql', 'V1_1__z.sql', 'V2__y.sql', 'V10__x.sql']);
    expect(orderMigrationFiles(['m/20240301000000_b/migration.sql', 'm/20240101000000_a/migration.sql'])).toEqual(['m/20240101000000_a/migration.sql', 'm/20240301000000_b/migration.sql']);
    expect(orderMigrationFiles(['0010_x.sql', '0002_y.sql', 'README.sql'])).toEqual(['0002_y.sql', '0010_x.sql', 'README.sql']);
  });
  it('compares timestamps of different precision from the left, as Prisma and the others sort them', () => {
    // seen in a real Prisma project: a hand-named 20250625_ folder beside generated 14-digit ones
    expect(orderMigrationFiles(['m/20250625_add_value/migration.sql', 'm/20250409154352_create_enum/migration.sql', 'm/20250701093000_later/migration.sql'])).toEqual([
      'm/20250409154352_create_enum/migration.sql',
      'm/20250625_add_value/migration.sql',
      'm/20250701093000_later/migration.sql',
    ]);
  });
});

describe('discoverSchemaFiles', () => {
  const make = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-schema-'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  };
  it('finds Prisma, drizzle, schema dumps and migration folders, leaving down migrations out', () => {
    expect(discoverSchemaFiles(join(root, 'pg'))).toEqual({ layout: 'prisma', location: 'prisma/migrations', files: ['prisma/migrations/20240101120000_init/migration.sql', 'prisma/migrations/20240215093000_orders/migration.sql', 'prisma/migrations/20240301000000_tidy/migration.sql'] });
    expect(discoverSchemaFiles(join(root, 'mysql'))?.files).toEqual(['migrations/001_init.sql', 'migrations/002_orders.sql', 'migrations/010_tidy.sql']);
    expect(discoverSchemaFiles(make({ 'drizzle/0001_b.sql': '', 'drizzle/0000_a.sql': '', 'drizzle/meta/_journal.json': '{}' }))).toEqual({ layout: 'drizzle', location: 'drizzle', files: ['drizzle/0000_a.sql', 'drizzle/0001_b.sql'] });
    expect(discoverSchemaFiles(make({ 'db/schema.sql': '', 'migrations/1.sql': '' }))).toEqual({ layout: 'schema-file', location: 'db/schema.sql', files: ['db/schema.sql'] });
    expect(discoverSchemaFiles(make({ 'db/migrations/2_b.up.sql': '', 'db/migrations/2_b.down.sql': '', 'db/migrations/1_a.up.sql': '' }))?.files).toEqual(['db/migrations/1_a.up.sql', 'db/migrations/2_b.up.sql']);
    expect(discoverSchemaFiles(make({ 'src/x.ts': '' }))).toBeUndefined();
  });

  it('takes sql/, db/, database/ or schema/ as a migrations folder only when every .sql file there is numbered', () => {
    expect(discoverSchemaFiles(make({ 'sql/000002.sql': '', 'sql/000001.sql': '', 'sql/000010.sql': '', 'sql/README.md': '' }))).toEqual({ layout: 'migrations', location: 'sql', files: ['sql/000001.sql', 'sql/000002.sql', 'sql/000010.sql'] });
    expect(discoverSchemaFiles(make({ 'db/V1__init.sql': '', 'db/V1_1__orders.sql': '', 'db/V2__tidy.sql': '' }))?.files).toEqual(['db/V1__init.sql', 'db/V1_1__orders.sql', 'db/V2__tidy.sql']);
    expect(discoverSchemaFiles(make({ 'schema/20240101_a.up.sql': '', 'schema/20240101_a.down.sql': '', 'schema/20240202-b.sql': '' }))?.files).toEqual(['schema/20240101_a.up.sql', 'schema/20240202-b.sql']);
    // a folder of queries, seeds or a single file is not a schema
    expect(discoverSchemaFiles(make({ 'sql/001_init.sql': '', 'sql/queries.sql': '' }))).toBeUndefined();
    expect(discoverSchemaFiles(make({ 'sql/001_init.sql': '' }))).toBeUndefined();
    expect(discoverSchemaFiles(make({ 'queries/001.sql': '', 'queries/002.sql': '' }))).toBeUndefined();
    // one level only: numbered files further down are not this layout
    expect(discoverSchemaFiles(make({ 'sql/pg/001.sql': '', 'sql/pg/002.sql': '' }))).toBeUndefined();
  });
  it('looks in a monorepo\'s packages when the root has no schema: one package is used, several are listed, not merged', () => {
    const mono = make({ 'packages/prisma/migrations/20240101_init/migration.sql': '', 'apps/web/src/q.ts': '' });
    // a package named prisma holding migrations/: a migrations folder of that package
    expect(discoverSchemaFiles(mono)).toEqual({ layout: 'migrations', location: 'packages/prisma/migrations', files: ['packages/prisma/migrations/20240101_init/migration.sql'] });
    expect(discoverSchemaFiles(make({ 'packages/db/prisma/migrations/20240101_init/migration.sql': '' }))).toEqual({ layout: 'prisma', location: 'packages/db/prisma/migrations', files: ['packages/db/prisma/migrations/20240101_init/migration.sql'] });
    const db = make({ 'packages/db/drizzle/0000_a.sql': '' });
    expect(discoverSchemaFiles(db)).toEqual({ layout: 'drizzle', location: 'packages/db/drizzle', files: ['packages/db/drizzle/0000_a.sql'] });
    const two = make({ 'apps/api/migrations/1.sql': '', 'services/billing/db/schema.sql': '' });
    expect(discoverSchemaFiles(two)).toEqual({ layout: 'migrations', location: '', files: [], candidates: ['apps/api/migrations', 'services/billing/db/schema.sql'] });
    // Prisma's layout under a folder of another name
    expect(discoverSchemaFiles(make({ 'packages/database/migration/20250101000000_init/migration.sql': '', 'packages/database/src/x.ts': '' }))).toEqual({ layout: 'prisma', location: 'packages/database/migration', files: ['packages/database/migration/20250101000000_init/migration.sql'] });
    // the root's own schema wins over its packages'
    expect(discoverSchemaFiles(make({ 'migrations/1.sql': '', 'packages/db/migrations/1.sql': '' }))?.files).toEqual(['migrations/1.sql']);
  });

  it('finds Prisma steps under another folder name the same way from the walk a CLI run keeps as by listing folders', () => {
    const root = make({ 'db-migrations/20250101000000_init/migration.sql': '', 'db-migrations/20250201000000_more/migration.sql': '', 'src/x.ts': '', 'src/20250101000000_not/migration.sql.bak': '' });
    const listed = discoverSchemaFiles(root);
    expect(listed).toEqual({ layout: 'prisma', location: 'db-migrations', files: ['db-migrations/20250101000000_init/migration.sql', 'db-migrations/20250201000000_more/migration.sql'] });
    keepWalks();
    walkProjectFiles(root);
    expect(discoverSchemaFiles(root)).toEqual(listed);
  });

  it("a package's schema serves that package and those depending on it, directly or not; an unnamed package's serves all", () => {
    const pkg = (name: string, deps: Record<string, string> = {}) => JSON.stringify({ name, dependencies: deps });
    const mono = make({
      'packages/db/package.json': pkg('@acme/db'),
      'packages/db/prisma/migrations/20240101000000_init/migration.sql': '',
      'packages/api/package.json': JSON.stringify({ name: '@acme/api', devDependencies: { '@acme/db': '*' } }),
      'apps/web/package.json': pkg('web', { '@acme/api': '*' }),
      'apps/cache/package.json': pkg('cache', { pg: '*' }),
      'apps/plain/src/q.ts': '',
    });
    const found = discoverSchemaFiles(mono)!;
    expect(found.scope).toEqual(['packages/db', 'packages/api', 'apps/web']);
    const schema = { scope: found.scope!.map((d) => join(mono, d)) };
    expect(['packages/db/src/q.ts', 'packages/api/q.ts', 'apps/web/src/a/b.ts', 'apps/cache/src/q.ts', 'apps/plain/src/q.ts', 'apps/web-old/q.ts', 'q.ts'].map((f) => schemaAppliesTo(schema, join(mono, f)))).toEqual([true, true, true, false, false, false, false]);
    expect(schemaAppliesTo({}, join(mono, 'apps/cache/src/q.ts'))).toBe(true);
    // a package without a name: who uses it cannot be told, so no scope; the root's own schema has none either
    expect(discoverSchemaFiles(make({ 'packages/db/migrations/1.sql': '', 'apps/web/package.json': pkg('web') }))!.scope).toBeUndefined();
    expect(discoverSchemaFiles(make({ 'migrations/1.sql': '', 'package.json': pkg('root') }))!.scope).toBeUndefined();
  });

  it('reads the workspaces a monorepo declares (pnpm-workspace.yaml, package.json): packages are folders with a package.json', () => {
    // a folder name outside the usual ones, declared by pnpm
    const pnpm = make({ 'pnpm-workspace.yaml': 'packages:\n  - "internal-packages/*"  # ours\n  - \'!internal-packages/legacy\'\ncatalog:\n  x: 1\n', 'internal-packages/database/package.json': '{}', 'internal-packages/database/prisma/migrations/20240101000000_init/migration.sql': '', 'internal-packages/legacy/package.json': '{}', 'internal-packages/legacy/migrations/1.sql': '' });
    expect(discoverSchemaFiles(pnpm)).toEqual({ layout: 'prisma', location: 'internal-packages/database/prisma/migrations', files: ['internal-packages/database/prisma/migrations/20240101000000_init/migration.sql'] });
    // npm/yarn workspaces; `lib/**` names the packages below, not every folder (lib/shared/prisma is not a package)
    const npm = make({ 'package.json': JSON.stringify({ workspaces: { packages: ['lib/**'] } }), 'lib/shared/package.json': '{}', 'lib/shared/prisma/migrations/20240101000000_init/migration.sql': '', 'lib/shared/clickhouse/migrations/1.sql': '' });
    expect(discoverSchemaFiles(npm)).toEqual({ layout: 'prisma', location: 'lib/shared/prisma/migrations', files: ['lib/shared/prisma/migrations/20240101000000_init/migration.sql'] });
    // YAML's flow style too; a package.json that is not JSON declares nothing
    expect(declaredWorkspaces(make({ 'package.json': '{ not json', 'pnpm-workspace.yaml': "packages: [a/*, 'b']\n" }))).toEqual(['a/*', 'b']);
  });
});

describe('loadSchema', () => {
  it('applies the PostgreSQL demo migrations in order and warns once, with its position, about what does not parse', () => {
    const s = demo('pg', 'postgresql');
    const file = 'prisma/migrations/20240215093000_orders/migration.sql';
    const text = readFileSync(join(root, 'pg', file), 'utf8');
    expect(s.warnings).toEqual([{ file, start: text.indexOf('TABEL'), end: text.indexOf('TABEL') + 5, message: 'statement not loaded into the schema: syntax error at or near "TABEL"' }]);
    expect([...s.tables.keys()]).toEqual(['users', 'countries', 'orders', 'order_items', 'active_users']);
    expect(s.tables.get('users')!.columns.map((c) => c.name)).toEqual(['id', 'email', 'full_name', 'created_at', 'last_login_at']);
    expect(s.tables.get('orders')!.columns.map((c) => c.name)).not.toContain('deleted_at');
    const idx = s.tables.get('orders')!.indexes.map((i) => `${i.name}(${i.keys.map((k) => (k.column ?? k.expression) + (k.desc ? ' desc' : '')).join(',')})${i.where ? ' where ' + i.where : ''}`);
    expect(idx).toEqual(['orders_pkey(id)', 'orders_user_id_idx(user_id)', 'orders_status_idx(status)', 'orders_status_created_idx(status,created_at desc)']);
    expect(s.tables.get('users')!.indexes.map((i) => [i.name, i.keys[0]!.expression ?? i.keys[0]!.column, i.unique])).toEqual([['users_pkey', 'id', true], ['users_email_key', 'email', true], ['users_lower_email_idx', 'lower(email)', false]]);
    expect(s.tables.get('active_users')).toMatchObject({ kind: 'view', columnsKnown: true, columns: [{ name: 'id' }, { name: 'email' }, { name: 'display_name' }] });
    expect(s.tables.get('order_items')!.foreignKeys).toMatchObject([{ columns: ['order_id'], refTable: 'orders', refColumns: ['id'] }]);
  });

  it('applies the MySQL variant: inline keys, implicit foreign-key indexes (InnoDB), CHANGE/RENAME COLUMN', () => {
    const s = demo('mysql', 'mysql');
    expect(s.warnings.map((w) => [w.file, w.start])).toEqual([['migrations/002_orders.sql', readFileSync(join(root, 'mysql/migrations/002_orders.sql'), 'utf8').indexOf('CREATE TABEL')]]);
    expect(s.tables.get('users')!.columns.map((c) => c.name)).toEqual(['id', 'email', 'full_name', 'created_at', 'last_login_at']);
    expect(s.tables.get('orders')!.indexes.map((i) => [i.name, i.keys.map((k) => k.column).join(','), i.implicit])).toEqual([
      ['PRIMARY', 'id', false],
      ['orders_status_idx', 'status', false],
      ['orders_status_created_idx', 'status,created_at', false],
      ['orders_user_fk', 'user_id', true],
      ['orders_country_fk', 'country_code', true],
    ]);
  });

  it('reads partial, expression, multi-column and USING indexes; drops and renames', () => {
    const s = loadSchema(
      [
        { path: '2.sql', text: 'CREATE INDEX t_open ON t (a, lower(b) DESC) WHERE done = false AND b IS NOT NULL;\nCREATE INDEX t_gin ON t USING gin (tags);\nALTER INDEX t_gin RENAME TO t_tags;\nALTER TABLE t RENAME TO t2;\nDROP TABLE gone;' },
        { path: '1.sql', text: 'CREATE TABLE t (a int, b text, done bool, tags text[]);\nCREATE TABLE gone (x int);' },
      ],
      'postgresql',
    );
    expect([...s.tables.keys()]).toEqual(['t2']);
    expect(s.tables.get('t2')!.indexes).toMatchObject([
      { name: 't_open', table: 't2', keys: [{ column: 'a', desc: false }, { expression: 'lower(b)', desc: true }], method: 'btree', where: 'done=false and b is not null' },
      { name: 't_tags', method: 'gin', keys: [{ column: 'tags' }] },
    ]);
  });
});

describe('index suggestions with a schema', () => {
  it('disappear when an existing index, primary or unique key serves the query (leftmost prefix)', () => {
    const q = 'SELECT id FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 5';
    const without = analyze(q).statements[0]!.indexes.map((i) => i.statement);
    expect(without).toEqual(['CREATE INDEX idx_orders_status_created_at ON orders (status, created_at DESC);']);
    expect(analyze(q, { schema: demo('pg', 'postgresql') }).statements[0]!.indexes).toEqual([]);
    const base = [{ path: '1.sql', text: 'CREATE TABLE orders (id int PRIMARY KEY, status text, created_at timestamptz, total int);' }];
    expect(analyze(q, { schema: loadSchema(base, 'postgresql') }).statements[0]!.indexes.map((i) => i.statement)).toEqual(without);
    const withIndex = loadSchema([...base, { path: '2.sql', text: 'CREATE INDEX o_s_c ON orders (status, created_at);' }], 'postgresql');
    // (status, created_at) read backwards serves ORDER BY created_at DESC
    expect(analyze(q, { schema: withIndex }).statements[0]!.indexes).toEqual([]);
    // the index does not serve total: still suggested
    expect(analyze('SELECT id FROM orders WHERE total = 1', { schema: withIndex }).statements[0]!.indexes.map((i) => i.columns)).toEqual([['total']]);
    expect(analyze('SELECT id FROM orders WHERE id = 1', { schema: withIndex }).statements[0]!.indexes).toEqual([]);
  });

  it('a partial index serves only queries that repeat its condition; an expression index only its expression', () => {
    const s = loadSchema([{ path: '1.sql', text: 'CREATE TABLE t (id int, a int, deleted_at timestamptz, email text);\nCREATE INDEX t_live ON t (a) WHERE deleted_at IS NULL;\nCREATE INDEX t_email ON t (lower(email));' }], 'postgresql');
    const cols = (q: string) => analyze(q, { schema: s }).statements[0]!.indexes.map((i) => i.columns.join(','));
    expect(cols('SELECT id FROM t WHERE a = 1 AND deleted_at IS NULL')).toEqual([]);
    expect(cols('SELECT id FROM t x WHERE x.a = 1 AND x.deleted_at  IS  NULL')).toEqual([]);
    expect(cols('SELECT id FROM t WHERE a = 1')).toEqual(['a']);
    expect(cols('SELECT id FROM t WHERE lower(email) = $1')).toEqual([]);
    expect(cols('SELECT id FROM t WHERE upper(email) = $1')).toEqual(['(upper(email))']);
  });

  it('table sizes: a small lookup table gets no suggestion and no full-scan cost; a large one says how many rows', () => {
    const s = demo('pg', 'postgresql', { countries: { rows: 250 }, orders: { rows: 50_000_000 } });
    const small = analyze('SELECT code FROM countries WHERE name = $1; SELECT * FROM countries', { schema: s });
    expect(small.statements.map((x) => x.indexes.length)).toEqual([0, 0]);
    expect(small.statements[1]!.cost!.factors.map((f) => f.id)).not.toContain('fullScan');
    const big = analyze('SELECT id FROM orders', { schema: s });
    expect(big.statements[0]!.cost!.factors.find((f) => f.id === 'fullScan')?.reason).toBe('no WHERE clause: every row of orders (50,000,000 rows) is read');
    expect(findings('SELECT code FROM countries WHERE name = $1', 'postgresql', s, SCHEMA_RULES)).toEqual([]);
  });
});

describe('schema rules on the demo project', () => {
  it('are silent without a schema', () => {
    const text = readFileSync(join(root, 'pg', 'queries.sql'), 'utf8');
    expect(findings(text, 'postgresql', undefined, SCHEMA_RULES)).toEqual([]);
  });

  it('PostgreSQL queries: missing-index, unknown-table and unknown-column with did-you-mean', () => {
    const text = readFileSync(join(root, 'pg', 'queries.sql'), 'utf8');
    expect(findings(text, 'postgresql', demo('pg', 'postgresql'), SCHEMA_RULES)).toEqual([
      '4:29-46 missing-index: no index on orders can serve country_code; add one: CREATE INDEX idx_orders_country_code ON orders (country_code);',
      '6:28-42 missing-index: no index on users can serve full_name; add one: CREATE INDEX idx_users_full_name ON users (full_name);',
      '7:12-18 unknown-column: column stauts is not in orders; did you mean status?',
      '8:16-19 unknown-table: table usr is not in the schema; did you mean users?',
      '9:24-35 unknown-table: table order_itmes is not in the schema; did you mean order_items?',
    ]);
  });

  it('PostgreSQL migrations: unindexed-foreign-key and redundant-index on the DDL', () => {
    const s = demo('pg', 'postgresql');
    const text = readFileSync(join(root, 'pg', 'prisma/migrations/20240215093000_orders/migration.sql'), 'utf8');
    expect(findings(text, 'postgresql', s, SCHEMA_RULES)).toEqual([
      '4:26-53 unindexed-foreign-key: foreign key orders (country_code) has no index starting with it: joins from countries and every DELETE or key UPDATE on countries scan orders; add: CREATE INDEX idx_orders_country_code ON orders (country_code);',
      '21:14-31 redundant-index: index orders_status_idx (status) is redundant: orders_status_created_idx (status, created_at DESC) starts with the same columns and serves the same lookups',
      '24:14-35 redundant-index: index order_items_order_idx (order_id) is redundant: the primary key order_items_pkey (order_id, product_id) starts with the same columns and serves the same lookups',
    ]);
    // the foreign key from users (in the same file) is served by orders_user_id_idx; order_items.order_id by its primary key
    expect(findings(text, 'postgresql', s, ['unindexed-foreign-key']).length).toBe(1);
  });

  it('tells tables of the same name in two schemas apart: columns, indexes and lookups', () => {
    const ddl = [
      'CREATE TABLE public.users (id uuid PRIMARY KEY, name text);',
      'CREATE TABLE billing.invoices (id int PRIMARY KEY, user_id uuid REFERENCES public.users (id), total int);',
      'CREATE TABLE invoices (id int PRIMARY KEY, note text);',
      'CREATE INDEX ON billing.invoices (user_id);',
      'ALTER TABLE billing.invoices ADD COLUMN paid_at timestamptz;',
      'CREATE TABLE accounts (id int PRIMARY KEY, owner text);',
    ].join('\n');
    const s = loadSchema([{ path: '1.sql', text: ddl }], 'postgresql');
    expect([...s.tables.keys()]).toEqual(['users', 'billing.invoices', 'invoices', 'accounts']);
    expect(s.tables.get('billing.invoices')!.columns.map((c) => c.name)).toEqual(['id', 'user_id', 'total', 'paid_at']);
    expect(s.tables.get('billing.invoices')!.indexes.map((i) => i.name)).toEqual(['invoices_pkey', 'invoices_user_id_idx']);
    expect(s.tables.get('invoices')!.indexes.map((i) => i.name)).toEqual(['invoices_pkey']);
    expect(findTable(s, 'invoices')?.columns.map((c) => c.name)).toEqual(['id', 'note']);
    expect(findTable(s, 'public.invoices')).toBe(s.tables.get('invoices'));
    expect(findTable(s, 'BILLING.Invoices')).toBe(s.tables.get('billing.invoices'));
    expect(findTable(s, 'invoices', 'billing')).toBe(s.tables.get('billing.invoices'));
    // auth.users is Supabase's table, not public.users; billing is a schema the DDL names and has no accounts
    expect(findTable(s, 'auth.users')).toBeUndefined();
    expect(findTable(s, 'users', 'auth')).toBeUndefined();
    expect(findTable(s, 'billing.accounts')).toBeUndefined();
    expect(findTable(s, 'pg_catalog.accounts')).toBeUndefined();
    // a schema no DDL names may be where search_path put a table created without one
    expect(findTable(s, 'app.accounts')).toBe(s.tables.get('accounts'));
    const q = [
      'SELECT email, raw_user_meta_data FROM auth.users WHERE id = $1;',
      'SELECT total, paid_at FROM billing.invoices WHERE user_id = $1;',
      'SELECT note, total FROM invoices WHERE id = $1;',
      'SELECT id FROM billing.refunds;',
    ].join('\n');
    expect(findings(q, 'postgresql', s, SCHEMA_RULES)).toEqual([
      '3:14-19 unknown-column: column total is not in invoices',
      '4:24-31 unknown-table: table refunds is not in the schema',
    ]);
  });

  it('renames and drops a table in its own schema; the same index in two tenants\' schemas is not redundant', () => {
    const ddl = [
      'CREATE TABLE a.events (id int PRIMARY KEY, at timestamptz);',
      'CREATE TABLE b.events (id int PRIMARY KEY, at timestamptz);',
      'CREATE INDEX events_at ON a.events (at);',
      'CREATE INDEX events_at_2 ON b.events (at);',
      'ALTER TABLE b.events RENAME TO log;',
      'CREATE TABLE c.tmp (x int);',
      'DROP TABLE c.tmp;',
    ].join('\n');
    const s = loadSchema([{ path: '1.sql', text: ddl }], 'postgresql');
    expect([...s.tables.keys()]).toEqual(['a.events', 'b.log']);
    expect(s.tables.get('b.log')!.indexes.map((i) => `${i.table}:${i.name}`)).toEqual(['log:events_pkey', 'log:events_at_2']);
    expect(findings(ddl, 'postgresql', s, ['redundant-index'])).toEqual([]);
  });

  it('MySQL variant', () => {
    const s = demo('mysql', 'mysql');
    const text = readFileSync(join(root, 'mysql', 'migrations/002_orders.sql'), 'utf8');
    expect(findings(text, 'mysql', s, SCHEMA_RULES)).toEqual([
      '8:7-24 redundant-index: index orders_status_idx (status) is redundant: orders_status_created_idx (status, created_at) starts with the same columns and serves the same lookups',
      '20:14-35 redundant-index: index order_items_order_idx (order_id) is redundant: the primary key PRIMARY (order_id, product_id) starts with the same columns and serves the same lookups',
    ]);
    const q = readFileSync(join(root, 'mysql', 'queries.sql'), 'utf8');
    // orders.user_id has the index InnoDB made for its foreign key
    expect(findings(q, 'mysql', s, SCHEMA_RULES)).toEqual([
      '3:29-38 missing-index: no index on orders can serve total; add one: CREATE INDEX idx_orders_total ON orders (total);',
      '4:28-41 missing-index: no index on users can serve full_name; add one: CREATE INDEX idx_users_full_name ON users (full_name);',
      '5:12-18 unknown-column: column stauts is not in orders; did you mean status?',
      '6:16-21 unknown-table: table usres is not in the schema; did you mean users?',
    ]);
  });
});
