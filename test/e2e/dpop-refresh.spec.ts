/**
 * Refresh tokens with DPoP in the Flows screen (issue 17; dpop-rules.md DPB-9/10), in web mode in a real browser:
 * a public client with offline_access and an EC P-256 DPoP key runs a code flow against the embedded server;
 * "Refresh tokens" on the finished run appends a Refresh step whose token request carries a proof by the same
 * key and gets a new DPoP-bound access token. The refresh token itself never reaches the page.
 */
import { expect, test } from './fixtures';
import { createVault, op, signInOnTab } from './helpers';

test.describe('DPoP refresh', () => {
  test('Refresh tokens on a finished DPoP run: a Refresh step with a proof by the same key and a new bound access token', async ({ page, parley, context }) => {
    test.setTimeout(120_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);
    await op(page, 'keys.generate', { name: 'Refresh proof key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
    await op(page, 'server.createClient', {
      body: {
        name: 'Refresh App',
        app_type: 'native',
        callbacks: [],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      },
    });

    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'Refresh App' });
    await dialog.getByLabel('Client authentication').selectOption('none');
    await dialog.getByLabel('Scope').fill('openid profile offline_access');
    await dialog.getByLabel('DPoP key (optional)').selectOption({ label: 'Refresh proof key' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.getByLabel('Flow kind').selectOption({ label: 'Plain authorize' });
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    await signInOnTab(await opened, user);

    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 20_000 });
    await expect(timeline.getByRole('listitem', { name: /^Refresh/ })).toHaveCount(0);

    await page.getByRole('button', { name: 'Refresh tokens' }).click();
    const refresh = timeline.getByRole('listitem', { name: /^Refresh · OK/ });
    await expect(refresh).toBeVisible({ timeout: 20_000 });
    await expect(refresh).toContainText('POST /oauth/token → 200');
    await expect(refresh).toContainText('"token_type":"DPoP"');
    // The new access token's binding, as the step shows it: the thumbprint of the run's DPoP key.
    const key = await op<{ thumbprint: string }[]>(page, 'keys.list', {});
    await expect(refresh).toContainText(`New access token: token_type DPoP, bound to the key ${key[0]!.thumbprint} (cnf.jkt).`);
    await expect(refresh).toContainText('Refresh token not rotated: the same one stays held.');
    // The proof is linked like every JWT the run sent; the refresh token is not on the page.
    await expect(refresh.getByRole('link', { name: 'Open DPoP in Inspect' }).first()).toBeVisible();
    await expect(refresh).toContainText('grant_type=refresh_token');
    await expect(refresh).toContainText('refresh_token=%5Bredacted%5D');
    await expect(page.getByText('Succeeded').first()).toBeVisible();
  });
});
