/**
 * Wrapping and unwrapping the vault's data key: with Electron safeStorage (the OS keychain) through a
 * host-supplied protector, or with a passphrase through scrypt + AES-256-GCM. A wrong passphrase is
 * recognized by the GCM tag on the wrapped data key, before anything else is touched.
 *
 * The wrap also carries the vault's record format (VaultFormat), authenticated with the key itself: in the
 * associated data of the passphrase wrap, in the protected plaintext of the keychain wrap (which has no
 * associated data). vault.json can then not be edited to look like an older vault, whose records unlock
 * would still accept unbound and migrate, without the data key.
 */
import { ParleyError } from '../../../shared/errors';
import { randomBytes } from '../random';
import { KEY_BYTES, SALT_BYTES, deriveKey, open, seal } from './at-rest';
import type { PassphraseProtection, SafeStorageProtection, ScryptParams } from './vault-document';

/** The host's adapter to Electron safeStorage; the core never imports electron. */
export interface SafeStorageProtector {
  readonly kind: 'safeStorage';
  wrap(dataKey: Buffer): Promise<string>;
  /**
   * The wrapped plaintext, and whether the keychain asks for it to be wrapped again (Electron's
   * `shouldReEncrypt`: its key was rotated, or a stronger one is available).
   */
  unwrap(wrapped: string): Promise<KeychainPlaintext>;
}

/** What the keychain unwrapped. */
export interface KeychainPlaintext {
  plaintext: Buffer;
  shouldReEncrypt: boolean;
}

/**
 * How a vault's records are sealed. 1: private keys with the key id alone as associated data, public-only
 * keys unsealed (vaults before issue #13); unlock migrates them once. 2: every record bound to its metadata
 * (sealed-key.ts); a record that looks like format 1 is refused.
 */
export type VaultFormat = 1 | 2;
/** The format new wraps vouch for. */
export const CURRENT_FORMAT: VaultFormat = 2;

/** An unwrapped data key and the record format its wrap vouches for. */
export interface UnwrappedDataKey {
  dataKey: Buffer;
  format: VaultFormat;
  /** Keychain wraps only: the keychain asks for the data key to be wrapped again. */
  shouldReEncrypt?: boolean;
}

// Binds the wrapped data key to its role, so no other sealed value in the file can stand in for it, and to
// the record format (format 1 vaults used the first).
const DATA_KEY_AAD: Record<VaultFormat, string> = { 1: 'parley:vault:data-key:v1', 2: 'parley:vault:data-key:v2' };

// Prefix of the keychain-wrapped plaintext of a format-2 vault; format 1 wrapped the bare 32-byte key.
const KEYCHAIN_FORMAT_2 = Buffer.from('parley:vault:data-key:v2:', 'utf8');

/** Wraps the data key with a key derived from `passphrase` (fresh salt each time), vouching for `format`. */
export async function protectWithPassphrase(
  dataKey: Buffer,
  passphrase: string,
  params: ScryptParams,
  format: VaultFormat = CURRENT_FORMAT,
): Promise<PassphraseProtection> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    return {
      kind: 'passphrase',
      kdf: { name: 'scrypt', salt: salt.toString('base64'), N: params.N, r: params.r, p: params.p },
      wrappedDataKey: seal(kek, dataKey, DATA_KEY_AAD[format]),
    };
  } finally {
    kek.fill(0);
  }
}

/** Unwraps the data key with `passphrase`; WRONG_PASSPHRASE when the GCM tag verifies for no format. */
export async function unwrapWithPassphrase(protection: PassphraseProtection, passphrase: string): Promise<UnwrappedDataKey> {
  const { salt, N, r, p } = protection.kdf;
  const kek = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  try {
    for (const format of [2, 1] as const) {
      const dataKey = open(kek, protection.wrappedDataKey, DATA_KEY_AAD[format]);
      if (dataKey === null) continue;
      if (dataKey.length !== KEY_BYTES) throw new ParleyError('DECRYPT_FAILED', 'The vault data key has the wrong length; the vault file is damaged.');
      return { dataKey, format };
    }
    throw new ParleyError('WRONG_PASSPHRASE', 'The passphrase is wrong: it does not unlock this vault.');
  } finally {
    kek.fill(0);
  }
}

/** Wraps the data key with the OS keychain, vouching for `format`. */
export async function protectWithSafeStorage(
  dataKey: Buffer,
  protector: SafeStorageProtector,
  format: VaultFormat = CURRENT_FORMAT,
): Promise<SafeStorageProtection> {
  const plaintext = format === 1 ? Buffer.from(dataKey) : Buffer.concat([KEYCHAIN_FORMAT_2, dataKey]);
  try {
    return { kind: 'safeStorage', wrappedDataKey: await protector.wrap(plaintext) };
  } catch (cause) {
    throw new ParleyError('PROTECTOR_UNAVAILABLE', 'The operating system keychain (safeStorage) could not protect the vault key.', { cause });
  } finally {
    plaintext.fill(0);
  }
}

/** Unwraps the data key with the OS keychain; PROTECTOR_UNAVAILABLE when there is none or it refuses. */
export async function unwrapWithSafeStorage(protection: SafeStorageProtection, protector: SafeStorageProtector | undefined): Promise<UnwrappedDataKey> {
  if (protector === undefined) {
    throw new ParleyError(
      'PROTECTOR_UNAVAILABLE',
      'This vault is protected by the operating system keychain (safeStorage), which is not available in this mode; open it in the desktop app.',
    );
  }
  let plaintext: Buffer;
  let shouldReEncrypt: boolean;
  try {
    ({ plaintext, shouldReEncrypt } = await protector.unwrap(protection.wrappedDataKey));
  } catch (cause) {
    throw new ParleyError('PROTECTOR_UNAVAILABLE', 'The operating system keychain (safeStorage) could not unlock the vault key.', { cause });
  }
  try {
    if (plaintext.length === KEY_BYTES) return { dataKey: Buffer.from(plaintext), format: 1, shouldReEncrypt };
    const prefix = plaintext.subarray(0, KEYCHAIN_FORMAT_2.length);
    if (plaintext.length === KEYCHAIN_FORMAT_2.length + KEY_BYTES && prefix.equals(KEYCHAIN_FORMAT_2)) {
      return { dataKey: Buffer.from(plaintext.subarray(KEYCHAIN_FORMAT_2.length)), format: 2, shouldReEncrypt };
    }
    throw new ParleyError('DECRYPT_FAILED', 'The keychain returned a vault key of the wrong length; the vault file is damaged.');
  } finally {
    plaintext.fill(0);
  }
}
