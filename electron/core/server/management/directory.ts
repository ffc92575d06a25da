/**
 * The embedded server's directory: clients, credentials, client grants (one file per client in clients/,
 * client-records.ts) and users
 * (users.json). The Management API routes and the app's own operations (the UI calls these methods
 * directly, not over HTTP) share these methods, so both validate identically and fail with Auth0's
 * Management API errors. The Authentication API reads it through ClientDirectory and UserDirectory.
 */
import type { ServerClient, ServerClientGrant, ServerUser } from '../../../../shared/schemas/server';
import { now } from '../../clock';
import type { DocumentStoreFactory } from '../../store/document-store';
import type { ServerUrls } from '../urls';
import { ManagementError } from '../errors';
import type { ClientJson, StoredClient } from '../state/client-shape';
import { ClientStore, clientNotFound } from '../state/client-store';
import type { CredentialJson } from '../state/credential-shape';
import type { ProofOfPossession } from '../state/resource-servers';
import { ResourceServerStore } from '../state/resource-servers';
import { ConnectionStore } from '../state/connections';
import type { StoredConnection } from '../state/connections';
import { BOOTSTRAP_SCOPES, MANAGEMENT_AUDIENCE_MARKER, SCOPES_ADDED_LATER, grantJson, grantedScopesFor, storedAudience } from '../state/grants';
import { newGrantId } from '../state/ids';
import { root } from './payload';
import type { ClientDirectory, ClientView, CredentialSlot, CredentialView, UserDirectory, UserView } from '../state/types';
import { UserStore } from '../state/users';
import type { DeclaredUser, UserJson } from '../state/users';
import type { ClientRecord } from '../state/client-records';
import type { StoreNotice } from '../../../../shared/schemas/app';
import { RULES } from '../rules';
import { NO_TRACE, pass } from '../recording';
import type { RuleSink } from '../recording';
import type { RuleText } from '../../../../shared/jwt/rule';

export type { ClientJson } from '../state/client-shape';
export type { CredentialJson } from '../state/credential-shape';
export type { UserJson } from '../state/users';
export type { RuleSink } from '../recording';

/**
 * CRD-5 as a simulation records it: setting an expiry from the UI (Make expired, a case import) skips the
 * future-date check Auth0 applies, and the trace says so rather than claiming CRD-5 passed.
 */
const CRD_5_SIMULATED: RuleText = {
  id: RULES['CRD-5'].id,
  summary: 'Parley simulation: expires_at set without the future-date check (Make expired, or a case import).',
  source: 'Parley (not an Auth0 behaviour)',
};

/** The name of the Management API client created at first start. */
export const MANAGEMENT_CLIENT_NAME = 'Parley Management API';

/** Auth0's JSON for a client grant: the wire type the renderer reads too. */
export type ClientGrantJson = ServerClientGrant;

/** What the app shows so the server can be used at once: the Management API client and the demo user. */
export interface BootstrapInfo {
  management: { client_id: string; client_secret: string };
  users: { email: string; password: string }[];
}

/** Validates a POST /api/v2/client-grants body (Auth0's messages); exported so a declared tenant is checked the same way. */
export function parseClientGrantBody(body: unknown, trace: RuleSink = NO_TRACE): { clientId: string; audience: string; scope: string[] } {
  const field = root(trace, RULES['E-7']);
  const obj = field.object(body, ['client_id', 'audience', 'scope']);
  for (const key of ['client_id', 'audience', 'scope']) field.required(obj, key);
  const clientId = field.at('client_id').string(obj.client_id, 1, 128);
  const audience = field.at('audience').string(obj.audience, 1, 2048);
  let absolute = false;
  try {
    absolute = new URL(audience).protocol.length > 1;
  } catch {
    absolute = false;
  }
  if (!absolute)
    throw field.at('audience').error(`Object didn't pass validation for format absolute-uri: ${audience}`, 'an API identifier (absolute URI)', audience);
  // Each scope as the stored grant holds it (1..280 characters, grants.ts): checked here, so a bad one is a 400, not a failed save.
  const scope = field.at('scope').strings(obj.scope, 200, (item, f) => void f.string(item, 1, 280));
  return { clientId, audience, scope: [...new Set(scope)] };
}

