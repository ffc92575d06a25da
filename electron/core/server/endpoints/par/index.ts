/**
 * `/oauth/par` — Pushed Authorization Requests (RFC 9126, PAR-1..19). The pushed parameters get the same
 * validation /authorize applies (PAR-7) but every error is JSON, because PAR cannot redirect; a request
 * object, when sent, carries all authorization parameters (PAR-11). The answer is a one-time,
 * client-bound URN that lives 30 seconds, or less when the request object expires sooner (PAR-13..16).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nowMs } from '../../../clock';
import { randomToken } from '../../../random';
import type { ServerContext } from '../../context';
import { fail, isStrict, serverNowSeconds } from '../../checks/outcome';
import type { Params } from '../../checks/params';
import { authorizationParams } from '../../checks/params';
import { validateAuthorizationParams } from '../../checks/authorization-request';
import type { ClientAuthResult } from '../../checks/client-auth';
import { authenticateClient } from '../../checks/client-auth';
import { checkRedirectUri } from '../../checks/redirect-uri';
import { verifyRequestObjectClaims } from '../../checks/request-object';
import type { AuthorizationRequest } from '../../state/memory';
import type { ClientView } from '../../state/types';
import type { Passed, StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import { bindAndRecord, checkProof, dpopEnabled, dpopPolicy, proofHeader } from '../../dpop';
import { pass } from '../../recording';
import { DPOP_RULES } from '../../rules-dpop';
import { bodyKind, bodyParams } from '../body';
import { PAR_LIFETIME_SECONDS, REQUEST_URI_PREFIX } from '../policy';
import { ENDPOINT_LIMITS } from '../state';

/** PAR-3: Auth0's 10 KB body limit (the route's bodyLimit; above it Fastify answers 413). */
export const PAR_BODY_LIMIT = 10 * 1024;
/** PAR-10: at most this many `ext-` parameters are stored. */
export const MAX_EXT_PARAMS = 10;

