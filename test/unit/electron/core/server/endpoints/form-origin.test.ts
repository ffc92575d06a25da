/**
 * The sign-in and consent forms accept only posts from this server's own pages (issue #13, item 8; SES-6).
 * The transaction cookie is SameSite=Lax, and every other server on 127.0.0.1 is "same-site" to a browser,
 * so a neighbour page on another port could post the form with the cookie; the Origin and Sec-Fetch-Site
 * headers tell it apart. Checked over raw HTTP, and with Debian's Chromium driving real pages: the real sign-in
 * still works, and a page of another local server posting the form is refused.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import type { Browser as Chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from './helpers';
import { Browser, CALLBACK, authorizeUrl, expectFailed, expectPassed, hiddenFields, location, startServer } from './helpers';

let h: Harness;
let c: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: true });
  c = await h.client();
});
afterAll(async () => {
  await h.close();
});

const origin = () => h.base.slice(0, -1);

/** Opens the sign-in page of a new transaction: the browser (with its cookies) and the form's fields. */
async function loginPage(extra: Record<string, string> = {}): Promise<{ browser: Browser; fields: Record<string, string> }> {
  const browser = new Browser();
  const start = await browser.fetch(
    authorizeUrl(h, {
      client_id: c.client_id,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      state: 's',
      prompt: 'login consent',
      ...extra,
    }),
  );
  const page = await browser.fetch(location(h, start));
  return { browser, fields: hiddenFields(await page.text()) };
}

function post(browser: Browser, path: string, fields: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  return browser.fetch(`${h.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

describe('Sign-in forms › SES-6 only this server’s own pages may post them', () => {
  const refusals: [string, () => Record<string, string>][] = [
    ['Origin of another site', () => ({ origin: 'https://evil.example' })],
    ['Origin of another port of 127.0.0.1 (same-site to a browser)', () => ({ origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site' })],
    ['Sec-Fetch-Site: cross-site without Origin', () => ({ 'sec-fetch-site': 'cross-site' })],
    ['Origin: null without Sec-Fetch-Site: same-origin', () => ({ origin: 'null' })],
    ['Origin: https:// of this host (another scheme)', () => ({ origin: origin().replace('http:', 'https:') })],
  ];
  for (const [name, headersOf] of refusals) {
    it(`refuses a correct sign-in posted with ${name}: 403 page, nobody signed in`, async () => {
      const { browser, fields } = await loginPage();
      const u = h.user();
      const res = await post(browser, 'u/login', { ...fields, email: u.email, password: u.password }, headersOf());
      expect(res.status).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('posted from another site');
      expect(browser.cookies.has('parley_session')).toBe(false);
      const trace = await expectFailed(h, 'login', 'SES-6');
      expect(trace.failedRule).toBe('SES-6');
    });
  }

  it('refuses a cross-site consent answer too', async () => {
    const { browser, fields } = await loginPage();
    const u = h.user();
    const signedIn = await post(browser, 'u/login', { ...fields, email: u.email, password: u.password }, { origin: origin(), 'sec-fetch-site': 'same-origin' });
    expect(signedIn.status).toBe(302);
    const consent = await browser.fetch(location(h, signedIn));
    const res = await post(
      browser,
      'u/consent',
      { ...hiddenFields(await consent.text()), action: 'accept' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    await expectFailed(h, 'consent', 'SES-6');
  });

  it('accepts the same origin (127.0.0.1 or localhost, as the Host check does), Origin: null with Sec-Fetch-Site: same-origin, and no Origin at all (not a browser)', async () => {
    const u = h.user();
    const accepted: Record<string, string>[] = [{ origin: origin(), 'sec-fetch-site': 'same-origin' }, { origin: 'null', 'sec-fetch-site': 'same-origin' }, {}];
    for (const headers of accepted) {
      const { browser, fields } = await loginPage();
      const res = await post(browser, 'u/login', { ...fields, email: u.email, password: u.password }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(302);
      expect(location(h, res)).toContain('/u/consent');
      await expectPassed(h, 'login', 'SES-6');
    }
    const port = h.server.port;
    const { browser, fields } = await loginPage();
    const res = await browser.fetch(`http://localhost:${port}/u/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${port}` },
      body: new URLSearchParams({ ...fields, email: u.email, password: u.password }),
    });
    expect(res.status).toBe(302);
  });
});

describe('Sign-in forms › SES-6 in a real browser (Chromium)', () => {
  let chrome: Chromium;
  let neighbour: Server;
  let neighbourOrigin = '';
  let attack: Record<string, string> = {};
  beforeAll(async () => {
    chrome = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    // Another local server: its page auto-posts the sign-in form to Parley (another port of 127.0.0.1 is same-site, so the Lax cookie goes along).
    neighbour = createServer((_req, res) => {
      const inputs = Object.entries(attack)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, '&quot;')}">`)
        .join('');
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><form id="f" method="post" action="${h.base}u/login">${inputs}</form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve));
    neighbourOrigin = `http://127.0.0.1:${(neighbour.address() as AddressInfo).port}`;
  }, 30_000);
  afterAll(async () => {
    await chrome?.close();
    await new Promise((resolve) => neighbour?.close(resolve));
  });

  it('the real sign-in form still works; the same form posted by a neighbour server’s page is refused', { timeout: 30_000 }, async () => {
    const context = await chrome.newContext();
    try {
      const page = await context.newPage();
      // Legitimate: the user types into Parley's own page.
      await page.goto(
        authorizeUrl(h, { client_id: c.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile', state: 's', prompt: 'login' }),
      );
      const u = h.user();
      await page.fill('input[name=email]', u.email);
      await page.fill('input[name=password]', u.password);
      await Promise.all([page.waitForURL(/\/u\/consent/), page.click('button[type=submit]')]);
      await expectPassed(h, 'login', 'SES-6');

      // Hostile: a new transaction in the same browser, whose form a neighbour page re-posts with the right fields.
      await page.goto(
        authorizeUrl(h, { client_id: c.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile', state: 's2', prompt: 'login' }),
      );
      const fields = Object.fromEntries(
        await page.$$eval('form input[type=hidden]', (inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])),
      );
      attack = { ...fields, email: u.email, password: u.password };
      const answer = page.waitForResponse((r) => r.url() === `${h.base}u/login` && r.request().method() === 'POST');
      await page.goto(`${neighbourOrigin}/attack`);
      const res = await answer;
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('posted from another site');
      expect((await res.request().allHeaders()).origin).toBe(neighbourOrigin);
      await expectFailed(h, 'login', 'SES-6');
    } finally {
      await context.close();
    }
  });
});
