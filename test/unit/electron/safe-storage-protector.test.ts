import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createSafeStorageProtector } = await import('../../../electron/main/safe-storage-protector');

beforeEach(() => fake.reset());

describe('Electron shell › safeStorage protector', () => {
  it('wraps the data key with safeStorage and unwraps it back to the same bytes', async () => {
    const protector = createSafeStorageProtector('darwin');
    expect(protector?.kind).toBe('safeStorage');
    const key = randomBytes(32);
    const wrapped = await protector!.wrap(key);
    expect(wrapped).toBe(Buffer.from(`sealed:${key.toString('base64')}`).toString('base64'));
    expect(Buffer.compare(await protector!.unwrap(wrapped), key)).toBe(0);
  });

  it('falls back to the passphrase (undefined) when Linux selects the basic_text backend', () => {
    fake.safeStorage.backend = 'basic_text';
    expect(createSafeStorageProtector('linux')).toBeUndefined();
  });

  it('falls back when the Linux backend is still unknown', () => {
    fake.safeStorage.backend = 'unknown';
    expect(createSafeStorageProtector('linux')).toBeUndefined();
  });

  it('uses a real Linux keyring backend such as libsecret', () => {
    fake.safeStorage.backend = 'gnome_libsecret';
    expect(createSafeStorageProtector('linux')?.kind).toBe('safeStorage');
  });

  it('falls back when encryption is not available at all', () => {
    fake.safeStorage.available = false;
    expect(createSafeStorageProtector('win32')).toBeUndefined();
  });

  it('ignores the Linux backend question on other platforms', () => {
    fake.safeStorage.backend = 'basic_text';
    expect(createSafeStorageProtector('win32')?.kind).toBe('safeStorage');
  });
});
