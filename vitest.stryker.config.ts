import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant (npm run mutation). Stryker mutates src/ and rules/
 * in its sandbox; tests that spawn the built CLI (dist/) or PGlite never execute those mutants,
 * so they are left out: they would only slow every run and count as "no coverage" noise.
 * MUTATION_TESTS (space-separated globs) narrows the suite for a run on one file, e.g.
 * MUTATION_TESTS='test/cost-indexes.test.ts test/mutation-*.test.ts' npm run mutation -- --mutate src/cost.ts
 */
const only = process.env.MUTATION_TESTS?.split(/\s+/).filter(Boolean);

export default defineConfig({
  test: {
    include: only?.length ? only : ['test/**/*.test.ts'],
    exclude: [
      'test/cli-!(units).test.ts',
      'test/adversarial/**',
      'test/index-ddl-apply.test.ts',
      'test/indexes-context.test.ts',
      'test/verify.test.ts',
      'test/readme-examples.test.ts',
    ],
    testTimeout: 30000,
    pool: 'threads',
    // one worker: the machine is shared and Stryker already runs its own processes
    maxWorkers: 1,
  },
});
