/**
 * electron-vite build of the three Electron targets (ARCHITECTURE.md §9):
 * - main    → out/main/index.js, ESM (package.json is "type": "module"; electron-store is ESM-only),
 *             with every package it uses bundled in: only `electron` and Node's built-ins stay external.
 *             So the packaged app needs no node_modules (package.json lists no runtime `dependencies`,
 *             and app.asar holds out/ and package.json only; see build/electron-builder.yml).
 * - preload → out/preload/index.cjs, ONE CommonJS file with zod and shared/ bundled in: a sandboxed
 *             preload can require nothing but `electron` (and a few polyfilled built-ins).
 * - renderer → out/renderer, the same Vite config web mode uses.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // An entry object (not a string) so the file is named after the key, not after the package.
      lib: { entry: { index: resolve(root, 'electron/main/index.ts') }, formats: ['es'] },
      // Bundle the dependencies; electron-vite keeps `electron` and the built-ins external regardless.
      externalizeDeps: false,
      sourcemap: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      lib: { entry: { index: resolve(root, 'electron/preload/index.ts') }, formats: ['cjs'] },
      externalizeDeps: false,
      rolldownOptions: { output: { codeSplitting: false } },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      // electron-vite only looks for src/renderer/index.html on its own.
      rolldownOptions: { ...rendererConfig.build.rolldownOptions, input: resolve(root, 'renderer/index.html') },
    },
  },
});
