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
import { OAuthError } from '../../errors';
import { enforce, fail, isStrict, serverNowSeconds } from '../../checks/outcome';
import { pass, recordFailure } from '../../recording';
import { authorizationParams } from '../../checks/params';
import { validateAuthorizationParams } from '../../checks/authorization-request';
import { authenticateClient } from '../../checks/client-auth';
import { checkRedirectUri } from '../../checks/redirect-uri';
import { verifyRequestObjectClaims } from '../../checks/request-object';
import type { AuthorizationRequest } from '../../state/memory';
import { bodyKind, bodyParams } from '../body';
import { PAR_LIFETIME_SECONDS, REQUEST_URI_PREFIX } from '../policy';
import { ENDPOINT_LIMITS } from '../state';
import { RULES } from '../../rules';

/** PAR-3: Auth0's 10 KB body limit (the route's bodyLimit; above it Fastify answers 413). */
export const PAR_BODY_LIMIT = 10 * 1024;
/** PAR-10: at most this many `ext-` parameters are stored. */
export const MAX_EXT_PARAMS = 10;

const invalid = (description: string) => ({ status: 400, error: 'invalid_request', description });
const AUTH_FIELDS = new Set(['client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'request']);

function rateLimit(ctx: ServerContext, clientId: string, trace: FastifyRequest['trace'], reply: FastifyReply): void {
  if (!ctx.rateLimits) {
    pass(trace, RULES['PAR-19'], 'no limit: rate limits are off (--rate-limits off, or the benchmark)', 'not counted');
    return;
  }
  // The window opens at the client's first push and lasts parWindowMs; a wall-clock-aligned bucket would
  // let a burst straddling a boundary through twice and make the limit depend on when the burst started.
  const state = ctx.endpointState.parWindows;
  const now = nowMs();
  const entry = state.get(clientId) ?? { count: 0, start: now };
  entry.count += 1;
  state.set(clientId, entry, entry.start + ENDPOINT_LIMITS.parWindowMs);
  if (entry.count > ENDPOINT_LIMITS.parPerWindow) {
    reply.header('retry-after', String(Math.ceil(ENDPOINT_LIMITS.parWindowMs / 1000)));
    throw fail(trace, RULES['PAR-19'], `at most ${ENDPOINT_LIMITS.parPerWindow} per ${ENDPOINT_LIMITS.parWindowMs / 1000} s`, `${entry.count} in this window`, { status: 429, error: 'invalid_request', description: 'Too many pushed authorization requests; retry later' });
  }
  pass(trace, RULES['PAR-19'], `at most ${ENDPOINT_LIMITS.parPerWindow} per ${ENDPOINT_LIMITS.parWindowMs / 1000} s`, `${entry.count} in this window`);
}

async function push(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const t = request.trace;
  enforce(t, RULES['PAR-18'], ctx.settings().parEnabled, 'PAR allowed for the tenant', ctx.settings().parEnabled ? 'on' : 'off', invalid('Pushed Authorization Requests are not enabled for this tenant'));
  const kind = bodyKind(request);
  enforce(t, RULES['PAR-2'], kind === 'form', 'application/x-www-form-urlencoded', String(request.headers['content-type'] ?? '(none)'), invalid('content type must be application/x-www-form-urlencoded'));
  pass(t, RULES['PAR-3'], `at most ${PAR_BODY_LIMIT} bytes`, `${request.headers['content-length'] ?? '?'} bytes`);
  const params = bodyParams(request, t);
  enforce(t, RULES['PAR-6'], params.request_uri === undefined, 'no request_uri', params.request_uri === undefined ? '(absent)' : 'request_uri sent', invalid('request_uri must not be used at the PAR endpoint'));

  const auth = await authenticateClient({ authorization: request.headers.authorization, params, endpoint: 'par', endpointUrl: ctx.urls.par, ctx, trace: t });
  const client = auth.client;
  rateLimit(ctx, client.client_id, t, reply);

  let assembled: Record<string, string>;
  let via: AuthorizationRequest['via'];
  let lifetime = PAR_LIFETIME_SECONDS;
  if (params.request !== undefined) {
    const verified = await verifyRequestObjectClaims({ jwt: params.request, client, outerParams: params, endpoint: 'par', ctx, trace: t });
    const inner = authorizationParams(verified.params);
    // The client_id comparison itself is PAR-11 in checks/request-object.ts; this guard never lets a mismatch through.
    if (inner.client_id !== client.client_id) throw fail(t, RULES['PAR-11'], `client_id ${client.client_id}`, `request object client_id ${inner.client_id ?? '(absent)'}`, { status: 400, error: 'invalid_request_object', description: 'request client_id must equal the authenticated client' });
    const ignored = Object.keys(params).filter((k) => !AUTH_FIELDS.has(k));
    pass(t, RULES['PAR-11'], 'authorization parameters only inside the request object', ignored.length > 0 ? `ignored form fields: ${ignored.join(', ')}` : 'no other fields');
    pass(t, RULES['PAR-12'], 'a request object when required', 'request object sent');
    assembled = { ...inner, client_id: client.client_id };
    via = 'par+jar';
    // PAR-16: never outlive the request object (its verified exp).
    const exp = verified.exp;
    if (exp !== undefined) lifetime = Math.max(1, Math.min(PAR_LIFETIME_SECONDS, exp - serverNowSeconds(ctx)));
  } else {
    const required = client.signed_request_object?.required === true;
    enforce(t, RULES['PAR-12'], !required, required ? 'a request object' : 'request object optional', 'no request object', invalid('JWT-secured authorization request is required for this client'));
    assembled = authorizationParams(params);
    via = 'par';
  }

  const redirectUri = assembled.redirect_uri;
  enforce(t, RULES['PAR-8'], redirectUri !== undefined, 'redirect_uri', redirectUri ?? '(absent)', invalid('Missing required parameter: redirect_uri'));
  try {
    checkRedirectUri(redirectUri!, client, ctx, t);
  } catch (e) {
    if (e instanceof OAuthError) recordFailure(t, RULES['PAR-9'], 'a registered redirect_uri', redirectUri!);
    throw e;
  }
  pass(t, RULES['PAR-9'], 'a registered redirect_uri', redirectUri!);

  const ext = Object.keys(assembled).filter((k) => k.startsWith('ext-'));
  enforce(t, RULES['PAR-10'], ext.length <= MAX_EXT_PARAMS, `at most ${MAX_EXT_PARAMS} ext- parameters`, `${ext.length}`, invalid(`At most ${MAX_EXT_PARAMS} ext- parameters are allowed`));
  const extra: Record<string, string> = {};
  for (const k of ext) extra[k] = assembled[k]!;

  let stored: AuthorizationRequest;
  try {
    stored = validateAuthorizationParams({ params: assembled, client, redirect_uri: redirectUri!, via, extra, ctx, trace: t });
  } catch (e) {
    if (e instanceof OAuthError) recordFailure(t, RULES['PAR-7'], 'a valid authorization request', `${e.error}: ${e.description}`);
    throw e;
  }
  pass(t, RULES['PAR-7'], 'a valid authorization request', `response_type=${stored.response_type}, via ${via}`);
  if (isStrict(ctx)) pass(t, RULES['PAR-17'], 'S256 PKCE, redirect_uri, expires_in < 600', `${stored.code_challenge_method ?? '(none)'}, ${stored.redirect_uri}, ${lifetime}`);

  const requestUri = `${REQUEST_URI_PREFIX}${randomToken(32)}`;
  pass(t, RULES['PAR-14'], 'at least 128 random bits', '256 bits from the CSPRNG');
  ctx.memory.pushedRequests.set(requestUri, { request: stored, client_id: client.client_id, auth_method: auth.method, used: false }, nowMs() + lifetime * 1000);
  pass(t, RULES['PAR-15'], 'bound to the pushing client', client.client_id);
  pass(t, RULES['PAR-16'], `min(${PAR_LIFETIME_SECONDS} s, request object exp)`, `${lifetime} s`);
  pass(t, RULES['PAR-5'], 'the same method at /oauth/token', `${auth.method} recorded`);
  pass(t, RULES['PAR-13'], '201 {request_uri, expires_in}', `expires_in ${lifetime}`);
  return reply.code(201).header('cache-control', 'no-cache, no-store').send({ request_uri: requestUri, expires_in: lifetime });
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
      throw fail(request.trace, RULES['PAR-1'], 'POST', request.method, { status: 405, error: 'invalid_request', description: 'Only POST is allowed at the pushed authorization request endpoint' });
    },
  });
}
