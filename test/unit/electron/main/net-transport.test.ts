/**
 * The app's network path: the shell hands the core Chromium's network stack (`net.request`, so the
 * system proxy and the OS certificate store apply), still under the request policy; its failures are
 * named; a target with an extra CA goes through Node's stack instead (Chromium takes no CA per request).
 * Electron's `net` is the fake's, which carries each request out with Node's fetch and reports failures
 * as Chromium's `net::ERR_…` errors, as Electron does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron';
import type { FakeClientRequest } from './fake-electron';
import { opChannel } from '../../../../shared/ipc/bridge';
import type { OpName } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { chromiumFetch, describeChromiumFailure } from '../../../../electron/core/http/chromium-transport';
import { withRequestPolicy } from '../../../../electron/core/http/request-policy';
import type { TestCa, TlsIssuer } from '../core/http/support';
import { closedPort, testCa, tlsIssuer } from '../core/http/support';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { startShell } = await import('../../../../electron/main/shell');
const { confStoreFactory } = await import('../../../../electron/core/store/document-store');

type Shell = NonNullable<Awaited<ReturnType<typeof startShell>>>;

let dir: string;
let started: Shell | undefined;
let devCa: TestCa;
let dev: TlsIssuer;
let hops: Server;
let hopsBase: string;

beforeAll(async () => {
  devCa = await testCa('Parley Dev CA');
  dev = await tlsIssuer(await devCa.issue({ names: ['127.0.0.1'] }), (port) => `https://127.0.0.1:${port}/`);
  hops = createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/here' }).end();
    else if (req.url === '/post' && req.method === 'POST') res.writeHead(303, { location: '/elsewhere' }).end();
    else if (req.url === '/here') res.writeHead(200, { 'content-type': 'application/json' }).end('{"arrived":true}');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => hops.listen(0, '127.0.0.1', r));
  hopsBase = `http://127.0.0.1:${(hops.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await dev.close();
  await new Promise((r) => hops.close(r));
});

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'parley-net-shell-'));
  started = undefined;
});

afterEach(async () => {
  await started?.core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<Shell> {
  const shell = await startShell({
    mainDir: '/opt/parley/out/main',
    env: { PARLEY_DATA_DIR: join(dir, 'data') },
    platform: 'linux',
    storeFactory: confStoreFactory,
  });
  if (shell === undefined) throw new Error('the shell did not start');
  started = shell;
  return shell;
}

function fromWindow(shell: Shell, name: OpName, input: unknown = {}): Promise<Result<unknown>> {
  const contents = (shell.mainWindow() as unknown as InstanceType<typeof fake.BrowserWindow>).webContents;
  const handler = fake.ipcMain.handlers.get(opChannel(name));
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return handler({ sender: contents, senderFrame: contents.mainFrame }, input) as Promise<Result<unknown>>;
}

const urls = (requests: FakeClientRequest[]): string[] => requests.map((r) => String(r.options['url']));

describe('Electron shell › the core’s HTTP goes through Chromium’s network stack', () => {
  it('Check issuer, a flow’s discovery and token requests and jwt.verify’s keys are fetched with net.request, without cookies or cache', async () => {
    const shell = await boot();
    const issuer = shell.core.server.running!.urls.issuer;
    expect(await fromWindow(shell, 'flows.discover', { issuer })).toMatchObject({ ok: true, value: { issuer } });
    expect(urls(fake.net.requests)).toEqual([`${issuer}.well-known/openid-configuration`]);
    expect(fake.net.requests[0]!.options).toMatchObject({ method: 'GET', redirect: 'manual', useSessionCookies: false, cache: 'no-store' });

    const begun = (await fromWindow(shell, 'flows.start', { targetId: 'embedded', kind: 'client_credentials' })) as Result<FlowRun>;
    if (!begun.ok) throw new Error(begun.error.message);
    const run = await shell.core.flows.settled(begun.value.id);
    expect(run.status).toBe('succeeded');
    expect(urls(fake.net.requests).slice(1)).toEqual([`${issuer}.well-known/openid-configuration`, `${issuer}oauth/token`]);
    expect(fake.net.requests[2]!.options).toMatchObject({ method: 'POST' });

    // jwt.verify's remote keys too (the token's signature is junk: the key fetch is what is watched here).
    await fromWindow(shell, 'jwt.verify', {
      token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      source: { kind: 'jwksUrl', url: `${issuer}.well-known/jwks.json` },
    });
    expect(urls(fake.net.requests).slice(3)).toEqual([`${issuer}.well-known/jwks.json`]);
  });

  it('a failure is named from Chromium’s error: a refused connection, an unknown CA with the certificate’s subject and issuer', async () => {
    const shell = await boot();
    const port = await closedPort();
    const refused = await fromWindow(shell, 'flows.discover', { issuer: `http://127.0.0.1:${port}/` });
    expect(refused).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining(`127.0.0.1:${port} is unreachable: the connection was refused (net::ERR_CONNECTION_REFUSED)`) },
    });
    const untrusted = await fromWindow(shell, 'flows.discover', { issuer: `https://127.0.0.1:${dev.port}/` });
    expect(untrusted).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /its certificate \(subject CN=127\.0\.0\.1\) was issued by CN=Parley Dev CA, O=Parley tests, a certificate authority this machine does not trust \(net::ERR_CERT_AUTHORITY_INVALID\)/,
        ),
      },
    });
  });

  it('a target’s extra CA is trusted through Node’s stack (Chromium takes no CA per request): no net.request for it', async () => {
    const shell = await boot();
    const issuer = `https://127.0.0.1:${dev.port}/`;
    expect(await fromWindow(shell, 'flows.discover', { issuer, extraCa: devCa.pem })).toMatchObject({ ok: true, value: { issuer } });
    expect(urls(fake.net.requests)).toEqual([]);
  });
});

describe('Chromium transport › redirects and proxy failures', () => {
  it('a redirect is answered to the request policy, which checks it and follows it with a new request; a POST’s is returned', async () => {
    const policed = withRequestPolicy(chromiumFetch({ request: (o) => fake.net.request(o as unknown as Record<string, unknown>) }));
    const followed = await policed(`${hopsBase}/moved`, { method: 'GET', redirect: 'follow' });
    expect(await followed.json()).toEqual({ arrived: true });
    expect(urls(fake.net.requests)).toEqual([`${hopsBase}/moved`, `${hopsBase}/here`]);
    // Electron's own net.fetch would reject here ("Redirect was cancelled"); the 303 is the answer.
    const posted = await policed(`${hopsBase}/post`, {
      method: 'POST',
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/elsewhere');
    expect(fake.net.requests[2]!.chunks.join('')).toBe('a=b');
  });

  it('proxy failures name the proxy the session resolved, and a password request says Parley cannot answer it', async () => {
    const url = new URL('https://login.example.com/.well-known/openid-configuration');
    const resolveProxy = async (): Promise<string> => 'PROXY 127.0.0.1:3128; DIRECT';
    const refused = await describeChromiumFailure(new Error('net::ERR_PROXY_CONNECTION_FAILED'), url, resolveProxy);
    expect((refused as Error).message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:3128 refused the connection/);
    const auth = await describeChromiumFailure(new Error('net::ERR_PROXY_AUTH_REQUESTED'), url, resolveProxy);
    expect((auth as Error).message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:3128 requires authentication \(HTTP 407\).*does not ask for proxy passwords/);
    const tunnel = await describeChromiumFailure(new Error('net::ERR_TUNNEL_CONNECTION_FAILED'), url, resolveProxy);
    expect((tunnel as Error).message).toMatch(/The proxy http:\/\/127\.0\.0\.1:3128 did not connect to login\.example\.com/);
    // An abort is not a network failure: it is passed on as it came.
    const abort = new DOMException('aborted', 'AbortError');
    expect(await describeChromiumFailure(abort, url, resolveProxy)).toBe(abort);
  });
});
