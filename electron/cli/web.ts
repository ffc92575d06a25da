/**
 * `npm run web -- [--port N] [--data-dir DIR] [--json]`: the core in this Node process, the renderer
 * served to a browser on 127.0.0.1. Launch URLs work once; a line on standard input prints a new one.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createCore } from '../core/host/core';
import { startWebHost } from '../web/host';
import { DEFAULT_SERVER_PORT } from '../core/server/settings';
import { serverReadyFields, serverSummary } from './ready-line';
import { REPO_ROOT, defaultDataDir, fail, givenPassphrase, onShutdown, packageVersion, parseCommandLine, parsePort, unlockWith } from './common';

const USAGE = `Usage: npm run web -- [--port N] [--server-port N] [--data-dir DIR] [--passphrase-file FILE | --passphrase-stdin] [--json]

  --port N         port of the web UI on 127.0.0.1 (default 0: any free port)
  --server-port N  port of the embedded authorization server for this launch (default: its saved port,
                   ${DEFAULT_SERVER_PORT} at first; 0 = any free port)
  --data-dir DIR   where Parley keeps its data (default: ${defaultDataDir('web')})
  --passphrase-file FILE  set up or unlock the vault with the passphrase in FILE (its first line; keep it chmod 600)
  --passphrase-stdin      the same, with the first line of standard input
  --json           print one JSON line when ready: {"url", "issuer", "management", "users", "dataDir", "vault"}

Each launch URL opens Parley once, in one browser tab. For another tab or browser, press Enter (any line
on standard input): a new URL is printed (with --json, as a line {"url": "…"}).

Environment: PARLEY_PASSPHRASE does what --passphrase-file does, but stays readable in /proc/<pid>/environ of
this process and of the shell that set it for as long as they run: prefer the file or standard input.
Requests to issuers honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY (this machine is never proxied unless
NO_PROXY holds <-loopback>) and NODE_EXTRA_CA_CERTS (a PEM file of CAs to trust, e.g. a TLS-inspecting proxy's).`;

async function main(): Promise<void> {
  const args = parseCommandLine(['server-port', 'passphrase-file'], USAGE, ['passphrase-stdin']);
  // Read before anything else starts, so PARLEY_PASSPHRASE is out of the environment of every child.
  const given = await givenPassphrase(args);
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
  if (given) {
    try {
      await unlockWith(core, given.passphrase);
    } catch (e) {
      fail(`${given.source} did not unlock the vault`, e);
    }
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
    process.stdout.write(`${JSON.stringify({ url: host.url, ...serverReadyFields(core.server), dataDir, vault: core.vault.status().state })}\n`);
  } else {
    const more = process.stdin.isTTY ? 'Press Enter for a new launch URL (another tab or browser), Ctrl+C to stop.' : 'Press Ctrl+C to stop.';
    console.log(
      `Parley ${core.info.version} (web mode)\n\n  Open:       ${host.url}\n${serverSummary(core.server)}\n  Data:       ${dataDir}\n\nThe URL works once, in one browser tab. ${more}`,
    );
  }
  printLaunchUrlsOnDemand(() => host.newLaunchUrl(), args.json);
}

/**
 * Prints a new launch URL for every line read on standard input: Enter in a terminal, a written line for
 * a program (a signal would not work on Windows). At end of input, Parley keeps running.
 */
function printLaunchUrlsOnDemand(newLaunchUrl: () => string, json: boolean): void {
  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', () => {
    const url = newLaunchUrl();
    if (json) process.stdout.write(`${JSON.stringify({ url })}\n`);
    else console.log(`  Open:       ${url}`);
  });
  // A closed or missing standard input only means no more links are asked for.
  process.stdin.on('error', () => lines.close());
}

void main();
