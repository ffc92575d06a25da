/**
 * The Server screen's APIs tab (DPC-8), in web mode in a real browser: create an API, set its Token
 * Sender-Constraining to "DPoP / For public applications" as Auth0's Dashboard groups the choices, and prove
 * the effect at /oauth/token: a public application's code flow for that audience, sent without a DPoP proof,
 * is refused (DPB-1: API policy required, no proof). mTLS does not offer "For public applications" (DPC-5).
 * The application settings' "Require Sender Constraining" switch saves require_proof_of_possession (DPC-1).
 * Axe scans the tab; screenshots in en and ja-JP.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestTrace, ServerClient, ServerResourceServer } from '../../shared/schemas/server';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op, signInOnTab } from './helpers';

const IDENTIFIER = 'https://orders.example.com/';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('Server › APIs (sender constraining)', () => {
  test('DPoP / For public applications set on the APIs tab makes the token endpoint refuse a public client without a proof', async ({
    page,
    parley,
    context,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);

    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('tab', { name: 'APIs' }).click();
    await expect(page.getByText('No APIs yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Create API' }).click();
    const create = page.getByRole('dialog', { name: 'Create API' });
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create.getByText('Enter a name.')).toBeVisible();
    await create.getByLabel('Name').fill('Orders API');
    await create.getByLabel('Identifier').fill(IDENTIFIER);
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    const api = page.getByRole('listitem', { name: 'Orders API' });
    await expect(api).toContainText(IDENTIFIER);

    // A public application (no secret, no assertion), with a flow for the API's audience and no DPoP key.
    await op(page, 'server.createClient', {
      body: { name: 'Orders SPA', app_type: 'spa', callbacks: [], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
    });
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'Orders SPA' });
    await dialog.getByLabel('Client authentication').selectOption('none');
    await dialog.getByLabel('Audience (optional)').fill(IDENTIFIER);
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByLabel('Flow kind').selectOption({ label: 'Plain authorize' });
    const timeline = page.getByRole('list', { name: 'Steps' });
    const runFlow = async () => {
      const opened = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Run flow' }).click();
      await signInOnTab(await opened, user);
      await expect(timeline.getByRole('listitem', { name: /^Exchange · (OK|Failed)$/ })).toBeVisible({ timeout: 20_000 });
    };
    // The control: with no policy on the API, the public client gets its token without a proof.
    await runFlow();
    await expect(timeline.getByRole('listitem', { name: 'Exchange · OK' })).toBeVisible();

    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('tab', { name: 'APIs' }).click();
    const method = api.getByRole('group', { name: 'Sender Constraining Method' });
    const requirement = api.getByRole('group', { name: 'Require Token Sender-Constraining' });
    // A new API has no policy: None / Never, and nothing to require without a method.
    await expect(method.getByRole('radio', { name: 'None' })).toBeChecked();
    await expect(requirement.getByRole('radio', { name: 'Never' })).toBeChecked();
    await expect(requirement.getByRole('radio', { name: 'Always' })).toBeDisabled();
    // mTLS binds only confidential clients: "For public applications" is not offered with it (DPC-5).
    await method.getByRole('radio', { name: 'mTLS' }).check();
    await expect(requirement.getByRole('radio', { name: 'For public applications' })).toBeDisabled();
    await expect(api).toContainText('Not offered with mTLS');
    await method.getByRole('radio', { name: 'DPoP' }).check();
    await requirement.getByRole('radio', { name: 'For public applications' }).check();
    await api.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Sender constraining of Orders API saved.')).toBeVisible();
    await expect(api.getByRole('button', { name: 'Save' })).toBeDisabled();

    // Stored as DPC-8 maps it, through the Management API's store.
    const stored = (await op<ServerResourceServer[]>(page, 'server.listResourceServers', {})).find((r) => r.identifier === IDENTIFIER);
    expect(stored?.proof_of_possession).toEqual({ mechanism: 'dpop', required: true, required_for: 'public_clients' });

    await page.mouse.move(0, 0);
    expect(await seriousViolations(page), 'APIs tab').toEqual([]);
    await api.screenshot({ path: join(SCREENSHOT_DIR, 'server-apis.png') });

    // DPB-1: API policy required (public_clients, and this is a public client), no proof → no token.
    await page.getByRole('link', { name: 'Flows' }).click();
    const target = (await op<{ name: string; audience?: string }[]>(page, 'flows.listTargets', {})).find((x) => x.audience === IDENTIFIER)!;
    await page.getByLabel('Target', { exact: true }).selectOption({ label: target.name });
    await page.getByLabel('Flow kind').selectOption({ label: 'Plain authorize' });
    await runFlow();
    const exchange = timeline.getByRole('listitem', { name: 'Exchange · Failed' });
    await expect(exchange).toBeVisible();
    await expect(exchange).toContainText('400');
    await expect(exchange).toContainText('DPoP proof is required');
    const spa = (await op<ServerClient[]>(page, 'server.listClients', {})).find((c) => c.name === 'Orders SPA')!;
    const [trace] = await op<RequestTrace[]>(page, 'server.listLogs', { endpoint: 'token', clientId: spa.client_id, limit: 1 });
    expect(trace).toMatchObject({ status: 400, error: 'invalid_request', failedRule: 'DPB-1' });
  });

  test('Require Sender Constraining in the application settings saves require_proof_of_possession', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await op(page, 'server.createClient', { body: { name: 'Bound App', app_type: 'regular_web', token_endpoint_auth_method: 'client_secret_post' } });
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('button', { name: 'Bound App', exact: true }).click();
    const toggle = page.getByRole('switch', { name: 'Require Sender Constraining' });
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    const saved = (await op<ServerClient[]>(page, 'server.listClients', {})).find((c) => c.name === 'Bound App');
    expect(saved?.require_proof_of_possession).toBe(true);
  });

  test('ja-JP: the APIs tab in Japanese', async ({ page, parley }) => {
    const ja = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'ja-JP.json'), 'utf8')) as {
      nav: Record<string, string>;
      server: {
        tabs: Record<string, string>;
        resourceServers: Record<string, string> & { methods: Record<string, string>; requirements: Record<string, string> };
      };
    };
    await page.goto(parley.url);
    await createVault(page);
    await op(page, 'server.createResourceServer', {
      body: { name: 'Orders API', identifier: IDENTIFIER, proof_of_possession: { mechanism: 'dpop', required: true, required_for: 'all_clients' } },
    });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await page.getByRole('link', { name: ja.nav['server']!, exact: true }).click();
    await page.getByRole('tab', { name: ja.server.tabs['apis']! }).click();
    const api = page.getByRole('listitem', { name: 'Orders API' });
    const rs = ja.server.resourceServers;
    await expect(api.getByRole('group', { name: rs['method']! }).getByRole('radio', { name: rs.methods['dpop']! })).toBeChecked();
    await expect(api.getByRole('group', { name: rs['requirement']! }).getByRole('radio', { name: rs.requirements['all_clients']! })).toBeChecked();
    await page.mouse.move(0, 0);
    await api.screenshot({ path: join(SCREENSHOT_DIR, 'server-apis-ja.png') });
  });
});
