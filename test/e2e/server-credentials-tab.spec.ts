/**
 * An application's Credentials tab in view on opening it (issue 18, "the walkthrough"): at 1024×700 the
 * server's status and settings sat above the application's detail, so the Credentials tab (where a new user
 * goes next) was below the fold; focus moving to the application's heading scrolled the screen 900 px down,
 * the server's context gone. Opening an existing application from the list must show its tabs within the
 * first screenful (status and settings fold to one line), in every UI language.
 */
import { expect, test } from './fixtures';
import { createPkjApplication, createVault } from './helpers';

test.describe('Server › opening an application at 1024×700', () => {
  test('the Credentials tab and its panel are in view without scrolling', async ({ page, parley }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(parley.url);
    await createVault(page);
    await createPkjApplication(page, 'Fold');

    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('button', { name: 'Fold App', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Fold App' })).toBeVisible();
    const credentialsTab = page.getByRole('tab', { name: 'Credentials' });
    // In view as it opens, with the screen's own heading still in view: the application's tabs sit within the
    // first screenful, not reached by scrolling the server's status and settings away (which moving focus to the
    // application's heading used to do, leaving the user out of context).
    await expect(credentialsTab).toBeInViewport();
    await expect(page.getByRole('heading', { name: 'Server', level: 1 })).toBeInViewport();
    expect(await page.locator('.server-screen').evaluate((e) => e.scrollTop)).toBe(0);
    await credentialsTab.click();
    // Its panel starts in view too (the authentication method first, the credentials below it).
    await expect(page.getByRole('tabpanel', { name: 'Credentials' })).toBeInViewport();
    // The window itself never scrolled to get there.
    expect(await page.evaluate(() => [document.scrollingElement?.scrollTop ?? 0, window.scrollY])).toEqual([0, 0]);
  });

  test('in Japanese too (longer server settings), the 資格情報 tab is in view', async ({ page, parley }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(parley.url);
    await createVault(page);
    await createPkjApplication(page, 'Fold');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await page.getByRole('link', { name: 'サーバー', exact: true }).click();
    await page.getByRole('button', { name: 'Fold App', exact: true }).click();
    await expect(page.getByRole('tab', { name: '資格情報' })).toBeInViewport();
    await expect(page.getByRole('heading', { name: 'サーバー', level: 1 })).toBeInViewport();
  });
});
