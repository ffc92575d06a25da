/**
 * `/oauth/token` (form body, and JSON as Auth0 also accepts): grant type, client authentication
 * (checks/client-auth.ts), then the grant. Responses and errors follow the Auth0 recordings (O4): 200
 * `{access_token, id_token?, refresh_token?, scope, expires_in: 86400, token_type: "Bearer"}`, 403
 * invalid_grant (E-2), 401 for client authentication (E-3, TOK-9).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { isStrict } from '../../checks/outcome';
import { authenticateClient } from '../../checks/client-auth';
import { checkProof, dpopEnabled, dpopPolicy, isPublicClient, nonceHeaders, proofHeader } from '../../dpop';
import { OAuthError } from '../../errors';
import { pass } from '../../recording';
import { DPOP_RULES } from '../../rules-dpop';
import type { StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import { bodyKind, bodyParams } from '../body';
import type { GrantType } from './exchange';
import { TokenExchange } from './exchange';
import { GRANT_STEPS } from './grants';

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
  const allowed = auth.client.grant_types.includes(grantType) && !(grantType === 'client_credentials' && auth.method === 'none');
  const expected = `${grantType} in grant_types${grantType === 'client_credentials' ? ' (confidential clients only)' : ''}`;
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
  t.noncePolicy = isPublicClient(client);
  t.proof = await checkProof(
    t.request,
    proof,
    { endpoint: 'token', url: t.ctx.urls.token, policy: dpopPolicy(t.ctx, client), nonceRequired: t.noncePolicy },
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
    { name: 'grant type allowed', rule: 'TKQ-2', run: grantAllowed },
    { name: 'DPoP proof', run: dpopProof },
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
