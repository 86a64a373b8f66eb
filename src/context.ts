/**
 * Where a file's SQL runs: application code, a migration, a one-off script or a test. Decided per
 * file, once, from its path and the config; rules declare the contexts they apply to and the
 * engine (not the rule) skips them elsewhere, so the CLI, the ESLint plugin and `indexes` agree.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { matcher, type PathMatcher } from './glob.js';
import type { Category } from './rule.js';
import type { Dialect } from './dialect.js';

export type SqlContext = 'app' | 'migration' | 'script' | 'test';
export const CONTEXTS: readonly SqlContext[] = ['app', 'migration', 'script', 'test'];

/** Config `contexts`: globs per context, relative to the config's folder; they win over the built-in layouts. */
export type ContextGlobs = Partial<Record<SqlContext, string[]>>;

export interface ContextSettings {
  /** The folder the globs are relative to (the config file's, else the working directory); also the project root when no package.json or .git is found above a file. */
  base: string;
  globs?: ContextGlobs;
}

/** Folder names, anywhere in the path below the project root. */
const TEST_DIRS = new Set(['test', 'tests', '__tests__', '__test__', 'spec', 'specs', 'e2e', 'fixtures', '__fixtures__', '__mocks__', 'mocks', 'cypress', 'playwright', 'testing', 'test-utils', 'testutils', 'integration-tests', 'benchmarks', 'bench']);
const MIGRATION_DIRS = new Set(['migrations', 'migration', 'migrate', 'alterations', 'changesets', 'changelog', 'flyway', 'liquibase']);
const SCRIPT_DIRS = new Set(['scripts', 'script', '.scripts', 'tools', 'tool', 'tooling', 'bin', 'seed', 'seeds', 'seeders', 'seeding', 'seed-data', 'devtools', 'extra']);

/** Folder names with a prefix: `integration-tests`, `medusa-test-utils`, `api_specs`, `evals`, `testcontainers`. */
const TEST_DIR = /(?:^|[-_.])(?:tests?|specs?|e2e|testing|test-?utils|fixtures?|mocks?|evals?|testcontainers)$/;
/** `data-migrations`, `old_migrations`, `db.migrations`. */
const MIGRATION_DIR = /(?:^|[-_.])migrations?$/;

/** `users.test.ts`, `users.spec.js`, `users.e2e.ts`, `users-test.ts`, `test_users.ts`, `*.bench.ts`. */
const TEST_FILE = /(?:[.-](?:test|spec|e2e|bench|stories|eval)|^test[_-].*)\.[cm]?[jt]sx?$|_test\.(?:sql|[cm]?[jt]sx?)$/i;
/**
 * Migration files by name: timestamp or number prefixes (`20240101120000_add_users.ts`,
 * `0003_orders.sql`, TypeORM's `1700000000000-AddUsers.ts`), a number alone (`000001.sql`), Flyway
 * `V1_2__x.sql` / `R__x.sql`, golang-migrate `1_x.up.sql` / `.down.sql`.
 */
const MIGRATION_SQL_FILE = /^(?:\d{3,}(?:[_-].+)?|[VUR]\d*(?:[._]\d+)*__.+|.+\.(?:up|down))\.sql$/i;

/** A .sql file named as a migration (the file name alone, without its folder). */
export const isMigrationSqlName = (name: string): boolean => MIGRATION_SQL_FILE.test(name);
/** In JS/TS only a timestamp prefix says migration (`404-page.tsx` is not one). */
const MIGRATION_HOST_FILE = /^\d{8,}[_-].+\.[cm]?[jt]s$/i;
/**
 * A JS/TS file named migrate* or backfill* (`migrateLinkContent.ts`, `backfill-slugs.ts`) outside
 * the folders above: a data migration kept beside the application's code, which runs once.
 */
const ONE_OFF_HOST_FILE = /^(?:migrate|backfill)(?:[A-Z_-][^.]*)?\.[cm]?[jt]s$/;
/** `seed.ts`, `seed-users.ts`, `seeds.sql`. */
const SCRIPT_FILE = /^seeds?(?:[._-].*)?\.(?:sql|[cm]?[jt]sx?)$/i;

/** The built-in layouts, on a path relative to the project root (POSIX separators). */
export function builtinContext(rel: string): SqlContext {
  const parts = rel.split('/');
  const file = parts[parts.length - 1] ?? '';
  const dirs = parts.slice(0, -1).map((d) => d.toLowerCase());
  // tests first: `test/migrations/x.sql` is test data, not a migration that runs
  if (dirs.some((d) => TEST_DIRS.has(d) || TEST_DIR.test(d)) || TEST_FILE.test(file)) return 'test';
  if (dirs.some((d) => MIGRATION_DIRS.has(d) || MIGRATION_DIR.test(d)) || MIGRATION_SQL_FILE.test(file) || MIGRATION_HOST_FILE.test(file)) return 'migration';
  if (dirs.some((d) => SCRIPT_DIRS.has(d)) || SCRIPT_FILE.test(file)) return 'script';
  return ONE_OFF_HOST_FILE.test(file) ? 'migration' : 'app';
}

