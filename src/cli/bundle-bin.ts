/**
 * `sqlperf`, the package's bin (dist/sqlperf.js): runs the bundled CLI, dist/sqlperf.cjs, with
 * V8's code cache (src/cli/compile-cache.ts) in the per-user cache folder.
 */
import { fileURLToPath } from 'node:url';
import { userCacheDir } from '../verify/data-dir.js';
import { runWithCodeCache } from './compile-cache.js';
import { setCliFlags } from './v8-flags.js';

setCliFlags();
runWithCodeCache(fileURLToPath(new URL('./sqlperf.cjs', import.meta.url)), userCacheDir());
