/**
 * The interactive part: the sign-in page and its security headers, wrong passwords (SES-4), the browser
 * session (second /authorize skips the form; prompt and max_age), consent (Accept/Decline, SES-5), the
 * transaction cookie and CSRF token (SES-1..3), and logout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../../../../../electron/core/clock';
import type { Harness, TestClient } from './helpers';
import { Browser, CALLBACK, authorizeUrl, expectFailed, expectPassed, hiddenFields, lastTrace, location, signIn, startServer } from './helpers';

let h: Harness;
let c: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: true });
  c = await h.client({ name: 'Shop <b>&</b> Co', allowed_logout_urls: ['https://app.example.com/bye'] });
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  setClockOffset(0);
  h.settings({ consent: true });
});

const authz = (extra: Record<string, string> = {}) =>
  authorizeUrl(h, {
    client_id: c.client_id,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    state: 'st',
    audience: 'https://api.example.com/',
    ...extra,
  });

/** Opens the sign-in page of a fresh transaction. */
async function openLogin(browser: Browser, extra: Record<string, string> = {}): Promise<{ url: string; html: string; res: Response }> {
  const first = await browser.fetch(authz(extra));
  expect(first.status).toBe(302);
  const url = location(h, first);
  const res = await browser.fetch(url);
  return { url, html: await res.text(), res };
}

describe('Sign-in page', () => {
  it('renders labelled Email and Password fields, a Continue button and the escaped client name, with no external assets', async () => {
    const { html, res } = await openLogin(new Browser());
    expect(res.status).toBe(200);
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<button type="submit">Continue</button>');
    expect(html).toContain('Shop &lt;b&gt;&amp;&lt;/b&gt; Co');
    expect(html).not.toMatch(/<(link|img|script)[^>]+(src|href)=/);
  });

  it('sends a strict CSP with a nonce, X-Frame-Options DENY and Cache-Control no-store', async () => {
    const { html, res } = await openLogin(new Browser());
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /nonce="([^"]+)"/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://app.example.com");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('sets the transaction cookie HttpOnly, SameSite=Lax, Path=/', async () => {
    const res = await fetch(authz(), { redirect: 'manual' });
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('parley_tx='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('SES-4: a wrong password shows "Wrong email or password." and signs nobody in', async () => {
    const browser = new Browser();
    const { html } = await openLogin(browser);
    const res = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(html), email: h.user().email, password: 'wrong' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Wrong email or password.');
    expect(browser.cookies.has('parley_session')).toBe(false);
    await expectFailed(h, 'login', 'SES-4');
  });

  it('SES-4: ends the transaction after 10 wrong passwords', async () => {
    const browser = new Browser();
    const { html } = await openLogin(browser);
    let res: Response | undefined;
    for (let i = 0; i < 10; i++) res = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(html), email: 'x@example.com', password: 'wrong' });
    expect(await res!.text()).toContain('Too many failed sign-in attempts');
    const after = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(html), email: h.user().email, password: h.user().password });
    expect(after.status).toBe(400);
  });
});

describe('Transaction and CSRF › SES-1..3', () => {
  it('SES-3: refuses a form without its CSRF token', async () => {
    const browser = new Browser();
    const { html } = await openLogin(browser);
    const res = await browser.postForm(`${h.base}u/login`, { state: hiddenFields(html).state!, email: h.user().email, password: h.user().password });
    expect(res.status).toBe(400);
    expect((await lastTrace(h, 'login')).failedRule).toBe('SES-3');
  });

  it('SES-2: refuses a sign-in link opened in another browser (login CSRF)', async () => {
    const { url } = await openLogin(new Browser());
    const res = await new Browser().fetch(url);
    expect(res.status).toBe(400);
    expect((await lastTrace(h, 'login')).failedRule).toBe('SES-2');
  });

  it('SES-1: refuses an unknown or expired transaction', async () => {
    const res = await fetch(`${h.base}u/login?state=nope`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
    expect((await lastTrace(h, 'login')).failedRule).toBe('SES-1');
    const browser = new Browser();
    const { url } = await openLogin(browser);
    setClockOffset(31 * 60 * 1000);
    expect((await browser.fetch(url)).status).toBe(400);
  });
});

describe('Consent', () => {
  it('lists the scopes and the audience, with Accept and Decline buttons', async () => {
    const browser = new Browser();
    const { html } = await openLogin(browser);
    const afterLogin = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(html), email: h.user().email, password: h.user().password });
    expect(location(h, afterLogin)).toContain('/u/consent?state=');
    const consent = await (await browser.fetch(location(h, afterLogin))).text();
    for (const s of ['openid', 'profile', 'email']) expect(consent).toContain(`<code>${s}</code>`);
    expect(consent).toContain('https://api.example.com/');
    expect(consent).toContain('value="accept">Accept</button>');
    expect(consent).toContain('value="decline" class="secondary">Decline</button>');
  });

  it('Decline redirects with error=access_denied and the state', async () => {
    const cb = await signIn(h, new Browser(), authz(), { consent: 'decline' });
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('error_description')).toBe('User did not authorize the request');
    expect(cb.searchParams.get('state')).toBe('st');
  });

  it('Accept redirects with the code; the consent is remembered for the session', async () => {
    const browser = new Browser();
    const cb = await signIn(h, browser, authz());
    expect(cb.searchParams.get('code')).toBeTruthy();
    await expectPassed(h, 'consent', 'SES-5');
    const second = await browser.fetch(authz({ state: 'two' }));
    expect(second.status).toBe(302);
    const direct = new URL(location(h, second));
    expect(direct.origin + direct.pathname).toBe(CALLBACK);
    expect(direct.searchParams.get('state')).toBe('two');
  });
});

