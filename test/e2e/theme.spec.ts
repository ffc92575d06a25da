import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, op } from './helpers';

/** The page's background as painted (the `--bg` token on <body>). */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(17, 17, 19)';

test.describe('Theme (Settings › Appearance; View in the desktop menu)', () => {
  test('switches between light, dark and the system theme, and remembers the choice', async ({ page, parley }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(parley.url);
    await createVault(page);
    await expect.poll(() => background(page)).toBe(LIGHT);

    await page.getByRole('link', { name: 'Settings' }).click();
    const theme = page.getByLabel('Theme', { exact: true });
    await expect(theme).toHaveValue('system');
    await theme.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(() => background(page)).toBe(DARK);
    // Saved in the core: the desktop shell hears the same `settings.changed`.
    await expect.poll(async () => (await op<{ theme: string }>(page, 'settings.get', {})).theme).toBe('dark');

    // A reload keeps it (the settings come back from the core).
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(() => background(page)).toBe(DARK);

    await page.getByLabel('Theme', { exact: true }).selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(LIGHT);

    // System follows the OS or browser, both ways.
    await page.getByLabel('Theme', { exact: true }).selectOption('system');
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
    await expect.poll(() => background(page)).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(LIGHT);
  });
});
