/**
 * Private keys at rest: PKCS#8 DER sealed under the data key. The associated data binds the ciphertext to
 * its record's id AND a SHA-256 of the record's metadata (name, public JWK, thumbprint, usages, creation
 * date, certificate), so a ciphertext moved to another record, a swapped public key or certificate, or a
 * changed usage in vault.json fails to open and is named. A public-only record has no ciphertext, so it
 * carries an `integrity` tag instead: an empty message sealed with the same associated data.
 *
 * Vaults written before the metadata was bound (format 1) sealed with the key id alone (LEGACY); unlock
 * re-seals those records once, under a new data key (upgradeRecord). Whether a vault is format 1 is read
 * from its wrapped data key (data-key.ts), never from the records: in a format-2 vault a record without
 * its integrity tag, or sealed the legacy way, is refused by name, so stripping fields cannot downgrade it.
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import { open, seal } from './at-rest';
import type { KeyRecord, Sealed } from './vault-document';

/** What of a record is bound: everything but its sealed parts. */
export type RecordMetadata = Omit<KeyRecord, 'privateKey' | 'integrity'>;

/** JSON with object keys sorted at every level, so the digest does not depend on property order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The digest of a record's metadata (base64url SHA-256 of its canonical JSON). */
export function metadataDigest(record: RecordMetadata): string {
  const { id, name, publicJwk, thumbprint, usages, createdAt, certificate } = record;
  return createHash('sha256').update(canonicalJson({ id, name, publicJwk, thumbprint, usages, createdAt, certificate }), 'utf8').digest('base64url');
}

/** The associated data of a record's seals: its id and the digest of its metadata. */
export function recordAad(record: RecordMetadata): string {
  return `parley:key:v2:${record.id}:${metadataDigest(record)}`;
}

/** The associated data vaults used before the metadata was bound: the key id alone. */
function legacyAad(record: RecordMetadata): string {
  return record.id;
}

/** Seals a private key for `record` (its metadata as it will be stored). The clear DER is wiped as soon as it is sealed. */
export function sealPrivateKey(dataKey: Buffer, record: RecordMetadata, privateKey: KeyObject): Sealed {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return seal(dataKey, der, recordAad(record));
  } finally {
    der.fill(0);
  }
}

/** The integrity tag of a public-only record. */
export function sealIntegrity(dataKey: Buffer, record: RecordMetadata): Sealed {
  return seal(dataKey, Buffer.alloc(0), recordAad(record));
}

/** The error for a record whose seal does not match its metadata. */
export function tampered(record: RecordMetadata): ParleyError {
  return new ParleyError(
    'DECRYPT_FAILED',
    `The key "${record.name}" (id ${record.id}) does not match what the vault sealed: its name, public key, certificate or usages in vault.json were changed outside Parley, or its ciphertext is damaged. Delete the key and import it again, or restore vault.json from a backup.`,
    { details: { id: record.id } },
  );
}

/** Checks a public-only record's integrity tag; DECRYPT_FAILED naming the record when it is missing or does not verify. */
export function checkIntegrity(dataKey: Buffer, record: KeyRecord): void {
  if (record.integrity === undefined) {
    throw new ParleyError(
      'DECRYPT_FAILED',
      `The key "${record.name}" (id ${record.id}) has no integrity tag, which this vault gives every public-only key: vault.json was edited outside Parley to make it look like a record of an older vault. It is left in vault.json for inspection; delete the key and import it again, or restore vault.json from a backup.`,
      { details: { id: record.id } },
    );
  }
  if (open(dataKey, record.integrity, recordAad(record)) === null) throw tampered(record);
}

/** Opens a record's private key; KEY_HAS_NO_PRIVATE_PART for public-only keys, DECRYPT_FAILED naming a damaged or tampered one. */
export function openPrivateKey(dataKey: Buffer, record: KeyRecord): KeyObject {
  if (record.privateKey === null) {
    throw new ParleyError('KEY_HAS_NO_PRIVATE_PART', `The key "${record.name}" is public only: import its private key to sign or export it.`, {
      details: { id: record.id },
    });
  }
  const der = open(dataKey, record.privateKey, recordAad(record));
  if (der === null) throw tampered(record);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new ParleyError(
      'DECRYPT_FAILED',
      `The private key of "${record.name}" could not be decrypted: its stored ciphertext is damaged or was not written by this vault.`,
      {
        details: { id: record.id },
        cause,
      },
    );
  } finally {
    der.fill(0);
  }
}

/**
 * A record of a format-1 vault re-sealed under `newKey` with its metadata bound: a private key sealed with
 * the key id alone (or already bound) under `oldKey`, or a public-only record given its integrity tag. A
 * record that opens neither way under `oldKey` is returned unchanged, so that using it reports the damage.
 */
export function upgradeRecord(oldKey: Buffer, newKey: Buffer, record: KeyRecord): KeyRecord {
  if (record.privateKey === null) {
    if (record.integrity !== undefined && open(oldKey, record.integrity, recordAad(record)) === null) return record;
    return { ...record, integrity: sealIntegrity(newKey, record) };
  }
  const der = open(oldKey, record.privateKey, recordAad(record)) ?? open(oldKey, record.privateKey, legacyAad(record));
  if (der === null) return record;
  try {
    const { integrity: _unused, ...rest } = record;
    return { ...rest, privateKey: seal(newKey, der, recordAad(record)) };
  } finally {
    der.fill(0);
  }
}
