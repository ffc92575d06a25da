/**
 * `/userinfo` (GET or POST, `Authorization: Bearer`): the signed-in user's claims for the scopes of the
 * access token. Only tokens whose audience includes `{issuer}userinfo` are accepted (so a client-credentials
 * token or an API-only token is refused, as at Auth0), and tokens of a revoked grant stop working (TOK-2).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import type { InlineRule } from '../../checks/outcome';
import { fail, pass, serverNowSeconds } from '../../checks/outcome';

const USR_1: InlineRule = {
  id: 'USR-1',
  summary: 'A valid, unrevoked access token for /userinfo is sent as a Bearer token.',
  source: 'OIDC Core §5.3; RFC 6750 §2.1, §3',
  fix: 'Send Authorization: Bearer <access_token> from a code exchange that requested openid.',
};

async function userinfo(request: FastifyRequest, ctx: ServerContext): Promise<Record<string, unknown>> {
  const t = request.trace;
  const wire = (description: string) => ({ status: 401, error: 'invalid_token', description, authScheme: 'Bearer' as const });
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim()) : null;
  if (!m || m[1] === undefined || m[1].length > 8192) throw fail(t, USR_1, 'Authorization: Bearer <token>', header === undefined ? '(no Authorization header)' : 'another scheme or a malformed token', wire('Missing or malformed bearer token'));
  let payload;
  try {
    payload = await ctx.keys.verify(m[1], { issuer: ctx.urls.issuer, audience: ctx.urls.userinfo, currentDate: new Date(serverNowSeconds(ctx) * 1000) });
  } catch (e) {
    throw fail(t, USR_1, `a token of this tenant with aud ${ctx.urls.userinfo}`, e instanceof Error ? e.message : 'invalid', wire('Invalid access token'));
  }
  const grantId = typeof payload.grant_id === 'string' ? payload.grant_id : undefined;
  if (grantId !== undefined && ctx.memory.revokedGrants.has(grantId)) throw fail(t, USR_1, 'an unrevoked grant', 'revoked', wire('Invalid access token'));
  const user = typeof payload.sub === 'string' ? ctx.directory.getUser(payload.sub) : undefined;
  if (!user) throw fail(t, USR_1, 'a token issued to a user', String(payload.sub), wire('Invalid access token'));
  if (typeof payload.azp === 'string') t.clientId = payload.azp;
  pass(t, USR_1, 'a valid user access token', user.user_id);
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  const claims: Record<string, unknown> = { sub: user.user_id };
  if (scopes.includes('profile')) claims.name = user.name;
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.email_verified;
  }
  return claims;
}

/** Registers GET and POST /userinfo. */
export function registerUserinfo(app: FastifyInstance, ctx: ServerContext): void {
  const config = { endpoint: 'userinfo', errors: 'oauth' as const };
  app.get('/userinfo', { config }, (request) => userinfo(request, ctx));
  app.post('/userinfo', { config }, (request) => userinfo(request, ctx));
}
