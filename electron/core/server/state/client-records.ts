/**
 * The clients' store: one JSON file per client in `clients/` of the data directory, holding the client, its
 * credentials (public PEMs only) and its client grants — everything a Management write touches at once, so
 * one write is one atomic file replacement (atomically: temp file, fsync, rename), whatever the tenant's
 * size. The whole-document clients.json this replaces cost a rewrite of every client on every write
 * (docs/architecture.md, "The clients' store").
 *
 * File names are the hex of the client_id's UTF-8 bytes: client ids differ by case ("abc", "ABC") and the
 * data directory may sit on a case-insensitive file system (macOS, Windows), where the id itself would clash.
 *
 * Each record carries a creation number (`seq`), given by the store: clients are listed in creation order, and
 * created_at ties for clients made in the same millisecond.
 *
 * On open: leftovers of an interrupted write (`*.tmp-*`) are removed; every file is read synchronously (faster
 * here than a pool of async reads) and checked by looksLikeStoredRecord, with the schema deciding whatever that
 * cheaper check does not recognise; a file that does not parse or fails its schema is moved aside as `NAME.json.corrupt-<time>` and reported, and the other clients load as usual; a
 * clients.json from an older Parley is migrated (every client written to its own file, then the old file
 * removed; an interrupted migration simply runs again at the next start, before the server listens).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileSync as atomicWriteFileSync } from 'atomically';
import { z } from 'zod';
import { now } from '../../clock';
import type { DocumentStoreFactory } from '../../store/document-store';
import { MAX_CREDENTIALS_PER_CLIENT } from '../management/client-merge';
import { APP_TYPES, COMPLIANCE_LEVELS, ID_TOKEN_ALGS, storedClientSchema } from './client-shape';
import type { StoredClient } from './client-shape';
import { openClientsDocument } from './clients-document';
import { storedCredentialSchema } from './credential-shape';
import type { StoredCredential } from './credential-shape';
import { storedGrantSchema } from './grants';
import type { StoredGrant } from './grants';
import type { StoreNotice } from '../../../../shared/schemas/app';

/** Clients a data directory may hold (as clients.json's schema bounded them). */
export const MAX_CLIENTS = 10_000;
/** Client grants per client: one per API audience. */
export const MAX_GRANTS_PER_CLIENT = 200;

/** One client's file. Its credentials and grants must belong to it. */
export const clientRecordSchema = z
  .object({
    version: z.literal(1),
    /**
     * Creation order, given by the store (callers never set it): the Management API lists clients in creation
     * order, and created_at alone cannot keep it across a restart, since clients made in the same millisecond
     * tie. Optional so a hand-written file still loads (after the numbered ones).
     */
    seq: z.number().int().nonnegative().optional(),
    client: storedClientSchema,
    credentials: z.array(storedCredentialSchema).max(MAX_CREDENTIALS_PER_CLIENT),
    grants: z.array(storedGrantSchema).max(MAX_GRANTS_PER_CLIENT),
  })
  .strict()
  .refine((r) => r.credentials.every((c) => c.client_id === r.client.client_id) && r.grants.every((g) => g.client_id === r.client.client_id), {
    message: 'every credential and grant must belong to the client of its file',
  });

/** A client with its credentials and grants, as one file holds them. Frozen once stored: replaced, never mutated. */
export type ClientRecord = z.infer<typeof clientRecordSchema>;

/**
 * A cheaper check of a record read at start-up, for the common case of a file this store wrote. It is
 * conservative: it accepts only what clientRecordSchema accepts (every field, bound, enum, refinement and
 * `.strict()`); anything else goes to clientRecordSchema, which decides and names the problem. A schema
 * change this check does not know about therefore costs start-up time, never correctness
 * (test/fuzz/client-record-check.test.ts: every record it accepts, the schema accepts too). At 10,000
 * clients it takes a few milliseconds where the schema takes about a hundred in a fresh process, and it
 * copies nothing (docs/performance.md, "Tenant size").
 */
