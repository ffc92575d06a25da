/**
 * The `parley` command line as built JavaScript (`npm run build:server` builds it after the server →
 * out/cli/parley.js, the `parley` bin): a Vite SSR build of electron/cli/parley.ts with every package
 * bundled in, like vite.server.config.ts, so it runs with plain `node`. The signature check (the core's key
 * reading, with @peculiar/x509 for certificates) is a chunk of its own, loaded only with --key.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  logLevel: 'warn',
  ssr: {
    noExternal: true,
    target: 'node',
  },
  build: {
    ssr: resolve(root, 'electron/cli/parley.ts'),
    outDir: resolve(root, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: 'parley.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
