/**
 * The guided tour in web mode, in a real browser: offered right after the vault is created, it sets up the
 * demo (two vault keys, an application with both credentials, a target, a sign-in user), runs PAR + JAR
 * (the sign-in page opens in a new tab, where the user signs in with the credentials the tour shows), and
 * explains each step as it completes, up to a verified ID token. A second launch on the same data directory
 * does not offer it again; started from Settings in Japanese, it reuses the demo and speaks Japanese. Skip
 * works for the offer and for the tour.
 */
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, launchParley, test } from './fixtures';
import { createVault, op, signInOnTab, unlockVault } from './helpers';

/** The sign-in the tour shows for its demo user. */
async function shownCredentials(tour: Locator): Promise<{ email: string; password: string }> {
  const email = (await tour.locator('.tour-email').textContent()) ?? '';
  const password = (await tour.locator('.tour-password').textContent()) ?? '';
  expect(email).toBe('tour@parley.local');
  expect(password).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
  return { email, password };
}

/** Clicks the tour's Run button and completes the sign-in page in the tab it opens (login and consent when asked). */
async function runAndSignIn(
  context: BrowserContext,
  run: Locator,
  user: { email: string; password: string },
  beforeSignIn?: () => Promise<void>,
): Promise<void> {
  const opened = context.waitForEvent('page');
  await run.click();
  const tab = await opened;
  await beforeSignIn?.();
  await signInOnTab(tab, user);
}

/** Serious or critical axe findings (WCAG 2.1 AA) inside the tour panel. */
async function tourViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('.tour-panel').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

/** Names of the objects the tour made, as the core lists them. */
async function demoObjects(page: Page): Promise<{ keys: string[]; apps: string[]; targets: string[]; users: string[] }> {
  const keys = await op<{ name: string }[]>(page, 'keys.list', {});
  const apps = await op<{ name: string }[]>(page, 'server.listClients', {});
  const targets = await op<{ name: string }[]>(page, 'flows.listTargets', {});
  const users = await op<{ email: string }[]>(page, 'server.listUsers', {});
  return {
    keys: keys.map((k) => k.name).sort(),
    apps: apps.map((a) => a.name).filter((n) => n === 'Parley tour app'),
    targets: targets.map((x) => x.name).filter((n) => n === 'Parley tour app'),
    users: users.map((u) => u.email).filter((e) => e === 'tour@parley.local'),
  };
}

