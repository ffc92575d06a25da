/**
 * Flow targets for any issuer, in a real browser: "Another issuer" pointed at the running embedded
 * server's issuer (checked through its discovery document), client_secret_post, a PAR flow signed in on
 * the new tab up to a verified ID token; editing keeps the saved secret; Compose picks the saved target;
 * deleting it asks first. The built-in target only offers client_credentials.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { ReadyLine } from './fixtures';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op } from './helpers';

/** A free loopback port for the redirect URI (web mode listens there during the browser step). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The application's client secret, read the way an Auth0 user would: from the Management API. */
async function clientSecret(ready: ReadyLine, clientId: string): Promise<string> {
  const management = ready.management!;
  const token = await fetch(`${ready.issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: management.client_id,
      client_secret: management.client_secret,
      audience: management.audience,
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const client = await fetch(`${management.audience}clients/${clientId}`, { headers: { authorization: `Bearer ${access_token}` } });
  const { client_secret } = (await client.json()) as { client_secret?: string };
  if (!client_secret) throw new Error('the Management API returned no client_secret');
  return client_secret;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('Flow targets', () => {
  test('another issuer: check it, save a client_secret_post target, run PAR, edit, pick it in Compose, delete it', async ({ page, parley, context }) => {
    test.setTimeout(120_000);
    const issuer = parley.ready.issuer!;
    const user = parley.ready.users![0]!;
    const redirect = `http://127.0.0.1:${await freePort()}/callback`;
    await page.goto(parley.url);
    await createVault(page);

    // An application of the embedded server, treated as any issuer's: its callback registered by hand.
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: {
        name: 'Issuer App',
        app_type: 'regular_web',
        callbacks: [redirect],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    const secret = await clientSecret(parley.ready, client.client_id);

    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();

    // The built-in target has no callback: only Client credentials, and it cannot be edited or deleted.
    const targetSelect = page.getByLabel('Target', { exact: true });
    await expect(targetSelect).toHaveValue('embedded');
    await expect(page.getByLabel('Flow kind')).toHaveValue('client_credentials');
    await expect(page.getByLabel('Flow kind').locator('option[value="par"]')).toBeDisabled();
    await expect(page.getByText('only Client credentials applies')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Edit target' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete target' })).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-built-in-target.png') });

    // New target → Another issuer; the issuer typed without its trailing slash.
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('radio', { name: 'Embedded server' })).toBeChecked();
    await dialog.getByRole('radio', { name: 'Another issuer' }).check();
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(dialog.getByLabel('Issuer URL')).toHaveAccessibleDescription(/Enter the issuer URL\./);
    await expect(dialog.getByLabel('Client ID')).toHaveAccessibleDescription('Enter the client ID.');

    // Nobody listens there: the core's plain message shows under the field.
    const down = `http://127.0.0.1:${await freePort()}/`;
    await dialog.getByLabel('Issuer URL').fill(down);
    await dialog.getByRole('button', { name: 'Check issuer' }).click();
    await expect(dialog.getByLabel('Issuer URL')).toHaveAccessibleDescription(
      /is unreachable \(ECONNREFUSED\): check the URL and that the server is running\./,
    );
    await expect(dialog.getByLabel('Issuer URL')).toHaveAttribute('aria-invalid', 'true');

    await dialog.getByLabel('Issuer URL').fill(issuer.replace(/\/$/, ''));
    await dialog.getByRole('button', { name: 'Check issuer' }).click();
    // The issuer as published, what it supports, and defaults chosen from it (no client-auth key in the vault: a secret).
    await expect(dialog.getByText(`What ${issuer} supports`)).toBeVisible();
    await expect(dialog.getByLabel('Issuer URL')).toHaveValue(issuer);
    await expect(dialog.getByRole('definition').first()).toHaveText('Supported');
    await expect(dialog.getByRole('definition').nth(1)).toHaveText('client_secret_basic, client_secret_post, and private_key_jwt'); // Intl.ListFormat in the UI language
    await expect(dialog.getByRole('definition').nth(2)).toHaveText('Not published');
    await expect(dialog.getByLabel('Client authentication')).toHaveValue('client_secret_post');

    await dialog.getByLabel('Client ID').fill(client.client_id);
    await dialog.getByLabel('Target name').fill('Issuer target');
    await dialog.getByLabel('Client secret').fill(secret);
    await dialog.getByLabel('Redirect URI').fill(redirect);
    await expect(dialog.getByLabel('Redirect URI')).toHaveAccessibleDescription(/in the desktop app any URI works/);
    await dialog.getByLabel('Audience (optional)').fill('');
    expect(await seriousViolations(page), 'target dialog').toEqual([]);
    // A tall viewport shows the whole dialog in the screenshot.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-target-dialog.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(targetSelect.locator('option:checked')).toHaveText('Issuer target');
    await expect(page.getByText(`Issuer ${issuer} · client ${client.client_id}`)).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-target-actions.png') });

    // PAR: the sign-in page opens in a new tab.
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR' });
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
    for (const step of ['Discover', 'Push', 'Authorize', 'Callback', 'Exchange'])
      await expect(timeline.getByRole('listitem', { name: new RegExp(`^${step} · OK`) })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'ID token claims' })).toBeVisible();

    // Edit: the same dialog, prefilled; an empty secret keeps the saved one.
    await page.getByRole('button', { name: 'Edit target' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit target' });
    await expect(edit.getByRole('radio', { name: 'Another issuer' })).toBeChecked();
    await expect(edit.getByLabel('Issuer URL')).toHaveValue(issuer);
    await expect(edit.getByLabel('Client ID')).toHaveValue(client.client_id);
    await expect(edit.getByLabel('Redirect URI')).toHaveValue(redirect);
    await expect(edit.getByLabel('Client secret')).toHaveValue('');
    await expect(edit.getByLabel('Client secret')).toHaveAccessibleDescription('Leave empty to keep the saved secret.');
    await edit.getByLabel('Target name').fill('Issuer target (edited)');
    await edit.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(targetSelect.locator('option:checked')).toHaveText('Issuer target (edited)');
    const saved = (await op<{ id: string; name: string; auth: { hasSecret: boolean }; embedded: boolean }[]>(page, 'flows.listTargets', {})).find(
      (x) => x.name === 'Issuer target (edited)',
    );
    expect(saved).toMatchObject({ auth: { hasSecret: true }, embedded: false });

    // Compose: pick the saved target; the issuer and the client ID are filled.
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByRole('heading', { name: 'Compose', level: 1 })).toBeVisible();
    await page.getByLabel('Pick a saved target').selectOption({ label: 'Issuer target (edited)' });
    await expect(page.getByLabel('Issuer URL', { exact: true })).toHaveValue(issuer);
    await expect(page.getByLabel('Typed client ID', { exact: true })).toHaveValue(client.client_id);
    await expect(page.getByLabel('Pick a saved target')).toHaveValue('');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compose-saved-target.png') });

    // Delete: asks first, then the target is gone and the built-in one is selected again.
    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();
    await expect(targetSelect.locator('option:checked')).toHaveText('Issuer target (edited)');
    await page.getByRole('button', { name: 'Delete target' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete target' });
    await expect(confirm).toContainText('Delete the target “Issuer target (edited)”?');
    await confirm.getByRole('button', { name: 'Delete target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(targetSelect.locator('option', { hasText: 'Issuer target' })).toHaveCount(0);
    await expect(targetSelect).toHaveValue('embedded');
    expect((await op<{ id: string }[]>(page, 'flows.listTargets', {})).map((x) => x.id)).toEqual(['embedded']);
  });

  test('DPoP: a vault key and the code binding are saved with the target, prefilled when editing, and removed with "None"', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    const key = await op<{ id: string }>(page, 'keys.generate', { name: 'DPoP key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Another issuer' }).check();
    await dialog.getByLabel('Issuer URL').fill(parley.ready.issuer!);
    await dialog.getByLabel('Client ID').fill('dpop-client');
    await dialog.getByLabel('Target name').fill('DPoP target');
    await dialog.getByLabel('Client authentication').selectOption('none');
    const dpopKey = dialog.getByLabel('DPoP key (optional)');
    await expect(dpopKey).toHaveValue('');
    await expect(dialog.getByLabel('Bind the authorization code to the key (dpop_jkt)')).toHaveCount(0);
    await dpopKey.selectOption({ label: 'DPoP key' });
    // Binding the code is proposed with the key (what Auth0's SDKs do).
    await expect(dialog.getByLabel('Bind the authorization code to the key (dpop_jkt)')).toBeChecked();
    expect(await seriousViolations(page), 'target dialog with DPoP').toEqual([]);
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const saved = async () => (await op<{ name: string; dpop?: unknown }[]>(page, 'flows.listTargets', {})).find((x) => x.name === 'DPoP target');
    expect((await saved())?.dpop).toEqual({ keyId: key.id, bindCode: true });

    await page.getByRole('button', { name: 'Edit target' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit target' });
    await expect(edit.getByLabel('DPoP key (optional)')).toHaveValue(key.id);
    await edit.getByLabel('Bind the authorization code to the key (dpop_jkt)').uncheck();
    await edit.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect((await saved())?.dpop).toEqual({ keyId: key.id, bindCode: false });

    await page.getByRole('button', { name: 'Edit target' }).click();
    await page.getByRole('dialog', { name: 'Edit target' }).getByLabel('DPoP key (optional)').selectOption({ label: 'None (Bearer tokens)' });
    await page.getByRole('dialog', { name: 'Edit target' }).getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await saved()).not.toHaveProperty('dpop');
  });
});
