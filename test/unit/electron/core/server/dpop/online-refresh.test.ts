/**
 * Online refresh tokens (Auth0, DA12) and DPoP (DPB-11): scope online_access yields a refresh token tied to
 * the browser session; a public client gets and redeems one only with a DPoP proof. Real server on
 * 127.0.0.1:0, real sign-in through the sign-in form, real keys and proofs.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from '../endpoints/helpers';
import { Browser, CALLBACK, authorizeUrl, oauthError, pkce, rule, signIn, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { codeFields, credentialsOf, dpopKey, expectRule, mark, parUrl, proof, token, tokenUrl, traceOf } from './helpers';

let h: Harness;
let spa: TestClient;
let web: TestClient;
let key: DpopKey;

const DPOP_REQUIRED = { error: 'invalid_request', error_description: 'DPoP is required for online refresh tokens' };

beforeAll(async () => {
  h = await startServer({ consent: false });
  const { client_secret: _unused, ...publicClient } = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
  spa = publicClient;
  web = await h.client();
  key = await dpopKey();
});
afterAll(async () => {
  await h.close();
});

/** Signs in with scope online_access in a fresh browser; returns the code, the PKCE verifier and the browser (its session). */
async function onlineCode(client: TestClient, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string; browser: Browser }> {
  const { verifier, challenge } = pkce();
  const browser = new Browser();
  const cb = await signIn(
    h,
    browser,
    authorizeUrl(h, {
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid online_access',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    }),
  );
  return { code: cb.searchParams.get('code')!, verifier, browser };
}

/** A token request of the public client with a proof, answering the nonce challenge once (DPN-1). */
async function withNonce(fields: Record<string, string>): Promise<Response> {
  const first = await token(h, fields, await proof(key, { htu: tokenUrl(h) }));
  if (first.status !== 400 || (await first.clone().json()).error !== 'use_dpop_nonce') return first;
  return token(h, fields, await proof(key, { htu: tokenUrl(h), nonce: first.headers.get('dpop-nonce')! }));
}

/** The public client's online refresh token, obtained with a proof. */
async function publicOnlineToken(): Promise<{ refresh: string; browser: Browser }> {
  const { code, verifier, browser } = await onlineCode(spa);
  const res = await withNonce(codeFields(spa, code, verifier));
  expect(res.status).toBe(200);
  return { refresh: ((await res.json()) as { refresh_token: string }).refresh_token, browser };
}

/** A fresh PKCE challenge for an /authorize URL. */
function pkceParams(): Record<string, string> {
  return { code_challenge: pkce().challenge, code_challenge_method: 'S256' };
}

const refreshFields = (client: TestClient, refresh: string) => ({ grant_type: 'refresh_token', refresh_token: refresh, ...credentialsOf(client) });

describe('DPB-11 online refresh tokens of public clients require DPoP', () => {
  it('refuses the code exchange without a proof (400 invalid_request), leaving the code redeemable with one', async () => {
    const { code, verifier } = await onlineCode(spa);
    const refused = await token(h, codeFields(spa, code, verifier));
    expect(refused.status).toBe(400);
    expect(await oauthError(refused)).toEqual(DPOP_REQUIRED);
    expect(refused.headers.get('www-authenticate')).toBeNull();
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-11');

    const res = await withNonce(codeFields(spa, code, verifier));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body.token_type).toBe('DPoP');
    expect(body.refresh_token).toMatch(/^ORT/);
    expect(decodeJwt(body.access_token!).cnf).toEqual({ jkt: key.jkt });
    const issued = (await traceOf(h, 'token')).rules.filter((r) => r.id === 'DPB-11' && r.passed).map((r) => r.actual);
    expect(issued).toEqual([`proof with key ${key.jkt}`, `issued, bound to ${key.jkt}`]);
  });

  it('refuses to redeem an online refresh token without a proof; with one it issues a bound token and no new refresh token', async () => {
    const { refresh } = await publicOnlineToken();
    const refused = await token(h, refreshFields(spa, refresh));
    expect(refused.status).toBe(400);
    expect(await oauthError(refused)).toEqual(DPOP_REQUIRED);
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-11');

    const res = await withNonce(refreshFields(spa, refresh));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body.token_type).toBe('DPoP');
    expect(body.refresh_token).toBeUndefined();
    await expectRule(h, 'token', 'DPB-11', true);
    // Not rotated: the same token works again.
    expect((await withNonce(refreshFields(spa, refresh))).status).toBe(200);
  });

  it('issues a confidential client’s online refresh token without a proof', async () => {
    const { code, verifier } = await onlineCode(web);
    const res = await token(h, codeFields(web, code, verifier));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body.token_type).toBe('Bearer');
    expect(body.refresh_token).toMatch(/^ORT/);
    expect((await token(h, refreshFields(web, body.refresh_token!))).status).toBe(200);
  });

  it('issues an online refresh token for online_access sent through PAR', async () => {
    mark(h);
    const { verifier, challenge } = pkce();
    const pushed = await fetch(parUrl(h), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...credentialsOf(web),
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid online_access',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    });
    expect(pushed.status).toBe(201);
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: web.client_id, request_uri }));
    const res = await token(h, codeFields(web, cb.searchParams.get('code')!, verifier));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { refresh_token: string }).refresh_token).toMatch(/^ORT/);
  });

  it('stops working when the browser session ends (logout): 403 invalid_grant', async () => {
    const { refresh, browser } = await publicOnlineToken();
    const out = await browser.fetch(`${h.base}v2/logout?client_id=${spa.client_id}`);
    expect(out.status).toBeLessThan(400);
    expect(browser.cookies.has('parley_session')).toBe(false);
    const res = await withNonce(refreshFields(spa, refresh));
    expect(res.status).toBe(403);
    expect(await oauthError(res)).toEqual({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    const trace = await traceOf(h, 'token');
    expect(trace.failedRule).toBe('TKQ-5');
    expect(rule(trace, 'TKQ-5', false)?.actual).toContain('session has ended');
  });

  it('ends the browser session when an online refresh token is revoked (DA12)', async () => {
    const { refresh, browser } = await publicOnlineToken();
    const signedIn = await browser.fetch(
      authorizeUrl(h, { client_id: spa.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', prompt: 'none', ...pkceParams() }),
    );
    expect(new URL(signedIn.headers.get('location')!).searchParams.get('code')).not.toBeNull();
    const revoked = await fetch(`${h.base}oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refresh, client_id: spa.client_id }),
    });
    expect(revoked.status).toBe(200);
    const after = await browser.fetch(
      authorizeUrl(h, { client_id: spa.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', prompt: 'none', ...pkceParams() }),
    );
    expect(new URL(after.headers.get('location')!).searchParams.get('error')).toBe('login_required');
    expect((await withNonce(refreshFields(spa, refresh))).status).toBe(403);
  });

  it('refuses online_access with offline_access, with Auth0’s text, at /authorize (redirected) and PAR (AZQ-3)', async () => {
    mark(h);
    const res = await new Browser().fetch(
      authorizeUrl(h, {
        client_id: spa.client_id,
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid online_access offline_access',
        ...pkceParams(),
      }),
    );
    expect(res.status).toBe(302);
    const cb = new URL(res.headers.get('location')!);
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('error_description')).toBe('Cannot request both online_access and offline_access scopes');
    expect((await traceOf(h, 'authorize')).failedRule).toBe('AZQ-3');
    mark(h);
    const pushed = await fetch(parUrl(h), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...credentialsOf(web), response_type: 'code', redirect_uri: CALLBACK, scope: 'online_access offline_access' }),
    });
    expect(pushed.status).toBe(400);
    expect(await oauthError(pushed)).toEqual({ error: 'invalid_request', error_description: 'Cannot request both online_access and offline_access scopes' });
    expect((await traceOf(h, 'par')).failedRule).toBe('AZQ-3');
  });

  it('leaves offline refresh tokens (offline_access) as they were: no proof needed, not tied to the session', async () => {
    const { code, verifier } = await onlineCode(web, { scope: 'openid offline_access' });
    const res = await token(h, codeFields(web, code, verifier));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { refresh_token: string }).refresh_token).not.toMatch(/^ORT/);
  });
});
