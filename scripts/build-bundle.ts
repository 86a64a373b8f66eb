// The second step of `npm run build`, after tsc: bundles the CLI (dist/src/cli/bundle-entry.js and
// everything it imports, commander, globby and lilconfig included) into one file, dist/sqlperf.js,
// the package's `sqlperf` bin. Loading one file instead of ~130 modules is most of what a small
// lint costs before the parse (issue 17). The bundle is also the lint worker's entry.
// Packages that load files beside their own code (WebAssembly, native bindings, PGlite's data)
// or that are large and needed only for some dialects stay outside, required from node_modules.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..', '..');
/** Loaded from node_modules at run time, not bundled. */
export const EXTERNAL_PACKAGES = ['libpg-query', 'oxc-parser', 'node-sql-parser', '@electric-sql/pglite', 'typescript', '@typescript-eslint/typescript-estree'];
export const BUNDLE_FILE = join(root, 'dist', 'sqlperf.js');

const builtins = new Set(builtinModules);

function isExternal(id: string): boolean {
  if (id.startsWith('node:') || builtins.has(id)) return true;
  return EXTERNAL_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`));
}

/** The packages that went into the bundle, for the build's one line of output. */
function bundledPackages(moduleIds: string[]): string[] {
  const names = new Set<string>();
  for (const id of moduleIds) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

const started = Date.now();
const { output } = await build({
  input: join(root, 'dist', 'src', 'cli', 'bundle-entry.js'),
  platform: 'node',
  external: isExternal,
  logLevel: 'warn',
  write: true,
  output: {
    file: BUNDLE_FILE,
    format: 'esm',
    // one file: the commands' dynamic imports are inlined and still evaluated only when reached
    codeSplitting: false,
    banner: '#!/usr/bin/env node',
    // no comments or indentation to read and pre-parse; names are kept for stack traces (--debug)
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    sourcemap: true,
  },
});
const chunk = output[0];
const size = readFileSync(BUNDLE_FILE).length;
const packages = chunk.type === 'chunk' ? bundledPackages(chunk.moduleIds) : [];
console.log(`dist/sqlperf.js: ${(size / 1024).toFixed(0)} kB, ${packages.length} packages bundled (${packages.join(', ')}), ${Date.now() - started} ms`);
