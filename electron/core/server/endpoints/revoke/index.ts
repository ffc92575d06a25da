/**
 * `/oauth/revoke` (RFC 7009): revokes a refresh token and its grant. The client authenticates as at the
 * token endpoint; any token it does not own — unknown, expired, another client's, or an access token —
 * gets the same empty 200, so the endpoint says nothing about tokens that are not the caller's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { enforce, fail } from '../../checks/outcome';
import { pass } from '../../recording';
import { authenticateClient } from '../../checks/client-auth';
import { bodyKind, bodyParams } from '../body';
import { revokeGrant } from '../token/grants';
import { RULES } from '../../rules';

async function revoke(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const t = request.trace;
  const kind = bodyKind(request);
  enforce(t, RULES['RVK-1'], kind === 'form' || kind === 'json', 'a form or JSON body', String(request.headers['content-type'] ?? '(none)'), { status: 400, error: 'invalid_request', description: 'content type must be application/x-www-form-urlencoded or application/json' });
  const params = bodyParams(request, t);
  const auth = await authenticateClient({ authorization: request.headers.authorization, params, endpoint: 'revoke', endpointUrl: ctx.urls.revoke, ctx, trace: t });
  const token = params.token;
  if (token === undefined) throw fail(t, RULES['RVK-1'], 'token', '(absent)', { status: 400, error: 'invalid_request', description: 'Missing required parameter: token' });
  const grant = token.length > 200 ? undefined : ctx.memory.refreshTokens.get(token);
  if (grant && grant.client_id === auth.client.client_id) {
    revokeGrant(ctx, grant.grant_id);
    pass(t, RULES['RVK-1'], 'a refresh token of this client', 'revoked with its grant');
  } else {
    pass(t, RULES['RVK-1'], 'a refresh token of this client', grant ? 'another client’s token: ignored' : 'unknown token: ignored (200 as RFC 7009 §2.2 says)');
  }
  return reply.code(200).send();
}

/** Registers POST /oauth/revoke. */
export function registerRevoke(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/oauth/revoke', { config: { endpoint: 'revoke', errors: 'oauth' } }, (request, reply) => revoke(request, reply, ctx));
}
