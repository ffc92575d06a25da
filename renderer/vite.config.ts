import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
// This build config runs in Node, not in the renderer; the renderer's no-Node-built-ins rule does not apply here.
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const root = fileURLToPath(new URL('.', import.meta.url));

/** Files of the build worth compressing (text), and the size under which compressing gains nothing. */
const COMPRESSIBLE = /\.(js|css|svg|json|map)$/;
const MIN_COMPRESS_BYTES = 1024;

/**
 * Web mode's build writes a `.br` and a `.gz` beside each text asset, made once here at the best ratio, so
 * the web host (electron/web/host.ts, @fastify/static `preCompressed`) sends them as they are, with no
 * compression work per request. The Electron build does not need them: the app reads its files from disk.
 */
export function precompress(): Plugin {
  return {
    name: 'parley:precompress',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      // After every other plugin: Vite's own generateBundle hooks still rewrite chunks (module preloads).
      order: 'post',
      // Compressed in the thread pool, all files at once: brotli's best ratio is slow on one thread.
      async handler(_options, bundle) {
        const work = Object.values(bundle).map(async (file) => {
          if (!COMPRESSIBLE.test(file.fileName)) return;
          const source = file.type === 'chunk' ? file.code : file.source;
          const bytes = Buffer.from(source);
          if (bytes.length < MIN_COMPRESS_BYTES) return;
          const [brotli, gzipped] = await Promise.all([
            brotliAsync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
            gzipAsync(bytes, { level: zlib.Z_BEST_COMPRESSION }),
          ]);
          this.emitFile({ type: 'asset', fileName: `${file.fileName}.br`, source: brotli });
          this.emitFile({ type: 'asset', fileName: `${file.fileName}.gz`, source: gzipped });
        });
        await Promise.all(work);
      },
    },
  };
}

/**
 * One chunk for everything the entry imports statically. Those modules load before the first screen anyway,
 * but rolldown splits the ones the lazy screens share too into small chunks of their own (seven files for
 * the first load, one more round of requests than a browser's six connections); this plugin finds them once
 * the module graph is known (buildEnd, before chunking) and the `codeSplitting` group below gathers them.
 */
function firstLoadChunk(entry: string): { plugin: Plugin; group: { name: string; test: (id: string) => boolean } } {
  const reachable = new Set<string>();
  const plugin: Plugin = {
    name: 'parley:first-load-chunk',
    apply: 'build',
    buildStart() {
      reachable.clear();
    },
    buildEnd() {
      const start = [...this.getModuleIds()].find((id) => id === entry);
      if (!start) return;
      const queue = [start];
      while (queue.length > 0) {
        for (const imported of this.getModuleInfo(queue.pop()!)?.importedIds ?? []) {
          if (reachable.has(imported)) continue;
          reachable.add(imported);
          queue.push(imported);
        }
      }
    },
  };
  return { plugin, group: { name: 'first-load', test: (id) => reachable.has(id) } };
}

const firstLoad = firstLoadChunk(fileURLToPath(new URL('./src/main.tsx', import.meta.url)));

/**
 * The renderer build, shared by web mode (`npm run web`) and electron-vite (`npm start`). Each screen is a
 * chunk of its own (renderer/src/app/screens.tsx), so the first chunk stays small (test/unit/build/
 * renderer-bundle.test.ts holds it to 250 KB gzipped); minified in both builds (electron-vite would not).
 */
export const rendererConfig = {
  root,
  base: './',
  plugins: [react(), firstLoad.plugin],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    rolldownOptions: { output: { codeSplitting: { groups: [firstLoad.group] } } },
  },
};

/** Web mode's build: the same, with precompressed assets. */
export default defineConfig({
  ...rendererConfig,
  plugins: [...rendererConfig.plugins, precompress()],
  // Brotli at its best ratio takes most of this build's few seconds, by design (once per build, not per
  // request); rolldown's note about slow plugins would only repeat that on every build.
  build: { ...rendererConfig.build, rolldownOptions: { ...rendererConfig.build.rolldownOptions, checks: { pluginTimings: false } } },
});
