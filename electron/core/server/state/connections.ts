/**
 * Connections (Auth0's identity providers), only as far as the Management API's shapes and DPoP need them
 * (dpop-rules.md DPC-12): the tenant's one database connection, `Username-Password-Authentication`
 * (strategy `auth0`, where the emulator's users live), and any connections created through
 * `/api/v2/connections`. Enterprise strategies `oidc` and `okta` carry `options.dpop_signing_alg`, the key
 * type Auth0 uses when it acts as a DPoP *client* towards the upstream IdP (DA10). The emulator never signs
 * in through an upstream IdP: a connection other than the database one is stored and returned, nothing more.
 * Persisted in `connections.json`.
 */
import { z } from 'zod';
import type { StoreNotice } from '../../../../shared/schemas/app';
import type { DocumentStoreFactory } from '../../store/document-store';
import { openDocument } from '../../store/document-store';
import { ManagementError } from '../errors';
import type { JsonObject } from '../management/payload';
import { root } from '../management/payload';
import type { RuleSink } from '../recording';
import { NO_TRACE, pass, passWithNote } from '../recording';
import { DPOP_RULES } from '../rules-dpop';
import { randomBase62 } from './ids';
import { DEFAULT_CONNECTION } from './users';

/** DPC-12: the values Auth0 signs its upstream DPoP proofs with (DA10; node-auth0's ConnectionDpopSigningAlgEnum, DO8). */
export const CONNECTION_DPOP_ALGS = ['ES256', 'ES384', 'ES512', 'Ed25519'] as const;

/** The strategies whose `options.dpop_signing_alg` Auth0 uses: back-channel OIDC and Okta connections (DA10). */
export const DPOP_STRATEGIES = ['oidc', 'okta'] as const;

/**
 * Strategies a connection may be created with: Auth0's identity-provider names (node-auth0's
 * ConnectionIdentityProviderEnum), less `auth0` — the emulator has one database connection, its users' own.
 */
export const CONNECTION_STRATEGIES = [
  'ad',
  'adfs',
  'amazon',
  'apple',
  'dropbox',
  'bitbucket',
  'auth0-oidc',
  'baidu',
  'bitly',
  'box',
  'custom',
  'daccount',
  'dwolla',
  'email',
  'evernote-sandbox',
  'evernote',
  'exact',
  'facebook',
  'fitbit',
  'github',
  'google-apps',
  'google-oauth2',
  'instagram',
  'ip',
  'line',
  'linkedin',
  'oauth1',
  'oauth2',
  'office365',
  'oidc',
  'okta',
  'paypal',
  'paypal-sandbox',
  'pingfederate',
  'planningcenter',
  'salesforce-community',
  'salesforce-sandbox',
  'salesforce',
  'samlp',
  'sharepoint',
  'shopify',
  'shop',
  'sms',
  'soundcloud',
  'thirtysevensignals',
  'twitter',
  'untappd',
  'vkontakte',
  'waad',
  'weibo',
  'windowslive',
  'wordpress',
  'yahoo',
  'yandex',
] as const;

const jsonObject = z.record(z.string(), z.unknown());

const storedConnectionSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(128),
    display_name: z.string().max(128).optional(),
    strategy: z.string().min(1).max(64),
    options: jsonObject,
    realms: z.array(z.string().max(255)).max(100),
    enabled_clients: z.array(z.string().max(128)).max(10_000),
    is_domain_connection: z.boolean(),
    show_as_button: z.boolean().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** A connection as stored. */
export type StoredConnection = z.infer<typeof storedConnectionSchema>;

const documentSchema = z.object({ version: z.literal(1), connections: z.array(storedConnectionSchema).max(10_000) });

/** The largest number of connections a tenant holds (bounded like every store). */
export const MAX_CONNECTIONS = 10_000;

/** Largest `options` object, serialised: generous for real IdP settings (certificates, mappings), bounded. */
const MAX_OPTIONS_BYTES = 64 * 1024;

const CREATE_FIELDS = ['name', 'display_name', 'strategy', 'options', 'enabled_clients', 'is_domain_connection', 'show_as_button', 'realms', 'metadata'];
// Auth0's update body has neither name nor strategy: a connection is renamed or re-typed by re-creating it.
const UPDATE_FIELDS = CREATE_FIELDS.filter((f) => f !== 'name' && f !== 'strategy');

/** A new connection id, `con_` + 16 letters and digits like Auth0's. */
export function newConnectionId(): string {
  return `con_${randomBase62(16)}`;
}

function databaseConnection(): StoredConnection {
  return {
    id: newConnectionId(),
    name: DEFAULT_CONNECTION,
    strategy: 'auth0',
    // What a fresh Auth0 tenant's database connection shows; the emulator's own password rules are in users.ts.
    options: { brute_force_protection: true, disable_signup: false, requires_username: false },
    realms: [DEFAULT_CONNECTION],
    enabled_clients: [],
    is_domain_connection: false,
  };
}

