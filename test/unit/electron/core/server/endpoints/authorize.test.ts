/**
 * /authorize: redirect URIs (RED-1..5), error delivery (E-5, E-6), PKCE at /authorize (TOK-7, TOK-8), POST
 * /authorize, RFC 9207 iss and the response modes; attack row X-16.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import { authorizeUrl, Browser, CALLBACK, expectFailed, expectPassed, form, hiddenFields, lastTrace, location, pkce, signIn, startServer } from './helpers';
import { baseParams, get, htmlError, redirectedError, toLogin } from './authorize-tools';

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

describe('Redirect URIs › RED-1..5 (X-16) and E-5, E-6', () => {
  const mismatch = (url: string) => `Callback URL mismatch. ${url} is not in the list of allowed callback URLs`;

  it('RED-1 / E-6: an unregistered redirect_uri, an extra path or query, and a trailing slash each get the callback-mismatch page', async () => {
    for (const url of ['https://other.example/callback', `${CALLBACK}/extra`, `${CALLBACK}?x=1`, `${CALLBACK}/`, 'https://app.example.com:444/callback']) {
      const text = await htmlError(await get(authorizeUrl(h, baseParams(plain, { redirect_uri: url }))));
      expect(text).toContain(mismatch(url).replace(/&/g, '&amp;'));
      expect((await lastTrace(h, 'authorize')).failedRule).toBe('RED-1');
    }
  });

  it('RED-2: a different loopback port is refused by default (Auth0-exact) and accepted for native apps with the switch', async () => {
    const native = await h.client({ app_type: 'native', token_endpoint_auth_method: 'none', callbacks: ['http://127.0.0.1:8123/cb'] });
    const p = pkce();
    const url = authorizeUrl(h, baseParams(native, { redirect_uri: 'http://127.0.0.1:9999/cb', code_challenge: p.challenge, code_challenge_method: 'S256' }));
    await htmlError(await get(url));
    expect((await expectFailed(h, 'authorize', 'RED-2')).rules.find((r) => r.id === 'RED-2')!.actual).toContain('switch is off');
    h.settings({ loopbackAnyPort: true });
    toLogin(h, await get(url));
    await expectPassed(h, 'authorize', 'RED-2');
    const web = await h.client({ callbacks: ['http://127.0.0.1:8123/cb'] });
    await htmlError(await get(authorizeUrl(h, baseParams(web, { redirect_uri: 'http://127.0.0.1:9999/cb' }))));
    expect((await expectFailed(h, 'authorize', 'RED-2')).rules.find((r) => r.id === 'RED-2')!.actual).toContain('not native');
  });

  it('RED-3: refuses fragments and javascript:/data: redirect URIs (which cannot be registered either)', async () => {
    // Registering one is refused since issue #13 (management/url-schemes.test.ts covers a stored one at logout).
    await expect(h.client({ callbacks: [CALLBACK, 'javascript:alert(1)'] })).rejects.toMatchObject({
      statusCode: 400,
      errorCode: 'invalid_body',
      ruleId: 'RED-3',
    });
    const c = await h.client({ callbacks: [CALLBACK] });
    for (const url of [`${CALLBACK}#frag`, 'javascript:alert(1)', 'data:text/html,hi']) {
      await htmlError(await get(authorizeUrl(h, baseParams(c, { redirect_uri: url }))));
      expect((await lastTrace(h, 'authorize')).failedRule).toBe('RED-3');
    }
  });

  it('RED-4: a custom-scheme callback is confirmed on the consent page, or auto-accepted when consent is off', async () => {
    const native = await h.client({ app_type: 'native', token_endpoint_auth_method: 'none', callbacks: ['com.example.app:/callback'] });
    const p = pkce();
    const url = authorizeUrl(h, baseParams(native, { redirect_uri: 'com.example.app:/callback', code_challenge: p.challenge, code_challenge_method: 'S256' }));
    const cb = await signIn(h, new Browser(), url);
    expect(cb.protocol).toBe('com.example.app:');
    await expectPassed(h, 'login', 'RED-4');
    h.settings({ consent: true });
    const browser = new Browser();
    const login = await browser.fetch(url);
    const page = await browser.fetch(location(h, login));
    const u = h.user();
    const consentRedirect = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(await page.text()), email: u.email, password: u.password });
    const consent = await (await browser.fetch(location(h, consentRedirect))).text();
    expect(consent).toContain('cannot be verified');
    expect(consent).toContain('com.example.app:/callback');
  });

  it('RED-5: a wildcard callback is compared literally, never expanded', async () => {
    const c = await h.client({ callbacks: ['https://*.example.com/callback'] });
    await htmlError(await get(authorizeUrl(h, baseParams(c, { redirect_uri: 'https://app.example.com/callback' }))));
    await expectPassed(h, 'authorize', 'RED-5');
    await expectFailed(h, 'authorize', 'RED-1');
  });

  it('E-5: an unknown client gets the HTML page; a known client with a registered redirect_uri gets the error redirected', async () => {
    const text = await htmlError(await get(authorizeUrl(h, { client_id: 'nope', response_type: 'code', redirect_uri: CALLBACK })));
    expect(text).toContain('Unknown client: nope');
    await expectFailed(h, 'authorize', 'AZQ-0');
    const q = redirectedError(await get(authorizeUrl(h, baseParams(plain, { response_type: 'token' }))));
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('state')).toBe('st-1');
    expect((await expectPassed(h, 'authorize', 'E-5')).rules.find((r) => r.id === 'E-5')!.actual).toBe(`redirected to ${CALLBACK}`);
  });

  it('E-5: escapes reflected input on the HTML page', async () => {
    const text = await htmlError(await get(authorizeUrl(h, { client_id: '<script>alert(1)</script>', response_type: 'code' })));
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('&lt;script&gt;');
  });
});

describe('RFC 7636 PKCE at /authorize › TOK-7, TOK-8', () => {
  it('TOK-7: rejects an unknown code_challenge_method with "transform algorithm not supported"', async () => {
    const q = redirectedError(await get(authorizeUrl(h, baseParams(plain, { code_challenge: pkce().challenge, code_challenge_method: 'S512' }))));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toBe('transform algorithm not supported');
    await expectFailed(h, 'authorize', 'TOK-7');
  });

  it('TOK-7: Auth0 mode applies the plain default to a challenge without a method; strict requires S256', async () => {
    toLogin(h, await get(authorizeUrl(h, baseParams(plain, { code_challenge: pkce().verifier }))));
    expect((await expectPassed(h, 'authorize', 'TOK-7')).rules.find((r) => r.id === 'TOK-7')!.actual).toContain('plain');
    h.settings({ profile: 'strict' });
    expect(redirectedError(await get(authorizeUrl(h, baseParams(plain, { code_challenge: pkce().verifier })))).get('error_description')).toBe(
      'code_challenge_method is required',
    );
    expect(
      redirectedError(await get(authorizeUrl(h, baseParams(plain, { code_challenge: pkce().verifier, code_challenge_method: 'plain' })))).get(
        'error_description',
      ),
    ).toBe('transform algorithm not supported');
  });

  it('TOK-7: rejects a malformed challenge', async () => {
    expect(
      redirectedError(await get(authorizeUrl(h, baseParams(plain, { code_challenge: 'short', code_challenge_method: 'S256' })))).get('error_description'),
    ).toBe('code_challenge is malformed');
  });

  it('TOK-8: a public client must send a code_challenge (and strict requires it of everyone)', async () => {
    const pub = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
    const q = redirectedError(await get(authorizeUrl(h, baseParams(pub))));
    expect(q.get('error_description')).toBe('code_challenge is required');
    await expectFailed(h, 'authorize', 'TOK-8');
    toLogin(h, await get(authorizeUrl(h, baseParams(plain))));
    h.settings({ profile: 'strict' });
    expect(redirectedError(await get(authorizeUrl(h, baseParams(plain)))).get('error_description')).toBe('code_challenge is required');
  });
});

describe('OIDC Core §3.1.2.1 › POST /authorize', () => {
  it('accepts the parameters as a form body, and refuses any other body with the HTML page', async () => {
    const res = await form(`${h.base}authorize`, baseParams(plain));
    toLogin(h, res);
    const json = await fetch(`${h.base}authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(baseParams(plain)),
      redirect: 'manual',
    });
    await htmlError(json);
  });
});

describe('RFC 9207 and response modes', () => {
  it('adds iss to the authorization response when the switch is on', async () => {
    h.settings({ issParameter: true });
    const cb = await signIn(h, new Browser(), authorizeUrl(h, baseParams(plain)));
    expect(cb.searchParams.get('iss')).toBe(h.base);
    const q = redirectedError(await get(authorizeUrl(h, baseParams(plain, { response_type: 'token' }))));
    expect(q.get('iss')).toBe(h.base);
  });

  it('delivers the code in the fragment and through form_post', async () => {
    const frag = await signIn(h, new Browser(), authorizeUrl(h, baseParams(plain, { response_mode: 'fragment' })));
    expect(new URLSearchParams(frag.hash.slice(1)).get('code')).toBeTruthy();
    const browser = new Browser();
    const first = await browser.fetch(authorizeUrl(h, baseParams(plain, { response_mode: 'form_post' })));
    const loginPage = await browser.fetch(location(h, first));
    const u = h.user();
    const posted = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(await loginPage.text()), email: u.email, password: u.password });
    expect(posted.status).toBe(200);
    const html = await posted.text();
    expect(html).toContain(`action="${CALLBACK}"`);
    expect(hiddenFields(html).code).toBeTruthy();
    expect(hiddenFields(html).state).toBe('st-1');
    expect(posted.headers.get('content-security-policy')).toContain('form-action https://app.example.com');
  });

  it('rejects an unknown response_mode', async () => {
    expect(redirectedError(await get(authorizeUrl(h, baseParams(plain, { response_mode: 'web_message' })))).get('error')).toBe('invalid_request');
    await expectFailed(h, 'authorize', 'AZQ-2');
  });
});
