/**
 * /oauth/token: the authorization code grant (TOK-1..6, TOK-8 at the token endpoint, PAR-5), client
 * authentication (TOK-9, PKJ-2, PKJ-4, E-2..E-4), the client-credentials and refresh-token grants, and the
 * Auth0 recordings' shapes; attack rows X-18..X-20.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import {
  Browser,
  CALLBACK,
  JWT_BEARER,
  assertion,
  authorizeUrl,
  expectFailed,
  expectPassed,
  form,
  lastTrace,
  oauthError,
  pkce,
  rsaKey,
  signIn,
  startServer,
} from './helpers';

let h: Harness;
let c: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: false });
  c = await h.client();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  setClockOffset(0);
  h.settings({ profile: 'auth0' });
});

const tokenUrl = () => `${h.base}oauth/token`;
const FIXTURES = fileURLToPath(new URL('../../../../../fixtures/auth0/', import.meta.url));

function fixture(name: string): { request_body: Record<string, string>; status: number; response_body: Record<string, unknown> } {
  return (
    JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as {
      interactions: { request_body: Record<string, string>; status: number; response_body: Record<string, unknown> }[];
    }
  ).interactions[0]!;
}

/** Runs /authorize through sign-in and returns the code. */
async function codeFor(client: TestClient, extra: Record<string, string> = {}): Promise<string> {
  const cb = await signIn(
    h,
    new Browser(),
    authorizeUrl(h, {
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile email offline_access',
      state: 's',
      ...extra,
    }),
  );
  const code = cb.searchParams.get('code');
  if (!code) throw new Error(`no code: ${cb.href}`);
  return code;
}

const exchange = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  form(tokenUrl(), { grant_type: 'authorization_code', redirect_uri: CALLBACK, ...fields }, headers);
const withSecret = (client: TestClient) => ({ client_id: client.client_id, client_secret: client.client_secret! });

async function expectError(res: Response, status: number, error: string, description?: string): Promise<void> {
  expect(res.status).toBe(status);
  const body = await oauthError(res);
  expect(body.error).toBe(error);
  if (description !== undefined) expect(body.error_description).toBe(description);
}

describe('RFC 6749 code grant › TOK-1 single use, client and redirect_uri binding (X-20)', () => {
  it('answers an unknown code exactly like the Auth0 recording (403 invalid_grant "Invalid authorization code")', async () => {
    const recorded = fixture('TestLoginWithAuthCode__Should_throw_for_an_invalid_code');
    const res = await form(tokenUrl(), { ...recorded.request_body, ...withSecret(c) });
    expect(res.status).toBe(recorded.status);
    expect(await res.json()).toEqual(recorded.response_body);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-1');
  });

  it('refuses a code presented by another client, without consuming it', async () => {
    const other = await h.client();
    const code = await codeFor(c);
    await expectError(await exchange({ ...withSecret(other), code }), 403, 'invalid_grant', 'Invalid authorization code');
    await expectFailed(h, 'token', 'TOK-1');
    expect((await exchange({ ...withSecret(c), code })).status).toBe(200);
  });

  it('refuses a different redirect_uri; accepts an omitted one in Auth0 mode only', async () => {
    const code = await codeFor(c);
    await expectError(await exchange({ ...withSecret(c), code, redirect_uri: `${CALLBACK}/other` }), 403, 'invalid_grant', 'Invalid authorization code');
    const recorded = fixture('TestLoginWithAuthCode__Should_return_tokens');
    const res = await form(tokenUrl(), { ...recorded.request_body, ...withSecret(c), code });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    for (const key of Object.keys(recorded.response_body)) expect(body).toHaveProperty(key);
    expect(body.expires_in).toBe(86400);
    expect(body.token_type).toBe('Bearer');
    h.settings({ profile: 'strict' });
    const p = pkce();
    const strictCode = await codeFor(c, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    await expectError(
      await form(tokenUrl(), { grant_type: 'authorization_code', ...withSecret(c), code: strictCode, code_verifier: p.verifier }),
      400,
      'invalid_grant',
    );
    await expectFailed(h, 'token', 'TOK-1');
  });
});

describe('RFC 6749 code grant › TOK-2 replay revokes the grant (X-20)', () => {
  it('refuses a second redemption and revokes the refresh and access tokens issued from the code', async () => {
    const code = await codeFor(c);
    const first = (await (await exchange({ ...withSecret(c), code })).json()) as { access_token: string; refresh_token: string };
    expect((await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${first.access_token}` } })).status).toBe(200);
    await expectError(await exchange({ ...withSecret(c), code }), 403, 'invalid_grant', 'Invalid authorization code');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-2');
    await expectError(
      await form(tokenUrl(), { grant_type: 'refresh_token', ...withSecret(c), refresh_token: first.refresh_token }),
      403,
      'invalid_grant',
      'Unknown or invalid refresh token.',
    );
    expect((await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${first.access_token}` } })).status).toBe(401);
  });
});

