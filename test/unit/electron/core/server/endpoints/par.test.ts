import { freezeClock } from '../../../../../../electron/core/clock';
/**
 * RFC 9126 Pushed Authorization Requests at /oauth/par: PAR-1..4, PAR-6..19 (PAR-5 is in token.test.ts),
 * AZR-9 on the PAR body, and attack rows X-9 (PAR body), X-10, X-16 (PAR), X-17, X-22, X-26.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Harness, TestClient } from './helpers';
import { CALLBACK, JWT_BEARER, assertion, expectFailed, expectPassed, form, lastTrace, oauthError, pkce, requestObject, rsaKey, startServer } from './helpers';

let h: Harness;
let c: TestClient;
beforeAll(async () => {
  h = await startServer();
  c = await h.client({ callbacks: [CALLBACK, 'http://localhost:3000/callback'] });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.settings({ profile: 'auth0', parEnabled: true });
});

const parUrl = () => `${h.base}oauth/par`;
const secret = (client: TestClient) => ({ client_id: client.client_id, client_secret: client.client_secret! });
const minimal = { response_type: 'code', redirect_uri: CALLBACK };

async function pushOk(fields: Record<string, string>): Promise<{ request_uri: string; expires_in: number }> {
  const res = await form(parUrl(), fields);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { request_uri: string; expires_in: number };
}

async function pushError(
  fields: Record<string, string | string[]>,
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await form(parUrl(), fields, headers);
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('cache-control')).toContain('no-store');
  const body = await oauthError(res);
  expect(body.error).toBe(error);
  if (description !== undefined) expect(body.error_description).toBe(description);
}

describe('RFC 9126 PAR › PAR-1 and PAR-2 method and content type (X-26)', () => {
  it('answers 405 with Allow: POST to GET and PUT', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await fetch(parUrl(), { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-1');
    }
  });

  it('refuses a JSON body with 400 invalid_request', async () => {
    const res = await fetch(parUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...secret(c), ...minimal }) });
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toEqual({ error: 'invalid_request', error_description: 'content type must be application/x-www-form-urlencoded' });
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-2');
  });

  it('refuses any other content type the same way (never 415 from the framework)', async () => {
    const res = await fetch(parUrl(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'client_id=x' });
    expect(res.status).toBe(400);
    await expectFailed(h, 'par', 'PAR-2');
  });
});

describe('RFC 9126 PAR › PAR-3 body size (X-9)', () => {
  it('answers 413 for a body over 10 KB, before parsing it', async () => {
    const res = await form(parUrl(), { ...secret(c), ...minimal, state: 'x'.repeat(11 * 1024) });
    expect(res.status).toBe(413);
    expect((await oauthError(res)).error).toBe('invalid_request');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-3');
  });

  it('accepts a body just under 10 KB', async () => {
    await pushOk({ ...secret(c), ...minimal, 'ext-pad': 'x'.repeat(9 * 1024) });
    await expectPassed(h, 'par', 'PAR-3');
  });
});

describe('RFC 9126 PAR › PAR-4 client authentication (X-22)', () => {
  it('refuses an unauthenticated push with 401 invalid_client', async () => {
    await pushError({ client_id: c.client_id, ...minimal }, 401, 'invalid_client', 'client authentication is required');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-4');
  });

  it('refuses a public client even when it sends its secret', async () => {
    const pub = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
    await pushError({ client_id: pub.client_id, ...minimal }, 401, 'invalid_client', 'client authentication is required');
    await pushError({ client_id: pub.client_id, client_secret: pub.client_secret ?? 'x', ...minimal }, 401, 'invalid_client');
    await expectFailed(h, 'par', 'PKJ-4');
  });

  it('refuses a wrong secret the Auth0 way (E-3) and accepts private_key_jwt with the PAR endpoint as aud', async () => {
    await pushError({ client_id: c.client_id, client_secret: 'wrong', ...minimal }, 401, 'access_denied', 'Unauthorized');
    const pkj = await h.client({}, { pkj: rsaKey() });
    await pushOk({ client_id: pkj.client_id, client_assertion_type: JWT_BEARER, client_assertion: await assertion(h, pkj, {}, parUrl()), ...minimal });
    const trace = await expectPassed(h, 'par', 'PAR-4');
    expect(trace.rules.find((r) => r.id === 'PAR-4' && r.passed)!.actual).toBe('private_key_jwt');
  });
});

describe('RFC 9126 PAR › PAR-6 request_uri at PAR (X-10)', () => {
  it('refuses request_uri with invalid_request', async () => {
    await pushError(
      { ...secret(c), ...minimal, request_uri: 'urn:ietf:params:oauth:request_uri:abc' },
      400,
      'invalid_request',
      'request_uri must not be used at the PAR endpoint',
    );
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-6');
  });

  it('refuses a pushed request object that contains request_uri (JAR-15)', async () => {
    const jarClient = await h.client({}, { jar: rsaKey() });
    await pushError(
      { ...secret(jarClient), request: await requestObject(h, jarClient, { request_uri: 'https://evil.example/x' }) },
      400,
      'invalid_request_object',
    );
    expect((await lastTrace(h, 'par')).failedRule).toBe('JAR-15');
  });
});

describe('RFC 9126 PAR › PAR-7..10 validation of the pushed parameters (X-16)', () => {
  it('PAR-7: validates like /authorize, answering in JSON (never a redirect)', async () => {
    await pushError({ ...secret(c), ...minimal, response_type: 'token' }, 400, 'unsupported_response_type', 'Unsupported response type: token');
    await expectFailed(h, 'par', 'PAR-7');
    await pushError({ ...secret(c), redirect_uri: CALLBACK }, 400, 'invalid_request', 'Missing required parameter: response_type');
    await pushError(
      { ...secret(c), ...minimal, code_challenge: pkce().challenge, code_challenge_method: 'S512' },
      400,
      'invalid_request',
      'transform algorithm not supported',
    );
    await pushError({ ...secret(c), ...minimal, prompt: 'none login' }, 400, 'invalid_request');
  });

  it('PAR-8: requires redirect_uri', async () => {
    await pushError({ ...secret(c), response_type: 'code' }, 400, 'invalid_request', 'Missing required parameter: redirect_uri');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-8');
  });

  it('PAR-9: refuses an unregistered redirect_uri (no per-request redirect URIs) as JSON invalid_request', async () => {
    await pushError(
      { ...secret(c), response_type: 'code', redirect_uri: 'https://evil.example/cb' },
      400,
      'invalid_request',
      'Callback URL mismatch. https://evil.example/cb is not in the list of allowed callback URLs',
    );
    await expectFailed(h, 'par', 'PAR-9');
    await pushError({ ...secret(c), response_type: 'code', redirect_uri: 'javascript:alert(1)' }, 400, 'invalid_request');
  });

  it('PAR-10: keeps up to 10 ext- parameters, drops unknown ones silently, refuses an 11th ext-', async () => {
    const ext: Record<string, string> = {};
    for (let i = 0; i < 10; i++) ext[`ext-p${i}`] = `v${i}`;
    const { request_uri } = await pushOk({ ...secret(c), ...minimal, ...ext, test: 'value' });
    const stored = h.server.ctx.memory.pushedRequests.get(request_uri)!;
    expect(Object.keys(stored.request.extra)).toHaveLength(10);
    expect(JSON.stringify(stored.request)).not.toContain('"test"');
    await pushError({ ...secret(c), ...minimal, ...ext, 'ext-p10': 'v' }, 400, 'invalid_request', 'At most 10 ext- parameters are allowed');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-10');
  });
});

describe('RFC 9126 PAR › PAR-11 and PAR-12 request objects', () => {
  it('PAR-11: takes every authorization parameter from the request object and ignores other form fields', async () => {
    const jarClient = await h.client({}, { jar: rsaKey() });
    const { request_uri } = await pushOk({
      ...secret(jarClient),
      request: await requestObject(h, jarClient, { scope: 'openid', state: 'inner' }),
      scope: 'openid email',
      state: 'outer',
    });
    const stored = h.server.ctx.memory.pushedRequests.get(request_uri)!;
    expect(stored.request).toMatchObject({ scope: 'openid', state: 'inner', via: 'par+jar' });
    expect((await lastTrace(h, 'par')).rules.find((r) => r.id === 'PAR-11' && r.actual?.startsWith('ignored'))!.actual).toBe(
      'ignored form fields: scope, state',
    );
  });

  it('PAR-11: refuses a request object whose client_id is not the authenticated client (X-14)', async () => {
    const jarClient = await h.client({}, { jar: rsaKey() });
    await pushError(
      { ...secret(jarClient), request: await requestObject(h, jarClient, { client_id: c.client_id }) },
      400,
      'invalid_request_object',
      'request client_id must equal the authenticated client',
    );
    await expectFailed(h, 'par', 'PAR-11');
  });

  it('PAR-12: a client that requires JAR cannot push plain parameters', async () => {
    const jarClient = await h.client({}, { jar: rsaKey(), jarRequired: true });
    await pushError({ ...secret(jarClient), ...minimal }, 400, 'invalid_request', 'JWT-secured authorization request is required for this client');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-12');
    await pushOk({ ...secret(jarClient), request: await requestObject(h, jarClient) });
    await expectPassed(h, 'par', 'PAR-12');
  });
});

describe('RFC 9126 PAR › PAR-13..16 success', () => {
  it('PAR-13: answers 201 {request_uri, expires_in: 30} like the Auth0 recordings, with no-cache, no-store', async () => {
    const fixture = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../../../../../fixtures/auth0/TestPushedAuthorizationRequest__Should_support_all_arguments.json', import.meta.url)),
        'utf8',
      ),
    ) as {
      interactions: { request_body: Record<string, string>; status: number; response_body: Record<string, unknown> }[];
    };
    const recorded = fixture.interactions[0]!;
    const res = await form(parUrl(), { ...recorded.request_body, ...secret(c) });
    expect(res.status).toBe(recorded.status);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store');
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(recorded.response_body).sort());
    expect(body.expires_in).toBe(30);
    expect(body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  });

  it('PAR-14: the random part carries at least 128 bits and never repeats', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { request_uri } = await pushOk({ ...secret(c), ...minimal });
      const random = request_uri.slice('urn:ietf:params:oauth:request_uri:'.length);
      expect(random).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      seen.add(random);
    }
    expect(seen.size).toBe(5);
    await expectPassed(h, 'par', 'PAR-14');
  });

  it('PAR-15: binds the request_uri to the pushing client', async () => {
    const { request_uri } = await pushOk({ ...secret(c), ...minimal });
    expect(h.server.ctx.memory.pushedRequests.get(request_uri)!.client_id).toBe(c.client_id);
    await expectPassed(h, 'par', 'PAR-15');
  });

  it('PAR-16: never outlives the pushed request object', async () => {
    const jarClient = await h.client({}, { jar: rsaKey() });
    const now = Math.floor(Date.now() / 1000);
    const { expires_in } = await pushOk({ ...secret(jarClient), request: await requestObject(h, jarClient, { exp: now + 12 }) });
    expect(expires_in).toBeGreaterThan(0);
    expect(expires_in).toBeLessThanOrEqual(12);
    await expectPassed(h, 'par', 'PAR-16');
  });
});

describe('RFC 9126 PAR › PAR-17..19 strict profile, tenant switch, rate limit', () => {
  it('PAR-17: the strict profile requires S256 PKCE at PAR', async () => {
    h.settings({ profile: 'strict' });
    await pushError({ ...secret(c), ...minimal }, 400, 'invalid_request', 'code_challenge is required');
    const { expires_in } = await pushOk({ ...secret(c), ...minimal, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    expect(expires_in).toBeLessThan(600);
    await expectPassed(h, 'par', 'PAR-17');
  });

  it('PAR-18: refuses pushes when PAR is off for the tenant', async () => {
    h.settings({ parEnabled: false });
    await pushError({ ...secret(c), ...minimal }, 400, 'invalid_request', 'Pushed Authorization Requests are not enabled for this tenant');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-18');
  });

  it('PAR-19: answers 429 with Retry-After past 60 pushes in 10 seconds', async () => {
    const busy = await h.client();
    let last: Response | undefined;
    for (let i = 0; i < 61; i++) last = await form(parUrl(), { ...secret(busy), ...minimal });
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toBe('10');
    expect((await lastTrace(h, 'par')).failedRule).toBe('PAR-19');
  });

  it('PAR-19: counts from the first push, so a burst across a 10-second clock boundary is still limited', async () => {
    const busy = await h.client();
    const boundary = Math.ceil(Date.now() / 10_000) * 10_000 + 10_000;
    try {
      freezeClock(boundary - 50);
      for (let i = 0; i < 60; i++) expect((await form(parUrl(), { ...secret(busy), ...minimal })).status).toBe(201);
      freezeClock(boundary + 50);
      expect((await form(parUrl(), { ...secret(busy), ...minimal })).status).toBe(429);
      freezeClock(boundary - 50 + 10_001);
      expect((await form(parUrl(), { ...secret(busy), ...minimal })).status).toBe(201);
    } finally {
      freezeClock(undefined);
    }
  });
});

describe('RFC 6749 §3.1 › AZR-9 duplicate fields in the PAR body (X-17)', () => {
  it('refuses two redirect_uri fields', async () => {
    await pushError(
      { ...secret(c), response_type: 'code', redirect_uri: [CALLBACK, 'https://evil.example/cb'] },
      400,
      'invalid_request',
      'redirect_uri parameter must not be provided twice',
    );
    expect((await lastTrace(h, 'par')).failedRule).toBe('AZR-9');
  });

  it('refuses two client_assertion fields', async () => {
    const pkj = await h.client({}, { pkj: rsaKey() });
    const a = await assertion(h, pkj, {}, parUrl());
    await pushError(
      { client_id: pkj.client_id, client_assertion_type: JWT_BEARER, client_assertion: [a, a], ...minimal },
      400,
      'invalid_request',
      'client_assertion parameter must not be provided twice',
    );
  });
});
