#!/usr/bin/env node
// The CLI as tsc builds it, one module per file; the package's `sqlperf` runs the bundle
// (src/cli/bundle-entry.ts, built by scripts/build-bundle.ts), which loads faster.
import { runCli } from './run.js';

await runCli();
