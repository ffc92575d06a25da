/**
 * The three grants of /oauth/token. The authorization code grant applies TOK-1..6 and PAR-5 in the order
 * that leaks least: the code must exist and be unused before anything about it is compared, and a replay
 * revokes the grant before it is refused (TOK-2).
 */
import { nowMs } from '../../../clock';
import type { ServerContext } from '../../context';
import { enforce, fail, isStrict } from '../../checks/outcome';
import { pass } from '../../recording';
import type { Params } from '../../checks/params';
import type { ClientAuthResult } from '../../checks/client-auth';
import { checkVerifier } from '../../checks/pkce';
import type { TraceRecorder } from '../../trace';
import { invalidGrantStatus } from '../policy';
import type { TokenResponse } from './issue';
import { issueClientToken, issueUserTokens } from './issue';
import { RULES } from '../../rules';

/** Revoked grant ids are remembered for a day (longer than any access token lives). */
const REVOKED_GRANT_MS = 24 * 3600 * 1000;

function missing(trace: TraceRecorder, name: string): Error {
  return fail(trace, RULES['TKQ-3'], name, '(absent)', { status: 400, error: 'invalid_request', description: `Missing required parameter: ${name}` });
}

/** Revokes a grant: its refresh tokens go, and /userinfo refuses its access tokens (TOK-2, /oauth/revoke). */
export function revokeGrant(ctx: ServerContext, grantId: string): void {
  ctx.memory.revokedGrants.set(grantId, true, nowMs() + REVOKED_GRANT_MS);
  ctx.memory.refreshTokens.deleteWhere((r) => r.grant_id === grantId);
}

/** grant_type=authorization_code (TOK-1..6, PAR-5). */
export async function authorizationCodeGrant(params: Params, auth: ClientAuthResult, ctx: ServerContext, trace: TraceRecorder): Promise<TokenResponse> {
  const status = invalidGrantStatus(ctx);
  const invalidCode = { status, error: 'invalid_grant', description: 'Invalid authorization code' };
  const codeValue = params.code;
  if (codeValue === undefined) throw missing(trace, 'code');
  const code = codeValue.length > 200 ? undefined : ctx.memory.codes.get(codeValue);
  if (!code) throw fail(trace, RULES['TOK-1'], 'a live code issued by /authorize', 'unknown or expired', invalidCode);
  if (code.redeemed) {
    revokeGrant(ctx, code.grant_id);
    throw fail(trace, RULES['TOK-2'], 'a code not yet redeemed', 'already redeemed: its tokens are revoked', invalidCode);
  }
  pass(trace, RULES['TOK-2'], 'a code not yet redeemed', 'first redemption');
  const request = code.request;
  enforce(trace, RULES['TOK-1'], request.client_id === auth.client.client_id, `client ${request.client_id}`, `client ${auth.client.client_id}`, invalidCode);
  const sent = params.redirect_uri;
  if (sent !== undefined) {
    enforce(trace, RULES['TOK-1'], sent === request.redirect_uri, request.redirect_uri, sent, invalidCode);
  } else {
    // RFC 6749 §4.1.3 wants the redirect_uri repeated; Auth0 accepts its absence (go-auth0 recordings), strict does not.
    enforce(trace, RULES['TOK-1'], !isStrict(ctx), `redirect_uri ${request.redirect_uri}`, isStrict(ctx) ? '(absent)' : '(absent; accepted in Auth0 mode)', invalidCode);
  }
  if (code.par_auth_method !== undefined) {
    enforce(trace, RULES['PAR-5'], code.par_auth_method === auth.method, code.par_auth_method, auth.method, { status: 401, error: 'invalid_client', description: 'the client must authenticate with the same method as at the PAR endpoint' });
  }
  // TOK-8 again: a client that became public after /authorize must not redeem a code issued without PKCE.
  if (auth.method === 'none') enforce(trace, RULES['TOK-8'], request.code_challenge !== undefined, 'a code issued with a code_challenge', request.code_challenge === undefined ? 'no code_challenge' : 'code_challenge present', invalidCode);
  const pkce = request.code_challenge === undefined ? {} : { code_challenge: request.code_challenge, ...(request.code_challenge_method ? { code_challenge_method: request.code_challenge_method } : {}) };
  checkVerifier(pkce, params.code_verifier, status, trace);
  const user = ctx.directory.getUser(code.user_id);
  if (!user) throw fail(trace, RULES['TOK-1'], 'the code’s user still exists', code.user_id, invalidCode);
  code.redeemed = true;
  return issueUserTokens(ctx, { client: auth.client, user, scope: request.scope, audience: request.audience, nonce: request.nonce, state: request.state, maxAgeRequested: request.max_age !== undefined, auth_time: code.auth_time, grant_id: code.grant_id }, trace, true);
}

/** grant_type=client_credentials: an access token for an API the client has a client grant for. */
export async function clientCredentialsGrant(params: Params, auth: ClientAuthResult, ctx: ServerContext, trace: TraceRecorder): Promise<TokenResponse> {
  const audience = params.audience;
  if (audience === undefined) {
    throw fail(trace, RULES['TKQ-4'], 'audience', '(absent)', { status: 403, error: 'access_denied', description: 'No audience parameter was provided, and no default audience has been configured' });
  }
  const granted = ctx.directory.grantedScopes(auth.client.client_id, audience);
  if (granted === undefined) {
    throw fail(trace, RULES['TKQ-4'], 'a client grant for the audience', `none for ${audience}`, { status: 403, error: 'access_denied', description: `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.` });
  }
  const requested = params.scope?.split(' ').filter(Boolean);
  const scope = (requested ? granted.filter((s) => requested.includes(s)) : granted).join(' ');
  pass(trace, RULES['TKQ-4'], 'a client grant for the audience', `${audience}: ${scope || '(no scopes)'}`);
  return issueClientToken(ctx, auth.client, audience, scope);
}

/** grant_type=refresh_token: new access (and ID) token for the same grant; the refresh token is not rotated. */
export async function refreshTokenGrant(params: Params, auth: ClientAuthResult, ctx: ServerContext, trace: TraceRecorder): Promise<TokenResponse> {
  const value = params.refresh_token;
  if (value === undefined) throw missing(trace, 'refresh_token');
  const invalid = { status: invalidGrantStatus(ctx), error: 'invalid_grant', description: 'Unknown or invalid refresh token.' };
  const grant = value.length > 200 ? undefined : ctx.memory.refreshTokens.get(value);
  const problem = !grant ? 'unknown or expired' : grant.client_id !== auth.client.client_id ? `issued to ${grant.client_id}` : ctx.memory.revokedGrants.has(grant.grant_id) ? 'revoked' : undefined;
  const user = grant ? ctx.directory.getUser(grant.user_id) : undefined;
  if (!grant || problem !== undefined || !user) throw fail(trace, RULES['TKQ-5'], 'a live refresh token of this client', problem ?? 'the user no longer exists', invalid);
  pass(trace, RULES['TKQ-5'], 'a live refresh token of this client', 'valid');
  const requested = params.scope?.split(' ').filter(Boolean);
  const scope = requested ? grant.scope.split(' ').filter((s) => requested.includes(s)).join(' ') : grant.scope;
  return issueUserTokens(ctx, { client: auth.client, user, scope, audience: grant.audience, nonce: undefined, maxAgeRequested: false, auth_time: grant.auth_time, grant_id: grant.grant_id }, trace, false);
}
