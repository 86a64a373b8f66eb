// The second step of `npm run build`, after tsc: bundles the CLI (dist/src/cli/bundle-entry.js and
// everything it imports, commander and lilconfig included) into one CommonJS file, dist/sqlperf.cjs,
// which the package's `sqlperf` bin, dist/sqlperf.js (src/cli/bundle-bin.ts), runs with V8's code
// cache. Loading one file instead of ~130 modules, and compiling it once, is most of what a small
// lint costs before the parse (issue 17). The bundle is also the lint worker's entry.
// globby (with fast-glob and the rest, 200 kB) is bundled on its own, dist/vendor/globby.cjs, loaded
// only to walk a folder or a glob (--version measured 0.88x the CPU without it in the main bundle).
// The ESLint plugin is bundled the same way, dist/eslint-plugin/plugin.cjs, which the package's
// `sqlperf/eslint-plugin` entry (dist/eslint-plugin/index.js, eslint-plugin/index.ts) runs with the
// code cache; ESLint itself (the plugin's `SourceCode`) stays outside, the host's own copy.
// Packages that load files beside their own code (WebAssembly, native bindings, PGlite's data)
// or that are large and needed only for some dialects stay outside, required from node_modules.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type OutputChunk, type OutputOptions, type Plugin } from 'rolldown';

const root = join(import.meta.dirname, '..', '..');
/** Loaded from node_modules at run time, not bundled. */
export const EXTERNAL_PACKAGES = ['libpg-query', 'oxc-parser', 'node-sql-parser', '@electric-sql/pglite', 'typescript', '@typescript-eslint/typescript-estree'];
/** The bundled CLI, and the bin that runs it. */
export const BUNDLE_FILE = join(root, 'dist', 'sqlperf.cjs');
export const BIN_FILE = join(root, 'dist', 'sqlperf.js');
/** The ESLint plugin's bundle, run by dist/eslint-plugin/index.js. */
export const PLUGIN_BUNDLE_FILE = join(root, 'dist', 'eslint-plugin', 'plugin.cjs');
/** globby's own bundle, required by the main one as `./vendor/globby.cjs`. */
const GLOBBY_FILE = join(root, 'dist', 'vendor', 'globby.cjs');

const builtins = new Set(builtinModules);
const isBuiltin = (id: string) => id.startsWith('node:') || builtins.has(id);

function isExternal(id: string): boolean {
  if (isBuiltin(id)) return true;
  return [...EXTERNAL_PACKAGES, 'globby'].some((p) => id === p || id.startsWith(`${p}/`));
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

const common = {
  // a script, not a module: V8's code cache (src/cli/compile-cache.ts) is for scripts
  format: 'cjs',
  // import() of a package or of the globby bundle becomes require(): a script compiled by
  // node:vm has no loader for import() (and Node 20 loses it with a code cache)
  dynamicImportInCjs: false,
  // one file: the commands' dynamic imports are inlined and still evaluated only when reached
  codeSplitting: false,
  // no comments or indentation to read and pre-parse; names are kept for stack traces (--debug)
  minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
  sourcemap: true,
} satisfies OutputOptions;

/**
 * Node's built-in modules that the CLI needs only on some paths (--cache, --verify, commander's
 * executable subcommands), yet the bundle requires at its top, hoisted from every module: loaded on
 * first use instead. A tiny lint loaded node:crypto, node:fs/promises and node:child_process (with
 * net, dgram and the streams), ~20 ms of CPU, for nothing. The call keeps its length
 * (`require` -> `__lazy_`), so the source map still holds.
 */
const LAZY_BUILTINS = ['node:crypto', 'node:fs/promises', 'node:child_process'];
const LAZY_INTRO = 'var __lazy_=(id)=>{let m;return new Proxy({},{get:(_,k)=>(m??=require(id))[k]})};';

const lazyBuiltins: Plugin = {
  name: 'sqlperf-lazy-builtins',
  renderChunk(code) {
    let out = code;
    for (const id of LAZY_BUILTINS) out = out.replaceAll(`require("${id}")`, `__lazy_("${id}")`);
    // the proxy serves property reads only: every binding must be used as name.member
    for (const m of out.matchAll(/(?:let|const|var) (\w+)=__lazy_\("([^"]+)"\)/g)) {
      const uses = out.match(new RegExp(`\\b${m[1]}\\b(?!\\.)`, 'g'))?.length ?? 0;
      if (uses !== 1) throw new Error(`build-bundle: ${m[2]} (${m[1]}) is used other than as ${m[1]}.member; it cannot be loaded lazily`);
    }
    return { code: out, map: null };
  },
};

async function bundle(input: string, file: string, external: (id: string) => boolean, more: OutputOptions = {}, plugins: Plugin[] = []): Promise<string> {
  const started = Date.now();
  const { output } = await build({ input, platform: 'node', external, logLevel: 'warn', write: true, plugins, output: { ...common, file, ...more } });
  const packages = bundledPackages((output[0] as OutputChunk).moduleIds);
  return `${file.slice(root.length + 1)}: ${(readFileSync(file).length / 1024).toFixed(0)} kB, ${packages.length} packages (${packages.join(', ') || 'none'}), ${Date.now() - started} ms`;
}

console.log(await bundle(fileURLToPath(import.meta.resolve('globby')), GLOBBY_FILE, isBuiltin));
console.log(await bundle(join(root, 'dist', 'src', 'cli', 'bundle-entry.js'), BUNDLE_FILE, isExternal, { paths: { globby: './vendor/globby.cjs' }, intro: LAZY_INTRO }, [lazyBuiltins]));
console.log(await bundle(join(root, 'dist', 'eslint-plugin', 'plugin.js'), PLUGIN_BUNDLE_FILE, (id) => isExternal(id) || id === 'eslint' || id.startsWith('eslint/'), { exports: 'named' }));
console.log(await bundle(join(root, 'dist', 'src', 'cli', 'bundle-bin.js'), BIN_FILE, isBuiltin, { format: 'esm', banner: '#!/usr/bin/env node' }));
