/**
 * The vault's secret store: client secrets sealed under the data key (AES-256-GCM, AAD `secret:<id>`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectError, openVault, PASSPHRASE, unlockedVault, vaultFile } from './helpers';

describe('Vault secret store', () => {
  it('returns a stored secret and never writes it in clear', async () => {
    const { vault, dir } = await unlockedVault();
    vault.putSecret('flow-target:a', 's3cr3t-value-xyz');
    expect(vault.getSecret('flow-target:a')).toBe('s3cr3t-value-xyz');
    expect(readFileSync(vaultFile(dir), 'utf8')).not.toContain('s3cr3t-value-xyz');
  });

  it('keeps secrets across a lock and unlock, and replaces a secret stored again under the same id', async () => {
    const { vault, dir } = await unlockedVault();
    vault.putSecret('a', 'one');
    vault.putSecret('a', 'two');
    vault.lock();
    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    expect(reopened.getSecret('a')).toBe('two');
  });

  it('answers undefined for an unknown id and forgets a deleted secret', async () => {
    const { vault } = await unlockedVault();
    expect(vault.getSecret('nope')).toBeUndefined();
    vault.putSecret('b', 'x');
    expect(vault.deleteSecret('b')).toBe(true);
    expect(vault.getSecret('b')).toBeUndefined();
    expect(vault.deleteSecret('b')).toBe(false);
  });

  it('refuses every secret operation while locked (VAULT_LOCKED)', async () => {
    const { vault } = await unlockedVault();
    vault.putSecret('c', 'x');
    vault.lock();
    await expectError(() => vault.getSecret('c'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.putSecret('c', 'y'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.deleteSecret('c'), 'VAULT_LOCKED', /locked/);
  });

  it('binds a ciphertext to its id: a sealed secret moved to another id fails to open (DECRYPT_FAILED)', async () => {
    const { vault, dir } = await unlockedVault();
    vault.putSecret('d', 'moved');
    vault.lock();
    const doc = JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as { secrets: { id: string }[] };
    doc.secrets[0]!.id = 'e';
    writeFileSync(vaultFile(dir), JSON.stringify(doc));
    const reopened = openVault(dir).vault;
    await reopened.unlock(PASSPHRASE);
    await expectError(() => reopened.getSecret('e'), 'DECRYPT_FAILED', /damaged/);
  });
});
