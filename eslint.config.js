// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['src/generated/', 'examples/client/src/gql/', 'node_modules/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and the simulator handle arbitrary JSON bodies; typing every shape there buys nothing.
    files: ['test/**', 'simulator/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
