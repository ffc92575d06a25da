import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';
import { SCREENSHOT_DIR, expect, launchParley, test } from './fixtures';
import { PASSPHRASE, createVault, downloadText, filesBelow, generateKey, keyListItem, op, selectedThumbprint, unlockVault } from './helpers';

test.describe('Keys screen', () => {
  test('generates a key, exports its JWKS, reloads, unlocks, and finds the key with the same thumbprint', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR signing — e2e', 'RSA-2048');
    const thumbprint = await selectedThumbprint(page, 'JAR signing — e2e');

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('group', { name: 'Format' }).getByRole('radio', { name: 'JWKS' }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download public key' }).click()]);
    const jwks = JSON.parse(await downloadText(download)) as { keys: JWK[] };
    expect(jwks.keys).toHaveLength(1);
    const jwk = jwks.keys[0]!;
    expect(jwk.kid).toBe(thumbprint);
    expect(await calculateJwkThumbprint(jwk, 'sha256')).toBe(thumbprint);
    expect(jwk).not.toHaveProperty('d');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
    await unlockVault(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    expect(await selectedThumbprint(page, 'JAR signing — e2e')).toBe(thumbprint);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'keys.png'), fullPage: true });
  });

  test('keeps keys across a restart of the process, and refuses a wrong passphrase with a clear error', async ({ page, workDir }) => {
    const dataDir = join(workDir, 'data');
    let parley = await launchParley(dataDir);
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Client auth — e2e', 'EC-P-256', ['Client authentication']);
    const thumbprint = await selectedThumbprint(page, 'Client auth — e2e');
    await parley.stop();

    parley = await launchParley(dataDir);
    try {
      await page.goto(parley.url);
      await unlockVault(page, 'not the passphrase at all');
      await expect(page.getByRole('alert')).toContainText(/passphrase/i);
      await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
      await unlockVault(page);
      await page.getByRole('link', { name: 'Keys' }).click();
      expect(await selectedThumbprint(page, 'Client auth — e2e')).toBe(thumbprint);
    } finally {
      await parley.stop();
    }
  });

  test('leaves no private key material in any plain encoding in the data directory', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'RSA under test', 'RSA-2048');
    await generateKey(page, 'EC under test', 'EC-P-384', ['Other']);

    // Take each private key out the only way the UI allows (encrypted PKCS#8), decrypt it here, and look for it on disk.
    const secrets: string[] = [];
    for (const name of ['RSA under test', 'EC under test']) {
      await keyListItem(page, name).click();
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('tab', { name: 'Private key' }).click();
      await dialog.getByRole('checkbox', { name: /I understand/ }).check();
      await dialog.getByLabel('Export passphrase', { exact: true }).fill('export passphrase 1');
      await dialog.getByLabel('Confirm export passphrase').fill('export passphrase 1');
      await dialog.getByLabel('Vault passphrase').fill(PASSPHRASE);
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export private key' }).click()]);
      const pem = await downloadText(download);
      expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      const key = createPrivateKey({ key: pem, passphrase: 'export passphrase 1' });
      const der = key.export({ type: 'pkcs8', format: 'der' });
      const d = (key.export({ format: 'jwk' }) as { d: string }).d;
      secrets.push(
        der.toString('base64'),
        der.toString('base64url'),
        der.toString('hex'),
        d,
        Buffer.from(d, 'base64url').toString('base64'),
        Buffer.from(d, 'base64url').toString('hex'),
      );
      await page.keyboard.press('Escape');
    }

    const files = filesBelow(parley.dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      const text = bytes.toString('latin1');
      expect(text, file).not.toContain('PRIVATE KEY');
      expect(text, file).not.toMatch(/"d"\s*:/);
      for (const secret of secrets) {
        // A 40-character slice is enough to be unique and survives line wrapping of PEM bodies.
        expect(text.includes(secret.slice(8, 48)), `${file} holds private key material`).toBe(false);
      }
    }
  });

  test('exports a private key only with the vault passphrase: a wrong one is refused and nothing is downloaded', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Guarded key', 'EC-P-256', ['Other']);
    await keyListItem(page, 'Guarded key').click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Private key' }).click();
    await dialog.getByRole('checkbox', { name: /I understand/ }).check();
    await dialog.getByLabel('Export passphrase', { exact: true }).fill('export passphrase 2');
    await dialog.getByLabel('Confirm export passphrase').fill('export passphrase 2');
    await expect(dialog.getByText('security.log')).toBeVisible();

    // No vault passphrase: the form says so and asks nothing of the core.
    await dialog.getByRole('button', { name: 'Export private key' }).click();
    await expect(dialog.getByText('Enter the vault passphrase.')).toBeVisible();

    let downloads = 0;
    page.on('download', () => downloads++);
    await dialog.getByLabel('Vault passphrase').fill('not the vault passphrase');
    await dialog.getByRole('button', { name: 'Export private key' }).click();
    await expect(dialog.getByRole('alert')).toContainText(/wrong passphrase/i);
    expect(downloads).toBe(0);
    // The field is cleared after every attempt: the next export asks again.
    await expect(dialog.getByLabel('Vault passphrase')).toHaveValue('');

    await dialog.getByLabel('Vault passphrase').fill(PASSPHRASE);
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export private key' }).click()]);
    const pem = await downloadText(download);
    expect(createPrivateKey({ key: pem, passphrase: 'export passphrase 2' }).asymmetricKeyType).toBe('ec');
    const audit = readFileSync(join(parley.dataDir, 'security.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string });
    expect(audit.map((e) => e.outcome)).toEqual(['refused', 'exported']);
  });

  test('imports a pasted PKCS#1 RSA key and shows its RFC 7638 thumbprint', async ({ page, parley }) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const expected = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK, 'sha256');
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Import key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Key, certificate or JWK').fill(pem);
    await dialog.getByLabel('Name (optional)').fill('Pasted PKCS#1');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await selectedThumbprint(page, 'Pasted PKCS#1')).toBe(expected);
  });

  test('names the problem with a malformed PEM and keeps the dialog open', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Import key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Key, certificate or JWK').fill('-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText(/base64|PEM/i);
    await expect(dialog).toBeVisible();
  });

  test('generates an Ed25519 key for DPoP: JAR and client authentication are not offered for it', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Generate key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('JAR signing').check();
    await dialog.getByLabel('Key type').selectOption({ label: 'Ed25519' });
    await expect(dialog).toContainText('Ed25519 keys sign DPoP proofs (EdDSA)');
    await expect(dialog.getByLabel('JAR signing')).toBeDisabled();
    await expect(dialog.getByLabel('JAR signing')).not.toBeChecked();
    await expect(dialog.getByLabel('Client authentication')).toBeDisabled();
    await dialog.getByLabel('Other').check();
    await dialog.getByLabel('Name').fill('DPoP Ed25519');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await keyListItem(page, 'DPoP Ed25519').click();
    const keys = await op<{ name: string; kty: string; crv: string; algs: string[]; usages: string[] }[]>(page, 'keys.list', {});
    expect(keys).toEqual([expect.objectContaining({ name: 'DPoP Ed25519', kty: 'OKP', crv: 'Ed25519', algs: ['EdDSA', 'Ed25519'], usages: ['other'] })]);
  });

  test('stays usable while a 4096-bit RSA key is generated', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'Generate key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Big RSA');
    await dialog.getByLabel('Key type').selectOption('RSA-4096');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    // While it works, the rest of the app answers: navigate away and back.
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Keys' }).click();
    await expect(keyListItem(page, 'Big RSA')).toBeVisible({ timeout: 60_000 });
    await keyListItem(page, 'Big RSA').click();
    await expect(page.getByText('4096 bits')).toBeVisible();
  });

  test('deletes a key only after confirmation', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Short-lived', 'EC-P-256', ['Other']);
    await keyListItem(page, 'Short-lived').click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('cannot be undone');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await expect(keyListItem(page, 'Short-lived')).toHaveCount(0);
  });
});

test.describe('Vault store', () => {
  test('moves a corrupted store aside, says so, and starts usable', async ({ page, workDir }) => {
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'vault.json'), '{"version": 1, "protection": {"kind": "passph');
    const parley = await launchParley(dataDir);
    try {
      await page.goto(parley.url);
      await expect(page.getByText('A data file could not be read')).toBeVisible();
      await expect(page.getByText(/vault\.json\.corrupt-/).first()).toBeVisible();
      const aside = filesBelow(dataDir).find((f) => f.includes('vault.json.corrupt-'));
      expect(aside).toBeDefined();
      expect(readFileSync(aside!, 'utf8')).toBe('{"version": 1, "protection": {"kind": "passph');
      await createVault(page, PASSPHRASE);
      await generateKey(page, 'After recovery', 'EC-P-256', ['Other']);
    } finally {
      await parley.stop();
    }
  });
});

test.describe('Settings', () => {
  test('switches the language to Japanese and back, and the choice survives a reload', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await expect(page.getByRole('link', { name: 'Keys' })).toHaveCount(0);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'settings-ja.png'), fullPage: true });
    await page.getByRole('combobox').first().selectOption('en');
    await expect(page.getByRole('link', { name: 'Keys' })).toBeVisible();
  });
});