export function looksLikeStoredRecord(value: unknown): value is ClientRecord {
  if (!isPlain(value) || !onlyKeys(value, RECORD_KEYS) || value.version !== 1) return false;
  if (!optional(value, 'seq', (v) => Number.isSafeInteger(v) && (v as number) >= 0)) return false;
  const { client, credentials, grants } = value;
  if (!isStoredClient(client) || !Array.isArray(credentials) || !Array.isArray(grants)) return false;
  if (credentials.length > MAX_CREDENTIALS_PER_CLIENT || grants.length > MAX_GRANTS_PER_CLIENT) return false;
  const id = client.client_id;
  return credentials.every((c) => isStoredCredential(c) && c.client_id === id) && grants.every((g) => isStoredGrant(g) && g.client_id === id);
}

type Plain = Record<string, unknown>;
const RECORD_KEYS = new Set(['version', 'seq', 'client', 'credentials', 'grants']);
const CLIENT_KEYS = new Set(Object.keys(storedClientSchema.shape));
const CREDENTIAL_KEYS = new Set(Object.keys(storedCredentialSchema.shape));
const GRANT_KEYS = new Set(Object.keys(storedGrantSchema.shape));
const REFRESH_KEYS = new Set([
  'rotation_type',
  'expiration_type',
  'leeway',
  'token_lifetime',
  'infinite_token_lifetime',
  'infinite_idle_token_lifetime',
  'idle_token_lifetime',
]);
const JWT_KEYS = new Set(['secret_encoded', 'alg', 'lifetime_in_seconds']);
const PKJ_KEYS = new Set(['private_key_jwt']);
const CREDENTIALS_KEY = new Set(['credentials']);
const SRO_KEYS = new Set(['required', 'credentials']);
const APP_TYPE_SET = new Set<unknown>(APP_TYPES);
const ID_TOKEN_ALG_SET = new Set<unknown>(ID_TOKEN_ALGS);
const COMPLIANCE_SET = new Set<unknown>(COMPLIANCE_LEVELS);
const AUTH_METHOD_SET = new Set<unknown>(['none', 'client_secret_post', 'client_secret_basic']);
const CREDENTIAL_ALG_SET = new Set<unknown>(['RS256', 'RS384', 'PS256']);
const CREDENTIAL_ID = /^cred_[A-Za-z0-9]{1,64}$/;

/** An object as JSON.parse makes them (no class instances, no arrays). */
function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Every own key known (`.strict()`); `__proto__` and the like are in none of these sets. */
function onlyKeys(o: Plain, keys: ReadonlySet<string>): boolean {
  for (const k of Object.keys(o)) if (!keys.has(k)) return false;
  return true;
}

/** A string of `min`..`max` UTF-16 code units, as zod's min/max count. */
function str(v: unknown, min = 0, max = Number.POSITIVE_INFINITY): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

/** An absent key, or a present one that passes (JSON has no `undefined`). */
function optional(o: Plain, key: string, check: (v: unknown) => boolean): boolean {
  return !Object.hasOwn(o, key) || check(o[key]);
}

function strings(v: unknown, maxItems: number, min = 0, max = Number.POSITIVE_INFINITY): boolean {
  return Array.isArray(v) && v.length <= maxItems && v.every((x) => str(x, min, max));
}

const urlList = (v: unknown): boolean => strings(v, 100, 0, 2048);
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';

