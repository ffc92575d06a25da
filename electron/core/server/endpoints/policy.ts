/**
 * Profile- and setting-dependent decisions shared by several endpoints, in one place so that a switch
 * changes every endpoint the same way (ARCHITECTURE.md §6: profiles select rule sets, never fork code).
 */
import { parRequirement as sharedParRequirement } from '../../../../shared/jwt/rules/client-registration';
import type { ServerContext } from '../context';
import { isStrict, isStrictFor } from '../checks/outcome';
import type { ClientView } from '../state/types';

/** RFC 9207 `iss` in authorization responses: the tenant flag, or always in the strict profile (FAP-5). */
export function issParameterOn(ctx: ServerContext): boolean {
  return ctx.settings().issParameter || isStrict(ctx);
}

/** Tenant-level "Require Pushed Authorization Requests" (AZR-8, DSC-5). */
export function parRequiredByTenant(ctx: ServerContext): boolean {
  return ctx.settings().parRequired;
}

/** Why PAR is required for this client, or undefined (AZR-8). The texts follow Auth0 (A13) where known. */
export function parRequirement(ctx: ServerContext, client: ClientView): string | undefined {
  // Shared with Compose's lint, which tells a draft for such a client that it must be pushed.
  return sharedParRequirement({
    complianceLevel: client.compliance_level,
    clientRequires: client.require_pushed_authorization_requests,
    tenantRequires: parRequiredByTenant(ctx),
  });
}

/** E-2: Auth0 answers invalid_grant with 403; RFC 6749 §5.2 (strict profile) with 400. */
export function invalidGrantStatus(ctx: ServerContext): number {
  return isStrict(ctx) ? 400 : 403;
}

/** TOK-3 / FAP-6: authorization codes live 10 minutes; 60 seconds in the strict profile or under a compliance level. */
export function codeTtlSeconds(ctx: ServerContext, client: ClientView | undefined): number {
  return isStrictFor(ctx, client) ? 60 : 600;
}

/** PAR-13 / PAR-16: a pushed request lives 30 seconds (Auth0's fixed value). */
export const PAR_LIFETIME_SECONDS = 30;

/** Access and ID token lifetime for tokens of the code and client-credentials grants (Auth0's 86400 default). */
export const ACCESS_TOKEN_SECONDS = 86_400;

/** Refresh tokens live 30 days (MemoryStores bound). */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

/** The URN prefix of every request_uri this server issues (PAR-13, AZR-1). */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
