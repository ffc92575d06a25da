/**
 * Flows in web mode, in a real browser: a PAR + JAR flow against the embedded server with a
 * private_key_jwt client, signing in on the page opened in a new tab, up to a verified ID token; then a
 * JAR by value with a wrong `aud`, rejected by the server with its rule named in the timeline.
 */
import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op } from './helpers';

test.describe('Flows screen', () => {
  test('runs PAR + JAR to a verified ID token, then shows the failing rule of a JAR with a wrong aud', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);

    // Set-up through the contract, to save time: two vault keys and an application with both credentials.
    const jarKey = await op<{ id: string }>(page, 'keys.generate', { name: 'Flow JAR key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const authKey = await op<{ id: string }>(page, 'keys.generate', { name: 'Flow auth key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['client-auth'] });
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: { name: 'Flow App', app_type: 'regular_web', callbacks: [], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' },
    });
    await op(page, 'server.createCredential', { clientId: client.client_id, fromVaultKey: { keyId: jarKey.id, name: 'jar', alg: 'RS256' }, attachTo: 'signed_request_object' });
    await op(page, 'server.createCredential', { clientId: client.client_id, fromVaultKey: { keyId: authKey.id, name: 'pkj', alg: 'RS256' }, attachTo: 'private_key_jwt' });

    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();

    // New target: the application, private_key_jwt with one key, JAR with the other.
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'Flow App' });
    await dialog.getByLabel('Client authentication').selectOption('private_key_jwt');
    await dialog.getByLabel('Client assertion key').selectOption({ label: 'Flow auth key' });
    await dialog.getByLabel('Request object key').selectOption({ label: 'Flow JAR key' });
    await expect(dialog.getByLabel('Redirect URI')).toHaveValue(/^http:\/\/127\.0\.0\.1:4[78]\d\d\d\/callback$/);
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByLabel('Target', { exact: true })).toHaveValue(/^t-/);

    // PAR + JAR: the sign-in page opens in a new tab.
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const tab = await opened;
    await tab.getByLabel('Email').fill(user.email);
    await tab.getByLabel('Password').fill(user.password);
    await tab.getByRole('button', { name: 'Continue' }).click();
    await tab.getByRole('button', { name: 'Accept' }).click();
    await expect(tab.getByRole('heading', { name: 'You can close this tab' })).toBeVisible();
    await tab.close();

    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 15_000 });
    for (const step of ['Discover', 'Build', 'Push', 'Authorize', 'Callback', 'Exchange']) await expect(timeline.getByRole('listitem', { name: new RegExp(`^${step} · OK`) })).toBeVisible();
    await expect(page.getByText('Succeeded').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'ID token claims' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open ID token in Inspect' }).first()).toHaveAttribute('href', /^#\/inspect\?token=eyJ/);
    await page.getByText('HTTP POST → 201').click();
    await expect(timeline.getByRole('listitem', { name: /^Push/ })).toContainText('request_uri');
    // The main column scrolls by itself: a tall viewport shows the whole timeline in the screenshot.
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows.png') });

    // JAR by value with a wrong aud: the server rejects the request object (JAR-11).
    await page.getByLabel('Flow kind').selectOption({ label: 'JAR by value' });
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    const opened2 = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const tab2 = await opened2;
    await tab2.waitForURL(/\/authorize/);
    await tab2.waitForLoadState('load');
    // The server's error page never reaches the redirect URI, so the run waits for the browser: cancel it.
    await page
      .getByRole('button', { name: 'Cancel', exact: true })
      .click({ timeout: 3_000 })
      .catch(() => {});
    const authorize = page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Authorize/ });
    await expect(authorize).toContainText('Failed');
    await expect(authorize).toContainText('JAR-11');
    await tab2.close();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-rejected.png') });

    // History: both runs, and the first can be reopened.
    const history = page.getByRole('list', { name: 'History' });
    await expect(history.getByRole('listitem')).toHaveCount(2);
    await history.getByRole('button', { name: /PAR \+ JAR/ }).click();
    await expect(page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Verify · OK/ })).toBeVisible();
  });
});
