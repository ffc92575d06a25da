/**
 * Management API authentication: an `Authorization: Bearer` access token this tenant issued for the
 * Management audience (client_credentials with a client grant), and a scope the operation accepts
 * (MGC-1). Failures use Auth0's Management error shape: 401 for the token, 403 insufficient_scope.
 *
 * The token's signature is not enough (MGC-10): a signed-in user's token for this audience is a user token
 * (no `gty: client-credentials`, `sub` not `<client_id>@clients`), which in Auth0 holds only `*:current_user*`
 * scopes and opens no client-level operation, so it gets the 403 whatever its `scope` says. A client-credentials
 * token counts only while its client still holds a client grant for the Management API, checked at every call:
 * a deleted client's or a revoked grant's token is a 401, and only the scopes the grant still holds count.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors as joseErrors } from 'jose';
import type { ServerContext } from '../context';
import { ManagementError } from '../errors';
import { CURRENT_USER_SCOPES } from '../state/grants';
import type { ScopeRequirement } from './scopes';
import { satisfies } from './scopes';
import { RULES } from '../rules';
import { pass, recordFailure } from '../recording';
import type { RuleText } from '../../../../shared/jwt/rule';

/** Who called, from the verified token. */
export interface ManagementCaller {
  /** `sub` (`<client_id>@clients` for client_credentials tokens). */
  subject: string;
  /** `client`: a client-credentials token with a live grant; `user`: a signed-in user's token (MGC-10). */
  kind: 'client' | 'user';
  /** The scopes that count: for a client, the token's scopes its grant still holds; for a user, its `*:current_user*` ones. */
  scopes: string[];
}

const CLIENTS_SUFFIX = '@clients';
const GET_TOKEN = 'Get a token: POST /oauth/token with grant_type=client_credentials and audience={issuer}api/v2/.';

function unauthorized(
  request: FastifyRequest,
  reply: FastifyReply,
  message: string,
  errorCode: string,
  actual: string,
  rule: RuleText = RULES['MGC-1'],
  fix = GET_TOKEN,
): ManagementError {
  // RFC 6750 §3: a 401 names the scheme, and the error once a token was presented.
  reply.header('www-authenticate', errorCode === 'missing_authentication' ? 'Bearer realm="parley"' : `Bearer realm="parley", error="invalid_token"`);
  recordFailure(request.trace, rule, 'Authorization: Bearer <Management API access token>', actual, message, fix);
  return new ManagementError(401, errorCode, message, rule.id);
}

function describe(error: unknown, audience: string): { message: string; actual: string } {
  if (error instanceof joseErrors.JWTExpired) return { message: 'Expired token received for JSON Web Token validation', actual: 'an expired token' };
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud')
    return { message: `Bad audience: ${audience}`, actual: 'a token for another audience' };
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
  const subject = typeof payload.sub === 'string' ? payload.sub : '';
  const rule = RULES['MGC-10'];
  const expected = 'a client-credentials token (gty client-credentials, sub <client_id>@clients) whose client holds a Management API grant';
  if (payload.gty !== 'client-credentials' || !subject.endsWith(CLIENTS_SUFFIX)) {
    // A user's token: requireScope refuses it with Auth0's 403, naming this rule.
    return { subject, kind: 'user', scopes: scopes.filter((s) => (CURRENT_USER_SCOPES as readonly string[]).includes(s)) };
  }
  const clientId = subject.slice(0, -CLIENTS_SUFFIX.length);
  if (payload.azp !== undefined && payload.azp !== clientId) {
    throw unauthorized(request, reply, 'Invalid token', 'invalid_token', `sub names ${clientId} but azp names ${String(payload.azp)}`, rule);
  }
  const granted = ctx.directory.grantedScopes(clientId, ctx.urls.managementAudience);
  if (granted === undefined) {
    const gone =
      ctx.directory.getClient(clientId) === undefined
        ? `the client ${clientId} no longer exists`
        : `the client ${clientId} no longer has a client grant for this API`;
    throw unauthorized(
      request,
      reply,
      `Invalid token: ${gone}.`,
      'invalid_token',
      `a token of ${clientId}: ${gone}`,
      rule,
      'Grant the client access to the Management API (POST /api/v2/client-grants), then request a new token.',
    );
  }
  const kept = scopes.filter((s) => granted.includes(s));
  const dropped = scopes.filter((s) => !granted.includes(s));
  pass(request.trace, rule, expected, `client ${clientId}, grant live${dropped.length > 0 ? `; no longer granted, ignored: ${dropped.join(' ')}` : ''}`);
  return { subject, kind: 'client', scopes: kept };
}

/** Checks that the caller holds a scope the operation accepts (MGC-1): 403 insufficient_scope otherwise. */
export function requireScope(request: FastifyRequest, caller: ManagementCaller, requirement: ScopeRequirement): void {
  const rule = RULES['MGC-1'];
  const accepted = [...requirement.scopes, ...requirement.aliases];
  const expected = requirement.scopes.join(',');
  if (caller.kind === 'user') {
    // Auth0's answer to a user's token at a client-level operation: the 403 of a missing scope (MGC-10).
    const message = `Insufficient scope, expected any of: ${expected}`;
    const tokenRule = RULES['MGC-10'];
    recordFailure(
      request.trace,
      tokenRule,
      'a client-credentials token',
      `a signed-in user's token (sub ${caller.subject}), which can hold only *:current_user* scopes${caller.scopes.length > 0 ? ` (${caller.scopes.join(' ')})` : ''}`,
      'Call the Management API with a client-credentials token: POST /oauth/token with grant_type=client_credentials and audience={issuer}api/v2/.',
      message,
    );
    throw new ManagementError(403, 'insufficient_scope', message, tokenRule.id);
  }
  if (!satisfies(caller.scopes, requirement)) {
    const message = `Insufficient scope, expected any of: ${expected}`;
    recordFailure(
      request.trace,
      rule,
      `any of ${accepted.join(', ')}`,
      caller.scopes.join(' ') || '(no scope)',
      message,
      'Grant the scope to the client (client grant), then request a new token.',
    );
    throw new ManagementError(403, 'insufficient_scope', message, rule.id);
  }
  pass(request.trace, rule, `any of ${expected}`, caller.scopes.filter((s) => accepted.includes(s)).join(' '));
}
