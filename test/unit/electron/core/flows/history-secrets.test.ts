/**
 * Secrets in history (issue #13, item 7): real flows against the embedded server — an authorization code
 * flow with PKCE, a client secret and a refresh token (offline_access), the same step by step (its pauses
 * are events too), and client_credentials for the Management API — then the bytes of flow-history.json
 * and every event emitted are searched for the real values the core sent and received, as seen at the
 * transport: no access-token signature, no authorization code, no code_verifier, no refresh token, no
 * client secret. The runs still succeed (the engine keeps what it needs in the core only).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowHistory } from '../../../../../electron/core/flows/flow-history';
import type { CoreFetch } from '../../../../../electron/core/http/request-policy';
import { confStoreFactory } from '../../../../../electron/core/store/document-store';
import type { ParleyEvent } from '../../../../../shared/ipc/contract';
import type { FlowPausePurpose, FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { REDIRECT, flowHarness, stepOf } from './helpers';

/** What crossed the core's transport: every form value sent and every JSON member received, by name. */
const sent: [string, string][] = [];
const received: [string, unknown][] = [];

/** Node's fetch, noting what it carries (the transport boundary; nothing is changed). */
const recordingFetch: CoreFetch = async (url, init) => {
  if (typeof init.body === 'string') for (const pair of new URLSearchParams(init.body)) sent.push(pair);
  const res = await fetch(url, init);
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      const value: unknown = await res.clone().json();
      if (value && typeof value === 'object') received.push(...Object.entries(value));
    } catch {
      // not JSON after all: nothing to note
    }
  }
  return res;
};

let h: FlowHarness;
let clientSecret: string;
const events: ParleyEvent[] = [];

beforeAll(async () => {
  h = await flowHarness({ fetch: recordingFetch });
  h.core.events.subscribe((e) => events.push(e));
  const issuer = h.core.server.running!.urls.issuer;
  const created = await h.call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'Refresh App',
      app_type: 'regular_web',
      callbacks: [],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  clientSecret = (h.core.server.directory.getClientJson(created.client_id) as unknown as { client_secret: string }).client_secret;
  await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'refresh',
      name: 'Refresh App',
      issuer,
      client_id: created.client_id,
      auth: { method: 'client_secret_post', hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access',
      embedded: true,
    },
    secret: clientSecret,
  });
});
afterAll(async () => {
  await h.core.close();
});

async function pausedAt(runId: string, purpose: FlowPausePurpose): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const run = h.core.flows.get(runId);
    if (run.status === 'paused' && run.paused?.purpose === purpose) return;
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled')
      throw new Error(`the run ended (${run.status}) before pausing at ${purpose}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no pause at ${purpose}`);
}

function succeeded(run: FlowRun): void {
  expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
}

