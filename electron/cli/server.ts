/**
 * `npm run server -- [--port N] [--data-dir DIR] [--profile auth0|strict] [--json]`: the embedded
 * Auth0-compatible authorization server alone, headless — a local stand-in for Auth0 in integration tests.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StoreNotice } from '../../shared/ipc/contract';
import { EventBus } from '../core/events';
import { EmbeddedServer } from '../core/server/embedded';
import { DEFAULT_SERVER_PORT } from '../core/server/settings';
import { confStoreFactory } from '../core/store/document-store';
import { defaultDataDir, fail, onShutdown, parseCommandLine, parsePort } from './common';
import { serverReadyFields, serverSummary } from './ready-line';

const USAGE = `Usage: npm run server -- [--port N] [--data-dir DIR] [--profile auth0|strict] [--json]

  --port N            port on 127.0.0.1 (default: the saved port, ${DEFAULT_SERVER_PORT} at first; 0 = any free port)
  --data-dir DIR      where clients, credentials and users are kept (default: ${defaultDataDir('server')})
  --profile P         auth0 (default: Auth0's behaviour) or strict (RFC 9101 / RFC 9126 / FAPI 2.0)
  --json              print one JSON line when ready: {"issuer", "management": {client_id, client_secret, audience}, "users"}`;

async function main(): Promise<void> {
  const args = parseCommandLine(['profile'], USAGE);
  const profile = args.profile;
  if (profile !== undefined && profile !== 'auth0' && profile !== 'strict') fail(`--profile must be auth0 or strict, not ${JSON.stringify(profile)}`);
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir('server'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const notices: StoreNotice[] = [];
  const events = new EventBus();
  let server: EmbeddedServer;
  try {
    server = new EmbeddedServer({
      store: confStoreFactory(dataDir),
      notices,
      events,
      ...(args.port === undefined ? {} : { port: parsePort(args.port, DEFAULT_SERVER_PORT) }),
      ...(profile ? { settings: { profile } } : {}),
    });
  } catch (e) {
    fail(`could not open the data directory ${dataDir}`, e);
  }
  for (const notice of notices) console.error(`parley: warning: ${notice.file} could not be read (${notice.reason}); it was moved to ${notice.movedTo}.`);
  const status = await server.start();
  if (!status.running) fail(status.error ?? 'the server did not start');
  onShutdown(() => server.stop());

  const fields = serverReadyFields(server);
  if (args.json) process.stdout.write(`${JSON.stringify({ ...fields, dataDir })}\n`);
  else console.log(`Parley authorization server (headless)\n\n${serverSummary(server)}\n  Data:       ${dataDir}\n\nPress Ctrl+C to stop.`);
}

void main();
