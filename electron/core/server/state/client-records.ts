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
 * On open: leftovers of an interrupted write (`*.tmp-*`) are removed; a file that does not parse or fails its
 * schema is moved aside as `NAME.json.corrupt-<time>` and reported, and the other clients load as usual; a
 * clients.json from an older Parley is migrated (every client written to its own file, then the old file
 * removed; an interrupted migration simply runs again at the next start, before the server listens).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileSync as atomicWriteFileSync } from 'atomically';
import { z } from 'zod';
import type { StoreNotice } from '../../../../shared/ipc/contract';
import { now } from '../../clock';
import type { DocumentStoreFactory } from '../../store/document-store';
import { MAX_CREDENTIALS_PER_CLIENT } from './client-merge';
import { storedClientSchema } from './client-shape';
import type { StoredClient } from './client-shape';
import { openClientsDocument } from './clients-document';
import { storedCredentialSchema } from './credential-shape';
import type { StoredCredential } from './credential-shape';
import { storedGrantSchema } from './grants';
import type { StoredGrant } from './grants';

/** Clients a data directory may hold (as clients.json's schema bounded them). */
export const MAX_CLIENTS = 10_000;
/** Client grants per client: one per API audience. */
export const MAX_GRANTS_PER_CLIENT = 200;

/** One client's file. Its credentials and grants must belong to it. */
export const clientRecordSchema = z
  .object({
    version: z.literal(1),
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
        const parsed = clientRecordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        if (parsed.success) record = parsed.data;
        else failure = `the file does not match its schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
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
    // Creation order, as the Management API lists clients; readdir's order is the file system's.
    loaded.sort((a, b) => (a.client.created_at < b.client.created_at ? -1 : a.client.created_at > b.client.created_at ? 1 : a.client.client_id < b.client.client_id ? -1 : 1));
    for (const record of loaded) this.#index(deepFreeze(record));
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
    return this.#records.get(clientId);
  }

  /** Every record, in creation order. */
  values(): IterableIterator<ClientRecord> {
    return this.#records.values();
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
    const checked = clientRecordSchema.parse(record);
    if (!this.#records.has(checked.client.client_id) && this.#records.size >= MAX_CLIENTS) {
      throw new RangeError(`A tenant holds at most ${MAX_CLIENTS} clients.`);
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    atomicWriteFileSync(join(this.dir, recordFileName(checked.client.client_id)), JSON.stringify(checked), { mode: 0o600 });
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

/** Records are shared by every reader until replaced; freezing makes an accidental mutation throw. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type { StoredClient, StoredCredential, StoredGrant };