const rootCache = new Map<string, string>();

/**
 * The project a file belongs to: the nearest folder above it with a package.json or .git, so
 * the layouts are read inside a monorepo package (`packages/api/test/x.ts` is a test) and never
 * from folders above the project (a checkout under `/home/me/tests/` is not all tests). With
 * neither, the paths are read from `fallback` (the config's folder or the working directory).
 */
export function projectRootOf(file: string, fallback?: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  const hit = rootCache.get(dir);
  if (hit !== undefined) return hit || fallback;
  let root = '';
  // every folder passed on the way up has the same root: a project's thousand folders cost a thousand checks, not one per level each
  const passed: string[] = [];
  for (let d = dir; ; ) {
    const known = rootCache.get(d);
    if (known !== undefined) {
      root = known;
      break;
    }
    passed.push(d);
    if (existsSync(path.join(d, 'package.json')) || existsSync(path.join(d, '.git'))) {
      root = d;
      break;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of passed) rootCache.set(d, root);
  return root || fallback;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

const matchers = new WeakMap<ContextGlobs, Array<[SqlContext, PathMatcher]>>();

/** User globs are tried in this order, so an `app` glob can carve an exception out of a test folder. */
const USER_ORDER: readonly SqlContext[] = ['app', 'test', 'migration', 'script'];

function userMatchers(globs: ContextGlobs): Array<[SqlContext, PathMatcher]> {
  let m = matchers.get(globs);
  if (!m) {
    m = USER_ORDER.filter((c) => globs[c]?.length).map((c) => [c, matcher(globs[c]!)] as [SqlContext, PathMatcher]);
    matchers.set(globs, m);
  }
  return m;
}

/** The context of a file: the config's globs first (relative to its folder), then the built-in layouts. */
export function contextOf(file: string, settings?: ContextSettings): SqlContext {
  const abs = path.resolve(file);
  if (settings?.globs) {
    const rel = path.relative(settings.base, abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      const posix = toPosix(rel);
      for (const [c, m] of userMatchers(settings.globs)) if (m(posix)) return c;
    }
  }
  const root = projectRootOf(abs, settings?.base);
  const rel = root === undefined ? path.basename(abs) : path.relative(root, abs);
  return builtinContext(toPosix(rel.startsWith('..') ? path.basename(abs) : rel));
}

/** Where a rule runs unless it says otherwise: performance advice on application code only. */
export function defaultContexts(category: Category): readonly SqlContext[] {
  return category === 'performance' ? ['app'] : category === 'security' ? ['app'] : CONTEXTS;
}

/** Does a rule (its declared contexts, or its category's default) apply in this context? */
export function appliesIn(rule: { category: Category; contexts?: readonly SqlContext[] }, context: SqlContext | undefined): boolean {
  if (!context) return true;
  return (rule.contexts ?? defaultContexts(rule.category)).includes(context);
}

/** Validates config `contexts`; returns a problem naming the key, or the globs. */
export function checkContextGlobs(v: unknown): { globs?: ContextGlobs; problem?: string } {
  const example = '"contexts": { "migration": ["db/changes/**"], "app": ["scripts/cron/**"] }';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: `"contexts" must be an object of context names to globs, e.g. ${example}` };
  const globs: ContextGlobs = {};
  for (const [k, list] of Object.entries(v)) {
    if (!(CONTEXTS as readonly string[]).includes(k)) return { problem: `"contexts.${k}" is not a context; use ${CONTEXTS.join(', ')}, e.g. ${example}` };
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.length > 0)) return { problem: `"contexts.${k}" must be an array of non-empty glob strings (got ${JSON.stringify(list)})` };
    globs[k as SqlContext] = list as string[];
  }
  return { globs };
}

const DIALECT_DIRS: Record<string, Dialect | 'clickhouse'> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  libsql: 'sqlite',
  d1: 'sqlite',
  mysql: 'mysql',
  mariadb: 'mariadb',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pg: 'postgresql',
  clickhouse: 'clickhouse',
  mssql: 'transactsql',
  sqlserver: 'transactsql',
  bigquery: 'bigquery',
  snowflake: 'snowflake',
};

/**
 * The dialect a path states: a folder named for one (`db/sqlite/migrations/`, `prisma/mysql/`,
 * `migrations-sqlite/`), or a JS/TS module's own name (`kv-sqlite.ts`, `MySQLRecordManager.ts`).
 * Repositories that support several databases keep each one's SQL apart, and reading it with the
 * project's dialect gives nothing but parse errors. A module's name, then the deepest such folder
 * wins; `clickhouse` means a .sql file is not linted (no parser for it), while in
 * JS/TS each site is told apart (ClickHouse's SQL beside PostgreSQL's is common there).
 */