/** Clients, credentials, grants and users of the embedded server. */
export class ServerDirectory implements ClientDirectory, UserDirectory {
  readonly #clients: ClientStore;
  readonly #users: UserStore;
  /** APIs, for their DPoP policy (DPC-2..8, DPB-1). */
  readonly #resourceServers: ResourceServerStore;
  /** Connections: the database connection and stored enterprise ones (DPC-12). */
  readonly #connections: ConnectionStore;
  #urls: ServerUrls | undefined;
  #management: string | undefined;
  #bootstrap: Promise<void> | undefined;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#clients = new ClientStore(store, notices);
    this.#users = new UserStore(store, notices);
    this.#resourceServers = new ResourceServerStore(store, notices);
    this.#connections = new ConnectionStore(store, notices);
  }

  // ---- bootstrap -----------------------------------------------------------------------------------

  /**
   * Records the server's URLs (after listen) and, on first start, creates the Management API client with a
   * grant of every Management scope, and the demo user. Safe to call at every start and concurrently.
   */
  async ensureBootstrap(urls: ServerUrls): Promise<void> {
    this.#urls = urls;
    this.#bootstrap ??= (async () => {
      if (!this.#managementClient()) {
        const created = await this.#clients.create(
          {
            name: MANAGEMENT_CLIENT_NAME,
            app_type: 'non_interactive',
            token_endpoint_auth_method: 'client_secret_post',
            grant_types: ['client_credentials'],
            jwt_configuration: { alg: 'RS256' },
          },
          NO_TRACE,
          { parley_management: true },
        );
        // The audience is stored as a marker: the grant must not depend on the port (grants.ts).
        this.#clients.addGrant({
          id: newGrantId(),
          client_id: created.client_id,
          audience: MANAGEMENT_AUDIENCE_MARKER,
          scope: [...BOOTSTRAP_SCOPES],
          created_at: now().toISOString(),
        });
      } else this.#upgradeBootstrapGrant();
      await this.#users.ensureDemo();
    })();
    try {
      await this.#bootstrap;
    } catch (e) {
      this.#bootstrap = undefined; // let the next start try again
      throw e;
    }
  }

  /**
   * A data directory made before the Management API had its later scopes: its bootstrap grant lacks them, so the
   * Management client could not call the new endpoints. Adds them when the grant still holds every original scope
   * (never re-adds one the user removed from a trimmed grant).
   */
  #upgradeBootstrapGrant(): void {
    const client = this.#managementClient();
    if (!client) return;
    const grant = this.#clients.grantsOf(client.client_id).find((g) => g.audience === MANAGEMENT_AUDIENCE_MARKER);
    if (!grant) return;
    const original = BOOTSTRAP_SCOPES.filter((s) => !SCOPES_ADDED_LATER.includes(s));
    const missing = SCOPES_ADDED_LATER.filter((s) => !grant.scope.includes(s));
    if (missing.length === 0 || !original.every((s) => grant.scope.includes(s))) return;
    this.#clients.putGrant({ ...grant, scope: [...grant.scope, ...missing] });
  }

  #managementStored(): StoredClient | undefined {
    // Cached: it is read for every status and ready line, and found by a scan of every client otherwise.
    const cached = this.#management === undefined ? undefined : this.#clients.find(this.#management);
    if (cached?.parley_management) return cached;
    for (const c of this.#clients.clients()) {
      if (c.parley_management) {
        this.#management = c.client_id;
        return c;
      }
    }
    return undefined;
  }

  #managementClient(): ClientView | undefined {
    const c = this.#managementStored();
    return c ? this.#clients.view(c.client_id) : undefined;
  }

  /** The Management API client's credentials and the demo user's sign-in; throws before the first ensureBootstrap. */
  bootstrapInfo(): BootstrapInfo {
    const stored = this.#managementStored();
    if (!stored) throw new Error('The server directory has not been bootstrapped yet (ensureBootstrap runs after the server listens).');
    return { management: { client_id: stored.client_id, client_secret: stored.client_secret }, users: this.#users.demoCredentials() };
  }

  // ---- clients (Management API) ---------------------------------------------------------------------

  /** Creates a client from an Auth0 POST /api/v2/clients body; slot credentials are created and attached (MGC-2). */
  createClient(body: unknown, trace: RuleSink = NO_TRACE): Promise<ClientJson> {
    return this.#clients.create(body, trace);
  }

  /**
   * Parley only, for importing a case file (electron/core/cases): creates a client from a POST
   * /api/v2/clients body, validated exactly like one, but under a caller-chosen `client_id` — the recorded
   * JWTs carry the customer's client_id as iss/sub/client_id, so the client must exist under that id to
   * re-verify them. Auth0's Management API has no such capability, and neither the HTTP API nor any other
   * operation offers it. The body must not create slot credentials (they would be created for another id):
   * create them with createCredential, then attach them with updateClient. 409 when the id exists.
   */
  async importClient(clientId: string, body: unknown, trace: RuleSink = NO_TRACE): Promise<ClientJson> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(clientId)) {
      throw new ManagementError(
        400,
        'invalid_body',
        `The client_id ${JSON.stringify(clientId.slice(0, 80))} cannot be recreated here: a client_id of 1 to 64 letters, digits, "-" or "_" is needed.`,
      );
    }
    if (this.#clients.find(clientId)) throw new ManagementError(409, 'client_conflict', `A client with the client_id ${clientId} already exists.`);
    const slots = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    if (slots['client_authentication_methods'] || (slots['signed_request_object'] as { credentials?: unknown } | null | undefined)?.credentials !== undefined) {
      throw new ManagementError(400, 'invalid_body', 'An imported client is created without credentials; add and attach them afterwards.');
    }
    return this.#clients.create(body, trace, { client_id: clientId });
  }

  /** A client as GET /api/v2/clients/{id} returns it (with client_secret unless private_key_jwt hides it); 404 inexistent_client. */
  getClientJson(clientId: string): ClientJson {
    return this.#clients.json(clientId);
  }

  /** A client for the UI: the same JSON without secrets; 404 inexistent_client. */
  getClientForUi(clientId: string): ServerClient {
    return this.#clients.uiJson(clientId);
  }

  /** The clients as GET /api/v2/clients returns them, in creation order: all, or `limit` of them from `start`. */
  listClients(start?: number, limit?: number): ClientJson[] {
    return this.#clients.list(start, limit);
  }

  /** How many clients are stored. */
  clientCount(): number {
    return this.#clients.size;
  }

  /** Every client for the UI (no secrets). */
  listClientsForUi(): ServerClient[] {
    return this.#clients.listUi();
  }

  /** Applies an Auth0 PATCH /api/v2/clients/{id} body (MGC-3..9). */
  updateClient(clientId: string, body: unknown, trace: RuleSink = NO_TRACE): Promise<ClientJson> {
    return this.#clients.update(clientId, body, trace);
  }

  /** Deletes a client with its credentials and grants. */
  async deleteClient(clientId: string, trace: RuleSink = NO_TRACE): Promise<void> {
    this.#clients.delete(clientId, trace);
  }

  // ---- credentials (Management API) -----------------------------------------------------------------

  /** Creates an unattached credential from an Auth0 POST …/credentials body (CRD-1..11). */
  createCredential(clientId: string, body: unknown, trace: RuleSink = NO_TRACE): Promise<CredentialJson> {
    return this.#clients.createCredential(clientId, body, trace);
  }

  /** A client's credentials (a bare array, CRD-12). */
  listCredentials(clientId: string, trace: RuleSink = NO_TRACE): CredentialJson[] {
    return this.#clients.listCredentials(clientId, trace);
  }

  /** One credential; 404 inexistent_client / inexistent_credential. */
  getCredential(clientId: string, credentialId: string, trace: RuleSink = NO_TRACE): CredentialJson {
    return this.#clients.getCredential(clientId, credentialId, trace);
  }

  /** Applies an Auth0 PATCH …/credentials/{id} body: only expires_at (CRD-13). */
  async updateCredential(clientId: string, credentialId: string, body: unknown, trace: RuleSink = NO_TRACE): Promise<CredentialJson> {
    return this.#clients.updateCredential(clientId, credentialId, body, trace);
  }

  /**
   * Parley only, a simulation: sets a credential's expires_at to any date, past ones included, so that an
   * expired credential (PKJ-14, CRD-15) can be reproduced ("Make expired" on the Server screen, and case
   * imports that recreate a credential as it was). CRD-5 still refuses a past date on the Management API's
   * POST and PATCH, as Auth0 does; only the app's own dashboard operation and the case import reach this.
   */
  async setCredentialExpiry(clientId: string, credentialId: string, expiresAt: string | null, trace: RuleSink = NO_TRACE): Promise<CredentialJson> {
    const current = this.#clients.getCredential(clientId, credentialId, trace);
    let iso: string | null = null;
    if (expiresAt !== null) {
      const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(expiresAt) ? Date.parse(expiresAt) : Number.NaN;
      if (Number.isNaN(ms))
        throw new ManagementError(400, 'invalid_body', `Object didn't pass validation for format date-time: ${expiresAt.slice(0, 64)}`, RULES['CRD-5'].id);
      iso = new Date(ms).toISOString();
    }
    pass(trace, RULES['CRD-13'], 'only expires_at', 'expires_at');
    pass(trace, CRD_5_SIMULATED, 'any ISO 8601 date-time, or null', iso ?? 'null (never expires)');
    if (iso === current.expires_at) return current;
    const stored = this.#clients.credentialOf(clientId, credentialId);
    if (stored) this.#clients.replaceCredential({ ...stored, expires_at: iso, updated_at: now().toISOString() });
    return this.#clients.getCredential(clientId, credentialId);
  }

  /** Deletes an unattached credential (CRD-14). */
  async deleteCredential(clientId: string, credentialId: string, trace: RuleSink = NO_TRACE): Promise<void> {
    this.#clients.deleteCredential(clientId, credentialId, trace);
  }

  // ---- client grants --------------------------------------------------------------------------------

  /** Creates a client grant from `{client_id, audience, scope}` (POST /api/v2/client-grants). */
  async createClientGrant(body: unknown, trace: RuleSink = NO_TRACE): Promise<ClientGrantJson> {
    const { clientId, audience, scope } = parseClientGrantBody(body, trace);
    if (!this.#clients.find(clientId)) throw clientNotFound();
    const stored = storedAudience(audience, this.#urls?.managementAudience);
    if (this.#clients.grantsOf(clientId).some((g) => g.audience === stored)) {
      throw new ManagementError(409, 'client_grant_conflict', 'A client grant for this client and audience already exists');
    }
    const grant = { id: newGrantId(), client_id: clientId, audience: stored, scope, created_at: now().toISOString() };
    this.#clients.addGrant(grant);
    return grantJson(grant, this.#urls?.managementAudience);
  }

  /** Every client grant, or one client's. */
  listClientGrants(clientId?: string): ClientGrantJson[] {
    const grants = clientId === undefined ? Array.from(this.#clients.grants()) : this.#clients.grantsOf(clientId);
    return grants.map((g) => grantJson(g, this.#urls?.managementAudience));
  }

  /** Deletes a client grant; 404 when unknown. */
  async deleteClientGrant(grantId: string): Promise<void> {
    if (!this.#clients.removeGrant(grantId)) throw new ManagementError(404, 'inexistent_client_grant', 'The client grant does not exist');
  }

  // ---- a declared tenant (server/tenant) --------------------------------------------------------------

  /** The ids of the clients with this name (the Management API's own client excluded). */
  clientIdsNamed(name: string): string[] {
    const ids: string[] = [];
    for (const c of this.#clients.clients()) if (c.name === name && !c.parley_management) ids.push(c.client_id);
    return ids;
  }

  /** Whether a client exists; the Management API's own client counts as absent (a tenant file cannot declare it). */
  isDeclarableClient(clientId: string): boolean | 'management' {
    const c = this.#clients.find(clientId);
    return c ? (c.parley_management ? 'management' : true) : false;
  }

  /** See ClientStore.planDeclared: the record a declared client would get, undefined when unchanged; nothing is written. */
  planDeclaredClient(
    existingId: string | undefined,
    body: unknown,
    declared: { client_id?: string; client_secret?: string },
  ): Promise<ClientRecord | undefined> {
    return this.#clients.planDeclared(existingId, body, declared);
  }

  /** Writes a planned client record. */
  commitDeclaredClient(record: ClientRecord): void {
    this.#clients.commitDeclared(record);
  }

  /**
   * Makes the grant of `clientId` for `audience` (as stored: the Management API's is the marker) hold `scope`,
   * creating it when absent. Returns whether anything changed.
   */
  declareClientGrant(clientId: string, audience: string, scope: string[]): boolean {
    const existing = this.#clients.grantsOf(clientId).find((g) => g.audience === audience);
    if (existing && existing.scope.length === scope.length && existing.scope.every((s, i) => s === scope[i])) return false;
    this.#clients.putGrant({
      id: existing?.id ?? newGrantId(),
      client_id: clientId,
      audience,
      scope: [...scope],
      created_at: existing?.created_at ?? now().toISOString(),
    });
    return true;
  }

  /** See UserStore.declare. */
  declareUser(user: DeclaredUser): Promise<boolean> {
    return this.#users.declare(user);
  }

  /** What a tenant export holds: every client but the Management API's own, with credentials and grants; the users. */
  exportable(): { clients: ClientRecord[]; users: { email: string; name: string; email_verified: boolean }[] } {
    return { clients: Array.from(this.#clients.records()).filter((r) => !r.client.parley_management), users: this.#users.exportable() };
  }

  // ---- users ----------------------------------------------------------------------------------------

  /** Creates a user from `{email, password, name?}` (and Auth0's `connection`, `email_verified`). */
  createUser(body: unknown, trace: RuleSink = NO_TRACE): Promise<UserJson> {
    return this.#users.create(body, trace);
  }

  /** Every user as GET /api/v2/users returns them. */
  listUsers(): UserJson[] {
    return this.#users.list();
  }

  /** Every user for the UI. */
  listUsersForUi(): ServerUser[] {
    return this.#users.listForUi();
  }

  /** One user for the UI; 404 inexistent_user. */
  getUserForUi(userId: string): ServerUser {
    return this.#users.getForUi(userId);
  }

  /** One user as GET /api/v2/users/{id} returns it; 404 inexistent_user. */
  getUserJson(userId: string): UserJson {
    return this.#users.getJson(userId);
  }

  /** Deletes a user; 404 inexistent_user. */
  async deleteUser(userId: string): Promise<void> {
    this.#users.delete(userId);
  }

  // ---- ClientDirectory / UserDirectory (Authentication API) -----------------------------------------

  /** The Authentication API's view of a client. */
  getClient(clientId: string): ClientView | undefined {
    return this.#clients.view(clientId);
  }

  /** The credentials attached to a slot, keys parsed once (JWT-10). */
  slotCredentials(clientId: string, slot: CredentialSlot): CredentialView[] {
    return this.#clients.slotCredentials(clientId, slot);
  }

  /** The scopes granted to a client for an audience; the Management grant follows the current port. */
  grantedScopes(clientId: string, audience: string): string[] | undefined {
    return grantedScopesFor(this.#clients.grantsOf(clientId), clientId, audience, this.#urls?.managementAudience);
  }

  // ---- resource servers (DPC-2..8) ------------------------------------------------------------------

  createResourceServer(body: unknown, trace: RuleSink = NO_TRACE): Record<string, unknown> {
    return this.#resourceServers.create(body, trace);
  }

  updateResourceServer(id: string, body: unknown, trace: RuleSink = NO_TRACE): Record<string, unknown> {
    return this.#resourceServers.update(id, body, trace);
  }

  getResourceServerJson(id: string): Record<string, unknown> {
    return this.#resourceServers.get(id);
  }

  listResourceServers(): Record<string, unknown>[] {
    return this.#resourceServers.list();
  }

  deleteResourceServer(id: string): void {
    this.#resourceServers.delete(id);
  }

  // ---- connections (DPC-12) -------------------------------------------------------------------------

  createConnection(body: unknown, trace: RuleSink = NO_TRACE): Record<string, unknown> {
    return this.#connections.create(body, trace);
  }

  updateConnection(id: string, body: unknown, trace: RuleSink = NO_TRACE): Record<string, unknown> {
    return this.#connections.update(id, body, trace);
  }

  getConnectionJson(id: string): Record<string, unknown> {
    return this.#connections.get(id);
  }

  listConnections(filter: { strategies?: readonly string[]; name?: string } = {}): Record<string, unknown>[] {
    return this.#connections.list(filter);
  }

  deleteConnection(id: string): void {
    this.#connections.delete(id);
  }

  /** See ConnectionStore.planDeclared (a tenant file's `connections`); nothing is written. */
  planDeclaredConnection(body: unknown): StoredConnection | undefined {
    return this.#connections.planDeclared(body);
  }

  /** Writes a planned connection. */
  commitDeclaredConnection(record: StoredConnection): void {
    this.#connections.commitDeclared(record);
  }

  /** The connections a tenant export holds (every one but the database connection). */
  exportableConnections(): Record<string, unknown>[] {
    return this.#connections.exportable();
  }

  /** Whether the tenant has an API with this identifier (token exchange: the target audience, DA9). */
  hasResourceServer(identifier: string): boolean {
    return this.#resourceServers.has(identifier);
  }

  /** DPB-1: the `proof_of_possession` of the API with this identifier (undefined: no such API, or never set). */
  resourceServerProofOfPossession(audience: string): ProofOfPossession | null | undefined {
    return this.#resourceServers.proofOfPossession(audience);
  }

  /** A user, for ID tokens and /userinfo. */
  getUser(userId: string): UserView | undefined {
    return this.#users.view(userId);
  }

  /** The id of the user with this email (NFC, case-insensitive), or undefined. */
  userIdByEmail(email: string): string | undefined {
    return this.#users.userIdByEmail(email);
  }

  /** The user when email and password match (constant time). */
  authenticate(email: string, password: string): Promise<UserView | undefined> {
    return this.#users.authenticate(email, password);
  }
}
