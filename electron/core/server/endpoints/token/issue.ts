/**
 * Token issuance for the token endpoint.
 *
 * Access tokens are always JWTs signed by the tenant key (RS256, `kid` in the header, like Auth0's):
 * with an `audience`, `aud` is that API (plus `{issuer}userinfo` when `openid` was granted, as Auth0 does);
 * without one, `aud` is `{issuer}userinfo` only, so the token works at /userinfo and nowhere else. A private
 * claim `grant_id` ties user tokens to their authorization grant, so revoking the grant (code replay: TOK-2,
 * or /oauth/revoke) makes /userinfo refuse them. ID tokens follow IDT-1..4.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { nowMs } from '../../../clock';
import { randomId, randomToken } from '../../../random';
import type { ServerContext } from '../../context';
import { isStrictFor, serverNowSeconds } from '../../checks/outcome';
import { isPublicClient } from '../../dpop';
import { DPOP_RULES } from '../../rules-dpop';
import { pass } from '../../recording';
import { userMayHoldManagementScope } from '../../state/grants';
import type { ClientView, UserView } from '../../state/types';
import type { TraceRecorder } from '../../trace';
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS } from '../policy';
import { RULES } from '../../rules';

/** The body of a successful token response (Auth0's shape). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  expires_in: number;
  /** DPB-3: DPoP for a bound access token, Bearer otherwise. */
  token_type: 'Bearer' | 'DPoP';
}

/** A user's grant, from a code or a refresh token. */
export interface UserGrant {
  client: ClientView;
  user: UserView;
  scope: string;
  audience?: string | undefined;
  nonce?: string | undefined;
  /** The authorization request's state, for s_hash under FAPI 1 Advanced (IDT-5). */
  state?: string | undefined;
  /** Whether max_age was requested (IDT-2: then auth_time is included). */
  maxAgeRequested: boolean;
  auth_time: number;
  grant_id: string;
  /** DPB-1/DPB-2: the DPoP key thumbprint the access token is bound to (cnf.jkt); undefined for Bearer. */
  jkt?: string | undefined;
  /** DPB-1 for an mTLS API (DA5): the client certificate thumbprint the access token is bound to (cnf.x5t#S256). */
  x5t?: string | undefined;
}

/** DPB-2, RFC 8705 §3.1: the confirmation claim of a bound access token, one member only (DPB-15: decideBinding picks one). */
export function confirmation(jkt: string | undefined, x5t?: string): { cnf?: { jkt: string } | { 'x5t#S256': string } } {
  return jkt !== undefined ? { cnf: { jkt } } : x5t !== undefined ? { cnf: { 'x5t#S256': x5t } } : {};
}

/**
 * DPB-2, DPB-3: records the binding and the token_type of an issued access token. A certificate-bound token
 * is typed DPoP as Auth0 types it (DA5, disagreement 2), Bearer in the strict profile (RFC 8705).
 */
export function recordBinding(trace: TraceRecorder, jkt: string | undefined, x5t?: { thumbprint: string | undefined; strict: boolean }): 'Bearer' | 'DPoP' {
  if (jkt === undefined && x5t?.thumbprint !== undefined) {
    const type = x5t.strict ? 'Bearer' : 'DPoP';
    pass(
      trace,
      DPOP_RULES['DPB-3'],
      x5t.strict ? 'token_type Bearer for a certificate-bound token (RFC 8705, strict)' : 'token_type DPoP for a certificate-bound token (Auth0)',
      `${type}, cnf.x5t#S256 ${x5t.thumbprint}`,
    );
    return type;
  }
  if (jkt === undefined) {
    pass(trace, DPOP_RULES['DPB-3'], 'token_type Bearer for an unbound token', 'Bearer');
    return 'Bearer';
  }
  pass(trace, DPOP_RULES['DPB-2'], `cnf.jkt ${jkt}`, `cnf.jkt ${jkt}`);
  pass(trace, DPOP_RULES['DPB-3'], 'token_type DPoP for a bound token', 'DPoP');
  return 'DPoP';
}

