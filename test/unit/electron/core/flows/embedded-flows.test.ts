/**
 * Flows against the embedded server, through the contract: JAR, PAR and PAR+JAR reach a verified ID
 * token; client_credentials with private_key_jwt; rejections stop at the right step and name the
 * server's failed rule; callback problems are named plainly; cancellation; history without secrets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRun, FlowTarget } from '../../../../../shared/schemas/flows';
import type { ParleyEvent } from '../../../../../shared/ipc/contract';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT, stepOf } from './helpers';

let h: FlowHarness;
let target: FlowTarget;
let secretTarget: FlowTarget;
let clientSecret: string;
const events: ParleyEvent[] = [];

beforeAll(async () => {
  h = await flowHarness();
  h.core.events.subscribe((e) => events.push(e));
  const issuer = h.core.server.running!.urls.issuer;
  target = await h.call<FlowTarget>('flows.saveTarget', {
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
  // A second client authenticating with its secret (client_secret_basic), to check secrets never leak.
  const created = await h.call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'Secret App',
      app_type: 'regular_web',
      callbacks: [],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  });
  clientSecret = (h.core.server.directory.getClientJson(created.client_id) as unknown as { client_secret: string }).client_secret;
  secretTarget = await h.call<FlowTarget>('flows.saveTarget', {
    target: {
      id: 'basic',
      name: 'Embedded secret',
      issuer,
      client_id: created.client_id,
      auth: { method: 'client_secret_basic', hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid',
      embedded: true,
    },
    secret: clientSecret,
  });
});
afterAll(async () => {
  await h.core.close();
});

function expectVerified(run: FlowRun): void {
  expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
  expect(run.steps.every((s) => s.status === 'ok')).toBe(true);
  expect(run.idTokenClaims?.['aud']).toBe(target.client_id);
  expect(stepOf(run, 'verify').jwts.map((j) => j.label)).toContain('ID token');
}

describe('Flows › targets', () => {
  it('lists the built-in embedded target first, then saved targets, and registers the redirect_uri on the embedded client', async () => {
    const list = await h.call<FlowTarget[]>('flows.listTargets');
    expect(list.map((t) => t.id).slice(0, 3)).toEqual(['embedded', 'pkj', 'basic']);
    expect((h.core.server.directory.getClientJson(h.clientId) as unknown as { callbacks: string[] }).callbacks).toContain(REDIRECT);
    expect(secretTarget.auth.hasSecret).toBe(true);
  });

  it('keeps the client secret out of flows.json (it is sealed in the vault)', () => {
    expect(readFileSync(join(h.dir, 'flows.json'), 'utf8')).not.toContain(clientSecret);
    expect(readFileSync(join(h.dir, 'vault.json'), 'utf8')).not.toContain(clientSecret);
  });
});

describe('Flows › RFC 9101 JAR, RFC 9126 PAR and PAR+JAR reach a verified ID token', () => {
  it('JAR by value: the request object is signed in the vault and the ID token verifies', async () => {
    const run = await h.run('pkj', 'jar');
    expectVerified(run);
    expect(stepOf(run, 'build').jwts[0]?.label).toBe('Request object');
    expect(h.launcher.opened.at(-1)).toMatch(/[?&]request=eyJ/);
    expect(stepOf(run, 'exchange').jwts.map((j) => j.label)).toEqual(expect.arrayContaining(['Client assertion', 'ID token']));
    expect(stepOf(run, 'exchange').serverTraceIds.length).toBeGreaterThan(0);
    expect(stepOf(run, 'authorize').serverTraceIds.length).toBeGreaterThan(0);
  });

  it('records the JWKS request of the verify step and the options of the run', async () => {
    const run = await h.run('pkj', 'par', { pkce: false });
    expectVerified(run);
    const verify = stepOf(run, 'verify');
    expect(verify.exchange?.request.url).toMatch(/\/\.well-known\/jwks\.json$/);
    expect(verify.exchange?.response?.status).toBe(200);
    expect(JSON.parse(verify.exchange?.response?.body ?? '{}').keys.length).toBeGreaterThan(0);
    expect(run.options).toEqual({ pkce: false });
    expect(stepOf(run, 'exchange').exchange?.request.body).not.toContain('code_verifier');
  });

  it('refuses browser flows on the built-in target (it has no registered callback)', async () => {
    await expect(h.call('flows.start', { targetId: 'embedded', kind: 'par' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/only runs the client credentials flow/),
    });
  });

  it('PAR: pushes the parameters, opens the authorize URL with request_uri only, and verifies the ID token', async () => {
    const run = await h.run('pkj', 'par');
    expectVerified(run);
    expect(stepOf(run, 'push').exchange?.response?.status).toBe(201);
    expect(stepOf(run, 'push').detail?.['request_uri']).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(h.launcher.opened.at(-1)).toMatch(/[?&]request_uri=/);
  });

  it('PAR+JAR: pushes a signed request object and verifies the ID token', async () => {
    const run = await h.run('pkj', 'par+jar');
    expectVerified(run);
    expect(stepOf(run, 'push').jwts.map((j) => j.label)).toEqual(expect.arrayContaining(['Request object', 'Client assertion']));
  });

  it('client_credentials with private_key_jwt: discover then exchange, no browser', async () => {
    const before = h.launcher.opened.length;
    // Auth0 issues client_credentials tokens only for an API the client has a grant for (no contract op exists for grants yet).
    const audience = h.core.server.running!.urls.managementAudience;
    await h.core.server.directory.createClientGrant({ client_id: h.clientId, audience, scope: ['read:clients'] });
    await h.call('flows.saveTarget', { target: { ...target, id: 'pkj-api', audience } });
    const run = await h.run('pkj-api', 'client_credentials');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    expect(run.steps.map((s) => s.name)).toEqual(['discover', 'exchange']);
    expect(stepOf(run, 'exchange').exchange?.request.body).toContain('client_assertion_type=');
    expect(h.launcher.opened.length).toBe(before);
  });
});

describe('Flows › rejections stop at the right step and show the server rule', () => {
  it('JAR by value with a wrong aud stops at authorize and names JAR-11 from the server trace', async () => {
    const run = await h.run('pkj', 'jar', { jarClaims: { aud: 'https://wrong.example/' } });
    expect(run.status).toBe('failed');
    const authorize = stepOf(run, 'authorize');
    expect(authorize.status).toBe('failed');
    expect(authorize.error?.code).toBe('authorization_rejected');
    expect(authorize.error?.message).toContain('JAR-11');
    expect(authorize.serverTraceIds.length).toBeGreaterThan(0);
    expect(stepOf(run, 'exchange').status).toBe('pending');
  });

  it('stops at once when the server shows its error page, without waiting for the browser (JAR-11)', async () => {
    // A real browser tab stays on the server's error page: the launcher only settles when aborted.
    let aborted = false;
    h.launcher.next = async (url, _redirect, signal) => {
      const page = await fetch(url);
      expect(page.status).toBe(400);
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = true;
      return { cancelled: true };
    };
    try {
      const started = Date.now();
      const run = await h.run('pkj', 'jar', { jarClaims: { aud: 'https://wrong.example/' } });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(aborted).toBe(true);
      expect(run.status).toBe('failed');
      const authorize = stepOf(run, 'authorize');
      expect(authorize.error?.code).toBe('authorization_rejected');
      expect(authorize.error?.message).toMatch(/JAR-11 failed/);
      expect(authorize.serverTraceIds.length).toBe(1);
      // The trace itself travels with the run: the failed rule with its expected and actual values.
      const trace = authorize.serverTraces?.[0];
      expect(trace?.failedRule).toBe('JAR-11');
      expect(trace?.rules.find((r) => r.id === 'JAR-11')).toMatchObject({ passed: false, actual: 'https://wrong.example/' });
    } finally {
      h.launcher.next = (url) => h.launcher.signIn(url);
    }
  });

  it('PAR+JAR with a wrong aud stops at push with 400 invalid_request_object and JAR-11', async () => {
    const run = await h.run('pkj', 'par+jar', { jarClaims: { aud: 'https://wrong.example/' } });
    const push = stepOf(run, 'push');
    expect(push.status).toBe('failed');
    expect(push.exchange?.response?.status).toBe(400);
    expect(push.error?.message).toContain('invalid_request_object');
    expect(push.error?.message).toContain('JAR-11');
    expect(stepOf(run, 'authorize').status).toBe('pending');
  });
});

describe('Flows › the callback', () => {
  it('names a state mismatch plainly', async () => {
    h.launcher.next = async (_url, redirect) => ({ callbackUrl: `${redirect}?code=abc&state=forged` });
    const run = await h.run('pkj', 'plain');
    h.launcher.next = (url) => h.launcher.signIn(url);
    expect(stepOf(run, 'callback').error).toEqual({ code: 'state_mismatch', message: expect.stringMatching(/state is not the one this flow sent/) });
  });

  it('names an error returned to the callback plainly', async () => {
    h.launcher.next = async (url, redirect) => ({
      callbackUrl: `${redirect}?error=access_denied&error_description=User%20did%20not%20consent&state=${new URL(url).searchParams.get('state')}`,
    });
    const run = await h.run('pkj', 'plain');
    h.launcher.next = (url) => h.launcher.signIn(url);
    expect(stepOf(run, 'callback').error).toEqual({
      code: 'authorization_error',
      message: 'The authorization server returned an error to the callback: access_denied — User did not consent.',
    });
  });
});

describe('Flows › RFC 9207 mix-up defence', () => {
  it('checks iss before trusting an error response: an error from another issuer is an issuer mismatch', async () => {
    h.launcher.next = async (url, redirect) => ({
      callbackUrl: `${redirect}?error=access_denied&state=${new URL(url).searchParams.get('state')}&iss=${encodeURIComponent('https://attacker.example/')}`,
    });
    const run = await h.run('pkj', 'plain');
    h.launcher.next = (url) => h.launcher.signIn(url);
    expect(stepOf(run, 'callback').error?.code).toBe('issuer_mismatch');
    expect(stepOf(run, 'callback').error?.message).toContain('https://attacker.example/');
  });
});

describe('Flows › cancellation', () => {
  it('flows.cancel aborts the browser step and the run ends cancelled', async () => {
    h.launcher.next = (_url, _redirect, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ cancelled: true })));
    const started = await h.call<FlowRun>('flows.start', { targetId: 'pkj', kind: 'plain' });
    for (let i = 0; i < 100 && h.core.flows.get(started.id).status !== 'waiting-for-browser'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.core.flows.get(started.id).authorizeUrl).toMatch(/authorize\?/);
    await h.call('flows.cancel', { runId: started.id });
    const run = await h.core.flows.settled(started.id);
    h.launcher.next = (url) => h.launcher.signIn(url);
    expect(run.status).toBe('cancelled');
    expect(stepOf(run, 'authorize').status).toBe('cancelled');
    expect(stepOf(run, 'exchange').status).toBe('cancelled');
  });
});

describe('Flows › history and secrets', () => {
  it('keeps finished runs without the client secret, in the history file, the runs and the events', async () => {
    const run = await h.run('basic', 'par');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    expect(stepOf(run, 'push').exchange?.request.headers['authorization']).toBe('Basic [redacted]');
    const history = await h.call<FlowRun[]>('flows.history');
    expect(history[0]?.id).toBe(run.id);
    expect(await h.call<FlowRun>('flows.get', { runId: run.id })).toEqual(run);
    const basic = Buffer.from(`${secretTarget.client_id}:${clientSecret}`).toString('base64');
    for (const text of [readFileSync(join(h.dir, 'flow-history.json'), 'utf8'), JSON.stringify(history), JSON.stringify(events)]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(basic);
    }
    expect(events.some((e) => e.name === 'flows.updated' && e.payload.id === run.id && e.payload.status === 'succeeded')).toBe(true);
  });

  it('deletes a run from the history', async () => {
    const [first] = await h.call<FlowRun[]>('flows.history');
    await h.call('flows.deleteRun', { runId: first!.id });
    expect((await h.call<FlowRun[]>('flows.history')).some((r) => r.id === first!.id)).toBe(false);
  });
});
