/**
 * One shape for Parley's plain-node programs (`parley-server`, `parley`): a Vite SSR build of one entry with
 * every package bundled in, so the file runs with plain `node` — no tsx, no TypeScript transform, no
 * node_modules lookup at run time. Dynamic imports stay chunks of their own, loaded only when used.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The build of `entry` (from the repository root) into `outDir/fileName`, with a node shebang. */
export function nodeBinConfig(entry: string, outDir: string, fileName: string): UserConfig {
  return defineConfig({
    root,
    logLevel: 'warn',
    ssr: {
      // Bundle every dependency: nothing is resolved from node_modules when the file runs.
      noExternal: true,
      target: 'node',
    },
    build: {
      ssr: resolve(root, entry),
      outDir: resolve(root, outDir),
      emptyOutDir: true,
      target: 'node20',
      sourcemap: false,
      minify: false,
      rolldownOptions: {
        output: {
          format: 'es',
          entryFileNames: fileName,
          chunkFileNames: 'chunks/[name]-[hash].js',
          banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
        },
      },
    },
  });
}
