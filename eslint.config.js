// Lint rules, including the import boundaries of ARCHITECTURE.md §3: they are enforced here, not by goodwill.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];
const noElectron = { group: ['electron', 'electron/*'], message: 'electron/core and shared/ never import electron (ARCHITECTURE.md §3).' };
const noCoreUpward = {
  regex: '^(\\.\\./)+(host|operations)(/|$)',
  message: "The core's domains never import the host or the operations: host → operations → domains.",
};
const noNode = { group: nodeBuiltins, message: 'This layer never imports Node built-ins (ARCHITECTURE.md §3).' };
// The renderer's CSS has one home, renderer/src/styles, whose app.css (imported by main.tsx alone) imports the rest.
const oneCssHome = { regex: '^(?!\\./styles/app\\.css$).*\\.css$', message: 'Styles live in renderer/src/styles and are imported by styles/app.css only.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    // The core's layering: host/core.ts wires, operations/ holds every handler, and the domains (vault,
    // server, flows, cases, faults…) never reach back into either (docs/architecture.md, "One core, three hosts").
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/host/**', 'electron/core/operations/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noCoreUpward] }] },
  },
  {
    files: ['electron/core/operations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, { regex: '(^|/)host(/|$)', message: 'Operations never import the host, which composes them.' }] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noNode] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    // The Vite config is a Node build script, not renderer code.
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [noElectron, noNode, oneCssHome] }],
    },
  },
  {
    // The renderer's store sits below its screens and its shell: features/ and app/ read and call state/, never the other way
    // (docs/architecture.md, "The renderer's layout"). This entry repeats the renderer's patterns, since
    // a later entry's options replace an earlier one's.
    files: ['renderer/src/state/**/*.ts', 'renderer/src/state/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noNode,
            oneCssHome,
            { regex: '^(\\.\\./)+(features|app)(/|$)', message: 'state/ never imports features/ or app/: move what the store needs into state/.' },
          ],
        },
      ],
    },
  },
  {
    // Raw ipcMain/ipcRenderer only inside the wrappers (ARCHITECTURE.md §8.4).
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use electron/main/ipc.ts, which checks every sender.' }] },
      ],
    },
  },
);
