/**
 * Wraps the vault's data key with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). Returns
 * undefined whenever the OS gives no real protection, so the core falls back to a passphrase
 * (ARCHITECTURE.md §5, §9).
 */
import { safeStorage } from 'electron';
import type { SafeStorageProtector } from '../core/vault';

/**
 * The protector, or undefined when safeStorage cannot protect the key. Call only after `ready`: before
 * it, safeStorage reports itself unavailable and Linux reports the `unknown` backend.
 * On Linux, `basic_text` means a hard-coded password, i.e. no protection at all; `unknown` after ready
 * means the backend could not be determined, treated the same way rather than trusted.
 */
export function createSafeStorageProtector(platform: NodeJS.Platform = process.platform): SafeStorageProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return undefined;
  }
  return {
    kind: 'safeStorage',
    // The key travels as base64 text because safeStorage encrypts strings, not bytes.
    wrap: async (dataKey: Buffer): Promise<string> => safeStorage.encryptString(dataKey.toString('base64')).toString('base64'),
    unwrap: async (wrapped: string): Promise<Buffer> => Buffer.from(safeStorage.decryptString(Buffer.from(wrapped, 'base64')), 'base64'),
  };
}
