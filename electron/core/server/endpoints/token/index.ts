/**
 * `/oauth/token` (form body, and JSON as Auth0 also accepts): grant type, client authentication
 * (checks/client-auth.ts), then the grant. Responses and errors follow the Auth0 recordings (O4): 200
 * `{access_token, id_token?, refresh_token?, scope, expires_in: 86400, token_type: "Bearer"}`, 403
 * invalid_grant (E-2), 401 for client authentication (E-3, TOK-9).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { OAuthError } from '../../errors';
import { enforce, fail } from '../../checks/outcome';
import { pass, recordFailure } from '../../recording';
import { authenticateClient } from '../../checks/client-auth';
import { bodyKind, bodyParams } from '../body';
import { authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant } from './grants';
import { RULES } from '../../rules';

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
} as const;

type GrantType = keyof typeof GRANTS;

function isGrant(value: string): value is GrantType {
  return Object.hasOwn(GRANTS, value);
}

async function token(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const t = request.trace;
  const kind = bodyKind(request);
  enforce(t, RULES['TKQ-3'], kind === 'form' || kind === 'json', 'application/x-www-form-urlencoded or application/json', String(request.headers['content-type'] ?? '(none)'), {
    status: 400,
    error: 'invalid_request',
    description: 'content type must be application/x-www-form-urlencoded or application/json',
  });
  const params = bodyParams(request, t);
  const grantType = params.grant_type;
  if (grantType === undefined) throw fail(t, RULES['TKQ-1'], 'grant_type', '(absent)', { status: 400, error: 'invalid_request', description: 'Missing required parameter: grant_type' });
  if (!isGrant(grantType)) throw fail(t, RULES['TKQ-1'], Object.keys(GRANTS).join(', '), grantType.slice(0, 100), { status: 400, error: 'unsupported_grant_type', description: `Unsupported grant type: ${grantType.slice(0, 100)}` });
  pass(t, RULES['TKQ-1'], Object.keys(GRANTS).join(', '), grantType);

  let auth;
  try {
    auth = await authenticateClient({ authorization: request.headers.authorization, params, endpoint: 'token', endpointUrl: ctx.urls.token, ctx, trace: t });
  } catch (e) {
    if (e instanceof OAuthError && e.status === 401) recordFailure(t, RULES['TOK-9'], '401 access_denied (secret) or invalid_client (assertion)', `401 ${e.error}`);
    throw e;
  }
  pass(t, RULES['TOK-9'], 'an authenticated client', auth.method);
  const allowed = auth.client.grant_types.includes(grantType) && !(grantType === 'client_credentials' && auth.method === 'none');
  enforce(t, RULES['TKQ-2'], allowed, `${grantType} in grant_types${grantType === 'client_credentials' ? ' (confidential clients only)' : ''}`, JSON.stringify(auth.client.grant_types), {
    status: 403,
    error: 'unauthorized_client',
    description: `Grant type '${grantType}' not allowed for the client.`,
  });
  try {
    const body = await GRANTS[grantType](params, auth, ctx, t);
    return reply.code(200).header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
  } catch (e) {
    if (e instanceof OAuthError && e.error === 'invalid_grant') pass(t, RULES['E-2'], ctx.settings().profile === 'strict' ? '400 (strict)' : '403 (Auth0)', String(e.status));
    throw e;
  }
}

/** Registers POST /oauth/token. */
export function registerToken(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/oauth/token', { config: { endpoint: 'token', errors: 'oauth' } }, (request, reply) => token(request, reply, ctx));
}
