/**
 * Refresh token rotation at /oauth/token (endpoints/token/rotation.ts, Auth0's "Refresh Token Rotation"):
 * against the real embedded server on 127.0.0.1:0 over real HTTP. The reuse interval is exercised with a
 * leeway of 0 (every reuse is late) against one of a day (every reuse is on time), never with sleeps.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from './helpers';
import { Browser, CALLBACK, authorizeUrl, oauthError, pkce, signIn, startServer } from './helpers';
import type { DpopKey } from '../dpop/helpers';
import { codeFields, codeFor, credentialsOf, dpopKey, proof, publicCode, token, tokenUrl, traceOf } from '../dpop/helpers';

let h: Harness;
let plain: TestClient;
let strictRotation: TestClient;
let lenient: TestClient;

const rotating = (leeway: number) => ({ refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway } });

beforeAll(async () => {
  h = await startServer({ consent: false });
  plain = await h.client();
  strictRotation = await h.client(rotating(0));
  lenient = await h.client(rotating(86_400));
});
afterAll(async () => {
  await h.close();
});

/** The first refresh token of a fresh code exchange. */
async function firstRefreshToken(client: TestClient): Promise<string> {
  const body = (await (await token(h, codeFields(client, await codeFor(h, client)))).json()) as Record<string, string>;
  expect(body.refresh_token, JSON.stringify(body)).toBeDefined();
  return body.refresh_token!;
}

/** A refresh request; the parsed body and the status. */
async function refresh(client: TestClient, refreshToken: string, dpop?: string): Promise<{ status: number; body: Record<string, string> }> {
  const res = await token(h, { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentialsOf(client) }, dpop);
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as Record<string, string>) : await oauthError(res) };
}

/** Asserts Auth0's answer to an unknown, revoked or reused refresh token, with TKQ-5 failed in the trace. */
async function expectRefused(result: { status: number; body: Record<string, string> }): Promise<void> {
  expect(result.status).toBe(403);
  expect(result.body.error).toBe('invalid_grant');
  expect(result.body.error_description).toBe('Unknown or invalid refresh token.');
  expect((await traceOf(h, 'token')).failedRule).toBe('TKQ-5');
}

describe('TKQ-5 a non-rotating client keeps its refresh token', () => {
  it('answers without a refresh token, and the same one keeps working', async () => {
    const rt = await firstRefreshToken(plain);
    for (let i = 0; i < 2; i++) {
      const r = await refresh(plain, rt);
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
    }
  });
});

describe('TKQ-5 a rotating client gets a new refresh token on every refresh', () => {
  it('returns a different refresh token each time, of the same grant and scope, and the newest works', async () => {
    const rt1 = await firstRefreshToken(lenient);
    const r1 = await refresh(lenient, rt1);
    expect(r1.status).toBe(200);
    const rt2 = r1.body.refresh_token!;
    expect(rt2).toBeDefined();
    expect(rt2).not.toBe(rt1);
    const r2 = await refresh(lenient, rt2);
    expect(r2.status).toBe(200);
    const rt3 = r2.body.refresh_token!;
    expect(new Set([rt1, rt2, rt3]).size).toBe(3);
    expect(r2.body.scope).toBe(r1.body.scope);
    expect(decodeJwt(r2.body.access_token!).grant_id).toBe(decodeJwt(r1.body.access_token!).grant_id);
    expect((await refresh(lenient, rt3)).status).toBe(200);
  });

  it('accepts the token just replaced within the leeway, with a new token of the same family again', async () => {
    const rt1 = await firstRefreshToken(lenient);
    const rt2 = (await refresh(lenient, rt1)).body.refresh_token!;
    const again = await refresh(lenient, rt1);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBeDefined();
    expect([rt1, rt2]).not.toContain(again.body.refresh_token);
    expect((await refresh(lenient, rt2)).status).toBe(200);
  });
});

describe('TKQ-5 automatic reuse detection revokes the family', () => {
  it('after the leeway (0 s) a reused token is refused and the newest token of its family fails too', async () => {
    const rt1 = await firstRefreshToken(strictRotation);
    const rt2 = (await refresh(strictRotation, rt1)).body.refresh_token!;
    await expectRefused(await refresh(strictRotation, rt1));
    await expectRefused(await refresh(strictRotation, rt2));
  });

  it('within the leeway only the token just replaced may be reused: an older one revokes the family', async () => {
    const rt1 = await firstRefreshToken(lenient);
    const rt2 = (await refresh(lenient, rt1)).body.refresh_token!;
    const rt3 = (await refresh(lenient, rt2)).body.refresh_token!;
    await expectRefused(await refresh(lenient, rt1));
    await expectRefused(await refresh(lenient, rt3));
  });

  it('leaves other families alone', async () => {
    const other = await firstRefreshToken(strictRotation);
    const rt1 = await firstRefreshToken(strictRotation);
    await refresh(strictRotation, rt1);
    await expectRefused(await refresh(strictRotation, rt1));
    expect((await refresh(strictRotation, other)).status).toBe(200);
  });
});

