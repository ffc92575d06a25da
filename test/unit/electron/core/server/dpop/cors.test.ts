/**
 * ED-3 over real HTTP: CORS for a browser app on another origin (a SPA using DPoP). Preflights allow the
 * `DPoP` header from any origin; /oauth/token and /oauth/revoke share their answers only with an origin the
 * client lists (Allowed Origins (CORS), Allowed Web Origins, callbacks) and refuse another; every CORS answer
 * exposes `DPoP-Nonce` and `WWW-Authenticate`; an answer carrying `DPoP-Nonce` is `Cache-Control: no-store`.
 * test/interop/auth0-sdks/auth0-spa-js.test.ts drives Auth0's SPA SDK through the same layer in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from '../endpoints/helpers';
import { CALLBACK, oauthError, rule, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { codeFields, dpopKey, mark, proof, publicCode, token, tokenUrl, traceOf, userinfoUrl } from './helpers';

const SPA = 'https://spa.example';
const EVIL = 'https://evil.example';

let h: Harness;
/** A SPA (public client, nonce policy) listing SPA as a web origin. */
let spa: TestClient;
let key: DpopKey;

beforeAll(async () => {
  h = await startServer({ consent: false });
  // Auth0 returns a client_secret even for a public client; a public client never sends it.
  const { client_secret: _unused, ...publicClient } = await h.client({
    app_type: 'spa',
    token_endpoint_auth_method: 'none',
    web_origins: [SPA],
    allowed_origins: ['https://*.example.org', 'http://127.0.0.1:5173'],
  });
  spa = publicClient;
  key = await dpopKey();
});
afterAll(async () => {
  await h.close();
});