describe('RFC 6749 code grant › TOK-3 short-lived codes', () => {
  it('expires codes after 10 minutes (Auth0 mode)', async () => {
    const code = await codeFor(c);
    setClockOffset(601_000);
    await expectError(await exchange({ ...withSecret(c), code }), 403, 'invalid_grant', 'Invalid authorization code');
  });

  it('expires codes after 60 seconds in the strict profile', async () => {
    h.settings({ profile: 'strict' });
    const p = pkce();
    const code = await codeFor(c, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    const trace = [...h.traces].reverse().find((t) => t.rules.some((r) => r.id === 'TOK-3'))!;
    expect(trace.rules.find((r) => r.id === 'TOK-3')!.actual).toBe('60 s');
    setClockOffset(61_000);
    await expectError(await exchange({ ...withSecret(c), code, code_verifier: p.verifier }), 400, 'invalid_grant');
  });
});

describe('RFC 7636 PKCE at the token endpoint › TOK-4..6, TOK-8 (X-19)', () => {
  it('TOK-4: refuses a verifier outside 43–128 characters with 400 invalid_request', async () => {
    const p = pkce();
    const code = await codeFor(c, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    await expectError(await exchange({ ...withSecret(c), code, code_verifier: 'short' }), 400, 'invalid_request', 'code_verifier must be 43-128 characters');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-4');
    await expectError(await exchange({ ...withSecret(c), code, code_verifier: 'a'.repeat(129) }), 400, 'invalid_request');
  });

  it('TOK-5: a missing or wrong verifier gets 403 "Failed to verify code verifier"; the right one works', async () => {
    const p = pkce();
    const code = await codeFor(c, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    await expectError(await exchange({ ...withSecret(c), code }), 403, 'invalid_grant', 'Failed to verify code verifier');
    await expectError(await exchange({ ...withSecret(c), code, code_verifier: pkce().verifier }), 403, 'invalid_grant', 'Failed to verify code verifier');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-5');
    expect((await exchange({ ...withSecret(c), code, code_verifier: p.verifier })).status).toBe(200);
    await expectPassed(h, 'token', 'TOK-5');
  });

  it('TOK-5: the plain method compares the verifier itself', async () => {
    const verifier = pkce().verifier;
    const code = await codeFor(c, { code_challenge: verifier, code_challenge_method: 'plain' });
    expect((await exchange({ ...withSecret(c), code, code_verifier: verifier })).status).toBe(200);
  });

  it('TOK-6: refuses a code_verifier for a code issued without a code_challenge (PKCE downgrade)', async () => {
    const code = await codeFor(c);
    await expectError(await exchange({ ...withSecret(c), code, code_verifier: pkce().verifier }), 403, 'invalid_grant');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-6');
  });

  it('TOK-8: a public client redeems its code with PKCE and no secret, as in the Auth0 PKCE recording', async () => {
    const pub = await h.client({ app_type: 'native', token_endpoint_auth_method: 'none' });
    const p = pkce();
    const code = await codeFor(pub, { code_challenge: p.challenge, code_challenge_method: 'S256' });
    const recorded = fixture('TestLoginWithAuthCodeWithPKCE__Should_return_tokens');
    const res = await form(tokenUrl(), { ...recorded.request_body, client_id: pub.client_id, code, code_verifier: p.verifier });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    for (const key of Object.keys(recorded.response_body)) expect(body).toHaveProperty(key);
  });
});

describe('RFC 8252 › TOK-8 at the token endpoint', () => {
  it('refuses a code issued without PKCE once the client has become public', async () => {
    const client = await h.client();
    const code = await codeFor(client);
    await h.server.ctx.directory.updateClient(client.client_id, { token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] });
    await expectError(await exchange({ client_id: client.client_id, code }), 403, 'invalid_grant', 'Invalid authorization code');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TOK-8');
  });
});

describe('Client authentication › TOK-9, E-3, E-4, PKJ-2, PKJ-4 (X-18)', () => {
  it('E-3 / TOK-9: a wrong secret, an unknown client and a missing secret all get 401 {"error":"access_denied","error_description":"Unauthorized"}', async () => {
    const code = await codeFor(c);
    const attempts: Record<string, string>[] = [
      { client_id: c.client_id, client_secret: 'wrong' },
      { client_id: 'unknown', client_secret: 'x' },
      { client_id: c.client_id },
    ];
    for (const fields of attempts) {
      const res = await exchange({ ...fields, code });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
      const trace = await expectFailed(h, 'token', 'TOK-9');
      expect(trace.failedRule).toBe('E-3');
    }
  });

  it('E-3: the strict profile answers invalid_client instead (FAP-8)', async () => {
    h.settings({ profile: 'strict' });
    await expectError(
      await form(tokenUrl(), { grant_type: 'client_credentials', client_id: c.client_id, client_secret: 'wrong', audience: h.server.urls.managementAudience }),
      401,
      'invalid_client',
    );
  });

  it('E-4: a failed Basic authentication carries WWW-Authenticate: Basic; a good one works (credentials form-encoded)', async () => {
    const basicClient = await h.client({ token_endpoint_auth_method: 'client_secret_basic' });
    const code = await codeFor(basicClient);
    const bad = await exchange({ code }, { authorization: `Basic ${Buffer.from(`${basicClient.client_id}:wrong`).toString('base64')}` });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="parley"');
    await expectPassed(h, 'token', 'E-4');
    const good = `${encodeURIComponent(basicClient.client_id)}:${encodeURIComponent(basicClient.client_secret!)}`;
    expect((await exchange({ code }, { authorization: `Basic ${Buffer.from(good).toString('base64')}` })).status).toBe(200);
  });

  it('PKJ-2: refuses an assertion together with client_secret or a Basic header', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const a = await assertion(h, pkj, {}, tokenUrl());
    const both = await form(tokenUrl(), {
      grant_type: 'client_credentials',
      client_id: pkj.client_id,
      client_assertion_type: JWT_BEARER,
      client_assertion: a,
      client_secret: 'x',
    });
    await expectError(both, 400, 'invalid_request', 'only one client authentication mechanism may be used');
    expect((await lastTrace(h, 'token')).failedRule).toBe('PKJ-2');
    const basic = await form(
      tokenUrl(),
      { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: await assertion(h, pkj) },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    );
    await expectError(basic, 400, 'invalid_request', 'only one client authentication mechanism may be used');
  });

  it('PKJ-4: a private_key_jwt client cannot fall back to a secret, and a basic client cannot use post', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    await expectError(await form(tokenUrl(), { grant_type: 'client_credentials', client_id: pkj.client_id, client_secret: 'anything' }), 401, 'invalid_client');
    expect((await lastTrace(h, 'token')).failedRule).toBe('PKJ-4');
    await expectError(await form(tokenUrl(), { grant_type: 'client_credentials', client_id: pkj.client_id }), 401, 'invalid_client');
    const basicClient = await h.client({ token_endpoint_auth_method: 'client_secret_basic' });
    await expectError(await form(tokenUrl(), { grant_type: 'client_credentials', ...withSecret(basicClient) }), 401, 'invalid_client');
  });

  it('TOK-9: a bad client assertion is 401 invalid_client', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const forged = await assertion(h, { ...pkj, pkj: rsaKey() });
    await expectError(
      await form(tokenUrl(), {
        grant_type: 'client_credentials',
        client_id: pkj.client_id,
        client_assertion_type: JWT_BEARER,
        client_assertion: forged,
        audience: 'x',
      }),
      401,
      'invalid_client',
    );
    await expectFailed(h, 'token', 'TOK-9');
  });
});

