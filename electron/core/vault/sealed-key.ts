/**
 * Private keys at rest: PKCS#8 DER sealed under the data key with the key id as associated data, so a
 * ciphertext moved to another record, or changed by one bit, fails to open and is named as damaged.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import { open, seal } from './at-rest';
import type { KeyRecord, Sealed } from './vault-document';

/** Seals a private key for the record `id`. The clear DER is wiped as soon as it is sealed. */
export function sealPrivateKey(dataKey: Buffer, id: string, privateKey: KeyObject): Sealed {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return seal(dataKey, der, id);
  } finally {
    der.fill(0);
  }
}

/** Opens a record's private key; KEY_HAS_NO_PRIVATE_PART for public-only keys, DECRYPT_FAILED naming a damaged one. */
export function openPrivateKey(dataKey: Buffer, record: KeyRecord): KeyObject {
  if (record.privateKey === null) {
    throw new ParleyError('KEY_HAS_NO_PRIVATE_PART', `The key "${record.name}" is public only: import its private key to sign or export it.`, {
      details: { id: record.id },
    });
  }
  const damaged = (cause?: unknown): ParleyError =>
    new ParleyError('DECRYPT_FAILED', `The private key of "${record.name}" could not be decrypted: its stored ciphertext is damaged or was not written by this vault.`, {
      details: { id: record.id },
      ...(cause === undefined ? {} : { cause }),
    });
  const der = open(dataKey, record.privateKey, record.id);
  if (der === null) throw damaged();
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw damaged(cause);
  } finally {
    der.fill(0);
  }
}
