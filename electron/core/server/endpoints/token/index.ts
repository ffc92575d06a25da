/**
 * `/oauth/token` (form body, and JSON as Auth0 also accepts): grant type, client authentication
 * (checks/client-auth.ts), then the grant. Responses and errors follow the Auth0 recordings (O4): 200
 * `{access_token, id_token?, refresh_token?, scope, expires_in: 86400, token_type: "Bearer"}`, 403
 * invalid_grant (E-2), 401 for client authentication (E-3, TOK-9).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { nowMs } from '../../../clock';
import type { ServerContext } from '../../context';
import { isStrict, isStrictFor } from '../../checks/outcome';
import { authenticateClient } from '../../checks/client-auth';
import { checkProof, dpopEnabled, dpopPolicy, isPublicClient, nonceHeaders, proofHeader } from '../../dpop';
import { OAuthError } from '../../errors';
import { clientCertificate } from '../../mtls';
import { pass } from '../../recording';
import { DPOP_RULES } from '../../rules-dpop';
import type { StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import { bodyKind, bodyParams } from '../body';
import { ACCESS_TOKEN_SECONDS } from '../policy';
import { CROSS_ORIGIN_EXPECTED, crossOriginCaller } from '../cors';
import type { GrantType } from './exchange';
import { TOKEN_EXCHANGE, TokenExchange } from './exchange';
import { GRANT_STEPS } from './grants';
import { subjectIssuedUnderNoncePolicy } from './token-exchange';

const GRANT_TYPES = Object.keys(GRANT_STEPS).join(', ');

function isGrant(value: string): value is GrantType {
  return Object.hasOwn(GRANT_STEPS, value);
}

function contentType(t: TokenExchange): StepResult {
  const kind = bodyKind(t.request);
  const sent = String(t.request.headers['content-type'] ?? '(none)');
  if (kind !== 'form' && kind !== 'json') throw refuse(sent);
  return sent;
}

function readBody(t: TokenExchange): StepResult {
  t.params = bodyParams(t.request, t.trace);
  return undefined;
}

function grantType(t: TokenExchange): StepResult {
  const grantType = t.params.grant_type;
  if (grantType === undefined)
    throw refuse('(absent)', {
      expected: 'grant_type',
      wire: { status: 400, error: 'invalid_request', description: 'Missing required parameter: grant_type' },
    });
  if (!isGrant(grantType))
    throw refuse(grantType.slice(0, 100), {
      wire: { status: 400, error: 'unsupported_grant_type', description: `Unsupported grant type: ${grantType.slice(0, 100)}` },
    });
  t.grantType = grantType;
  return grantType;
}

async function authenticate(t: TokenExchange): Promise<StepResult> {
  t.auth = await authenticateClient({
    authorization: t.request.headers.authorization,
    params: t.params,
    endpoint: 'token',
    endpointUrl: t.ctx.urls.token,
    ctx: t.ctx,
    trace: t.trace,
  });
  return t.auth.method;
}

function grantAllowed(t: TokenExchange): StepResult {
  const { grantType, auth } = t;
  // client_credentials and token exchange are for confidential clients only (Auth0: an OBO client cannot use
  // token_endpoint_auth_method none, DA9).
  const confidentialOnly = grantType === 'client_credentials' || grantType === TOKEN_EXCHANGE;
  const allowed = auth.client.grant_types.includes(grantType) && !(confidentialOnly && auth.method === 'none');
  const expected = `${grantType} in grant_types${confidentialOnly ? ' (confidential clients only)' : ''}`;
  const actual = JSON.stringify(auth.client.grant_types);
  if (!allowed)
    throw refuse(actual, {
      expected,
      wire: { status: 403, error: 'unauthorized_client', description: `Grant type '${grantType}' not allowed for the client.` },
    });
  return { expected, actual };
}

/**
 * DPoP phase A (DPP-1..10, DPN-1, DPN-4; DPP-14 order): the proof alone, after the client is known (its
 * nonce policy, DPN-1/DPC-9) and before the grant is looked up, so that a bad proof or a nonce challenge
 * leaves the code or refresh token untouched (DPB-8, X-D23). Validated even when DPB-1 will ignore it
 * (DPP-16). With DPoP off for the tenant the header is ignored (DPC-10).
 */
async function dpopProof(t: TokenExchange): Promise<StepResult> {
  const proof = proofHeader(t.request);
  if (proof === undefined) return undefined;
  if (!dpopEnabled(t.ctx)) {
    pass(t.trace, DPOP_RULES['DPC-10'], 'DPoP on for the tenant', 'off: the DPoP header is ignored and a Bearer token issued');
    return undefined;
  }
  const client = t.auth.client;
  // DPN-3: a confidential caller exchanging a token issued to a public client under the nonce policy needs a nonce too.
  t.subjectNoncePolicy = !isPublicClient(client) && t.grantType === TOKEN_EXCHANGE && subjectIssuedUnderNoncePolicy(t);
  t.noncePolicy = isPublicClient(client) || t.subjectNoncePolicy;
  t.proof = await checkProof(
    t.request,
    proof,
    {
      endpoint: 'token',
      url: t.ctx.urls.token,
      policy: dpopPolicy(t.ctx, client),
      nonceRequired: t.noncePolicy,
      ...(t.subjectNoncePolicy ? { nonceRule: 'DPN-3' as const } : {}),
    },
    t.ctx,
  );
  pass(t.trace, DPOP_RULES['DPP-16'], 'every DPoP header at /oauth/token validated', `valid proof, key ${t.proof.thumbprint}`);
  if (!t.noncePolicy)
    pass(
      t.trace,
      DPOP_RULES['DPN-2'],
      'no nonce required of a confidential client; one sent must be valid',
      t.proof.context.payload?.nonce === undefined ? 'no nonce' : 'a current nonce',
    );
  return undefined;
}