describe('Flows › secrets never reach the history or the events', () => {
  it('keeps no access-token signature, code, code_verifier, refresh token or client secret, and the runs still succeed', async () => {
    succeeded(await h.run('refresh', 'plain'));

    const stepped = await h.call<FlowRun>('flows.start', { targetId: 'refresh', kind: 'plain', stepThrough: true });
    for (const purpose of ['discovery', 'authorize', 'token', 'jwks'] as const) {
      await pausedAt(stepped.id, purpose);
      await h.call('flows.next', { runId: stepped.id });
    }
    succeeded(await h.core.flows.settled(stepped.id));

    // The built-in target: a Management API token (client_credentials).
    succeeded(await h.run('embedded', 'client_credentials'));

    const values = (list: [string, unknown][], name: string): string[] =>
      list.filter(([k, v]) => k === name && typeof v === 'string' && v !== '').map(([, v]) => v as string);
    const accessTokens = values(received, 'access_token');
    const refreshTokens = values(received, 'refresh_token');
    const codes = values(sent, 'code');
    const verifiers = values(sent, 'code_verifier');
    const secrets = values(sent, 'client_secret');
    // What the runs carried: three access tokens (two with a refresh token), two codes and verifiers, the client secrets.
    expect(accessTokens).toHaveLength(3);
    expect(refreshTokens).toHaveLength(2);
    expect(codes).toHaveLength(2);
    expect(verifiers).toHaveLength(2);
    expect(secrets).toEqual(expect.arrayContaining([clientSecret]));
    // An access token keeps its claims (readable) but loses its signature; an opaque one is not kept at all.
    const forbidden = [...accessTokens.map((t) => (t.split('.').length === 3 ? t.split('.')[2]! : t)), ...refreshTokens, ...codes, ...verifiers, ...secrets];
    expect(forbidden.every((f) => f.length >= 16)).toBe(true);

    const historyBytes = readFileSync(join(h.dir, 'flow-history.json'), 'utf8');
    const flowEvents = events.filter((e) => e.name === 'flows.updated');
    expect(flowEvents.length).toBeGreaterThan(10);
    expect(flowEvents.some((e) => e.payload.status === 'paused')).toBe(true);
    for (const [where, text] of [['flow-history.json', historyBytes], ...flowEvents.map((e, i): [string, string] => [`event ${i}`, JSON.stringify(e)])] as [
      string,
      string,
    ][]) {
      for (const secret of forbidden) expect(text.includes(secret), `${where} holds ${secret.slice(0, 6)}…`).toBe(false);
    }
    // Nor does any other event (server traces, for instance).
    const all = JSON.stringify(events);
    for (const secret of forbidden) expect(all.includes(secret)).toBe(false);

    // What the history keeps instead: the access token's claims without a signature, and placeholders.
    const [latest] = await h.call<FlowRun[]>('flows.history');
    const exchange = stepOf(latest!, 'exchange');
    const kept = exchange.jwts.find((j) => j.label === 'Access token')?.token;
    if (accessTokens[2]!.split('.').length === 3) expect(kept).toBe(`${accessTokens[2]!.split('.').slice(0, 2).join('.')}.`);
    const code = (await h.call<FlowRun[]>('flows.history')).find((r) => r.id === stepped.id)!;
    expect(new URLSearchParams(stepOf(code, 'exchange').exchange!.request.body).get('code')).toBe('[redacted]');
    expect(new URLSearchParams(stepOf(code, 'exchange').exchange!.request.body).get('code_verifier')).toBe('[redacted]');
    expect(String(stepOf(code, 'callback').detail?.['callbackUrl'])).toMatch(/[?&]code=%5Bredacted%5D/);
  });
});

describe('Flows › a history written before the redaction rules', () => {
  it('loses its codes, verifiers and access-token signatures when it is opened, and keeps the rest', async () => {
    const run = (await h.call<FlowRun[]>('flows.history')).find((r) => r.kind === 'plain')!;
    // The same run as an older Parley stored it: the code, the verifier and the signed access token in clear.
    const planted = { code: 'planted-code-0123456789', verifier: 'planted-verifier-0123456789abcdef', signature: 'plantedSignature0123456789abcdef' };
    const accessToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.${planted.signature}`;
    const old = structuredClone(run);
    const exchange = stepOf(old, 'exchange');
    exchange.exchange!.request.body = `grant_type=authorization_code&code=${planted.code}&code_verifier=${planted.verifier}&client_secret=%5Bredacted%5D`;
    exchange.exchange!.response!.body = JSON.stringify({ access_token: accessToken, token_type: 'Bearer' });
    exchange.jwts = [{ label: 'Access token', token: accessToken }];
    exchange.detail = { ...exchange.detail, code_verifier: planted.verifier };
    stepOf(old, 'callback').detail = { callbackUrl: `${REDIRECT}?code=${planted.code}&state=s` };
    const dir = mkdtempSync(join(tmpdir(), 'parley-old-history-'));
    try {
      writeFileSync(join(dir, 'flow-history.json'), JSON.stringify({ version: 1, runs: [old] }), { mode: 0o600 });
      const history = new FlowHistory(confStoreFactory(dir), []);
      const bytes = readFileSync(join(dir, 'flow-history.json'), 'utf8');
      for (const secret of Object.values(planted)) expect(bytes).not.toContain(secret);
      const kept = history.get(run.id)!;
      expect(stepOf(kept, 'exchange').jwts[0]!.token).toBe(`${accessToken.split('.').slice(0, 2).join('.')}.`);
      expect(stepOf(kept, 'exchange').detail?.['code_verifier']).toBeUndefined();
      expect(stepOf(kept, 'discover')).toEqual(stepOf(run, 'discover'));
      // A run that was already redacted is unchanged by it.
      expect(new FlowHistory(confStoreFactory(h.dir), []).get(run.id)).toEqual(run);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