const invalid = (description: string) => ({ status: 400, error: 'invalid_request', description });
const AUTH_FIELDS = new Set(['client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'request']);

/** What the steps of one push share: the request, then what each step establishes for the next. */
class Push implements StepContext {
  params: Params = {};
  auth!: ClientAuthResult;
  assembled: Record<string, string> = {};
  via: AuthorizationRequest['via'] = 'par';
  lifetime = PAR_LIFETIME_SECONDS;
  extra: Record<string, string> = {};
  stored!: AuthorizationRequest;
  requestUri = '';

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }

  get client(): ClientView {
    return this.auth.client;
  }
}

// The passes whose texts never vary, made once.
const RATE_LIMITS_OFF: Passed = { expected: 'no limit: rate limits are off (--rate-limits off, or the benchmark)', actual: 'not counted' };
const REQUEST_OBJECT_SENT: Passed = { expected: 'a request object when required', actual: 'request object sent' };
const NO_REQUEST_OBJECT: Passed = { expected: 'request object optional', actual: 'no request object' };

function tenantAllowsPar(p: Push): StepResult {
  const on = p.ctx.settings().parEnabled;
  if (!on) throw refuse('off');
  return 'on';
}

function formBody(p: Push): StepResult {
  if (bodyKind(p.request) !== 'form') throw refuse(contentType(p.request));
  return contentType(p.request);
}

function readForm(p: Push): StepResult {
  p.params = bodyParams(p.request, p.trace);
  return undefined;
}

function noRequestUri(p: Push): StepResult {
  if (p.params.request_uri !== undefined) throw refuse('request_uri sent');
  return '(absent)';
}

async function authenticate(p: Push): Promise<StepResult> {
  p.auth = await authenticateClient({
    authorization: p.request.headers.authorization,
    params: p.params,
    endpoint: 'par',
    endpointUrl: p.ctx.urls.par,
    ctx: p.ctx,
    trace: p.trace,
  });
  return undefined;
}

function rateLimit(p: Push): StepResult {
  const ctx = p.ctx;
  if (!ctx.rateLimits) return RATE_LIMITS_OFF;
  // The window opens at the client's first push and lasts parWindowMs; a wall-clock-aligned bucket would
  // let a burst straddling a boundary through twice and make the limit depend on when the burst started.
  const state = ctx.endpointState.parWindows;
  const now = nowMs();
  const clientId = p.client.client_id;
  const entry = state.get(clientId) ?? { count: 0, start: now };
  entry.count += 1;
  state.set(clientId, entry, entry.start + ENDPOINT_LIMITS.parWindowMs);
  const expected = `at most ${ENDPOINT_LIMITS.parPerWindow} per ${ENDPOINT_LIMITS.parWindowMs / 1000} s`;
  if (entry.count > ENDPOINT_LIMITS.parPerWindow) {
    p.reply.header('retry-after', String(Math.ceil(ENDPOINT_LIMITS.parWindowMs / 1000)));
    throw refuse(`${entry.count} in this window`, {
      expected,
      wire: { status: 429, error: 'invalid_request', description: 'Too many pushed authorization requests; retry later' },
    });
  }
  return { expected, actual: `${entry.count} in this window` };
}

/** PAR-11: with a request object, every authorization parameter comes from it. */
async function requestObject(p: Push): Promise<StepResult> {
  const params = p.params;
  if (params.request === undefined) {
    p.assembled = authorizationParams(params);
    return undefined;
  }
  const client = p.client;
  const verified = await verifyRequestObjectClaims({ jwt: params.request, client, outerParams: params, endpoint: 'par', ctx: p.ctx, trace: p.trace });
  const inner = authorizationParams(verified.params);
  // The client_id comparison itself is PAR-11 in checks/request-object.ts; this guard never lets a mismatch through.
  if (inner.client_id !== client.client_id) {
    throw refuse(`request object client_id ${inner.client_id ?? '(absent)'}`, {
      expected: `client_id ${client.client_id}`,
      wire: { status: 400, error: 'invalid_request_object', description: 'request client_id must equal the authenticated client' },
    });
  }
  p.assembled = { ...inner, client_id: client.client_id };
  p.via = 'par+jar';
  // PAR-16: never outlive the request object (its verified exp).
  const exp = verified.exp;
  if (exp !== undefined) p.lifetime = Math.max(1, Math.min(PAR_LIFETIME_SECONDS, exp - serverNowSeconds(p.ctx)));
  const ignored = Object.keys(params).filter((k) => !AUTH_FIELDS.has(k));
  return ignored.length > 0 ? `ignored form fields: ${ignored.join(', ')}` : 'no other fields';
}

/** PAR-12: a client with signed_request_object.required pushes a request object. */
function requestObjectWhenRequired(p: Push): StepResult {
  if (p.via === 'par+jar') return REQUEST_OBJECT_SENT;
  const required = p.client.signed_request_object?.required === true;
  if (required) throw refuse('no request object', { expected: 'a request object' });
  return NO_REQUEST_OBJECT;
}

function redirectUriPresent(p: Push): StepResult {
  const redirectUri = p.assembled.redirect_uri;
  if (redirectUri === undefined) throw refuse('(absent)');
  return redirectUri;
}

function redirectUriRegistered(p: Push): StepResult {
  const redirectUri = p.assembled.redirect_uri!;
  checkRedirectUri(redirectUri, p.client, p.ctx, p.trace);
  return redirectUri;
}

function extParameters(p: Push): StepResult {
  const assembled = p.assembled;
  const ext = Object.keys(assembled).filter((k) => k.startsWith('ext-'));
  if (ext.length > MAX_EXT_PARAMS) throw refuse(`${ext.length}`);
  for (const k of ext) p.extra[k] = assembled[k]!;
  return `${ext.length}`;
}

function validateAsAuthorize(p: Push): StepResult {
  p.stored = validateAuthorizationParams({
    params: p.assembled,
    client: p.client,
    redirect_uri: p.assembled.redirect_uri!,
    via: p.via,
    extra: p.extra,
    ctx: p.ctx,
    trace: p.trace,
  });
  return `response_type=${p.stored.response_type}, via ${p.via}`;
}

/**
 * DPB-6: a `DPoP` header at PAR is validated like any proof (htu = the PAR URL, replay; DPP-16); with a
 * `dpop_jkt` too (form field or request-object claim, already format-checked, DPB-5) the two must match;
 * alone, its key's thumbprint becomes the request's `dpop_jkt`. PAR is confidential-only (PAR-4), so no
 * nonce is required (DPN-1 never fires), but one sent must be current (DPN-4).
 */
async function dpopAtPar(p: Push): Promise<StepResult> {
  const proof = proofHeader(p.request);
  if (proof === undefined) return undefined;
  if (!dpopEnabled(p.ctx)) {
    pass(p.trace, DPOP_RULES['DPC-10'], 'DPoP on for the tenant', 'off: the DPoP header is ignored');
    return undefined;
  }
  const checked = await checkProof(
    p.request,
    proof,
    { endpoint: 'par', url: p.ctx.urls.par, policy: dpopPolicy(p.ctx, p.client), nonceRequired: false },
    p.ctx,
  );
  pass(p.trace, DPOP_RULES['DPP-16'], 'every DPoP header at /oauth/par validated', `valid proof, key ${checked.thumbprint}`);
  const jkt = p.stored.dpop_jkt;
  bindAndRecord(p.request, checked, jkt === undefined ? undefined : { kind: 'par', jkt }, p.ctx);
  p.stored.dpop_jkt = checked.thumbprint;
  return undefined;
}

function storeRequestUri(p: Push): StepResult {
  p.requestUri = `${REQUEST_URI_PREFIX}${randomToken(32)}`;
  p.ctx.memory.pushedRequests.set(
    p.requestUri,
    { request: p.stored, client_id: p.client.client_id, auth_method: p.auth.method, used: false },
    nowMs() + p.lifetime * 1000,
  );
  return undefined;
}

/** The steps of a push, in node-oidc-provider's order: the body, the client, the request object, then the parameters. */
export const PUSH_STEPS = defineSteps<Push>({
  steps: [
    {
      name: 'tenant allows PAR',
      rule: 'PAR-18',
      expected: 'PAR allowed for the tenant',
      wire: invalid('Pushed Authorization Requests are not enabled for this tenant'),
      run: tenantAllowsPar,
    },
    {
      name: 'form body',
      rule: 'PAR-2',
      expected: 'application/x-www-form-urlencoded',
      wire: invalid('content type must be application/x-www-form-urlencoded'),
      run: formBody,
    },
    { name: 'read the form', run: readForm },
    { name: 'no request_uri', rule: 'PAR-6', expected: 'no request_uri', wire: invalid('request_uri must not be used at the PAR endpoint'), run: noRequestUri },
    { name: 'authenticate the client', run: authenticate },
    { name: 'rate limit', rule: 'PAR-19', run: rateLimit },
    { name: 'request object', rule: 'PAR-11', expected: 'authorization parameters only inside the request object', run: requestObject },
    {
      name: 'request object when required',
      rule: 'PAR-12',
      expected: 'request object optional',
      wire: invalid('JWT-secured authorization request is required for this client'),
      run: requestObjectWhenRequired,
    },
    {
      name: 'redirect_uri present',
      rule: 'PAR-8',
      expected: 'redirect_uri',
      wire: invalid('Missing required parameter: redirect_uri'),
      run: redirectUriPresent,
    },
    {
      name: 'redirect_uri registered',
      rule: 'PAR-9',
      expected: 'a registered redirect_uri',
      run: redirectUriRegistered,
      failed: (p) => p.assembled.redirect_uri!,
    },
    {
      name: 'ext- parameters',
      rule: 'PAR-10',
      expected: `at most ${MAX_EXT_PARAMS} ext- parameters`,
      wire: invalid(`At most ${MAX_EXT_PARAMS} ext- parameters are allowed`),
      run: extParameters,
    },
    {
      name: 'validate as /authorize',
      rule: 'PAR-7',
      expected: 'a valid authorization request',
      run: validateAsAuthorize,
      failed: (_p, e) => `${e.error}: ${e.description}`,
    },
    { name: 'DPoP proof', run: dpopAtPar },
    { name: 'store the request_uri', run: storeRequestUri },
  ],
  guarantees: [
    // Fastify refuses a larger body (bodyLimit) before the handler runs; endpoints/index.ts records that failure.
    { rule: 'PAR-3', expected: `at most ${PAR_BODY_LIMIT} bytes`, actual: (p) => `${p.request.headers['content-length'] ?? '?'} bytes`, after: 'form body' },
    // The checks before it (TOK-7, TOK-8, PAR-8) hold the strict profile's demands.
    {
      rule: 'PAR-17',
      expected: 'S256 PKCE, redirect_uri, expires_in < 600',
      actual: (p) => `${p.stored.code_challenge_method ?? '(none)'}, ${p.stored.redirect_uri}, ${p.lifetime}`,
      after: 'validate as /authorize',
      when: (p) => isStrict(p.ctx),
    },
    { rule: 'PAR-14', expected: 'at least 128 random bits', actual: '256 bits from the CSPRNG' },
    { rule: 'PAR-15', expected: 'bound to the pushing client', actual: (p) => p.client.client_id },
    { rule: 'PAR-16', expected: `min(${PAR_LIFETIME_SECONDS} s, request object exp)`, actual: (p) => `${p.lifetime} s` },
    { rule: 'PAR-5', expected: 'the same method at /oauth/token', actual: (p) => `${p.auth.method} recorded` },
    { rule: 'PAR-13', expected: '201 {request_uri, expires_in}', actual: (p) => `expires_in ${p.lifetime}` },
  ],
});

function contentType(request: FastifyRequest): string {
  return String(request.headers['content-type'] ?? '(none)');
}

async function push(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const p = new Push(request, reply, ctx);
  await runSteps(PUSH_STEPS, p);
  return reply.code(201).header('cache-control', 'no-cache, no-store').send({ request_uri: p.requestUri, expires_in: p.lifetime });
}

/** Registers POST /oauth/par and the 405 answers for the other methods (PAR-1). */
export function registerPar(app: FastifyInstance, ctx: ServerContext): void {
  const config = { endpoint: 'par', errors: 'oauth' as const };
  app.post('/oauth/par', { config, bodyLimit: PAR_BODY_LIMIT }, (request, reply) => push(request, reply, ctx));
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/oauth/par',
    config,
    bodyLimit: PAR_BODY_LIMIT,
    handler: async (request, reply) => {
      reply.header('allow', 'POST');
      throw fail(request.trace, {
        rule: 'PAR-1',
        expected: 'POST',
        actual: request.method,
        wire: { status: 405, error: 'invalid_request', description: 'Only POST is allowed at the pushed authorization request endpoint' },
      });
    },
  });
}
