/**
 * Screens are lazy chunks (renderer/src/app/screens.tsx). Leaving a screen for one whose code has not arrived
 * yet, then coming back before it does, must show the screen afresh (mounted again, so it loads its data
 * again), not the old instance that React kept hidden behind the loading fallback: that one kept, e.g.,
 * Compose's client list from before a change made on the Server screen. The Server chunk is held back by
 * the test, so no timing decides the outcome.
 */
import { expect, test } from './fixtures';
import { createVault } from './helpers';

test('coming back to a screen while the next one is still loading shows it afresh', async ({ page, parley }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/server-screen-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(parley.url);
  await createVault(page);

  await page.getByRole('link', { name: 'Compose' }).click();
  const title = page.locator('h1.screen-title');
  await expect(title).toHaveText('Compose');
  const before = await title.elementHandle();

  await page.getByRole('link', { name: 'Server' }).click(); // its code is held: the screen cannot arrive
  await page.getByRole('link', { name: 'Compose' }).click();
  await expect(title).toHaveText('Compose');
  await expect(title).toBeVisible();
  const after = await title.elementHandle();
  expect(await page.evaluate(([a, b]) => a === b, [before, after] as const)).toBe(false);

  release();
  await page.getByRole('link', { name: 'Server' }).click();
  await expect(title).toHaveText('Server');
});