describe('Browser session', () => {
  it('the second /authorize skips the sign-in form; prompt=login forces it; max_age re-authenticates', async () => {
    h.settings({ consent: false });
    const browser = new Browser();
    await signIn(h, browser, authz());
    const cookie = browser.cookies.get('parley_session');
    expect(cookie).toBeTruthy();
    const again = await browser.fetch(authz());
    expect(location(h, again).startsWith(CALLBACK)).toBe(true);
    expect(location(h, await browser.fetch(authz({ prompt: 'login' })))).toContain('/u/login');
    setClockOffset(120_000);
    expect(location(h, await browser.fetch(authz({ max_age: '60' })))).toContain('/u/login');
    expect(location(h, await browser.fetch(authz({ max_age: '3600' }))).startsWith(CALLBACK)).toBe(true);
  });

  it('issues a new session id at every sign-in (no fixation)', async () => {
    h.settings({ consent: false });
    const browser = new Browser();
    await signIn(h, browser, authz());
    const before = browser.cookies.get('parley_session');
    await signIn(h, browser, authz({ prompt: 'login' }));
    expect(browser.cookies.get('parley_session')).not.toBe(before);
  });

  it('prompt=none answers login_required without a session and consent_required when consent is missing', async () => {
    const cb = new URL(location(h, await fetch(authz({ prompt: 'none' }), { redirect: 'manual' })));
    expect(cb.searchParams.get('error')).toBe('login_required');
    await expectFailed(h, 'authorize', 'AZQ-4');
    h.settings({ consent: false });
    const browser = new Browser();
    await signIn(h, browser, authz());
    h.settings({ consent: true });
    const noConsent = new URL(location(h, await browser.fetch(authz({ prompt: 'none', scope: 'openid' }))));
    expect(noConsent.searchParams.get('error')).toBe('consent_required');
  });
});

describe('Logout', () => {
  it('/v2/logout clears the session and goes to an allowed returnTo', async () => {
    h.settings({ consent: false });
    const browser = new Browser();
    await signIn(h, browser, authz());
    const res = await browser.fetch(`${h.base}v2/logout?client_id=${c.client_id}&returnTo=${encodeURIComponent('https://app.example.com/bye')}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.com/bye');
    expect(browser.cookies.has('parley_session')).toBe(false);
    expect(location(h, await browser.fetch(authz()))).toContain('/u/login');
  });

  it('refuses a returnTo that is not an Allowed Logout URL, and shows a page without one', async () => {
    const bad = await fetch(`${h.base}v2/logout?client_id=${c.client_id}&returnTo=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Allowed Logout URLs');
    expect((await lastTrace(h, 'logout')).failedRule).toBe('LGO-1');
    const page = await fetch(`${h.base}v2/logout`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You are signed out');
  });

  it('/oidc/logout follows post_logout_redirect_uri with state', async () => {
    const res = await fetch(
      `${h.base}oidc/logout?client_id=${c.client_id}&post_logout_redirect_uri=${encodeURIComponent('https://app.example.com/bye')}&state=xyz`,
      { redirect: 'manual' },
    );
    expect(res.headers.get('location')).toBe('https://app.example.com/bye?state=xyz');
  });
});
