/**
 * grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693), as Auth0's On-Behalf-Of exchange
 * (DA9; the get-token reference of the OBO exchange): a confidential client (a middle tier) trades an access
 * token this tenant issued to a user for an access token for another API, for the same user. The new token
 * names the caller in `azp` and the delegation chain in `act` (the caller outermost, then the subject
 * token's chain, or its client when it had none), at most five levels deep.
 *
 * DPoP (DPB-14): Auth0 does not check the subject token's binding. The new token is bound only when the caller
 * sends a valid proof and DPB-1 allows; without one it is a Bearer token even when the subject token was
 * bound (the trace warns). DPN-3: a subject token issued to a public client under the nonce policy makes the
 * caller's proof need a server nonce too (`subjectIssuedUnderNoncePolicy`, read by the DPoP proof step).
 *
 * The spec has no rule ids of its own for the exchange's parameter checks: they are traced under the generic
 * token-request rules (TKQ-3 parameters, TKQ-4 audience and client grant, TKQ-5 the presented token).
 * Wire texts are Auth0's where it documents them (the delegation depth); the others are Parley's.
 */
import { decodeJwt } from 'jose';
import type { JWTPayload } from 'jose';
import { randomId } from '../../../random';
import type { InlineFailure } from '../../checks/outcome';
import { isStrictFor, serverNowSeconds } from '../../checks/outcome';
import { bindAndRecord, decideBinding } from '../../dpop';
import { DPOP_RULES } from '../../rules-dpop';
import type { EndpointSteps, StepResult } from '../../steps';
import { defineSteps, refuse } from '../../steps';
import { ACCESS_TOKEN_SECONDS } from '../policy';
import type { TokenExchange } from './exchange';
import type { TokenResponse } from './issue';
import { confirmation, recordBinding } from './issue';

/** RFC 8693 §3: the only token type the exchange takes and issues (Auth0's OBO: access tokens only). */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** Auth0: the delegation chain (`act`) is at most five levels deep. */
export const MAX_DELEGATION_DEPTH = 5;

/** A token-exchange response: the token response plus RFC 8693's issued_token_type. */
export type ExchangeResponse = TokenResponse & { issued_token_type: string };

const missing = (name: string): InlineFailure => ({ status: 400, error: 'invalid_request', description: `Missing required parameter: ${name}` });

/**
 * RFC 8693 §2.2.2 answers an unacceptable subject token with invalid_request; Auth0's reference gives 401 for
 * an invalid or expired subject token (the code is not documented). Parley's wording.
 */
const INVALID_SUBJECT: InlineFailure = { status: 401, error: 'invalid_request', description: 'Invalid subject token' };

/**
 * DPN-3: whether the subject token of this request is one this server issued to a public client under the
 * nonce policy. Read before the token is verified (the proof is checked before the grant, DPB-8): the jti is
 * only looked up in the server's own record (MemoryStores.nonceIssuedTokens), so a forged token naming a
 * recorded jti gains nothing but a nonce demand, and is refused by the signature check afterwards.
 */
export function subjectIssuedUnderNoncePolicy(t: TokenExchange): boolean {
  const subject = t.params.subject_token;
  if (subject === undefined || subject.length > 8192) return false;
  try {
    const jti = decodeJwt(subject).jti;
    return typeof jti === 'string' && t.ctx.memory.nonceIssuedTokens.has(jti);
  } catch {
    return false;
  }
}

/** How many `act` levels a token's delegation chain has. */
function delegationDepth(payload: JWTPayload): number {
  let depth = 0;
  let act = payload.act as { act?: unknown } | undefined;
  while (typeof act === 'object' && act !== null && depth <= MAX_DELEGATION_DEPTH) {
    depth += 1;
    act = act.act as { act?: unknown } | undefined;
  }
  return depth;
}

/** The new token's `act`: the caller outermost, then the subject token's chain (or the client it was issued to). */
function actClaim(t: TokenExchange): Record<string, unknown> {
  const inner = t.subject.act ?? (typeof t.subject.azp === 'string' ? { sub: t.subject.azp } : undefined);
  return { sub: t.auth.client.client_id, ...(inner !== undefined ? { act: inner } : {}) };
}