/** Auth0's JSON of a connection; the list leaves out the deprecated enabled_clients, as Auth0's ConnectionForList does. */
function connectionJson(c: StoredConnection, forList = false): JsonObject {
  const out: JsonObject = { id: c.id, name: c.name };
  if (c.display_name !== undefined) out.display_name = c.display_name;
  out.strategy = c.strategy;
  out.options = structuredClone(c.options);
  out.realms = [...c.realms];
  if (!forList) out.enabled_clients = [...c.enabled_clients];
  out.is_domain_connection = c.is_domain_connection;
  if (c.show_as_button !== undefined) out.show_as_button = c.show_as_button;
  if (c.metadata !== undefined) out.metadata = { ...c.metadata };
  return out;
}

function notFound(): ManagementError {
  return new ManagementError(404, 'inexistent_connection', 'The connection does not exist');
}

/** DPC-12's notes on a stored value Auth0 would not use (trace warnings; translated in the UI's ruleValues table). */
export const DPC_12_NOTES = {
  otherStrategy: 'Stored, but Auth0 uses dpop_signing_alg only on oidc and okta connections: this connection never sends DPoP proofs upstream.',
  unsupportedAlg:
    'Stored as sent: Auth0 accepts it but silently disables DPoP towards the upstream IdP (only ES256, ES384, ES512 and Ed25519 are used), and logs no error.',
} as const;

/**
 * DPC-12: `options.dpop_signing_alg`. Auth0 documents that another value (RS256, say) is stored and silently
 * disables DPoP upstream, with no error (DA10 "Troubleshoot"): so a string is always stored, and the trace
 * says whether DPoP would be used. A value of another type is a payload validation error.
 */
function checkDpopSigningAlg(options: JsonObject, strategy: string, sink: RuleSink): void {
  const rule = DPOP_RULES['DPC-12'];
  if (!('dpop_signing_alg' in options)) {
    if ((DPOP_STRATEGIES as readonly string[]).includes(strategy)) pass(sink, rule, 'options.dpop_signing_alg', '(absent)');
    return;
  }
  const value = root(sink, rule).at('options').at('dpop_signing_alg').string(options.dpop_signing_alg, 1, 64);
  const expected = CONNECTION_DPOP_ALGS.join(' | ');
  const actual = JSON.stringify({ strategy, dpop_signing_alg: value });
  const note = !(DPOP_STRATEGIES as readonly string[]).includes(strategy)
    ? DPC_12_NOTES.otherStrategy
    : !(CONNECTION_DPOP_ALGS as readonly string[]).includes(value)
      ? DPC_12_NOTES.unsupportedAlg
      : undefined;
  // Stored either way; the emulator never calls the upstream IdP, so the value has no effect here.
  if (note === undefined) pass(sink, rule, expected, actual);
  else passWithNote(sink, rule, expected, actual, note);
}

