/**
 * `npm run server -- --export-tenant FILE`: the data directory's tenant in the form `--tenant` reads (YAML,
 * or JSON for a `.json` name), so a tenant set up by hand or through the Management API can be kept in a
 * repository and replayed in CI. Credentials are written inline as their public PEMs; client ids are kept
 * (`client_id`), so a re-import matches the same clients. No secret is written unless asked
 * (`--include-secrets`: client secrets and connections' upstream `options.client_secret`; user passwords are stored only as scrypt hashes and are never
 * exported — a re-created user needs password_file or password_env).
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { ServerSettings } from '../../../../shared/schemas/server';
import { CLIENT_PROPS } from '../management/client-input';
import type { ClientRecord } from '../state/client-records';
import { clientJson } from '../state/client-shape';
import type { StoredCredential } from '../state/credential-shape';
import type { ServerDirectory } from '../management/directory';
import { TENANT_SETTINGS } from './tenant-file';

/** The tenant as a tenant file holds it. */
export function exportTenant(directory: ServerDirectory, settings: ServerSettings, options: { includeSecrets?: boolean } = {}): Record<string, unknown> {
  const { clients, users } = directory.exportable();
  const nameOf = new Map(clients.map((r) => [r.client.client_id, r.client.name]));
  // A grant names its client as Auth0's Deploy CLI does, by name; a name two clients share falls back to the id.
  const shared = new Set(clients.map((r) => r.client.name).filter((n, i, all) => all.indexOf(n) !== i));
  const ref = (clientId: string): string => {
    const name = nameOf.get(clientId);
    return name !== undefined && !shared.has(name) ? name : clientId;
  };
  return {
    clients: clients.map((r) => clientEntry(r, options.includeSecrets === true)),
    clientGrants: clients.flatMap((r) => r.grants.map((g) => ({ client_id: ref(g.client_id), audience: g.audience, scope: [...g.scope] }))),
    connections: directory.exportableConnections().map((c) => connectionEntry(c, options.includeSecrets === true)),
    users: users.map((u) => ({ email: u.email, name: u.name, email_verified: u.email_verified })),
    // dynamicClientRegistration is absent from a server.json saved before it: written as the off it means.
    settings: Object.fromEntries(TENANT_SETTINGS.map((k) => [k, k === 'dynamicClientRegistration' ? settings[k] === true : settings[k]])),
  };
}

/**
 * A connection as POST /api/v2/connections takes it: no id (matched by name on import). An upstream IdP's
 * `options.client_secret` is a secret: written only with --include-secrets.
 */
function connectionEntry(c: Record<string, unknown>, includeSecrets: boolean): Record<string, unknown> {
  const { id: _id, ...body } = c;
  const options = body.options as Record<string, unknown> | undefined;
  if (options && 'client_secret' in options && !includeSecrets) {
    const { client_secret: _secret, ...rest } = options;
    body.options = rest;
  }
  return body;
}

function credentialEntry(c: StoredCredential): Record<string, unknown> {
  return { name: c.name, pem: c.pem, alg: c.alg, kid: c.kid, ...(c.expires_at === null ? {} : { expires_at: c.expires_at }) };
}

function clientEntry(r: ClientRecord, includeSecrets: boolean): Record<string, unknown> {
  const json = clientJson(r.client, { secrets: false });
  const body: Record<string, unknown> = Object.fromEntries(Object.entries(json).filter(([k]) => (CLIENT_PROPS as readonly string[]).includes(k)));
  const byId = new Map(r.credentials.map((c) => [c.id, c]));
  const full = (ids: readonly string[]): Record<string, unknown>[] => ids.flatMap((id) => (byId.has(id) ? [credentialEntry(byId.get(id)!)] : []));
  const pkj = r.client.client_authentication_methods;
  if (pkj) body.client_authentication_methods = { private_key_jwt: { credentials: full(pkj.private_key_jwt.credentials) } };
  const sro = r.client.signed_request_object;
  if (sro)
    body.signed_request_object = {
      ...(sro.required === undefined ? {} : { required: sro.required }),
      ...(sro.credentials === undefined ? {} : { credentials: full(sro.credentials) }),
    };
  return { client_id: r.client.client_id, ...(includeSecrets ? { client_secret: r.client.client_secret } : {}), ...body };
}

/** Writes the export: YAML unless the name ends in .json; mode 0600 when it holds secrets. */
export function writeTenantExport(file: string, tenant: Record<string, unknown>, options: { includeSecrets?: boolean } = {}): void {
  const json = extname(file).toLowerCase() === '.json';
  const header = `# Parley tenant file (npm run server -- --tenant ${file}).${options.includeSecrets ? ' It holds client secrets: keep it out of version control.' : ' No secrets: users need password_file or password_env to be re-created.'}\n`;
  const text = json ? `${JSON.stringify(tenant, null, 2)}\n` : header + stringifyYaml(tenant, { lineWidth: 0 });
  writeFileSync(file, text, { mode: options.includeSecrets ? 0o600 : 0o644 });
}
