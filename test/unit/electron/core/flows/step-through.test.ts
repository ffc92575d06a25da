/**
 * Step-through (trainer's kit): a run pauses before each request with the request it is about to send
 * (secrets redacted), `flows.next` sends it with the user's edits — an edited request-object claim is
 * re-signed and reaches the server — and `[redacted]` stands for the real secret, which never leaves the core.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { FlowPausePurpose, FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import { freezeClock, nowMs, setClockOffset } from '../../../../../electron/core/clock';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;

beforeAll(async () => {
  h = await flowHarness();
  const issuer = h.core.server.running!.urls.issuer;
  await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'pkj',
      name: 'Embedded PKJ',
      issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
    },
  });
});
afterAll(async () => {
  await h.core.close();
});
afterEach(() => {
  setClockOffset(0);
  freezeClock(undefined);
});

/** Waits until the run pauses at `purpose` (or ends), and returns it. */
async function pausedAt(runId: string, purpose: FlowPausePurpose): Promise<FlowRun> {
  for (let i = 0; i < 500; i++) {
    const run = h.core.flows.get(runId);
    if (run.status === 'paused' && run.paused?.purpose === purpose) return run;
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled')
      throw new Error(
        `the run ended (${run.status}) before pausing at ${purpose}: ${JSON.stringify(run.steps.map((s) => [s.name, s.status, s.error?.message]))}`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no pause at ${purpose}`);
}

describe('Flows › step-through', () => {
  it('PAR + JAR pauses before discovery, PAR, authorize, token and JWKS; an edited scope is re-signed and reaches the server', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'pkj', kind: 'par+jar', stepThrough: true });
    expect(started.options.stepThrough).toBe(true);

    const atDiscovery = await pausedAt(started.id, 'discovery');
    expect(atDiscovery.paused?.request).toMatchObject({ method: 'GET', url: expect.stringMatching(/\/\.well-known\/openid-configuration$/) });
    expect(stepOf(atDiscovery, 'discover').status).toBe('running');
    expect(stepOf(atDiscovery, 'discover').exchange).toBeUndefined();
    await h.call('flows.next', { runId: started.id });

    const atPar = await pausedAt(started.id, 'par');
    expect(stepOf(atPar, 'discover').status).toBe('ok');
    expect(atPar.paused?.request.method).toBe('POST');
    expect(Object.keys(atPar.paused?.request.form ?? {})).toEqual(expect.arrayContaining(['request', 'client_assertion', 'client_assertion_type']));
    const claims = atPar.paused?.requestObjectClaims;
    expect(claims?.['scope']).toBe('openid profile email');
    await h.call('flows.next', { runId: started.id, edits: { requestObjectClaims: { ...claims, scope: 'openid email' } } });

    const atAuthorize = await pausedAt(started.id, 'authorize');
    const pushed = stepOf(atAuthorize, 'push');
    expect(pushed.exchange?.response?.status).toBe(201);
    // The request object the server received carries the edited scope, and the server accepted its signature.
    const sent = new URLSearchParams(pushed.exchange?.request.body ?? '').get('request')!;
    expect(decodeJwt(sent)['scope']).toBe('openid email');
    expect(pushed.serverTraces?.[0]?.failedRule).toBeUndefined();
    expect(pushed.serverTraces?.[0]?.rules.find((r) => r.id === 'JAR-8')?.passed).toBe(true);
    expect(atAuthorize.paused?.request.url).toMatch(/[?&]request_uri=urn/);
    await h.call('flows.next', { runId: started.id });

    const atToken = await pausedAt(started.id, 'token');
    expect(atToken.paused?.request.form?.['grant_type']).toBe('authorization_code');
    expect(atToken.paused?.request.form?.['code']).toBeTruthy();
    await h.call('flows.next', { runId: started.id });

    await pausedAt(started.id, 'jwks');
    await h.call('flows.next', { runId: started.id });
    const done = await h.core.flows.settled(started.id);
    expect(done.status, JSON.stringify(done.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(done.paused).toBeUndefined();
    // The ID token's scope-dependent claims follow the edited scope: email, but no profile claims.
    expect(done.idTokenClaims?.['email']).toBeDefined();
    expect(done.idTokenClaims?.['name']).toBeUndefined();
  });

  it('shows a client secret as [redacted]; sending [redacted] back uses the real secret', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'embedded', kind: 'client_credentials', stepThrough: true });
    await h.call('flows.next', { runId: started.id });
    const atToken = await pausedAt(started.id, 'token');
    const form = atToken.paused!.request.form!;
    expect(form['client_secret']).toBe('[redacted]');
    const secret = h.core.server.directory.bootstrapInfo().management.client_secret;
    expect(JSON.stringify(atToken)).not.toContain(secret);
    await h.call('flows.next', { runId: started.id, edits: { form } });
    const done = await h.core.flows.settled(started.id);
    expect(done.status).toBe('succeeded');
    expect(stepOf(done, 'exchange').exchange?.response?.status).toBe(200);
  });

  it('an edited form field reaches the server as edited (a wrong audience is refused)', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'embedded', kind: 'client_credentials', stepThrough: true });
    await h.call('flows.next', { runId: started.id });
    const atToken = await pausedAt(started.id, 'token');
    await h.call('flows.next', { runId: started.id, edits: { form: { ...atToken.paused!.request.form!, audience: 'https://not-an-api.example/' } } });
    const done = await h.core.flows.settled(started.id);
    expect(done.status).toBe('failed');
    expect(stepOf(done, 'exchange').exchange?.request.body).toContain('audience=https%3A%2F%2Fnot-an-api.example%2F');
    expect(stepOf(done, 'exchange').exchange?.response?.status).toBe(403);
  });

  it('refuses next when the run is not paused, and cancels a paused run cleanly', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'pkj', kind: 'par', stepThrough: true });
    await pausedAt(started.id, 'discovery');
    await h.call('flows.cancel', { runId: started.id });
    const done = await h.core.flows.settled(started.id);
    expect(done.status).toBe('cancelled');
    expect(done.paused).toBeUndefined();
    await expect(h.call('flows.next', { runId: started.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not in progress'),
    });
  });

  it('a pause that outlives the request_uri: the paused authorize shows what was pushed and when it expires; resuming pushes again and the run succeeds', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'pkj', kind: 'par+jar', stepThrough: true });
    await pausedAt(started.id, 'discovery');
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'par');
    await h.call('flows.next', { runId: started.id });
    const atAuthorize = await pausedAt(started.id, 'authorize');
    const first = stepOf(atAuthorize, 'push');
    const firstUri = first.detail?.['request_uri'] as string;
    // What was already sent, and when its request_uri expires: the server's answer time + expires_in.
    const pushed = atAuthorize.paused?.pushed;
    expect(pushed?.requestUri).toBe(firstUri);
    expect(pushed?.expiresIn).toBe(30);
    expect(Date.parse(pushed!.expiresAt!) - Date.parse(pushed!.at)).toBe(30_000);
    expect(Date.parse(pushed!.at)).toBeGreaterThanOrEqual(Date.parse(first.startedAt!));

    // The trainer talks for 35 s (the clock moves; nothing waits), then presses Space.
    setClockOffset(35_000);
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'token');
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'jwks');
    await h.call('flows.next', { runId: started.id });
    const done = await h.core.flows.settled(started.id);
    expect(done.status, JSON.stringify(done.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
    expect(done.idTokenClaims?.['sub']).toBeTruthy();

    // The second PAR is its own exchange on the authorize step: 201, accepted by the server.
    const authorize = stepOf(done, 'authorize');
    expect(authorize.extraExchanges).toHaveLength(1);
    const again = authorize.extraExchanges![0]!;
    expect(again).toMatchObject({ purpose: 'par', reason: 'request_uri_expired' });
    expect(again.exchange.response?.status).toBe(201);
    expect(again.serverTraces?.[0]?.failedRule).toBeUndefined();
    const secondUri = JSON.parse(again.exchange.response!.body!)['request_uri'] as string;
    expect(secondUri).not.toBe(firstUri);
    // The browser was sent the new request_uri.
    const opened = new URL(h.launcher.opened.at(-1)!);
    expect(opened.searchParams.get('request_uri')).toBe(secondUri);
    // A fresh request object (new jti, iat, exp) and a fresh client assertion.
    const body = (b: string | undefined) => new URLSearchParams(b ?? '');
    const before = body(first.exchange?.request.body);
    const after = body(again.exchange.request.body);
    const ro1 = decodeJwt(before.get('request')!);
    const ro2 = decodeJwt(after.get('request')!);
    expect(ro2['jti']).not.toBe(ro1['jti']);
    expect(ro2['iat']).toBeGreaterThanOrEqual((ro1['iat'] as number) + 35);
    expect(ro2['exp']).toBeGreaterThan(ro1['exp'] as number);
    expect(ro2['state']).toBe(ro1['state']);
    expect(decodeJwt(after.get('client_assertion')!)['jti']).not.toBe(decodeJwt(before.get('client_assertion')!)['jti']);
    expect(again.jwts.map((j) => j.label)).toEqual(expect.arrayContaining(['Request object']));
  });

  it('a request_uri still valid at resume is not pushed again', async () => {
    const started = await h.call<FlowRun>('flows.start', { targetId: 'pkj', kind: 'par', stepThrough: true });
    await pausedAt(started.id, 'discovery');
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'par');
    await h.call('flows.next', { runId: started.id });
    const atAuthorize = await pausedAt(started.id, 'authorize');
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'token');
    await h.call('flows.cancel', { runId: started.id });
    const done = await h.core.flows.settled(started.id);
    expect(stepOf(done, 'authorize').extraExchanges).toBeUndefined();
    expect(new URL(h.launcher.opened.at(-1)!).searchParams.get('request_uri')).toBe(atAuthorize.paused?.pushed?.requestUri);
  });

  it('step durations exclude the time spent paused, which is recorded apart', async () => {
    // A frozen clock: only the pauses move it, so the work itself takes 0 ms.
    const t0 = nowMs();
    freezeClock(t0);
    const started = await h.call<FlowRun>('flows.start', { targetId: 'embedded', kind: 'client_credentials', stepThrough: true });
    await pausedAt(started.id, 'discovery');
    freezeClock(t0 + 60_000);
    await h.call('flows.next', { runId: started.id });
    await pausedAt(started.id, 'token');
    freezeClock(t0 + 60_000 + 120_000);
    await h.call('flows.next', { runId: started.id });
    const done = await h.core.flows.settled(started.id);
    expect(done.status).toBe('succeeded');
    expect(stepOf(done, 'discover')).toMatchObject({ durationMs: 0, pausedMs: 60_000 });
    expect(stepOf(done, 'exchange')).toMatchObject({ durationMs: 0, pausedMs: 120_000 });
    // Kept in the history as recorded.
    const kept = h.core.flows.get(started.id);
    expect(stepOf(kept, 'exchange').pausedMs).toBe(120_000);
  });

  it('a run without step-through never pauses', async () => {
    const run = await h.run('pkj', 'par');
    expect(run.status).toBe('succeeded');
    expect(run.options.stepThrough).toBeUndefined();
  });
});
