/**
 * `npm run web -- [--port N] [--data-dir DIR] [--json]`: the core in this Node process, the renderer
 * served to a browser on 127.0.0.1 behind a per-launch token.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createCore } from '../core/host/core';
import { startWebHost } from '../web/host';
import { DEFAULT_SERVER_PORT } from '../core/server/settings';
import { serverReadyFields, serverSummary } from './ready-line';
import { REPO_ROOT, defaultDataDir, fail, onShutdown, packageVersion, parseCommandLine, parsePort, unlockFromEnvironment } from './common';

const USAGE = `Usage: npm run web -- [--port N] [--server-port N] [--data-dir DIR] [--json]

  --port N         port of the web UI on 127.0.0.1 (default 0: any free port)
  --server-port N  port of the embedded authorization server for this launch (default: its saved port,
                   ${DEFAULT_SERVER_PORT} at first; 0 = any free port)
  --data-dir DIR   where Parley keeps its data (default: ${defaultDataDir('web')})
  --json           print one JSON line when ready: {"url", "issuer", "management", "users", "dataDir"}

Environment: PARLEY_PASSPHRASE sets up or unlocks the vault without the UI (automation).`;

async function main(): Promise<void> {
  const args = parseCommandLine(['server-port'], USAGE);
  const port = parsePort(args.port, 0);
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir('web'));
  const rendererDir = fileURLToPath(new URL('out/renderer/', REPO_ROOT));
  if (!existsSync(rendererDir)) fail('the renderer is not built. Run: npm run build:renderer (npm run web does this for you)');

  let core;
  try {
    const serverPort = args['server-port'] === undefined ? undefined : parsePort(args['server-port'], DEFAULT_SERVER_PORT);
    core = await createCore({ dataDir, mode: 'web', version: packageVersion(), server: serverPort === undefined ? {} : { port: serverPort } });
  } catch (e) {
    fail(`could not open the data directory ${dataDir}`, e);
  }
  try {
    await unlockFromEnvironment(core);
  } catch (e) {
    fail('PARLEY_PASSPHRASE did not unlock the vault', e);
  }
  for (const notice of core.vault.status().notices) {
    console.error(`parley: warning: ${notice.file} could not be read (${notice.reason}); it was moved to ${notice.movedTo}.`);
  }

  let host;
  try {
    host = await startWebHost({ core, port, rendererDir });
  } catch (e) {
    fail(`could not start the web host on 127.0.0.1:${port}`, e);
  }
  onShutdown(async () => {
    await host.close();
    await core.close();
  });

  if (args.json) {
    process.stdout.write(`${JSON.stringify({ url: host.url, ...serverReadyFields(core.server), dataDir })}\n`);
  } else {
    console.log(
      `Parley ${core.info.version} (web mode)\n\n  Open:       ${host.url}\n${serverSummary(core.server)}\n  Data:       ${dataDir}\n\nThe URL carries a token for this launch only. Press Ctrl+C to stop.`,
    );
  }
}

void main();
