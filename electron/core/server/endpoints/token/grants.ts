/**
 * The three grants of /oauth/token, each a list of steps (steps.ts) over the request's TokenExchange. The
 * authorization code grant applies TOK-1..6 and PAR-5 in the order that leaks least: the code must exist
 * and be unused before anything about it is compared, and a replay revokes the grant before it is refused
 * (TOK-2).
 */
import type { InlineFailure } from '../../checks/outcome';
import { isStrict } from '../../checks/outcome';
import { checkVerifier } from '../../checks/pkce';
import { bindAndRecord, boundWithoutProof, decideBinding, dpopPolicy } from '../../dpop';
import type { DpopBindingKind } from '../../../../../shared/jwt/rules/dpop-proof';
import { OAuthError } from '../../errors';
import { DPOP_RULES } from '../../rules-dpop';
import type { EndpointSteps, StepResult } from '../../steps';
import { defineSteps, refuse } from '../../steps';
import { invalidGrantStatus } from '../policy';
import type { GrantType, TokenExchange } from './exchange';
import { issueClientToken, issueUserTokens } from './issue';
import { ONLINE_WITHOUT_DPOP, issueOnlineRefresh, onlineCodeNeedsProof, onlineRefreshNeedsProof, onlineSessionLive } from './online';
import { NOT_REUSED, refreshNotReused, revokeGrant, rotateRefresh } from './rotation';
import { TOKEN_EXCHANGE_STEPS } from './token-exchange';

const missingParameter = (name: string): InlineFailure => ({ status: 400, error: 'invalid_request', description: `Missing required parameter: ${name}` });
const MISSING_CODE = missingParameter('code');
const MISSING_REFRESH_TOKEN = missingParameter('refresh_token');
const invalidCode = (t: TokenExchange): InlineFailure => ({
  status: invalidGrantStatus(t.ctx),
  error: 'invalid_grant',
  description: 'Invalid authorization code',
});

// DPoP phase B (DPB-7, DPB-9/10, DPP-11) and DPB-1, shared by the grants.

/** An invalid_grant answered with the profile's status (E-2: 403 Auth0, 400 strict); other errors as they are. */
function withProfileStatus(t: TokenExchange, e: unknown): unknown {
  if (!(e instanceof OAuthError) || e.error !== 'invalid_grant') return e;
  const status = invalidGrantStatus(t.ctx);
  if (status === e.status) return e;
  const out = new OAuthError(status, e.error, e.description, e.ruleId, e.authScheme);
  if (e.headers !== undefined) out.headers = e.headers;
  return out;
}

/**
 * The proof key against the grant's binding, then the replay check; the jti is recorded once both pass.
 * A bound grant presented without a proof fails its binding rule (DPB-7, DPB-10).
 */
function dpopBinding(t: TokenExchange, kind: DpopBindingKind, jkt: string | undefined): void {
  try {
    if (t.proof !== undefined) bindAndRecord(t.request, t.proof, jkt === undefined ? undefined : { kind, jkt }, t.ctx);
    else if (jkt !== undefined) throw boundWithoutProof(t.request, kind, jkt, 'token', dpopPolicy(t.ctx, t.auth.client));
  } catch (e) {
    throw withProfileStatus(t, e);
  }
}

/** DPB-1: whether the access token is issued, and bound (t.jkt). */
function dpopIssuance(t: TokenExchange, audience: string | undefined): StepResult {
  const bound = decideBinding(t.trace, t.ctx, { audience, client: t.auth.client, proof: t.proof, certificate: t.certificate });
  t.jkt = bound?.jkt;
  t.x5t = bound?.x5t;
  return undefined;
}

// grant_type=authorization_code (TOK-1..6, PAR-5), in the order that leaks least.

function codeSent(t: TokenExchange): StepResult {
  if (t.params.code === undefined) throw refuse('(absent)');
  return undefined;
}

