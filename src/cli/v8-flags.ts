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