describe('Auth0 PAR › PAR-5 same authentication method at PAR and token', () => {
  it('refuses a code from a request pushed with a secret when redeemed with an assertion', async () => {
    const key = rsaKey();
    const client = await h.client();
    const pushed = await form(`${h.base}oauth/par`, { ...withSecret(client), response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: client.client_id, request_uri }));
    const credential = await h.server.ctx.directory.createCredential(client.client_id, {
      name: 'k',
      credential_type: 'public_key',
      pem: key.pem,
      alg: 'RS256',
    });
    await h.server.ctx.directory.updateClient(client.client_id, {
      token_endpoint_auth_method: null,
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
    });
    const res = await exchange({
      client_id: client.client_id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(h, { ...client, pkj: key }),
      code: cb.searchParams.get('code')!,
    });
    await expectError(res, 401, 'invalid_client', 'the client must authenticate with the same method as at the PAR endpoint');
    expect((await lastTrace(h, 'token')).failedRule).toBe('PAR-5');
  });

  it('accepts the same method at both endpoints (private_key_jwt)', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const pushed = await form(`${h.base}oauth/par`, {
      client_id: pkj.client_id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(h, pkj),
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
    });
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: pkj.client_id, request_uri }));
    const res = await exchange({
      client_id: pkj.client_id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(h, pkj),
      code: cb.searchParams.get('code')!,
    });
    expect(res.status).toBe(200);
    await expectPassed(h, 'token', 'PAR-5');
  });
});

