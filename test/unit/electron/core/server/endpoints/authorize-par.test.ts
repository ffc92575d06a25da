/**
 * /authorize with a pushed request_uri (RFC 9126 §4): AZR-1..9; attack rows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import { authorizeUrl, Browser, CALLBACK, expectFailed, expectPassed, lastTrace, location, requestObject, rsaKey, signIn, startServer } from './helpers';
import { baseParams, get, htmlError, push, redirectedError, toLogin } from './authorize-tools';

let h: Harness;
let plain: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: false });
  plain = await h.client();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  setClockOffset(0);
  h.settings({ profile: 'auth0', parRequired: false, loopbackAnyPort: false, consent: false, issParameter: false });
});

describe('RFC 9126 PAR at /authorize › AZR-1..5 (X-12, X-13)', () => {
  it('AZR-1: refuses a request_uri that is not one of ours and never fetches it', async () => {
    const text = await htmlError(await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: 'https://attacker.example/ro.jwt' })));
    expect(text).toContain('request_uri_not_supported');
    await expectFailed(h, 'authorize', 'AZR-1');
  });

  it('AZR-2: requires client_id with request_uri', async () => {
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK });
    expect(await htmlError(await get(authorizeUrl(h, { request_uri: uri })))).toContain('Missing required parameter: client_id');
    await expectFailed(h, 'authorize', 'AZR-2');
  });

  it('AZR-2: refuses a request_uri of client A used with client B, without burning it', async () => {
    const other = await h.client();
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK });
    expect(await htmlError(await get(authorizeUrl(h, { client_id: other.client_id, request_uri: uri })))).toContain(
      'request_uri was issued to a different client',
    );
    await expectFailed(h, 'authorize', 'AZR-2');
    toLogin(h, await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: uri })));
  });

  it('AZR-3: refuses an unknown (guessed) and an expired request_uri', async () => {
    const guessed = await htmlError(await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: 'urn:ietf:params:oauth:request_uri:guess' })));
    expect(guessed).toContain('request_uri is invalid, expired, or was already used');
    expect(guessed).toContain('invalid_request_uri');
    await expectFailed(h, 'authorize', 'AZR-3');
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK });
    setClockOffset(31_000);
    await htmlError(await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: uri })));
    expect((await expectFailed(h, 'authorize', 'AZR-3')).rules.find((r) => r.id === 'AZR-3')!.actual).toBe('expired');
  });

  it('AZR-4: rejects a request_uri used twice', async () => {
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK });
    toLogin(h, await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: uri })));
    await expectPassed(h, 'authorize', 'AZR-4');
    expect(await htmlError(await get(authorizeUrl(h, { client_id: plain.client_id, request_uri: uri })))).toContain(
      'request_uri is invalid, expired, or was already used',
    );
    expect((await expectFailed(h, 'authorize', 'AZR-3')).rules.find((r) => r.id === 'AZR-3')!.actual).toBe('already used');
  });

  it('AZR-4: the sign-in may take longer than the 30-second PAR lifetime', async () => {
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK, state: 'slow' });
    const browser = new Browser();
    const first = await browser.fetch(authorizeUrl(h, { client_id: plain.client_id, request_uri: uri }));
    setClockOffset(120_000);
    const cb = await signIn(h, browser, location(h, first));
    expect(cb.searchParams.get('state')).toBe('slow');
  });

  it('AZR-5: ignores every other query parameter (redirect_uri, state) when request_uri is used', async () => {
    const uri = await push(h, plain, { response_type: 'code', redirect_uri: CALLBACK, state: 'pushed' });
    const cb = await signIn(
      h,
      new Browser(),
      authorizeUrl(h, { client_id: plain.client_id, request_uri: uri, redirect_uri: 'https://evil.example/cb', state: 'query' }),
    );
    expect(cb.origin + cb.pathname).toBe(CALLBACK);
    expect(cb.searchParams.get('state')).toBe('pushed');
    const trace = [...h.traces].reverse().find((t) => t.rules.some((r) => r.id === 'AZR-5'))!;
    expect(trace.rules.find((r) => r.id === 'AZR-5')!.actual).toBe('ignored: redirect_uri, state');
  });
});

describe('RFC 9126 PAR at /authorize › AZR-6..8', () => {
  it('AZR-6: validates the pushed request again (the callback was removed meanwhile)', async () => {
    const c = await h.client();
    const uri = await push(h, c, { response_type: 'code', redirect_uri: CALLBACK });
    await h.server.ctx.directory.updateClient(c.client_id, { callbacks: ['https://app.example.com/other'] });
    expect(await htmlError(await get(authorizeUrl(h, { client_id: c.client_id, request_uri: uri })))).toContain('Callback URL mismatch');
    await expectFailed(h, 'authorize', 'RED-1');
  });

  it('AZR-6 / AZR-7: a pushed JAR satisfies "JAR required"; a plain push made before the requirement does not', async () => {
    const c = await h.client({}, { jar: rsaKey() });
    const plainUri = await push(h, c, { response_type: 'code', redirect_uri: CALLBACK });
    const jarUri = await push(h, c, { request: await requestObject(h, c) });
    await h.server.ctx.directory.updateClient(c.client_id, { signed_request_object: { required: true } });
    toLogin(h, await get(authorizeUrl(h, { client_id: c.client_id, request_uri: jarUri })));
    await expectPassed(h, 'authorize', 'AZR-7');
    await expectPassed(h, 'authorize', 'AZR-6');
    const q = redirectedError(await get(authorizeUrl(h, { client_id: c.client_id, request_uri: plainUri })));
    expect(q.get('error_description')).toBe('JWT-secured authorization request is required for this client');
    await expectFailed(h, 'authorize', 'AZR-7');
  });

  it('AZR-8: a client that requires PAR cannot use a plain /authorize', async () => {
    const c = await h.client({ require_pushed_authorization_requests: true });
    const q = redirectedError(await get(authorizeUrl(h, baseParams(c))));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toBe('Pushed Authorization Requests are required for this client');
    await expectFailed(h, 'authorize', 'AZR-8');
    toLogin(h, await get(authorizeUrl(h, { client_id: c.client_id, request_uri: await push(h, c, { response_type: 'code', redirect_uri: CALLBACK }) })));
    await expectPassed(h, 'authorize', 'AZR-8');
  });

  it('AZR-8: the tenant switch and a compliance level require PAR too (with Auth0’s text for compliance levels)', async () => {
    h.settings({ parRequired: true });
    expect(redirectedError(await get(authorizeUrl(h, baseParams(plain)))).get('error_description')).toBe(
      'Pushed Authorization Requests are required for this tenant',
    );
    h.settings({ parRequired: false });
    const fapi = await h.client({ compliance_level: 'fapi2_sp_pkj_mtls' });
    expect(redirectedError(await get(authorizeUrl(h, baseParams(fapi)))).get('error_description')).toBe(
      'Pushed Authorization Requests are required by the configured compliance level',
    );
  });
});

describe('RFC 6749 §3.1 › AZR-9 duplicate parameters (X-17)', () => {
  it('rejects two redirect_uri parameters', async () => {
    const url = `${authorizeUrl(h, baseParams(plain))}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`;
    expect(await htmlError(await get(url))).toContain('redirect_uri parameter must not be provided twice');
    expect((await lastTrace(h, 'authorize')).failedRule).toBe('AZR-9');
  });
});
