/**
 * Flows in web mode, in a real browser: PAR + JAR, PAR and JAR by value against the embedded server with
 * a private_key_jwt client, signing in on the page opened in a new tab, each up to a verified ID token;
 * then a JAR by value with a wrong `aud`, rejected by the server with its rule named under the step.
 */
import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import { createPkjApplication, createVault, signInOnTab } from './helpers';

/** Clicks Run flow and completes the sign-in page in the tab it opens (login and consent when asked). */
async function runThroughSignIn(page: Page, context: BrowserContext, user: { email: string; password: string }): Promise<void> {
  const opened = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Run flow' }).click();
  const tab = await opened;
  await signInOnTab(tab, user);
}

/** The run succeeded and every step shown is OK. */
async function expectVerified(page: Page, steps: readonly string[]): Promise<void> {
  const timeline = page.getByRole('list', { name: 'Steps' });
  await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 15_000 });
  for (const step of steps) await expect(timeline.getByRole('listitem', { name: new RegExp(`^${step} · OK`) })).toBeVisible();
  await expect(page.getByText('Succeeded').first()).toBeVisible();
}

test.describe('Flows screen', () => {
  test('runs PAR + JAR to a verified ID token, then shows the failing rule of a JAR with a wrong aud', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);

    // Set-up through the contract, to save time: two vault keys and an application with both credentials.
    await createPkjApplication(page, 'Flow');

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
    await runThroughSignIn(page, context, user);

    const timeline = page.getByRole('list', { name: 'Steps' });
    await expectVerified(page, ['Discover', 'Build', 'Push', 'Authorize', 'Callback', 'Exchange', 'Verify']);
    await expect(page.getByRole('heading', { name: 'ID token claims' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open the ID token in Inspect' }).first()).toHaveAttribute('href', /^#\/inspect\?token=eyJ/);
    await page.getByText('HTTP POST → 201').click();
    await expect(timeline.getByRole('listitem', { name: /^Push/ })).toContainText('request_uri');
    // Against the embedded server, each request's trace sits under its step.
    await expect(timeline.getByRole('listitem', { name: /^Push/ })).toContainText('Server trace');
    await expect(timeline.getByRole('listitem', { name: /^Push/ })).toContainText('POST /oauth/par → 201');
    // The main column scrolls by itself: a tall viewport shows the whole timeline in the screenshot.
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // PAR with plain parameters, then JAR by value: both reach a verified ID token too (already signed in: SSO).
    for (const [kind, steps] of [
      ['PAR', ['Discover', 'Build', 'Push', 'Authorize', 'Callback', 'Exchange', 'Verify']],
      ['JAR by value', ['Discover', 'Build', 'Authorize', 'Callback', 'Exchange', 'Verify']],
    ] as const) {
      await page.getByLabel('Flow kind').selectOption({ label: kind });
      await runThroughSignIn(page, context, user);
      // The timeline now shows the new run (its title names the kind), with exactly its steps.
      await expect(page.getByRole('heading', { name: new RegExp(`^${kind} · `) })).toBeVisible();
      await expectVerified(page, steps);
      await expect(timeline.getByRole('listitem', { name: /^Push · / })).toHaveCount(kind === 'PAR' ? 1 : 0);
    }

    // JAR by value with a wrong aud: the server shows its error page and never redirects; the run does
    // not wait for the browser, it stops at authorize at once with the rule from the server's trace.
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    const opened2 = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const tab2 = await opened2;
    const authorize = page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Authorize/ });
    await expect(authorize).toContainText('Failed');
    await expect(authorize).toContainText('JAR-11 failed');
    await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
    // The failing rule, with what was expected and what was sent, right under the step.
    await expect(authorize.getByText('https://wrong.example/').first()).toBeVisible();
    await tab2.close();
    await authorize.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-rejected.png') });

    // History: both runs, and the first can be reopened.
    const history = page.getByRole('list', { name: 'History' });
    await expect(history.getByRole('listitem')).toHaveCount(4);
    await history.getByRole('button', { name: /PAR \+ JAR/ }).click();
    await expect(page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Verify · OK/ })).toBeVisible();
  });
});
