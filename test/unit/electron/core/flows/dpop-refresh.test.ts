/**
 * Refreshing a finished run's tokens with DPoP against the embedded server (DPB-9, DPB-10, X-D18): the refresh
 * token stays in the core (never in the run, an event or a file), `flows.refresh` appends a `refresh` step whose
 * proof is by the run's key, a stale nonce is challenged and retried as its own exchange, the new access token is
 * bound to the same key and the refresh token stays bound; a proof by another key is refused with the
 * rule named in the run, and the refresh token survives that refusal.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedJWK, calculateJwkThumbprint, compactVerify, decodeJwt } from 'jose';
import type { JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clockOffset, setClockOffset } from '../../../../../electron/core/clock';
import type { CoreFetch } from '../../../../../electron/core/http/request-policy';
import type { ParleyEvent } from '../../../../../shared/ipc/contract';
import type { FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;
let target: FlowTarget;
let bound: { id: string; thumbprint: string };
let other: { id: string; thumbprint: string };
const events: ParleyEvent[] = [];
/** Every refresh token that crossed the core's transport, in order. */
const received: string[] = [];

/** Node's fetch, noting the refresh tokens token responses carry (the transport boundary; nothing is changed). */
const recordingFetch: CoreFetch = async (url, init) => {
  const res = await fetch(url, init);
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    const value = (await res.clone().json()) as Record<string, unknown> | null;
    if (typeof value?.['refresh_token'] === 'string') received.push(value['refresh_token']);
  }
  return res;
};

beforeAll(async () => {
  h = await flowHarness({ fetch: recordingFetch });
  h.core.events.subscribe((e) => events.push(e));
  bound = await h.call('keys.generate', { name: 'dpop', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
  other = await h.call('keys.generate', { name: 'another', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
  const pub = await h.call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'Public DPoP with refresh',
      app_type: 'native',
      callbacks: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    },
  });
  target = await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'dpop-refresh',
      name: 'Embedded DPoP (public, offline_access)',
      issuer: h.core.server.running!.urls.issuer,
      client_id: pub.client_id,
      auth: { method: 'none', hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access',
      embedded: true,
      dpop: { keyId: bound.id, bindCode: true },
    },
  });
});
afterEach(() => setClockOffset(0));
afterAll(async () => {
  await h.core.close();
});

async function refresh(runId: string, dpopKeyId?: string): Promise<FlowRun> {
  const started = await h.call<FlowRun>('flows.refresh', { runId, ...(dpopKeyId ? { dpopKeyId } : {}) });
  expect(started.status).toBe('running');
  return h.core.flows.settled(runId);
}

function refreshSteps(run: FlowRun): FlowRun['steps'] {
  return run.steps.filter((s) => s.name === 'refresh');
}

/** The embedded server's record of a refresh token (undefined once rotated away or unknown). */
function serverRecord(refreshToken: string): { jkt?: string } | undefined {
  return h.core.server.running!.ctx.memory.refreshTokens.get(refreshToken);
}

