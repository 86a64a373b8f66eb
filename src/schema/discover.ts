import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { keptWalk } from '../project-files.js';
import { isMigrationSqlName } from '../context.js';
import { orderMigrationFiles } from './order.js';
import type { SchemaFile } from './types.js';

export type SchemaLayout = 'prisma' | 'drizzle' | 'schema-file' | 'migrations';

export interface DiscoveredSchema {
  layout: SchemaLayout;
  /** The folder or file the layout was found at, relative to the root. */
  location: string;
  /** The files to load, relative to the root (`/` separators), in migration order. */
  files: string[];
  /** Symbolic links not followed because they lead out of the root (relative to it): to say so. */
  outside?: string[];
  /** Several packages of a monorepo have a schema (their locations): none is chosen; the user names one. */
  candidates?: string[];
  /**
   * Found in one package of a monorepo: the package folders (relative to the root) whose SQL runs
   * on it, that package and those that depend on it, directly or not. Absent: the whole project.
   */
  scope?: string[];
}

/** Down migrations and rollbacks never describe the schema. */
const DOWN = /(^|[._-])(down|undo|rollback)\.sql$|^down\.sql$|^U\d[^/]*__/i;

/**
 * A project's own files only: the real path of `p` lies inside `root`'s. Discovery is automatic, so
 * a link to another project (or to /etc) is never read without the user naming it.
 */
export class ProjectRoot {
  readonly real: string;
  /** Links met that lead out of the root, as absolute paths. */
  readonly outside: string[] = [];
  constructor(readonly dir: string) {
    this.real = realOf(dir) ?? resolve(dir);
  }

