/**
 * The headless server as built JavaScript (`npm run build:server` → out/server/parley-server.js, the
 * `parley-server` bin): a Vite SSR build of electron/cli/server.ts with every package bundled in, so it
 * starts with plain `node` — no tsx, no TypeScript transform, no node_modules lookup at run time.
 * @peculiar/x509 (only needed to issue the local CA's certificates) stays in a chunk of its own, loaded on
 * first https use; every plain-http start skips it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  logLevel: 'warn',
  ssr: {
    // Bundle every dependency: nothing is resolved from node_modules when the file runs.
    noExternal: true,
    target: 'node',
  },
  build: {
    ssr: resolve(root, 'electron/cli/server.ts'),
    outDir: resolve(root, 'out/server'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: 'parley-server.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
