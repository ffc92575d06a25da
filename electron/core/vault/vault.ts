/**
 * The key vault: lock state, the key list, and every operation on keys. Private keys exist in clear
 * only inside this module: sealed on disk, and as cached KeyObjects while unlocked. Nothing returned
 * from here carries private material except exportPrivate's passphrase-encrypted PEM, and that only
 * with proof the user wants it: the vault passphrase, or the host's OS-level confirmation.
 */
import type { KeyObject } from 'node:crypto';
import { isParleyError, ParleyError } from '../../../shared/errors';
import type { ExportedFile, ImportResult, KeyDetail, KeySpec, KeySummary, KeyUsage } from '../../../shared/schemas/keys';
import { keySpecSchema } from '../../../shared/schemas/keys';
import { now, nowMs } from '../clock';
import type { EventBus } from '../events';
import { randomId } from '../random';
import type { Document, DocumentStoreFactory } from '../store/document-store';
import { openDocument } from '../store/document-store';
import { algsFor, shapeLabel, specLabel } from './algorithms';
import { DEFAULT_SCRYPT, newDataKey } from './at-rest';
import { createSelfSignedCertificate } from './certificate';
import type { SafeStorageProtector, UnwrappedDataKey } from './data-key';
import { CURRENT_FORMAT, protectWithPassphrase, protectWithSafeStorage, unwrapWithPassphrase, unwrapWithSafeStorage } from './data-key';
import { certificateFile, encryptedPrivateKeyFile, jwksFile, publicJwkFile, publicPemFile, publishedJwk } from './key-export';
import type { KeyFacts } from './key-facts';
import { factsOf, shapeOf } from './key-facts';
import { generateKeyPairFor } from './key-generation';
import { readImportText } from './key-import';
import { duplicateOf, KeyRecords } from './key-records';
import { toDetail, toSummary } from './key-summary';
import { PassphraseThrottle } from './passphrase-throttle';
import type { RecordMetadata } from './sealed-key';
import { checkIntegrity, metadataDigest, openPrivateKey, sealIntegrity, sealPrivateKey, upgradeRecord } from './sealed-key';
import { deleteSecret, getSecret, putSecret, resealSecret } from './secret-store';
import type { SigningHeader } from './signing';
import { signCompact } from './signing';
import type { KeyRecord, PassphraseProtection, Protection, ScryptParams, StoredCertificate, VaultDocument } from './vault-document';
import { emptyVaultDocument, scryptParamsSchema, vaultDocumentSchema } from './vault-document';
import { MAX_NAME_CHARS, checkName, checkUsages, checkUsagesForType } from './vault-input';
import type { StoreNotice, VaultStatus } from '../../../shared/schemas/app';

export type { SafeStorageProtector } from './data-key';

/** The key a private export is about, as a confirmation prompt or an audit line names it (never key material). */
export interface ExportSubject {
  id: string;
  name: string;
  thumbprint: string;
}

/** One line of the security audit: a private-key export, done or refused (never the key or a passphrase). */
export interface ExportAuditEntry {
  at: string;
  event: 'key.exportPrivate';
  outcome: 'exported' | 'refused';
  /** Why it was refused. */
  reason?: 'wrong-vault-passphrase' | 'throttled' | 'not-confirmed' | 'no-confirmation-available';
  key: ExportSubject;
}

/** What proves, per export, that the user wants a private key out of the vault. */
export interface ExportProof {
  /** The vault passphrase (passphrase-protected vaults). */
  vaultPassphrase?: string;
}

/** What the vault needs from its host. */
export interface VaultOptions {
  store: DocumentStoreFactory;
  events: EventBus;
  /** Shared list of store notices (files moved aside); status() reports it. */
  notices: StoreNotice[];
  /**
   * Electron safeStorage; absent in web and headless modes, or when Linux offers only `basic_text`. A promise
   * when the host only asks the keychain later (the app waits for its window, since macOS may show a Keychain
   * prompt): until it settles, the vault reports the keychain as its protector, and setup or a keychain unlock
   * wait for it; settling without one turns a vault that is not set up yet to a passphrase.
   */
  protector?: SafeStorageProtector | Promise<SafeStorageProtector | undefined>;
  /** scrypt cost for new passphrase wraps; tests lower it. Unlock always uses the cost stored in the file. */
  scrypt?: { N: number; r: number; p: number };
  /**
   * The host's OS-level confirmation of a private-key export, for a keychain (safeStorage) vault, which has
   * no passphrase to ask for: Electron's main process shows a native dialog (and Touch ID where offered) the
   * renderer cannot answer. Without it, such a vault refuses private exports.
   */
  confirmPrivateExport?: (key: ExportSubject) => Promise<boolean>;
  /** Receives an audit entry for every private-key export, done or refused. */
  audit?: (entry: ExportAuditEntry) => void;
}

