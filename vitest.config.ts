import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'eslint-plugin/**/*.test.ts'],
    testTimeout: 30000,
    pool: 'threads',
  },
});
