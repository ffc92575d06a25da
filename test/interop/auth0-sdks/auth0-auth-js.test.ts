/**
 * @auth0/auth0-auth-js (the authentication client node-auth0 7 points to) against the embedded server over
 * https, with a `domain`, a client id, `clientAssertionSigningKey` and a `customFetch` trusting the local CA.
 * It discovers `https://{domain}/.well-known/openid-configuration` and signs client assertions with
 * `aud: https://{domain}/` and no `kid`. What it offers that Parley serves: client credentials, PAR, the
 * code exchange (ID token checked by openid-client), refresh, userinfo. It has no JAR option; its token
 * exchange (RFC 8693 / Token Vault) has no counterpart in Parley.
 */
import { AuthClient } from '@auth0/auth0-auth-js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkServer } from './support';
import { browserFor, pemKeyPair, ruleIn, signInThroughForm, startHttpsServer, tracesOf } from './support';

const CALLBACK = 'https://app.example.com/callback';
let s: SdkServer;
let clientId: string;
let authClient: AuthClient;

beforeAll(async () => {
  s = await startHttpsServer({ consent: true });
  const pkj = pemKeyPair();
  const created = (await s.server.directory.createClient({
    name: 'auth0-auth-js app',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    client_authentication_methods: {
      private_key_jwt: { credentials: [{ name: 'assertions', credential_type: 'public_key', pem: pkj.publicPem, alg: 'RS256' }] },
    },
  })) as unknown as { client_id: string };
  clientId = created.client_id;
  await s.server.directory.createClientGrant({ client_id: clientId, audience: s.management.audience, scope: ['read:clients'] });
  authClient = new AuthClient({ domain: s.domain, clientId, clientAssertionSigningKey: pkj.privatePem, customFetch: s.fetch });
});
afterAll(() => s.close());

describe('@auth0/auth0-auth-js over https', () => {
  it('discovers the server from the domain alone', async () => {
    const meta = await authClient.getServerMetadata();
    expect(meta.issuer).toBe(s.issuer);
    expect(meta.pushed_authorization_request_endpoint).toBe(`${s.issuer}oauth/par`);
  });

  it('client credentials with private_key_jwt', async () => {
    const from = s.traces.length;
    const tokens = await authClient.getTokenByClientCredentials({ audience: s.management.audience });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ iss: s.issuer, aud: s.management.audience, sub: `${clientId}@clients` });
    expect(ruleIn(tracesOf(s, 'token', from).at(-1), 'PKJ-8')).toMatchObject({ passed: true, actual: s.issuer });
  });

  it('PAR, the real sign-in form, the code exchange with PKCE and its ID token, then refresh and userinfo', async () => {
    const from = s.traces.length;
    const { authorizationUrl, codeVerifier } = await authClient.buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
      authorizationParams: { redirect_uri: CALLBACK, scope: 'openid profile email offline_access' },
    });
    expect(authorizationUrl.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const par = tracesOf(s, 'par', from).at(-1);
    expect(ruleIn(par, 'PAR-4')).toMatchObject({ passed: true, actual: 'private_key_jwt' });

    const callback = await signInThroughForm(s, browserFor(s), authorizationUrl.href);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    const tokens = await authClient.getTokenByCode(callback, { codeVerifier });
    expect(tokens.claims).toMatchObject({ iss: s.issuer, aud: clientId, email: s.user.email });
    expect(tokens.refreshToken).toBeTruthy();

    const refreshed = await authClient.getTokenByRefreshToken({ refreshToken: tokens.refreshToken! });
    expect(refreshed.accessToken).toBeTruthy();
    const userinfo = await authClient.getUserInfo({ accessToken: refreshed.accessToken });
    expect(userinfo).toMatchObject({ sub: tokens.claims!.sub, email: s.user.email });
  });
});
