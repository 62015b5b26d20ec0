// ESLint for the whole tree (run by `npm test` as `npm run lint`): typescript-eslint's recommended
// rules, and the package layering of docs/ARCHITECTURE.md as the local rule `soc/layering`.
import tseslint from 'typescript-eslint';
import layering from './tools/eslint/layering.cjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.services/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { soc: { rules: { layering } } },
    rules: {
      'soc/layering': 'error',
      // `_`-prefixed names are deliberately unused (a destructured field left out, an interface's argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and benchmarks read YAML documents and loose JSON replies: `any` there is a convenience, not a hole in the product.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
