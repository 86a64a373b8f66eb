import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { orderMigrationFiles } from './order.js';
import type { SchemaFile } from './types.js';

export type SchemaLayout = 'prisma' | 'drizzle' | 'schema-file' | 'migrations';

export interface DiscoveredSchema {
  layout: SchemaLayout;
  /** The folder or file the layout was found at, relative to the root. */
  location: string;
  /** The files to load, relative to the root (`/` separators), in migration order. */
  files: string[];
}

/** Down migrations and rollbacks never describe the schema. */
const DOWN = /(^|[._-])(down|undo|rollback)\.sql$|^down\.sql$|^U\d[^/]*__/i;

export function sqlFilesUnder(dir: string, depth = 2): string[] {
  const out: string[] = [];
  const walk = (d: string, left: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory() && left > 0) walk(p, left - 1);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.sql') && !DOWN.test(e.name)) out.push(p);
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir, depth);
  return out;
}

/** A path relative to `root` with `/` separators, as reports and caches name files. */
export const posix = (root: string, p: string) => relative(root, p).split(/[\\/]/).join('/');

/**
 * Finds the schema of a project without a database, trying the common layouts in this order:
 * Prisma (`prisma/migrations/<timestamp>_<name>/migration.sql`), drizzle-kit (`drizzle/*.sql`,
 * `drizzle/migrations/*.sql`), a schema dump (`db/schema.sql`, `db/structure.sql`, `schema.sql`),
 * then plain migration folders (`migrations`, `db/migrations`, `supabase/migrations`,
 * `sql/migrations`). Returns the first layout that has SQL files, or undefined.
 */
export function discoverSchemaFiles(rootDir: string): DiscoveredSchema | undefined {
  const found = (layout: SchemaLayout, location: string, files: string[]): DiscoveredSchema | undefined =>
    files.length ? { layout, location, files: orderMigrationFiles(files.map((f) => posix(rootDir, f))) } : undefined;
  const prisma = join(rootDir, 'prisma', 'migrations');
  const hit =
    found('prisma', 'prisma/migrations', sqlFilesUnder(prisma, 1).filter((f) => f.endsWith('migration.sql'))) ??
    found('drizzle', 'drizzle', sqlFilesUnder(join(rootDir, 'drizzle'), 1));
  if (hit) return hit;
  for (const f of ['db/schema.sql', 'db/structure.sql', 'schema.sql']) {
    const p = join(rootDir, f);
    if (existsSync(p) && statSync(p).isFile()) return { layout: 'schema-file', location: f, files: [f] };
  }
  for (const d of ['migrations', 'db/migrations', 'supabase/migrations', 'sql/migrations']) {
    const r = found('migrations', d, sqlFilesUnder(join(rootDir, d)));
    if (r) return r;
  }
  return undefined;
}

/** Reads discovered (or any) schema files relative to a root, ready for `loadSchema`. */
export function readSchemaFiles(rootDir: string, files: readonly string[]): SchemaFile[] {
  return files.map((f) => ({ path: f, text: readFileSync(join(rootDir, f), 'utf8') }));
}