describe('Flows › refresh with DPoP proofs against the embedded server (DPB-9, DPB-10, X-D18)', () => {
  it('a public client: the refresh carries a proof by the same key, a stale nonce is challenged and retried, the new token is bound, the refresh token stays bound', async () => {
    const r = await h.run(target.id, 'plain');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(stepOf(r, 'exchange').detail?.['refresh_token']).toBe('held');
    const issued = received.at(-1)!;
    expect(serverRecord(issued)).toMatchObject({ jkt: bound.thumbprint });

    // Ten minutes later the nonce the run kept has expired: the first refresh proof is answered use_dpop_nonce.
    setClockOffset(clockOffset() + 10 * 60_000);
    const after = await refresh(r.id);
    expect(after.status, JSON.stringify(after.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(after.steps.slice(0, r.steps.length).map((s) => s.status)).toEqual(r.steps.map((s) => s.status));
    const [step] = refreshSteps(after);
    expect(step?.status).toBe('ok');
    expect(new URLSearchParams(step!.exchange!.request.body).get('grant_type')).toBe('refresh_token');
    expect(new URLSearchParams(step!.exchange!.request.body).get('refresh_token')).toBe('[redacted]');

    const challenges = step!.extraExchanges ?? [];
    expect(challenges.map((e) => [e.purpose, e.reason, e.exchange.response?.status])).toEqual([['token', 'use_dpop_nonce', 400]]);
    const nonce = challenges[0]!.exchange.response!.headers['dpop-nonce'];
    const proof = step!.exchange!.request.headers['dpop']!;
    const verified = await compactVerify(proof, EmbeddedJWK);
    expect(await calculateJwkThumbprint(verified.protectedHeader.jwk as JWK)).toBe(bound.thumbprint);
    expect(decodeJwt(proof)).toMatchObject({ htm: 'POST', htu: new URL('oauth/token', target.issuer).href, nonce });

    expect(step!.detail).toMatchObject({
      dpop: { alg: 'ES256', jkt: bound.thumbprint },
      token_type: 'DPoP',
      cnf_jkt: bound.thumbprint,
      // A non-rotating client (Auth0's default) keeps its refresh token: the same one stays held and bound.
      refresh_token: 'not returned',
    });
    // The server's own record: the refresh proof matched the binding (DPB-9), the token it keeps is still bound.
    const trace = step!.serverTraces!.at(-1)!;
    expect(trace.status).toBe(200);
    expect(trace.rules.find((o) => o.id === 'DPB-9')).toMatchObject({ passed: true });
    expect(received.at(-1)).toBe(issued);
    expect(serverRecord(issued)).toMatchObject({ jkt: bound.thumbprint });

    // The refresh token is a credential: not in the run, not in any event, not in any file of the data directory.
    const secrets = [issued];
    const published = JSON.stringify([after, events, h.core.flows.get(r.id)]);
    for (const secret of secrets) expect(published.includes(secret)).toBe(false);
    for (const file of readdirSync(h.dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())) {
      const text = readFileSync(join(file.parentPath, file.name), 'latin1');
      for (const secret of secrets) expect(text.includes(secret), file.name).toBe(false);
    }
  });

  it('a rotating client: each refresh hands out a new refresh token, bound to the same key, and the run holds the newest', async () => {
    const rotating = await h.call<{ client_id: string }>('server.createClient', {
      body: {
        name: 'Public DPoP with rotating refresh tokens',
        app_type: 'native',
        callbacks: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
        // Leeway 0: a reuse of a replaced token would revoke the family, so the second refresh proves the run moved on.
        refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
      },
    });
    const rotatingTarget = await h.call<FlowTarget>('flows.saveTarget', { target: { ...target, id: 'dpop-rotating', client_id: rotating.client_id } });
    const r = await h.run(rotatingTarget.id, 'plain');
    expect(r.status, JSON.stringify(r.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    const issued = received.at(-1)!;

    const first = await refresh(r.id);
    expect(first.status, JSON.stringify(first.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(refreshSteps(first)[0]!.detail).toMatchObject({ token_type: 'DPoP', cnf_jkt: bound.thumbprint, refresh_token: 'rotated' });
    const rotated = received.at(-1)!;
    expect(rotated).not.toBe(issued);
    expect(serverRecord(rotated)).toMatchObject({ jkt: bound.thumbprint });

    const second = await refresh(r.id);
    expect(second.status).toBe('succeeded');
    expect(refreshSteps(second).map((s) => [s.status, s.detail?.['refresh_token']])).toEqual([
      ['ok', 'rotated'],
      ['ok', 'rotated'],
    ]);
    expect(received.at(-1)).not.toBe(rotated);
    const published = JSON.stringify([second, events]);
    for (const secret of [issued, rotated, received.at(-1)!]) expect(published.includes(secret)).toBe(false);
  });

  it('a proof by another key is refused by DPB-9 (403 invalid_grant), named in the run; the refresh token is not rotated and still works with the bound key', async () => {
    const r = await h.run(target.id, 'plain');
    expect(r.status).toBe('succeeded');
    const held = received.at(-1)!;

    const refused = await refresh(r.id, other.id);
    expect(refused.status).toBe('failed');
    const [step] = refreshSteps(refused);
    expect(step?.status).toBe('failed');
    expect(step!.detail?.['dpop']).toEqual({ alg: 'ES256', jkt: other.thumbprint, otherKey: true });
    expect(step!.exchange!.response?.status).toBe(403);
    expect(JSON.parse(step!.exchange!.response!.body!)).toMatchObject({ error: 'invalid_grant' });
    expect(step!.error?.code).toBe('token_rejected');
    expect(step!.error?.message).toMatch(/DPB-9/);
    expect(step!.serverTraces?.some((t) => t.failedRule === 'DPB-9')).toBe(true);
    // X-D18: not rotated: the server still knows the same token, bound as before, and no new one was handed out.
    expect(received.at(-1)).toBe(held);
    expect(serverRecord(held)).toMatchObject({ jkt: bound.thumbprint });

    const again = await refresh(r.id);
    expect(again.status).toBe('succeeded');
    const steps = refreshSteps(again);
    expect(steps.map((s) => s.status)).toEqual(['failed', 'ok']);
    expect(steps[1]!.detail).toMatchObject({ token_type: 'DPoP', cnf_jkt: bound.thumbprint });
  });

  it('a run without a refresh token (no offline_access) says why it cannot refresh, and so does a run in progress', async () => {
    const noOffline = await h.call<FlowTarget>('flows.saveTarget', { target: { ...target, id: 'dpop-no-offline', scope: 'openid profile' } });
    const r = await h.run(noOffline.id, 'plain');
    expect(r.status).toBe('succeeded');
    expect(stepOf(r, 'exchange').detail?.['refresh_token']).toBeUndefined();
    await expect(h.call('flows.refresh', { runId: r.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/no refresh token to use: the token response had none \(ask for the offline_access scope/) as unknown,
    });
    const paused = await h.call<FlowRun>('flows.start', { targetId: target.id, kind: 'plain', stepThrough: true });
    await expect(h.call('flows.refresh', { runId: paused.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The flow run is still in progress: refresh its tokens once it has finished.',
    });
    await h.call('flows.cancel', { runId: paused.id });
    expect((await h.core.flows.settled(paused.id)).status).toBe('cancelled');
  });
});
