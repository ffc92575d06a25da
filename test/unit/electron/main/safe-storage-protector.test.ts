import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron';
import { EventBus } from '../../../../electron/core/events';
import { confStoreFactory } from '../../../../electron/core/store/document-store';
import { Vault } from '../../../../electron/core/vault';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createSafeStorageProtector } = await import('../../../../electron/main/safe-storage-protector');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

const methods = () => fake.safeStorage.calls.map((c) => c.method);

describe('Electron shell › safeStorage protector', () => {
  it('wraps the data key with the asynchronous safeStorage API and unwraps it back to the same bytes', async () => {
    const protector = await createSafeStorageProtector('darwin');
    expect(protector?.kind).toBe('safeStorage');
    const key = randomBytes(32);
    const wrapped = await protector!.wrap(key);
    expect(wrapped).toBe(Buffer.from(`sealed1:${key.toString('base64')}`).toString('base64'));
    const unwrapped = await protector!.unwrap(wrapped);
    expect(Buffer.compare(unwrapped.plaintext, key)).toBe(0);
    expect(unwrapped.shouldReEncrypt).toBe(false);
    expect(methods()).toEqual(['isAsyncEncryptionAvailable', 'encryptStringAsync', 'decryptStringAsync']);
  });

  it("passes on the keychain's shouldReEncrypt after its key was rotated", async () => {
    const protector = (await createSafeStorageProtector('win32'))!;
    const wrapped = await protector.wrap(randomBytes(32));
    fake.safeStorage.generation = 2;
    expect((await protector.unwrap(wrapped)).shouldReEncrypt).toBe(true);
  });

  it('falls back to the passphrase (undefined) when Linux selects the basic_text backend', async () => {
    fake.safeStorage.backend = 'basic_text';
    expect(await createSafeStorageProtector('linux')).toBeUndefined();
  });

  it('falls back when the Linux backend is still unknown', async () => {
    fake.safeStorage.backend = 'unknown';
    expect(await createSafeStorageProtector('linux')).toBeUndefined();
  });

  it('uses a real Linux keyring backend such as libsecret', async () => {
    fake.safeStorage.backend = 'gnome_libsecret';
    expect((await createSafeStorageProtector('linux'))?.kind).toBe('safeStorage');
  });

  it('falls back when encryption is not available at all, or the availability check fails', async () => {
    fake.safeStorage.available = false;
    expect(await createSafeStorageProtector('win32')).toBeUndefined();
    fake.safeStorage.available = true;
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(fake.safeStorage, 'isAsyncEncryptionAvailable').mockRejectedValueOnce(new Error('keyring daemon gone'));
    expect(await createSafeStorageProtector('linux')).toBeUndefined();
  });

  it('ignores the Linux backend question on other platforms', async () => {
    fake.safeStorage.backend = 'basic_text';
    expect((await createSafeStorageProtector('win32'))?.kind).toBe('safeStorage');
  });
});

describe('Electron shell › safeStorage protector › a vault re-wrapped when the keychain asks', () => {
  it('re-wraps the data key at unlock when shouldReEncrypt says so, and the new wrap unlocks without asking again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-rewrap-'));
    dirs.push(dir);
    const open = async () =>
      new Vault({ store: confStoreFactory(dir), events: new EventBus(), notices: [], protector: (await createSafeStorageProtector('darwin'))! });
    const wrapOnDisk = () =>
      (JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as { protection: { wrappedDataKey: string } }).protection.wrappedDataKey;
    const sealedBy = () => /^sealed(\d+):/.exec(Buffer.from(wrapOnDisk(), 'base64').toString('utf8'))?.[1];

    const first = await open();
    expect(await first.init()).toMatchObject({ state: 'unlocked', protector: 'safeStorage' });
    const key = (await first.generate({ name: 'k', spec: { kty: 'EC', crv: 'P-256' }, usages: [] })).id;
    expect(sealedBy()).toBe('1');

    // The OS rotated the keychain's key: the old wrap still opens, and is replaced by one under the new key.
    fake.safeStorage.generation = 2;
    const second = await open();
    expect(await second.init()).toMatchObject({ state: 'unlocked' });
    expect(sealedBy()).toBe('2');
    expect(second.get(key).id).toBe(key);

    fake.safeStorage.calls = [];
    const third = await open();
    expect(await third.init()).toMatchObject({ state: 'unlocked' });
    expect(methods()).not.toContain('encryptStringAsync');
    expect(third.get(key).id).toBe(key);
  });
});
