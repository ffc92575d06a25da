/**
 * `/oauth/revoke` (RFC 7009): revokes a refresh token and its grant. The client authenticates as at the
 * token endpoint; any token it does not own — unknown, expired, another client's, or an access token —
 * gets the same empty 200, so the endpoint says nothing about tokens that are not the caller's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import type { Params } from '../../checks/params';
import { authenticateClient } from '../../checks/client-auth';
import type { ClientAuthResult } from '../../checks/client-auth';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import { DPOP_RULES } from '../../rules-dpop';
import { bodyKind, bodyParams } from '../body';
import { CROSS_ORIGIN_EXPECTED, crossOriginCaller } from '../cors';
import { revokeGrant } from '../token/rotation';

/** What the steps of one revocation share. */
class Revocation implements StepContext {
  params: Params = {};
  auth!: ClientAuthResult;

  constructor(
    readonly request: FastifyRequest,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}

function contentType(r: Revocation): StepResult {
  const kind = bodyKind(r.request);
  const sent = String(r.request.headers['content-type'] ?? '(none)');
  if (kind !== 'form' && kind !== 'json') throw refuse(sent);
  return sent;
}

function readBody(r: Revocation): StepResult {
  r.params = bodyParams(r.request, r.trace);
  return undefined;
}

async function authenticate(r: Revocation): Promise<StepResult> {
  r.auth = await authenticateClient({
    authorization: r.request.headers.authorization,
    params: r.params,
    endpoint: 'revoke',
    endpointUrl: r.ctx.urls.revoke,
    ctx: r.ctx,
    trace: r.trace,
  });
  return undefined;
}

function tokenSent(r: Revocation): StepResult {
  if (r.params.token === undefined) throw refuse('(absent)');
  return undefined;
}

function revokeOwnToken(r: Revocation): StepResult {
  const token = r.params.token!;
  const grant = token.length > 200 ? undefined : r.ctx.memory.refreshTokens.get(token);
  if (grant && grant.client_id === r.auth.client.client_id) {
    revokeGrant(r.ctx, grant.grant_id);
    if (grant.session_id === undefined) return 'revoked with its grant';
    // DA12: revoking an online refresh token ends the browser session it is tied to (and so every other one).
    r.ctx.endpointState.sessions.delete(grant.session_id);
    return 'online refresh token: revoked with its grant and its browser session';
  }
  return grant ? 'another client’s token: ignored' : 'unknown token: ignored (200 as RFC 7009 §2.2 says)';
}

export const REVOKE_STEPS = defineSteps<Revocation>({
  steps: [
    {
      name: 'content type',
      rule: 'RVK-1',
      expected: 'a form or JSON body',
      wire: { status: 400, error: 'invalid_request', description: 'content type must be application/x-www-form-urlencoded or application/json' },
      run: contentType,
    },
    { name: 'read the body', run: readBody },
    { name: 'authenticate the client', run: authenticate },
    // ED-3: a browser app on another origin, once its client is known (endpoints/cors.ts).
    { name: 'cross-origin caller', rule: DPOP_RULES['ED-3'], expected: CROSS_ORIGIN_EXPECTED, run: (r) => crossOriginCaller(r, r.auth.client) },
    {
      name: 'token sent',
      rule: 'RVK-1',
      expected: 'token',
      wire: { status: 400, error: 'invalid_request', description: 'Missing required parameter: token' },
      run: tokenSent,
    },
    { name: 'revoke the client’s own token', rule: 'RVK-1', expected: 'a refresh token of this client', run: revokeOwnToken },
  ],
});

async function revoke(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  await runSteps(REVOKE_STEPS, new Revocation(request, ctx));
  return reply.code(200).send();
}

/** Registers POST /oauth/revoke. */
export function registerRevoke(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/oauth/revoke', { config: { endpoint: 'revoke', errors: 'oauth' } }, (request, reply) => revoke(request, reply, ctx));
}
