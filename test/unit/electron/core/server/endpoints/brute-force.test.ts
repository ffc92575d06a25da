/**
 * Brute-force protection per user (issue #13, item 8; SES-7). Failed sign-ins used to be counted per login
 * transaction only, so starting a new transaction every 10 guesses allowed unlimited guesses. Now 10
 * consecutive wrong passwords for one user, across transactions, block that user (Auth0's default threshold and
 * message); the right password does not help while blocked; a correct sign-in before then resets the count; the
 * block ends 15 minutes after the last counted failure. Every sign-in goes through the real form.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freezeClock, nowMs } from '../../../../../../electron/core/clock';
import { ENDPOINT_LIMITS } from '../../../../../../electron/core/server/endpoints/state';
import type { Harness, TestClient } from './helpers';
import { Browser, CALLBACK, authorizeUrl, clearTraces, expectFailed, hiddenFields, location, startServer } from './helpers';

const BLOCKED = 'Your account has been blocked after multiple consecutive login attempts.';

const servers: Harness[] = [];
afterEach(async () => {
  freezeClock(undefined);
  for (const s of servers.splice(0)) await s.close();
});

async function fresh(): Promise<{ h: Harness; c: TestClient }> {
  const h = await startServer({ consent: false });
  servers.push(h);
  return { h, c: await h.client() };
}

/** One sign-in attempt in a new transaction (a new browser each time, as an attacker would). */
async function attempt(h: Harness, c: TestClient, email: string, password: string): Promise<{ status: number; text: string }> {
  const browser = new Browser();
  const start = await browser.fetch(
    authorizeUrl(h, { client_id: c.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's', prompt: 'login' }),
  );
  const page = await browser.fetch(location(h, start));
  const res = await browser.postForm(`${h.base}u/login`, { ...hiddenFields(await page.text()), email, password });
  return { status: res.status, text: await res.text() };
}

describe('Sign-in › SES-7 brute-force protection per user, across transactions', () => {
  it('blocks the user at the 10th consecutive wrong password; the right password is then refused too', async () => {
    const { h, c } = await fresh();
    const u = h.user();
    for (let i = 1; i < ENDPOINT_LIMITS.maxUserFailures; i++) {
      const res = await attempt(h, c, u.email, `wrong-${i}`);
      expect(res.status, `attempt ${i}`).toBe(400);
      expect(res.text).toContain('Wrong email or password.');
    }
    const tenth = await attempt(h, c, u.email, 'wrong-10');
    expect(tenth.status).toBe(429);
    expect(tenth.text).toContain(BLOCKED);
    clearTraces(h);
    const right = await attempt(h, c, u.email, u.password);
    expect(right.status).toBe(429);
    expect(right.text).toContain(BLOCKED);
    expect((await expectFailed(h, 'login', 'SES-7')).failedRule).toBe('SES-7');
  });

  it('counts the user whatever the case or Unicode form of the email, and blocks no one else', async () => {
    const { h, c } = await fresh();
    const u = h.user();
    await h.server.ctx.directory.createUser({ email: 'other@example.com', password: 'another good password' });
    for (let i = 0; i < ENDPOINT_LIMITS.maxUserFailures; i++)
      await attempt(h, c, i % 2 === 0 ? u.email.toUpperCase() : ` ${u.email.normalize('NFD')}`, 'wrong');
    expect((await attempt(h, c, u.email, u.password)).status).toBe(429);
    expect((await attempt(h, c, 'other@example.com', 'another good password')).status).toBe(302);
    // Unknown emails are never blocked (the answer stays "Wrong email or password.").
    for (let i = 0; i < ENDPOINT_LIMITS.maxUserFailures + 2; i++) expect((await attempt(h, c, 'nobody@example.com', 'wrong')).status).toBe(400);
  });

  it('attempts sent in parallel all count', async () => {
    const { h, c } = await fresh();
    const u = h.user();
    const results = await Promise.all(Array.from({ length: ENDPOINT_LIMITS.maxUserFailures + 2 }, () => attempt(h, c, u.email, 'wrong')));
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(2);
    expect((await attempt(h, c, u.email, u.password)).status).toBe(429);
  });

  it('a correct sign-in before the 10th failure resets the count (consecutive failures only)', async () => {
    const { h, c } = await fresh();
    const u = h.user();
    for (let i = 0; i < ENDPOINT_LIMITS.maxUserFailures - 1; i++) await attempt(h, c, u.email, 'wrong');
    expect((await attempt(h, c, u.email, u.password)).status).toBe(302);
    for (let i = 0; i < ENDPOINT_LIMITS.maxUserFailures - 1; i++) expect((await attempt(h, c, u.email, 'wrong')).status).toBe(400);
    expect((await attempt(h, c, u.email, u.password)).status).toBe(302);
  });

  it('the block ends 15 minutes after the last counted failure', async () => {
    const { h, c } = await fresh();
    const u = h.user();
    const start = nowMs();
    freezeClock(start);
    for (let i = 0; i < ENDPOINT_LIMITS.maxUserFailures; i++) await attempt(h, c, u.email, 'wrong');
    freezeClock(start + ENDPOINT_LIMITS.userFailureTtlMs - 1000);
    expect((await attempt(h, c, u.email, u.password)).status).toBe(429);
    freezeClock(start + ENDPOINT_LIMITS.userFailureTtlMs + 1);
    expect((await attempt(h, c, u.email, u.password)).status).toBe(302);
  });
});
