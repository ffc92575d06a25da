/**
 * Online refresh tokens (Auth0, DA12): scope `online_access` at /authorize (or PAR) yields, at the code
 * exchange, a refresh token tied to the user's browser session: it works only while that session lives (a
 * logout ends it), it is not rotated, and it is prefixed `ORT`. A public client (SPA, native) gets and redeems
 * one only with a DPoP proof (DPB-11): without one the request is refused with 400 invalid_request. The
 * steps below slot into the authorization_code and refresh_token grants (grants.ts).
 *
 * Not emulated (not observable at the token endpoint, or needing parts the emulator lacks): the API's
 * `allow_online_access` switch, and extending the session's idle timeout on each use (the emulator's sessions
 * have one 24-hour lifetime). Revoking one ends its session (revoke/index.ts).
 */
import { nowMs } from '../../../clock';
import { randomToken } from '../../../random';
import { isStrictFor } from '../../checks/outcome';
import { isPublicClient } from '../../dpop';
import { pass } from '../../recording';
import { DPOP_RULES } from '../../rules-dpop';
import type { StepResult } from '../../steps';
import { refuse } from '../../steps';
import { REFRESH_TOKEN_SECONDS } from '../policy';
import type { TokenExchange } from './exchange';

/** The scope that asks for an online refresh token. */
export const ONLINE_ACCESS = 'online_access';

/** DPB-11's wire error (the spec's suggested text). */
export const ONLINE_WITHOUT_DPOP = { status: 400, error: 'invalid_request', description: 'DPoP is required for online refresh tokens' } as const;

/** Whether a scope string asks for an online refresh token. */
export function asksOnlineAccess(scope: string): boolean {
  return scope.split(' ').includes(ONLINE_ACCESS);
}

/** Whether this code exchange would issue an online refresh token: online_access granted, refresh tokens enabled, a session to tie it to. */
function issuesOnline(t: TokenExchange): boolean {
  return asksOnlineAccess(t.code.request.scope) && t.code.session_id !== undefined && t.auth.client.grant_types.includes('refresh_token');
}

/** DPB-11 at the code exchange: a public client gets an online refresh token only with a proof. Before the code is touched (DPB-8). */
export function onlineCodeNeedsProof(t: TokenExchange): StepResult {
  if (!issuesOnline(t)) return undefined;
  const expected = 'a DPoP proof from a public client asking for an online refresh token';
  if (!isPublicClient(t.auth.client)) return { expected, actual: 'confidential client: no proof needed' };
  if (t.proof === undefined) throw refuse('no DPoP proof', { expected });
  return { expected, actual: `proof with key ${t.proof.thumbprint}` };
}

/** DPB-11 at refresh: a public client redeems an online refresh token only with a proof. Before the binding check (DPB-10) so the answer names DPB-11. */
export function onlineRefreshNeedsProof(t: TokenExchange): StepResult {
  if (t.refresh.session_id === undefined) return undefined;
  const expected = 'a DPoP proof from a public client redeeming an online refresh token';
  if (!isPublicClient(t.auth.client)) return { expected, actual: 'confidential client: no proof needed' };
  if (t.proof === undefined) throw refuse('no DPoP proof', { expected });
  return { expected, actual: `proof with key ${t.proof.thumbprint}` };
}

/** TKQ-5 for an online refresh token (DA12): it works only while the browser session it was issued in lives. */
export function onlineSessionLive(t: TokenExchange): StepResult {
  const sessionId = t.refresh.session_id;
  if (sessionId === undefined) return undefined;
  if (t.ctx.endpointState.sessions.get(sessionId) === undefined) throw refuse('an online refresh token whose browser session has ended (logout or expiry)');
  return 'online refresh token, its session live';
}

/**
 * Issues the online refresh token after the code exchange's tokens: tied to the code's session, bound to the
 * proof key like any refresh token (DPB-9: every client in the Auth0 profile, public clients in the strict
 * one), never rotated (the refresh grant issues none).
 */
export function issueOnlineRefresh(t: TokenExchange): StepResult {
  if (!issuesOnline(t) || t.body.refresh_token !== undefined) return undefined;
  const ctx = t.ctx;
  const client = t.auth.client;
  const jkt = t.jkt !== undefined && (isPublicClient(client) || !isStrictFor(ctx, client)) ? t.jkt : undefined;
  const token = `ORT${randomToken(32)}`;
  ctx.memory.refreshTokens.set(
    token,
    {
      client_id: client.client_id,
      user_id: t.user.user_id,
      scope: t.body.scope ?? t.code.request.scope,
      grant_id: t.code.grant_id,
      auth_time: t.code.auth_time,
      ...(t.code.request.audience !== undefined ? { audience: t.code.request.audience } : {}),
      ...(jkt !== undefined ? { jkt } : {}),
      session_id: t.code.session_id!,
    },
    nowMs() + REFRESH_TOKEN_SECONDS * 1000,
  );
  t.body.refresh_token = token;
  pass(
    t.trace,
    DPOP_RULES['DPB-11'],
    'an online refresh token tied to the browser session',
    jkt === undefined ? 'issued (unbound)' : `issued, bound to ${jkt}`,
  );
  return undefined;
}