export function dialectFromPath(file: string, root?: string): Dialect | 'clickhouse' | undefined {
  const sql = /\.sql$/i.test(file);
  if (!sql && !HOST_FILE.test(file)) return undefined;
  const abs = path.resolve(file);
  const base = projectRootOf(abs, root);
  const rel = base === undefined ? abs : path.relative(base, abs);
  const parts = toPosix(rel).split('/');
  // a .sql file's name tells its subject (`patch-add-sqlserver-monitor.sql` is SQLite), a module's its engine
  let d = sql ? undefined : nameDialect(parts[parts.length - 1]!.replace(/\.[^.]+$/, '').toLowerCase());
  for (let i = parts.length - 2; i >= 0 && !d; i--) d = folderDialect(parts[i]!.toLowerCase());
  return d === 'clickhouse' && !sql ? undefined : d;
}

const HOST_FILE = /\.[cm]?[jt]sx?$/i;

/** Dialects whose names are long enough to find inside a file name's words; `pg`, `d1` and `snowflake` (ids) are not. */
const NAMED_IN_WORDS: ReadonlyArray<[string, Dialect | 'clickhouse']> = [
  ['postgres', 'postgresql'],
  ['sqlite', 'sqlite'],
  ['libsql', 'sqlite'],
  ['mysql', 'mysql'],
  ['mariadb', 'mariadb'],
  ['clickhouse', 'clickhouse'],
  ['mssql', 'transactsql'],
  ['sqlserver', 'transactsql'],
  ['bigquery', 'bigquery'],
];

/** The one dialect a file name (lower-cased, without its extension) names, if exactly one. */
function nameDialect(name: string): Dialect | 'clickhouse' | undefined {
  const whole = DIALECT_DIRS[name];
  if (whole) return whole;
  const named = new Set(NAMED_IN_WORDS.filter(([w]) => name.includes(w)).map(([, d]) => d));
  return named.size === 1 ? [...named][0] : undefined;
}

/** Words beside a dialect's name in a folder of SQL (`migrations-sqlite`, `mysql_schema`). */
const SQL_FOLDER_WORDS = new Set(['migrations', 'migration', 'migrate', 'schema', 'schemas', 'sql', 'db', 'database', 'queries', 'seeds', 'ddl']);

/** `sqlite`, or a compound of a dialect's full name and SQL_FOLDER_WORDS (`migrations-sqlite`, not `pg-boss`). */
function folderDialect(dir: string): Dialect | 'clickhouse' | undefined {
  const whole = DIALECT_DIRS[dir];
  if (whole) return whole;
  const parts = dir.split(/[-_.]/);
  if (parts.length < 2 || !parts.every((p) => SQL_FOLDER_WORDS.has(p) || (p.length > 2 && DIALECT_DIRS[p]))) return undefined;
  const named = [...new Set(parts.map((p) => (SQL_FOLDER_WORDS.has(p) ? undefined : DIALECT_DIRS[p])).filter((d) => d !== undefined))];
  return named.length === 1 ? named[0] : undefined;
}

/** Config `overrides`: another dialect for the files its globs match (relative to `base`). */
export interface DialectOverride {
  base: string;
  files: string[];
  dialect?: Dialect;
}

/** Compiled once per globs list: the dialect of every file is asked for. */
const overrideMatchers = new Map<string, PathMatcher>();
function overrideMatcher(files: string[]): PathMatcher {
  const key = files.join('\0');
  let m = overrideMatchers.get(key);
  if (!m) overrideMatchers.set(key, (m = matcher(files)));
  return m;
}

/**
 * The dialect of one file, for the lint and for every scan of the project's SQL alike: the last
 * `overrides` entry whose globs match it, else the dialect its folder names, else the run's
 * (`file` undefined: text without a path).
 */
export function fileDialect(file: string | undefined, opts: { dialect: Dialect; overrides?: DialectOverride[]; contexts?: ContextSettings }): Dialect | 'clickhouse' {
  return statedDialect(file, opts) ?? opts.dialect;
}

/** The dialect the config's `overrides` or the path state for this file; undefined when nothing does. */
export function statedDialect(file: string | undefined, opts: { overrides?: DialectOverride[]; contexts?: ContextSettings }): Dialect | 'clickhouse' | undefined {
  if (file === undefined) return undefined;
  let d: Dialect | undefined;
  for (const o of opts.overrides ?? []) {
    if (!o.dialect) continue;
    const rel = path.relative(o.base, path.resolve(file));
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && overrideMatcher(o.files)(toPosix(rel))) d = o.dialect;
  }
  return d ?? dialectFromPath(file, opts.contexts?.base);
}
