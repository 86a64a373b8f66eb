import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { matcher } from '../glob.js';
import { DEFAULT_IGNORES, kindOf, walkProjectFiles } from '../project-files.js';

export { DEFAULT_IGNORES, HOST_EXTENSIONS, kindOf, SQL_EXTENSIONS, type FileKind } from '../project-files.js';

export interface DiscoverOptions {
  cwd: string;
  /** Folder that `include` / `ignore` are relative to (the config file's). */
  base: string;
  include?: readonly string[];
  ignore?: readonly string[];
  /** --ignore-pattern values, relative to cwd. */
  ignorePatterns?: readonly string[];
}

export interface Discovered {
  files: string[];
  /** Explicitly named files skipped because sqlperf does not lint their type. */
  unsupported: string[];
  /** Explicitly named files that config `ignore` or --ignore-pattern match: skipped, and said so (as ESLint does). */
  ignored: string[];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function relativeInside(from: string, to: string): string | undefined {
  const rel = path.relative(from, to);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : toPosix(rel);
}

// synchronous: node:fs/promises costs a one-file lint more to load than these two calls take
function exists(p: string): 'dir' | 'file' | undefined {
  const st = statOrUndefined(statSync, p);
  if (st) return st.isDirectory() ? 'dir' : 'file';
  // a broken symbolic link is still a file the user named: reading it will report why it fails
  return statOrUndefined(lstatSync, p) ? 'file' : undefined;
}

function statOrUndefined(how: typeof statSync, p: string): Stats | undefined {
  try {
    return how(p);
  } catch {
    return undefined;
  }
}

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * Files to lint for the given paths. Folders are walked (honouring .gitignore and the default
 * ignores); named files are taken as they are, so lists from pre-commit or
 * lint-staged cost no walk at all. Config `include` picks among walked files only: a named file
 * is linted as given. Config `ignore` and --ignore-pattern apply to both; a named file they match
 * is returned in `ignored`, for the caller to say so.
 */
export async function discover(paths: readonly string[], opts: DiscoverOptions): Promise<Discovered> {
  const explicit: string[] = [];
  const dirs: string[] = [];
  const globs: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(opts.cwd, p);
    const what = exists(abs);
    if (what === 'dir') dirs.push(abs);
    else if (what === 'file') explicit.push(abs);
    else if (GLOB_CHARS.test(p)) globs.push(p);
    else throw new UsageError(`no such file or directory: ${p}`);
  }
  const walked: string[] = [];
  // sqlperf's own walk (the plugin's and the project scans'), .gitignore files included
  for (const dir of dirs) for (const f of walkProjectFiles(dir)) walked.push(f);
  if (globs.length) {
    const { globby } = await import('globby');
    for (const g of globs) {
      const found = await globby(g, { cwd: opts.cwd, absolute: true, gitignore: true, ignore: DEFAULT_IGNORES, onlyFiles: true });
      if (found.length === 0) throw new UsageError(`no files matching the pattern "${g}" were found`);
      walked.push(...found.filter((f) => kindOf(f)));
    }
  }
  const include = opts.include?.length ? matcher(opts.include) : undefined;
  const ignore = opts.ignore?.length ? matcher(opts.ignore) : undefined;
  const ignorePattern = opts.ignorePatterns?.length ? matcher(opts.ignorePatterns) : undefined;
  // two relative paths per file add up on a tree of 10,000 files: only computed for a pattern to test
  const ignored = (abs: string) => {
    const fromCwd = ignorePattern && relativeInside(opts.cwd, abs);
    if (fromCwd !== undefined && ignorePattern?.(fromCwd)) return true;
    const fromBase = ignore && relativeInside(opts.base, abs);
    return fromBase !== undefined && Boolean(ignore?.(fromBase));
  };
  const included = (abs: string) => {
    const fromBase = relativeInside(opts.base, abs);
    return !include || fromBase === undefined || include(fromBase);
  };
  const unsupported: string[] = [];
  const skipped: string[] = [];
  const files = new Set<string>();
  for (const f of explicit) {
    if (!kindOf(f)) unsupported.push(f);
    else if (ignored(f)) skipped.push(f);
    else files.add(f);
  }
  const filtered = ignore || ignorePattern || include;
  for (const w of walked) {
    // globby's absolute paths are already normal on POSIX; Windows needs its separators
    const f = path.sep === '/' ? w : path.normalize(w);
    if (!filtered || (!ignored(f) && included(f))) files.add(f);
  }
  return { files: [...files].sort(), unsupported, ignored: skipped };
}
