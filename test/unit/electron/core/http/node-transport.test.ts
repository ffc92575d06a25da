/**
 * Web mode's and headless mode's network path (electron/core/http/node-transport.ts), through the real
 * core: HTTPS_PROXY / NO_PROXY against a real forward proxy, loopback never proxied unless asked, a target's
 * extra CA trusted for its discovery and token requests, and failures named (proxy refused, proxy wants a
 * password, unknown CA with the certificate's subject and issuer, expired, wrong host name).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../../../electron/core/host/core';
import type { Core } from '../../../../../electron/core/host/core';
import { proxyFor, proxySettingsFrom } from '../../../../../electron/core/http/node-transport';
import type { FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import type { ForwardProxy, TestCa, TlsIssuer } from './support';
import { closedPort, forwardProxy, testCa, tlsIssuer } from './support';

const dirs: string[] = [];
const cores: Core[] = [];
let devCa: TestCa;
/** Serves https://127.0.0.1:PORT/ with a certificate from devCa. */
let local: TlsIssuer;
/** Serves as https://issuer.parley.test:8443/ (reached only through a proxy routing to it). */
let remote: TlsIssuer;
const REMOTE = 'https://issuer.parley.test:8443/';

beforeAll(async () => {
  devCa = await testCa('Parley Dev CA');
  local = await tlsIssuer(await devCa.issue({ names: ['127.0.0.1'] }), (port) => `https://127.0.0.1:${port}/`);
  remote = await tlsIssuer(await devCa.issue({ names: ['issuer.parley.test'] }), () => REMOTE);
});

afterAll(async () => {
  for (const core of cores) await core.close();
  await local.close();
  await remote.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A core whose network variables are `env` (nothing else of the test process's). */
async function core(env: NodeJS.ProcessEnv = {}): Promise<{
  core: Core;
  call: <T>(name: string, input?: unknown) => Promise<T>;
  fail: (name: string, input?: unknown) => Promise<{ code: string; message: string }>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-net-'));
  dirs.push(dir);
  const created = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, log: () => {}, networkEnv: env });
  cores.push(created);
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const result = await created.dispatch(name, input);
    if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code} ${result.error.message}`), result.error);
    return result.value as T;
  };
  const fail = async (name: string, input: unknown = {}): Promise<{ code: string; message: string }> => {
    const result = await created.dispatch(name, input);
    if (result.ok) throw new Error(`${name} succeeded`);
    return result.error;
  };
  await call('vault.setup', { passphrase: 'correct horse battery staple' });
  return { core: created, call, fail };
}

function target(id: string, issuer: string, extraCa?: string): FlowTarget {
  return {
    id,
    name: id,
    issuer,
    client_id: 'machine',
    auth: { method: 'client_secret_post', hasSecret: false },
    redirect_uri: 'http://127.0.0.1:53999/callback',
    scope: '',
    embedded: false,
    ...(extraCa ? { extraCa } : {}),
  };
}

function discoverStep(run: FlowRun): FlowRun['steps'][number] {
  const step = run.steps.find((s) => s.name === 'discover');
  if (!step) throw new Error('no discover step');
  return step;
}

async function runFlow(c: Awaited<ReturnType<typeof core>>, t: FlowTarget): Promise<FlowRun> {
  await c.call('flows.saveTarget', { target: t, secret: 'machine-secret' });
  const started = await c.call<FlowRun>('flows.start', { targetId: t.id, kind: 'client_credentials' });
  return c.core.flows.settled(started.id);
}

describe('Node transport › a target’s extra CA', () => {
  it('without it, a development issuer’s certificate is refused, the error naming its subject and issuer', async () => {
    const c = await core();
    const run = await runFlow(c, target('no-ca', `https://127.0.0.1:${local.port}/`));
    expect(discoverStep(run).error?.code).toBe('tls_failure');
    expect(discoverStep(run).error?.message).toMatch(
      /TLS connection to 127\.0\.0\.1:\d+ failed: its certificate \(subject CN=127\.0\.0\.1\) was issued by CN=Parley Dev CA, O=Parley tests, a certificate authority this machine does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
  });

  it('with it, the flow’s discovery and token requests succeed, and Check issuer with the CA typed in the dialog too', async () => {
    const c = await core();
    const issuer = `https://127.0.0.1:${local.port}/`;
    const before = local.paths.length;
    const run = await runFlow(c, target('with-ca', issuer, devCa.pem));
    expect(discoverStep(run).status).toBe('ok');
    expect(run.steps.find((s) => s.name === 'exchange')?.status).toBe('ok');
    expect(local.paths.slice(before)).toEqual(['/.well-known/openid-configuration', '/oauth/token']);
    expect(await c.call('flows.discover', { issuer, extraCa: devCa.pem })).toMatchObject({ issuer });
    expect((await c.fail('flows.discover', { issuer })).message).toMatch(/CN=Parley Dev CA/);
  });

  it('a CA that is not a certificate is refused when the target is saved, naming the problem', async () => {
    const c = await core();
    const damaged = devCa.pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const error = await c.fail('flows.saveTarget', { target: target('bad-ca', `https://127.0.0.1:${local.port}/`, damaged) });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/extra CA certificate could not be read as an X\.509 certificate|not a PEM certificate/);
    const notPem = await c.fail('flows.saveTarget', { target: target('bad-ca', `https://127.0.0.1:${local.port}/`, 'hello') });
    expect(notPem.message).toMatch(/not a PEM certificate/);
  });
});

