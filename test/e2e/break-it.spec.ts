/**
 * Compose › Break it (issue #6), end to end in web mode: a composed request object and a composed client
 * assertion each go through every case of shared/faults/cases.ts against the embedded server; every row
 * must read "As specified", every rejection must name the rule from server-rules.md, and a draft that is
 * itself wrong must make the control row say so.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { casesFor } from '../../shared/faults/cases';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, generateKey } from './helpers';

/** The Break-it results table, found by its caption. */
function resultsTable(page: Page): Locator {
  return page.getByRole('table', { name: /Break it: the answer the spec expects/ });
}

/** Every row comes out as the spec says, and every rejection names the rule the server failed. */
async function expectAllAsSpecified(page: Page, expectedRows: number): Promise<void> {
  const table = resultsTable(page);
  await expect(table).toBeVisible({ timeout: 30_000 });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(expectedRows);
  await expect(page.getByText(`${expectedRows} of ${expectedRows} as the spec says`).first()).toBeVisible();
  for (let i = 0; i < expectedRows; i++) {
    const row = rows.nth(i);
    const caseName = (await row.getByRole('rowheader').locator('.break-it-case').textContent()) ?? '';
    await expect(row.getByRole('cell').nth(2), caseName).toContainText('As specified');
    await expect(row.getByRole('cell').nth(2), caseName).not.toContainText('Differs');
    const actual = row.getByRole('cell').nth(1);
    if (i === 0) {
      // The control: the unchanged draft is accepted, no rule failed.
      expect(caseName).toBe('Unchanged (control)');
      await expect(actual, caseName).toContainText('accepted');
    } else {
      // A rejection: the status, the OAuth error and the id of the rule from server-rules.md.
      await expect(actual.locator('.badge'), caseName).toHaveText(/^(JWT|JAR|PKJ|PAR|AZR|RED)-\d+$/);
      const expected = row.getByRole('cell').nth(0);
      await expect(expected, caseName).toContainText(await actual.locator('.badge').innerText());
    }
  }
}

test.describe('Compose › Break it', () => {
  test('runs every case of a request object and of a client assertion against the embedded server, each as the spec says', async ({ page, parley }) => {
    test.setTimeout(120_000);
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR key', 'RSA-2048', ['JAR signing']);
    await generateKey(page, 'Auth key', 'RSA-2048', ['Client authentication']);
    // The "Key generated" toasts would cover the screenshots.
    const dismiss = page.locator('.toaster').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0)
      await dismiss
        .first()
        .click({ timeout: 2_000 })
        .catch(() => undefined);

    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByRole('heading', { name: 'Compose', level: 1 })).toBeVisible();
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });
    await expect(page.getByLabel('response_type', { exact: true })).toHaveValue('code');

    // Request object: one click, the whole table.
    const breakIt = page.getByRole('button', { name: 'Break it', exact: true });
    await expect(page.getByRole('button', { name: 'Sign', exact: true })).toBeVisible();
    await breakIt.click();
    await expectAllAsSpecified(page, casesFor('request_object').length);
    const table = resultsTable(page);
    await expect(table.getByRole('row', { name: /request_uri used twice/ })).toContainText('AZR-3');
    await expect(table.getByRole('row', { name: /alg: none/ })).toContainText('JWT-2');
    await expect(page.getByText('Sent as the application “Parley · Break it”')).toBeVisible();
    await expect(page.getByText('The other slot’s key: “Auth key” from the vault.')).toBeVisible();

    // The trace of a row: every rule the server applied, the failing one included.
    await table.getByRole('button', { name: 'Trace: aud without its trailing slash' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'GET /authorize' })).toBeVisible();
    await expect(dialog.locator('.rule-failed').first()).toContainText('JAR-11');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'break-it-trace.png') });
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.locator('.break-it').scrollIntoViewIfNeeded();
    await page.locator('.break-it').screenshot({ path: join(SCREENSHOT_DIR, 'break-it.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // A draft that is itself wrong (no response_type): the control row says so, and the table can show ✗.
    await page.getByLabel('response_type', { exact: true }).fill('');
    await expect(page.getByText('The draft has changed since this run.')).toBeVisible();
    await page.getByRole('button', { name: 'Break it', exact: true }).click();
    await expect(page.getByText('The unchanged draft is itself refused (JAR-12)')).toBeVisible({ timeout: 30_000 });
    const control = resultsTable(page).getByRole('row', { name: /Unchanged \(control\)/ });
    await expect(control).toContainText('Differs from the spec');
    await expect(control).toContainText('JAR-12');
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.locator('.break-it').scrollIntoViewIfNeeded();
    await page.locator('.break-it').screenshot({ path: join(SCREENSHOT_DIR, 'break-it-baseline-failed.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('response_type', { exact: true }).fill('code');

    // Client assertion: the same, each rejection a 401 invalid_client naming its PKJ/JWT rule.
    await page.getByRole('tab', { name: 'Client assertion' }).click();
    await page.getByLabel('Templates').selectOption({ label: 'Private Key JWT client assertion' });
    await expect(page.getByLabel('sub', { exact: true })).not.toHaveValue('');
    // Hold the run back until its progress has been seen.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/op/faults.run', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Break it', exact: true }).click();
    await expect(page.getByRole('progressbar', { name: 'Break it in progress' })).toBeVisible();
    await expect(
      page.getByRole('status').filter({ hasText: `Running ${casesFor('client_assertion').length} cases against the embedded server…` }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Break it', exact: true })).toHaveAttribute('aria-busy', 'true');
    await page.locator('.break-it').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'break-it-running.png') });
    release();
    await expectAllAsSpecified(page, casesFor('client_assertion').length);
    await expect(resultsTable(page).getByRole('row', { name: /Reused jti/ })).toContainText('PKJ-12');
    await expect(resultsTable(page).getByRole('row', { name: /exp − iat over 5 minutes/ })).toContainText('401 invalid_client');
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.locator('.break-it').scrollIntoViewIfNeeded();
    await page.locator('.break-it').screenshot({ path: join(SCREENSHOT_DIR, 'break-it-assertion.png') });
  });
});
