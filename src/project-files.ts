import { readdirSync } from 'node:fs';
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

export function kindOf(file: string): FileKind | undefined {
  const ext = path.extname(file).toLowerCase();
  if ((SQL_EXTENSIONS as readonly string[]).includes(ext)) return 'sql';
  if ((HOST_EXTENSIONS as readonly string[]).includes(ext)) return 'host';
  return undefined;
}

/** The folder names and file endings of DEFAULT_IGNORES, for a walk without a glob library. */
const IGNORED_DIRS = new Set(DEFAULT_IGNORES.flatMap((g) => /^\*\*\/([^*/]+)\/\*\*$/.exec(g)?.[1] ?? []));
const IGNORED_ENDINGS = DEFAULT_IGNORES.flatMap((g) => /^\*\*\/\*(\.[\w.]+)$/.exec(g)?.[1] ?? []);

/**
 * Every SQL and JS/TS file under `root`, minus DEFAULT_IGNORES; symbolic links are not followed.
 * Synchronous, for the ESLint plugin, and without globby, whose import alone costs about 170 ms;
 * `.gitignore` is not read (the CLI's lint walk reads it): a generated file it would hide is only read too.
 */
export function projectFilesSync(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && kindOf(e.name) && !IGNORED_ENDINGS.some((end) => e.name.endsWith(end))) out.push(p);
    }
  };
  walk(path.resolve(root));
  return out.sort();
}
