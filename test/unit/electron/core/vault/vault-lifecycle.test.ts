import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PASSPHRASE, expectError, fakeProtector, filesUnder, openVault, unlockedVault, vaultFile } from './helpers';

describe('Vault lifecycle › setup, unlock, lock', () => {
  it('starts uninitialized with the passphrase protector when no keychain is available', () => {
    const { vault } = openVault();
    expect(vault.status()).toEqual({ state: 'uninitialized', protector: 'passphrase', notices: [] });
  });

  it('requires a passphrase to set up without a keychain', async () => {
    const { vault } = openVault();
    await expectError(() => vault.setup(), 'PASSPHRASE_REQUIRED', /passphrase/i);
    expect(vault.status().state).toBe('uninitialized');
  });

  it('refuses to set up a vault twice', async () => {
    const { vault } = await unlockedVault();
    await expectError(() => vault.setup('another passphrase'), 'VAULT_ALREADY_INITIALIZED', /already set up/);
  });

  it('refuses to unlock a vault that was never set up', async () => {
    const { vault } = openVault();
    await expectError(() => vault.unlock(PASSPHRASE), 'VAULT_NOT_INITIALIZED', /not set up/);
  });

  it('emits vault.changed on setup, lock and unlock', async () => {
    const { vault, events } = await unlockedVault();
    vault.lock();
    await vault.unlock(PASSPHRASE);
    const states = events.filter((e) => e.name === 'vault.changed').map((e) => (e.payload as { state: string }).state);
    expect(states).toEqual(['unlocked', 'locked', 'unlocked']);
  });

  it('locking clears access to every key operation (VAULT_LOCKED) until unlocked again', async () => {
    const { vault } = await unlockedVault();
    const key = await vault.generate({ name: 'Locked', spec: { kty: 'EC', crv: 'P-256' }, usages: ['jar'] });
    await vault.sign(key.id, { alg: 'ES256' }, 'warm the private key cache');
    expect(vault.lock().state).toBe('locked');

    await expectError(() => vault.list(), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.get(key.id), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.sign(key.id, { alg: 'ES256' }, 'x'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.exportPrivate(key.id, 'export passphrase'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.exportPublic(key.id, 'jwk'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.generate({ name: 'x', spec: { kty: 'EC', crv: 'P-256' }, usages: [] }), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.importKey({ text: '{}' }), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.rename(key.id, 'y'), 'VAULT_LOCKED', /locked/);
    await expectError(() => vault.delete(key.id), 'VAULT_LOCKED', /locked/);

    await vault.unlock(PASSPHRASE);
    expect(vault.list().map((k) => k.id)).toEqual([key.id]);
    await expect(vault.sign(key.id, { alg: 'ES256' }, 'again')).resolves.toHaveProperty('jws');
  });
});

describe('Vault lifecycle › passphrase (scrypt + AES-256-GCM)', () => {
  it('refuses an empty passphrase with PASSPHRASE_REQUIRED and stays locked', async () => {
    const { vault } = await unlockedVault();
    vault.lock();
    await expectError(() => vault.unlock(''), 'PASSPHRASE_REQUIRED', /passphrase/);
    expect(vault.status().state).toBe('locked');
  });

  it('a wrong passphrase is refused, leaves the vault locked, and writes nothing', async () => {
    const { dir } = await unlockedVault();
    const before = filesUnder(dir);
    const { vault } = openVault(dir);
    expect(vault.status().state).toBe('locked');

    await expectError(() => vault.unlock('not the passphrase'), 'WRONG_PASSPHRASE', /passphrase is wrong/);

    expect(vault.status().state).toBe('locked');
    await expectError(() => vault.list(), 'VAULT_LOCKED', /locked/);
    expect(filesUnder(dir)).toEqual(before);
  });

  it('changing the passphrase re-wraps the data key: the old one stops working and keys still sign', async () => {
    const { vault, dir } = await unlockedVault();
    const key = await vault.generate({ name: 'Rewrapped', spec: { kty: 'EC', crv: 'P-384' }, usages: [] });
    await expectError(() => vault.changePassphrase('wrong current', 'a brand new passphrase'), 'WRONG_PASSPHRASE', /passphrase is wrong/);
    const status = await vault.changePassphrase(PASSPHRASE, 'a brand new passphrase');
    expect(status.state).toBe('unlocked');

    const reopened = openVault(dir).vault;
    await expectError(() => reopened.unlock(PASSPHRASE), 'WRONG_PASSPHRASE', /passphrase is wrong/);
    await reopened.unlock('a brand new passphrase');
    await expect(reopened.sign(key.id, { alg: 'ES384' }, { ok: true })).resolves.toHaveProperty('jws');
  });

  it('uses scrypt N=2^17, r=8, p=1 by default and unlocks with it', async () => {
    const dir = openVault().dir;
    const { vault } = openVault(dir, { scrypt: undefined });
    await vault.setup(PASSPHRASE);
    const stored = JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as { protection: { kind: string; kdf: Record<string, unknown> } };
    expect(stored.protection.kind).toBe('passphrase');
    expect(stored.protection.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });

    const reopened = openVault(dir, { scrypt: undefined }).vault;
    await expect(reopened.unlock(PASSPHRASE)).resolves.toMatchObject({ state: 'unlocked', protector: 'passphrase' });
  });
});

describe('Vault lifecycle › Electron safeStorage protector', () => {
  it('init sets up a new vault with the keychain, then auto-unlocks it on the next launch', async () => {
    const protector = fakeProtector();
    const first = openVault(undefined, { protector });
    await expect(first.vault.init()).resolves.toMatchObject({ state: 'unlocked', protector: 'safeStorage' });
    const key = await first.vault.generate({ name: 'Keychain', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });

    const second = openVault(first.dir, { protector });
    expect(second.vault.status()).toMatchObject({ state: 'locked', protector: 'safeStorage' });
    await expect(second.vault.init()).resolves.toMatchObject({ state: 'unlocked', protector: 'safeStorage' });
    expect(protector.wraps).toBe(1);
    expect(protector.unwraps).toBe(1);
    await expect(second.vault.sign(key.id, { alg: 'ES256' }, 'hello')).resolves.toHaveProperty('jws');
  });

  it('a keychain vault opened without the keychain stays locked and says why', async () => {
    const first = openVault(undefined, { protector: fakeProtector() });
    await first.vault.init();
    const { vault } = openVault(first.dir);
    await expect(vault.init()).resolves.toMatchObject({ state: 'locked', protector: 'safeStorage' });
    await expectError(() => vault.unlock('any passphrase'), 'PROTECTOR_UNAVAILABLE', /keychain \(safeStorage\)/);
    await expectError(() => vault.changePassphrase('a', 'b new passphrase'), 'PROTECTOR_UNAVAILABLE', /no passphrase to change/);
  });

  it('a keychain that refuses leaves the vault locked at init instead of throwing', async () => {
    const first = openVault(undefined, { protector: fakeProtector() });
    await first.vault.init();
    const broken = {
      kind: 'safeStorage' as const,
      wrap: () => Promise.reject(new Error('locked keychain')),
      unwrap: () => Promise.reject(new Error('locked keychain')),
    };
    const { vault } = openVault(first.dir, { protector: broken });
    await expect(vault.init()).resolves.toMatchObject({ state: 'locked' });
    await expectError(() => vault.unlock(''), 'PROTECTOR_UNAVAILABLE', /could not unlock/);
  });

  it('a locked keychain vault unlocks again without a passphrase', async () => {
    const protector = fakeProtector();
    const { vault } = openVault(undefined, { protector });
    await vault.init();
    expect(vault.lock().state).toBe('locked');
    await expect(vault.unlock('')).resolves.toMatchObject({ state: 'unlocked', protector: 'safeStorage' });
  });

  it('a passphrase given at setup wins over the keychain', async () => {
    const { vault } = openVault(undefined, { protector: fakeProtector() });
    await expect(vault.setup(PASSPHRASE)).resolves.toMatchObject({ state: 'unlocked', protector: 'passphrase' });
  });
});

describe('Vault lifecycle › damaged store file', () => {
  it('a truncated vault file is moved aside, reported in status().notices, and the vault starts usable', async () => {
    const { vault, dir } = await unlockedVault();
    await vault.generate({ name: 'Lost', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    const original = readFileSync(vaultFile(dir), 'utf8');
    const truncated = original.slice(0, Math.floor(original.length / 2));
    writeFileSync(vaultFile(dir), truncated);

    const reopened = openVault(dir);
    const status = reopened.vault.status();
    expect(status.state).toBe('uninitialized');
    expect(status.notices).toHaveLength(1);
    const [notice] = status.notices;
    expect(notice?.file).toBe(vaultFile(dir));
    expect(notice?.reason).toMatch(/not valid JSON/);
    expect(existsSync(notice?.movedTo ?? '')).toBe(true);
    expect(readFileSync(notice?.movedTo ?? '', 'utf8')).toBe(truncated);

    await reopened.vault.setup('a fresh passphrase');
    const key = await reopened.vault.generate({ name: 'Fresh', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    expect(reopened.vault.list().map((k) => k.id)).toEqual([key.id]);
    expect(reopened.vault.status().notices).toHaveLength(1);
  });

  it('a vault file that fails its schema is moved aside the same way', async () => {
    const { dir } = await unlockedVault();
    const stored = JSON.parse(readFileSync(vaultFile(dir), 'utf8')) as Record<string, unknown>;
    writeFileSync(vaultFile(dir), JSON.stringify({ ...stored, version: 2 }));
    const status = openVault(dir).vault.status();
    expect(status.state).toBe('uninitialized');
    expect(status.notices[0]?.reason).toMatch(/does not match its schema \(version/);
  });
});