/**
 * The mTLS client certificate of the connection (mtls.ts), for DPB-1's binding to an mTLS API. DPB-15: with
 * a valid DPoP proof as well, Auth0 binds to the DPoP key and ignores the certificate (nextjs-auth0, DO3);
 * the strict profile refuses the pair (node-oidc-provider, N1) — before the grant is touched, like any DPoP
 * refusal (DPB-8).
 */
function clientCertificateStep(t: TokenExchange): StepResult {
  t.certificate = clientCertificate(t.request);
  if (t.certificate === undefined) return undefined;
  if (t.proof === undefined)
    return { expected: 'at most one proof-of-possession mechanism', actual: `client certificate only (x5t#S256 ${t.certificate.thumbprint})` };
  const strict = isStrictFor(t.ctx, t.auth.client);
  const expected = strict ? 'one proof-of-possession mechanism per token request (strict)' : 'the DPoP key wins over the client certificate (Auth0)';
  const actual = `DPoP proof (key ${t.proof.thumbprint}) and client certificate (x5t#S256 ${t.certificate.thumbprint})`;
  if (strict) throw refuse(actual, { expected });
  return { expected, actual: `${actual}: the certificate is ignored` };
}

/**
 * DPN-3: remembers the access token a public client got under the nonce policy (its jti, until it expires), so
 * that a token exchange of it asks the middle tier for a nonce as well (token-exchange.ts).
 */
function rememberNonceIssued(t: TokenExchange): void {
  const { jti } = decodeJwt(t.body.access_token);
  // The store's clock is the real one (the token's exp follows the simulated clock offset): kept for the token's lifetime from now.
  if (typeof jti === 'string') t.ctx.memory.nonceIssuedTokens.set(jti, true, nowMs() + ACCESS_TOKEN_SECONDS * 1000);
}

/** The grant's own steps (grants.ts). */
async function grant(t: TokenExchange): Promise<StepResult> {
  await runSteps(GRANT_STEPS[t.grantType], t);
  return undefined;
}

/** The token endpoint's steps; the grant's follow in its own list (grants.ts). DPoP adds its proof steps here. */
export const TOKEN_STEPS = defineSteps<TokenExchange>({
  steps: [
    {
      name: 'content type',
      rule: 'TKQ-3',
      expected: 'application/x-www-form-urlencoded or application/json',
      wire: { status: 400, error: 'invalid_request', description: 'content type must be application/x-www-form-urlencoded or application/json' },
      run: contentType,
    },
    { name: 'read the body', run: readBody },
    { name: 'grant type', rule: 'TKQ-1', expected: GRANT_TYPES, run: grantType },
    {
      name: 'authenticate the client',
      rule: 'TOK-9',
      expected: 'an authenticated client',
      run: authenticate,
      failed: (_t, e) => (e.status === 401 ? { expected: '401 access_denied (secret) or invalid_client (assertion)', actual: `401 ${e.error}` } : undefined),
    },
    // ED-3: a browser app on another origin, once its client is known (endpoints/cors.ts).
    { name: 'cross-origin caller', rule: DPOP_RULES['ED-3'], expected: CROSS_ORIGIN_EXPECTED, run: (t) => crossOriginCaller(t, t.auth.client) },
    { name: 'grant type allowed', rule: 'TKQ-2', run: grantAllowed },
    { name: 'DPoP proof', run: dpopProof },
    {
      name: 'mTLS client certificate',
      rule: DPOP_RULES['DPB-15'],
      wire: { status: 400, error: 'invalid_request', description: 'multiple proof-of-possession mechanisms are not allowed' },
      run: clientCertificateStep,
    },
    { name: 'grant', run: grant },
  ],
  guarantees: [
    // policy.ts invalidGrantStatus: every invalid_grant of the grants is answered with the profile's status.
    {
      rule: 'E-2',
      expected: (t) => (isStrict(t.ctx) ? '400 (strict)' : '403 (Auth0)'),
      actual: (_t, e) => String(e?.status),
      after: 'grant',
      onFailure: true,
      when: (_t, e) => e?.error === 'invalid_grant',
    },
  ],
});

async function token(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const t = new TokenExchange(request, ctx);
  try {
    await runSteps(TOKEN_STEPS, t);
  } catch (e) {
    // DPN-5, DPN-6: a client under the nonce policy gets the newest nonce on every answer, errors included.
    if (e instanceof OAuthError && t.noncePolicy) e.headers = { ...nonceHeaders(ctx), ...e.headers };
    throw e;
  }
  if (t.noncePolicy && !t.subjectNoncePolicy) rememberNonceIssued(t);
  if (t.noncePolicy) {
    reply.headers(nonceHeaders(ctx));
    pass(
      t.trace,
      DPOP_RULES['DPN-5'],
      'a fresh DPoP-Nonce on every token response to a client under the nonce policy',
      'DPoP-Nonce sent (Cache-Control: no-store)',
    );
  }
  return reply.code(200).header('cache-control', 'no-store').header('pragma', 'no-cache').send(t.body);
}

/** Registers POST /oauth/token. */
export function registerToken(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/oauth/token', { config: { endpoint: 'token', errors: 'oauth' } }, (request, reply) => token(request, reply, ctx));
}
