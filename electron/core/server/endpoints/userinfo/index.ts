/**
 * `/userinfo` (GET or POST, `Authorization: Bearer`): the signed-in user's claims for the scopes of the
 * access token. Only tokens whose audience includes `{issuer}userinfo` are accepted (so a client-credentials
 * token or an API-only token is refused, as at Auth0), and tokens of a revoked grant stop working (TOK-2).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { fail, serverNowSeconds } from '../../checks/outcome';
import { pass } from '../../recording';
import { RULES } from '../../rules';

async function userinfo(request: FastifyRequest, ctx: ServerContext): Promise<Record<string, unknown>> {
  const t = request.trace;
  const wire = (description: string) => ({ status: 401, error: 'invalid_token', description, authScheme: 'Bearer' as const });
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim()) : null;
  if (!m || m[1] === undefined || m[1].length > 8192) throw fail(t, RULES['USR-1'], 'Authorization: Bearer <token>', header === undefined ? '(no Authorization header)' : 'another scheme or a malformed token', wire('Missing or malformed bearer token'));
  let payload;
  try {
    payload = await ctx.keys.verify(m[1], { issuer: ctx.urls.issuer, audience: ctx.urls.userinfo, currentDate: new Date(serverNowSeconds(ctx) * 1000) });
  } catch (e) {
    throw fail(t, RULES['USR-1'], `a token of this tenant with aud ${ctx.urls.userinfo}`, e instanceof Error ? e.message : 'invalid', wire('Invalid access token'));
  }
  const grantId = typeof payload.grant_id === 'string' ? payload.grant_id : undefined;
  if (grantId !== undefined && ctx.memory.revokedGrants.has(grantId)) throw fail(t, RULES['USR-1'], 'an unrevoked grant', 'revoked', wire('Invalid access token'));
  const user = typeof payload.sub === 'string' ? ctx.directory.getUser(payload.sub) : undefined;
  if (!user) throw fail(t, RULES['USR-1'], 'a token issued to a user', String(payload.sub), wire('Invalid access token'));
  if (typeof payload.azp === 'string') t.clientId = payload.azp;
  pass(t, RULES['USR-1'], 'a valid user access token', user.user_id);
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
