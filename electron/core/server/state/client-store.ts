/**
 * Clients, credentials and client grants over the client records (client-records.ts: one file per client).
 * Every write validates first (awaiting only PEM parsing, which needs no stored state), then reads, checks
 * and saves in one synchronous step, so concurrent requests never lose each other's writes. A write touches
 * one client's record only. Credential public keys are parsed into KeyObjects once and cached; the cache
 * follows creates and deletes.
 *
 * The Authentication API reads through caches built per version of a client's record: a save replaces the
 * record object, so comparing identities is the whole invalidation. Per version, a client's ClientView and
 * slot credentials are built once, not per request (docs/bounds.md: at most one entry per stored client).
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ServerClient } from '../../../../shared/schemas/server';
import { now, nowMs } from '../../clock';
import type { DocumentStoreFactory } from '../../store/document-store';
import { ManagementError } from '../errors';
import { parseClientBody } from '../management/client-input';
import { MAX_CREDENTIALS_PER_CLIENT, applyClientPatch, buildClient, checkPool, newStoredCredential } from '../management/client-merge';
import type { ClientInput, SlotInput } from '../management/client-input';
import { clientJson, clientUiJson, clientView } from './client-shape';
import type { ClientJson, StoredClient } from './client-shape';
import { ClientRecords } from './client-records';
import type { ClientRecord } from './client-records';
import { parseCredentialInput, parseCredentialPatch } from '../management/credential-input';
import { credentialJson } from './credential-shape';
import type { CredentialJson, StoredCredential } from './credential-shape';
import type { StoredGrant } from './grants';
import { root } from '../management/payload';
import { failed } from '../management/rule-sink';
import type { ClientView, CredentialSlot, CredentialView } from './types';
import type { StoreNotice } from '../../../../shared/schemas/app';
import { RULES } from '../rules';
import { NO_TRACE, pass, recordFailure } from '../recording';
import type { RuleSink } from '../recording';

/** Auth0's 404 for an unknown client (E-7, O3). */
export function clientNotFound(): ManagementError {
  return new ManagementError(404, 'inexistent_client', 'The client does not exist');
}

/** The ids attached to a slot of a client. */
export function slotIds(c: StoredClient, slot: CredentialSlot): string[] {
  return slot === 'private_key_jwt' ? (c.client_authentication_methods?.private_key_jwt.credentials ?? []) : (c.signed_request_object?.credentials ?? []);
}