function scopes(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

/** `at_hash`: the left half of the SHA-256 of the access token, base64url (OIDC Core §3.1.3.6). */
export function atHash(accessToken: string): string {
  return leftHalfSha256(accessToken);
}

/** `s_hash`: the same construction over the state (FAPI 1 Advanced §5.2.2.1); RS256 and PS256 both use SHA-256. */
export function sHash(state: string): string {
  return leftHalfSha256(state);
}

function leftHalfSha256(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** Signs an ID token with the client's configured algorithm (IDT-4). */
async function signIdToken(ctx: ServerContext, client: ClientView, payload: JWTPayload, trace: TraceRecorder): Promise<string> {
  const wanted = client.id_token_alg;
  if (wanted === 'HS256' && client.client_secret !== undefined && !client.private_key_jwt) {
    pass(trace, RULES['IDT-4'], 'HS256 with the client secret', 'HS256');
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(client.client_secret));
  }
  if (wanted === 'PS256') {
    pass(trace, RULES['IDT-4'], 'PS256 with the tenant key', `PS256, kid ${ctx.keys.kid}`);
    return ctx.keys.sign(payload, 'JWT', 'PS256');
  }
  pass(
    trace,
    RULES['IDT-4'],
    wanted === 'HS256' ? 'HS256 needs a client secret; RS256 used instead (PKJ-17)' : 'RS256 with the tenant key',
    `RS256, kid ${ctx.keys.kid}`,
  );
  return ctx.keys.sign(payload);
}

/** An access token for a user grant. */
async function userAccessToken(ctx: ServerContext, grant: UserGrant, iat: number): Promise<string> {
  const userinfo = ctx.urls.userinfo;
  const aud = grant.audience === undefined ? userinfo : scopes(grant.scope).includes('openid') ? [grant.audience, userinfo] : grant.audience;
  return ctx.keys.sign({
    iss: ctx.urls.issuer,
    sub: grant.user.user_id,
    aud,
    iat,
    exp: iat + ACCESS_TOKEN_SECONDS,
    scope: grant.scope,
    azp: grant.client.client_id,
    jti: randomId(),
    grant_id: grant.grant_id,
    ...confirmation(grant.jkt, grant.x5t),
  });
}

/**
 * TKQ-6: for the Management API audience a user's token keeps only the scopes Auth0 lets a user hold there
 * (`*:current_user*` and OpenID Connect ones); the others are left out, as Auth0 leaves out scopes a token may
 * not hold, and the response's `scope` says what was granted. Applied at every issuance (code and refresh), so
 * the refresh token's grant holds the reduced scope too.
 */
function userGrantScope(ctx: ServerContext, grant: UserGrant, trace: TraceRecorder): string {
  if (grant.audience === undefined || grant.audience !== ctx.urls.managementAudience) return grant.scope;
  const asked = scopes(grant.scope);
  const kept = asked.filter(userMayHoldManagementScope);
  const dropped = asked.filter((s) => !userMayHoldManagementScope(s));
  pass(trace, RULES['TKQ-6'], '*:current_user* and OpenID Connect scopes only', dropped.length > 0 ? `left out: ${dropped.join(' ')}` : 'nothing to leave out');
  return kept.join(' ');
}

/** Issues the tokens of a user grant; a refresh token only when asked for (first issuance with offline_access). */
export async function issueUserTokens(ctx: ServerContext, asked: UserGrant, trace: TraceRecorder, withRefresh: boolean): Promise<TokenResponse> {
  const grant: UserGrant = { ...asked, scope: userGrantScope(ctx, asked, trace) };
  const iat = serverNowSeconds(ctx);
  const accessToken = await userAccessToken(ctx, grant, iat);
  const body: TokenResponse = {
    access_token: accessToken,
    scope: grant.scope,
    expires_in: ACCESS_TOKEN_SECONDS,
    token_type: recordBinding(trace, grant.jkt, { thumbprint: grant.x5t, strict: isStrictFor(ctx, grant.client) }),
  };
  const granted = scopes(grant.scope);
  if (granted.includes('openid')) {
    const payload: JWTPayload = {
      iss: ctx.urls.issuer,
      sub: grant.user.user_id,
      aud: grant.client.client_id,
      iat,
      exp: iat + grant.client.id_token_lifetime_seconds,
      at_hash: atHash(accessToken),
    };
    if (grant.nonce !== undefined) payload.nonce = grant.nonce;
    if (grant.maxAgeRequested) payload.auth_time = grant.auth_time;
    if (granted.includes('profile')) payload.name = grant.user.name;
    if (granted.includes('email')) {
      payload.email = grant.user.email;
      payload.email_verified = grant.user.email_verified;
    }
    pass(trace, RULES['IDT-1'], ctx.urls.issuer, String(payload.iss));
    pass(
      trace,
      RULES['IDT-2'],
      'sub, aud = client_id, exp, iat; nonce and auth_time when requested',
      `aud ${grant.client.client_id}, nonce ${grant.nonce === undefined ? '(none requested)' : 'echoed'}, auth_time ${grant.maxAgeRequested ? 'included' : '(max_age not sent)'}`,
    );
    pass(trace, RULES['IDT-3'], 'at_hash of the access token', 'included (code flow: no c_hash needed)');
    if (grant.client.compliance_level?.startsWith('fapi1_adv')) {
      if (grant.state !== undefined) payload.s_hash = sHash(grant.state);
      pass(
        trace,
        RULES['IDT-5'],
        `s_hash (compliance level ${grant.client.compliance_level})`,
        grant.state === undefined ? 'no state was sent, so no s_hash' : 's_hash included',
      );
    }
    body.id_token = await signIdToken(ctx, grant.client, payload, trace);
    if (grant.jkt !== undefined) pass(trace, DPOP_RULES['DPB-4'], 'no cnf in the ID token', 'ID token unbound');
  }
  if (withRefresh && granted.includes('offline_access') && grant.client.grant_types.includes('refresh_token')) {
    const refresh = randomToken(32);
    // DPB-9 (disagreement 5): the Auth0 profile binds the refresh token of every client that got a bound
    // access token; the strict profile (RFC 9449 §5) only a public client's.
    const refreshJkt = grant.jkt !== undefined && (isPublicClient(grant.client) || !isStrictFor(ctx, grant.client)) ? grant.jkt : undefined;
    if (grant.jkt !== undefined)
      pass(
        trace,
        DPOP_RULES['DPB-4'],
        'refresh token binding kept in the server record',
        refreshJkt === undefined ? 'refresh token unbound (confidential client, strict profile)' : `refresh token bound to ${refreshJkt}`,
      );
    ctx.memory.refreshTokens.set(
      refresh,
      {
        client_id: grant.client.client_id,
        user_id: grant.user.user_id,
        scope: grant.scope,
        grant_id: grant.grant_id,
        auth_time: grant.auth_time,
        ...(grant.audience !== undefined ? { audience: grant.audience } : {}),
        ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
        ...(refreshJkt !== undefined ? { jkt: refreshJkt } : {}),
        // The first of a rotating family (rotation.ts).
        ...(grant.client.refresh_rotation !== undefined ? { rotating: true as const } : {}),
      },
      nowMs() + REFRESH_TOKEN_SECONDS * 1000,
    );
    body.refresh_token = refresh;
  }
  return body;
}

/** The access token of the client-credentials grant (Auth0's claims: sub `<client_id>@clients`, gty). */
export async function issueClientToken(
  ctx: ServerContext,
  client: ClientView,
  audience: string,
  scope: string,
  jkt: string | undefined,
  trace: TraceRecorder,
  x5t?: string,
): Promise<TokenResponse> {
  const iat = serverNowSeconds(ctx);
  const token = await ctx.keys.sign({
    iss: ctx.urls.issuer,
    sub: `${client.client_id}@clients`,
    aud: audience,
    iat,
    exp: iat + ACCESS_TOKEN_SECONDS,
    scope,
    gty: 'client-credentials',
    azp: client.client_id,
    jti: randomId(),
    ...confirmation(jkt, x5t),
  });
  const tokenType = recordBinding(trace, jkt, { thumbprint: x5t, strict: isStrictFor(ctx, client) });
  if (jkt !== undefined) pass(trace, DPOP_RULES['DPB-16'], 'bound per DPB-1, no refresh token, no nonce', 'bound access token only');
  return { access_token: token, scope, expires_in: ACCESS_TOKEN_SECONDS, token_type: tokenType };
}
