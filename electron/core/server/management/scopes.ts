/**
 * Which scopes each Management API operation accepts (MGC-1, §12, disagreement 1). The API reference's
 * names are listed in the 403 message; the names Auth0's guides use (`create:credentials`,
 * `update:credentials`, `update:client`) are accepted silently as aliases.
 */

/** The scopes one operation accepts: any one of `scopes` or `aliases` is enough. */
export interface ScopeRequirement {
  /** API reference names, shown in "Insufficient scope, expected any of: …". */
  scopes: readonly string[];
  /** Guide names, accepted but not advertised. */
  aliases: readonly string[];
}

const req = (scopes: readonly string[], aliases: readonly string[] = []): ScopeRequirement => ({ scopes, aliases });

/** Every operation's requirement. */
export const SCOPES = {
  createClient: req(['create:clients']),
  readClients: req(['read:clients', 'read:client_keys']),
  // MGC-1 [REC]: update:clients for any field; the key and credential scopes for the authentication fields only.
  updateClient: req(['update:clients', 'update:client_keys'], ['update:client']),
  updateClientAuthentication: req(['update:clients', 'update:client_keys', 'update:client_credentials'], ['update:client', 'update:credentials']),
  deleteClient: req(['delete:clients']),
  createCredential: req(['create:client_credentials'], ['create:credentials']),
  readCredentials: req(['read:client_credentials']),
  updateCredential: req(['update:client_credentials'], ['update:credentials']),
  deleteCredential: req(['delete:client_credentials']),
  createGrant: req(['create:client_grants']),
  readGrants: req(['read:client_grants']),
  deleteGrant: req(['delete:client_grants']),
  createUser: req(['create:users']),
  readUsers: req(['read:users']),
  deleteUser: req(['delete:users']),
  createResourceServer: req(['create:resource_servers']),
  readResourceServers: req(['read:resource_servers']),
  updateResourceServer: req(['update:resource_servers']),
  deleteResourceServer: req(['delete:resource_servers']),
  createConnection: req(['create:connections']),
  readConnections: req(['read:connections']),
  updateConnection: req(['update:connections']),
  deleteConnection: req(['delete:connections']),
  readTenantSettings: req(['read:tenant_settings']),
  updateTenantSettings: req(['update:tenant_settings']),
} as const satisfies Record<string, ScopeRequirement>;

/** The client fields that only concern how a client authenticates (its keys and credentials). */
const AUTHENTICATION_FIELDS = ['client_authentication_methods', 'signed_request_object', 'token_endpoint_auth_method'];

/** The requirement of a PATCH /clients/{id} with this body. */
export function updateClientRequirement(body: unknown): ScopeRequirement {
  const keys = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
  return keys.length > 0 && keys.every((k) => AUTHENTICATION_FIELDS.includes(k)) ? SCOPES.updateClientAuthentication : SCOPES.updateClient;
}

/** Whether `granted` satisfies `requirement`. */
export function satisfies(granted: readonly string[], requirement: ScopeRequirement): boolean {
  return [...requirement.scopes, ...requirement.aliases].some((s) => granted.includes(s));
}
