/**
 * Compose's lint with the client known (issue 18): the rules that depend on the application's registration
 * — callbacks (RED-1..3), request-object credentials and their alg (JAR-4, JAR-5, JAR-7), JAR and PAR
 * required (JAR-3, AZR-8) — give the same verdict as the embedded server. Each draft is linted with the
 * registration Compose builds from the Management API's view of the client, then signed with the real key
 * and sent to the real server's /authorize: the lint reports exactly the rule the server fails, and no
 * problem when the server accepts.
 */
import { CompactSign } from 'jose';
import type { KeyObject } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, RuleOutcome } from '../../../../shared/jwt';
import { lintRequestObject } from '../../../../shared/jwt';
import type { ServerCredential } from '../../../../shared/schemas/server';
import { registrationOf } from '../../../../renderer/src/features/compose/client-registration';
import { buildTemplate, PLACEHOLDER_REDIRECT_URI, retargetRedirectUri } from '../../../../renderer/src/features/compose/compose-model';
import type { Harness, TestClient, TestKey } from '../../electron/core/server/endpoints/helpers';
import { authorizeUrl, CALLBACK, clearTraces, lastTrace, rsaKey, startServer } from '../../electron/core/server/endpoints/helpers';

let h: Harness;
let jar: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: false });
  jar = await h.client({}, { jar: rsaKey() });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.settings({ profile: 'auth0', parRequired: false, loopbackAnyPort: false });
});

const now = () => Math.floor(Date.now() / 1000);

/** The registration Compose builds for a client: the Management API's client, its credentials, the server settings. */
function registration(c: TestClient) {
  const directory = h.server.ctx.directory;
  const credentials = directory.listCredentials(c.client_id) as unknown as ServerCredential[];
  const reg = registrationOf(directory.getClientForUi(c.client_id), credentials, h.server.ctx.settings());
  if (!reg) throw new Error('registration not available');
  return reg;
}

/** A draft as Compose's "JAR + code" template fills it for the client (with the given redirect_uri and overrides). */
function draft(c: TestClient, payload: JsonObject = {}, header: JsonObject = {}): { header: JsonObject; payload: JsonObject } {
  const d = buildTemplate('jar-code', { issuer: h.base, clientId: c.client_id, profile: 'auth0', kid: undefined, alg: c.alg, now: now() });
  return { header: { ...d.header, ...header }, payload: { ...d.payload, ...payload } };
}

function failures(outcomes: RuleOutcome[]): string[] {
  return [...new Set(outcomes.filter((o) => !o.passed).map((o) => o.id))];
}

/** Lints the draft for the known client, then signs and sends it; returns both verdicts. */
async function bothVerdicts(c: TestClient, d: { header: JsonObject; payload: JsonObject }, key: KeyObject = (c.jar as TestKey).privateKey) {
  const lint = lintRequestObject(d, { issuer: h.base, clientId: c.client_id, profile: 'auth0', now: now(), endpoint: 'authorize', client: registration(c) });
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(d.payload))).setProtectedHeader(d.header as { alg: string }).sign(key);
  clearTraces(h);
  const res = await fetch(authorizeUrl(h, { client_id: c.client_id, request: jws }), { redirect: 'manual' });
  const trace = await lastTrace(h, 'authorize');
  const accepted = res.status === 302 && (res.headers.get('location') ?? '').includes('/u/login');
  return { lint, lintFailures: failures(lint), serverFailed: trace.failedRule, accepted, status: res.status };
}

describe('Compose lint with the client known › RED-1 callbacks', () => {
  it('reports RED-1 for the template redirect_uri the client has not registered, as the server does (400 RED-1)', async () => {
    const d = draft(jar, { redirect_uri: PLACEHOLDER_REDIRECT_URI });
    // Without the client the lint cannot know: this is the "no problems" that the server then refused.
    expect(failures(lintRequestObject(d, { issuer: h.base, clientId: jar.client_id, profile: 'auth0', now: now(), endpoint: 'authorize' }))).toEqual([]);
    const v = await bothVerdicts(jar, d);
    expect(v.status).toBe(400);
    expect(v.serverFailed).toBe('RED-1');
    expect(v.lintFailures).toEqual(['RED-1']);
    expect(v.lint.find((o) => o.id === 'RED-1' && !o.passed)).toMatchObject({
      expected: `one of ${JSON.stringify([CALLBACK])}`,
      actual: PLACEHOLDER_REDIRECT_URI,
    });
  });

  it('passes a registered redirect_uri, and the server accepts the same request object', async () => {
    const v = await bothVerdicts(jar, draft(jar, { redirect_uri: CALLBACK }));
    expect(v.lintFailures).toEqual([]);
    expect(v.lint.some((o) => o.id === 'RED-1' && o.passed)).toBe(true);
    expect(v.serverFailed).toBeUndefined();
    expect(v.accepted).toBe(true);
  });

  it('follows the server on loopback ports (RED-2): refused with the switch off, accepted for a native app with it on', async () => {
    const native = await h.client({ app_type: 'native', callbacks: ['http://127.0.0.1:8123/cb'] }, { jar: rsaKey() });
    const d = draft(native, { redirect_uri: 'http://127.0.0.1:9999/cb' });
    const off = await bothVerdicts(native, d);
    expect(off.serverFailed).toBe('RED-1');
    expect(off.lintFailures).toEqual(['RED-1', 'RED-2']);
    h.settings({ loopbackAnyPort: true });
    const on = await bothVerdicts(native, draft(native, { redirect_uri: 'http://127.0.0.1:9999/cb' }));
    expect(on.accepted).toBe(true);
    expect(on.lintFailures).toEqual([]);
    expect(on.lint.some((o) => o.id === 'RED-2' && o.passed)).toBe(true);
  });

  it('reports a missing redirect_uri as RED-1, as the server does', async () => {
    const d = draft(jar);
    delete d.payload.redirect_uri;
    const v = await bothVerdicts(jar, d);
    expect(v.serverFailed).toBe('RED-1');
    expect(v.lintFailures).toEqual(['RED-1']);
  });
});

