/**
 * DPoP at the token-exchange grant (Auth0's On-Behalf-Of exchange, DA9): the subject token's binding is not
 * checked (DPB-14) and a subject token issued to a public client under the nonce policy makes the middle tier
 * need a nonce too (DPN-3). Real server on 127.0.0.1:0, real keys, real proofs; each test asserts status,
 * error, headers and the rule in the trace.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from '../endpoints/helpers';
import { oauthError, rule, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { codeFields, codeFor, credentialsOf, dpopKey, expectRule, proof, publicCode, token, tokenUrl, traceOf } from './helpers';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MCP = 'https://mcp.example.com/';
const DOWNSTREAM = 'https://downstream.example.com/';

let h: Harness;
let spa: TestClient;
let web: TestClient;
let mid: TestClient;
let userKey: DpopKey;
let midKey: DpopKey;

beforeAll(async () => {
  h = await startServer({ consent: false });
  const { client_secret: _unused, ...publicClient } = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
  spa = publicClient;
  web = await h.client();
  mid = await h.client({ grant_types: ['client_credentials', TOKEN_EXCHANGE] });
  userKey = await dpopKey();
  midKey = await dpopKey();
  await h.server.ctx.directory.createResourceServer({ identifier: MCP });
  await h.server.ctx.directory.createResourceServer({ identifier: DOWNSTREAM });
  await h.server.ctx.directory.createClientGrant({ client_id: mid.client_id, audience: DOWNSTREAM, scope: ['read:data'] });
});
afterAll(async () => {
  await h.close();
});

/** A DPoP-bound access token for the MCP API issued to the public client under the nonce policy (DPN-1): challenge, then retry. */
async function publicBoundToken(): Promise<string> {
  const { code, verifier } = await publicCode(h, spa, { audience: MCP });
  const challenged = await token(h, codeFields(spa, code, verifier), await proof(userKey, { htu: tokenUrl(h) }));
  expect(challenged.status).toBe(400);
  const nonce = challenged.headers.get('dpop-nonce')!;
  const res = await token(h, codeFields(spa, code, verifier), await proof(userKey, { htu: tokenUrl(h), nonce }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe('DPoP');
  return body.access_token;
}

/** A DPoP-bound access token for the MCP API issued to a confidential client (no nonce policy). */
async function confidentialBoundToken(): Promise<string> {
  const code = await codeFor(h, web, { audience: MCP });
  const res = await token(h, codeFields(web, code), await proof(userKey, { htu: tokenUrl(h) }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The middle tier's exchange of a subject token for the downstream API. */
function exchange(subject: string, dpop?: string): Promise<Response> {
  return token(
    h,
    { grant_type: TOKEN_EXCHANGE, subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, audience: DOWNSTREAM, ...credentialsOf(mid) },
    dpop,
  );
}

describe('DPB-14 token exchange does not check the subject token’s binding', () => {
  it('issues a Bearer token for a bound subject token exchanged without a proof, with a trace warning', async () => {
    const subject = await publicBoundToken();
    expect(decodeJwt(subject).cnf).toEqual({ jkt: userKey.jkt });
    const res = await exchange(subject);
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.issued_token_type).toBe(ACCESS_TOKEN_TYPE);
    const claims = decodeJwt(body.access_token as string);
    expect(claims.cnf).toBeUndefined();
    expect(claims.aud).toBe(DOWNSTREAM);
    expect(claims.sub).toBe(decodeJwt(subject).sub);
    const trace = await expectRule(h, 'token', 'DPB-14', true);
    expect(rule(trace, 'DPB-14', true)?.note).toBe('bound subject token exchanged for an unbound token');
    expect(rule(trace, 'DPB-3', true)?.actual).toBe('Bearer');
  });

  it('binds the new token to the caller’s proof key, not the subject token’s (no warning)', async () => {
    const subject = await confidentialBoundToken();
    const res = await exchange(subject, await proof(midKey, { htu: tokenUrl(h) }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token as string).cnf).toEqual({ jkt: midKey.jkt });
    const trace = await expectRule(h, 'token', 'DPB-14', true);
    expect(rule(trace, 'DPB-14', true)?.note).toBeUndefined();
    expect(rule(trace, 'DPB-1', true)?.actual).toBe('bound');
    expect(rule(trace, 'DPB-2', true)?.actual).toBe(`cnf.jkt ${midKey.jkt}`);
  });

  it('refuses a broken proof even so (DPP-16): the subject token is not looked at first', async () => {
    const subject = await confidentialBoundToken();
    const res = await exchange(subject, await proof(midKey, { htu: `${h.base}userinfo` }));
    expect(res.status).toBe(400);
    expect((await oauthError(res)).error).toBe('invalid_dpop_proof');
    expect((await traceOf(h, 'token')).failedRule).toBe('DPP-9');
  });
});

describe('DPN-3 a subject token issued under the nonce policy needs a nonce from the confidential middle tier', () => {
  it('answers 400 use_dpop_nonce with DPoP-Nonce, then issues a bound token on the retry with the nonce', async () => {
    const subject = await publicBoundToken();
    const challenged = await exchange(subject, await proof(midKey, { htu: tokenUrl(h) }));
    expect(challenged.status).toBe(400);
    expect(await oauthError(challenged)).toEqual({ error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof' });
    const nonce = challenged.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(challenged.headers.get('cache-control')).toContain('no-store');
    expect(challenged.headers.get('www-authenticate')).toBeNull();
    expect((await traceOf(h, 'token')).failedRule).toBe('DPN-3');

    const res = await exchange(subject, await proof(midKey, { htu: tokenUrl(h), nonce: nonce! }));
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).not.toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token as string).cnf).toEqual({ jkt: midKey.jkt });
    const trace = await expectRule(h, 'token', 'DPN-3', true);
    expect(rule(trace, 'DPN-1')).toBeUndefined();
  });

  it('asks no nonce for a subject token issued to a confidential client (DPN-2 applies)', async () => {
    const subject = await confidentialBoundToken();
    const res = await exchange(subject, await proof(midKey, { htu: tokenUrl(h) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).toBeNull();
    const trace = await expectRule(h, 'token', 'DPN-2', true);
    expect(rule(trace, 'DPN-3')).toBeUndefined();
  });

  it('asks no nonce at the next hop: the token the middle tier got is not itself under the nonce policy', async () => {
    const subject = await publicBoundToken();
    const challenged = await exchange(subject, await proof(midKey, { htu: tokenUrl(h) }));
    const nonce = challenged.headers.get('dpop-nonce')!;
    const res = await exchange(subject, await proof(midKey, { htu: tokenUrl(h), nonce }));
    const exchanged = ((await res.json()) as { access_token: string }).access_token;
    const next = await exchange(exchanged, await proof(midKey, { htu: tokenUrl(h) }));
    expect(next.status).toBe(200);
    expect(decodeJwt(((await next.json()) as { access_token: string }).access_token).act).toEqual({
      sub: mid.client_id,
      act: { sub: mid.client_id, act: { sub: spa.client_id } },
    });
  });
});
