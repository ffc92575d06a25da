/**
 * Habits of a desktop tool (issue 19): Ctrl/Cmd+Enter runs the screen's main action, Ctrl/Cmd+1…7 switch
 * screens, Ctrl/Cmd+K opens the command palette, "?" or Ctrl/Cmd+/ the shortcuts sheet. Chromium here runs
 * on Linux, so the modifier is Ctrl and the labels say so.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, generateKey } from './helpers';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Moves focus out of any text field, where most shortcuts are ordinary typing. */
async function focusHeading(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).focus();
}

test.describe('Keyboard shortcuts and the command palette', () => {
  test('Ctrl+2 switches screen, Ctrl+Enter signs in Compose, the palette filters and runs, the sheet lists the shortcuts', async ({ page, parley }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Shortcut key', 'RSA-2048', ['JAR signing']);
    await page.locator('.toaster').getByRole('button', { name: 'Dismiss' }).click();

    // Ctrl+2: the second screen of the navigation.
    await focusHeading(page);
    await page.keyboard.press('Control+2');
    await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Compose' })).toHaveAttribute('aria-current', 'page');

    // Ctrl+Enter signs, even from inside a text field.
    await page.getByLabel('Client from').selectOption({ label: 'Typed client ID' });
    await page.getByLabel('Typed client ID').fill('shortcut-client');
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });
    await page.getByLabel('scope', { exact: true }).fill('openid email');
    const compact = page
      .locator('.code-block')
      .filter({ has: page.getByRole('heading', { name: 'Compact JWS' }) })
      .locator('pre');
    await expect(compact).toHaveCount(0);
    await page.getByLabel('scope', { exact: true }).press('Control+Enter');
    await expect(compact).toHaveText(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(Buffer.from(((await compact.textContent()) ?? '').trim().split('.')[1]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ client_id: 'shortcut-client', scope: 'openid email' });

    // Ctrl+K from a text field too: a dialog with a combobox and its listbox, no serious axe finding.
    await page.getByLabel('scope', { exact: true }).press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await expect(palette).toBeVisible();
    const search = palette.getByRole('combobox', { name: 'Search commands' });
    await expect(search).toBeFocused();
    const options = palette.getByRole('listbox', { name: 'Commands' }).getByRole('option');
    // The screen's main action comes first, with its keys; every screen is listed with its own.
    await expect(options.first()).toContainText('Sign');
    await expect(options.first()).toContainText('Ctrl+Enter');
    await expect(options.filter({ hasText: 'Go to Server' })).toContainText('Ctrl+6');
    expect(await seriousViolations(page)).toEqual([]);

    // Typing filters; arrows move the active option (announced through aria-activedescendant); Enter runs it.
    await search.fill('go to');
    await expect(options).toHaveText([/^Go to Keys/, /^Go to Compose/, /^Go to Inspect/, /^Go to Explain/, /^Go to Flows/, /^Go to Server/, /^Go to Settings/]);
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
    await search.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(search).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id')) ?? 'missing');
    await search.press('ArrowUp');
    // Up from the first wraps to the last.
    await search.press('ArrowUp');
    await expect(options.nth(6)).toHaveAttribute('aria-selected', 'true');
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'false');
    await search.fill('go to set');
    await expect(options).toHaveText([/^Go to Settings/]);
    await search.press('Enter');
    await expect(palette).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

    // An action: the dark theme, applied at once and saved.
    await page.keyboard.press('Control+k');
    await search.fill('theme dark');
    await expect(options).toHaveText(['Theme: Dark']);
    await search.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByLabel('Theme')).toHaveValue('dark');

    // Nothing matches: said so; Escape closes and gives focus back.
    await focusHeading(page);
    await page.keyboard.press('Control+k');
    await search.fill('zzzz');
    await expect(options).toHaveCount(0);
    await expect(palette.getByRole('status')).toHaveText('No command matches.');
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

    // "?" opens the sheet; it lists every shortcut with Ctrl, for this platform.
    await page.keyboard.press('Shift+Slash');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByText('On this computer the shortcuts use the Ctrl key.')).toBeVisible();
    const row = (action: string) => sheet.getByRole('row').filter({ has: page.getByRole('cell', { name: action, exact: true }) });
    await expect(row('Open the command palette')).toContainText('Ctrl+K');
    await expect(row('Go to Compose')).toContainText('Ctrl+2');
    await expect(row('Go to Settings')).toContainText('Ctrl+7');
    await expect(row('Show this list of shortcuts')).toContainText('?');
    await expect(row('Show this list of shortcuts')).toContainText('Ctrl+/');
    await expect(sheet.getByRole('cell', { name: /^The screen’s main action/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();

    // In a text field "?" is a character and Ctrl+1 does not leave the screen.
    await page.getByRole('link', { name: 'Inspect' }).click();
    const token = page.getByRole('textbox', { name: 'Token' });
    await token.fill('a?');
    await token.press('Shift+Slash');
    await token.press('Control+1');
    await expect(token).toHaveValue('a??');
    await expect(sheet).toBeHidden();
    await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();

    // Ctrl+4 and Ctrl+Enter on Explain: the screen's main action is Explain, from inside its text field.
    await focusHeading(page);
    await page.keyboard.press('Control+4');
    await expect(page.getByRole('heading', { level: 1, name: 'Explain' })).toBeVisible();
    const request = page.getByRole('textbox', { name: 'Request', exact: true });
    await request.fill('https://tenant.example.com/authorize?client_id=a&request_uri=https%3A%2F%2Fevil.example%2Fr');
    await request.press('Control+Enter');
    await expect(page.getByRole('list', { name: 'Rules applied, the first failing on top' })).toBeVisible();
    // The text field did not take the keys as a new line.
    await expect(request).toHaveValue('https://tenant.example.com/authorize?client_id=a&request_uri=https%3A%2F%2Fevil.example%2Fr');

    // Ctrl+/ opens the sheet too, and the palette opens it as a command.
    await focusHeading(page);
    await page.keyboard.press('Control+/');
    await expect(sheet).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await search.fill('keyboard');
    await search.press('Enter');
    await expect(sheet).toBeVisible();
  });
});
