/**
 * Interop with openid-client v6 (panva), a certified relying party: discovery, PAR carrying a signed
 * request object with private_key_jwt client authentication, /authorize with the request_uri, sign-in
 * through the real HTML form and consent, the code exchange with PKCE + private_key_jwt, and the ID token
 * validated by openid-client itself; then the same with a request object by value at /authorize.
 */
import { exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../unit/electron/core/server/endpoints/helpers';
import { Browser, CALLBACK, lastTrace, signIn, startServer } from '../unit/electron/core/server/endpoints/helpers';

let h: Harness;
let config: client.Configuration;
let jarKey: CryptoKey;

beforeAll(async () => {
  h = await startServer({ consent: true });
  // Separate key pairs per use, as Auth0 requires (CRD-9, PKJ-15).
  const pkj = await generateKeyPair('RS256', { extractable: true });
  const jar = await generateKeyPair('RS256', { extractable: true });
  jarKey = jar.privateKey;
  const created = (await h.server.ctx.directory.createClient({
    name: 'openid-client interop',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token'],
    client_authentication_methods: {
      private_key_jwt: { credentials: [{ name: 'assertions', credential_type: 'public_key', pem: await exportSPKI(pkj.publicKey), alg: 'RS256' }] },
    },
    signed_request_object: { credentials: [{ name: 'request objects', credential_type: 'public_key', pem: await exportSPKI(jar.publicKey), alg: 'RS256' }] },
  })) as unknown as { client_id: string };
  config = await client.discovery(new URL(h.base), created.client_id, {}, client.PrivateKeyJwt(pkj.privateKey), { execute: [client.allowInsecureRequests] });
});
afterAll(async () => {
  await h.close();
});

/** Runs the browser part through the real sign-in and consent pages, then the code exchange. */
async function complete(authorizationUrl: URL, checks: { verifier: string; state: string; nonce: string }) {
  const callback = await signIn(h, new Browser(), authorizationUrl.href);
  expect(callback.origin + callback.pathname).toBe(CALLBACK);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: checks.verifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const tokenTrace = await lastTrace(h, 'token');
  expect(tokenTrace.status).toBe(200);
  expect(tokenTrace.rules.find((r) => r.id === 'PKJ-13')?.passed).toBe(true);
  return tokens;
}

async function checks() {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier), state: client.randomState(), nonce: client.randomNonce() };
}

describe('openid-client v6 interop', () => {
  it('discovers the server and sees PAR and private_key_jwt', () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(h.base);
    expect(meta.pushed_authorization_request_endpoint).toBe(`${h.base}oauth/par`);
    expect(meta.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  it('PAR + JAR + private_key_jwt: pushes a signed request object, signs in through the form, exchanges the code with PKCE', async () => {
    const c = await checks();
    const { searchParams } = await client.buildAuthorizationUrlWithJAR(
      config,
      { redirect_uri: CALLBACK, scope: 'openid profile email', code_challenge: c.challenge, code_challenge_method: 'S256', state: c.state, nonce: c.nonce },
      jarKey,
    );
    const url = await client.buildAuthorizationUrlWithPAR(config, searchParams);
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const par = [...h.traces].reverse().find((t) => t.endpoint === 'par')!;
    expect(par.status).toBe(201);
    expect(par.rules.find((r) => r.id === 'PAR-4' && r.passed)?.actual).toBe('private_key_jwt');
    expect(par.rules.find((r) => r.id === 'JAR-8')?.passed).toBe(true);

    const tokens = await complete(url, c);
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(h.base);
    expect(claims.aud).toBe(config.clientMetadata().client_id);
    expect(claims.email).toBe(h.user().email);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo.email).toBe(h.user().email);
  });

  it('JAR by value at /authorize: the same flow with request=…', async () => {
    const c = await checks();
    const url = await client.buildAuthorizationUrlWithJAR(
      config,
      { redirect_uri: CALLBACK, scope: 'openid email', code_challenge: c.challenge, code_challenge_method: 'S256', state: c.state, nonce: c.nonce },
      jarKey,
    );
    expect(url.searchParams.get('request')).toBeTruthy();
    const tokens = await complete(url, c);
    expect(tokens.claims()!.nonce).toBe(c.nonce);
    const authorize = [...h.traces].reverse().find((t) => t.endpoint === 'authorize' && t.rules.some((r) => r.id === 'JAR-18'))!;
    expect(authorize.rules.find((r) => r.id === 'JAR-8')?.passed).toBe(true);
  });
});
