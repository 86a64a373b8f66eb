/**
 * The Drizzle tables of a project, read once per project (and re-read when one of their files
 * changes, for an editor session): what `${inbox.senderEmail}` in a `sql` template stands for.
 * Both front ends reach it through `lintProgram` (src/embed/index.ts), given the file's path.
 *
 * The project is the workspace a file belongs to: its package (the nearest package.json or .git,
 * as src/context.ts reads layouts), or the monorepo above it that declares workspaces, since the
 * schema often lives in another package (`packages/db`) than the queries (`apps/api`).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { builtinContext, projectRootOf } from '../context.js';
import { parseHost } from '../embed/parse-host.js';
import { fileFact } from '../file-facts.js';
import { projectFilesSync } from '../project-files.js';
import { declaredWorkspaces } from '../schema/discover.js';
import { exportedSchemas, mayDefineTables, readTables, type DrizzleTable } from './tables.js';
import { readCasing, type Casing } from './names.js';

export interface ProjectTables {
  /** Exported variable name -> table; null when several files export different tables under that name. */
  byExport: Map<string, DrizzleTable | null>;
  /** How property keys become column names when a builder names none; undefined when the project's settings disagree. */
  casing: Casing | undefined;
  /** The files read, with their modification times (to notice a change). */
  stamps: Map<string, number>;
}

const roots = new Map<string, string>();
const cache = new Map<string, ProjectTables>();

/** The workspace root of a file: the nearest folder above its package that declares workspaces, else its package. */
export function drizzleRootOf(file: string): string | undefined {
  const pkg = projectRootOf(file);
  if (pkg === undefined) return undefined;
  const hit = roots.get(pkg);
  if (hit !== undefined) return hit;
  let root = pkg;
  for (let d = path.dirname(pkg); ; d = path.dirname(d)) {
    if (declaredWorkspaces(d).length) {
      root = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  roots.set(pkg, root);
  return root;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** The project's tables, from the cache while none of their files changed. */
export function projectTables(root: string): ProjectTables {
  const hit = cache.get(root);
  if (hit && [...hit.stamps].every(([f, t]) => mtime(f) === t)) return hit;
  const tables = scan(root);
  cache.set(root, tables);
  return tables;
}

/** What a file's text says before any parse: the `casing` it sets, and whether it may define tables. */
interface DrizzleHint {
  casing?: Casing;
  defines: boolean;
}

const CASINGS: readonly unknown[] = ['none', 'snake_case', 'camelCase'];
const isHint = (v: unknown): v is DrizzleHint =>
  typeof v === 'object' && v !== null && typeof (v as DrizzleHint).defines === 'boolean' && ((v as DrizzleHint).casing === undefined || CASINGS.includes((v as DrizzleHint).casing));

/** A file fact: an unchanged file that defines no table is not read again (in an editor session, or a cached CLI run). */
function hintOf(file: string): { hint: DrizzleHint; code?: string } | undefined {
  let code: string | undefined;
  const hint = fileFact(file, 'drizzle', isHint, () => {
    try {
      code = readFileSync(file, 'utf8');
    } catch {
      return { defines: false };
    }
    const casing = readCasing(code);
    return { ...(casing ? { casing } : {}), defines: mayDefineTables(code) };
  });
  return hint && { hint, ...(code !== undefined ? { code } : {}) };
}

/** Reads every JS/TS file of the project that may define a table or set drizzle's `casing` (test files aside). */
function scan(root: string): ProjectTables {
  const stamps = new Map<string, number>();
  const programs: Array<ReturnType<typeof parseHost> & { ok: true }> = [];
  const casings: Casing[] = [];
  for (const file of projectFilesSync(root)) {
    if (file.endsWith('.sql') || builtinContext(path.relative(root, file).split(path.sep).join('/')) === 'test') continue;
    const read = hintOf(file);
    if (!read) continue;
    const { hint } = read;
    if (hint.casing) casings.push(hint.casing);
    if (hint.casing || hint.defines) stamps.set(file, mtime(file));
    if (!hint.defines) continue;
    let code = read.code;
    try {
      code ??= readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseHost(code, file);
    if (parsed.ok) programs.push(parsed);
  }
  // schema variables first: a table file may import its `pgSchema(...)` from another
  const schemas = new Map<string, string>();
  for (const p of programs) for (const [k, v] of exportedSchemas(p.program)) schemas.set(k, v);
  const byExport = new Map<string, DrizzleTable | null>();
  for (const p of programs) {
    const { tables, exported } = readTables(p.program, schemas);
    for (const [name, local] of exported) {
      const t = tables.get(local);
      if (!t) continue;
      const prior = byExport.get(name);
      byExport.set(name, prior === undefined || (prior && sameTable(prior, t)) ? t : null);
    }
  }
  const casing = casings.length && casings.every((c) => c === casings[0]) ? casings[0] : casings.length ? undefined : 'none';
  return { byExport, casing, stamps };
}

function sameTable(a: DrizzleTable, b: DrizzleTable): boolean {
  return a.name === b.name && a.schema === b.schema && [...a.columns].every(([k, c]) => b.columns.get(k)?.name === c.name) && a.columns.size === b.columns.size;
}

/**
 * What the Drizzle tables of the project at `dir` say, as a stable text: findings in a file depend
 * on tables defined in other files, so a results cache keyed by file content needs it in its key.
 */
export function drizzleDigest(dir: string): string {
  const root = drizzleRootOf(path.join(dir, 'package.json'));
  if (root === undefined) return '';
  const { byExport, casing } = projectTables(root);
  const tables = [...byExport].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => [k, t && [t.schema ?? '', t.name, [...t.columns].map(([c, d]) => `${c}=${d.name ?? ''}`)]]);
  return JSON.stringify({ casing: casing ?? null, tables });
}