describe('Auth0 status codes › E-2 invalid_grant', () => {
  it('answers invalid_grant with 403 in Auth0 mode and 400 in the strict profile', async () => {
    await expectError(await exchange({ ...withSecret(c), code: 'nope' }), 403, 'invalid_grant');
    expect((await expectPassed(h, 'token', 'E-2')).rules.find((r) => r.id === 'E-2')!.actual).toBe('403');
    h.settings({ profile: 'strict' });
    await expectError(await exchange({ ...withSecret(c), code: 'nope' }), 400, 'invalid_grant');
  });
});

describe('RFC 6749 token request basics › TKQ-1..3', () => {
  it('requires a supported grant_type', async () => {
    await expectError(await form(tokenUrl(), withSecret(c)), 400, 'invalid_request', 'Missing required parameter: grant_type');
    await expectError(await form(tokenUrl(), { ...withSecret(c), grant_type: 'password' }), 400, 'unsupported_grant_type', 'Unsupported grant type: password');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TKQ-1');
  });

  it('refuses a grant type the client is not allowed', async () => {
    const codeOnly = await h.client({ grant_types: ['authorization_code'] });
    await expectError(
      await form(tokenUrl(), { ...withSecret(codeOnly), grant_type: 'client_credentials', audience: 'x' }),
      403,
      'unauthorized_client',
      "Grant type 'client_credentials' not allowed for the client.",
    );
    expect((await lastTrace(h, 'token')).failedRule).toBe('TKQ-2');
  });

  it('takes JSON bodies like Auth0, refuses other content types, and requires code', async () => {
    const json = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', ...withSecret(c) }),
    });
    await expectError(json, 400, 'invalid_request', 'Missing required parameter: code');
    const text = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
    await expectError(text, 400, 'invalid_request');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TKQ-3');
    const nonString = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: ['a'], client_id: { x: 1 } }),
    });
    await expectError(nonString, 400, 'invalid_request');
  });
});