const MAX_IMPORT_CHARS = 1_000_000;

/** The key vault. One instance per data directory. */
export class Vault {
  readonly #doc: Document<VaultDocument>;
  readonly #events: EventBus;
  readonly #notices: StoreNotice[];
  #protector: SafeStorageProtector | undefined;
  /** While the host has not said yet whether there is a keychain (see VaultOptions.protector). */
  #protectorPending: Promise<void> | undefined;
  readonly #scrypt: ScryptParams;
  #dataKey: Buffer | null = null;
  /** Decrypted private keys, only while unlocked. */
  readonly #privateKeys = new Map<string, KeyObject>();
  readonly #records: KeyRecords;
  /** Record id → digest of the metadata its seal was last verified against, while unlocked. */
  readonly #verified = new Map<string, string>();
  readonly #throttle = new PassphraseThrottle();
  readonly #confirmPrivateExport: VaultOptions['confirmPrivateExport'];
  readonly #audit: VaultOptions['audit'];
  /** Export proofs run one at a time, so parallel guesses all meet the throttle. */
  #exportProofs: Promise<unknown> = Promise.resolve();

  /** Opens the 'vault' document; a damaged file is moved aside and reported, and the vault starts uninitialized. */
  constructor(options: VaultOptions) {
    this.#events = options.events;
    this.#notices = options.notices;
    if (options.protector instanceof Promise) {
      this.#protectorPending = options.protector.then(
        (protector) => this.#settleProtector(protector),
        () => this.#settleProtector(undefined),
      );
    } else {
      this.#protector = options.protector;
    }
    this.#confirmPrivateExport = options.confirmPrivateExport;
    this.#audit = options.audit;
    const scrypt = scryptParamsSchema.safeParse(options.scrypt ?? DEFAULT_SCRYPT);
    if (!scrypt.success) throw new ParleyError('INVALID_INPUT', `Invalid scrypt parameters: ${scrypt.error.issues[0]?.message ?? 'rejected'}.`);
    this.#scrypt = scrypt.data;
    this.#doc = openDocument(options.store, 'vault', vaultDocumentSchema, emptyVaultDocument, options.notices);
    this.#records = new KeyRecords(this.#doc);
  }

  /**
   * With a safeStorage protector: sets up a new vault, or unlocks an existing safeStorage one. Never
   * throws for a keychain failure: the vault then stays locked and unlock() reports the reason.
   */
  async init(): Promise<VaultStatus> {
    await this.#protectorPending;
    if (this.#protector === undefined) return this.status();
    const protection = this.#doc.value.protection;
    try {
      if (protection === null) return await this.setup();
      if (protection.kind === 'safeStorage' && this.#dataKey === null) return await this.unlock('');
    } catch {
      // Left locked (or uninitialized); the next explicit setup/unlock call surfaces the error.
    }
    return this.status();
  }

  /** The lock state, the protector kind, and store notices. */
  status(): VaultStatus {
    const protection = this.#doc.value.protection;
    return {
      state: protection === null ? 'uninitialized' : this.#dataKey === null ? 'locked' : 'unlocked',
      protector: protection?.kind ?? (this.#protector || this.#protectorPending ? 'safeStorage' : 'passphrase'),
      notices: this.#notices.map((n) => ({ ...n })),
    };
  }

  /**
   * Creates the data key and protects it: with the passphrase when one is given, else with the OS
   * keychain. PASSPHRASE_REQUIRED when neither is available.
   */
  async setup(passphrase?: string): Promise<VaultStatus> {
    this.#requireUninitialized();
    if (passphrase === undefined) await this.#protectorPending;
    if (passphrase === undefined && this.#protector === undefined) {
      throw new ParleyError('PASSPHRASE_REQUIRED', 'Choose a passphrase: no operating system keychain is available to protect the vault.');
    }
    if (passphrase === '') throw new ParleyError('PASSPHRASE_REQUIRED', 'The passphrase is empty.');
    const dataKey = newDataKey();
    let protection: Protection;
    try {
      protection =
        passphrase === undefined
          ? await protectWithSafeStorage(dataKey, this.#protector as SafeStorageProtector)
          : await protectWithPassphrase(dataKey, passphrase, this.#scrypt);
      this.#requireUninitialized(); // a concurrent setup may have finished while this one derived its key
    } catch (e) {
      dataKey.fill(0);
      throw e;
    }
    this.#doc.save({ version: 1, protection, keys: [] });
    this.#dataKey = dataKey;
    this.#emitLockChange('unlocked');
    return this.status();
  }

  /**
   * Unlocks with the passphrase (or the keychain, for a safeStorage vault). Writes only to upgrade a vault
   * whose wrap says format 1: its records re-sealed with their metadata bound, under a new data key (#upgrade).
   */
  async unlock(passphrase: string): Promise<VaultStatus> {
    const protection = this.#requireProtection();
    if (protection.kind === 'passphrase' && passphrase === '') throw new ParleyError('PASSPHRASE_REQUIRED', 'Enter the vault passphrase to unlock it.');
    if (protection.kind === 'safeStorage') await this.#protectorPending;
    const unwrapped =
      protection.kind === 'safeStorage' ? await unwrapWithSafeStorage(protection, this.#protector) : await this.#checkPassphrase(protection, passphrase);
    if (!sameProtection(this.#doc.value.protection, protection)) {
      // The vault was re-protected meanwhile (changePassphrase); this key may be stale, so do not keep it.
      unwrapped.dataKey.fill(0);
      throw new ParleyError('VAULT_LOCKED', 'The vault changed while unlocking; try again.');
    }
    const dataKey = unwrapped.format === CURRENT_FORMAT ? unwrapped.dataKey : await this.#upgrade(protection, unwrapped.dataKey, passphrase);
    if (unwrapped.format === CURRENT_FORMAT && unwrapped.shouldReEncrypt === true && protection.kind === 'safeStorage') await this.#rewrap(protection, dataKey);
    this.#dataKey?.fill(0);
    this.#dataKey = dataKey;
    this.#emitLockChange('unlocked');
    return this.status();
  }

  /**
   * Wraps the data key again with the keychain, which asked for it (its key was rotated or a stronger one is
   * available). The old wrap still opens, so a failure here only means asking again at the next unlock.
   */
  async #rewrap(protection: Protection, dataKey: Buffer): Promise<void> {
    try {
      const rewrapped = await protectWithSafeStorage(dataKey, this.#protector as SafeStorageProtector);
      if (sameProtection(this.#doc.value.protection, protection)) this.#doc.save({ ...this.#doc.value, protection: rewrapped });
    } catch {
      // Kept as it was: still valid, re-wrapped at a later unlock.
    }
  }

  /** The host said whether there is a keychain; a vault not set up yet may now need a passphrase instead. */
  #settleProtector(protector: SafeStorageProtector | undefined): void {
    const before = this.status().protector;
    this.#protector = protector;
    this.#protectorPending = undefined;
    if (this.status().protector !== before) this.#events.emit('vault.changed', this.status());
  }

  /** Forgets the data key and every decrypted private key. */
  lock(): VaultStatus {
    this.#dataKey?.fill(0);
    this.#dataKey = null;
    this.#privateKeys.clear();
    this.#verified.clear();
    this.#emitLockChange('locked');
    return this.status();
  }

  /** Re-wraps the data key under a new passphrase (fresh salt, current cost). Keys are not re-encrypted. */
  async changePassphrase(current: string, next: string): Promise<VaultStatus> {
    const protection = this.#requireProtection();
    if (protection.kind !== 'passphrase') {
      throw new ParleyError('PROTECTOR_UNAVAILABLE', 'This vault is protected by the operating system keychain (safeStorage); it has no passphrase to change.');
    }
    if (next === '') throw new ParleyError('PASSPHRASE_REQUIRED', 'The new passphrase is empty.');
    const { dataKey, format } = await this.#checkPassphrase(protection, current);
    try {
      // Same format: a format-1 vault whose passphrase changes before its first unlock still upgrades then.
      const rewrapped = await protectWithPassphrase(dataKey, next, this.#scrypt, format);
      if (!sameProtection(this.#doc.value.protection, protection))
        throw new ParleyError('VAULT_LOCKED', 'The vault changed while the passphrase was being changed; try again.');
      this.#doc.save({ ...this.#doc.value, protection: rewrapped });
    } finally {
      dataKey.fill(0);
    }
    this.#events.emit('vault.changed', this.status());
    return this.status();
  }

  /** Every key, as the renderer may see it. */
  list(): KeySummary[] {
    this.#requireDataKey();
    const at = nowMs();
    return this.#records.all().map((r) => toSummary(r, this.#records.publicKeyOf(r), at));
  }

  /** One key with its public material; DECRYPT_FAILED naming it when its record was changed outside Parley. */
  get(id: string): KeyDetail {
    this.#requireDataKey();
    const record = this.#checked(id);
    return toDetail(record, this.#records.publicKeyOf(record), nowMs());
  }

  /** Generates a key pair off the event loop, reporting progress as a job. */
  async generate(input: { name: string; spec: KeySpec; usages: KeyUsage[] }): Promise<KeySummary> {
    this.#requireDataKey();
    const name = checkName(input.name);
    const usages = checkUsages(input.usages);
    const spec = keySpecSchema.safeParse(input.spec);
    if (!spec.success) throw new ParleyError('INVALID_INPUT', 'Unsupported key spec: generate RSA 2048/3072/4096, EC P-256/P-384 or Ed25519.');
    checkUsagesForType(spec.data.kty, usages);
    const jobId = randomId();
    const label = specLabel(spec.data);
    this.#events.emit('jobs.progress', { jobId, kind: 'generate-key', label, state: 'running' });
    try {
      const pair = await generateKeyPairFor(spec.data);
      const facts = await factsOf(pair.publicKey);
      const record = this.#addRecord(name, usages, facts, pair.privateKey, null);
      this.#events.emit('jobs.progress', { jobId, kind: 'generate-key', label, state: 'done', keyId: record.id });
      this.#events.emit('keys.changed', { reason: 'generated', id: record.id });
      return this.#summary(record);
    } catch (e) {
      this.#events.emit('jobs.progress', { jobId, kind: 'generate-key', label, state: 'failed' });
      throw e;
    }
  }

  /**
   * Imports pasted text. A key already in the vault (same thumbprint) gains a missing private half or
   * a new certificate; anything else already present is DUPLICATE_KEY.
   */
  async importKey(input: { name?: string; text: string; passphrase?: string; usages?: KeyUsage[] }): Promise<ImportResult> {
    this.#requireDataKey();
    if (input.text.length > MAX_IMPORT_CHARS) throw new ParleyError('MALFORMED_KEY', 'The input is larger than 1 MB; paste one key.');
    const name = input.name === undefined ? undefined : checkName(input.name);
    const usages = checkUsages(input.usages ?? []);
    const material = await readImportText(input.text, input.passphrase);
    const facts = await factsOf(material.privateKey ?? material.publicKey);
    checkUsagesForType(facts.shape.kty, usages);
    const certificate = material.certificate ? { pem: material.certificate.pem, info: material.certificate.info } : null;

    this.#requireDataKey(); // the vault may have been locked while the paste was parsed
    const existing = this.#records.byThumbprint(facts.thumbprint);
    if (existing === undefined) {
      const fallback = material.nameHint?.slice(0, MAX_NAME_CHARS).trim() || `Imported ${shapeLabel(facts.shape)} key`;
      const record = this.#addRecord(name ?? fallback, usages, facts, material.privateKey, certificate);
      this.#events.emit('keys.changed', { reason: 'imported', id: record.id });
      return { action: 'created', key: this.#summary(record) };
    }

    const addsPrivate = material.privateKey !== null && existing.privateKey === null;
    const addsCertificate = certificate !== null && existing.certificate?.pem !== certificate.pem;
    if (!addsPrivate && !addsCertificate) throw duplicateOf(existing);
    const updated = this.#updateRecord(
      existing.id,
      (r) => ({ ...r, certificate: addsCertificate ? certificate : r.certificate }),
      addsPrivate ? material.privateKey : null,
    );
    this.#events.emit('keys.changed', { reason: 'imported', id: updated.id });
    return { action: addsPrivate ? 'added-private-key' : 'paired-certificate', key: this.#summary(updated) };
  }

  /** The public key as SPKI PEM, a JWK, or a one-key JWKS. */
  async exportPublic(id: string, format: 'pem' | 'jwk' | 'jwks'): Promise<ExportedFile> {
    this.#requireDataKey();
    const record = this.#checked(id);
    const publicKey = this.#records.publicKeyOf(record);
    if (format === 'pem') return publicPemFile(record.name, publicKey);
    const jwk = publishedJwk(record.publicJwk, record.thumbprint, algsFor(shapeOf(publicKey)));
    if (format === 'jwk') return publicJwkFile(record.name, jwk);
    if (format === 'jwks') return jwksFile(record.name, jwk);
    throw new ParleyError('INVALID_INPUT', `Unknown export format ${JSON.stringify(format)}; use pem, jwk or jwks.`);
  }

  /** Issues a self-signed certificate for the key, pairs it with the key, and returns it as PEM. */
  async exportCertificate(id: string, days: number, commonName?: string): Promise<ExportedFile> {
    this.#requireDataKey();
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ParleyError('INVALID_INPUT', 'A certificate is valid for 1 to 3650 days.');
    const record = this.#checked(id);
    const privateKey = this.#privateKeyOf(record);
    const publicKey = this.#records.publicKeyOf(record);
    const cn = commonName?.trim() || record.name;
    const issued = await createSelfSignedCertificate({ privateKey, publicKey, shape: shapeOf(publicKey), commonName: cn, days });
    const certificate: StoredCertificate = { pem: issued.pem, info: issued.info };
    const updated = this.#updateRecord(id, (r) => ({ ...r, certificate }));
    this.#events.emit('keys.changed', { reason: 'updated', id });
    return certificateFile(updated.name, certificate.pem);
  }

  /**
   * The private key as PKCS#8 PEM encrypted under `passphrase` (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), only
   * with proof per export: the vault passphrase for a passphrase vault (wrong ones are throttled), the host's
   * OS-level confirmation for a keychain vault. Every export, done or refused, is audited.
   */
  async exportPrivate(id: string, passphrase: string, proof: ExportProof = {}): Promise<ExportedFile> {
    this.#requireDataKey();
    if (passphrase === '') throw new ParleyError('PASSPHRASE_REQUIRED', 'A passphrase is required: private keys are exported only encrypted.');
    const record = this.#checked(id);
    this.#privateKeyOf(record); // a public-only key is refused before anything is asked
    const subject: ExportSubject = { id: record.id, name: record.name, thumbprint: record.thumbprint };
    const proving = this.#exportProofs.then(() => this.#proveExport(subject, proof));
    this.#exportProofs = proving.catch(() => undefined);
    await proving;
    const file = await encryptedPrivateKeyFile(record.name, this.#privateKeyOf(this.#checked(id)), passphrase);
    this.#auditExport(subject, 'exported');
    return file;
  }

  /** Renames a key. */
  rename(id: string, name: string): KeySummary {
    this.#requireDataKey();
    const checked = checkName(name);
    const updated = this.#updateRecord(id, (r) => ({ ...r, name: checked }));
    this.#events.emit('keys.changed', { reason: 'updated', id });
    return this.#summary(updated);
  }

  /** Replaces a key's usages. */
  setUsages(id: string, usages: KeyUsage[]): KeySummary {
    this.#requireDataKey();
    const checked = checkUsages(usages);
    checkUsagesForType(this.#checked(id).publicJwk.kty, checked);
    const updated = this.#updateRecord(id, (r) => ({ ...r, usages: checked }));
    this.#events.emit('keys.changed', { reason: 'updated', id });
    return this.#summary(updated);
  }

  /** Deletes a key and forgets it in memory. */
  delete(id: string): { deleted: string } {
    this.#requireDataKey();
    this.#records.remove(id);
    this.#privateKeys.delete(id);
    this.#verified.delete(id);
    this.#events.emit('keys.changed', { reason: 'deleted', id });
    return { deleted: id };
  }

  /** Signs a compact JWS with the key; the header's alg must be one of the key's algs. */
  async sign(id: string, header: SigningHeader, payload: Record<string, unknown> | string): Promise<{ jws: string }> {
    this.#requireDataKey();
    const record = this.#checked(id);
    const privateKey = this.#privateKeyOf(record);
    const algs = algsFor(shapeOf(this.#records.publicKeyOf(record)));
    return { jws: await signCompact(privateKey, algs, header, payload, record.name) };
  }

  /** Stores a small secret (a client secret) sealed under the data key; VAULT_LOCKED when locked. */
  putSecret(id: string, value: string): void {
    putSecret(this.#doc, this.#requireDataKey(), id, value);
  }

  /** A stored secret in clear, for the core's own use only (never returned over the contract). */
  getSecret(id: string): string | undefined {
    return getSecret(this.#doc, this.#requireDataKey(), id);
  }

  /** Forgets a stored secret; true when there was one. */
  deleteSecret(id: string): boolean {
    this.#requireDataKey();
    return deleteSecret(this.#doc, id);
  }

  #requireUninitialized(): void {
    if (this.#doc.value.protection !== null) throw new ParleyError('VAULT_ALREADY_INITIALIZED', 'The vault is already set up.');
  }

  #requireProtection(): Protection {
    const protection = this.#doc.value.protection;
    if (protection === null) throw new ParleyError('VAULT_NOT_INITIALIZED', 'The vault is not set up yet.');
    return protection;
  }

  #requireDataKey(): Buffer {
    this.#requireProtection();
    if (this.#dataKey === null) throw new ParleyError('VAULT_LOCKED', 'The vault is locked; unlock it to use keys.');
    return this.#dataKey;
  }

  #summary(record: KeyRecord): KeySummary {
    return toSummary(record, this.#records.publicKeyOf(record), nowMs());
  }

  /**
   * The record `id`, its seal verified against its current metadata (once per change of metadata while
   * unlocked): DECRYPT_FAILED naming the record when vault.json was changed outside Parley.
   */
  #checked(id: string): KeyRecord {
    const dataKey = this.#requireDataKey();
    const record = this.#records.get(id);
    const digest = metadataDigest(record);
    if (this.#verified.get(id) === digest) return record;
    this.#privateKeys.delete(id);
    if (record.privateKey === null) checkIntegrity(dataKey, record);
    else this.#privateKeys.set(id, openPrivateKey(dataKey, record));
    this.#verified.set(id, digest);
    return record;
  }

  /** Decrypts a private key on first use (verifying its record) and keeps it until lock. */
  #privateKeyOf(record: KeyRecord): KeyObject {
    const checked = this.#checked(record.id);
    const key = this.#privateKeys.get(checked.id);
    return key ?? openPrivateKey(this.#requireDataKey(), checked); // public only: names the problem
  }

  /** A record with its seal made for its metadata: the private key sealed, or the integrity tag of a public-only key. */
  #sealed(metadata: RecordMetadata, privateKey: KeyObject | null): KeyRecord {
    const dataKey = this.#requireDataKey();
    return privateKey
      ? { ...metadata, privateKey: sealPrivateKey(dataKey, metadata, privateKey) }
      : { ...metadata, privateKey: null, integrity: sealIntegrity(dataKey, metadata) };
  }

  #remember(record: KeyRecord, privateKey: KeyObject | null): void {
    if (privateKey) this.#privateKeys.set(record.id, privateKey);
    this.#verified.set(record.id, metadataDigest(record));
  }

  #addRecord(name: string, usages: KeyUsage[], facts: KeyFacts, privateKey: KeyObject | null, certificate: StoredCertificate | null): KeyRecord {
    const metadata: RecordMetadata = {
      id: randomId(),
      name,
      publicJwk: facts.publicJwk,
      thumbprint: facts.thumbprint,
      usages,
      createdAt: now().toISOString(),
      certificate,
    };
    const record = this.#sealed(metadata, privateKey);
    this.#records.add(record);
    this.#remember(record, privateKey);
    return record;
  }

  /**
   * Read-modify-write of one record, synchronously, so concurrent async operations never lose updates. The
   * record is verified first and re-sealed after, since its metadata is bound to its seal; `addPrivateKey`
   * gives a public-only record its private half.
   */
  #updateRecord(id: string, change: (record: KeyRecord) => KeyRecord, addPrivateKey: KeyObject | null = null): KeyRecord {
    const current = this.#checked(id);
    const privateKey = addPrivateKey ?? (current.privateKey === null ? null : this.#privateKeyOf(current));
    const { privateKey: _sealed, integrity: _tag, ...metadata } = change(current);
    const updated = this.#sealed(metadata, privateKey);
    this.#records.update(id, () => updated);
    this.#remember(updated, privateKey);
    return updated;
  }

  /**
   * The one-time upgrade of a format-1 vault, in one save: every record re-sealed with its metadata bound and
   * every secret re-sealed, under a NEW data key whose wrap vouches for format 2. A new key, because a copy
   * of the old wrap (from a backup) would otherwise still open the current records while claiming format 1,
   * and so let unbound records back in; with the old key, the current records no longer open and are named.
   * Returns the new key; the old one is wiped.
   */
  async #upgrade(protection: Protection, oldKey: Buffer, passphrase: string): Promise<Buffer> {
    const newKey = newDataKey();
    try {
      const rewrapped =
        protection.kind === 'safeStorage'
          ? await protectWithSafeStorage(newKey, this.#protector as SafeStorageProtector)
          : await protectWithPassphrase(newKey, passphrase, this.#scrypt);
      if (!sameProtection(this.#doc.value.protection, protection)) throw new ParleyError('VAULT_LOCKED', 'The vault changed while unlocking; try again.');
      const doc = this.#doc.value;
      this.#doc.save({
        ...doc,
        protection: rewrapped,
        keys: doc.keys.map((r) => upgradeRecord(oldKey, newKey, r)),
        ...(doc.secrets === undefined ? {} : { secrets: doc.secrets.map((r) => resealSecret(oldKey, newKey, r)) }),
      });
      return newKey;
    } catch (e) {
      newKey.fill(0);
      throw e;
    } finally {
      oldKey.fill(0);
    }
  }

  /** Unwraps the data key with a passphrase under the shared throttle. */
  async #checkPassphrase(protection: PassphraseProtection, passphrase: string): Promise<UnwrappedDataKey> {
    this.#throttle.check(nowMs());
    try {
      const unwrapped = await unwrapWithPassphrase(protection, passphrase);
      this.#throttle.succeeded();
      return unwrapped;
    } catch (e) {
      if (isParleyError(e) && e.code === 'WRONG_PASSPHRASE') this.#throttle.failed(nowMs());
      throw e;
    }
  }

  /** Checks the proof of one private export; audits and throws when it fails. */
  async #proveExport(subject: ExportSubject, proof: ExportProof): Promise<void> {
    const protection = this.#requireProtection();
    if (protection.kind === 'passphrase') {
      const vaultPassphrase = proof.vaultPassphrase ?? '';
      if (vaultPassphrase === '') throw new ParleyError('PASSPHRASE_REQUIRED', 'Enter the vault passphrase: every private key export asks for it.');
      try {
        (await this.#checkPassphrase(protection, vaultPassphrase)).dataKey.fill(0);
      } catch (e) {
        const code = isParleyError(e) ? e.code : undefined;
        if (code === 'WRONG_PASSPHRASE' || code === 'TOO_MANY_ATTEMPTS') {
          this.#auditExport(subject, 'refused', code === 'WRONG_PASSPHRASE' ? 'wrong-vault-passphrase' : 'throttled');
        }
        if (code === 'WRONG_PASSPHRASE') throw new ParleyError('WRONG_PASSPHRASE', 'The vault passphrase is wrong: the private key was not exported.');
        throw e;
      }
      return;
    }
    if (this.#confirmPrivateExport === undefined) {
      this.#auditExport(subject, 'refused', 'no-confirmation-available');
      throw new ParleyError(
        'PROTECTOR_UNAVAILABLE',
        'This vault has no passphrase, and this host cannot ask the operating system to confirm a private key export; export it from the desktop app.',
      );
    }
    let confirmed = false;
    try {
      confirmed = await this.#confirmPrivateExport(subject);
    } catch {
      // A prompt that failed (Touch ID cancelled, dialog error) is a refusal.
    }
    if (!confirmed) {
      this.#auditExport(subject, 'refused', 'not-confirmed');
      throw new ParleyError(
        'CONFIRMATION_REQUIRED',
        `The export of "${subject.name}" was not confirmed in the system prompt: the private key was not exported.`,
      );
    }
  }

  #auditExport(key: ExportSubject, outcome: ExportAuditEntry['outcome'], reason?: ExportAuditEntry['reason']): void {
    this.#audit?.({ at: now().toISOString(), event: 'key.exportPrivate', outcome, ...(reason ? { reason } : {}), key: { ...key } });
  }

  #emitLockChange(reason: 'locked' | 'unlocked'): void {
    this.#events.emit('vault.changed', this.status());
    this.#events.emit('keys.changed', { reason });
  }
}

/** Compared by value: every save re-parses the document, so object identity changes even when the content does not. */
function sameProtection(a: Protection | null, b: Protection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