function codeKnown(t: TokenExchange): StepResult {
  const value = t.params.code!;
  const code = value.length > 200 ? undefined : t.ctx.memory.codes.get(value);
  if (!code) throw refuse('unknown or expired');
  t.code = code;
  return undefined;
}

function codeNotRedeemed(t: TokenExchange): StepResult {
  if (t.code.redeemed) {
    revokeGrant(t.ctx, t.code.grant_id);
    throw refuse('already redeemed: its tokens are revoked');
  }
  return 'first redemption';
}

function codeOfThisClient(t: TokenExchange): StepResult {
  const expected = `client ${t.code.request.client_id}`;
  const actual = `client ${t.auth.client.client_id}`;
  if (t.code.request.client_id !== t.auth.client.client_id) throw refuse(actual, { expected });
  return { expected, actual };
}

function redirectUriRepeated(t: TokenExchange): StepResult {
  const registered = t.code.request.redirect_uri;
  const sent = t.params.redirect_uri;
  if (sent !== undefined) {
    if (sent !== registered) throw refuse(sent, { expected: registered });
    return { expected: registered, actual: sent };
  }
  // RFC 6749 §4.1.3 wants the redirect_uri repeated; Auth0 accepts its absence (go-auth0 recordings), strict does not.
  const expected = `redirect_uri ${registered}`;
  if (isStrict(t.ctx)) throw refuse('(absent)', { expected });
  return { expected, actual: '(absent; accepted in Auth0 mode)' };
}

function sameMethodAsPar(t: TokenExchange): StepResult {
  const atPar = t.code.par_auth_method;
  if (atPar === undefined) return undefined;
  if (atPar !== t.auth.method) throw refuse(t.auth.method, { expected: atPar });
  return { expected: atPar, actual: t.auth.method };
}

/** TOK-8 again: a client that became public after /authorize must not redeem a code issued without PKCE. */
function pkceForPublicClient(t: TokenExchange): StepResult {
  if (t.auth.method !== 'none') return undefined;
  if (t.code.request.code_challenge === undefined) throw refuse('no code_challenge');
  return 'code_challenge present';
}

function codeVerifier(t: TokenExchange): StepResult {
  const request = t.code.request;
  const pkce =
    request.code_challenge === undefined
      ? {}
      : { code_challenge: request.code_challenge, ...(request.code_challenge_method ? { code_challenge_method: request.code_challenge_method } : {}) };
  checkVerifier(pkce, t.params.code_verifier, invalidGrantStatus(t.ctx), t.trace);
  return undefined;
}

function codeUserExists(t: TokenExchange): StepResult {
  const user = t.ctx.directory.getUser(t.code.user_id);
  if (!user) throw refuse(t.code.user_id);
  t.user = user;
  return undefined;
}

/**
 * DPB-7: a code issued with dpop_jkt needs a proof from that key. On a key mismatch or a missing proof the
 * code is consumed (counted as a failed redemption, as node-oidc-provider does: whoever holds a stolen code
 * does not get to try again); a replayed proof (DPP-11) leaves it redeemable.
 */
function codeDpopBinding(t: TokenExchange): StepResult {
  try {
    dpopBinding(t, 'code', t.code.request.dpop_jkt);
  } catch (e) {
    if (e instanceof OAuthError && e.ruleId === 'DPB-7') t.code.redeemed = true;
    throw e;
  }
  return undefined;
}

async function issueForCode(t: TokenExchange): Promise<StepResult> {
  const code = t.code;
  const request = code.request;
  code.redeemed = true;
  t.body = await issueUserTokens(
    t.ctx,
    {
      client: t.auth.client,
      user: t.user,
      scope: request.scope,
      audience: request.audience,
      nonce: request.nonce,
      state: request.state,
      maxAgeRequested: request.max_age !== undefined,
      auth_time: code.auth_time,
      grant_id: code.grant_id,
      jkt: t.jkt,
      x5t: t.x5t,
    },
    t.trace,
    true,
  );
  return undefined;
}

// grant_type=client_credentials: an access token for an API the client has a client grant for.

