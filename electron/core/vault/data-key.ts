/**
 * Wrapping and unwrapping the vault's data key: with Electron safeStorage (the OS keychain) through a
 * host-supplied protector, or with a passphrase through scrypt + AES-256-GCM. A wrong passphrase is
 * recognized by the GCM tag on the wrapped data key, before anything else is touched.
 */
import { ParleyError } from '../../../shared/errors';
import { randomBytes } from '../random';
import { KEY_BYTES, SALT_BYTES, deriveKey, open, seal } from './at-rest';
import type { PassphraseProtection, SafeStorageProtection, ScryptParams } from './vault-document';

/** The host's adapter to Electron safeStorage; the core never imports electron. */
export interface SafeStorageProtector {
  readonly kind: 'safeStorage';
  wrap(dataKey: Buffer): Promise<string>;
  unwrap(wrapped: string): Promise<Buffer>;
}

// Binds the wrapped data key to its role, so no other sealed value in the file can stand in for it.
const DATA_KEY_AAD = 'parley:vault:data-key:v1';

/** Wraps the data key with a key derived from `passphrase` (fresh salt each time). */
export async function protectWithPassphrase(dataKey: Buffer, passphrase: string, params: ScryptParams): Promise<PassphraseProtection> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    return {
      kind: 'passphrase',
      kdf: { name: 'scrypt', salt: salt.toString('base64'), N: params.N, r: params.r, p: params.p },
      wrappedDataKey: seal(kek, dataKey, DATA_KEY_AAD),
    };
  } finally {
    kek.fill(0);
  }
}

/** Unwraps the data key with `passphrase`; WRONG_PASSPHRASE when the GCM tag does not verify. */
export async function unwrapWithPassphrase(protection: PassphraseProtection, passphrase: string): Promise<Buffer> {
  const { salt, N, r, p } = protection.kdf;
  const kek = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  try {
    const dataKey = open(kek, protection.wrappedDataKey, DATA_KEY_AAD);
    if (dataKey === null) throw new ParleyError('WRONG_PASSPHRASE', 'The passphrase is wrong: it does not unlock this vault.');
    if (dataKey.length !== KEY_BYTES) throw new ParleyError('DECRYPT_FAILED', 'The vault data key has the wrong length; the vault file is damaged.');
    return dataKey;
  } finally {
    kek.fill(0);
  }
}

/** Wraps the data key with the OS keychain. */
export async function protectWithSafeStorage(dataKey: Buffer, protector: SafeStorageProtector): Promise<SafeStorageProtection> {
  try {
    return { kind: 'safeStorage', wrappedDataKey: await protector.wrap(dataKey) };
  } catch (cause) {
    throw new ParleyError('PROTECTOR_UNAVAILABLE', 'The operating system keychain (safeStorage) could not protect the vault key.', { cause });
  }
}

/** Unwraps the data key with the OS keychain; PROTECTOR_UNAVAILABLE when there is none or it refuses. */
export async function unwrapWithSafeStorage(protection: SafeStorageProtection, protector: SafeStorageProtector | undefined): Promise<Buffer> {
  if (protector === undefined) {
    throw new ParleyError(
      'PROTECTOR_UNAVAILABLE',
      'This vault is protected by the operating system keychain (safeStorage), which is not available in this mode; open it in the desktop app.',
    );
  }
  let dataKey: Buffer;
  try {
    dataKey = await protector.unwrap(protection.wrappedDataKey);
  } catch (cause) {
    throw new ParleyError('PROTECTOR_UNAVAILABLE', 'The operating system keychain (safeStorage) could not unlock the vault key.', { cause });
  }
  if (dataKey.length !== KEY_BYTES) throw new ParleyError('DECRYPT_FAILED', 'The keychain returned a vault key of the wrong length; the vault file is damaged.');
  return dataKey;
}
