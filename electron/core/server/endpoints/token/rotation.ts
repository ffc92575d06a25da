/**
 * Refresh token rotation (Auth0's "Refresh Token Rotation", `refresh_token.rotation_type: 'rotating'`): every
 * refresh of a rotating client answers with a new refresh token of the same grant, scope and DPoP binding
 * (DPB-9: rotation copies `jkt`). The grant's tokens form one family. The token just replaced may be
 * exchanged again for the client's `leeway` seconds (Auth0's reuse interval, for concurrent requests), and
 * each such reuse gets a new token too; any other reuse is Auth0's automatic reuse detection: the whole
 * family is revoked and the request refused like an unknown token (TKQ-5), so the newest token fails too.
 * Revoking any member at /oauth/revoke revokes the family (revoke/index.ts revokes the grant).
 *
 * Switching rotation on or off follows Auth0's migration: a non-rotating token exchanged by a rotating client
 * is replaced by a rotating one and deleted; a rotating token exchanged after rotation was turned off gets a
 * non-rotating token, and its family is revoked. Online refresh tokens (DPB-11, online.ts) never rotate.
 *
 * Not emulated: the absolute and idle lifetimes (`token_lifetime`, `idle_token_lifetime`); every refresh token
 * lives REFRESH_TOKEN_SECONDS, rotated ones included (kept for reuse detection until then).
 */
import { nowMs } from '../../../clock';
import { randomToken } from '../../../random';
import type { ServerContext } from '../../context';
import { pass } from '../../recording';
import { REFRESH_JKT } from '../../../../../shared/jwt/rules/dpop-proof';
import type { RefreshGrant } from '../../state/memory';
import type { StepResult } from '../../steps';
import { refuse } from '../../steps';
import { REFRESH_TOKEN_SECONDS } from '../policy';
import type { TokenExchange } from './exchange';

/** Revoked grant ids are remembered for a day (longer than any access token lives). */
const REVOKED_GRANT_MS = 24 * 3600 * 1000;

/**
 * Revokes a grant: its refresh tokens go (the whole rotating family), and /userinfo refuses its access tokens
 * (TOK-2, /oauth/revoke, reuse detection).
 */
export function revokeGrant(ctx: ServerContext, grantId: string): void {
  ctx.memory.revokedGrants.set(grantId, true, nowMs() + REVOKED_GRANT_MS);
  ctx.memory.refreshTokens.deleteWhere((r) => r.grant_id === grantId);
}

/** DPB-9 as a plain rule text (the trace reads a rule definition as a check to re-evaluate). */
const ROTATION_BINDING = { id: REFRESH_JKT.id, summary: REFRESH_JKT.summary, source: REFRESH_JKT.source };

/** TKQ-5's expected text for a rotated token. */
export const NOT_REUSED = 'the family’s newest refresh token, or the one it replaced within the client’s leeway (reuse interval)';

/**
 * Automatic reuse detection (TKQ-5): a rotated token is accepted only within the leeway after it was first
 * exchanged, and only while its successor is the family's newest (Auth0: "only the previous token can be
 * reused"). Otherwise the family is revoked before the refusal, as a replayed code revokes its grant (TOK-2).
 * Runs after the DPoP binding check, so that a proof from another key (DPB-9/10) revokes nothing.
 */
export function refreshNotReused(t: TokenExchange): StepResult {
  const grant = t.refresh;
  if (grant.rotated_at === undefined) return grant.rotating ? 'the family’s newest refresh token' : undefined;
  const leewayMs = (t.auth.client.refresh_rotation?.leeway_seconds ?? 0) * 1000;
  const successor = grant.successor === undefined ? undefined : t.ctx.memory.refreshTokens.get(grant.successor);
  if (nowMs() < grant.rotated_at + leewayMs && successor !== undefined && successor.rotated_at === undefined) {
    return `the token just replaced, within the leeway of ${leewayMs / 1000} s`;
  }
  revokeGrant(t.ctx, grant.grant_id);
  throw refuse(
    successor === undefined || successor.rotated_at === undefined
      ? 'a rotated refresh token reused after the leeway: its family is revoked'
      : 'an older rotated refresh token reused: its family is revoked',
  );
}

/** Stores a refresh token of the same grant, scope and binding as `old`. */
function storeSuccessor(ctx: ServerContext, old: RefreshGrant, rotating: boolean): string {
  const value = randomToken(32);
  ctx.memory.refreshTokens.set(
    value,
    {
      client_id: old.client_id,
      user_id: old.user_id,
      scope: old.scope,
      grant_id: old.grant_id,
      auth_time: old.auth_time,
      ...(old.audience !== undefined ? { audience: old.audience } : {}),
      ...(old.nonce !== undefined ? { nonce: old.nonce } : {}),
      // DPB-9: rotation copies the binding, never drops or changes it.
      ...(old.jkt !== undefined ? { jkt: old.jkt } : {}),
      ...(rotating ? { rotating: true as const } : {}),
    },
    nowMs() + REFRESH_TOKEN_SECONDS * 1000,
  );
  return value;
}

/** After the tokens are issued: a rotating client's new refresh token (and Auth0's migrations), recorded under TKQ-5. */
export function rotateRefresh(t: TokenExchange): StepResult {
  const old = t.refresh;
  const ctx = t.ctx;
  // Nothing to record for a non-rotating client or an online refresh token: the refresh grant is as it always was.
  const expected = 'a new refresh token of the same family for a rotating client';
  if (old.session_id !== undefined) return undefined;
  if (t.auth.client.refresh_rotation === undefined) {
    if (!old.rotating) return undefined;
    ctx.memory.refreshTokens.deleteWhere((r) => r.grant_id === old.grant_id);
    t.body.refresh_token = storeSuccessor(ctx, old, false);
    return { expected, actual: 'rotation turned off: a non-rotating refresh token; the rotating family is revoked' };
  }
  const value = storeSuccessor(ctx, old, true);
  if (old.rotating) {
    old.rotated_at ??= nowMs();
    old.successor = value;
  } else {
    ctx.memory.refreshTokens.delete(t.params.refresh_token!);
  }
  t.body.refresh_token = value;
  if (old.jkt !== undefined) pass(t.trace, ROTATION_BINDING, `rotation copies the binding: ${old.jkt}`, `refresh token bound to ${old.jkt}`);
  return { expected, actual: old.rotating ? 'rotated: a new refresh token of the same family' : 'rotation turned on: the non-rotating token is replaced' };
}
