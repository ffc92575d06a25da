/**
 * /authorize with a request object by value (RFC 9101): JAR-1..3, JAR-16..19; attack rows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import { authorizeUrl, Browser, CALLBACK, expectFailed, expectPassed, form, lastTrace, pkce, requestObject, rsaKey, signIn, startServer } from './helpers';
import { baseParams, get, htmlError, redirectedError, toLogin } from './authorize-tools';

let h: Harness;
let plain: TestClient;
let jar: TestClient;
let jarPs: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: false });
  plain = await h.client();
  jar = await h.client({}, { jar: rsaKey() });
  // The strict profile takes PS256 request objects only (FAPI 2.0).
  jarPs = await h.client({}, { jar: rsaKey(), alg: 'PS256' });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  setClockOffset(0);
  h.settings({ profile: 'auth0', parRequired: false, loopbackAnyPort: false, consent: false, issParameter: false });
});

describe('RFC 9101 JAR › JAR-1 request and request_uri together (X-11)', () => {
  it('rejects request + request_uri with an HTML page (no redirect)', async () => {
    const ro = await requestObject(h, jar);
    const text = await htmlError(
      await get(authorizeUrl(h, { client_id: jar.client_id, request: ro, request_uri: 'urn:ietf:params:oauth:request_uri:x', redirect_uri: CALLBACK })),
    );
    expect(text).toContain('request and request_uri parameters must not be used together');
    expect((await expectFailed(h, 'authorize', 'JAR-1')).failedRule).toBe('JAR-1');
  });
});

describe('RFC 9101 JAR › JAR-2 client_id in the query', () => {
  it('requires client_id next to request', async () => {
    const text = await htmlError(await get(authorizeUrl(h, { request: await requestObject(h, jar) })));
    expect(text).toContain('Missing required parameter: client_id');
    expect((await lastTrace(h, 'authorize')).failedRule).toBe('JAR-2');
  });

  it('rejects a request object whose client_id differs from the query (X-14), redirected to the outer registered redirect_uri', async () => {
    const ro = await requestObject(h, jar, { client_id: plain.client_id });
    const q = redirectedError(await get(authorizeUrl(h, { client_id: jar.client_id, request: ro, redirect_uri: CALLBACK, state: 'outer' })));
    expect(q.get('error')).toBe('invalid_request_object');
    expect(q.get('error_description')).toBe('client_id mismatch');
    expect(q.get('state')).toBe('outer');
    await expectFailed(h, 'authorize', 'JAR-2');
  });
});

describe('Auth0 JAR › JAR-3 signed_request_object.required', () => {
  it('rejects a plain request from a client that requires JAR, redirected to its registered redirect_uri', async () => {
    const strictClient = await h.client({}, { jar: rsaKey(), jarRequired: true });
    const q = redirectedError(await get(authorizeUrl(h, baseParams(strictClient))));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toBe('JWT-secured authorization request is required for this client');
    expect(q.get('state')).toBe('st-1');
    await expectFailed(h, 'authorize', 'JAR-3');
    toLogin(h, await get(authorizeUrl(h, { client_id: strictClient.client_id, request: await requestObject(h, strictClient) })));
    await expectPassed(h, 'authorize', 'JAR-3');
  });
});

describe('Auth0 JAR › JAR-16 merging and JAR-17 response_type', () => {
  it('Auth0 profile: starts from the query and lets the JAR override it', async () => {
    const ro = await requestObject(h, jar, { scope: undefined, state: 'inner' });
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: jar.client_id, request: ro, scope: 'openid email', state: 'outer' }));
    expect(cb.searchParams.get('state')).toBe('inner');
    const trace = [...h.traces].reverse().find((t) => t.endpoint === 'authorize' && t.rules.some((r) => r.id === 'JAR-16'))!;
    expect(trace.rules.find((r) => r.id === 'JAR-16')!.actual).toContain('kept from the query: scope');
    const res = await form(`${h.base}oauth/token`, {
      grant_type: 'authorization_code',
      client_id: jar.client_id,
      client_secret: jar.client_secret!,
      code: cb.searchParams.get('code')!,
      redirect_uri: CALLBACK,
    });
    expect(((await res.json()) as { scope: string }).scope).toBe('openid email');
  });

  it('strict profile: ignores every query parameter except client_id', async () => {
    h.settings({ profile: 'strict' });
    const p = pkce();
    const ro = await requestObject(h, jarPs, { scope: undefined, state: 'inner', code_challenge: p.challenge, code_challenge_method: 'S256' });
    const cb = await signIn(h, new Browser(), authorizeUrl(h, { client_id: jarPs.client_id, request: ro, scope: 'openid email', state: 'outer' }));
    expect(cb.searchParams.get('state')).toBe('inner');
    const trace = [...h.traces].reverse().find((t) => t.endpoint === 'authorize' && t.rules.some((r) => r.id === 'JAR-16'))!;
    expect(trace.rules.find((r) => r.id === 'JAR-16')!.actual).toBe('ignored query parameters: scope');
  });

  it('Auth0 profile: a different response_type in the query is overridden by the JAR; strict rejects it', async () => {
    toLogin(h, await get(authorizeUrl(h, { client_id: jar.client_id, request: await requestObject(h, jar), response_type: 'token', redirect_uri: CALLBACK })));
    await expectPassed(h, 'authorize', 'JAR-17');
    h.settings({ profile: 'strict' });
    const q = redirectedError(
      await get(authorizeUrl(h, { client_id: jarPs.client_id, request: await requestObject(h, jarPs), response_type: 'token', redirect_uri: CALLBACK })),
    );
    expect(q.get('error')).toBe('invalid_request_object');
    expect(q.get('error_description')).toBe('response_type mismatch');
    await expectFailed(h, 'authorize', 'JAR-17');
  });
});

describe('RFC 9101 JAR › JAR-18 the assembled request is validated like any other', () => {
  it('refuses an unregistered redirect_uri from inside a valid JAR with the callback-mismatch page', async () => {
    const text = await htmlError(
      await get(authorizeUrl(h, { client_id: jar.client_id, request: await requestObject(h, jar, { redirect_uri: 'https://evil.example/cb' }) })),
    );
    expect(text).toContain('Callback URL mismatch. https://evil.example/cb is not in the list of allowed callback URLs');
    await expectFailed(h, 'authorize', 'RED-1');
  });

  it('redirects an unsupported response_type from a valid JAR to its verified redirect_uri', async () => {
    const q = redirectedError(await get(authorizeUrl(h, { client_id: jar.client_id, request: await requestObject(h, jar, { response_type: 'id_token' }) })));
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('state')).toBe('st-jar');
    await expectFailed(h, 'authorize', 'AZQ-1');
  });

  it('records JAR-18 for a valid request object', async () => {
    toLogin(h, await get(authorizeUrl(h, { client_id: jar.client_id, request: await requestObject(h, jar) })));
    await expectPassed(h, 'authorize', 'JAR-18');
  });
});

describe('RFC 9101 JAR › JAR-19 errors of an unverified JAR', () => {
  it('never redirects to the redirect_uri inside a JAR whose signature fails; uses the registered outer one', async () => {
    const forged = await requestObject(h, jar, { redirect_uri: 'https://evil.example/cb' }, rsaKey().privateKey);
    const res = await get(authorizeUrl(h, { client_id: jar.client_id, request: forged, redirect_uri: CALLBACK, state: 'outer' }));
    const q = redirectedError(res);
    expect(res.headers.get('location')).not.toContain('evil');
    expect(q.get('error')).toBe('invalid_request_object');
    expect(q.get('state')).toBe('outer');
    const trace = await expectFailed(h, 'authorize', 'JAR-8');
    expect(trace.rules.find((r) => r.id === 'JAR-19')!.actual).toContain('outer redirect_uri');
  });

  it('shows the HTML page when there is no registered outer redirect_uri', async () => {
    const forged = await requestObject(h, jar, { redirect_uri: 'https://evil.example/cb' }, rsaKey().privateKey);
    await htmlError(await get(authorizeUrl(h, { client_id: jar.client_id, request: forged })));
    await htmlError(await get(authorizeUrl(h, { client_id: jar.client_id, request: forged, redirect_uri: 'https://evil.example/cb' })));
    expect((await lastTrace(h, 'authorize')).rules.find((r) => r.id === 'JAR-19')!.actual).toContain('HTML page');
  });
});
