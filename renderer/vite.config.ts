import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// This build config runs in Node, not in the renderer; the renderer's no-Node-built-ins rule does not apply here.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The renderer build, shared by web mode (`npm run web`) and electron-vite (`npm start`). */
export const rendererConfig = {
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
};

export default defineConfig(rendererConfig);