function isStoredClient(c: unknown): c is StoredClient {
  if (!isPlain(c) || !onlyKeys(c, CLIENT_KEYS)) return false;
  const jwt = c.jwt_configuration;
  const refresh = c.refresh_token;
  return (
    str(c.client_id, 1, 128) &&
    str(c.client_secret, 1) &&
    str(c.name, 0, 255) &&
    optional(c, 'description', (v) => str(v, 0, 140)) &&
    optional(c, 'app_type', (v) => APP_TYPE_SET.has(v)) &&
    optional(c, 'logo_uri', (v) => str(v, 0, 2048)) &&
    isBoolean(c.is_first_party) &&
    isBoolean(c.is_token_endpoint_ip_header_trusted) &&
    isBoolean(c.oidc_conformant) &&
    isPlain(jwt) &&
    onlyKeys(jwt, JWT_KEYS) &&
    isBoolean(jwt.secret_encoded) &&
    optional(jwt, 'alg', (v) => ID_TOKEN_ALG_SET.has(v)) &&
    optional(jwt, 'lifetime_in_seconds', Number.isSafeInteger) &&
    isBoolean(c.sso_disabled) &&
    isBoolean(c.cross_origin_authentication) &&
    optional(c, 'callbacks', urlList) &&
    optional(c, 'allowed_logout_urls', urlList) &&
    optional(c, 'allowed_origins', urlList) &&
    optional(c, 'web_origins', urlList) &&
    optional(c, 'initiate_login_uri', (v) => str(v, 0, 2048)) &&
    strings(c.grant_types, 32, 0, 256) &&
    isBoolean(c.custom_login_page_on) &&
    (c.token_endpoint_auth_method === null || AUTH_METHOD_SET.has(c.token_endpoint_auth_method)) &&
    isPlain(refresh) &&
    onlyKeys(refresh, REFRESH_KEYS) &&
    (refresh.rotation_type === 'rotating' || refresh.rotation_type === 'non-rotating') &&
    (refresh.expiration_type === 'expiring' || refresh.expiration_type === 'non-expiring') &&
    Number.isSafeInteger(refresh.leeway) &&
    Number.isSafeInteger(refresh.token_lifetime) &&
    isBoolean(refresh.infinite_token_lifetime) &&
    isBoolean(refresh.infinite_idle_token_lifetime) &&
    Number.isSafeInteger(refresh.idle_token_lifetime) &&
    optional(
      c,
      'client_authentication_methods',
      (cam) =>
        isPlain(cam) &&
        onlyKeys(cam, PKJ_KEYS) &&
        isPlain(cam.private_key_jwt) &&
        onlyKeys(cam.private_key_jwt, CREDENTIALS_KEY) &&
        strings(cam.private_key_jwt.credentials, 2),
    ) &&
    optional(
      c,
      'signed_request_object',
      (sro) => isPlain(sro) && onlyKeys(sro, SRO_KEYS) && optional(sro, 'required', isBoolean) && optional(sro, 'credentials', (v) => strings(v, 2)),
    ) &&
    optional(c, 'require_pushed_authorization_requests', isBoolean) &&
    optional(c, 'require_proof_of_possession', isBoolean) &&
    optional(c, 'compliance_level', (v) => v === null || COMPLIANCE_SET.has(v)) &&
    optional(c, 'client_metadata', (m) => isPlain(m) && Object.values(m).every((v) => str(v, 0, 255))) &&
    typeof c.created_at === 'string' &&
    optional(c, 'parley_management', (v) => v === true)
  );
}

function isStoredCredential(c: unknown): c is StoredCredential {
  return (
    isPlain(c) &&
    onlyKeys(c, CREDENTIAL_KEYS) &&
    typeof c.id === 'string' &&
    CREDENTIAL_ID.test(c.id) &&
    str(c.client_id, 1, 128) &&
    c.credential_type === 'public_key' &&
    str(c.kid, 1, 128) &&
    str(c.thumbprint, 1, 128) &&
    CREDENTIAL_ALG_SET.has(c.alg) &&
    str(c.name, 0, 128) &&
    typeof c.created_at === 'string' &&
    typeof c.updated_at === 'string' &&
    (c.expires_at === null || typeof c.expires_at === 'string') &&
    typeof c.pem === 'string' &&
    c.pem.startsWith('-----BEGIN PUBLIC KEY-----') &&
    !c.pem.includes('PRIVATE') &&
    (c.source === 'public_key' || c.source === 'certificate')
  );
}

