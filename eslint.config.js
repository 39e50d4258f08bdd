// Lint rules that keep the code in the shape of STYLE.md: short functions, short lines,
// no `any`, and no floating promises at the edges.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['scripts/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'src/dashboard/web/dist/**',
    'data/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      'max-len': ['error', { code: 100, ignoreUrls: true, ignoreStrings: true,
        ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // Adapters read payments, quotes and the event feed through network.reads (storage
    // projections): the engine holds live state only and forgets finished payments.
    files: ['src/api/**/*.ts', 'src/dashboard/**/*.ts', 'src/iso20022/**/*.ts', 'src/cli/**/*.ts',
      'src/server/**/*.ts', 'src/demo/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.type='MemberExpression'][object.property.name='state']" +
          "[property.name=/^(payments|quotes|paymentRequests)$/]",
        message: 'Adapters read payments and quotes through network.reads, not engine state.',
      }],
    },
  },
  {
    // Layers (docs/architecture.md, "Layout"): adapters use the engine through the service's
    // domain module only; the pure engine imports nothing with I/O and nothing above it.
    files: ['src/api/**/*.ts', 'src/dashboard/**/*.ts', 'src/iso20022/**/*.ts', 'src/cli/**/*.ts',
      'src/server/**/*.ts', 'src/demo/**/*.ts', 'src/client/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/**'],
        message: 'Adapters import the engine through src/service/domain.ts (or the service).' }] }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{
        group: ['**/service/**', '**/storage/**', '**/pipeline/**', '**/journal/**', '**/api/**',
          '**/iso20022/**', '**/dashboard/**', '**/cli/**', '**/server/**', '**/demo/**',
          '**/simulate/**', '**/testing/**', 'node:*', '!node:crypto'],
        message: 'The engine is pure: no I/O, nothing from the layers above it.' }] }],
    },
  },
  {
    // Test files hold scenario tables and describe blocks; the length limit would only split them.
    files: ['**/*.test.ts', 'bench/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
