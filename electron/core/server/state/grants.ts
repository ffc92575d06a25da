/**
 * Client grants: which scopes a client may obtain for an API audience with client_credentials. The
 * Management API's audience is `{issuer}api/v2/` and the issuer carries the port, so a grant for it is
 * stored under the marker `management` and compared with the current audience on every lookup: the grants
 * survive a port change.
 */
import { z } from 'zod';

/** The stored audience of grants for this server's own Management API. */
export const MANAGEMENT_AUDIENCE_MARKER = 'management';

/** Every Management API scope this server checks (API reference names, A15). */
export const MANAGEMENT_SCOPES = [
  'create:clients',
  'read:clients',
  'update:clients',
  'delete:clients',
  // Alternatives the API reference lists for reading and updating clients (management/scopes.ts).
  'read:client_keys',
  'update:client_keys',
  'create:client_credentials',
  'read:client_credentials',
  'update:client_credentials',
  'delete:client_credentials',
  'create:client_grants',
  'read:client_grants',
  'delete:client_grants',
  'create:users',
  'read:users',
  'delete:users',
  // Resource servers, for their DPoP policy (dpop-rules.md DPC-2).
  'create:resource_servers',
  'read:resource_servers',
  'update:resource_servers',
  'delete:resource_servers',
  // Connections, for the enterprise connections' DPoP key type (dpop-rules.md DPC-12).
  'create:connections',
  'read:connections',
  'update:connections',
  'delete:connections',
  // Tenant settings, for flags.enable_dynamic_client_registration (/oidc/register, DPC-13).
  'read:tenant_settings',
  'update:tenant_settings',
] as const;

/** The names Auth0's guides use instead (seed text); accepted as aliases (server-rules.md §1.1). */
export const GUIDE_SCOPE_ALIASES = ['create:credentials', 'update:credentials', 'update:client'] as const;

/**
 * The only Management API scopes Auth0 puts in a signed-in user's token (authorization code, refresh token):
 * the `*:current_user*` ones, which act on that user alone. Sources: Auth0 "Get Management API Access Tokens
 * for Single-Page Applications" (available scopes and endpoints) and "Migrate to Management API Endpoints with
 * Access Tokens" (scope changes). Every client-level operation needs a client-credentials token.
 */
export const CURRENT_USER_SCOPES = [
  'read:current_user',
  'update:current_user_identities',
  'create:current_user_metadata',
  'update:current_user_metadata',
  'delete:current_user_metadata',
  'create:current_user_device_credentials',
  'delete:current_user_device_credentials',
] as const;

/** OpenID Connect scopes (OIDC Core §5.4, §11): about the ID token and /userinfo, not the API. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'] as const;

/** Whether a user's token for the Management API may hold `scope` (TKQ-6). */
export function userMayHoldManagementScope(scope: string): boolean {
  return (CURRENT_USER_SCOPES as readonly string[]).includes(scope) || (OIDC_SCOPES as readonly string[]).includes(scope);
}

/** What the bootstrap Management API client is granted: everything above. */
export const BOOTSTRAP_SCOPES: readonly string[] = [...MANAGEMENT_SCOPES, ...GUIDE_SCOPE_ALIASES];

/**
 * Scopes added to the Management API after data directories already existed (DPoP's resource servers,
 * connections and tenant settings). A bootstrap grant that still holds every scope it was made with gets these
 * at start (ManagementDirectory.ensureBootstrap); one the user trimmed is left as it is.
 */
export const SCOPES_ADDED_LATER: readonly string[] = [
  'create:resource_servers',
  'read:resource_servers',
  'update:resource_servers',
  'delete:resource_servers',
  'create:connections',
  'read:connections',
  'update:connections',
  'delete:connections',
  'read:tenant_settings',
  'update:tenant_settings',
];

/** A client grant as stored. */
export const storedGrantSchema = z
  .object({
    id: z.string().min(1).max(64),
    client_id: z.string().min(1).max(128),
    /** An API identifier, or MANAGEMENT_AUDIENCE_MARKER. */
    audience: z.string().min(1).max(2048),
    scope: z.array(z.string().min(1).max(280)).max(200),
    created_at: z.string(),
  })
  .strict();

/** A stored client grant. */
export type StoredGrant = z.infer<typeof storedGrantSchema>;

/** The audience to store: the current Management audience becomes the marker. */
export function storedAudience(audience: string, managementAudience: string | undefined): string {
  return audience === managementAudience ? MANAGEMENT_AUDIENCE_MARKER : audience;
}

/** The audience as shown now (the marker becomes the current Management audience). */
export function shownAudience(stored: string, managementAudience: string | undefined): string {
  return stored === MANAGEMENT_AUDIENCE_MARKER ? (managementAudience ?? stored) : stored;
}

/** The scopes granted to `clientId` for `audience`, or undefined when there is no grant. */
export function grantedScopesFor(
  grants: readonly StoredGrant[],
  clientId: string,
  audience: string,
  managementAudience: string | undefined,
): string[] | undefined {
  // The marker matches only the current audience, never a client asking for the literal word `management`,
  // and nothing before the server knows its own audience (after listen).
  const isManagement = managementAudience !== undefined && audience === managementAudience;
  const grant = grants.find(
    (g) =>
      g.client_id === clientId &&
      (isManagement ? g.audience === MANAGEMENT_AUDIENCE_MARKER : g.audience === audience && g.audience !== MANAGEMENT_AUDIENCE_MARKER),
  );
  return grant ? [...grant.scope] : undefined;
}

/** Auth0's JSON for a client grant. */
export function grantJson(g: StoredGrant, managementAudience: string | undefined): { id: string; client_id: string; audience: string; scope: string[] } {
  return { id: g.id, client_id: g.client_id, audience: shownAudience(g.audience, managementAudience), scope: [...g.scope] };
}
