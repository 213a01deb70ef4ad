// ESLint flat config (STYLE.md B.1/B.4): typescript-eslint recommended, type-aware
// no-floating-promises on src/, eqeqeq, module boundaries, no console in library code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/test-output/**',
      '.demo/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        setTimeout: 'readonly',
        setImmediate: 'readonly',
      },
    },
  },
  {
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@securemfa/*/src/*', '@securemfa/*/dist/*', '../../core/*'],
              message: 'Import @securemfa/core through its public exports.',
            },
            {
              group: ['@securemfa/testkit', '@securemfa/testkit/*'],
              message: 'testkit is for tests only.',
            },
          ],
        },
      ],
    },
  },
);
