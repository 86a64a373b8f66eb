import { existsSync, readdirSync, readFileSync } from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import path from 'node:path';

/** What sqlperf reads: SQL files and the JS/TS files that embed SQL. */
export const SQL_EXTENSIONS = ['.sql'] as const;
export const HOST_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/**
 * Never linted when walking folders: dependencies, VCS data, build output and tool caches,
 * declaration and minified files. Other dot-folders (`.scripts/`, `.github/`) are walked.
 */
export const DEFAULT_IGNORES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/coverage/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.output/**',
  '**/.svelte-kit/**',
  '**/.turbo/**',
  '**/.cache/**',
  '**/.yarn/**',
  '**/.pnpm-store/**',
  '**/.vercel/**',
  '**/.netlify/**',
  '**/.docusaurus/**',
  '**/.expo/**',
  '**/.angular/**',
  '**/.vscode/**',
  '**/.idea/**',
  '**/.venv/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
];

export type FileKind = 'sql' | 'host';

const KINDS = new Map<string, FileKind>([...SQL_EXTENSIONS.map((e) => [e, 'sql'] as const), ...HOST_EXTENSIONS.map((e) => [e, 'host'] as const)]);

/** The kind of a file by its extension, as `path.extname` reads it (a leading dot starts no extension); called once per file a walk meets. */
export function kindOf(file: string): FileKind | undefined {
  const dot = file.lastIndexOf('.');
  const base = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1;
  return dot > base ? KINDS.get(file.slice(dot).toLowerCase()) : undefined;
}

/** The folder names and file endings of DEFAULT_IGNORES, for a walk without a glob library. */
const IGNORED_DIRS = new Set(DEFAULT_IGNORES.flatMap((g) => /^\*\*\/([^*/]+)\/\*\*$/.exec(g)?.[1] ?? []));
const IGNORED_ENDINGS = DEFAULT_IGNORES.flatMap((g) => /^\*\*\/\*(\.[\w.]+)$/.exec(g)?.[1] ?? []);

/** The rules of one `.gitignore`, and the folder (with its trailing separator) they are relative to. */
interface GitignoreLevel {
  base: string;
  rules: Ignore;
}

function gitignoreAt(prefix: string): GitignoreLevel | undefined {
  try {
    return { base: prefix, rules: ignore().add(readFileSync(prefix + '.gitignore', 'utf8')) };
  } catch {
    return undefined;
  }
}

/** As git decides: the deepest `.gitignore` with a rule for the path wins, a `!` rule re-includes. */
function gitIgnored(levels: readonly GitignoreLevel[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of levels) {
    let rel = abs.slice(base.length);
    if (path.sep !== '/') rel = rel.split(path.sep).join('/');
    const r = rules.test(isDir ? rel + '/' : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The `.gitignore` files above `dir` up to the repository's root (the folder with `.git`), outermost first. */
function parentGitignores(dir: string): GitignoreLevel[] {
  const chain: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    chain.push(d);
    if (existsSync(path.join(d, '.git'))) break;
    if (path.dirname(d) === d) return []; // not in a repository: only the walked folders' own
  }
  return chain.reverse().flatMap((d) => gitignoreAt(d.endsWith(path.sep) ? d : d + path.sep) ?? []);
}

/**
 * Every SQL and JS/TS file under `root` (absolute), minus DEFAULT_IGNORES and what `.gitignore`
 * files ignore (those in the walked folders and above them in the repository; an ignored folder is
 * not walked); symbolic links are not followed. One walk for both front ends and every project-wide
 * scan. Synchronous and without a glob library: globby's import alone costs about 170 ms, its walk
 * about twice this one on a tree of 10,000 files, and its .gitignore filter walks the tree again.
 * Paths are joined by hand, since `path.join` normalizes each of them again.
 */
export function walkProjectFiles(root: string): string[] {
  const abs = path.resolve(root);
  const kept = walks?.get(abs);
  if (kept) return kept;
  const files: string[] = [];
  const walk = (dir: string, outer: readonly GitignoreLevel[]) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const own = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? gitignoreAt(prefix) : undefined;
    const levels = own ? [...outer, own] : outer;
    for (const e of entries) {
      const name = e.name;
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(name) && !(levels.length && gitIgnored(levels, prefix + name, true))) walk(prefix + name, levels);
      } else if (e.isFile() && kindOf(name) && !IGNORED_ENDINGS.some((end) => name.endsWith(end)) && !(levels.length && gitIgnored(levels, prefix + name, false))) {
        files.push(prefix + name);
      }
    }
  };
  walk(abs, parentGitignores(abs));
  walks?.set(abs, files);
  return files;
}

/** Every SQL and JS/TS file under `root`, sorted: walkProjectFiles' files. */
export function projectFilesSync(root: string): string[] {
  return [...walkProjectFiles(root)].sort();
}

/** The walk of `root` if this run has made it already (see keepWalks). */
export function keptWalk(root: string): string[] | undefined {
  return walks?.get(path.resolve(root));
}

/** Walks kept for the rest of a CLI run, which starts afresh each time (an editor session's files come and go: never kept there). */
let walks: Map<string, string[]> | undefined;

/**
 * A CLI run's walks of a folder are one: the lint's, the schema's queried tables and the Drizzle
 * tables all walk the project, and on a warm `--cache` run those walks are most of the work.
 */
export function keepWalks(): void {
  walks = new Map();
}