function isStoredGrant(g: unknown): g is StoredGrant {
  return (
    isPlain(g) &&
    onlyKeys(g, GRANT_KEYS) &&
    str(g.id, 1, 64) &&
    str(g.client_id, 1, 128) &&
    str(g.audience, 1, 2048) &&
    strings(g.scope, 200, 1, 280) &&
    typeof g.created_at === 'string'
  );
}

/** The folder of client files inside a data directory. */
export const CLIENTS_FOLDER = 'clients';

/** The file name of a client's record. */
export function recordFileName(clientId: string): string {
  return `${Buffer.from(clientId, 'utf8').toString('hex')}.json`;
}

const TEMP = /\.tmp-\d{10}[a-f0-9]{6}$/;

/** The client records of a data directory, all in memory, each write one file. */
export class ClientRecords {
  readonly dir: string;
  readonly #records = new Map<string, ClientRecord>();
  /** Grant id → its client. */
  readonly #grantOwner = new Map<string, string>();
  /** The creation number of the next new client. */
  #nextSeq = 0;
  /** Whether `clients/` is known to exist: made once, not checked on every write. */
  #dirMade = false;

  /**
   * Opens `clients/` beside the factory's documents. `legacy` reads an older Parley's clients.json (with the
   * document store's own corrupt-file handling) for the migration.
   */
  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    const legacyFile = store('clients');
    this.dir = join(dirname(legacyFile.path), CLIENTS_FOLDER);
    this.#load(notices);
    if (existsSync(legacyFile.path)) this.#migrate(store, legacyFile.path, notices);
  }

  #load(notices: StoreNotice[]): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return; // no clients yet
    }
    this.#dirMade = true;
    const loaded: ClientRecord[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      if (TEMP.test(name)) {
        // A write interrupted before its rename: never read, may hold a client secret.
        rmSync(path, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue; // moved-aside files and anything else a user left here
      let failure: string | undefined;
      let record: ClientRecord | undefined;
      try {
        const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
        // The schema only for what the cheaper check does not recognise: it decides, and names the problem.
        const parsed = looksLikeStoredRecord(json) ? { success: true as const, data: json } : clientRecordSchema.safeParse(json);
        if (parsed.success) record = parsed.data;
        else
          failure = `the file does not match its schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
      } catch (e) {
        failure = `the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`;
      }
      if (record && recordFileName(record.client.client_id) !== name) failure = `the file name does not match its client_id ${record.client.client_id}`;
      if (record && failure === undefined && loaded.length >= MAX_CLIENTS) failure = `more than ${MAX_CLIENTS} clients`;
      if (failure !== undefined || !record) {
        moveAside(path, failure ?? 'unreadable', notices);
        continue;
      }
      loaded.push(record);
    }
    // Creation order, as the Management API lists clients; readdir's order is the file system's. Numbered
    // records by their number; any without one (a hand-written file) after them, by created_at then client_id.
    const key = (r: ClientRecord): number => r.seq ?? Number.POSITIVE_INFINITY;
    loaded.sort(
      (a, b) =>
        key(a) - key(b) ||
        (a.client.created_at < b.client.created_at ? -1 : a.client.created_at > b.client.created_at ? 1 : a.client.client_id < b.client.client_id ? -1 : 1),
    );
    for (const r of loaded) if (r.seq !== undefined && r.seq >= this.#nextSeq) this.#nextSeq = r.seq + 1;
    // Frozen on first read (get, values), not here: at 10,000 clients freezing every one would cost start-up
    // tens of milliseconds for records most runs never read.
    for (const record of loaded) this.#index(record);
  }

  /** Moves an older Parley's clients.json into one file per client, then removes it. */
  #migrate(store: DocumentStoreFactory, path: string, notices: StoreNotice[]): void {
    const doc = openClientsDocument(store, notices).value; // an unreadable file is moved aside and reported there
    if (!existsSync(path)) return;
    for (const client of doc.clients) {
      const record: ClientRecord = {
        version: 1,
        client,
        credentials: doc.credentials.filter((c) => c.client_id === client.client_id),
        grants: doc.grants.filter((g) => g.client_id === client.client_id),
      };
      this.put(record);
    }
    const kept = new Set(doc.clients.map((c) => c.client_id));
    const orphans = doc.credentials.filter((c) => !kept.has(c.client_id)).length + doc.grants.filter((g) => !kept.has(g.client_id)).length;
    if (orphans > 0) {
      // Credentials or grants of no client (a hand-edited file): unusable, but kept for the user to see.
      moveAside(path, `${orphans} credentials or grants belonged to no client; the clients were migrated to ${this.dir}`, notices);
      return;
    }
    rmSync(path, { force: true });
  }

  #index(record: ClientRecord): void {
    const previous = this.#records.get(record.client.client_id);
    if (previous) for (const g of previous.grants) this.#grantOwner.delete(g.id);
    this.#records.set(record.client.client_id, record);
    for (const g of record.grants) this.#grantOwner.set(g.id, record.client.client_id);
  }

  /** How many clients are stored. */
  get size(): number {
    return this.#records.size;
  }

  /** One client's record. */
  get(clientId: string): ClientRecord | undefined {
    const record = this.#records.get(clientId);
    return record && deepFreeze(record);
  }

  /** Every record, in creation order. */
  *values(): IterableIterator<ClientRecord> {
    for (const record of this.#records.values()) yield deepFreeze(record);
  }

  /** The client that holds a grant. */
  grantOwner(grantId: string): string | undefined {
    return this.#grantOwner.get(grantId);
  }

  /**
   * Validates and writes one client's record (atomically, synchronously: callers check and write in one step,
   * so concurrent requests never lose each other's writes), then serves it. Throws before anything changes
   * when the record is invalid.
   */
  put(record: ClientRecord): ClientRecord {
    const previous = this.#records.get(record.client.client_id);
    // The store numbers clients: a new one gets the next number, a replaced one keeps its own.
    const seq = previous ? previous.seq : this.#nextSeq;
    const { seq: _given, ...rest } = record;
    const checked = clientRecordSchema.parse(seq === undefined ? rest : { ...rest, seq });
    if (!previous && this.#records.size >= MAX_CLIENTS) {
      throw new RangeError(`A tenant holds at most ${MAX_CLIENTS} clients.`);
    }
    if (!this.#dirMade) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.#dirMade = true;
    }
    // Temp file, write, fsync, rename: a write acknowledged is on disk, and a SIGKILL at any point leaves the
    // old or the new file, never a torn one. `chown: false`: the files are this process's own, so atomically
    // need not stat the old file for its owner on every write. The folder is not fsynced after the rename:
    // that guards against power loss only, not a killed process, and measured as much again as the file's
    // fsync (docs/performance.md, "Tenant size").
    atomicWriteFileSync(join(this.dir, recordFileName(checked.client.client_id)), JSON.stringify(checked), { mode: 0o600, chown: false });
    if (!previous) this.#nextSeq++;
    const frozen = deepFreeze(checked);
    this.#index(frozen);
    return frozen;
  }

  /** Removes a client's record (its credentials and grants go with it). */
  remove(clientId: string): void {
    const record = this.#records.get(clientId);
    if (!record) return;
    rmSync(join(this.dir, recordFileName(clientId)), { force: true });
    for (const g of record.grants) this.#grantOwner.delete(g.id);
    this.#records.delete(clientId);
  }
}

function moveAside(path: string, reason: string, notices: StoreNotice[]): void {
  const movedTo = `${path}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, movedTo);
  notices.push({ file: path, movedTo, reason, at: now().toISOString() });
}

/** Records are shared by every reader until replaced; freezing makes an accidental mutation throw. A frozen record returns at once. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type { StoredClient, StoredCredential, StoredGrant };
