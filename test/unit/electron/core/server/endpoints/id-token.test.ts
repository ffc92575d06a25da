/**
 * ID tokens (IDT-1..4) verified against the published JWKS, access tokens at /userinfo (USR-1), and
 * revocation (RFC 7009, RVK-1).
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope: string;
}

async function tokensFor(client: TestClient, params: Record<string, string> = {}): Promise<Tokens> {
  const cb = await signIn(
    h,
    new Browser(),
    authorizeUrl(h, { client_id: client.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile email', ...params }),
  );
  const res = await form(`${h.base}oauth/token`, {
    grant_type: 'authorization_code',
    client_id: client.client_id,
    client_secret: client.client_secret ?? '',
    code: cb.searchParams.get('code')!,
    redirect_uri: CALLBACK,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

async function jwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  return createLocalJWKSet((await (await fetch(`${h.base}.well-known/jwks.json`)).json()) as JSONWebKeySet);
}

describe('OIDC ID tokens › IDT-1, IDT-2, IDT-3', () => {
  it('signs an ID token with iss (trailing slash), sub, aud = client_id, iat, exp, the nonce and the scope’s claims', async () => {
    const t = await tokensFor(c, { nonce: 'n-123' });
    const { payload, protectedHeader } = await jwtVerify(t.id_token!, await jwks(), { issuer: h.base, audience: c.client_id });
    expect(payload.iss).toBe(h.base);
    expect(h.base.endsWith('/')).toBe(true);
    expect(payload.sub).toBe(h.server.ctx.directory.getUser(payload.sub!)!.user_id);
    expect(payload).toMatchObject({ aud: c.client_id, nonce: 'n-123', email: h.user().email, email_verified: expect.any(Boolean), name: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(36000);
    expect(payload.auth_time).toBeUndefined();
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: h.server.ctx.keys.kid });
    await expectPassed(h, 'token', 'IDT-1');
    await expectPassed(h, 'token', 'IDT-2');
  });

  it('adds auth_time when max_age was requested, and omits email/name claims without their scopes', async () => {
    const t = await tokensFor(c, { max_age: '3600', scope: 'openid' });
    const claims = decodeJwt(t.id_token!);
    expect(typeof claims.auth_time).toBe('number');
    expect(claims.nonce).toBeUndefined();
    expect(claims.email).toBeUndefined();
    expect(claims.name).toBeUndefined();
  });

  it('IDT-3: at_hash is the left half of the access token’s SHA-256', async () => {
    const t = await tokensFor(c);
    const expected = createHash('sha256').update(t.access_token).digest().subarray(0, 16).toString('base64url');
    expect(decodeJwt(t.id_token!).at_hash).toBe(expected);
    await expectPassed(h, 'token', 'IDT-3');
  });

  it('issues no ID token without openid', async () => {
    const t = await tokensFor(c, { scope: 'profile' });
    expect(t.id_token).toBeUndefined();
  });
});

describe('OIDC ID tokens › IDT-4 signing algorithm from jwt_configuration.alg', () => {
  it('HS256 signs with the client secret', async () => {
    const hs = await h.client({ jwt_configuration: { alg: 'HS256' } });
    const t = await tokensFor(hs);
    expect(decodeProtectedHeader(t.id_token!).alg).toBe('HS256');
    await jwtVerify(t.id_token!, new TextEncoder().encode(hs.client_secret!), { issuer: h.base, audience: hs.client_id });
    expect((await expectPassed(h, 'token', 'IDT-4')).rules.find((r) => r.id === 'IDT-4')!.actual).toBe('HS256');
  });

  it('PS256 signs with the tenant key', async () => {
    const ps = await h.client({ jwt_configuration: { alg: 'PS256' } });
    const t = await tokensFor(ps);
    expect(decodeProtectedHeader(t.id_token!)).toMatchObject({ alg: 'PS256', kid: h.server.ctx.keys.kid });
    await jwtVerify(t.id_token!, h.server.ctx.keys.publicKey, { issuer: h.base, audience: ps.client_id, algorithms: ['PS256'] });
  });

  it('a private_key_jwt client gets RS256 (it has no secret to HMAC with)', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: pkj.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' }));
    const res = await form(`${h.base}oauth/token`, {
      grant_type: 'authorization_code',
      client_id: pkj.client_id,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(h, pkj),
      code: cb.searchParams.get('code')!,
      redirect_uri: CALLBACK,
    });
    const t = (await res.json()) as Tokens;
    expect(decodeProtectedHeader(t.id_token!).alg).toBe('RS256');
  });
});

describe('/userinfo › USR-1', () => {
  it('returns the user’s claims for a user access token', async () => {
    const t = await tokensFor(c);
    const res = await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: expect.stringMatching(/^auth0\|/), email: h.user().email, name: expect.any(String) });
    expect(decodeJwt(t.access_token).aud).toBe(`${h.base}userinfo`);
  });

  it('answers 401 invalid_token with WWW-Authenticate: Bearer without a token, with a forged one, and for a client-credentials token', async () => {
    const none = await fetch(`${h.base}userinfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await oauthError(none)).error).toBe('invalid_token');
    await expectFailed(h, 'userinfo', 'USR-1');
    const t = await tokensFor(c);
    const forged = `${t.access_token.slice(0, t.access_token.lastIndexOf('.'))}.AAAA`;
    expect((await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    await h.server.ctx.directory.createClientGrant({ client_id: c.client_id, audience: 'https://api.example.com/', scope: ['read:things'] });
    const cc = (await (
      await form(`${h.base}oauth/token`, {
        grant_type: 'client_credentials',
        client_id: c.client_id,
        client_secret: c.client_secret!,
        audience: 'https://api.example.com/',
      })
    ).json()) as Tokens;
    expect((await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${cc.access_token}` } })).status).toBe(401);
  });

  it('accepts POST with the Bearer header; an audience token also carries the userinfo audience when openid was granted', async () => {
    const t = await tokensFor(c, { audience: 'https://api.example.com/' });
    expect(decodeJwt(t.access_token).aud).toEqual(['https://api.example.com/', `${h.base}userinfo`]);
    const res = await fetch(`${h.base}userinfo`, { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(200);
  });
});

describe('RFC 7009 /oauth/revoke › RVK-1', () => {
  it('revokes a refresh token of the calling client (and its grant), answering an empty 200', async () => {
    const t = await tokensFor(c, { scope: 'openid offline_access' });
    const res = await form(`${h.base}oauth/revoke`, { client_id: c.client_id, client_secret: c.client_secret!, token: t.refresh_token! });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await expectPassed(h, 'revoke', 'RVK-1');
    const again = await form(`${h.base}oauth/token`, {
      grant_type: 'refresh_token',
      client_id: c.client_id,
      client_secret: c.client_secret!,
      refresh_token: t.refresh_token!,
    });
    expect(again.status).toBe(403);
    expect((await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(401);
  });

  it('answers 200 for unknown tokens and another client’s token (leaving it alive)', async () => {
    expect((await form(`${h.base}oauth/revoke`, { client_id: c.client_id, client_secret: c.client_secret!, token: 'unknown' })).status).toBe(200);
    const other = await h.client();
    const t = await tokensFor(c, { scope: 'openid offline_access' });
    expect((await form(`${h.base}oauth/revoke`, { client_id: other.client_id, client_secret: other.client_secret!, token: t.refresh_token! })).status).toBe(
      200,
    );
    expect(
      (
        await form(`${h.base}oauth/token`, {
          grant_type: 'refresh_token',
          client_id: c.client_id,
          client_secret: c.client_secret!,
          refresh_token: t.refresh_token!,
        })
      ).status,
    ).toBe(200);
  });

  it('requires client authentication and the token parameter', async () => {
    const res = await form(`${h.base}oauth/revoke`, { client_id: c.client_id, client_secret: 'wrong', token: 'x' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    const missing = await form(`${h.base}oauth/revoke`, { client_id: c.client_id, client_secret: c.client_secret! });
    expect(missing.status).toBe(400);
    expect((await lastTrace(h, 'revoke')).failedRule).toBe('RVK-1');
  });
});

describe('Auth0 FAPI compliance › IDT-5 s_hash', () => {
  it('adds s_hash (left half of SHA-256 of the state) for a fapi1_adv client, and not for others', async () => {
    const fapi = await h.client({ compliance_level: 'fapi1_adv_pkj_par' });
    const state = 'state-for-s-hash-0123456789';
    const { verifier, challenge } = pkce();
    const res = await form(`${h.base}oauth/par`, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
      client_id: fapi.client_id,
      client_secret: fapi.client_secret!,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
      state,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { request_uri } = (await res.json()) as { request_uri: string };
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: fapi.client_id, request_uri }));
    expect(cb.searchParams.get('state')).toBe(state);
    const tokenRes = await form(`${h.base}oauth/token`, {
      grant_type: 'authorization_code',
      client_id: fapi.client_id,
      client_secret: fapi.client_secret!,
      code: cb.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(tokenRes.status, await tokenRes.clone().text()).toBe(200);
    const claims = decodeJwt(((await tokenRes.json()) as Tokens).id_token!);
    expect(claims.s_hash).toBe(createHash('sha256').update(state).digest().subarray(0, 16).toString('base64url'));
    await expectPassed(h, 'token', 'IDT-5');

    const plain = await tokensFor(c, { state });
    expect(decodeJwt(plain.id_token!).s_hash).toBeUndefined();
  });
});
