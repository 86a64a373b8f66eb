/**
 * sqlperf's ESLint plugin (flat config):
 *
 *   import sqlperf from 'sqlperf/eslint-plugin';
 *   export default [sqlperf.configs.recommended, sqlperf.configs.sql];
 *
 * The plugin is plugin.ts. Built, it is one CommonJS script (dist/eslint-plugin/plugin.cjs, from
 * scripts/build-bundle.ts) that this module runs with V8's code cache, as the CLI's bin does
 * (src/cli/compile-cache.ts): ESLint then loads one file, compiled once, instead of ~110 modules
 * parsed and compiled on every run (issue 17). Without a current bundle (the sources under test, or
 * tsc run again after the build) it imports plugin.ts as it is. PostgreSQL's parser is loaded
 * here with top-level await, so the rules parse synchronously, and compiled with V8's baseline
 * compiler only (src/cli/v8-flags.ts).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWithCodeCache } from '../src/cli/compile-cache.js';
import { withBaselineWasm } from '../src/cli/v8-flags.js';
import { userCacheDir } from '../src/verify/data-dir.js';
import type * as Plugin from './plugin.js';

const bundle = fileURLToPath(new URL('./plugin.cjs', import.meta.url));

/** The bundle, unless tsc has rebuilt the modules since it was made (it would be stale). */
function bundleIsCurrent(): boolean {
  const made = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  const modules = statSync(fileURLToPath(new URL('./plugin.js', import.meta.url)), { throwIfNoEntry: false })?.mtimeMs;
  return made !== undefined && modules !== undefined && made >= modules;
}

const loaded = (bundleIsCurrent() ? runWithCodeCache(bundle, userCacheDir()) : await import('./plugin.js')) as typeof Plugin;
// the bundle's own copy of the parser module: the one its rules call, compiled without TurboFan
await withBaselineWasm(() => loaded.ready());

const plugin: typeof Plugin.default = loaded.default;
export default plugin;
export const rules: typeof Plugin.rules = loaded.rules;
export const dataFromMessage: typeof Plugin.dataFromMessage = loaded.dataFromMessage;
export const schemaDigest: typeof Plugin.schemaDigest = loaded.schemaDigest;
