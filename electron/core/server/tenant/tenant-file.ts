/**
 * A declared tenant (`npm run server -- --tenant FILE`): the clients, client grants, users and server
 * settings a CI run needs, in a JSON or YAML file, created at start and idempotently (applying the same file
 * twice writes nothing; a changed file updates what it declares, and leaves alone what it does not mention).
 *
 * Entries take the Management API's own shapes (POST /api/v2/clients, /client-grants, /users) and are
 * validated by the Management API's own code, so the errors are Auth0's, prefixed with the file, the entry and
 * the field: `tenant.yaml: clients[2] ("Reporting job").callbacks[0]: URL scheme "javascript:" is not allowed`.
 * What a file cannot hold inline is referenced instead: credential keys (`pem_file`, `jwk_file`, relative to
 * the tenant file; public keys or certificates only) and secrets (`password_file`/`password_env`,
 * `client_secret_file`/`client_secret_env`). The top-level keys follow Auth0's Deploy CLI (a0deploy):
 * `clients`, `clientGrants` (whose `client_id` is a client's name, as there), `connections` (POST
 * /api/v2/connections bodies matched by name; the database connection every tenant has is not declared), plus
 * Parley's `users` and `settings`.
 *
 * Loading is two steps, so that a bad file leaves the data directory as it was: `loadTenantFile` reads and
 * validates everything and plans every write against the current data (nothing written); `applyTenant`
 * then writes the plan.
 */
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ServerSettings } from '../../../../shared/schemas/server';
import { ManagementError } from '../errors';
import type { ServerSettingsStore } from '../settings';
import type { ClientRecord } from '../state/client-records';
import { parseClientGrantBody } from '../management/directory';
import type { ServerDirectory } from '../management/directory';
import { MANAGEMENT_AUDIENCE_MARKER } from '../state/grants';
import { parseUserBody } from '../state/users';
import type { StoredConnection } from '../state/connections';
import type { DeclaredUser } from '../state/users';

/** A tenant file that cannot be applied; `message` names the file, the entry and the field (one line per problem). */
export class TenantError extends Error {
  override readonly name = 'TenantError';
}

/** The server settings a tenant file may declare (the port and https are the command line's). */
export const TENANT_SETTINGS = [
  'profile',
  'loopbackAnyPort',
  'consent',
  'parEnabled',
  'parRequired',
  'issParameter',
  'jarReplayCheck',
  'clockOffsetSeconds',
  // Auth0's tenant flag enable_dynamic_client_registration (/oidc/register); absent in server.json means off.
  'dynamicClientRegistration',
] as const;
type TenantSettings = Partial<Pick<ServerSettings, (typeof TENANT_SETTINGS)[number]>>;

/** The top-level keys, with the names Auth0's Deploy CLI uses accepted as they are. */
const TOP_LEVEL = ['clients', 'clientGrants', 'client_grants', 'connections', 'users', 'settings'] as const;
/** Deploy CLI sections Parley does not emulate: named, so the error says why rather than "unknown". */
const DEPLOY_CLI_ONLY = [
  'tenant',
  'pages',
  'databases',
  'resourceServers',
  'roles',
  'rules',
  'rulesConfigs',
  'hooks',
  'actions',
  'triggers',
  'emailProvider',
  'emailTemplates',
  'guardianFactors',
  'guardianFactorProviders',
  'guardianFactorTemplates',
  'guardianPolicies',
  'guardianPhoneFactorMessageTypes',
  'guardianPhoneFactorSelectedProvider',
  'prompts',
  'branding',
  'organizations',
  'logStreams',
  'customDomains',
  'attackProtection',
  'migrations',
  'themes',
  'forms',
  'flows',
  'flowVaultConnections',
  'selfServiceProfiles',
  'networkACLs',
  'phoneProviders',
  'userAttributeProfiles',
  'connectionProfiles',
  'riskAssessments',
  'keywordMappings',
];
/** Parley's keys in a client entry besides the Management API body. */
const CLIENT_EXTRAS = ['client_id', 'client_secret', 'client_secret_file', 'client_secret_env'] as const;
const CREDENTIAL_SOURCES = ['pem', 'pem_file', 'jwk_file'] as const;
const MAX_ENTRIES = 10_000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