function subjectTokenTypeSent(t: TokenExchange): StepResult {
  const type = t.params.subject_token_type;
  if (type === undefined) throw refuse('(absent)', { wire: missing('subject_token_type') });
  if (type !== ACCESS_TOKEN_TYPE)
    throw refuse(type.slice(0, 200), {
      wire: { status: 400, error: 'invalid_request', description: `Unsupported subject_token_type: ${type.slice(0, 100)}` },
    });
  const requested = t.params.requested_token_type;
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE)
    throw refuse(`requested_token_type ${requested.slice(0, 200)}`, {
      wire: { status: 400, error: 'invalid_request', description: `Unsupported requested_token_type: ${requested.slice(0, 100)}` },
    });
  return `subject_token_type ${type}${requested === undefined ? '' : ', requested_token_type access_token'}`;
}

function subjectTokenSent(t: TokenExchange): StepResult {
  if (t.params.subject_token === undefined) throw refuse('(absent)');
  return undefined;
}

function audienceSent(t: TokenExchange): StepResult {
  if (t.params.audience === undefined) throw refuse('(absent)');
  t.audience = t.params.audience;
  return undefined;
}

/** TKQ-5 for the subject token: signed by the tenant key, this issuer, unexpired, a user's, of a live grant, not too deeply delegated. */
async function subjectTokenValid(t: TokenExchange): Promise<StepResult> {
  const ctx = t.ctx;
  const token = t.params.subject_token!;
  if (token.length > 8192) throw refuse('longer than 8,192 characters');
  try {
    t.subject = await ctx.keys.verify(token, { issuer: ctx.urls.issuer, currentDate: new Date(serverNowSeconds(ctx) * 1000) });
  } catch (e) {
    throw refuse(e instanceof Error ? e.message.slice(0, 200) : 'invalid');
  }
  const sub = t.subject.sub;
  const grantId = typeof t.subject.grant_id === 'string' ? t.subject.grant_id : undefined;
  if (t.subject.gty === 'client-credentials' || typeof sub !== 'string') throw refuse('a client-credentials token (no user to act for)');
  if (grantId !== undefined && ctx.memory.revokedGrants.has(grantId)) throw refuse('its grant was revoked');
  const user = ctx.directory.getUser(sub);
  if (!user) throw refuse(`the user ${sub.slice(0, 100)} no longer exists`);
  const depth = delegationDepth(t.subject);
  if (depth >= MAX_DELEGATION_DEPTH)
    throw refuse(`act depth ${depth}`, {
      expected: `an act chain under ${MAX_DELEGATION_DEPTH} levels`,
      wire: {
        status: 400,
        error: 'invalid_request',
        description: `Delegation chain (\`act\` claim) depth exceeds the maximum allowed limit of ${MAX_DELEGATION_DEPTH}`,
      },
    });
  t.user = user;
  return `user ${user.user_id}, issued to ${String(t.subject.azp)}, act depth ${depth}`;
}

/** TKQ-4: the audience is an API of the tenant, and the caller has a client grant for it. */
function audienceGranted(t: TokenExchange): StepResult {
  const ctx = t.ctx;
  if (!ctx.directory.hasResourceServer(t.audience))
    throw refuse(`no API ${t.audience.slice(0, 200)}`, {
      wire: { status: 403, error: 'access_denied', description: `Service not found: ${t.audience.slice(0, 200)}` },
    });
  const granted = ctx.directory.grantedScopes(t.auth.client.client_id, t.audience);
  if (granted === undefined)
    throw refuse(`no client grant for ${t.audience.slice(0, 200)}`, {
      wire: {
        status: 403,
        error: 'access_denied',
        description: `Client is not authorized to access "${t.audience.slice(0, 200)}". You need to create a "client-grant" associated to this API.`,
      },
    });
  const requested = t.params.scope?.split(' ').filter(Boolean);
  t.scope = (requested ? granted.filter((s) => requested.includes(s)) : granted).join(' ');
  return `${t.audience}: ${t.scope || '(no scopes)'}`;
}