function audienceSent(t: TokenExchange): StepResult {
  if (t.params.audience === undefined) throw refuse('(absent)');
  t.audience = t.params.audience;
  return undefined;
}

function clientGrantForAudience(t: TokenExchange): StepResult {
  const granted = t.ctx.directory.grantedScopes(t.auth.client.client_id, t.audience);
  if (granted === undefined) {
    throw refuse(`none for ${t.audience}`, {
      wire: {
        status: 403,
        error: 'access_denied',
        description: `Client is not authorized to access "${t.audience}". You need to create a "client-grant" associated to this API.`,
      },
    });
  }
  const requested = t.params.scope?.split(' ').filter(Boolean);
  t.scope = (requested ? granted.filter((s) => requested.includes(s)) : granted).join(' ');
  return `${t.audience}: ${t.scope || '(no scopes)'}`;
}

async function issueForClient(t: TokenExchange): Promise<StepResult> {
  t.body = await issueClientToken(t.ctx, t.auth.client, t.audience, t.scope, t.jkt, t.trace, t.x5t);
  return undefined;
}

// grant_type=refresh_token: new access (and ID) token for the same grant; a rotating client's refresh token is
// rotated (rotation.ts).

function refreshTokenSent(t: TokenExchange): StepResult {
  if (t.params.refresh_token === undefined) throw refuse('(absent)');
  return undefined;
}

function refreshTokenLive(t: TokenExchange): StepResult {
  const value = t.params.refresh_token!;
  const ctx = t.ctx;
  const grant = value.length > 200 ? undefined : ctx.memory.refreshTokens.get(value);
  const problem = !grant
    ? 'unknown or expired'
    : grant.client_id !== t.auth.client.client_id
      ? `issued to ${grant.client_id}`
      : ctx.memory.revokedGrants.has(grant.grant_id)
        ? 'revoked'
        : undefined;
  const user = grant ? ctx.directory.getUser(grant.user_id) : undefined;
  if (!grant || problem !== undefined || !user) throw refuse(problem ?? 'the user no longer exists');
  t.refresh = grant;
  t.user = user;
  return 'valid';
}

async function issueForRefresh(t: TokenExchange): Promise<StepResult> {
  const grant = t.refresh;
  const requested = t.params.scope?.split(' ').filter(Boolean);
  const scope = requested
    ? grant.scope
        .split(' ')
        .filter((s) => requested.includes(s))
        .join(' ')
    : grant.scope;
  t.body = await issueUserTokens(
    t.ctx,
    {
      client: t.auth.client,
      user: t.user,
      scope,
      audience: grant.audience,
      nonce: undefined,
      maxAgeRequested: false,
      auth_time: grant.auth_time,
      grant_id: grant.grant_id,
      jkt: t.jkt,
      x5t: t.x5t,
    },
    t.trace,
    false,
  );
  return undefined;
}

