/**
 * The embedded server over https (issue #15): the same server with issuer `https://127.0.0.1:PORT/`, the
 * Management API's audience under it, a certificate from the data directory's local CA. Driven by real
 * clients: openid-client (which refuses plain http unless told otherwise) in a child Node trusting the CA
 * through NODE_EXTRA_CA_CERTS, and undici with the CA as its `ca` option. A client without the CA gets a TLS
 * error, plain http on that port serves nothing, and a CA that cannot be read stops the start before listening.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../../../../electron/core/events';
import { EmbeddedServer } from '../../../../../../electron/core/server/embedded';
import { confStoreFactory } from '../../../../../../electron/core/store/document-store';
import { Browser } from '../../../../../helpers/browser';
import { hiddenFields } from '../endpoints/helpers';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'parley-https-'));
const servers: EmbeddedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(root, { recursive: true, force: true });
});

function embedded(dataDir: string, launch: { https?: boolean } = {}): EmbeddedServer {
  mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedServer({
    store: confStoreFactory(dataDir),
    notices: [],
    events: new EventBus(),
    port: 0,
    dataDir,
    launchSettings: launch,
    log: () => {},
  });
  servers.push(server);
  return server;
}

const CALLBACK = 'https://app.example.com/callback';
let server: EmbeddedServer;
let issuer: string;
let caFile: string;
let trusted: (url: string, init: RequestInit) => Promise<Response>;

beforeAll(async () => {
  server = embedded(join(root, 'main'), { https: true });
  const status = await server.start();
  expect(status.running, status.error ?? '').toBe(true);
  issuer = status.issuer!;
  caFile = status.tls!.caFile;
  const agent = new Agent({ connect: { ca: readFileSync(caFile, 'utf8') } });
  trusted = async (url, init) => (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response;
});

describe('HTTPS › the issuer and the URLs built from it', () => {
  it('serves https://127.0.0.1:PORT/ with the Management API audience under it, and says where the CA is', () => {
    expect(issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const status = server.status();
    expect(status.management?.audience).toBe(`${issuer}api/v2/`);
    expect(caFile).toBe(join(root, 'main', 'tls', 'ca.pem'));
  });

  it('publishes https endpoints in discovery', async () => {
    const doc = (await (await trusted(`${issuer}.well-known/openid-configuration`, {})).json()) as Record<string, string>;
    expect(doc['issuer']).toBe(issuer);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'pushed_authorization_request_endpoint', 'end_session_endpoint']) {
      expect(doc[key], key).toMatch(new RegExp(`^${issuer.replace(/[.]/g, '\\.')}`));
    }
  });
});

describe('HTTPS › real clients', () => {
  it('openid-client in a child Node trusting the CA through NODE_EXTRA_CA_CERTS: discovery, then a Management API token', async () => {
    const info = server.directory.bootstrapInfo();
    const script = `
      import * as client from 'openid-client';
      const [issuer, id, secret, audience] = process.argv.slice(1);
      const config = await client.discovery(new URL(issuer), id, secret);
      const tokens = await client.clientCredentialsGrant(config, { audience });
      const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString());
      const list = await fetch(issuer + 'api/v2/clients', { headers: { authorization: 'Bearer ' + tokens.access_token } });
      console.log(JSON.stringify({ iss: payload.iss, aud: payload.aud, list: list.status }));
    `;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, issuer, info.management.client_id, info.management.client_secret, `${issuer}api/v2/`],
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      },
    );
    expect(JSON.parse(stdout)).toEqual({ iss: issuer, aud: `${issuer}api/v2/`, list: 200 });
  });

  it('a client that does not trust the CA gets a TLS error, and plain http on the port serves nothing', async () => {
    const error = await fetch(`${issuer}.well-known/openid-configuration`).then(
      () => undefined,
      (e: unknown) => e as { cause?: { code?: string } },
    );
    expect(error?.cause?.code).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
    const plain = await fetch(`${issuer.replace('https:', 'http:')}.well-known/openid-configuration`).then(
      (r) => r.status,
      () => 'failed',
    );
    expect(plain).not.toBe(200);
  });

  it('a child Node without the CA fails the same discovery with a certificate error', async () => {
    const script = `await fetch(process.argv[1] + '.well-known/openid-configuration').then(() => console.log('ok'), (e) => console.log(e.cause?.code ?? e.message));`;
    const env = { ...process.env };
    delete env['NODE_EXTRA_CA_CERTS'];
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, issuer], { env });
    expect(stdout.trim()).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });
});

describe('HTTPS › the sign-in pages', () => {
  it('sets Secure cookies and takes the form from https://127.0.0.1:PORT (SES-6), not from the http origin', async () => {
    const created = (await server.directory.createClient({
      name: 'Web',
      app_type: 'regular_web',
      callbacks: [CALLBACK],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
    })) as unknown as { client_id: string };
    const open = async () => {
      const browser = new Browser(trusted);
      const start = await browser.fetch(
        `${issuer}authorize?${new URLSearchParams({ client_id: created.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's', prompt: 'login' })}`,
      );
      expect(start.status).toBe(302);
      const cookie = start.headers.getSetCookie().find((c) => c.startsWith('parley_tx='));
      const page = await browser.fetch(new URL(start.headers.get('location')!, issuer).href);
      return { browser, cookie, fields: hiddenFields(await page.text()) };
    };
    const user = server.directory.bootstrapInfo().users[0]!;
    const post = (b: Browser, fields: Record<string, string>, origin: string) =>
      b.fetch(`${issuer}u/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams({ ...fields, email: user.email, password: user.password }),
      });

    const first = await open();
    expect(first.cookie).toMatch(/; Secure/i);
    const refused = await post(first.browser, first.fields, issuer.replace('https:', 'http:').slice(0, -1));
    expect(refused.status).toBe(403);

    const second = await open();
    const accepted = await post(second.browser, second.fields, issuer.slice(0, -1));
    expect([302, 303]).toContain(accepted.status);
    expect(accepted.headers.getSetCookie().find((c) => c.startsWith('parley_session='))).toMatch(/; Secure/i);
  });
});

describe('HTTPS › start-up', () => {
  it('a CA file that cannot be read is a clear error before anything listens', async () => {
    const dir = join(root, 'corrupt');
    const first = embedded(dir, { https: true });
    expect((await first.start()).running).toBe(true);
    await first.stop();
    writeFileSync(join(dir, 'tls', 'ca.pem'), 'not a certificate');
    const again = embedded(dir, { https: true });
    const status = await again.start();
    expect(status.running).toBe(false);
    expect(status.port).toBeNull();
    expect(status.error).toMatch(/local CA certificate .*ca\.pem could not be read/);
  });

  it('serves plain http by default, with no CA created', async () => {
    const dir = join(root, 'plain');
    const plain = embedded(dir);
    const status = await plain.start();
    expect(status.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(status.tls).toBeNull();
    expect(existsSync(join(dir, 'tls'))).toBe(false);
    expect((await fetch(`${status.issuer}.well-known/openid-configuration`)).status).toBe(200);
  });

  it('remembers the Server screen switch (saved https) and applies it on restart', async () => {
    const dir = join(root, 'switch');
    const s = embedded(dir);
    expect((await s.start()).issuer).toMatch(/^http:/);
    s.updateSettings({ https: true });
    expect(s.status().issuer).toMatch(/^http:/); // like the port: applied by a restart
    const restarted = await s.restart();
    expect(restarted.issuer).toMatch(/^https:/);
    expect(JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')).settings.https).toBe(true);
  });
});
