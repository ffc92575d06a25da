/**
 * @auth0/auth0-spa-js with `useDpop: true` in Debian's Chromium against the embedded server over https, from a
 * page on ANOTHER origin (a small static server on 127.0.0.1): the proof that the CORS layer (ED-3,
 * electron/core/server/endpoints/cors.ts) lets a SPA do everything Auth0's SDK does. The page loads the SDK's own
 * browser build (dist/auth0-spa-js.production.js, its `auth0` global) and is given only a `domain`
 * (`127.0.0.1:PORT`), a client id and its redirect URI, as an app would be.
 *
 * The flow: loginWithRedirect to the emulator's real sign-in page, handleRedirectCallback (the code exchange:
 * a cross-origin POST with a DPoP proof, answered use_dpop_nonce, which the SDK can retry only because
 * DPoP-Nonce is exposed), getTokenSilently with the cache off (a refresh, DPoP-bound again), and /userinfo
 * through the SDK's fetcher (createFetcher) with the bound token.
 *
 * Chromium does not know Parley's local CA and this machine has no NSS tools to add it to a profile, so the
 * browser is told to accept exactly the server's leaf key (`--ignore-certificate-errors-spki-list` with its
 * SHA-256 SPKI hash), the way the Electron flow window accepts exactly that leaf (EmbeddedServer.trustedLeaf);
 * any other certificate error still fails.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkServer } from './support';
import { ruleIn, startHttpsServer, tracesOf } from './support';

const SDK = fileURLToPath(new URL('../../../node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js', import.meta.url));

let s: SdkServer;
let app: Server;
/** The SPA's origin: http://127.0.0.1:PORT (a secure context, another origin than the server's). */
let appOrigin: string;
let chrome: Browser;
let clientId: string;

/** The SPA: one page for the start and the callback; the test calls its functions. */
function page(domain: string, client: string, origin: string): string {
  const config = JSON.stringify({
    domain,
    clientId: client,
    useDpop: true,
    useRefreshTokens: true,
    cacheLocation: 'localstorage',
    authorizationParams: { redirect_uri: `${origin}/callback`, scope: 'openid profile email offline_access' },
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>SPA</title><script src="/auth0-spa-js.js"></script></head><body>
<script>
const client = new auth0.Auth0Client(${config});
window.login = () => client.loginWithRedirect();
window.finish = async () => {
  await client.handleRedirectCallback();
  const user = await client.getUser();
  const silent = await client.getTokenSilently({ cacheMode: 'off', detailedResponse: true });
  // Again: with rotation (leeway 0) this works only if the SDK kept the refresh token the first refresh rotated to.
  const again = await client.getTokenSilently({ cacheMode: 'off', detailedResponse: true });
  const fetcher = client.createFetcher({ dpopNonceId: 'userinfo' });
  const res = await fetcher.fetchWithAuth('https://${domain}/userinfo');
  return { user, silent, again, userinfo: { status: res.status, body: await res.json() } };
};
</script></body></html>`;
}

/** The SHA-256 of a certificate's SubjectPublicKeyInfo, base64: what --ignore-certificate-errors-spki-list takes. */
function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

beforeAll(async () => {
  s = await startHttpsServer({ consent: false });
  const sdk = readFileSync(SDK);
  app = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/auth0-spa-js.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(s.domain, clientId, appOrigin));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const created = (await s.server.directory.createClient({
    name: 'auth0-spa-js app',
    app_type: 'spa',
    token_endpoint_auth_method: 'none',
    callbacks: [`${appOrigin}/callback`],
    web_origins: [appOrigin],
    grant_types: ['authorization_code', 'refresh_token'],
    // Rotating refresh tokens, as Auth0 sets up a SPA; leeway 0, so a reused refresh token would revoke the family.
    refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
  })) as unknown as { client_id: string };
  clientId = created.client_id;
  const leaf = s.server.trustedLeaf(s.issuer)!;
  chrome = await chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', `--ignore-certificate-errors-spki-list=${spkiHash(leaf)}`],
  });
}, 60_000);
afterAll(async () => {
  await chrome?.close();
  await new Promise((resolve) => app?.close(resolve));
  await s?.close();
});

/** Opens the SPA, runs loginWithRedirect and signs in on the emulator's page; resolves on the callback. */
async function signIn(p: Page): Promise<void> {
  await p.goto(`${appOrigin}/`);
  // Not awaited inside the page: the SDK navigates away, which would end an evaluation still waiting for it.
  await p.evaluate(() => {
    void (window as unknown as { login: () => Promise<void> }).login();
  });
  await p.waitForURL((url) => url.href.startsWith(`${s.issuer}u/login`));
  await p.fill('#email', s.user.email);
  await p.fill('#password', s.user.password);
  await Promise.all([p.waitForURL((url) => url.href.startsWith(`${appOrigin}/callback`)), p.click('button[type="submit"]')]);
}

interface Finished {
  user: { email?: string; sub?: string };
  silent: { access_token: string; token_type?: string };
  again: { access_token: string; token_type?: string };
  userinfo: { status: number; body: { sub?: string; email?: string } };
}

describe('@auth0/auth0-spa-js with useDpop in Chromium, from another origin (ED-3)', () => {
  it('signs in, exchanges the code after the nonce retry, refreshes silently twice (rotating refresh tokens) and calls /userinfo with the DPoP-bound token', async () => {
    const context = await chrome.newContext();
    const p = await context.newPage();
    const from = s.traces.length;
    await signIn(p);
    const result = await p.evaluate(() => (window as unknown as { finish: () => Promise<Finished> }).finish());

    expect(result.user.email).toBe(s.user.email);
    // The refresh token grant gave a DPoP-bound access token (cnf.jkt: the SDK's key in IndexedDB).
    const claims = decodeJwt(result.silent.access_token);
    expect((claims.cnf as { jkt?: string } | undefined)?.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.userinfo).toMatchObject({ status: 200, body: { sub: claims.sub, email: s.user.email } });

    const token = tracesOf(s, 'token', from);
    // The code exchange: challenged for a nonce (DPN-1), then retried by the SDK with the exposed nonce.
    expect(token[0]?.failedRule).toBe('DPN-1');
    expect(ruleIn(token[0], 'ED-3')).toMatchObject({ passed: true, actual: `Origin ${appOrigin} (in web_origins)` });
    expect(token.slice(1).map((t) => t.status)).toEqual([200, 200, 200]);
    for (const t of token.slice(1)) expect(ruleIn(t, 'DPB-2')?.passed).toBe(true);
    // Both refreshes rotated the refresh token, keeping its binding (DPB-9), and the second one used the newest.
    expect(decodeJwt(result.again.access_token).cnf).toEqual(claims.cnf);
    for (const t of token.slice(2)) expect(t.rules.some((o) => o.id === 'TKQ-5' && o.actual?.startsWith('rotated'))).toBe(true);
    expect(tracesOf(s, 'preflight', from).length).toBeGreaterThan(0);
    expect(tracesOf(s, 'userinfo', from).at(-1)?.status).toBe(200);
    await context.close();
  });
});
