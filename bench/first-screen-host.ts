/**
 * Web mode for bench/first-screen.ts, in a process of its own as `npm run web` runs it (the core and the web
 * host together, apart from the browser's driver): `first-screen-host.ts <rendererDir> <dataDir>` prints
 * `{"url"}` when ready, then one `{"url"}` (a new launch URL) for each line on its standard input, and stops
 * when its standard input closes.
 */
import { createInterface } from 'node:readline';
import { createCore } from '../electron/core/host/core';
import { startWebHost } from '../electron/web/host';

const [rendererDir, dataDir] = process.argv.slice(2);
if (!rendererDir || !dataDir) throw new Error('usage: first-screen-host.ts <rendererDir> <dataDir>');
const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-bench', server: { port: 0 } });
const host = await startWebHost({ core, port: 0, rendererDir });
process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', () => process.stdout.write(`${JSON.stringify({ url: host.newLaunchUrl() })}\n`));
lines.on('close', () => {
  void host.close().then(() => core.close());
});
