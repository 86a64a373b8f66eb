// Lints sqlperf's own code.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scratch/**', 'coverage/**', 'fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // small units (issue 19): a function does one job, readable without scrolling or counting braces
    files: ['src/**/*.ts', 'rules/**/*.ts', 'eslint-plugin/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-depth': ['error', 4],
    },
  },
  {
    // the embed layer reads typed ESTree/TS-ESTree (issue 19): casts only in the adapter between oxc's and ESLint's trees
    files: ['src/embed/**/*.ts'],
    ignores: ['src/embed/estree.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
    },
  },
);
