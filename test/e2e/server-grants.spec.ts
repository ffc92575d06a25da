import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op } from './helpers';
import type { ClientGrantList } from '../../shared/schemas/server';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

async function openServer(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await createVault(page);
  await page.getByRole('link', { name: 'Server' }).click();
  await expect(page.getByText(/http:\/\/127\.0\.0\.1:\d+\//).first()).toBeVisible();
}

test.describe('Server screen › application APIs (client grants)', () => {
  // Tall enough for the whole APIs tab: the app scrolls inside its main area, which a full-page shot does not unroll.
  test.use({ viewport: { width: 1280, height: 1500 } });

  test('authorizes a new application for the Management API with one scope, and the grant exists', async ({ page, parley }) => {
    const audience = parley.ready.management!.audience;
    await openServer(page, parley.url);

    await page.getByRole('button', { name: 'Create application' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('Reporting job');
    await create.getByLabel('Application type').selectOption({ label: 'Machine to Machine' });
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Reporting job' })).toBeVisible();

    // The application's own APIs tab (the Server screen has an APIs tab too).
    await page.getByRole('tablist', { name: 'Application sections' }).getByRole('tab', { name: 'APIs' }).click();
    const api = page.getByRole('form', { name: 'Management API' });
    await expect(api).toContainText(audience);
    await expect(api).toContainText('Not authorized');
    // A machine-to-machine application has client_credentials: no warning.
    await expect(page.getByText('This application cannot use the Client Credentials grant')).toHaveCount(0);

    await api.getByRole('switch', { name: 'Authorized' }).check();
    await api.getByRole('checkbox', { name: 'read:users', exact: true }).check();
    // 26 Management scopes: the 14 of earlier versions, read:client_keys and update:client_keys, the four
    // *:resource_servers scopes of the APIs' DPoP configuration (DPC-*, issue 17), the four *:connections scopes
    // (enterprise connections' dpop_signing_alg, DPC-12) and read/update:tenant_settings (the DCR flag, DPC-13).
    await expect(api).toContainText('1 of 26 selected');
    expect(await seriousViolations(page), 'APIs tab').toEqual([]);
    await api.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Management API authorized for this application.')).toBeVisible();

    // The grant exists in the core, with exactly that scope, and the form shows what was saved.
    const clientId = (await page.locator('.app-detail .facts code').first().textContent())!.trim();
    const { client_grants } = await op<ClientGrantList>(page, 'server.listClientGrants', { clientId });
    expect(client_grants).toEqual([{ id: expect.stringMatching(/^cgr_/), client_id: clientId, audience, scope: ['read:users'] }]);
    await expect(api.getByRole('switch', { name: 'Authorized' })).toBeChecked();
    await expect(api.getByRole('checkbox', { name: 'read:users', exact: true })).toBeChecked();
    await expect(api.getByRole('button', { name: 'Save' })).toBeDisabled();
    await page.getByRole('heading', { name: 'Reporting job' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-grants.png') });

    // The write is in the log as a dashboard request.
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect(page.getByRole('button', { name: 'Open trace of POST /api/v2/client-grants (201)' })).toBeVisible();
  });

  test('says plainly when the application lacks client_credentials, and enables it', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    // Created through the contract with explicit grant types, as a Management API caller could.
    const created = await op<{ client_id: string }>(page, 'server.createClient', {
      body: {
        name: 'Code-only app',
        app_type: 'regular_web',
        callbacks: ['https://app.example.com/callback'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('button', { name: 'Code-only app', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Code-only app' })).toBeVisible();
    // The application's own APIs tab (the Server screen has an APIs tab too).
    await page.getByRole('tablist', { name: 'Application sections' }).getByRole('tab', { name: 'APIs' }).click();

    await expect(page.getByText('This application cannot use the Client Credentials grant')).toBeVisible();
    const api = page.getByRole('form', { name: 'Management API' });
    await api.getByRole('switch', { name: 'Authorized' }).check();
    await expect(api).toContainText('tokens stay refused until Client Credentials is enabled');
    expect(await seriousViolations(page), 'APIs tab with the notice').toEqual([]);
    await page.getByRole('heading', { name: 'Code-only app' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-grants-cc.png') });

    await page.getByRole('button', { name: 'Enable Client Credentials' }).click();
    await expect(page.getByText('This application cannot use the Client Credentials grant')).toHaveCount(0);
    const clients = await op<{ client_id: string; grant_types?: string[] }[]>(page, 'server.listClients', {});
    expect(clients.find((c) => c.client_id === created.client_id)?.grant_types).toEqual(['authorization_code', 'client_credentials']);
  });
});
