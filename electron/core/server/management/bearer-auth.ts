/**
 * Management API authentication: an `Authorization: Bearer` access token this tenant issued for the
 * Management audience (client_credentials with a client grant), and a scope the operation accepts
 * (MGC-1). Failures use Auth0's Management error shape: 401 for the token, 403 insufficient_scope.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors as joseErrors } from 'jose';
import type { ServerContext } from '../context';
import { ManagementError } from '../errors';
import { RULES } from '../state/rule-sink';
import type { ScopeRequirement } from './scopes';
import { satisfies } from './scopes';

/** Who called, from the verified token. */
export interface ManagementCaller {
  /** `sub` (`<client_id>@clients` for client_credentials tokens). */
  subject: string;
  scopes: string[];
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, message: string, errorCode: string, actual: string): ManagementError {
  // RFC 6750 §3: a 401 names the scheme, and the error once a token was presented.
  reply.header('www-authenticate', errorCode === 'missing_authentication' ? 'Bearer realm="parley"' : `Bearer realm="parley", error="invalid_token"`);
  const rule = RULES.scope;
  request.trace.fail(rule.id, rule.summary, rule.source, 'Authorization: Bearer <Management API access token>', actual, 'Get a token: POST /oauth/token with grant_type=client_credentials and audience={issuer}api/v2/.', message);
  return new ManagementError(401, errorCode, message, rule.id);
}

function describe(error: unknown, audience: string): { message: string; actual: string } {
  if (error instanceof joseErrors.JWTExpired) return { message: 'Expired token received for JSON Web Token validation', actual: 'an expired token' };
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') return { message: `Bad audience: ${audience}`, actual: 'a token for another audience' };
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss') return { message: 'Invalid token', actual: 'a token from another issuer' };
  return { message: 'Invalid token', actual: error instanceof Error ? error.message : 'an unverifiable token' };
}

/** Verifies the bearer token (a 401 in Auth0's shape otherwise); the scope is checked per operation. */
export async function verifyBearer(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<ManagementCaller> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header) : null;
  if (!header) throw unauthorized(request, reply, 'Missing authentication', 'missing_authentication', 'no Authorization header');
  if (!match) throw unauthorized(request, reply, 'Bad HTTP authentication header format', 'invalid_token', 'a non-Bearer Authorization header');
  let payload;
  try {
    payload = await ctx.keys.verify(match[1]!, { issuer: ctx.urls.issuer, audience: ctx.urls.managementAudience });
  } catch (e) {
    const { message, actual } = describe(e, ctx.urls.managementAudience);
    throw unauthorized(request, reply, message, 'invalid_token', actual);
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return { subject: typeof payload.sub === 'string' ? payload.sub : '', scopes };
}

/** Checks that the caller holds a scope the operation accepts (MGC-1): 403 insufficient_scope otherwise. */
export function requireScope(request: FastifyRequest, caller: ManagementCaller, requirement: ScopeRequirement): void {
  const rule = RULES.scope;
  const accepted = [...requirement.scopes, ...requirement.aliases];
  const expected = requirement.scopes.join(',');
  if (!satisfies(caller.scopes, requirement)) {
    const message = `Insufficient scope, expected any of: ${expected}`;
    request.trace.fail(rule.id, rule.summary, rule.source, `any of ${accepted.join(', ')}`, caller.scopes.join(' ') || '(no scope)', 'Grant the scope to the client (client grant), then request a new token.', message);
    throw new ManagementError(403, 'insufficient_scope', message, rule.id);
  }
  request.trace.pass(rule.id, rule.summary, rule.source, `any of ${expected}`, caller.scopes.filter((s) => accepted.includes(s)).join(' '));
}