/** DPP-11 (no grant binding to compare: DPB-14), then DPB-1 for the target API. */
function dpopIssuance(t: TokenExchange): StepResult {
  if (t.proof !== undefined) bindAndRecord(t.request, t.proof, undefined, t.ctx);
  const bound = decideBinding(t.trace, t.ctx, { audience: t.audience, client: t.auth.client, proof: t.proof, certificate: t.certificate });
  t.jkt = bound?.jkt;
  t.x5t = bound?.x5t;
  return undefined;
}

/** DPB-14: the subject token's binding is not checked; a bound subject traded for a Bearer token is a warning. */
function subjectBinding(t: TokenExchange): StepResult {
  const cnf = t.subject.cnf as Record<string, unknown> | undefined;
  const subjectBound = typeof cnf === 'object' && cnf !== null && (typeof cnf.jkt === 'string' || typeof cnf['x5t#S256'] === 'string');
  const newBound = t.jkt !== undefined || t.x5t !== undefined;
  const rule = DPOP_RULES['DPB-14'];
  const expected = 'the subject token’s binding is not verified; the new token is bound only by this request’s proof';
  const actual = `subject token ${subjectBound ? 'bound' : 'unbound'}; new token ${newBound ? 'bound' : 'Bearer'}`;
  if (subjectBound && !newBound) {
    t.trace.record({
      id: rule.id,
      passed: true,
      summary: rule.summary,
      message: rule.summary,
      fix: rule.fix ?? '',
      source: rule.source,
      expected,
      actual,
      note: 'bound subject token exchanged for an unbound token',
    });
    return undefined;
  }
  t.trace.passRule(rule, expected, actual);
  return undefined;
}

async function issueExchanged(t: TokenExchange): Promise<StepResult> {
  const ctx = t.ctx;
  const iat = serverNowSeconds(ctx);
  const grantId = t.subject.grant_id;
  const accessToken = await ctx.keys.sign({
    iss: ctx.urls.issuer,
    sub: t.user.user_id,
    aud: t.audience,
    iat,
    exp: iat + ACCESS_TOKEN_SECONDS,
    scope: t.scope,
    azp: t.auth.client.client_id,
    act: actClaim(t),
    jti: randomId(),
    // Revoking the user's grant (TOK-2, /oauth/revoke) reaches the exchanged tokens too.
    ...(typeof grantId === 'string' ? { grant_id: grantId } : {}),
    ...confirmation(t.jkt, t.x5t),
  });
  const tokenType = recordBinding(t.trace, t.jkt, { thumbprint: t.x5t, strict: isStrictFor(ctx, t.auth.client) });
  const requested = t.params.scope;
  const body: ExchangeResponse = { access_token: accessToken, expires_in: ACCESS_TOKEN_SECONDS, token_type: tokenType, issued_token_type: ACCESS_TOKEN_TYPE };
  // Auth0 returns scope only when the granted scopes differ from those asked for.
  if (requested === undefined || requested.split(' ').filter(Boolean).join(' ') !== t.scope) body.scope = t.scope;
  t.body = body;
  return undefined;
}

/** The token-exchange grant's steps, after the token endpoint's own (index.ts: client authentication, confidential only, the DPoP proof). */
export const TOKEN_EXCHANGE_STEPS: EndpointSteps<TokenExchange> = defineSteps<TokenExchange>({
  steps: [
    { name: 'subject_token_type', rule: 'TKQ-3', expected: `subject_token_type ${ACCESS_TOKEN_TYPE}`, run: subjectTokenTypeSent },
    { name: 'subject_token sent', rule: 'TKQ-3', expected: 'subject_token', wire: missing('subject_token'), run: subjectTokenSent },
    { name: 'audience sent', rule: 'TKQ-3', expected: 'audience', wire: missing('audience'), run: audienceSent },
    {
      name: 'subject token valid',
      rule: 'TKQ-5',
      expected: 'an unexpired user access token signed by this tenant, of a live grant',
      wire: INVALID_SUBJECT,
      run: subjectTokenValid,
    },
    { name: 'audience and client grant', rule: 'TKQ-4', expected: 'an API of the tenant the client has a client grant for', run: audienceGranted },
    { name: 'DPoP issuance', run: dpopIssuance },
    { name: 'subject token binding', run: subjectBinding },
    { name: 'issue token', run: issueExchanged },
  ],
});
