/**
 * The README's "Your first flow in five steps", followed with the mouse at 1024×700 as a new user would
 * (issue 18): the tour offer on one screen only; Generate key proposing a name; Add credential starting from
 * the vault key that fits the slot; the application's Credentials tab in view without scrolling past the
 * server settings; New target preselecting the only application and its registered keys; the built-in
 * target without a redirect URI; the "Sign in on the page that opened in a new tab" note in view.
 */
import { expect, test } from './fixtures';
import { createVault, signInOnTab } from './helpers';

test.describe('First ten minutes', () => {
  test('follows the README’s five steps to a verified ID token', async ({ page, parley, context }) => {
    test.setTimeout(120_000);
    const user = parley.ready.users![0]!;
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(parley.url);

    // 1. The vault; the tour offer is on the Keys screen only, and Skip puts it away for good.
    await createVault(page);
    const offer = page.getByText('New to Parley?');
    await expect(offer).toBeVisible();
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByRole('heading', { name: 'Compose', level: 1 })).toBeVisible();
    await expect(offer).toHaveCount(0);
    await page.getByRole('link', { name: 'Keys' }).click();
    await expect(offer).toBeVisible();
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await expect(offer).toHaveCount(0);

    // 2. Two keys; the dialog proposes a name from the type, the usage and the day.
    const day = /\d\d-\d\d$/;
    for (const usage of ['JAR signing', 'Client authentication']) {
      await page.getByRole('button', { name: 'Generate key' }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByLabel('Name')).toHaveValue(new RegExp(`^RSA 2048 · \\d\\d-\\d\\d$`));
      await dialog.getByRole('checkbox', { name: usage }).check();
      await expect(dialog.getByLabel('Name')).toHaveValue(new RegExp(`^RSA 2048 · ${usage} · \\d\\d-\\d\\d$`));
      expect(await dialog.getByLabel('Name').inputValue()).toMatch(day);
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect(page.getByText(new RegExp(`^RSA 2048 · ${usage} · `)).first()).toBeVisible({ timeout: 30_000 });
    }
    // The same toast twice is shown once.
    await expect(page.locator('.toaster').getByText('Key generated (RSA 2048).')).toHaveCount(1);

    // 3. An application; its Credentials tab is in view without scrolling; Add credential starts from the keys.
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('button', { name: 'Create application' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('My first app');
    await create.getByLabel('Application type').selectOption({ label: 'Regular Web Application' });
    await create.getByLabel('Allowed Callback URLs').fill('https://myapp.example/callback');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'My first app' })).toBeVisible();
    const credentialsTab = page.getByRole('tab', { name: 'Credentials' });
    await expect(credentialsTab).toBeInViewport();
    await credentialsTab.click();
    for (const [usage, slot] of [
      ['JAR signing', 'JAR (signed request objects)'],
      ['Client authentication', 'Private Key JWT (client authentication)'],
    ] as const) {
      await page.getByRole('button', { name: 'Add credential', exact: true }).click();
      const add = page.getByRole('dialog');
      await expect(add.getByRole('radio', { name: 'Use a vault key' })).toBeChecked();
      const vaultKey = add.getByRole('combobox', { name: 'Vault key' });
      await expect(vaultKey.locator('option:checked')).toHaveText(new RegExp(`^RSA 2048 · ${usage} · `));
      await expect(add.getByLabel('Name')).toHaveValue(new RegExp(`^RSA 2048 · ${usage} · `));
      await expect(add.getByRole('radio', { name: slot })).toBeChecked();
      await add.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
    }
    await expect(page.getByRole('row', { name: /JAR signing/ })).toContainText('JAR');
    await expect(page.getByRole('row', { name: /Client authentication/ })).toContainText('Private Key JWT');

    // 4. The built-in target shows no redirect URI; New target picks the only application and its keys.
    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();
    await expect(page.locator('.flow-target-summary')).toContainText('Management API client');
    await expect(page.locator('.flow-target-summary')).not.toContainText(/redirect|callback/);
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Application', { exact: true }).locator('option:checked')).toHaveText('My first app');
    await expect(dialog.getByLabel('Client authentication')).toHaveValue('private_key_jwt');
    await expect(dialog.getByLabel('Client assertion key').locator('option:checked')).toHaveText(/^RSA 2048 · Client authentication · /);
    await expect(dialog.getByLabel('Request object key').locator('option:checked')).toHaveText(/^RSA 2048 · JAR signing · /);
    await expect(dialog.getByText('cannot run JAR or PAR + JAR')).toHaveCount(0);
    // Without a request-object key the dialog says what that means.
    await dialog.getByLabel('Request object key').selectOption({ label: 'None (no JAR)' });
    await expect(dialog.getByText('Without a request-object key, this target cannot run JAR or PAR + JAR.')).toBeVisible();
    await dialog
      .getByLabel('Request object key')
      .selectOption({ label: (await dialog.getByLabel('Request object key').locator('option', { hasText: 'JAR signing' }).textContent()) ?? '' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });

    // 5. Run: the note saying where to sign in is in view while the sign-in tab is open.
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const tab = await opened;
    await expect(page.getByText('Sign in on the page that opened in a new tab.')).toBeInViewport();
    await signInOnTab(tab, user);
    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 15_000 });
    await expect(page.getByText('Succeeded').first()).toBeVisible();
  });
});
