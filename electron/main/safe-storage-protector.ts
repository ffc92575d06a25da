/**
 * Wraps the vault's data key with Electron safeStorage (Keychain, DPAPI, libsecret/kwallet). Resolves to
 * undefined whenever the OS gives no real protection, so the core falls back to a passphrase
 * (ARCHITECTURE.md §5, §9).
 *
 * Only the asynchronous calls: Electron 45 deprecates the synchronous ones, which also block the main
 * process while the OS answers (a Keychain prompt on macOS, a locked keyring on Linux). The first call
 * touches the keychain, so the shell makes it after the main window exists: a Keychain prompt then has
 * the app behind it.
 */
import { safeStorage } from 'electron';
import type { SafeStorageProtector } from '../core/vault';

/**
 * The protector, or undefined when safeStorage cannot protect the key. Call only after `ready`: before
 * it, safeStorage reports itself unavailable and Linux reports the `unknown` backend.
 * On Linux, `basic_text` means a hard-coded password, i.e. no protection at all; `unknown` after ready
 * means the backend could not be determined, treated the same way rather than trusted.
 */
export async function createSafeStorageProtector(platform: NodeJS.Platform = process.platform): Promise<SafeStorageProtector | undefined> {
  try {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return undefined;
  } catch (e) {
    console.warn('[parley] the system keychain (safeStorage) is not available; the vault uses a passphrase:', e instanceof Error ? e.message : e);
    return undefined;
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return undefined;
  }
  return {
    kind: 'safeStorage',
    // The key travels as base64 text because safeStorage encrypts strings, not bytes.
    wrap: async (dataKey: Buffer): Promise<string> => (await safeStorage.encryptStringAsync(dataKey.toString('base64'))).toString('base64'),
    unwrap: async (wrapped: string) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(wrapped, 'base64'));
      return { plaintext: Buffer.from(result, 'base64'), shouldReEncrypt };
    },
  };
}
