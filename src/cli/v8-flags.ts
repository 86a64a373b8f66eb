import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags for a CLI run. PostgreSQL's parser is WebAssembly. V8's optimising tier recompiles it
 * in the background and competes with the linter for the CPU; the baseline compiler alone is
 * faster for a CLI run (measured: cold start ~0.45 s -> ~0.3 s, and ~25% less time over 3,000
 * statements). Set before the bundle is compiled: V8's code cache holds only for the same flags.
 */
export function setCliFlags(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * The same for a process that is not sqlperf's own (the ESLint plugin runs in ESLint's, or an
 * editor's): `load` compiles PostgreSQL's WebAssembly with the baseline compiler only, every
 * function at once, then V8's defaults are put back. A module keeps the tiering it was compiled
 * with, so libpg-query is never recompiled by TurboFan, while any other WebAssembly in the process
 * tiers up as usual, and V8's flag hash (which its code caches check) ends as it began. Eager, as
 * a function compiled lazily after the defaults are back would be queued for TurboFan. Measured:
 * loading libpg-query and parsing the 150 queries of the ESLint bench tree took 0.86-1.04 s of CPU
 * with V8's defaults (0.5-0.6 s of it TurboFan compiling 13 grammar and lexer functions in the
 * background after the parses) and 0.41-0.47 s this way. Flags the user gave Node about
 * WebAssembly tiering or lazy compilation are left alone.
 */
export async function withBaselineWasm<T>(load: () => Promise<T>): Promise<T> {
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /liftoff|wasm[-_](?:dynamic[-_])?tier|wasm[-_]lazy/.test(a))) return load();
  setFlagsFromString('--liftoff-only --no-wasm-lazy-compilation');
  try {
    return await load();
  } finally {
    // --liftoff-only turned tier-up off (what `node --liftoff-only --print-flag-values` shows): all back to V8's defaults
    setFlagsFromString('--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering --wasm-lazy-compilation');
  }
}
