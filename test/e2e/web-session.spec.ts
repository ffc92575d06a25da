/**
 * Web mode's access, as a browser meets it: a launch URL works once and hands its page a session that no
 * other server on 127.0.0.1 can obtain (browsers send 127.0.0.1's cookies to every port).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { createVault, op, unlockVault } from './helpers';

/** Every credential-looking thing a request carried: the Cookie header, each cookie's value, Authorization. */
function credentialsIn(headers: IncomingHttpHeaders): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  if (headers.cookie) {
    found.push({ cookie: headers.cookie });
    for (const pair of headers.cookie.split(';')) {
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      if (value) found.push({ authorization: `Bearer ${value}` });
    }
  }
  if (headers.authorization) found.push({ authorization: headers.authorization });
  return found;
}

test.describe('Web mode sessions', () => {
  test('a neighbour server on another 127.0.0.1 port receives nothing that drives the contract', async ({ page, context, parley }) => {
    const received: IncomingHttpHeaders[] = [];
    const neighbour = createServer((request, response) => {
      received.push(request.headers);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Neighbour</title><h1>A neighbour on another port</h1>');
    });
    await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(parley.url);
      await createVault(page);
      // The spent launch token left the address bar, and nothing was put in a cookie.
      expect(new URL(page.url()).search).toBe('');
      expect(await context.cookies()).toEqual([]);

      const tab = await context.newPage();
      await tab.goto(`http://127.0.0.1:${(neighbour.address() as AddressInfo).port}/`);
      await expect(tab.getByRole('heading', { name: 'A neighbour on another port' })).toBeVisible();
      await tab.evaluate(() => fetch('/from-script', { credentials: 'include' }));
      expect(received.length).toBeGreaterThanOrEqual(2);

      // Whatever the neighbour received, replayed to Parley as a cookie or a bearer, is refused.
      for (const headers of received.flatMap(credentialsIn)) {
        const response = await fetch(`${parley.origin}/api/op/vault.status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
        expect(response.status, `replaying ${JSON.stringify(headers)}`).toBe(401);
      }
      // Parley's own page still works.
      await expect(page.getByRole('link', { name: 'Keys' })).toBeVisible();
      expect(await op<{ state: string }>(page, 'vault.status', {})).toMatchObject({ state: 'unlocked' });
    } finally {
      await new Promise((resolve) => neighbour.close(resolve));
    }
  });

  test('a launch URL works once; another browser gets a new one from the terminal; events reach both; a reload keeps the session', async ({
    page,
    browser,
    parley,
  }) => {
    await page.goto(parley.url);
    await createVault(page);

    const other = await browser.newContext();
    try {
      const second = await other.newPage();
      await second.goto(parley.url);
      await expect(second.getByRole('heading', { name: 'This launch link was already used' })).toBeVisible();
      await expect(second.getByText(/press Enter in the terminal where Parley runs/)).toBeVisible();

      // The page without a launch URL holds no session and says what to do.
      await second.goto(`${parley.origin}/`);
      await expect(second.getByText('This browser tab is not signed in to Parley.', { exact: false })).toBeVisible();

      await second.goto(await parley.newLaunchUrl());
      await expect(second.getByRole('link', { name: 'Keys' })).toBeVisible();

      // Locking from the second browser reaches the first one's event stream.
      await op(second, 'vault.lock', {});
      await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
      await expect(second.getByRole('button', { name: 'Unlock' })).toBeVisible();
    } finally {
      await other.close();
    }

    await page.reload();
    await unlockVault(page);
    await expect(page.getByRole('link', { name: 'Keys' })).toBeVisible();
  });
});
