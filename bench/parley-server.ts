/**
 * The benchmark's Parley: the headless embedded server exactly as `npm run server` starts it
 * (EmbeddedServer over a data directory, profile auth0, traces on), in its own process so that its CPU and
 * memory are its own. The one difference is `rateLimits: false` (AuthServerOptions), which lifts PAR-19's
 * per-client window so that one client can push thousands of requests a second; every other rule applies.
 *
 * Started by bench/run.ts with an IPC channel (bench/child.ts). `setup` creates the clients through the
 * directory with the same Auth0 JSON bodies the Management API takes, and a client grant for the API.
 * Authorization codes are not minted here: bench/run.ts gets them through the real /authorize flow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../electron/core/events';
import { EmbeddedServer } from '../electron/core/server/embedded';
import { confStoreFactory } from '../electron/core/store/document-store';
import { send, serve } from './child';

/** What the parent asks for. */
export interface ParleySetup {
  callback: string;
  api: string;
  apiScope: string;
  /** The SPKI PEMs of the private_key_jwt and signed_request_object credentials. */
  pkjPem: string;
  jarPem: string;
}

/** What the parent gets back. */
export interface ParleyClients {
  /** private_key_jwt + JAR client. */
  pkj: { client_id: string; pkjKid: string; jarKid: string };
  /** client_secret_post client. */
  secret: { client_id: string; client_secret: string };
  user: { email: string; password: string };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const server = new EmbeddedServer({
    store: confStoreFactory(dataDir),
    notices: [],
    events: new EventBus(),
    port: 0,
    rateLimits: false,
    log: (m) => console.error(m),
  });
  const status = await server.start();
  if (!status.running || !status.issuer) throw new Error(status.error ?? 'Parley did not start');
  const directory = server.directory;
  let stopped = false;

  serve({
    async setup(raw) {
      const p = raw as ParleySetup;
      const grants = ['authorization_code', 'client_credentials'];
      const pkj = (await directory.createClient({
        name: 'bench private_key_jwt + JAR',
        app_type: 'regular_web',
        callbacks: [p.callback],
        grant_types: grants,
        client_authentication_methods: {
          private_key_jwt: { credentials: [{ name: 'bench pkj', credential_type: 'public_key', pem: p.pkjPem, alg: 'RS256' }] },
        },
        signed_request_object: { credentials: [{ name: 'bench jar', credential_type: 'public_key', pem: p.jarPem, alg: 'RS256' }] },
      })) as unknown as { client_id: string };
      const secret = (await directory.createClient({
        name: 'bench client_secret_post',
        app_type: 'regular_web',
        callbacks: [p.callback],
        grant_types: grants,
        token_endpoint_auth_method: 'client_secret_post',
      })) as unknown as { client_id: string; client_secret: string };
      await directory.createClientGrant({ client_id: pkj.client_id, audience: p.api, scope: [p.apiScope] });
      const kidOf = (slot: 'private_key_jwt' | 'signed_request_object') => directory.slotCredentials(pkj.client_id, slot)[0]!.kid;
      const user = directory.bootstrapInfo().users[0]!;
      const clients: ParleyClients = {
        pkj: { client_id: pkj.client_id, pkjKid: kidOf('private_key_jwt'), jarKid: kidOf('signed_request_object') },
        secret: { client_id: secret.client_id, client_secret: secret.client_secret },
        user: { email: user.email, password: user.password },
      };
      return clients;
    },
    sizes() {
      const running = server.running;
      if (!running) return {};
      const endpoints = running.ctx.endpointState;
      return {
        ...running.ctx.memory.sizes(),
        sessions: endpoints.sessions.size,
        transactions: endpoints.transactions.size,
        parWindows: endpoints.parWindows.size,
        traces: running.ctx.traces.size,
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
  send({ type: 'ready', issuer: status.issuer, pid: process.pid });
}

main().catch((e: unknown) => {
  console.error('[bench] Parley failed to start:', e);
  process.exit(1);
});