  /** `p` exists and resolves inside the root; a link out is recorded once and refused. */
  contains(p: string): boolean {
    const real = realOf(p);
    if (real === undefined) return false;
    const rel = relative(this.real, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return true;
    if (!this.outside.includes(p)) this.outside.push(p);
    return false;
  }
}

function realOf(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The .sql files under `dir`, `depth` folders deep. Symbolic links are followed only to files
 * inside `root` when one is given (automatic discovery), and never to folders (no loops).
 */
export function sqlFilesUnder(dir: string, depth = 2, root?: ProjectRoot): string[] {
  const out: string[] = [];
  const isSql = (name: string) => name.toLowerCase().endsWith('.sql') && !DOWN.test(name);
  const walk = (d: string, left: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory() && left > 0) walk(p, left - 1);
      else if (e.isFile() && isSql(e.name)) out.push(p);
      else if (e.isSymbolicLink() && root && isSql(e.name) && root.contains(p) && statSync(p).isFile()) out.push(p);
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory() && (!root || root.contains(dir))) walk(dir, depth);
  return out;
}

/** A path relative to `root` with `/` separators, as reports and caches name files. */
export const posix = (root: string, p: string) => relative(root, p).split(/[\\/]/).join('/');

/** Folders that hold a monorepo's packages: a schema is often in one of them (`packages/db/prisma/migrations`). */
const WORKSPACE_FOLDERS = ['packages', 'apps', 'services', 'libs', 'modules'];

/**
 * The workspace globs the project declares: package.json `workspaces` (npm, yarn: a list, or
 * `{ packages: [...] }`) and pnpm-workspace.yaml's `packages:` list. Unreadable files declare none.
 */
export function declaredWorkspaces(rootDir: string): string[] {
  const out: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { workspaces?: unknown };
    const w = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces as { packages?: unknown } | undefined)?.packages;
    if (Array.isArray(w)) out.push(...w.filter((x): x is string => typeof x === 'string'));
  } catch {
    // no package.json, or not JSON
  }
  try {
    // a YAML list under `packages:` is all pnpm reads there; no YAML library for that
    let inPackages = false;
    for (const line of readFileSync(join(rootDir, 'pnpm-workspace.yaml'), 'utf8').split(/\r?\n/)) {
      const flow = /^packages:\s*\[([^\]]*)\]/.exec(line);
      if (flow) out.push(...flow[1]!.split(',').map((x) => x.trim().replace(/^(['"])(.*)\1$/, '$2')).filter(Boolean));
      else if (/^packages:\s*(?:#.*)?$/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const m = /^\s+-\s*(['"]?)([^'"#]+?)\1\s*(?:#.*)?$/.exec(line);
        if (m) out.push(m[2]!);
      }
    }
  } catch {
    // no pnpm workspace
  }
  return out;
}

/**
 * The package folders of a monorepo, in a stable order: what its workspace globs declare (`dir`,
 * `dir/*`, `dir/**` two levels down; `!` excludes), and every folder in WORKSPACE_FOLDERS.
 */
function packageDirs(rootDir: string, root: ProjectRoot): string[] {
  const dirs = new Set<string>();
  const children = (dir: string): string[] => {
    if (!existsSync(dir) || !statSync(dir).isDirectory() || !root.contains(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => join(dir, e.name))
      .sort();
  };
  const globs = declaredWorkspaces(rootDir);
  const excluded = globs.filter((g) => g.startsWith('!')).map((g) => resolve(rootDir, g.slice(1).replace(/\/\*\*?$/, '')));
  const declared = new Set(globs.filter((x) => !x.startsWith('!')));
  for (const g of [...declared, ...WORKSPACE_FOLDERS.map((w) => `${w}/*`)]) {
    const clean = g.replace(/^\.\//, '').replace(/\/+$/, '');
    // only a trailing * or ** is understood; anything else is a literal folder
    const m = /^(.*?)\/(\*\*?)$/.exec(clean);
    const base = resolve(rootDir, m ? m[1]! : clean);
    if (base === resolve(rootDir) || relative(rootDir, base).startsWith('..')) continue;
    const found = !m ? (existsSync(base) && statSync(base).isDirectory() && root.contains(base) ? [base] : []) : m[2] === '*' ? children(base) : children(base).flatMap((d) => [d, ...children(d)]);
    // a declared glob names packages: folders with a package.json (`packages/**` is not every folder below)
    const packages = declared.has(g) ? found.filter((d) => existsSync(join(d, 'package.json'))) : found;
    for (const d of packages) if (!excluded.some((x) => d === x || d.startsWith(x + '/'))) dirs.add(d);
  }
  return [...dirs];
}

/**
 * Finds the schema of a project without a database, trying the common layouts in this order:
 * Prisma (`prisma/migrations/<timestamp>_<name>/migration.sql`), drizzle-kit (`drizzle/*.sql`,
 * `drizzle/migrations/*.sql`), a schema dump (`db/schema.sql`, `db/structure.sql`, `schema.sql`),
 * then plain migration folders (`migrations`, `db/migrations`, `supabase/migrations`,
 * `sql/migrations`, or `sql/`, `db/`, `database/`, `schema/` when every .sql file there has a
 * migration's name).
 * When the root has none, the same layouts in each package of a monorepo
 * (`packages/*`, `apps/*` ...): one package with a schema is used; several are not merged (they may
 * be different databases) but listed in `candidates`. Nothing outside `rootDir` is read: links out
 * of it are listed in `outside`.
 */
export function discoverSchemaFiles(rootDir: string): DiscoveredSchema | undefined {
  const root = new ProjectRoot(rootDir);
  const outside = () => (root.outside.length ? { outside: root.outside.map((p) => posix(rootDir, p)) } : {});
  const own = layoutAt(rootDir, rootDir, root);
  if (own) return { ...own, ...outside() };
  const inPackages: DiscoveredSchema[] = [];
  const packages = packageDirs(rootDir, root);
  let home = '';
  for (const dir of packages) {
    const hit = layoutAt(dir, rootDir, root);
    if (hit) inPackages.push(hit);
    if (hit) home = dir;
  }
  if (inPackages.length === 1) return { ...inPackages[0]!, ...scopeOf(home, packages, rootDir), ...outside() };
  if (inPackages.length > 1) return { layout: 'migrations', location: '', files: [], candidates: inPackages.map((d) => d.location).sort(), ...outside() };
  return root.outside.length ? { layout: 'migrations', location: '', files: [], ...outside() } : undefined;
}

/** A package's package.json; undefined without a readable one. */
function packageJson(dir: string): { name?: unknown; dependencies?: unknown; devDependencies?: unknown; peerDependencies?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
  } catch {
    return undefined;
  }
}

function dependsOn(pkg: ReturnType<typeof packageJson>, names: ReadonlySet<string>): boolean {
  return [pkg?.dependencies, pkg?.devDependencies, pkg?.peerDependencies].some((deps) => typeof deps === 'object' && deps !== null && Object.keys(deps).some((n) => names.has(n)));
}

/**
 * The packages a package's schema serves: itself and every package that depends on it, directly or
 * through another (apps/web -> @acme/api -> @acme/db). A package without a name cannot be depended
 * on by name: then no scope (the whole project), as before monorepos were told apart.
 */
function scopeOf(home: string, packages: readonly string[], rootDir: string): { scope?: string[] } {
  const name = packageJson(home)?.name;
  if (typeof name !== 'string' || !name) return {};
  const names = new Set([name]);
  const inScope = new Set([home]);
  const manifests = new Map(packages.map((d) => [d, packageJson(d)] as const));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [d, pkg] of manifests) {
      if (inScope.has(d) || !dependsOn(pkg, names)) continue;
      inScope.add(d);
      if (typeof pkg?.name === 'string') names.add(pkg.name);
      grew = true;
    }
  }
  return { scope: [...inScope].map((d) => posix(rootDir, d)) };
}

/** The first schema layout found in `dir`, with paths relative to `rootDir`. */
function layoutAt(dir: string, rootDir: string, root: ProjectRoot): DiscoveredSchema | undefined {
  const found = (layout: SchemaLayout, location: string, files: string[]): DiscoveredSchema | undefined =>
    files.length ? { layout, location: posix(rootDir, join(dir, location)), files: orderMigrationFiles(files.map((f) => posix(rootDir, f))) } : undefined;
  const hit =
    found('prisma', 'prisma/migrations', sqlFilesUnder(join(dir, 'prisma', 'migrations'), 1, root).filter((f) => f.endsWith('migration.sql'))) ??
    found('drizzle', 'drizzle', sqlFilesUnder(join(dir, 'drizzle'), 1, root));
  if (hit) return hit;
  for (const f of ['db/schema.sql', 'db/structure.sql', 'schema.sql']) {
    const p = join(dir, f);
    if (existsSync(p) && statSync(p).isFile() && root.contains(p)) return { layout: 'schema-file', location: posix(rootDir, p), files: [posix(rootDir, p)] };
  }
  for (const d of ['migrations', 'db/migrations', 'supabase/migrations', 'sql/migrations']) {
    const r = found('migrations', d, sqlFilesUnder(join(dir, d), 2, root));
    if (r) return r;
  }
  // numbered migrations in a folder of a common name (graphile-worker's `sql/000001.sql`): every
  // .sql file there is numbered, so it is not a folder of queries or seeds
  for (const d of ['sql', 'db', 'database', 'schema']) {
    const files = sqlFilesUnder(join(dir, d), 0, root);
    const r = files.length >= 2 && files.every((f) => isMigrationSqlName(basename(f))) ? found('migrations', d, files) : undefined;
    if (r) return r;
  }
  // Prisma's layout under another folder name (`prisma migrate` with a custom path: `migration/`)
  const steps = prismaStepsByFolder(dir, root);
  for (const folder of [...steps.keys()].sort()) {
    const r = found('prisma', folder, steps.get(folder)!);
    if (r) return r;
  }
  return undefined;
}

/** `<folder>/<14-digit timestamp>_<name>/migration.sql`, relative to the folder searched. */
const PRISMA_STEP = /^([^/\\]+)[/\\]\d{14}_[^/\\]+[/\\]migration\.sql$/;

/**
 * The Prisma steps of each top-level folder of `dir` (not `prisma/`, searched above). Read from the
 * project's walk when the run has made it (`sqlperf lint .`: the lint walks it anyway), else by
 * listing each top-level folder (`sqlperf lint one-file.ts` walks nothing).
 */
function prismaStepsByFolder(dir: string, root: ProjectRoot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (folder: string, file: string) => out.set(folder, [...(out.get(folder) ?? []), file]);
  const walked = keptWalk(root.dir);
  if (!walked) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'prisma') continue;
      for (const file of prismaSteps(join(dir, e.name), root)) add(e.name, file);
    }
    return out;
  }
  const abs = resolve(dir);
  const prefix = abs.endsWith(sep) ? abs : abs + sep;
  for (const file of walked) {
    // most files of a large tree are not steps: the suffix test is cheaper than the pattern
    if (!file.endsWith('migration.sql') || !file.startsWith(prefix)) continue;
    const folder = PRISMA_STEP.exec(file.slice(prefix.length))?.[1];
    if (folder && folder !== 'prisma' && !folder.startsWith('.')) add(folder, file);
  }
  return out;
}