describe('Node transport › certificate failures are named', () => {
  it('an expired certificate says when it expired', async () => {
    const expired = await tlsIssuer(
      await devCa.issue({ names: ['127.0.0.1'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }),
      (port) => `https://127.0.0.1:${port}/`,
    );
    try {
      const c = await core();
      const error = await c.fail('flows.discover', { issuer: `https://127.0.0.1:${expired.port}/`, extraCa: devCa.pem });
      expect(error.message).toMatch(
        /its certificate \(subject CN=127\.0\.0\.1, issued by CN=Parley Dev CA, O=Parley tests\) expired on 2021-01-01T00:00:00\.000Z \(CERT_HAS_EXPIRED\)/,
      );
    } finally {
      await expired.close();
    }
  });

  it('a certificate for another host name says which names it holds', async () => {
    const other = await tlsIssuer(await devCa.issue({ names: ['other.example'] }), (port) => `https://127.0.0.1:${port}/`);
    try {
      const c = await core();
      const error = await c.fail('flows.discover', { issuer: `https://127.0.0.1:${other.port}/`, extraCa: devCa.pem });
      expect(error.message).toMatch(/its certificate does not name 127\.0\.0\.1 \(it names DNS:other\.example\) \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    } finally {
      await other.close();
    }
  });
});

describe('Node transport › proxies (HTTPS_PROXY, NO_PROXY)', () => {
  let proxy: ForwardProxy;
  beforeAll(async () => {
    proxy = await forwardProxy({ routeTo: remote.port });
  });
  afterAll(() => proxy.close());

  it('with HTTPS_PROXY set, a flow against an https issuer goes through the proxy (its CA trusted inside the tunnel)', async () => {
    const c = await core({ HTTPS_PROXY: proxy.url });
    const before = { tunnels: proxy.tunnels.length, paths: remote.paths.length };
    const run = await runFlow(c, target('proxied', REMOTE, devCa.pem));
    expect(discoverStep(run).status).toBe('ok');
    expect(run.steps.find((s) => s.name === 'exchange')?.status).toBe('ok');
    expect(proxy.tunnels.slice(before.tunnels)).toContain('issuer.parley.test:8443');
    expect(remote.paths.slice(before.paths)).toEqual(['/.well-known/openid-configuration', '/oauth/token']);
  });

  it('through the proxy, an unknown CA is named from the certificate the tunnel shows', async () => {
    const c = await core({ https_proxy: proxy.url });
    const error = await c.fail('flows.discover', { issuer: REMOTE });
    expect(error.message).toMatch(
      /TLS connection to issuer\.parley\.test:8443 failed: its certificate \(subject CN=issuer\.parley\.test\) was issued by CN=Parley Dev CA, O=Parley tests/,
    );
  });

  it('loopback is never sent to the proxy, unless NO_PROXY asks for it with <-loopback>; NO_PROXY exempts what it lists', async () => {
    const toLocal = await forwardProxy({ routeTo: local.port });
    try {
      const issuer = `https://127.0.0.1:${local.port}/`;
      const direct = await core({ HTTPS_PROXY: toLocal.url });
      expect(await direct.call('flows.discover', { issuer, extraCa: devCa.pem })).toMatchObject({ issuer });
      expect(toLocal.tunnels).toEqual([]);

      const proxied = await core({ HTTPS_PROXY: toLocal.url, NO_PROXY: '<-loopback>' });
      expect(await proxied.call('flows.discover', { issuer, extraCa: devCa.pem })).toMatchObject({ issuer });
      expect(toLocal.tunnels).toEqual([`127.0.0.1:${local.port}`]);

      const exempted = await core({ HTTPS_PROXY: toLocal.url, NO_PROXY: `<-loopback>, 127.0.0.1:${local.port}` });
      expect(await exempted.call('flows.discover', { issuer, extraCa: devCa.pem })).toMatchObject({ issuer });
      expect(toLocal.tunnels).toHaveLength(1);
    } finally {
      await toLocal.close();
    }
  });

  it('NO_PROXY follows curl’s rules: a host, a domain suffix, a port, or *', () => {
    const settings = proxySettingsFrom({ HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: '.internal.example, idp.example:8443' });
    expect(settings.httpsProxy?.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor(new URL('https://login.example/'), settings)?.host).toBe('proxy.corp:3128');
    expect(proxyFor(new URL('https://a.internal.example/'), settings)).toBeUndefined();
    expect(proxyFor(new URL('https://internal.example/'), settings)).toBeUndefined();
    expect(proxyFor(new URL('https://idp.example:8443/'), settings)).toBeUndefined();
    expect(proxyFor(new URL('https://idp.example/'), settings)?.host).toBe('proxy.corp:3128');
    expect(proxyFor(new URL('https://localhost:9/'), settings)).toBeUndefined();
    expect(proxyFor(new URL('https://login.example/'), proxySettingsFrom({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }))).toBeUndefined();
    // http URLs use HTTP_PROXY only; https falls back to HTTP_PROXY when HTTPS_PROXY is not set.
    expect(proxyFor(new URL('https://login.example/'), proxySettingsFrom({ HTTP_PROXY: 'http://p:1' }))?.host).toBe('p:1');
  });

  it('a proxy that refuses the connection is named', async () => {
    const port = await closedPort();
    const c = await core({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
    const run = await runFlow(c, target('refused', REMOTE, devCa.pem));
    expect(discoverStep(run).error).toEqual({
      code: 'issuer_unreachable',
      message: expect.stringContaining(`The proxy http://127.0.0.1:${port} refused the connection`),
    });
  });

  it('a proxy that wants a password says so (407); with the password in HTTPS_PROXY the request goes through', async () => {
    const guarded = await forwardProxy({ routeTo: remote.port, password: { user: 'ada', password: 's3cret' } });
    try {
      const without = await core({ HTTPS_PROXY: guarded.url });
      const error = await without.fail('flows.discover', { issuer: REMOTE, extraCa: devCa.pem });
      expect(error.message).toMatch(new RegExp(`The proxy http://127\\.0\\.0\\.1:${guarded.port} requires authentication \\(HTTP 407\\)`));
      const withPassword = await core({ HTTPS_PROXY: `http://ada:s3cret@127.0.0.1:${guarded.port}` });
      expect(await withPassword.call('flows.discover', { issuer: REMOTE, extraCa: devCa.pem })).toMatchObject({ issuer: REMOTE });
      // The message never repeats the password.
      expect(error.message).not.toContain('s3cret');
    } finally {
      await guarded.close();
    }
  });

  it('a proxy variable that is not a URL is named on use, and Parley still starts', async () => {
    const c = await core({ HTTPS_PROXY: 'http://[not a host' });
    expect((await c.fail('flows.discover', { issuer: REMOTE })).message).toMatch(/HTTPS_PROXY is not a valid proxy URL/);
  });
});