describe('Client credentials grant (Auth0 private_key_jwt recording)', () => {
  it('issues an access token for the Management API with private_key_jwt, shaped like the recording', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    await h.server.ctx.directory.createClientGrant({ client_id: pkj.client_id, audience: h.server.urls.managementAudience, scope: ['read:clients'] });
    const recorded = fixture('TestLoginWithClientCredentials__Should_support_using_private_key_jwt_auth');
    const res = await form(tokenUrl(), {
      ...recorded.request_body,
      client_id: pkj.client_id,
      client_assertion: await assertion(h, pkj, {}, tokenUrl()),
      audience: h.server.urls.managementAudience,
    });
    expect(res.status).toBe(recorded.status);
    const body = (await res.json()) as { access_token: string; scope: string; expires_in: number; token_type: string };
    for (const key of Object.keys(recorded.response_body)) expect(body).toHaveProperty(key);
    expect(body).toMatchObject({ expires_in: 86400, token_type: 'Bearer', scope: 'read:clients' });
    expect(decodeJwt(body.access_token)).toMatchObject({
      iss: h.base,
      sub: `${pkj.client_id}@clients`,
      aud: h.server.urls.managementAudience,
      azp: pkj.client_id,
      gty: 'client-credentials',
      scope: 'read:clients',
    });
    const list = await fetch(`${h.base}api/v2/clients`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(list.status).toBe(200);
  });

  it('requires an audience with a client grant (TKQ-4) and a confidential client', async () => {
    await expectError(
      await form(tokenUrl(), { grant_type: 'client_credentials', ...withSecret(c) }),
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
    );
    await expectError(
      await form(tokenUrl(), { grant_type: 'client_credentials', ...withSecret(c), audience: 'https://api.example.com/' }),
      403,
      'access_denied',
    );
    expect((await lastTrace(h, 'token')).failedRule).toBe('TKQ-4');
  });
});

describe('Refresh token grant', () => {
  it('issues a refresh token for offline_access and redeems it for new tokens; another client cannot', async () => {
    const code = await codeFor(c);
    const first = (await (await exchange({ ...withSecret(c), code })).json()) as { refresh_token?: string };
    expect(first.refresh_token).toBeTruthy();
    const res = await form(tokenUrl(), { grant_type: 'refresh_token', ...withSecret(c), refresh_token: first.refresh_token! });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.access_token).toBeTruthy();
    expect(body.id_token).toBeTruthy();
    expect(body.refresh_token).toBeUndefined();
    const other = await h.client();
    await expectError(await form(tokenUrl(), { grant_type: 'refresh_token', ...withSecret(other), refresh_token: first.refresh_token! }), 403, 'invalid_grant');
    expect((await lastTrace(h, 'token')).failedRule).toBe('TKQ-5');
  });

  it('issues no refresh token without offline_access', async () => {
    const code = await codeFor(c, { scope: 'openid' });
    const body = (await (await exchange({ ...withSecret(c), code })).json()) as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
  });
});

describe('RFC 7521 §4.2.1 › PKJ-16 the error for an invalid assertion is invalid_client', () => {
  it('answers every kind of bad assertion with 401 invalid_client and a generic description (E-8), the detail only in the trace', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const stranger = rsaKey();
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, string][] = [
      ['wrong audience', await assertion(h, pkj, { aud: 'https://other.example/' }), 'PKJ-8'],
      ['expired', await assertion(h, pkj, { iat: now - 600, exp: now - 300 }), 'PKJ-9'],
      ['lifetime over 5 minutes', await assertion(h, pkj, { exp: now + 3600 }), 'PKJ-10'],
      ['iss different from sub', await assertion(h, pkj, { iss: 'someone-else' }), 'PKJ-7'],
      ['signed by a key the client never registered', await assertion(h, { ...pkj, pkj: stranger }), 'PKJ-13'],
      ['not a JWT at all', 'not.a.jwt', 'JWT-1'],
    ];
    for (const [label, clientAssertion, ruleId] of cases) {
      const res = await form(tokenUrl(), { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: clientAssertion });
      expect(res.status, label).toBe(401);
      const body = await oauthError(res);
      expect(body.error, label).toBe('invalid_client');
      expect(body.error_description, label).not.toMatch(/aud|exp|iss|signature/i);
      expect((await lastTrace(h, 'token')).failedRule, label).toBe(ruleId);
    }
  });
});
