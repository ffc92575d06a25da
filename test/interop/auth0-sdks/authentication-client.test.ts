/**
 * node-auth0's AuthenticationClient (`auth0/legacy`: node-auth0 7 ships the v4 authentication client there
 * and points new code to @auth0/auth0-auth-js) against the embedded server over https, with only a `domain`,
 * a client id and a private key (`clientAssertionSigningKey`). Its client assertions carry no `kid` and
 * `aud: https://{domain}/`; its ID-token check expects `iss: https://{domain}/` and fetches
 * `https://{domain}/.well-known/jwks.json` with its `agent` (an https.Agent trusting the CA here).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthenticationClient } from 'auth0/legacy';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PemKeyPair, SdkServer } from './support';
import { browserFor, pemKeyPair, ruleIn, signInThroughForm, startHttpsServer, tracesOf } from './support';

const CALLBACK = 'https://app.example.com/callback';
let s: SdkServer;
let pkj: PemKeyPair;
let clientId: string;
let auth: AuthenticationClient;

beforeAll(async () => {
  s = await startHttpsServer({ consent: true });
  pkj = pemKeyPair();
  const created = (await s.server.directory.createClient({
    name: 'node-auth0 authentication',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code', 'client_credentials'],
    client_authentication_methods: {
      private_key_jwt: { credentials: [{ name: 'assertions', credential_type: 'public_key', pem: pkj.publicPem, alg: 'RS256' }] },
    },
  })) as unknown as { client_id: string };
  clientId = created.client_id;
  await s.server.directory.createClientGrant({ client_id: clientId, audience: s.management.audience, scope: ['read:clients'] });
  auth = new AuthenticationClient({
    domain: s.domain,
    clientId,
    clientAssertionSigningKey: pkj.privatePem,
    fetch: s.fetch,
    // Typed as undici's Dispatcher, but also handed to jose's JWKS fetch, which takes an https.Agent.
    agent: s.httpsAgent as never,
  });
});
afterAll(() => s.close());

describe('node-auth0 AuthenticationClient over https', () => {
  it('client credentials with clientAssertionSigningKey: an assertion with aud https://{domain}/ and no kid is accepted', async () => {
    const from = s.traces.length;
    const { data } = await auth.oauth.clientCredentialsGrant({ audience: s.management.audience });
    expect(decodeJwt(data.access_token)).toMatchObject({ iss: s.issuer, aud: s.management.audience, sub: `${clientId}@clients` });
    const trace = tracesOf(s, 'token', from).at(-1);
    expect(trace?.status).toBe(200);
    expect(ruleIn(trace, 'PKJ-8')).toMatchObject({ passed: true, actual: s.issuer });
  });

  it('pushedAuthorization, sign-in through the form, then the code exchange with PKCE and its ID-token validation', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(12).toString('base64url');
    const { data: par } = await auth.oauth.pushedAuthorization({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile email',
      state: 'st-1',
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(par.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const authorize = `https://${s.domain}/authorize?${new URLSearchParams({ client_id: clientId, request_uri: par.request_uri })}`;
    const callback = await signInThroughForm(s, browserFor(s), authorize);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe('st-1');

    const { data: tokens } = await auth.oauth.authorizationCodeGrantWithPKCE(
      { code: callback.searchParams.get('code')!, code_verifier: verifier, redirect_uri: CALLBACK },
      { idTokenValidateOptions: { nonce } },
    );
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ iss: s.issuer, aud: clientId, nonce, email: s.user.email });
  });

  it('the ID-token validation is real: a different nonce is refused by the SDK', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const { data: par } = await auth.oauth.pushedAuthorization({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
      nonce: 'n-sent',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const callback = await signInThroughForm(
      s,
      browserFor(s),
      `${s.issuer}authorize?${new URLSearchParams({ client_id: clientId, request_uri: par.request_uri })}`,
    );
    await expect(
      auth.oauth.authorizationCodeGrantWithPKCE(
        { code: callback.searchParams.get('code')!, code_verifier: verifier, redirect_uri: CALLBACK },
        { idTokenValidateOptions: { nonce: 'n-other' } },
      ),
    ).rejects.toThrow(/nonce/i);
  });
});
