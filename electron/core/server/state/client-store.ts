/**
 * Clients, credentials and client grants over clients.json. Every write validates first (awaiting only
 * PEM parsing, which needs no stored state), then reads, checks and saves in one synchronous step, so
 * concurrent requests never lose each other's writes. Credential public keys are parsed into KeyObjects
 * once and cached; the cache follows creates and deletes.
 *
 * The Authentication API reads through a cache built per version of the document: a save replaces the
 * document object, so comparing identities is the whole invalidation. Per version, a client lookup is one
 * Map lookup and its ClientView and slot credentials are built once, not per request (docs/bounds.md:
 * at most one entry per stored client, emptied on every save).
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { StoreNotice } from '../../../../shared/ipc/contract';
import type { ServerClient } from '../../../../shared/schemas/server';
import { now, nowMs } from '../../clock';
import type { Document, DocumentStoreFactory } from '../../store/document-store';
import { ManagementError } from '../errors';
import { parseClientBody } from './client-input';
import { applyClientPatch, buildClient, checkPool, newStoredCredential } from './client-merge';
import { clientJson, clientUiJson, clientView } from './client-shape';
import type { ClientJson, StoredClient } from './client-shape';
import type { ClientsDocument } from './clients-document';
import { openClientsDocument } from './clients-document';
import { parseCredentialInput, parseCredentialPatch } from './credential-input';
import { credentialJson } from './credential-shape';
import type { CredentialJson, StoredCredential } from './credential-shape';
import { root } from './payload';
import { NO_TRACE, RULES, failed, passed } from './rule-sink';
import type { RuleSink } from './rule-sink';
import type { ClientView, CredentialSlot, CredentialView } from './types';

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
  readonly #doc: Document<ClientsDocument>;
  /** Credential id → its parsed public key; pruned to the stored credentials on every document change. */
  readonly #keys = new Map<string, KeyObject>();
  /** The document version the maps below describe. */
  #cachedDoc: ClientsDocument | undefined;
  readonly #byId = new Map<string, StoredClient>();
  readonly #views = new Map<string, ClientView>();
  readonly #slots = new Map<string, CredentialView[]>();

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openClientsDocument(store, notices);
  }

  /** The whole document (grants live in it too). */
  get document(): ClientsDocument {
    return this.#doc.value;
  }

  /** Saves a new document. */
  save(next: ClientsDocument): void {
    this.#doc.save(next);
  }

  /** Brings the per-version caches up to date with the document (a no-op unless it was saved since). */
  #fresh(): void {
    const doc = this.#doc.value;
    if (doc === this.#cachedDoc) return;
    this.#cachedDoc = doc;
    this.#byId.clear();
    this.#views.clear();
    this.#slots.clear();
    for (const c of doc.clients) this.#byId.set(c.client_id, c);
    if (this.#keys.size > 0) {
      const stored = new Set(doc.credentials.map((c) => c.id));
      for (const id of this.#keys.keys()) if (!stored.has(id)) this.#keys.delete(id);
    }
  }

  /** The stored client, or undefined. */
  find(clientId: string): StoredClient | undefined {
    this.#fresh();
    return this.#byId.get(clientId);
  }

  #require(clientId: string, sink: RuleSink, credentialRoute = false): StoredClient {
    const client = this.find(clientId);
    if (!client) {
      if (credentialRoute) sink.fail(RULES.read.id, RULES.read.summary, RULES.read.source, 'an existing client', clientId, '', 'The client does not exist');
      throw clientNotFound();
    }
    return client;
  }

  #owned(clientId: string): StoredCredential[] {
    return this.#doc.value.credentials.filter((c) => c.client_id === clientId);
  }

  #replaceClient(next: StoredClient, extra: Partial<Omit<ClientsDocument, 'version' | 'clients'>> = {}): void {
    const doc = this.#doc.value;
    this.#doc.save({ ...doc, ...extra, clients: doc.clients.map((c) => (c.client_id === next.client_id ? next : c)) });
  }

  // ---- clients -------------------------------------------------------------------------------------

  /** POST /api/v2/clients. */
  async create(body: unknown, sink: RuleSink = NO_TRACE, extra: Partial<StoredClient> = {}): Promise<ClientJson> {
    const input = await parseClientBody(body, root(sink, RULES.body), 'create');
    const { client, credentials } = buildClient(input, sink);
    const stored = { ...client, ...extra };
    const doc = this.#doc.value;
    this.#doc.save({ ...doc, clients: [...doc.clients, stored], credentials: [...doc.credentials, ...credentials] });
    return clientJson(stored, { secrets: true });
  }

  /** PATCH /api/v2/clients/{id}. */
  async update(clientId: string, body: unknown, sink: RuleSink = NO_TRACE): Promise<ClientJson> {
    this.#require(clientId, sink);
    const input = await parseClientBody(body, root(sink, RULES.body), 'update');
    const current = this.#require(clientId, sink); // it may have been deleted meanwhile
    const next = applyClientPatch(current, input, this.#owned(clientId), sink);
    this.#replaceClient(next);
    return clientJson(next, { secrets: true });
  }

  /** DELETE /api/v2/clients/{id}: its credentials and grants go with it. */
  delete(clientId: string, sink: RuleSink = NO_TRACE): void {
    const client = this.#require(clientId, sink);
    if (client.parley_management) {
      throw new ManagementError(400, 'operation_not_supported', 'The Parley Management API client cannot be deleted: it is how the Management API is reached.');
    }
    const doc = this.#doc.value;
    for (const c of doc.credentials) if (c.client_id === clientId) this.#keys.delete(c.id);
    this.#doc.save({
      ...doc,
      clients: doc.clients.filter((c) => c.client_id !== clientId),
      credentials: doc.credentials.filter((c) => c.client_id !== clientId),
      grants: doc.grants.filter((g) => g.client_id !== clientId),
    });
  }

  /** GET /api/v2/clients/{id}, with the secret as the HTTP API returns it; 404 inexistent_client. */
  json(clientId: string): ClientJson {
    return clientJson(this.#require(clientId, NO_TRACE), { secrets: true });
  }

  /** The UI's copy of a client (no secrets); 404 inexistent_client. */
  uiJson(clientId: string): ServerClient {
    return clientUiJson(this.#require(clientId, NO_TRACE));
  }

  /** GET /api/v2/clients. */
  list(): ClientJson[] {
    return this.#doc.value.clients.map((c) => clientJson(c, { secrets: true }));
  }

  /** Every client for the UI (no secrets). */
  listUi(): ServerClient[] {
    return this.#doc.value.clients.map(clientUiJson);
  }

  /** The Authentication API's view of a client, built once per document version (frozen: shared by requests). */
  view(clientId: string): ClientView | undefined {
    const c = this.find(clientId);
    if (!c) return undefined;
    let view = this.#views.get(clientId);
    if (!view) {
      view = freezeView(clientView(c));
      this.#views.set(clientId, view);
    }
    return view;
  }

  // ---- credentials ---------------------------------------------------------------------------------

  /** POST /api/v2/clients/{id}/credentials: created unattached (CRD-11). */
  async createCredential(clientId: string, body: unknown, sink: RuleSink = NO_TRACE): Promise<CredentialJson> {
    this.#require(clientId, sink, true);
    const input = await parseCredentialInput(body, root(sink, RULES.body));
    this.#require(clientId, sink, true);
    checkPool(this.#owned(clientId), [input], sink);
    const credential = newStoredCredential(clientId, input);
    const doc = this.#doc.value;
    this.#doc.save({ ...doc, credentials: [...doc.credentials, credential] });
    this.#keys.set(credential.id, input.pem.publicKey);
    passed(sink, RULES.created, 'eight fields, no pem', credential.id);
    passed(sink, RULES.unattached, 'not attached to any slot', 'attach it with PATCH /api/v2/clients/{id}');
    return credentialJson(credential);
  }

  /** GET /api/v2/clients/{id}/credentials: a bare array (CRD-12). */
  listCredentials(clientId: string, sink: RuleSink = NO_TRACE): CredentialJson[] {
    this.#require(clientId, sink, true);
    const owned = this.#owned(clientId);
    passed(sink, RULES.read, 'a bare array', `${owned.length} credentials`);
    this.#noteExpired(owned, sink);
    return owned.map(credentialJson);
  }

  #requireCredential(clientId: string, credentialId: string, sink: RuleSink): StoredCredential {
    this.#require(clientId, sink, true);
    const credential = this.#owned(clientId).find((c) => c.id === credentialId);
    if (!credential) {
      throw failed(sink, RULES.read, 'The credential does not exist', { expected: 'a credential of this client', actual: credentialId, status: 404, errorCode: 'inexistent_credential' });
    }
    return credential;
  }

  /** GET /api/v2/clients/{id}/credentials/{credential_id}. */
  getCredential(clientId: string, credentialId: string, sink: RuleSink = NO_TRACE): CredentialJson {
    const credential = this.#requireCredential(clientId, credentialId, sink);
    passed(sink, RULES.read, 'the credential', credentialId);
    this.#noteExpired([credential], sink);
    return credentialJson(credential);
  }

  /** PATCH …/credentials/{credential_id}: only expires_at (CRD-13); updated_at moves only when it changes. */
  updateCredential(clientId: string, credentialId: string, body: unknown, sink: RuleSink = NO_TRACE): CredentialJson {
    this.#requireCredential(clientId, credentialId, sink);
    const patch = parseCredentialPatch(body, root(sink, RULES.body));
    const current = this.#requireCredential(clientId, credentialId, sink);
    if (patch.expires_at === undefined || patch.expires_at === current.expires_at) return credentialJson(current);
    const next: StoredCredential = { ...current, expires_at: patch.expires_at, updated_at: now().toISOString() };
    const doc = this.#doc.value;
    this.#doc.save({ ...doc, credentials: doc.credentials.map((c) => (c.id === next.id ? next : c)) });
    return credentialJson(next);
  }

  /** DELETE …/credentials/{credential_id}: refused while a slot references it (CRD-14). */
  deleteCredential(clientId: string, credentialId: string, sink: RuleSink = NO_TRACE): void {
    this.#requireCredential(clientId, credentialId, sink);
    const client = this.#require(clientId, sink, true);
    const slots = (['private_key_jwt', 'signed_request_object'] as const).filter((s) => slotIds(client, s).includes(credentialId));
    if (slots.length > 0) {
      const where = slots.map((s) => (s === 'private_key_jwt' ? 'client_authentication_methods.private_key_jwt.credentials' : 'signed_request_object.credentials')).join(' and ');
      throw failed(sink, RULES.remove, 'credential is in use; remove it from the client first', {
        expected: 'a credential not referenced by any slot',
        actual: `attached to ${where}`,
        fix: `PATCH the client so that ${where} no longer lists ${credentialId}, then delete it.`,
      });
    }
    passed(sink, RULES.remove, 'not attached', credentialId);
    const doc = this.#doc.value;
    this.#doc.save({ ...doc, credentials: doc.credentials.filter((c) => c.id !== credentialId) });
    this.#keys.delete(credentialId);
  }

  // CRD-15: expired credentials are shown like the others; the trace says they no longer work.
  #noteExpired(credentials: readonly StoredCredential[], sink: RuleSink): void {
    const expired = credentials.filter((c) => c.expires_at !== null && Date.parse(c.expires_at) <= nowMs());
    if (expired.length > 0) passed(sink, RULES.expired, 'listed, unusable (PKJ-14)', expired.map((c) => `${c.id} expired ${c.expires_at ?? ''}`).join(', '));
  }

  /**
   * The credentials attached to a slot, with their parsed keys (expired ones included: callers skip them,
   * PKJ-14). Built once per document version; the array and its views are frozen, as requests share them.
   */
  slotCredentials(clientId: string, slot: CredentialSlot): CredentialView[] {
    const client = this.find(clientId);
    if (!client) return [];
    const cacheKey = `${slot}:${clientId}`;
    let views = this.#slots.get(cacheKey);
    if (!views) {
      const owned = this.#owned(clientId);
      views = slotIds(client, slot).flatMap((id) => {
        const c = owned.find((x) => x.id === id);
        return c ? [Object.freeze({ id: c.id, client_id: c.client_id, kid: c.kid, alg: c.alg, name: c.name, expires_at: c.expires_at, publicKey: this.#key(c) })] : [];
      });
      Object.freeze(views);
      this.#slots.set(cacheKey, views);
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
  Object.freeze(view.grant_types);
  if (view.signed_request_object) Object.freeze(view.signed_request_object);
  return Object.freeze(view);
}