test.describe('Guided tour', () => {
  test('offered once after the vault is created, runs PAR + JAR step by step to a verified ID token, then again in Japanese', async ({
    page,
    context,
    parley,
  }) => {
    test.setTimeout(180_000);
    await page.goto(parley.url);
    await createVault(page);

    // The offer, right after the vault was created.
    const region = page.getByRole('region', { name: 'Guided tour' });
    await expect(region.getByText('New to Parley?')).toBeVisible();
    await region.getByRole('button', { name: 'Take the tour' }).click();

    // The panel: a labelled region with a heading, focused, and Skip.
    const tour = page.getByRole('region', { name: 'Guided tour' });
    await expect(tour.getByRole('heading', { level: 2, name: 'Guided tour' })).toBeFocused();
    await expect(tour.getByRole('heading', { name: 'What the tour does' })).toBeVisible();
    await expect(tour.getByRole('button', { name: 'Skip tour' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Take the tour' })).toHaveCount(0);

    // Keyboard: Next from the keyboard, focus stays on it.
    const next = tour.getByRole('button', { name: 'Next' });
    await next.focus();
    await page.keyboard.press('Enter');
    await expect(tour.getByRole('heading', { name: 'Set up the demo', level: 3 })).toBeVisible();
    await expect(next).toBeFocused();
    // Not before the demo exists.
    await expect(next).toHaveAttribute('aria-disabled', 'true');
    await page.keyboard.press('Enter');
    await expect(tour.getByRole('heading', { name: 'Set up the demo', level: 3 })).toBeVisible();
    await expect(next).toBeFocused();

    await tour.getByRole('button', { name: 'Set up the demo' }).click();
    await expect(tour.getByText('The demo is ready. Next, run the flow.')).toBeVisible({ timeout: 30_000 });
    const tasks = tour.getByRole('list', { name: 'Parts of the demo' });
    await expect(tasks.getByText('Created')).toHaveCount(5);
    expect(await demoObjects(page)).toEqual({
      keys: ['Tour · JAR key', 'Tour · client key'],
      apps: ['Parley tour app'],
      targets: ['Parley tour app'],
      users: ['tour@parley.local'],
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tour-setup.png') });

    await next.click();
    await expect(tour.getByRole('heading', { name: 'Run a PAR + JAR flow' })).toBeVisible();
    const user = await shownCredentials(tour);

    // Run: the sign-in tab opens during the click; the Flows screen shows the run; the tour follows it.
    await runAndSignIn(context, tour.getByRole('button', { name: 'Run the flow' }), user, async () => {
      await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
      await expect(tour.getByRole('heading', { name: 'Discover', level: 3 })).toBeVisible();
      await expect(tour.getByText(/read the server’s discovery document/)).toBeVisible();
      await next.click();
      await expect(tour.getByText(/request object signed with the JAR key/)).toBeVisible();
      await next.click();
      await expect(tour.getByText(/single-use request_uri/)).toBeVisible();
      await next.click();
      // Authorize waits for the sign-in, with the credentials still in view; Next waits too.
      await expect(tour.getByRole('heading', { name: 'Authorize', level: 3 })).toBeVisible();
      await expect(tour.getByText('Waiting for you to sign in on the page that opened in a new tab.')).toBeVisible();
      await expect(tour.locator('.tour-password')).toHaveText(user.password);
      await expect(next).toHaveAttribute('aria-disabled', 'true');
    });

    // Signed in: the authorize step completed, and each following step explains itself in turn.
    await expect(tour.getByText(/with only client_id and the request_uri/)).toBeVisible({ timeout: 15_000 });
    await next.click();
    await expect(tour.getByText(/checked that the state/)).toBeVisible();
    await next.click();
    await expect(tour.getByText(/fresh client assertion signed by the client key/)).toBeVisible();
    await next.click();
    await expect(tour.getByRole('heading', { name: 'Verify', level: 3 })).toBeVisible();
    await expect(tour.getByText(/checked the ID token’s signature/)).toBeVisible({ timeout: 15_000 });
    const progress = tour.getByRole('list', { name: 'Steps of the run' });
    await expect(progress.getByRole('listitem').filter({ hasText: 'OK' })).toHaveCount(7);

    // The run on the Flows screen reached a verified ID token.
    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify · OK/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'ID token claims' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /^PAR \+ JAR · Parley tour app/ })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tour.png') });
    // A step page (progress list, sentence, live region) is as clean as the first pages (a11y.spec.ts).
    expect(await tourViolations(page)).toEqual([]);

    // Back works, then on to the end: where to go next.
    await tour.getByRole('button', { name: 'Back' }).click();
    await expect(tour.getByRole('heading', { name: 'Exchange', level: 3 })).toBeVisible();
    await next.click();
    await next.click();
    await expect(tour.getByRole('heading', { name: 'Where to go next' })).toBeVisible();
    await expect(tour.getByRole('link', { name: 'Compose' })).toHaveAttribute('href', '#/compose');
    await expect(tour.getByRole('link', { name: 'Inspect the ID token' })).toHaveAttribute('href', /^#\/inspect\?token=eyJ/);
    await expect(tour.getByRole('link', { name: 'Break it' })).toHaveAttribute('href', '#/compose');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tour-finish.png') });
    await tour.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);

    // A second launch on the same data directory: not offered again.
    await parley.stop();
    const again = await launchParley(parley.dataDir);
    try {
      await page.goto(again.url);
      await unlockVault(page);
      await expect(page.getByRole('heading', { level: 1, name: 'Keys' })).toBeVisible();
      await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Take the tour' })).toHaveCount(0);

      // From Settings, in Japanese: the demo is reused, and the sentences are Japanese.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Language', { exact: true }).selectOption('ja-JP');
      await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
      await page.getByRole('button', { name: 'ガイドツアーを開始' }).click();
      const ja = page.getByRole('region', { name: 'ガイドツアー' });
      await expect(ja.getByRole('heading', { name: 'このツアーで行うこと' })).toBeVisible();
      await ja.getByRole('button', { name: '次へ' }).click();
      await ja.getByRole('button', { name: 'デモを準備' }).click();
      await expect(ja.getByText('デモの準備ができました。次はフローを実行します。')).toBeVisible({ timeout: 30_000 });
      await expect(ja.getByRole('list', { name: 'デモの構成要素' }).getByText('再利用')).toHaveCount(4);
      expect(await demoObjects(page)).toEqual({
        keys: ['Tour · JAR key', 'Tour · client key'],
        apps: ['Parley tour app'],
        targets: ['Parley tour app'],
        users: ['tour@parley.local'],
      });
      await ja.getByRole('button', { name: '次へ' }).click();
      const jaUser = await shownCredentials(ja);
      expect(jaUser.password).not.toBe(user.password);
      await runAndSignIn(context, ja.getByRole('button', { name: 'フローを実行' }), jaUser, async () => {
        await expect(ja.getByText(/ディスカバリードキュメント（\/\.well-known\/openid-configuration）を読み/)).toBeVisible();
      });
      for (let i = 0; i < 3; i++) await ja.getByRole('button', { name: '次へ' }).click();
      await expect(ja.getByRole('heading', { name: '認可', level: 3 })).toBeVisible();
      await expect(ja.getByText(/client_idとrequest_uriだけを付けて認可エンドポイントへ移動し/)).toBeVisible({ timeout: 15_000 });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'tour-ja.png') });
      await ja.getByRole('button', { name: 'ツアーをスキップ' }).click();
      await expect(page.getByRole('region', { name: 'ガイドツアー' })).toHaveCount(0);
    } finally {
      await again.stop();
    }
  });

  test('Skip hides the offer for good in this tab, and Skip tour closes the tour', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    const offer = page.getByRole('region', { name: 'Guided tour' });
    await expect(offer.getByRole('button', { name: 'Take the tour' })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tour-offer.png') });
    await offer.getByRole('button', { name: 'Skip', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Keys' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);

    // Always reachable from Settings; Skip tour closes it and returns focus to the screen.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Start the guided tour' }).click();
    const tour = page.getByRole('region', { name: 'Guided tour' });
    await expect(tour.getByRole('heading', { name: 'What the tour does' })).toBeVisible();
    await tour.getByRole('button', { name: 'Skip tour' }).click();
    await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  });
});
