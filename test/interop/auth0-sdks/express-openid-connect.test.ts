/**
 * express-openid-connect 3.4.0 (Auth0's Express SDK) against the embedded server over https: an Express app
 * on 127.0.0.1 configured with `issuerBaseURL`, a client id, `clientAssertionSigningKey` (private_key_jwt),
 * `pushedAuthorizationRequests: true` and its JAR option (`requestObjectSigningKey`), and a `customFetch`
 * trusting the local CA. A cookie-jar browser goes from the app's /login through the real sign-in form to
 * the app's callback, and the app then knows `req.oidc.user`.
 *
 * The SDK signs request objects with no `typ` header (lib/client.js buildRequestObject): the Auth0 profile
 * accepts that and traces JAR-6 as passed with a note, the strict profile refuses it.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { auth } from 'express-openid-connect';
import type { ConfigParams } from 'express-openid-connect';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PemKeyPair, SdkServer } from './support';
import { browserFor, pemKeyPair, ruleIn, signInThroughForm, startHttpsServer, tracesOf } from './support';

let s: SdkServer;
const apps: Server[] = [];

beforeAll(async () => {
  s = await startHttpsServer({ consent: true });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => new Promise((resolve) => a.close(resolve))));
  await s.close();
});

/** Registers a client with separate JAR and private_key_jwt keys and its callback on the app's origin. */
async function registerClient(appOrigin: string, alg: 'RS256' | 'PS256', keys: { jar: PemKeyPair; pkj: PemKeyPair }): Promise<string> {
  const created = (await s.server.directory.createClient({
    name: `express-openid-connect ${alg}`,
    app_type: 'regular_web',
    callbacks: [`${appOrigin}/callback`],
    grant_types: ['authorization_code'],
    client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'assertions', credential_type: 'public_key', pem: keys.pkj.publicPem, alg }] } },
    signed_request_object: { required: true, credentials: [{ name: 'request objects', credential_type: 'public_key', pem: keys.jar.publicPem, alg }] },
  })) as unknown as { client_id: string };
  return created.client_id;
}

/** Starts an Express app on 127.0.0.1:0 with express-openid-connect configured for a new client. */
async function startApp(alg: 'RS256' | 'PS256'): Promise<{ origin: string; clientId: string }> {
  const app = express();
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apps.push(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = { jar: pemKeyPair(), pkj: pemKeyPair() };
  const clientId = await registerClient(origin, alg, keys);
  const config: ConfigParams = {
    issuerBaseURL: s.issuer,
    baseURL: origin,
    clientID: clientId,
    secret: 'a cookie secret of at least thirty-two characters',
    authRequired: false,
    idpLogout: false,
    clientAssertionSigningKey: keys.pkj.privatePem,
    clientAssertionSigningAlg: alg,
    pushedAuthorizationRequests: true,
    requestObjectSigningKey: keys.jar.privatePem,
    requestObjectSigningAlg: alg,
    authorizationParams: { response_type: 'code', scope: 'openid profile email' },
    customFetch: s.fetch,
  };
  app.use(auth(config));
  app.get('/me', (req, res) => {
    res.json({ user: req.oidc.user ?? null });
  });
  return { origin, clientId };
}

describe('express-openid-connect 3.4.0 over https (Auth0 profile)', () => {
  it('PAR + JAR + private_key_jwt: /login, the real sign-in form, the callback, then req.oidc.user', async () => {
    const { origin, clientId } = await startApp('RS256');
    const from = s.traces.length;
    const browser = browserFor(s);
    const callback = await signInThroughForm(s, browser, `${origin}/login`);
    expect(callback.origin + callback.pathname).toBe(`${origin}/callback`);
    const done = await browser.fetch(callback.href);
    expect(done.status).toBe(302);
    const me = (await (await browser.fetch(`${origin}/me`)).json()) as { user: Record<string, unknown> | null };
    expect(me.user).toMatchObject({ email: s.user.email, sub: expect.any(String) });

    const par = tracesOf(s, 'par', from).at(-1);
    expect(par?.status).toBe(201);
    expect(par?.clientId).toBe(clientId);
    expect(ruleIn(par, 'PAR-4')).toMatchObject({ passed: true, actual: 'private_key_jwt' });
    expect(ruleIn(par, 'JAR-8')?.passed).toBe(true);
    // The SDK's request object has no typ: passed, with the note that says why.
    const jar6 = ruleIn(par, 'JAR-6');
    expect(jar6).toMatchObject({ passed: true, actual: '(absent)' });
    expect(jar6?.note).toMatch(/express-openid-connect 3\.4\.0 sends none, so the Auth0 profile accepts it; a wrong typ is still refused/);
    const token = tracesOf(s, 'token', from).at(-1);
    expect(token?.status).toBe(200);
    expect(ruleIn(token, 'PKJ-13')?.passed).toBe(true);
  });
});

describe('express-openid-connect 3.4.0 over https (strict profile)', () => {
  it("refuses the SDK's request object with no typ (JAR-6), so the login fails at PAR", async () => {
    const { origin } = await startApp('PS256');
    s.server.updateSettings({ profile: 'strict' });
    try {
      const from = s.traces.length;
      const res = await browserFor(s).fetch(`${origin}/login`);
      expect(res.status).toBeGreaterThanOrEqual(400); // no redirect to /authorize: the SDK's PAR call failed
      const par = tracesOf(s, 'par', from).at(-1);
      expect(par?.status).toBe(400);
      expect(par?.failedRule).toBe('JAR-6');
      expect(ruleIn(par, 'JAR-6')).toMatchObject({ passed: false, actual: '(absent)' });
    } finally {
      s.server.updateSettings({ profile: 'auth0' });
    }
  });
});

it('the request object the SDK signs has no typ header (what the two profiles above disagree on)', async () => {
  const { buildRequestObject } = (await import('express-openid-connect/lib/client.js' as string)) as {
    buildRequestObject: (params: Record<string, string>, config: Record<string, unknown>, audience: string) => Promise<string>;
  };
  const key = pemKeyPair();
  const jwt = await buildRequestObject(
    { response_type: 'code' },
    { clientID: 'c', requestObjectSigningKey: key.privatePem, requestObjectSigningAlg: 'RS256' },
    s.issuer,
  );
  expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256' });
});
