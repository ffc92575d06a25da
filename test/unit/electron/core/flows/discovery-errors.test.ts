/**
 * Discovery failures are named plainly (issuer unreachable, not JSON, issuer mismatch), and the
 * loopback launcher (RFC 8252) captures the redirect and answers the browser.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackLauncher } from '../../../../../electron/core/flows/loopback-launcher';
import { createSelfSignedCertificate } from '../../../../../electron/core/vault/certificate';
import type { FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;
let html: ReturnType<typeof createServer>;
let htmlBase: string;

beforeAll(async () => {
  h = await flowHarness();
  html = createServer((req, res) => {
    if (req.url === '/other/.well-known/openid-configuration') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: 'https://someone-else.example/', authorization_endpoint: 'https://x.example/a', token_endpoint: 'https://x.example/t' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a login portal</html>');
  });
  await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
  htmlBase = `http://127.0.0.1:${(html.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  html.close();
  await h.core.close();
});

async function external(id: string, issuer: string): Promise<void> {
  const target: FlowTarget = {
    id,
    name: id,
    issuer,
    client_id: 'c',
    auth: { method: 'none', hasSecret: false },
    redirect_uri: REDIRECT,
    scope: 'openid',
    embedded: false,
  };
  await h.call('flows.saveTarget', { target });
}

describe('Flows › discovery names its failures plainly', () => {
  it('an issuer nobody listens on is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await external('down', `http://127.0.0.1:${port}/`);
    const run = await h.run('down', 'plain');
    expect(run.status).toBe('failed');
    expect(stepOf(run, 'discover').error?.code).toBe('issuer_unreachable');
    expect(stepOf(run, 'discover').error?.message).toMatch(/is unreachable \(ECONNREFUSED\)/);
  });

  it('an HTML page where the discovery document should be is not JSON', async () => {
    await external('html', htmlBase);
    const run = await h.run('html', 'par');
    expect(stepOf(run, 'discover').error).toEqual({ code: 'not_json', message: expect.stringMatching(/is not JSON \(HTTP 200, text\/html\)/) });
    expect(stepOf(run, 'discover').exchange?.response?.body).toContain('login portal');
  });

  it('an https issuer with an untrusted (self-signed) certificate is a TLS failure', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = await createSelfSignedCertificate({ privateKey, publicKey, shape: { kty: 'RSA', size: 2048 }, commonName: '127.0.0.1', days: 1 });
    const tls = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: cert.pem }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      await external('tls', `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`);
      const run = await h.run('tls', 'plain');
      expect(stepOf(run, 'discover').error?.code).toBe('tls_failure');
      // Named with the certificate read back: a self-signed one is its own issuer.
      expect(stepOf(run, 'discover').error?.message).toMatch(
        /The TLS connection to 127\.0\.0\.1:\d+ failed: its certificate \(subject CN=127\.0\.0\.1\) was issued by CN=127\.0\.0\.1, a certificate authority this machine does not trust \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      );
    } finally {
      tls.close();
    }
  });

  it('a discovery document naming another issuer is invalid', async () => {
    await external('other', `${htmlBase}other/`);
    const run = await h.run('other', 'plain');
    expect(stepOf(run, 'discover').error?.code).toBe('discovery_invalid');
    expect(stepOf(run, 'discover').error?.message).toContain('https://someone-else.example/');
  });
});

describe('Flows › the built-in embedded target', () => {
  it('runs client_credentials for the Management API out of the box', async () => {
    const run = await h.run('embedded', 'client_credentials');
    expect(run.status, JSON.stringify(run.steps.map((s) => s.error?.message))).toBe('succeeded');
    expect(stepOf(run, 'exchange').exchange?.request.body).toContain('client_secret=%5Bredacted%5D');
  });
});

describe('RFC 8252 loopback launcher', () => {
  it('captures the redirect on 127.0.0.1 and answers "You can close this tab"', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const redirect = `http://127.0.0.1:${port}/cb`;
    let page = '';
    const launcher = new LoopbackLauncher((url) => {
      expect(url).toBe('https://issuer.example/authorize?x=1');
      void fetch(`${redirect}?code=c1&state=s1`).then(async (r) => (page = await r.text()));
    });
    const outcome = await launcher.open('https://issuer.example/authorize?x=1', redirect, new AbortController().signal);
    expect(outcome).toEqual({ callbackUrl: `${redirect}?code=c1&state=s1` });
    for (let i = 0; i < 50 && page === ''; i++) await new Promise((r) => setTimeout(r, 10));
    expect(page).toContain('You can close this tab');
  });

  it('names a redirect URI it cannot listen on: not loopback, or without a port', async () => {
    const signal = new AbortController().signal;
    await expect(new LoopbackLauncher().open('https://i.example/a', 'https://myapp.com/callback', signal)).rejects.toMatchObject({
      code: 'configuration',
      message: expect.stringContaining('not a loopback http URI'),
    });
    await expect(new LoopbackLauncher().open('https://i.example/a', 'http://127.0.0.1/callback', signal)).rejects.toMatchObject({
      code: 'configuration',
      message: expect.stringContaining('has no port'),
    });
  });

  it('ends cancelled when the flow is cancelled', async () => {
    const controller = new AbortController();
    const pending = new LoopbackLauncher(() => controller.abort()).open('https://i.example/a', 'http://127.0.0.1:0/cb', controller.signal);
    expect(await pending).toEqual({ cancelled: true });
  });
});
