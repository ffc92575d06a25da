/**
 * `dpop_jkt` at /authorize and /oauth/par, proofs at PAR, and discovery (../shared/spec/dpop-rules.md DPB-5,
 * DPB-6, DPB-18, DPC-11, DPC-14; X-D16, X-D17): one describe per rule id and attack row, real server, real
 * keys and proofs.
 */
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from '../endpoints/helpers';
import { Browser, CALLBACK, authorizeUrl, location, oauthError, rule, signIn, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { codeFields, credentialsOf, dpopKey, expectRule, mark, parUrl, proof, token, tokenUrl, traceOf } from './helpers';

let h: Harness;
let c: TestClient;
let key: DpopKey;
let other: DpopKey;

beforeAll(async () => {
  h = await startServer({ consent: false });
  c = await h.client();
  key = await dpopKey();
  other = await dpopKey();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.settings({ profile: 'auth0' });
});

const AUTHZ = { response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile', state: 'st' };

function push(fields: Record<string, string>, dpop?: string): Promise<Response> {
  mark(h);
  return fetch(parUrl(h), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop === undefined ? {} : { dpop }) },
    body: new URLSearchParams({ ...credentialsOf(c), ...AUTHZ, ...fields }),
  });
}

/** Completes /authorize for a pushed request_uri and returns the code. */
async function codeForPushed(requestUri: string): Promise<string> {
  const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: c.client_id, request_uri: requestUri }));
  return cb.searchParams.get('code')!;
}

describe('DPB-5 dpop_jkt is a base64url SHA-256 thumbprint, at /authorize and PAR (X-D17)', () => {
  it('redirects invalid_request for a hex, padded or 40-character dpop_jkt at /authorize', async () => {
    for (const bad of ['ab'.repeat(32), `${key.jkt}=`, key.jkt.slice(0, 40)]) {
      mark(h);
      const res = await new Browser().fetch(authorizeUrl(h, { client_id: c.client_id, ...AUTHZ, dpop_jkt: bad }));
      expect(res.status).toBe(302);
      const cb = new URL(location(h, res));
      expect(cb.searchParams.get('error')).toBe('invalid_request');
      expect(cb.searchParams.get('error_description')).toBe('dpop_jkt must be a base64url JWK SHA-256 thumbprint');
      await expectRule(h, 'authorize', 'DPB-5', false);
    }
  });

  it('answers 400 JSON at PAR', async () => {
    const res = await push({ dpop_jkt: 'ab'.repeat(32) });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toEqual({ error: 'invalid_request', error_description: 'dpop_jkt must be a base64url JWK SHA-256 thumbprint' });
    expect((await traceOf(h, 'par')).failedRule).toBe('DPB-5');
  });

  it('stores a valid dpop_jkt with the code (the code exchange then needs that key)', async () => {
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: c.client_id, ...AUTHZ, dpop_jkt: key.jkt }));
    const code = cb.searchParams.get('code')!;
    expect((await token(h, codeFields(c, code), await proof(other, { htu: tokenUrl(h) }))).status).toBe(403);
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-7');
  });
});

describe('DPB-6 PAR: a DPoP header, a dpop_jkt, or both (then they match) (X-D16)', () => {
  it('refuses dpop_jkt different from the proof key’s thumbprint with 400 invalid_request', async () => {
    const res = await push({ dpop_jkt: other.jkt }, await proof(key, { htu: parUrl(h) }));
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toEqual({ error: 'invalid_request', error_description: 'DPoP proof key thumbprint does not match dpop_jkt' });
    expect((await traceOf(h, 'par')).failedRule).toBe('DPB-6');
  });

  it('binds the code to the PAR proof’s key when only the header is sent', async () => {
    const res = await push({}, await proof(key, { htu: parUrl(h) }));
    expect(res.status).toBe(201);
    const code = await codeForPushed(((await res.json()) as { request_uri: string }).request_uri);
    expect((await token(h, codeFields(c, code), await proof(other, { htu: tokenUrl(h) }))).status).toBe(403);
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-7');
  });

  it('accepts matching header and dpop_jkt, and the code redeems with that key', async () => {
    const res = await push({ dpop_jkt: key.jkt }, await proof(key, { htu: parUrl(h) }));
    expect(res.status).toBe(201);
    expect(rule(await traceOf(h, 'par'), 'DPB-6', true)).toBeDefined();
    const code = await codeForPushed(((await res.json()) as { request_uri: string }).request_uri);
    const ok = await token(h, codeFields(c, code), await proof(key, { htu: tokenUrl(h) }));
    expect(ok.status).toBe(200);
    expect(decodeJwt(((await ok.json()) as { access_token: string }).access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('validates the PAR proof like any proof (htu = the PAR URL), and ignores an ath there', async () => {
    const wrong = await push({}, await proof(key, { htu: tokenUrl(h) }));
    expect(wrong.status).toBe(400);
    expect((await oauthError(wrong)).error).toBe('invalid_dpop_proof');
    expect((await traceOf(h, 'par')).failedRule).toBe('DPP-9');
    const withAth = await push({}, await proof(key, { htu: parUrl(h), accessToken: 'some-token' }));
    expect(withAth.status).toBe(201);
    expect(rule(await traceOf(h, 'par'), 'DPP-13', true)?.note).toContain('ignored');
  });
});

describe('DPB-18 a client requiring proof of possession gets no front-channel token', () => {
  it('refuses response_type=token (unsupported_response_type, redirected)', async () => {
    const pop = await h.client({ require_proof_of_possession: true });
    const res = await new Browser().fetch(authorizeUrl(h, { client_id: pop.client_id, ...AUTHZ, response_type: 'token' }));
    expect(res.status).toBe(302);
    expect(new URL(location(h, res)).searchParams.get('error')).toBe('unsupported_response_type');
  });
});

describe('DPC-11 discovery: dpop_signing_alg_values_supported in standards mode only, never dpop_bound_access_tokens', () => {
  it('omits it in the Auth0 profile and lists the strict allow-list in the strict one', async () => {
    mark(h);
    const auth0 = (await (await fetch(`${h.base}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(auth0.dpop_signing_alg_values_supported).toBeUndefined();
    expect(auth0.dpop_bound_access_tokens).toBeUndefined();
    expect(rule(await traceOf(h, 'discovery'), 'DPC-11', true)).toBeDefined();
    h.settings({ profile: 'strict' });
    const strict = (await (await fetch(`${h.base}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(strict.dpop_signing_alg_values_supported).toEqual(['PS256', 'ES256', 'EdDSA']);
    expect(strict.dpop_bound_access_tokens).toBeUndefined();
  });
});

describe('DPC-14 Parley’s DPoP strict profile is its own (Auth0’s FAPI levels bind with mTLS)', () => {
  it('applies the FAPI DPoP allow-list in the strict profile: RS256 (on Auth0’s list) is refused at PAR', async () => {
    h.settings({ profile: 'strict' });
    const res = await push(
      { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' },
      await proof(await dpopKey('RS256'), { htu: parUrl(h) }),
    );
    expect(res.status).toBe(400);
    expect((await oauthError(res)).error).toBe('invalid_dpop_proof');
    expect((await traceOf(h, 'par')).failedRule).toBe('DPP-4');
  });
});