interface PlannedClient {
  index: number;
  label: string;
  /** The client's id once applied (planned for a new client). */
  clientId: string;
  /** undefined: already as declared. */
  record: ClientRecord | undefined;
  created: boolean;
}

interface PlannedConnection {
  label: string;
  /** undefined: already as declared. */
  record: StoredConnection | undefined;
}

interface PlannedGrant {
  label: string;
  clientIndex: number;
  audience: string;
  scope: string[];
}

/** A validated tenant file and the writes it needs, planned against the data directory as it is. */
export interface TenantPlan {
  readonly file: string;
  readonly clients: PlannedClient[];
  readonly grants: PlannedGrant[];
  readonly users: DeclaredUser[];
  readonly connections: PlannedConnection[];
  readonly settings: TenantSettings;
}

/** What applying a plan did. */
export interface TenantSummary {
  clients: { created: number; updated: number; unchanged: number };
  grants: { changed: number; unchanged: number };
  users: { changed: number; unchanged: number };
  connections: { changed: number; unchanged: number };
  settings: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems so that one run reports every bad entry, not just the first. */
class Problems {
  readonly lines: string[] = [];
  constructor(readonly file: string) {}
  add(where: string, message: string): void {
    this.lines.push(`${this.file}: ${where}${where === '' ? '' : ': '}${message}`);
  }
  /** A ManagementError from the Management API's validation, placed under `where`. */
  addError(where: string, e: unknown, prefix = ''): void {
    if (e instanceof ManagementError && e.field) {
      const path = prefix + e.field.path;
      this.add(path === '' ? where : `${where}.${path}`, e.field.what);
    } else if (e instanceof ManagementError || e instanceof TenantError) {
      this.add(where, e.message);
    } else {
      throw e;
    }
  }
  throwIfAny(): void {
    if (this.lines.length > 0) throw new TenantError(this.lines.join('\n'));
  }
}

/** Reads a JSON or YAML tenant file (by extension; anything else is tried as JSON, then YAML). */
function readTenantDocument(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TenantError(`${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (Buffer.byteLength(text) > MAX_FILE_BYTES)
    throw new TenantError(`${shown}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; a tenant file holds declarations, not data`);
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new TenantError(`${shown}: not valid JSON (${(e as Error).message})`);
    }
  }
  try {
    // YAML 1.2's core schema (no dates, no custom tags); duplicate keys are an error, as a typo usually is.
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100, prettyErrors: true }) as unknown;
  } catch (e) {
    throw new TenantError(`${shown}: not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON or YAML'} (${(e as Error).message.split('\n')[0]})`);
  }
}

/** A secret given as `KEY`, `KEY_file` or `KEY_env`: inline, the first line of a file, or an environment variable. */
function secret(entry: Json, key: string, base: string, where: string, problems: Problems): string | undefined {
  const given = [key, `${key}_file`, `${key}_env`].filter((k) => entry[k] !== undefined);
  if (given.length > 1) {
    problems.add(where, `give one of ${given.join(', ')}, not several`);
    return undefined;
  }
  const [k] = given;
  if (k === undefined) return undefined;
  const value = entry[k];
  if (typeof value !== 'string' || value === '') {
    problems.add(`${where}.${k}`, 'Expected a non-empty string');
    return undefined;
  }
  if (k === key) return value;
  if (k.endsWith('_env')) {
    const v = process.env[value];
    if (v === undefined || v === '') problems.add(`${where}.${k}`, `the environment variable ${value} is not set`);
    return v || undefined;
  }
  try {
    const line = readFileSync(resolve(base, value), 'utf8').split(/\r?\n/, 1)[0] ?? '';
    if (line === '') problems.add(`${where}.${k}`, `${value} is empty`);
    return line || undefined;
  } catch (e) {
    problems.add(`${where}.${k}`, `${value} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  }
}

/** JWK members only a private key has (RFC 7518 §6.2.2, §6.3.2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * A credential entry as the Management API takes it: `pem_file` and `jwk_file` become `pem` (a JWK's public
 * key exported as SPKI PEM by Node's crypto, its `alg` used when the entry gives none). A private key is
 * refused here, by file name, before the Management API's own check (which would say the same less precisely).
 */
function credentialBody(entry: unknown, base: string, where: string, problems: Problems): unknown {
  if (!isObject(entry)) return entry; // the Management API's validation names the wrong type
  const sources = CREDENTIAL_SOURCES.filter((k) => entry[k] !== undefined);
  if (sources.length !== 1) {
    problems.add(
      where,
      sources.length === 0
        ? 'give the key as pem_file (a public key or certificate PEM), jwk_file (a public JWK) or pem'
        : `give one of ${sources.join(', ')}, not several`,
    );
    return undefined;
  }
  const { pem_file: pemFile, jwk_file: jwkFile, ...rest } = entry;
  const body: Json = { credential_type: 'public_key', ...rest };
  const source = sources[0]!;
  if (source === 'pem') {
    if (typeof entry.pem === 'string' && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(entry.pem)) {
      problems.add(`${where}.pem`, 'is a private key; give the public key or certificate');
      return undefined;
    }
    return body;
  }
  const name = source === 'pem_file' ? pemFile : jwkFile;
  if (typeof name !== 'string' || name === '') {
    problems.add(`${where}.${source}`, 'Expected a file name');
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(resolve(base, name), 'utf8');
  } catch (e) {
    problems.add(`${where}.${source}`, `${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  }
  if (source === 'pem_file') {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
      problems.add(`${where}.pem_file`, `${name} is a private key; give the public key or certificate`);
      return undefined;
    }
    return { ...body, pem: text };
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch (e) {
    problems.add(`${where}.jwk_file`, `${name} is not valid JSON (${(e as Error).message})`);
    return undefined;
  }
  if (!isObject(jwk)) {
    problems.add(`${where}.jwk_file`, `${name} is not a JWK (a JSON object)`);
    return undefined;
  }
  if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
    problems.add(`${where}.jwk_file`, `${name} is a private key; give the public key or certificate`);
    return undefined;
  }
  let pem: string;
  try {
    pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch (e) {
    problems.add(`${where}.jwk_file`, `${name} is not a usable public JWK (${(e as Error).message})`);
    return undefined;
  }
  return { ...body, pem, ...(body.alg === undefined && typeof jwk.alg === 'string' ? { alg: jwk.alg } : {}) };
}

/** The Management API create body of a client entry, with credential files read. */
function clientBody(entry: Json, base: string, where: string, problems: Problems): Json {
  const body: Json = Object.fromEntries(Object.entries(entry).filter(([k]) => !(CLIENT_EXTRAS as readonly string[]).includes(k)));
  const slot = (path: string[], holder: unknown): void => {
    if (!isObject(holder) || !Array.isArray(holder.credentials)) return; // left to the Management API's validation
    holder.credentials = holder.credentials.map((c, i) => credentialBody(c, base, `${where}.${[...path, 'credentials'].join('.')}[${i}]`, problems));
  };
  if (isObject(body.client_authentication_methods)) {
    const cam = { ...body.client_authentication_methods };
    if (isObject(cam.private_key_jwt)) {
      cam.private_key_jwt = { ...cam.private_key_jwt };
      slot(['client_authentication_methods', 'private_key_jwt'], cam.private_key_jwt);
    }
    body.client_authentication_methods = cam;
  }
  if (isObject(body.signed_request_object)) {
    body.signed_request_object = { ...body.signed_request_object };
    slot(['signed_request_object'], body.signed_request_object);
  }
  return body;
}

function entries(doc: Json, key: string, problems: Problems): unknown[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(key, 'Expected a list');
    return [];
  }
  if (value.length > MAX_ENTRIES) {
    problems.add(key, `more than ${MAX_ENTRIES} entries`);
    return [];
  }
  return value;
}

/**
 * Reads and validates a tenant file and plans its writes against `directory` (nothing is written). Throws a
 * TenantError naming every problem found.
 */
export async function loadTenantFile(path: string, directory: ServerDirectory, options: { shownAs?: string } = {}): Promise<TenantPlan> {
  const shown = options.shownAs ?? path;
  const base = dirname(resolve(path));
  const doc = readTenantDocument(path, shown);
  const problems = new Problems(shown);
  if (!isObject(doc)) throw new TenantError(`${shown}: expected a mapping with clients, clientGrants, users or settings at the top`);
  for (const key of Object.keys(doc)) {
    if ((TOP_LEVEL as readonly string[]).includes(key)) continue;
    if (DEPLOY_CLI_ONLY.includes(key)) problems.add(key, `Auth0 Deploy CLI's ${key} section is not emulated by Parley; remove it from this file`);
    else problems.add(key, `unknown section; a tenant file holds ${TOP_LEVEL.filter((k) => k !== 'client_grants').join(', ')}`);
  }
  if (doc.clientGrants !== undefined && doc.client_grants !== undefined) problems.add('client_grants', 'give clientGrants or client_grants, not both');

  // ---- clients ----
  const clients: PlannedClient[] = [];
  const byName = new Map<string, number>();
  const byId = new Map<string, number>();
  const clientEntries = entries(doc, 'clients', problems);
  for (const [index, entry] of clientEntries.entries()) {
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    const label = name === undefined ? `clients[${index}]` : `clients[${index}] (${JSON.stringify(name)})`;
    if (!isObject(entry)) {
      problems.add(label, 'Expected a mapping (an object) for the client');
      continue;
    }
    if (name !== undefined) {
      const first = byName.get(name);
      if (first !== undefined) {
        problems.add(`${label}.name`, `duplicate client name; clients[${first}] has it too (clients are matched by name)`);
        continue;
      }
      byName.set(name, index);
    }
    const before = problems.lines.length;
    const declaredId = entry.client_id;
    if (declaredId !== undefined && (typeof declaredId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(declaredId))) {
      problems.add(`${label}.client_id`, 'a client_id of 1 to 64 letters, digits, "-" or "_" is needed');
    } else if (typeof declaredId === 'string') {
      const first = byId.get(declaredId);
      if (first !== undefined) problems.add(`${label}.client_id`, `duplicate client_id; clients[${first}] has it too`);
      byId.set(declaredId, index);
      if (directory.isDeclarableClient(declaredId) === 'management')
        problems.add(`${label}.client_id`, 'is the Parley Management API client, which a tenant file cannot change');
    }
    const clientSecret = secret(entry, 'client_secret', base, label, problems);
    const body = clientBody(entry, base, label, problems);
    if (problems.lines.length > before) continue;
    let existing: string | undefined;
    if (typeof declaredId === 'string' && directory.isDeclarableClient(declaredId) === true) existing = declaredId;
    else if (typeof declaredId !== 'string' && name !== undefined) {
      const named = directory.clientIdsNamed(name);
      if (named.length > 1) {
        problems.add(`${label}.name`, `${named.length} clients of the data directory have this name (${named.join(', ')}); give client_id to say which`);
        continue;
      }
      existing = named[0];
    }
    try {
      const record = await directory.planDeclaredClient(existing, body, {
        ...(typeof declaredId === 'string' ? { client_id: declaredId } : {}),
        ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
      });
      clients.push({ index, label, clientId: record?.client.client_id ?? existing!, record, created: existing === undefined });
    } catch (e) {
      problems.addError(label, e);
    }
  }

  // ---- client grants (client_id is a client's name, as in Auth0's Deploy CLI, or a client_id) ----
  const grants: PlannedGrant[] = [];
  const grantKey = doc.clientGrants !== undefined ? 'clientGrants' : 'client_grants';
  const seenGrants = new Map<string, number>();
  for (const [index, entry] of entries(doc, grantKey, problems).entries()) {
    const label = `${grantKey}[${index}]`;
    if (!isObject(entry)) {
      problems.add(label, 'Expected a mapping (an object) for the client grant');
      continue;
    }
    const management = entry.audience === MANAGEMENT_AUDIENCE_MARKER;
    let parsed: { clientId: string; audience: string; scope: string[] };
    try {
      // The Management API's own audience is written `management`: its URL carries the port, unknown in advance.
      parsed = parseClientGrantBody(management ? { ...entry, audience: 'https://management.invalid/' } : entry);
    } catch (e) {
      problems.addError(label, e);
      continue;
    }
    const ref = parsed.clientId;
    const target = byName.get(ref) ?? byId.get(ref) ?? clients.find((c) => c.clientId === ref)?.index;
    const client = target === undefined ? undefined : clients.find((c) => c.index === target);
    if (!client) {
      // A client with errors of its own has been reported already; its grants would only repeat that.
      if (target === undefined)
        problems.add(
          `${label}.client_id`,
          `no client named ${JSON.stringify(ref)} in this file (client_id names a client of the file, as in Auth0's Deploy CLI)`,
        );
      continue;
    }
    const audience = management ? MANAGEMENT_AUDIENCE_MARKER : parsed.audience;
    const key = `${client.index} ${audience}`;
    if (seenGrants.has(key)) {
      problems.add(label, `duplicate grant for this client and audience; ${grantKey}[${seenGrants.get(key)!}] has it too`);
      continue;
    }
    seenGrants.set(key, index);
    grants.push({ label, clientIndex: client.index, audience, scope: parsed.scope });
  }

  // ---- users (matched by email) ----
  const users: DeclaredUser[] = [];
  const seenEmails = new Map<string, number>();
  for (const [index, entry] of entries(doc, 'users', problems).entries()) {
    const email = isObject(entry) && typeof entry.email === 'string' ? entry.email : undefined;
    const label = email === undefined ? `users[${index}]` : `users[${index}] (${JSON.stringify(email)})`;
    if (!isObject(entry)) {
      problems.add(label, 'Expected a mapping (an object) for the user');
      continue;
    }
    const before = problems.lines.length;
    const password = secret(entry, 'password', base, label, problems);
    if (problems.lines.length > before) continue;
    const { password_file: _f, password_env: _e, ...rest } = entry;
    try {
      const user = parseUserBody({ ...rest, ...(password === undefined ? {} : { password }) }, undefined, true);
      const first = seenEmails.get(user.email);
      if (first !== undefined) {
        problems.add(`${label}.email`, `duplicate user; users[${first}] has this email too`);
        continue;
      }
      seenEmails.set(user.email, index);
      if (password === undefined && directory.userIdByEmail(user.email) === undefined) {
        problems.add(label, 'a new user needs password_file or password_env (or password)');
        continue;
      }
      users.push({
        email: user.email,
        ...(password === undefined ? {} : { password }),
        ...(rest.name === undefined ? {} : { name: user.name }),
        ...(rest.email_verified === undefined ? {} : { emailVerified: user.emailVerified }),
      });
    } catch (e) {
      problems.addError(label, e);
    }
  }

  // ---- connections (matched by name; Auth0's POST /api/v2/connections bodies, as the Deploy CLI's section) ----
  const connections: PlannedConnection[] = [];
  const seenConnections = new Map<string, number>();
  for (const [index, entry] of entries(doc, 'connections', problems).entries()) {
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    const label = name === undefined ? `connections[${index}]` : `connections[${index}] (${JSON.stringify(name)})`;
    if (!isObject(entry)) {
      problems.add(label, 'Expected a mapping (an object) for the connection');
      continue;
    }
    if (name !== undefined) {
      const first = seenConnections.get(name.toLowerCase());
      if (first !== undefined) {
        problems.add(`${label}.name`, `duplicate connection name; connections[${first}] has it too (connections are matched by name)`);
        continue;
      }
      seenConnections.set(name.toLowerCase(), index);
    }
    try {
      connections.push({ label, record: directory.planDeclaredConnection(entry) });
    } catch (e) {
      problems.addError(label, e);
    }
  }

  // ---- settings ----
  const settings: TenantSettings = {};
  if (doc.settings !== undefined) {
    if (!isObject(doc.settings)) problems.add('settings', 'Expected a mapping (an object)');
    else {
      for (const [key, value] of Object.entries(doc.settings)) {
        const where = `settings.${key}`;
        if (!(TENANT_SETTINGS as readonly string[]).includes(key)) {
          problems.add(
            where,
            key === 'port' || key === 'https'
              ? 'is set on the command line (--port, --https), not in a tenant file'
              : `unknown setting; a tenant file may set ${TENANT_SETTINGS.join(', ')}`,
          );
        } else if (key === 'profile') {
          if (value !== 'auth0' && value !== 'strict') problems.add(where, `must be auth0 or strict, not ${JSON.stringify(value)}`);
          else settings.profile = value;
        } else if (key === 'clockOffsetSeconds') {
          if (typeof value !== 'number' || !Number.isInteger(value)) problems.add(where, 'Expected an integer number of seconds');
          else settings.clockOffsetSeconds = value;
        } else if (typeof value !== 'boolean') problems.add(where, `Expected type boolean but found type ${value === null ? 'null' : typeof value}`);
        else settings[key as Exclude<(typeof TENANT_SETTINGS)[number], 'profile' | 'clockOffsetSeconds'>] = value;
      }
    }
  }

  problems.throwIfAny();
  return { file: shown, clients, grants, users, connections, settings };
}

/** Writes a plan made by loadTenantFile: clients (one atomic write each), grants, users, connections, then settings. */
export async function applyTenant(plan: TenantPlan, directory: ServerDirectory, settingsStore: ServerSettingsStore): Promise<TenantSummary> {
  const summary: TenantSummary = {
    clients: { created: 0, updated: 0, unchanged: 0 },
    grants: { changed: 0, unchanged: 0 },
    users: { changed: 0, unchanged: 0 },
    connections: { changed: 0, unchanged: 0 },
    settings: false,
  };
  for (const c of plan.clients) {
    if (!c.record) {
      summary.clients.unchanged += 1;
      continue;
    }
    directory.commitDeclaredClient(c.record);
    summary.clients[c.created ? 'created' : 'updated'] += 1;
  }
  const idOf = new Map(plan.clients.map((c) => [c.index, c.clientId]));
  for (const g of plan.grants) {
    if (directory.declareClientGrant(idOf.get(g.clientIndex)!, g.audience, g.scope)) summary.grants.changed += 1;
    else summary.grants.unchanged += 1;
  }
  for (const u of plan.users) {
    if (await directory.declareUser(u)) summary.users.changed += 1;
    else summary.users.unchanged += 1;
  }
  for (const c of plan.connections) {
    if (!c.record) summary.connections.unchanged += 1;
    else {
      directory.commitDeclaredConnection(c.record);
      summary.connections.changed += 1;
    }
  }
  const saved = settingsStore.saved();
  if ((Object.keys(plan.settings) as (keyof TenantSettings)[]).some((k) => saved[k] !== plan.settings[k])) {
    settingsStore.update(plan.settings);
    summary.settings = true;
  }
  return summary;
}
