/**
 * grant_type=urn:ietf:params:oauth:grant-type:token-exchange at /oauth/token, as Auth0's On-Behalf-Of exchange
 * (DA9): a confidential middle tier trades a user's access token for one for a downstream API. The happy path
 * and each refusal, with status, error, description and the failing rule in the trace, against the real
 * server with real keys (subject tokens come from real sign-ins; the deep-delegation one is signed with the
 * tenant's own key, the forged one with a key generated here).
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock, nowMs, nowSeconds } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import { CALLBACK, expectFailed, expectPassed, form, oauthError, startServer } from './helpers';
import { codeFor, credentialsOf } from '../dpop/helpers';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MCP = 'https://mcp.example.com/';
const DOWNSTREAM = 'https://downstream.example.com/';

let h: Harness;
let web: TestClient;
let mid: TestClient;
let subject: string;

beforeAll(async () => {
  h = await startServer({ consent: false });
  web = await h.client();
  mid = await h.client({ grant_types: ['client_credentials', TOKEN_EXCHANGE] });
  await h.server.ctx.directory.createResourceServer({ identifier: MCP });
  await h.server.ctx.directory.createResourceServer({ identifier: DOWNSTREAM });
  await h.server.ctx.directory.createClientGrant({ client_id: mid.client_id, audience: DOWNSTREAM, scope: ['read:data', 'write:data'] });
  subject = await userToken();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  freezeClock(undefined);
});

/** A user's access token for the MCP API, from a real sign-in and code exchange of a regular web app. */
async function userToken(): Promise<string> {
  const code = await codeFor(h, web, { audience: MCP });
  const res = await form(`${h.base}oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...credentialsOf(web) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function exchange(fields: Record<string, string | undefined> = {}, client: TestClient = mid): Promise<Response> {
  const all: Record<string, string | undefined> = {
    grant_type: TOKEN_EXCHANGE,
    subject_token: subject,
    subject_token_type: ACCESS_TOKEN_TYPE,
    audience: DOWNSTREAM,
    ...credentialsOf(client),
    ...fields,
  };
  return form(`${h.base}oauth/token`, Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)));
}

async function expectRefused(res: Response, status: number, error: string, description: string | RegExp, ruleId: string): Promise<void> {
  expect(res.status).toBe(status);
  const body = await oauthError(res);
  expect(body.error).toBe(error);
  if (typeof description === 'string') expect(body.error_description).toBe(description);
  else expect(body.error_description).toMatch(description);
  await expectFailed(h, 'token', ruleId);
}

describe('token exchange (On-Behalf-Of): the happy path', () => {
  it('issues an access token for the same user and the downstream API, naming the caller and the chain in act', async () => {
    const res = await exchange({ requested_token_type: ACCESS_TOKEN_TYPE });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', issued_token_type: ACCESS_TOKEN_TYPE, expires_in: 86400, scope: 'read:data write:data' });
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
    const claims = decodeJwt(body.access_token as string);
    const original = decodeJwt(subject);
    expect(claims).toMatchObject({ iss: h.base, sub: original.sub, aud: DOWNSTREAM, azp: mid.client_id, scope: 'read:data write:data' });
    expect(claims.act).toEqual({ sub: mid.client_id, act: { sub: web.client_id } });
    const trace = await expectPassed(h, 'token', 'TKQ-5');
    expect(trace.rules.some((r) => r.id === 'TKQ-4' && r.passed)).toBe(true);
    // The new token is one of this tenant's: /userinfo refuses it only because its audience is the API.
    const info = await fetch(`${h.base}userinfo`, { headers: { authorization: `Bearer ${body.access_token as string}` } });
    expect(info.status).toBe(401);
  });

  it('keeps only the requested scopes the client grant allows, and leaves scope out when it is what was asked', async () => {
    const narrowed = (await (await exchange({ scope: 'read:data delete:all' })).json()) as Record<string, unknown>;
    expect(narrowed.scope).toBe('read:data');
    expect(decodeJwt(narrowed.access_token as string).scope).toBe('read:data');
    const same = (await (await exchange({ scope: 'read:data' })).json()) as Record<string, unknown>;
    expect(same.scope).toBeUndefined();
  });
});

describe('token exchange: refusals', () => {
  it('refuses a client without the grant type (403 unauthorized_client, TKQ-2)', async () => {
    await expectRefused(await exchange({}, web), 403, 'unauthorized_client', `Grant type '${TOKEN_EXCHANGE}' not allowed for the client.`, 'TKQ-2');
  });

  it('refuses a public client even with the grant type enabled (TKQ-2)', async () => {
    const { client_secret: _unused, ...spa } = await h.client({
      app_type: 'spa',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', TOKEN_EXCHANGE],
    });
    await expectRefused(await exchange({}, spa), 403, 'unauthorized_client', `Grant type '${TOKEN_EXCHANGE}' not allowed for the client.`, 'TKQ-2');
  });

  it('refuses missing subject_token_type, subject_token and audience (400 invalid_request, TKQ-3)', async () => {
    for (const name of ['subject_token_type', 'subject_token', 'audience']) {
      await expectRefused(await exchange({ [name]: undefined }), 400, 'invalid_request', `Missing required parameter: ${name}`, 'TKQ-3');
    }
  });

  it('refuses another subject_token_type or requested_token_type (TKQ-3)', async () => {
    await expectRefused(
      await exchange({ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
      400,
      'invalid_request',
      'Unsupported subject_token_type: urn:ietf:params:oauth:token-type:id_token',
      'TKQ-3',
    );
    await expectRefused(
      await exchange({ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
      400,
      'invalid_request',
      'Unsupported requested_token_type: urn:ietf:params:oauth:token-type:refresh_token',
      'TKQ-3',
    );
  });

  it('refuses a subject token that is not a live user access token of this tenant (401, TKQ-5)', async () => {
    const forged = await new SignJWT({ ...decodeJwt(subject) })
      .setProtectedHeader({ alg: 'RS256', kid: h.server.ctx.keys.kid })
      .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const cc = await form(`${h.base}oauth/token`, { grant_type: 'client_credentials', audience: DOWNSTREAM, ...credentialsOf(mid) });
    const clientToken = ((await cc.json()) as { access_token: string }).access_token;
    for (const bad of ['not-a-jwt', forged, clientToken]) {
      await expectRefused(await exchange({ subject_token: bad }), 401, 'invalid_request', 'Invalid subject token', 'TKQ-5');
    }
  });

  it('refuses an expired subject token (401, TKQ-5)', async () => {
    freezeClock(nowMs() + 86_401 * 1000);
    await expectRefused(await exchange(), 401, 'invalid_request', 'Invalid subject token', 'TKQ-5');
  });

  it('refuses a subject token whose grant was revoked by a code replay (401, TKQ-5)', async () => {
    const code = await codeFor(h, web, { audience: MCP });
    const fields = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...credentialsOf(web) };
    const token = ((await (await form(`${h.base}oauth/token`, fields)).json()) as { access_token: string }).access_token;
    expect((await exchange({ subject_token: token })).status).toBe(200);
    expect((await form(`${h.base}oauth/token`, fields)).status).toBe(403);
    await expectRefused(await exchange({ subject_token: token }), 401, 'invalid_request', 'Invalid subject token', 'TKQ-5');
  });

  it('refuses a delegation chain already five act levels deep, with Auth0’s text (400, TKQ-5)', async () => {
    const original = decodeJwt(subject);
    let act: Record<string, unknown> = { sub: web.client_id };
    for (let i = 0; i < 4; i++) act = { sub: `service-${i}`, act };
    const iat = nowSeconds();
    const deep = await h.server.ctx.keys.sign({ iss: h.base, sub: original.sub, aud: MCP, iat, exp: iat + 600, azp: 'service-3', scope: '', act });
    await expectRefused(
      await exchange({ subject_token: deep }),
      400,
      'invalid_request',
      'Delegation chain (`act` claim) depth exceeds the maximum allowed limit of 5',
      'TKQ-5',
    );
  });

  it('refuses an audience that is no API of the tenant, or one without a client grant (403 access_denied, TKQ-4)', async () => {
    await expectRefused(
      await exchange({ audience: 'https://nowhere.example.com/' }),
      403,
      'access_denied',
      'Service not found: https://nowhere.example.com/',
      'TKQ-4',
    );
    await expectRefused(
      await exchange({ audience: MCP }),
      403,
      'access_denied',
      /^Client is not authorized to access "https:\/\/mcp\.example\.com\/"/,
      'TKQ-4',
    );
  });
});
