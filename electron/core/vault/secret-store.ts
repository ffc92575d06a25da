/**
 * Small secrets (client secrets of flow targets) kept in vault.json beside the keys: each sealed under
 * the data key with `secret:<id>` as associated data, so a ciphertext moved to another id fails to open.
 */
import { ParleyError } from '../../../shared/errors';
import type { Document } from '../store/document-store';
import { open, seal } from './at-rest';
import type { SecretRecord, VaultDocument } from './vault-document';

/** The ids a secret may have (also the AAD suffix). */
export const SECRET_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_SECRET_BYTES = 4096;

function checkId(id: string): void {
  if (!SECRET_ID.test(id)) throw new ParleyError('INVALID_INPUT', 'A secret id has 1 to 128 letters, digits, or . _ : -.');
}

function aad(id: string): string {
  return `secret:${id}`;
}

/** Seals and stores `value` under `id`, replacing any previous value. */
export function putSecret(doc: Document<VaultDocument>, dataKey: Buffer, id: string, value: string): void {
  checkId(id);
  const clear = Buffer.from(value, 'utf8');
  if (clear.length === 0 || clear.length > MAX_SECRET_BYTES) throw new ParleyError('INVALID_INPUT', `A secret has 1 to ${MAX_SECRET_BYTES} bytes.`);
  let record: SecretRecord;
  try {
    record = { id, sealed: seal(dataKey, clear, aad(id)) };
  } finally {
    clear.fill(0);
  }
  const others = (doc.value.secrets ?? []).filter((s) => s.id !== id);
  doc.save({ ...doc.value, secrets: [...others, record] });
}

/** The secret stored under `id`, or undefined; DECRYPT_FAILED when its ciphertext is damaged. */
export function getSecret(doc: Document<VaultDocument>, dataKey: Buffer, id: string): string | undefined {
  checkId(id);
  const record = (doc.value.secrets ?? []).find((s) => s.id === id);
  if (record === undefined) return undefined;
  const clear = open(dataKey, record.sealed, aad(id));
  if (clear === null)
    throw new ParleyError('DECRYPT_FAILED', 'A stored secret could not be decrypted: its ciphertext is damaged or was not written by this vault.', {
      details: { id },
    });
  try {
    return clear.toString('utf8');
  } finally {
    clear.fill(0);
  }
}

/** Removes the secret stored under `id`; true when there was one. */
export function deleteSecret(doc: Document<VaultDocument>, id: string): boolean {
  checkId(id);
  const secrets = doc.value.secrets ?? [];
  if (!secrets.some((s) => s.id === id)) return false;
  doc.save({ ...doc.value, secrets: secrets.filter((s) => s.id !== id) });
  return true;
}

/** A secret re-sealed under a new data key (a vault's one-time upgrade); unchanged when it does not open, so reading it reports the damage. */
export function resealSecret(oldKey: Buffer, newKey: Buffer, record: SecretRecord): SecretRecord {
  const clear = open(oldKey, record.sealed, aad(record.id));
  if (clear === null) return record;
  try {
    return { id: record.id, sealed: seal(newKey, clear, aad(record.id)) };
  } finally {
    clear.fill(0);
  }
}