/** The steps of each grant, after the token endpoint's own (index.ts); each leaves the response in `body`. */
export const GRANT_STEPS: Readonly<Record<GrantType, EndpointSteps<TokenExchange>>> = {
  authorization_code: defineSteps<TokenExchange>({
    steps: [
      { name: 'code sent', rule: 'TKQ-3', expected: 'code', wire: MISSING_CODE, run: codeSent },
      { name: 'code known', rule: 'TOK-1', expected: 'a live code issued by /authorize', wire: invalidCode, run: codeKnown },
      // A replay revokes the grant before it is refused (TOK-2).
      { name: 'code not redeemed', rule: 'TOK-2', expected: 'a code not yet redeemed', wire: invalidCode, run: codeNotRedeemed },
      { name: 'code of this client', rule: 'TOK-1', wire: invalidCode, run: codeOfThisClient },
      { name: 'redirect_uri repeated', rule: 'TOK-1', wire: invalidCode, run: redirectUriRepeated },
      {
        name: 'same method as at PAR',
        rule: 'PAR-5',
        wire: { status: 401, error: 'invalid_client', description: 'the client must authenticate with the same method as at the PAR endpoint' },
        run: sameMethodAsPar,
      },
      { name: 'PKCE for a public client', rule: 'TOK-8', expected: 'a code issued with a code_challenge', wire: invalidCode, run: pkceForPublicClient },
      { name: 'code_verifier', run: codeVerifier },
      { name: 'code user exists', rule: 'TOK-1', expected: 'the code’s user still exists', wire: invalidCode, run: codeUserExists },
      // DPB-11 (online.ts): before the code is touched, so the client can retry with a proof (DPB-8).
      { name: 'DPoP for an online refresh token', rule: DPOP_RULES['DPB-11'], wire: ONLINE_WITHOUT_DPOP, run: onlineCodeNeedsProof },
      { name: 'DPoP binding', run: codeDpopBinding },
      { name: 'DPoP issuance', run: (t) => dpopIssuance(t, t.code.request.audience) },
      { name: 'issue tokens', run: issueForCode },
      { name: 'online refresh token', run: issueOnlineRefresh },
    ],
  }),
  client_credentials: defineSteps<TokenExchange>({
    steps: [
      {
        name: 'audience sent',
        rule: 'TKQ-4',
        expected: 'audience',
        wire: { status: 403, error: 'access_denied', description: 'No audience parameter was provided, and no default audience has been configured' },
        run: audienceSent,
      },
      { name: 'client grant for the audience', rule: 'TKQ-4', expected: 'a client grant for the audience', run: clientGrantForAudience },
      { name: 'DPoP replay', run: (t) => (dpopBinding(t, 'code', undefined), undefined) },
      { name: 'DPoP issuance', run: (t) => dpopIssuance(t, t.audience) },
      { name: 'issue token', run: issueForClient },
    ],
  }),
  refresh_token: defineSteps<TokenExchange>({
    steps: [
      { name: 'refresh_token sent', rule: 'TKQ-3', expected: 'refresh_token', wire: MISSING_REFRESH_TOKEN, run: refreshTokenSent },
      {
        name: 'refresh token live',
        rule: 'TKQ-5',
        expected: 'a live refresh token of this client',
        wire: (t) => ({ status: invalidGrantStatus(t.ctx), error: 'invalid_grant', description: 'Unknown or invalid refresh token.' }),
        run: refreshTokenLive,
      },
      // DPB-11, DA12 (online.ts): an online refresh token needs a proof (public client) and a live session.
      { name: 'DPoP for an online refresh token', rule: DPOP_RULES['DPB-11'], wire: ONLINE_WITHOUT_DPOP, run: onlineRefreshNeedsProof },
      {
        name: 'online refresh token session',
        rule: 'TKQ-5',
        expected: 'an online refresh token whose browser session lives',
        wire: (t) => ({ status: invalidGrantStatus(t.ctx), error: 'invalid_grant', description: 'Unknown or invalid refresh token.' }),
        run: onlineSessionLive,
      },
      // DPB-9/DPB-10: a bound refresh token needs a proof from its key; a refusal rotates and revokes nothing (X-D18).
      { name: 'DPoP binding', run: (t) => (dpopBinding(t, 'refresh', t.refresh.jkt), undefined) },
      // Automatic reuse detection (rotation.ts): a rotated token reused after the leeway revokes its family.
      {
        name: 'refresh token not reused',
        rule: 'TKQ-5',
        expected: NOT_REUSED,
        wire: (t) => ({ status: invalidGrantStatus(t.ctx), error: 'invalid_grant', description: 'Unknown or invalid refresh token.' }),
        run: refreshNotReused,
      },
      { name: 'DPoP issuance', run: (t) => dpopIssuance(t, t.refresh.audience) },
      { name: 'issue tokens', run: issueForRefresh },
      { name: 'rotate the refresh token', rule: 'TKQ-5', run: rotateRefresh },
    ],
  }),
  // RFC 8693 / Auth0 On-Behalf-Of (token-exchange.ts).
  'urn:ietf:params:oauth:grant-type:token-exchange': TOKEN_EXCHANGE_STEPS,
};