describe('RVK-1 revoking any member of a rotating family revokes the family', () => {
  it('revokes the newest token when the replaced one is revoked', async () => {
    const rt1 = await firstRefreshToken(lenient);
    const rt2 = (await refresh(lenient, rt1)).body.refresh_token!;
    const res = await fetch(`${h.base}oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: rt1, ...credentialsOf(lenient) }),
    });
    expect(res.status).toBe(200);
    await expectRefused(await refresh(lenient, rt2));
  });
});

describe('Auth0’s migration when rotation is switched', () => {
  it('turning rotation on replaces a non-rotating token; turning it off answers with a non-rotating one and revokes the family', async () => {
    const client = await h.client();
    const rt0 = await firstRefreshToken(client);
    await h.server.ctx.directory.updateClient(client.client_id, rotating(0));
    const rt1 = (await refresh(client, rt0)).body.refresh_token!;
    expect(rt1).toBeDefined();
    await expectRefused(await refresh(client, rt0));
    const rt2 = (await refresh(client, rt1)).body.refresh_token!;
    await h.server.ctx.directory.updateClient(client.client_id, { refresh_token: { rotation_type: 'non-rotating' } });
    const off = await refresh(client, rt2);
    expect(off.status).toBe(200);
    const kept = off.body.refresh_token!;
    expect(kept).toBeDefined();
    await expectRefused(await refresh(client, rt2));
    for (let i = 0; i < 2; i++) {
      const r = await refresh(client, kept);
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
    }
  });
});

describe('TKQ-5 an online refresh token never rotates, even for a rotating client (Auth0’s ORT page)', () => {
  it('answers without a new refresh token, and the same one works again', async () => {
    const { verifier, challenge } = pkce();
    const cb = await signIn(
      h,
      new Browser(),
      authorizeUrl(h, {
        client_id: strictRotation.client_id,
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid online_access',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    const issued = (await (await token(h, codeFields(strictRotation, cb.searchParams.get('code')!, verifier))).json()) as Record<string, string>;
    expect(issued.refresh_token).toMatch(/^ORT/);
    for (let i = 0; i < 2; i++) {
      const r = await refresh(strictRotation, issued.refresh_token!);
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
    }
  });
});

describe('DPB-9 a DPoP-bound rotating refresh token keeps its key', () => {
  let pub: TestClient;
  let key: DpopKey;
  let other: DpopKey;
  beforeAll(async () => {
    const { client_secret: _unused, ...publicClient } = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none', ...rotating(86_400) });
    pub = publicClient;
    key = await dpopKey();
    other = await dpopKey();
  });

  /** A refresh with a proof of `k`, answering the nonce challenge of a public client first. */
  async function boundRefresh(refreshToken: string, k: DpopKey): Promise<{ status: number; body: Record<string, string> }> {
    const fields = { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentialsOf(pub) };
    const nonce = (await token(h, fields, await proof(k, { htu: tokenUrl(h) }))).headers.get('dpop-nonce')!;
    return refresh(pub, refreshToken, await proof(k, { htu: tokenUrl(h), nonce }));
  }

  it('rotates with the same binding, refuses another key, and a refusal rotates nothing', async () => {
    const { code, verifier } = await publicCode(h, pub);
    const fields = codeFields(pub, code, verifier);
    const nonce = (await token(h, fields, await proof(key, { htu: tokenUrl(h) }))).headers.get('dpop-nonce')!;
    const issued = (await (await token(h, fields, await proof(key, { htu: tokenUrl(h), nonce }))).json()) as Record<string, string>;
    const rt1 = issued.refresh_token!;

    const r1 = await boundRefresh(rt1, key);
    expect(r1.status).toBe(200);
    expect(decodeJwt(r1.body.access_token!).cnf).toEqual({ jkt: key.jkt });
    const rt2 = r1.body.refresh_token!;
    expect(rt2).not.toBe(rt1);
    // The trace tells the rotation under the refresh rule (TKQ-5) and the copied binding under DPB-9.
    const rules = (await traceOf(h, 'token')).rules;
    expect(rules.find((o) => o.id === 'TKQ-5' && o.actual?.startsWith('rotated'))).toMatchObject({ passed: true });
    expect(rules.find((o) => o.id === 'DPB-9' && o.expected?.startsWith('rotation copies the binding'))).toMatchObject({
      passed: true,
      actual: `refresh token bound to ${key.jkt}`,
    });

    const wrongKey = await boundRefresh(rt2, other);
    expect(wrongKey.status).toBe(403);
    expect(wrongKey.body.error_description).toBe('DPoP proof key does not match the refresh token binding');
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-9');

    // The refused request neither rotated rt2 nor revoked the family: rt2 is still the newest and bound to the key.
    const r2 = await boundRefresh(rt2, key);
    expect(r2.status).toBe(200);
    expect(r2.body.token_type).toBe('DPoP');
    expect(decodeJwt(r2.body.access_token!).cnf).toEqual({ jkt: key.jkt });
    expect((await boundRefresh(r2.body.refresh_token!, other)).status).toBe(403);
  });
});
