/**
 * Keyboard-only use: the skip link (first in the Tab order, shown on focus, Enter lands in the screen), the
 * app's tabs (arrow keys move between them, their description says so), Enter submitting a dialog from any
 * field but a multi-line one, and the embedded server's sign-in page (Email focused) and consent page (a
 * visible focus ring on its buttons).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, keyListItem, op } from './helpers';

/** WCAG relative luminance of a CSS `rgb()`/`rgba()` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Tabs forward until `name` has focus (at most `max` presses), the way a keyboard user gets there. */
async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (name.test(focused)) return;
  }
  throw new Error(`${name} never took focus in ${max} presses of Tab`);
}

test.describe('Keyboard only', () => {
  test('the skip link is the first stop, shows on focus, and Enter lands in the screen', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Server' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Server' })).toBeVisible();
    // From the top of a freshly loaded page.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Server' })).toBeVisible();
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await page.keyboard.press('Tab');
    await expect(skip).toBeFocused();
    // Shown while focused: a real box, not a 1-pixel clip.
    const box = await skip.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(40);
    expect(box?.height ?? 0).toBeGreaterThan(16);
    expect(await skip.evaluate((el) => getComputedStyle(el).clipPath)).toBe('none');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'skip-link.png'), clip: { x: 0, y: 0, width: 480, height: 160 } });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Server' })).toBeFocused();
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    // The hash router did not take `#main` for a screen: still on Server.
    expect(new URL(page.url()).hash).toBe('#/server');
    // The next Tab continues inside the screen, past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    // Hidden again once focus has left it.
    expect(await skip.evaluate((el) => getComputedStyle(el).clipPath)).not.toBe('none');
  });

  test('the app tabs move with the arrow keys and say so', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Server' }).click();
    const applications = page.getByRole('tab', { name: 'Applications' });
    // The tab after Applications is APIs, as in Auth0's Dashboard (the tenant's APIs, not an application's own tab).
    const apis = page.getByRole('tab', { name: 'APIs', exact: true });
    const logs = page.getByRole('tab', { name: 'Logs' });
    await expect(applications).toHaveAttribute('aria-selected', 'true');
    await expect(applications).toHaveAccessibleDescription(/arrow keys/i);
    // Roving tabindex: only the selected tab is in the Tab order.
    await expect(applications).toHaveAttribute('tabindex', '0');
    await expect(apis).toHaveAttribute('tabindex', '-1');
    await tabTo(page, /^Applications$/);
    await expect(applications).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(apis).toBeFocused();
    await expect(apis).toHaveAttribute('aria-selected', 'true');
    await expect(apis).toHaveAttribute('tabindex', '0');
    await expect(applications).toHaveAttribute('tabindex', '-1');
    await page.keyboard.press('End');
    await expect(logs).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(applications).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(logs).toBeFocused();
    await expect(page.getByRole('tabpanel', { name: 'Logs' })).toBeVisible();

    // The description is translated: Japanese.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await page.getByRole('link', { name: 'サーバー' }).click();
    await expect(page.getByRole('tab', { name: 'アプリケーション' })).toHaveAccessibleDescription(/矢印キー/);
  });

  test('Enter submits a dialog from a text field, a select or a checkbox, but not from a multi-line field', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);

    // Generate key: Enter in the Name field.
    await page.getByRole('button', { name: 'Generate key' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Enter from name');
    await dialog.getByLabel('Name').press('Enter');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(keyListItem(page, 'Enter from name')).toBeVisible({ timeout: 30_000 });

    // Enter on the Key type select.
    await page.getByRole('button', { name: 'Generate key' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Enter from type');
    await dialog.getByLabel('Key type').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(keyListItem(page, 'Enter from type')).toBeVisible({ timeout: 30_000 });

    // Enter on a usage checkbox: submits, and leaves the box as it was.
    await page.getByRole('button', { name: 'Generate key' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Enter from usage');
    await dialog.getByRole('checkbox', { name: 'JAR signing' }).check();
    await dialog.getByRole('checkbox', { name: 'JAR signing' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(keyListItem(page, 'Enter from usage')).toBeVisible({ timeout: 30_000 });
    await expect(keyListItem(page, 'Enter from usage')).toContainText('JAR');

    // A field that fails the dialog's own check: Enter shows the error and keeps the dialog open.
    await page.getByRole('button', { name: 'Generate key' }).click();
    dialog = page.getByRole('dialog');
    // The dialog proposes a name (issue 18); emptied, the name fails the check.
    await dialog.getByLabel('Name').fill('');
    await dialog.getByLabel('Key type').focus();
    await page.keyboard.press('Enter');
    await expect(dialog.getByText('Enter a name.')).toBeVisible();
    await page.keyboard.press('Escape');

    // Import key: Enter in the multi-line text is a new line, not a submission.
    await page.getByRole('button', { name: 'Import' }).first().click();
    dialog = page.getByRole('dialog');
    const text = dialog.getByLabel('Key, certificate or JWK');
    await text.fill('first line');
    await text.press('Enter');
    await text.pressSequentially('second line');
    await expect(text).toHaveValue('first line\nsecond line');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveCount(0);
  });

  test('the sign-in page focuses Email, and the consent buttons show a focus ring', async ({ page, parley }) => {
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);
    const callback = 'https://app.example/callback';
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: {
        name: 'Keyboard App',
        app_type: 'regular_web',
        callbacks: [callback],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    const issuer = parley.ready.issuer!;
    const authorize = new URL('authorize', issuer.endsWith('/') ? issuer : `${issuer}/`);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid profile',
      state: 'kb',
      nonce: 'kb',
      prompt: 'consent',
    })) {
      authorize.searchParams.set(name, value);
    }
    const tab = await page.context().newPage();
    await tab.goto(authorize.href);

    // Sign-in: Email has focus on arrival, so the user types straight away.
    const email = tab.getByLabel('Email');
    await expect(email).toBeFocused();
    await tab.keyboard.type(user.email);
    await tab.keyboard.press('Tab');
    await tab.keyboard.type(user.password);
    await tab.keyboard.press('Enter');

    // Consent: Tab to Accept, and its focus ring is drawn and stands out from the page (3:1, WCAG 1.4.11).
    const accept = tab.getByRole('button', { name: 'Accept' });
    await expect(accept).toBeVisible();
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await tab.keyboard.press('Tab');
      reached = await accept.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);
    const ring = await accept.evaluate((el) => {
      const style = getComputedStyle(el);
      const page = getComputedStyle(el.closest('main') ?? document.body);
      return {
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        color: style.outlineColor,
        background: page.backgroundColor,
        focusVisible: el.matches(':focus-visible'),
      };
    });
    expect(ring.focusVisible).toBe(true);
    expect(ring.style).not.toBe('none');
    expect(ring.style).not.toBe('auto');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(contrast(ring.color, ring.background)).toBeGreaterThanOrEqual(3);
    // The secondary button too.
    await tab.keyboard.press('Tab');
    const decline = tab.getByRole('button', { name: 'Decline' });
    await expect(decline).toBeFocused();
    expect(await decline.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  });
});