/** The tenant's connections. */
export class ConnectionStore {
  readonly #doc;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'connections', documentSchema, () => ({ version: 1 as const, connections: [databaseConnection()] }), notices);
  }

  #all(): StoredConnection[] {
    return this.#doc.value.connections;
  }

  #find(id: string): StoredConnection | undefined {
    return this.#all().find((c) => c.id === id);
  }

  #save(next: StoredConnection[]): void {
    this.#doc.save({ version: 1, connections: next });
  }

  /** The fields shared by create and update, validated with Auth0's payload-validation words. */
  #common(obj: JsonObject, into: StoredConnection, sink: RuleSink): void {
    const field = root(sink, DPOP_RULES['DPC-12']);
    if (obj.display_name !== undefined) into.display_name = field.at('display_name').string(obj.display_name, 1, 128);
    if (obj.options !== undefined) {
      // Auth0: a PATCH with options replaces the whole object (DA10's callout); null clears it.
      const options = obj.options === null ? {} : field.at('options').object(obj.options, Object.keys(obj.options as object));
      if (JSON.stringify(options).length > MAX_OPTIONS_BYTES)
        throw field.at('options').error(`Object is too large (more than ${MAX_OPTIONS_BYTES} bytes)`, `at most ${MAX_OPTIONS_BYTES} bytes`, 'larger');
      into.options = structuredClone(options);
    }
    if (obj.enabled_clients !== undefined)
      into.enabled_clients =
        obj.enabled_clients === null ? [] : field.at('enabled_clients').strings(obj.enabled_clients, 10_000, (s, f) => void f.string(s, 1, 128));
    if (obj.is_domain_connection !== undefined) into.is_domain_connection = field.at('is_domain_connection').boolean(obj.is_domain_connection);
    if (obj.show_as_button !== undefined) into.show_as_button = field.at('show_as_button').boolean(obj.show_as_button);
    if (obj.realms !== undefined) into.realms = field.at('realms').strings(obj.realms, 100, (s, f) => void f.string(s, 1, 255));
    if (obj.metadata !== undefined) {
      const metadata = field.at('metadata').object(obj.metadata, Object.keys(obj.metadata as object));
      if (Object.keys(metadata).length > 10)
        throw field.at('metadata').error('Too many properties (maximum 10)', 'at most 10 keys', String(Object.keys(metadata).length));
      into.metadata = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, field.at('metadata').at(k).string(v, 0, 255)]));
    }
    checkDpopSigningAlg(into.options, into.strategy, sink);
  }

  /** Validates a POST body into a new record (nothing saved, no conflict checked). */
  #validateCreate(body: unknown, sink: RuleSink): StoredConnection {
    const field = root(sink, DPOP_RULES['DPC-12']);
    const obj = field.object(body, CREATE_FIELDS);
    field.required(obj, 'name');
    field.required(obj, 'strategy');
    const name = field.at('name').string(obj.name, 1, 128);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name))
      throw field.at('name').error(`String does not match pattern ^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$: ${name}`, 'letters, digits and inner "-"', name);
    if (obj.strategy === 'auth0')
      throw field
        .at('strategy')
        .error(
          'Parley emulates one database connection (Username-Password-Authentication), where its users live',
          'an enterprise or social strategy',
          'auth0',
          'Use the existing Username-Password-Authentication connection.',
        );
    const strategy = field.at('strategy').oneOf(obj.strategy, CONNECTION_STRATEGIES);
    const stored: StoredConnection = { id: newConnectionId(), name, strategy, options: {}, realms: [name], enabled_clients: [], is_domain_connection: false };
    this.#common(obj, stored, sink);
    return stored;
  }

  #named(name: string): StoredConnection | undefined {
    return this.#all().find((c) => c.name.toLowerCase() === name.toLowerCase());
  }

  /** POST /api/v2/connections. */
  create(body: unknown, sink: RuleSink): JsonObject {
    const stored = this.#validateCreate(body, sink);
    if (this.#named(stored.name))
      throw new ManagementError(409, 'connection_conflict', 'A connection with the same name already exists', DPOP_RULES['DPC-12'].id);
    if (this.#all().length >= MAX_CONNECTIONS) throw new ManagementError(429, 'too_many_entities', `At most ${MAX_CONNECTIONS} connections`);
    this.#save([...this.#all(), stored]);
    return connectionJson(stored);
  }

  /**
   * A declared tenant's connection (tenant-file.ts): a POST body matched by name. A new name plans a new
   * connection; a known one is updated like a PATCH with the body's other fields (its strategy must be the
   * stored one: Auth0 cannot change it). Returns the record to write, or undefined when nothing would change;
   * nothing is written here.
   */
  planDeclared(body: unknown): StoredConnection | undefined {
    const declared = this.#validateCreate(body, NO_TRACE);
    const existing = this.#named(declared.name);
    if (!existing) return declared;
    if (existing.strategy !== declared.strategy)
      throw new ManagementError(400, 'invalid_body', `The connection ${existing.name} exists with strategy ${existing.strategy}; a strategy cannot be changed`);
    const next: StoredConnection = structuredClone(existing);
    const { name: _name, strategy: _strategy, ...rest } = body as JsonObject;
    this.#common(rest, next, NO_TRACE);
    return JSON.stringify(next) === JSON.stringify(existing) ? undefined : next;
  }

  /** Writes a planned connection (new, or replacing the one with its id). */
  commitDeclared(record: StoredConnection): void {
    const all = this.#all();
    this.#save(all.some((c) => c.id === record.id) ? all.map((c) => (c.id === record.id ? record : c)) : [...all, record]);
  }

  /** PATCH /api/v2/connections/{id}: `options`, when sent, replaces the whole object (Auth0 documents it so). */
  update(id: string, body: unknown, sink: RuleSink): JsonObject {
    const current = this.#find(id);
    if (!current) throw notFound();
    const field = root(sink, DPOP_RULES['DPC-12']);
    const obj = field.object(body, UPDATE_FIELDS);
    const next: StoredConnection = structuredClone(current);
    this.#common(obj, next, sink);
    this.#save(this.#all().map((c) => (c.id === current.id ? next : c)));
    return connectionJson(next);
  }

  /** GET /api/v2/connections/{id}. */
  get(id: string): JsonObject {
    const found = this.#find(id);
    if (!found) throw notFound();
    return connectionJson(found);
  }

  /** The connections in creation order, optionally of some strategies or one name (GET /api/v2/connections). */
  list(filter: { strategies?: readonly string[]; name?: string } = {}): JsonObject[] {
    return this.#all()
      .filter((c) => (filter.strategies === undefined || filter.strategies.includes(c.strategy)) && (filter.name === undefined || c.name === filter.name))
      .map((c) => connectionJson(c, true));
  }

  /** DELETE /api/v2/connections/{id}; the database connection holds the emulator's users and stays. */
  delete(id: string): void {
    const found = this.#find(id);
    if (!found) throw notFound();
    if (found.strategy === 'auth0')
      throw new ManagementError(
        400,
        'operation_not_supported',
        `Parley keeps its one database connection (${DEFAULT_CONNECTION}): the server's users live there. Delete the users instead.`,
      );
    this.#save(this.#all().filter((c) => c.id !== found.id));
  }

  /** The connections a tenant export holds: every one but the database connection (which every tenant has). */
  exportable(): JsonObject[] {
    return this.#all()
      .filter((c) => c.strategy !== 'auth0')
      .map((c) => connectionJson(c));
  }
}