describe('Compose lint with the client known › credentials, JAR and PAR required', () => {
  it('JAR-5: a request object whose alg differs from the registered credential’s alg', async () => {
    const ps = await h.client({}, { jar: rsaKey(), alg: 'PS256' });
    const v = await bothVerdicts(ps, draft(ps, { redirect_uri: CALLBACK }, { alg: 'RS256' }));
    expect(v.serverFailed).toBe('JAR-5');
    expect(v.lintFailures).toContain('JAR-5');
    expect(v.lint.find((o) => o.id === 'JAR-5' && !o.passed)?.message).toMatch(/registered for PS256/);
  });

  it('JAR-7: a kid that names no request-object credential of the client', async () => {
    const v = await bothVerdicts(jar, draft(jar, { redirect_uri: CALLBACK }, { kid: 'not-a-registered-kid' }));
    expect(v.serverFailed).toBe('JAR-7');
    expect(v.lintFailures).toEqual(['JAR-7']);
  });

  it('JAR-4: a client without request-object credentials, and a third-party client', async () => {
    const plain = await h.client();
    const noKeys = await bothVerdicts(plain, draft(plain, { redirect_uri: CALLBACK }), rsaKey().privateKey);
    expect(noKeys.serverFailed).toBe('JAR-4');
    expect(noKeys.lintFailures).toEqual(['JAR-4']);
    const third = await h.client({ is_first_party: false }, { jar: rsaKey() });
    const v = await bothVerdicts(third, draft(third, { redirect_uri: CALLBACK }));
    expect(v.serverFailed).toBe('JAR-4');
    expect(v.lintFailures).toEqual(['JAR-4']);
  });

  it('AZR-8: a client that requires PAR cannot send its request object to /authorize; at /oauth/par the lint passes it with a note', async () => {
    const parOnly = await h.client({ require_pushed_authorization_requests: true }, { jar: rsaKey() });
    const d = draft(parOnly, { redirect_uri: CALLBACK });
    const v = await bothVerdicts(parOnly, d);
    expect(v.serverFailed).toBe('AZR-8');
    expect(v.lintFailures).toEqual(['AZR-8']);
    expect(v.lint.find((o) => o.id === 'AZR-8')?.message).toMatch(/must be pushed to \/oauth\/par/);
    const pushed = lintRequestObject(d, {
      issuer: h.base,
      clientId: parOnly.client_id,
      profile: 'auth0',
      now: now(),
      endpoint: 'par',
      client: registration(parOnly),
    });
    expect(failures(pushed)).toEqual([]);
    expect(pushed.find((o) => o.id === 'AZR-8')).toMatchObject({ passed: true, note: expect.stringMatching(/required for this client/) });
  });

  it('AZR-8: the tenant-level “Require PAR” setting counts too', async () => {
    h.settings({ parRequired: true });
    const v = await bothVerdicts(jar, draft(jar, { redirect_uri: CALLBACK }));
    expect(v.serverFailed).toBe('AZR-8');
    expect(v.lintFailures).toEqual(['AZR-8']);
  });

  it('JAR-3: a JAR-required client is satisfied by the request object (listed as passed)', async () => {
    const required = await h.client({}, { jar: rsaKey(), jarRequired: true });
    const v = await bothVerdicts(required, draft(required, { redirect_uri: CALLBACK }));
    expect(v.accepted).toBe(true);
    expect(v.lintFailures).toEqual([]);
    expect(v.lint.some((o) => o.id === 'JAR-3' && o.passed)).toBe(true);
  });
});

describe('Compose drafts', () => {
  it('a new request-object draft carries iat, exp (now + 5 min) and jti, and the client’s first callback', () => {
    const t = now();
    const d = buildTemplate('jar-code', {
      issuer: 'https://i.example/',
      clientId: 'c1',
      profile: 'auth0',
      kid: undefined,
      alg: 'RS256',
      now: t,
      redirectUri: 'https://app.example.com/cb',
    });
    expect(d.payload).toMatchObject({ iat: t, exp: t + 300, redirect_uri: 'https://app.example.com/cb' });
    expect(d.payload.jti).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/));
    const par = buildTemplate('par-jar', {
      issuer: 'https://i.example/',
      clientId: 'c1',
      profile: 'auth0',
      kid: undefined,
      alg: 'RS256',
      now: t,
      codeChallenge: 'x',
    });
    expect(par.payload).toMatchObject({ iat: t, exp: t + 300, jti: expect.any(String) });
  });

  it('picking a client replaces the placeholder or the previous client’s callback with its first callback, never a typed one', () => {
    expect(retargetRedirectUri({ redirect_uri: PLACEHOLDER_REDIRECT_URI }, [], ['https://a.example/cb', 'https://a.example/2']).redirect_uri).toBe(
      'https://a.example/cb',
    );
    expect(retargetRedirectUri({ redirect_uri: 'https://old.example/cb' }, ['https://old.example/cb'], ['https://a.example/cb']).redirect_uri).toBe(
      'https://a.example/cb',
    );
    expect(retargetRedirectUri({ redirect_uri: 'https://typed.example/cb' }, ['https://old.example/cb'], ['https://a.example/cb']).redirect_uri).toBe(
      'https://typed.example/cb',
    );
    expect(retargetRedirectUri({ redirect_uri: 'https://a.example/2' }, [], ['https://a.example/cb', 'https://a.example/2']).redirect_uri).toBe(
      'https://a.example/2',
    );
  });
});
