/**
 * Compose drafts and the Inspect input survive a reload (issue 19), kept in the page's localStorage
 * (renderer/src/state/drafts-storage.ts); unreadable stored data gives a notice, never a crash; Settings says
 * what is kept and clears it.
 */
import { expect, test } from './fixtures';
import { createVault } from './helpers';

// A signed JWT's shape (the signature is not checked here): {"alg":"RS256","typ":"JWT"}.{"sub":"draft-user","aud":"https://api.example"}.
const JWT = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"draft-user","aud":"https://api.example"}').toString('base64url')}.c2lnbmF0dXJl`;

test.describe('Drafts that survive a reload', () => {
  test('a Compose draft and the Inspect input are there again after a reload, until Settings clears them', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);

    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Client from').selectOption({ label: 'Typed client ID' });
    await page.getByLabel('Typed client ID').fill('draft-client');
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });
    await page.getByLabel('scope', { exact: true }).fill('openid drafts-survive');

    await page.getByRole('link', { name: 'Inspect' }).click();
    await page.getByRole('textbox', { name: 'Token' }).fill(JWT);
    await expect(page.getByText('draft-user').first()).toBeVisible();

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue(JWT);
    // Decoded again, as if typed.
    await expect(page.getByText('draft-user').first()).toBeVisible();
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByLabel('Typed client ID')).toHaveValue('draft-client');
    await expect(page.getByLabel('scope', { exact: true })).toHaveValue('openid drafts-survive');
    await expect(page.getByRole('textbox', { name: 'Claims (JSON)' })).toContainText('"scope": "openid drafts-survive"');
    // What is stored holds the claims, not a signed token or a PKCE verifier.
    const stored = await page.evaluate(() => localStorage.getItem('parley.drafts.compose') ?? '');
    expect(stored).toContain('drafts-survive');
    expect(stored).not.toMatch(/pkceVerifier|"signed"/);

    // Settings says what is kept and clears it.
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Saved drafts' });
    await expect(section).toContainText('may be a valid access token');
    await section.getByRole('button', { name: 'Clear saved drafts' }).click();
    await expect(page.getByText('Saved drafts cleared.')).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    expect(await page.evaluate(() => [localStorage.getItem('parley.drafts.compose'), localStorage.getItem('parley.drafts.inspect')])).toEqual([null, null]);
    await page.getByRole('link', { name: 'Inspect' }).click();
    await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue('');
  });

  test('unreadable stored drafts give a notice and an empty screen, never a crash', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.evaluate(() => {
      localStorage.setItem('parley.drafts.compose', '{"v":1,"mode":"jar","drafts":');
      localStorage.setItem('parley.drafts.inspect', JSON.stringify({ v: 0, token: 'from an older Parley' }));
    });
    await page.reload();

    const notice = page.getByRole('status').filter({ hasText: 'A saved draft could not be read' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Compose and Inspect');
    // The bad copies are gone, so the notice is said once.
    expect(await page.evaluate(() => [localStorage.getItem('parley.drafts.compose'), localStorage.getItem('parley.drafts.inspect')])).toEqual([null, null]);
    // The screens work and start empty.
    await page.getByRole('link', { name: 'Inspect' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Token' })).toHaveValue('');
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();
    await notice.getByRole('button', { name: 'Dismiss the notice about the saved draft' }).click();
    await expect(notice).toBeHidden();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();
    await expect(page.getByText('A saved draft could not be read')).toHaveCount(0);
  });
});