/** A browser's preflight for `method` with these request headers. */
function preflight(path: string, origin: string, method: string, headers: string): Promise<Response> {
  mark(h);
  return fetch(`${h.base}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

/** POST /oauth/token from `origin` (the fetch a SPA sends after its preflight). */
function tokenFrom(origin: string | undefined, fields: Record<string, string>, dpop?: string): Promise<Response> {
  mark(h);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (origin !== undefined) headers.origin = origin;
  if (dpop !== undefined) headers.dpop = dpop;
  return fetch(tokenUrl(h), { method: 'POST', headers, body: new URLSearchParams(fields) });
}

const tokenProof = (nonce?: string) => proof(key, { htu: tokenUrl(h), ...(nonce === undefined ? {} : { nonce }) });

function expectExposed(res: Response, origin: string): void {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-expose-headers')).toBe('DPoP-Nonce, WWW-Authenticate');
  expect(res.headers.get('vary')).toContain('Origin');
  // No cookie crosses: credentials are never allowed.
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
}

describe('ED-3 preflights allow the DPoP request header from any origin', () => {
  it('answers a preflight of /oauth/token with the methods, DPoP and Auth0-Client allowed, and a max-age', async () => {
    const res = await preflight('oauth/token', EVIL, 'POST', 'auth0-client,content-type,dpop');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(EVIL);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    for (const header of ['dpop', 'auth0-client', 'content-type', 'authorization']) expect(allowed, header).toContain(header);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(rule(await traceOf(h, 'preflight'), 'ED-3', true)?.actual).toBe(`Origin ${EVIL}`);
  });

  it('allows GET and POST with Authorization and DPoP at /userinfo, GET at discovery and the JWKS', async () => {
    const userinfo = await preflight('userinfo', SPA, 'GET', 'authorization,dpop');
    expect(userinfo.status).toBe(204);
    expect(userinfo.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(userinfo.headers.get('access-control-allow-headers')).toContain('DPoP');
    for (const path of ['.well-known/openid-configuration', '.well-known/jwks.json']) {
      const res = await preflight(path, SPA, 'GET', 'auth0-client');
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-methods'), path).toBe('GET');
    }
  });

  it('answers no preflight at /oauth/par (confidential clients only) nor at /authorize (a navigation)', async () => {
    for (const path of ['oauth/par', 'authorize']) {
      const res = await preflight(path, SPA, 'POST', 'dpop');
      expect(res.status, path).toBe(404);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});

describe('ED-3 /oauth/token shares its answers with the origins the client lists, nonce exposed and no-store', () => {
  it('exposes DPoP-Nonce on the use_dpop_nonce challenge, so the SPA can retry, and on the 200; both no-store', async () => {
    const { code, verifier } = await publicCode(h, spa);
    const challenged = await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof());
    expect(challenged.status).toBe(400);
    expect((await oauthError(challenged)).error).toBe('use_dpop_nonce');
    expectExposed(challenged, SPA);
    const nonce = challenged.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    expect(challenged.headers.get('cache-control')).toBe('no-store');
    expect(rule(await traceOf(h, 'token'), 'ED-3', true)?.actual).toBe(`Origin ${SPA} (in web_origins)`);

    const ok = await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof(nonce!));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token_type: string }).token_type).toBe('DPoP');
    expectExposed(ok, SPA);
    expect(ok.headers.get('dpop-nonce')).toBeTruthy();
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  it('allows an origin of allowed_origins (a *. entry covers subdomains, the port counts) and of the callbacks', async () => {
    for (const [origin, list] of [
      ['https://app.shop.example.org', 'allowed_origins'],
      ['http://127.0.0.1:5173', 'allowed_origins'],
      [new URL(CALLBACK).origin, 'callbacks'],
    ] as const) {
      const res = await tokenFrom(origin, { grant_type: 'authorization_code', client_id: spa.client_id, code: 'unknown', redirect_uri: CALLBACK });
      expect(res.status, origin).toBe(403);
      expectExposed(res, origin);
      expect(rule(await traceOf(h, 'token'), 'ED-3', true)?.actual, origin).toBe(`Origin ${origin} (in ${list})`);
    }
  });

  it('refuses an origin the client does not list with 401 access_denied and no CORS headers, before the grant: the code survives', async () => {
    const { code, verifier } = await publicCode(h, spa);
    for (const origin of [EVIL, 'https://example.org', 'http://127.0.0.1:5174', 'https://spa.example:8443', 'null']) {
      const refused = await tokenFrom(origin, codeFields(spa, code, verifier), await tokenProof());
      expect(refused.status, origin).toBe(401);
      const body = await oauthError(refused);
      expect(body.error).toBe('access_denied');
      expect(body.error_description).toContain(origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      const trace = await traceOf(h, 'token');
      expect(trace.failedRule).toBe('ED-3');
      expect(rule(trace, 'ED-3', false)?.actual).toBe(`Origin ${origin}`);
    }
    // Refused before the nonce check and the grant: the code is still redeemable from the SPA's own origin.
    const nonce = (await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    expect((await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof(nonce))).status).toBe(200);
  });

  it('leaves a request without Origin (a server, not a browser) as it was: no CORS headers, no ED-3 in the trace', async () => {
    const res = await token(h, { grant_type: 'authorization_code', client_id: spa.client_id, code: 'unknown', redirect_uri: CALLBACK });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(rule(await traceOf(h, 'token'), 'ED-3')).toBeUndefined();
  });
});

describe('ED-3 /oauth/revoke answers the client’s origins only', () => {
  it('revokes from a listed origin with CORS headers and refuses another', async () => {
    const fields = { client_id: spa.client_id, token: 'not-a-token' };
    mark(h);
    const ok = await fetch(`${h.base}oauth/revoke`, { method: 'POST', headers: { origin: SPA }, body: new URLSearchParams(fields) });
    expect(ok.status).toBe(200);
    expectExposed(ok, SPA);
    mark(h);
    const refused = await fetch(`${h.base}oauth/revoke`, { method: 'POST', headers: { origin: EVIL }, body: new URLSearchParams(fields) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await traceOf(h, 'revoke')).failedRule).toBe('ED-3');
  });
});

describe('ED-3 discovery, the JWKS and /userinfo answer any origin, WWW-Authenticate exposed', () => {
  it('shares discovery and the JWKS with any origin', async () => {
    for (const path of ['.well-known/openid-configuration', '.well-known/jwks.json']) {
      const res = await fetch(`${h.base}${path}`, { headers: { origin: EVIL } });
      expect(res.status, path).toBe(200);
      expectExposed(res, EVIL);
    }
  });

  it('shares the /userinfo challenge (its WWW-Authenticate readable by the page) and its answer', async () => {
    const challenged = await fetch(userinfoUrl(h), { headers: { origin: SPA } });
    expect(challenged.status).toBe(401);
    expectExposed(challenged, SPA);
    expect(challenged.headers.get('www-authenticate')).toContain('DPoP');

    const { code, verifier } = await publicCode(h, spa);
    const nonce = (await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof())).headers.get('dpop-nonce')!;
    const issued = (await (await tokenFrom(SPA, codeFields(spa, code, verifier), await tokenProof(nonce))).json()) as { access_token: string };
    const res = await fetch(userinfoUrl(h), {
      headers: {
        origin: SPA,
        authorization: `DPoP ${issued.access_token}`,
        dpop: await proof(key, { htm: 'GET', htu: userinfoUrl(h), accessToken: issued.access_token }),
      },
    });
    expect(res.status).toBe(200);
    expectExposed(res, SPA);
  });

  it('adds no CORS headers for the server’s own origin', async () => {
    const res = await fetch(`${h.base}.well-known/jwks.json`, { headers: { origin: h.base.slice(0, -1) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