/** A Prisma migration step's folder: `<14-digit timestamp>_<name>`. */
const PRISMA_STEP_DIR = /^\d{14}_/;

/** The `<timestamp>_<name>/migration.sql` files of a folder: only step folders are looked into, by name. */
function prismaSteps(dir: string, root: ProjectRoot): string[] {
  if (!root.contains(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!PRISMA_STEP_DIR.test(name)) continue;
    const file = join(dir, name, 'migration.sql');
    if (existsSync(file) && root.contains(file) && statSync(file).isFile()) out.push(file);
  }
  return out;
}

/**
 * The files that `schema` entries name (a config's, `--schema`'s, the ESLint setting's), relative to
 * `base`: a file as it is, a folder's .sql files eight levels deep; `missing` lists the entries that
 * name nothing (for the caller to say so, or to try as a glob).
 */
export function schemaEntryFiles(entries: readonly string[], base: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const e of entries) {
    const abs = resolve(base, e);
    if (!existsSync(abs)) missing.push(e);
    else files.push(...(statSync(abs).isDirectory() ? sqlFilesUnder(abs, 8) : [abs]));
  }
  return { files, missing };
}

/** What to say when several packages of a monorepo have a schema and none was used; `how` names the setting that picks one. */
export function candidatesMessage(candidates: readonly string[], how: string): string {
  return `several packages have a schema (${candidates.join(', ')}): none used; name one with ${how}`;
}

/** Reads discovered (or any) schema files relative to a root, ready for `loadSchema`. */
export function readSchemaFiles(rootDir: string, files: readonly string[]): SchemaFile[] {
  return files.map((f) => ({ path: f, text: readFileSync(join(rootDir, f), 'utf8') }));
}
