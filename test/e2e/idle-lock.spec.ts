import { expect, test } from './fixtures';
import { createVault, op, unlockVault } from './helpers';

test.describe('Idle lock (Settings › Vault)', () => {
  test('chooses the idle time, keeps it, and shows the unlock screen as soon as the vault locks', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);

    await page.getByRole('link', { name: 'Settings' }).click();
    const idle = page.getByLabel('Lock after inactivity', { exact: true });
    await expect(idle).toHaveValue('15');
    await idle.selectOption({ label: '1 h' });
    await expect.poll(async () => (await op<{ idleLockMinutes: unknown }>(page, 'settings.get', {})).idleLockMinutes).toBe(60);
    await idle.selectOption({ label: 'Never' });
    await expect.poll(async () => (await op<{ idleLockMinutes: unknown }>(page, 'settings.get', {})).idleLockMinutes).toBe('never');
    await page.reload();
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByLabel('Lock after inactivity', { exact: true })).toHaveValue('never');

    // The vault locking elsewhere (the idle lock, the OS) reaches the page as `vault.changed`: the unlock screen shows.
    await op(page, 'vault.lock', {});
    await expect(page.getByLabel('Passphrase', { exact: true })).toBeVisible();
    await unlockVault(page);
  });
});
