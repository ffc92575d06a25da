/**
 * Entry point of the Electron main process (built to out/main/index.js, ESM). It only composes:
 * the lifecycle is in shell.ts, each concern in its own module.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { startShell } from './shell';
import { electronStoreFactory } from './store-factory';

startShell({
  mainDir: dirname(fileURLToPath(import.meta.url)),
  env: process.env,
  platform: process.platform,
  storeFactory: electronStoreFactory,
}).catch((e: unknown) => {
  console.error('[parley] the shell failed to start:', e);
  app.exit(1);
});
