// ESLint (flat config), run by `npm run lint` / `npm run verify` and scripts/web.sh unit with --max-warnings=0.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'eslint-ts' // typescript-eslint on TypeScript 6: see eslint-ts/index.js

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'eslint-ts'] },
  // The JavaScript and TypeScript recommended sets: likely bugs (unused code, `any` escapes, bad syntax
  // patterns). Syntax-only (no type information): tsc -b already type-checks, and this keeps lint fast.
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    // The classic hook rules: hooks called unconditionally, effect/memo/callback dependency lists complete.
    // (The plugin's React Compiler rules are left out: the app does not use the compiler.)
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // `const { [k]: _, ...rest } = o` is how an object member is dropped.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The browser test and config files are Node scripts.
    files: ['e2e/**/*.mjs', '*.js', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // ... whose page.evaluate() callbacks run in the browser.
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: globals.browser },
  },
)
