import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, generateKey, op } from './helpers';

test.describe('Compose → Inspect', () => {
  test('signs a JAR for an embedded-server application, opens it in Inspect, and verifies it against the vault key and the server-side credential', async ({
    page,
    parley,
  }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR key e2e', 'RSA-2048', ['JAR signing']);
    const key = (await op<{ id: string; name: string }[]>(page, 'keys.list', {})).find((k) => k.name === 'JAR key e2e')!;
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: { name: 'JAR app e2e', app_type: 'regular_web', callbacks: ['https://myapp.com/callback'] },
    });
    await op(page, 'server.createCredential', {
      clientId: client.client_id,
      fromVaultKey: { keyId: key.id, name: 'JAR credential e2e', alg: 'RS256' },
      attachTo: 'signed_request_object',
    });

    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Client', { exact: true }).selectOption(client.client_id);
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });
    await expect(page.getByLabel('client_id', { exact: true })).toHaveValue(client.client_id);
    await expect(page.getByText('No problems')).toBeVisible();
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByRole('link', { name: 'Open in Inspect' }).click();

    await expect(page.getByRole('heading', { name: 'Inspect', level: 1 })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    await page.getByLabel('Verify with').selectOption({ label: 'Vault key' });
    await page.getByLabel('Vault key', { exact: true }).selectOption(key.id);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Signature/ })).toContainText('Signature valid');
    await expect(page.getByRole('status').filter({ hasText: /^Signature/ })).toContainText('JAR key e2e');

    await page.getByLabel('Verify with').selectOption({ label: 'Server application credentials' });
    await page.getByLabel('Application', { exact: true }).selectOption(client.client_id);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const verdict = page.getByRole('status').filter({ hasText: /^Signature/ });
    await expect(verdict).toContainText('Signature valid');
    await expect(verdict).toContainText('JAR credential e2e');
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'inspect-server-credential.png') });
  });

  test('decodes a 1 MB token without freezing the screen', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Inspect' }).click();
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const big = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'big', blob: 'x'.repeat(780_000) })}.${'A'.repeat(342)}`;
    expect(big.length).toBeGreaterThan(1_000_000);
    await page.getByRole('textbox', { name: 'Token' }).fill(big);
    // While the worker decodes, the page still answers: a timer in the page keeps firing and navigation works.
    const ticks = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let n = 0;
          const id = setInterval(() => n++, 10);
          setTimeout(() => {
            clearInterval(id);
            resolve(n);
          }, 300);
        }),
    );
    expect(ticks).toBeGreaterThan(10);
    await expect(page.getByText(/\d[\d,. ]* bytes/).first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText('"iss": "big"')).toBeVisible();
  });
});