/** Clients and their credentials. */
export class ClientStore {
  readonly #records: ClientRecords;
  /** Credential id → its parsed public key; follows credential creates and deletes. */
  readonly #keys = new Map<string, KeyObject>();
  /** Per client: the record version the view and slot credentials below were built from. */
  readonly #views = new Map<string, { record: ClientRecord; view: ClientView; slots: Map<CredentialSlot, CredentialView[]> }>();

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#records = new ClientRecords(store, notices);
  }

  /** The folder the client records live in. */
  get dir(): string {
    return this.#records.dir;
  }

  /** How many clients are stored. */
  get size(): number {
    return this.#records.size;
  }

  /** Every stored client, in creation order. */
  *clients(): IterableIterator<StoredClient> {
    for (const r of this.#records.values()) yield r.client;
  }

  /** Every client grant, clients in creation order. */
  *grants(): IterableIterator<StoredGrant> {
    for (const r of this.#records.values()) yield* r.grants;
  }

  /** The grants of one client. */
  grantsOf(clientId: string): readonly StoredGrant[] {
    return this.#records.get(clientId)?.grants ?? [];
  }

  /** Adds a grant to its client's record (the caller has checked it). */
  addGrant(grant: StoredGrant): void {
    const record = this.#records.get(grant.client_id);
    if (!record) throw clientNotFound();
    this.#records.put({ ...record, grants: [...record.grants, grant] });
  }

  /** Adds a grant, or replaces the one with its id, in one write. */
  putGrant(grant: StoredGrant): void {
    const record = this.#records.get(grant.client_id);
    if (!record) throw clientNotFound();
    const others = record.grants.filter((g) => g.id !== grant.id);
    this.#records.put({
      ...record,
      grants: others.length === record.grants.length ? [...record.grants, grant] : record.grants.map((g) => (g.id === grant.id ? grant : g)),
    });
  }

  /** Removes a grant; false when unknown. */
  removeGrant(grantId: string): boolean {
    const owner = this.#records.grantOwner(grantId);
    const record = owner === undefined ? undefined : this.#records.get(owner);
    if (!record) return false;
    this.#records.put({ ...record, grants: record.grants.filter((g) => g.id !== grantId) });
    return true;
  }

  /** Replaces one credential of a client (a Parley simulation sets expiry this way). */
  replaceCredential(next: StoredCredential): void {
    const record = this.#records.get(next.client_id);
    if (!record) throw clientNotFound();
    this.#records.put({ ...record, credentials: record.credentials.map((c) => (c.id === next.id ? next : c)) });
  }

  /** One stored credential of a client. */
  credentialOf(clientId: string, credentialId: string): StoredCredential | undefined {
    return this.#owned(clientId).find((c) => c.id === credentialId);
  }

  /** The stored client, or undefined. */
  find(clientId: string): StoredClient | undefined {
    return this.#records.get(clientId)?.client;
  }

  #require(clientId: string, sink: RuleSink, credentialRoute = false): StoredClient {
    const client = this.find(clientId);
    if (!client) {
      if (credentialRoute) recordFailure(sink, RULES['CRD-12'], 'an existing client', clientId, 'The client does not exist');
      throw clientNotFound();
    }
    return client;
  }

  #owned(clientId: string): readonly StoredCredential[] {
    return this.#records.get(clientId)?.credentials ?? [];
  }

  #replaceClient(next: StoredClient): void {
    const record = this.#records.get(next.client_id);
    if (!record) throw clientNotFound();
    this.#records.put({ ...record, client: next });
  }

  // ---- clients -------------------------------------------------------------------------------------

  /** POST /api/v2/clients. */
  async create(body: unknown, sink: RuleSink = NO_TRACE, extra: Partial<StoredClient> = {}): Promise<ClientJson> {
    const input = await parseClientBody(body, root(sink, RULES['E-7']), 'create');
    const { client, credentials } = buildClient(input, sink);
    const stored = { ...client, ...extra };
    // An imported client_id (extra) may already exist: the caller checked, but never overwrite one here.
    if (this.#records.get(stored.client_id))
      throw new ManagementError(409, 'client_conflict', `A client with the client_id ${stored.client_id} already exists.`);
    this.#records.put({ version: 1, client: stored, credentials, grants: [] });
    return clientJson(stored, { secrets: true });
  }

  /**
   * Parley only, for a declared tenant (server/tenant): the record a client would have once it matches a
   * create body (`body`, validated like POST /api/v2/clients), without writing it. For an existing client the
   * body is applied like a PATCH, its slot credentials matched to the stored ones by key (RFC 7638 thumbprint:
   * an unchanged key keeps its credential id), new keys created, and credentials no slot references any more
   * removed. `undefined` when nothing would change. Commit the result with commitDeclared.
   */
  async planDeclared(
    existingId: string | undefined,
    body: unknown,
    declared: { client_id?: string; client_secret?: string },
    sink: RuleSink = NO_TRACE,
  ): Promise<ClientRecord | undefined> {
    const input = await parseClientBody(body, root(sink, RULES['E-7']), 'create');
    const current = existingId === undefined ? undefined : this.#records.get(existingId);
    if (!current) {
      const { client, credentials } = buildClient(input, sink);
      const clientId = declared.client_id ?? client.client_id;
      const stored: StoredClient = {
        ...client,
        client_id: clientId,
        ...(declared.client_secret === undefined ? {} : { client_secret: declared.client_secret }),
      };
      return { version: 1, client: stored, credentials: credentials.map((c) => ({ ...c, client_id: clientId })), grants: [] };
    }
    const clientId = current.client.client_id;
    const owned = current.credentials;
    // New credentials get their ids here; the same keys map to the same stored credentials below.
    const fresh: StoredCredential[] = [];
    const resolve = (list: SlotInput | undefined): { ids: string[] } | undefined => {
      if (!list || !('create' in list)) return undefined; // a create body always carries full credentials
      checkPool([], list.create, sink);
      return {
        ids: list.create.map((c) => {
          const existing = owned.find((o) => o.thumbprint === c.pem.thumbprint) ?? fresh.find((o) => o.thumbprint === c.pem.thumbprint);
          if (existing) return existing.id;
          const made = newStoredCredential(clientId, c);
          fresh.push(made);
          return made.id;
        }),
      };
    };
    const cam = input.client_authentication_methods
      ? { private_key_jwt: resolve(input.client_authentication_methods.private_key_jwt)! }
      : input.client_authentication_methods;
    const sroCredentials = input.signed_request_object?.credentials ? resolve(input.signed_request_object.credentials) : undefined;
    const patch: ClientInput = {
      ...input,
      ...(cam === undefined ? {} : { client_authentication_methods: cam }),
      ...(cam ? { token_endpoint_auth_method: null } : {}),
      ...(input.signed_request_object
        ? { signed_request_object: { ...input.signed_request_object, ...(sroCredentials ? { credentials: sroCredentials } : {}) } }
        : {}),
    };
    const pool = [...owned, ...fresh];
    let next = applyClientPatch(current.client, patch, pool, sink);
    if (declared.client_secret !== undefined) next = { ...next, client_secret: declared.client_secret };
    const used = new Set([...slotIds(next, 'private_key_jwt'), ...slotIds(next, 'signed_request_object')]);
    // Credentials the file no longer declares go, unless a slot the file does not mention still uses them.
    const credentials = pool.filter((c) => used.has(c.id));
    if (credentials.length > MAX_CREDENTIALS_PER_CLIENT)
      throw new ManagementError(400, 'invalid_body', 'A client can have a maximum of 4 credentials.', RULES['CRD-8'].id);
    const record: ClientRecord = { ...current, client: next, credentials };
    return isDeepStrictEqual(record, current) ? undefined : record;
  }

  /** Writes a record planned by planDeclared. */
  commitDeclared(record: ClientRecord): void {
    for (const c of this.#records.get(record.client.client_id)?.credentials ?? []) if (!record.credentials.some((x) => x.id === c.id)) this.#keys.delete(c.id);
    this.#records.put(record);
  }

  /** Every client with its credentials and grants, for a tenant export. */
  records(): IterableIterator<ClientRecord> {
    return this.#records.values();
  }

  /** PATCH /api/v2/clients/{id}. */
  async update(clientId: string, body: unknown, sink: RuleSink = NO_TRACE): Promise<ClientJson> {
    this.#require(clientId, sink);
    const input = await parseClientBody(body, root(sink, RULES['E-7']), 'update');
    const current = this.#require(clientId, sink); // it may have been deleted meanwhile
    const next = applyClientPatch(current, input, this.#owned(clientId), sink);
    // The same values again write nothing (a declared tenant applied twice, a retried PATCH).
    if (!isDeepStrictEqual(next, current)) this.#replaceClient(next);
    return clientJson(next, { secrets: true });
  }

  /** DELETE /api/v2/clients/{id}: its credentials and grants go with it. */
  delete(clientId: string, sink: RuleSink = NO_TRACE): void {
    const client = this.#require(clientId, sink);
    if (client.parley_management) {
      throw new ManagementError(400, 'operation_not_supported', 'The Parley Management API client cannot be deleted: it is how the Management API is reached.');
    }
    for (const c of this.#owned(clientId)) this.#keys.delete(c.id);
    this.#records.remove(clientId);
    this.#views.delete(clientId);
  }

  /** GET /api/v2/clients/{id}, with the secret as the HTTP API returns it; 404 inexistent_client. */
  json(clientId: string): ClientJson {
    return clientJson(this.#require(clientId, NO_TRACE), { secrets: true });
  }

  /** The UI's copy of a client (no secrets); 404 inexistent_client. */
  uiJson(clientId: string): ServerClient {
    return clientUiJson(this.#require(clientId, NO_TRACE));
  }

  /** GET /api/v2/clients: the clients from `start` (creation order), at most `limit` of them. */
  list(start = 0, limit = Number.POSITIVE_INFINITY): ClientJson[] {
    const out: ClientJson[] = [];
    let i = 0;
    for (const c of this.clients()) {
      if (out.length >= limit) break;
      if (i++ >= start) out.push(clientJson(c, { secrets: true }));
    }
    return out;
  }

  /** Every client for the UI (no secrets). */
  listUi(): ServerClient[] {
    return Array.from(this.clients(), clientUiJson);
  }

  /** The caches of a client's current record version, rebuilt when the record was replaced. */
  #cached(clientId: string): { record: ClientRecord; view: ClientView; slots: Map<CredentialSlot, CredentialView[]> } | undefined {
    const record = this.#records.get(clientId);
    if (!record) {
      this.#views.delete(clientId);
      return undefined;
    }
    let entry = this.#views.get(clientId);
    if (entry?.record !== record) {
      entry = { record, view: freezeView(clientView(record.client)), slots: new Map() };
      this.#views.set(clientId, entry);
    }
    return entry;
  }

  /** The Authentication API's view of a client, built once per record version (frozen: shared by requests). */
  view(clientId: string): ClientView | undefined {
    return this.#cached(clientId)?.view;
  }

  // ---- credentials ---------------------------------------------------------------------------------

  /** POST /api/v2/clients/{id}/credentials: created unattached (CRD-11). */
  async createCredential(clientId: string, body: unknown, sink: RuleSink = NO_TRACE): Promise<CredentialJson> {
    this.#require(clientId, sink, true);
    const input = await parseCredentialInput(body, root(sink, RULES['E-7']));
    this.#require(clientId, sink, true);
    checkPool(this.#owned(clientId), [input], sink);
    const credential = newStoredCredential(clientId, input);
    const record = this.#records.get(clientId)!;
    this.#records.put({ ...record, credentials: [...record.credentials, credential] });
    this.#keys.set(credential.id, input.pem.publicKey);
    pass(sink, RULES['CRD-10'], 'eight fields, no pem', credential.id);
    pass(sink, RULES['CRD-11'], 'not attached to any slot', 'attach it with PATCH /api/v2/clients/{id}');
    return credentialJson(credential);
  }

  /** GET /api/v2/clients/{id}/credentials: a bare array (CRD-12). */
  listCredentials(clientId: string, sink: RuleSink = NO_TRACE): CredentialJson[] {
    this.#require(clientId, sink, true);
    const owned = this.#owned(clientId);
    pass(sink, RULES['CRD-12'], 'a bare array', `${owned.length} credentials`);
    this.#noteExpired(owned, sink);
    return owned.map(credentialJson);
  }

  #requireCredential(clientId: string, credentialId: string, sink: RuleSink): StoredCredential {
    this.#require(clientId, sink, true);
    const credential = this.#owned(clientId).find((c) => c.id === credentialId);
    if (!credential) {
      throw failed(sink, RULES['CRD-12'], 'The credential does not exist', {
        expected: 'a credential of this client',
        actual: credentialId,
        status: 404,
        errorCode: 'inexistent_credential',
      });
    }
    return credential;
  }

  /** GET /api/v2/clients/{id}/credentials/{credential_id}. */
  getCredential(clientId: string, credentialId: string, sink: RuleSink = NO_TRACE): CredentialJson {
    const credential = this.#requireCredential(clientId, credentialId, sink);
    pass(sink, RULES['CRD-12'], 'the credential', credentialId);
    this.#noteExpired([credential], sink);
    return credentialJson(credential);
  }

  /** PATCH …/credentials/{credential_id}: only expires_at (CRD-13); updated_at moves only when it changes. */
  updateCredential(clientId: string, credentialId: string, body: unknown, sink: RuleSink = NO_TRACE): CredentialJson {
    this.#requireCredential(clientId, credentialId, sink);
    const patch = parseCredentialPatch(body, root(sink, RULES['E-7']));
    const current = this.#requireCredential(clientId, credentialId, sink);
    if (patch.expires_at === undefined || patch.expires_at === current.expires_at) return credentialJson(current);
    const next: StoredCredential = { ...current, expires_at: patch.expires_at, updated_at: now().toISOString() };
    this.replaceCredential(next);
    return credentialJson(next);
  }

  /** DELETE …/credentials/{credential_id}: refused while a slot references it (CRD-14). */
  deleteCredential(clientId: string, credentialId: string, sink: RuleSink = NO_TRACE): void {
    this.#requireCredential(clientId, credentialId, sink);
    const client = this.#require(clientId, sink, true);
    const slots = (['private_key_jwt', 'signed_request_object'] as const).filter((s) => slotIds(client, s).includes(credentialId));
    if (slots.length > 0) {
      const where = slots
        .map((s) => (s === 'private_key_jwt' ? 'client_authentication_methods.private_key_jwt.credentials' : 'signed_request_object.credentials'))
        .join(' and ');
      throw failed(sink, RULES['CRD-14'], 'credential is in use; remove it from the client first', {
        expected: 'a credential not referenced by any slot',
        actual: `attached to ${where}`,
        fix: `PATCH the client so that ${where} no longer lists ${credentialId}, then delete it.`,
      });
    }
    pass(sink, RULES['CRD-14'], 'not attached', credentialId);
    const record = this.#records.get(clientId)!;
    this.#records.put({ ...record, credentials: record.credentials.filter((c) => c.id !== credentialId) });
    this.#keys.delete(credentialId);
  }

  // CRD-15: expired credentials are shown like the others; the trace says they no longer work.
  #noteExpired(credentials: readonly StoredCredential[], sink: RuleSink): void {
    const expired = credentials.filter((c) => c.expires_at !== null && Date.parse(c.expires_at) <= nowMs());
    if (expired.length > 0) pass(sink, RULES['CRD-15'], 'listed, unusable (PKJ-14)', expired.map((c) => `${c.id} expired ${c.expires_at ?? ''}`).join(', '));
  }

  /**
   * The credentials attached to a slot, with their parsed keys (expired ones included: callers skip them,
   * PKJ-14). Built once per record version; the array and its views are frozen, as requests share them.
   */
  slotCredentials(clientId: string, slot: CredentialSlot): CredentialView[] {
    const entry = this.#cached(clientId);
    if (!entry) return [];
    let views = entry.slots.get(slot);
    if (!views) {
      const owned = entry.record.credentials;
      views = slotIds(entry.record.client, slot).flatMap((id) => {
        const c = owned.find((x) => x.id === id);
        return c
          ? [Object.freeze({ id: c.id, client_id: c.client_id, kid: c.kid, alg: c.alg, name: c.name, expires_at: c.expires_at, publicKey: this.#key(c) })]
          : [];
      });
      Object.freeze(views);
      entry.slots.set(slot, views);
    }
    return views;
  }

  #key(c: StoredCredential): KeyObject {
    let key = this.#keys.get(c.id);
    if (!key) {
      key = createPublicKey(c.pem);
      this.#keys.set(c.id, key);
    }
    return key;
  }
}

/** Freezes a ClientView and its arrays: one object serves every request of a document version. */
function freezeView(view: ClientView): ClientView {
  Object.freeze(view.callbacks);
  Object.freeze(view.allowed_logout_urls);
  Object.freeze(view.allowed_origins);
  Object.freeze(view.web_origins);
  Object.freeze(view.grant_types);
  if (view.signed_request_object) Object.freeze(view.signed_request_object);
  return Object.freeze(view);
}
