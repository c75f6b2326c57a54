import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The web page uses the library as a user would: only through the package's public entry points
 * (package.json `exports`, mapped back to src/), never a module behind them. `./png` and
 * `./io/node` load Node-only modules, which a page must never pull in.
 */
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const NODE_ONLY = new Set(['./png', './io/node']);
export const WEB_ENTRY_POINTS = Object.entries(pkg.exports)
  .filter(([subpath]) => !NODE_ONLY.has(subpath))
  .map(([, target]) => target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, ''));
const escaped = WEB_ENTRY_POINTS.map((e) =>
  e.slice('src/'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
);
export const webImportRule = [
  'error',
  {
    patterns: [
      {
        regex: `^(\\.\\./)+src/(?!(?:${escaped.join('|')})\\.[jt]s$)`,
        message:
          'web/ imports the library only through its public entry points (package.json exports): ' +
          `${WEB_ENTRY_POINTS.join(', ')}. Export what the page needs from there.`,
      },
    ],
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'dist-web/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // The web page runs in the browser (web/tsconfig.json gives it the DOM types).
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-restricted-imports': webImportRule },
  },
  {
    // Browser tests: Playwright's test() is not a floating promise, and page.evaluate callbacks
    // run in the page (e2e/tsconfig.json adds the DOM types).
    files: ['e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // AssemblyScript (compiled to WebAssembly): its integer casts look redundant to TypeScript,
    // and arithmetic on a generic number type T looks untyped.
    files: ['assembly/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
);
