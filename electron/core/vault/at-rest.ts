/**
 * Encryption at rest (ARCHITECTURE.md §5): AES-256-GCM sealing with a fresh IV per message and the
 * caller's associated data, and the scrypt key derivation for passphrase-protected vaults.
 */
import { createCipheriv, createDecipheriv, scrypt } from 'node:crypto';
import { randomBytes } from '../random';
import type { ScryptParams, Sealed } from './vault-document';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Bytes in a data key or a derived key-encryption key (AES-256). */
export const KEY_BYTES = 32;

/** Bytes of scrypt salt. */
export const SALT_BYTES = 16;

/** Production scrypt cost: about 128 MiB and a few hundred milliseconds per unlock. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** A fresh random 256-bit data key. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Seals `plaintext` under `key`; `aad` binds the ciphertext to its context (a key id), so records cannot be swapped. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/**
 * Opens a sealed message, or returns null when the tag does not verify (wrong key, wrong AAD, or a
 * changed byte). Callers turn null into the error that fits their context.
 */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  // GCM accepts truncated tags unless told otherwise; a short tag would weaken the integrity check.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES || key.length !== KEY_BYTES) return null;
  try {
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * Derives a key-encryption key from a passphrase, asynchronously so a high cost never blocks the
 * event loop. The passphrase is NFC-normalized so the same words typed on different systems match.
 */
export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  // Node's default maxmem (32 MiB) is below what N = 2^17, r = 8 needs; allow exactly the cost plus slack.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
