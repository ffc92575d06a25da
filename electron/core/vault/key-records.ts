/**
 * The stored key list inside the vault document. Every change is a synchronous read-modify-write of
 * the current document, so async operations that finish in any order never lose each other's updates.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import type { Document } from '../store/document-store';
import type { KeyRecord, VaultDocument } from './vault-document';

/** Lookups and atomic saves over the vault document's keys. */
export class KeyRecords {
  readonly #doc: Document<VaultDocument>;
  /** Public keys rebuilt from stored JWKs: not secret, so kept across lock. */
  readonly #publicKeys = new Map<string, KeyObject>();

  /** Works on `doc`, which the vault also uses for the data-key protection. */
  constructor(doc: Document<VaultDocument>) {
    this.#doc = doc;
  }

  /** Every record, in insertion order. */
  all(): readonly KeyRecord[] {
    return this.#doc.value.keys;
  }

  /** The record `id`, or KEY_NOT_FOUND. */
  get(id: string): KeyRecord {
    const record = this.#doc.value.keys.find((k) => k.id === id);
    if (record === undefined) throw new ParleyError('KEY_NOT_FOUND', `No key with id ${JSON.stringify(id.slice(0, 64))} is in the vault.`, { details: { id } });
    return record;
  }

  /** The record with this RFC 7638 thumbprint, if any. */
  byThumbprint(thumbprint: string): KeyRecord | undefined {
    return this.#doc.value.keys.find((k) => k.thumbprint === thumbprint);
  }

  /** Appends a record; DUPLICATE_KEY when its thumbprint is already stored. */
  add(record: KeyRecord): void {
    const clash = this.byThumbprint(record.thumbprint);
    if (clash) throw duplicateOf(clash);
    this.#doc.save({ ...this.#doc.value, keys: [...this.#doc.value.keys, record] });
  }

  /** Replaces the record `id` with `change(current)`. */
  update(id: string, change: (record: KeyRecord) => KeyRecord): KeyRecord {
    const updated = change(this.get(id));
    this.#doc.save({ ...this.#doc.value, keys: this.#doc.value.keys.map((k) => (k.id === id ? updated : k)) });
    return updated;
  }

  /** Removes the record `id` (KEY_NOT_FOUND if absent). */
  remove(id: string): void {
    this.get(id);
    this.#doc.save({ ...this.#doc.value, keys: this.#doc.value.keys.filter((k) => k.id !== id) });
    this.#publicKeys.delete(id);
  }

  /** The record's public key as a KeyObject, built once from its JWK. */
  publicKeyOf(record: KeyRecord): KeyObject {
    let key = this.#publicKeys.get(record.id);
    if (key === undefined) {
      key = createPublicKey({ key: record.publicJwk, format: 'jwk' });
      this.#publicKeys.set(record.id, key);
    }
    return key;
  }
}

/** DUPLICATE_KEY naming the entry already holding the key. */
export function duplicateOf(existing: KeyRecord): ParleyError {
  return new ParleyError('DUPLICATE_KEY', `This key is already in the vault as "${existing.name}".`, { details: { id: existing.id } });
}
