/**
 * The Authentication API of the embedded tenant: one folder per endpoint, all registered in one Fastify
 * scope that owns the cookie plugin, the catch-all body parser (so endpoints, not the framework, answer
 * unsupported content types with their rule ids), and the default security headers of HTML responses.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { registerAuthorize } from './authorize';
import { acceptAnyBody } from './body';
import { registerCors } from './cors';
import { registerDiscovery } from './discovery';
import { pageCsp, setPageHeaders } from './html';
import { registerLogin } from './login';
import { registerLogout } from './logout';
import { PAR_BODY_LIMIT, registerPar } from './par';
import { registerRegistration } from './register';
import { registerRevoke } from './revoke';
import { registerToken } from './token';
import { registerUserinfo } from './userinfo';
import { RULES } from '../rules';
import { recordFailure } from '../recording';

/** Registers every Authentication API route (discovery, JWKS, /authorize, sign-in, PAR, token, userinfo, revoke, logout, dynamic registration). */
export async function registerAuthenticationRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyCookie);
    acceptAnyBody(scope);

    // Pages this scope did not render itself (the central HTML error page) still get a strict CSP.
    scope.addHook('onSend', (_request, reply, payload, done) => {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('text/html') && !reply.hasHeader('content-security-policy'))
        setPageHeaders(reply, pageCsp(undefined, []));
      done(null, payload);
    });

    // PAR-3: the framework refuses an oversized PAR body (413) before the handler runs; name the rule in the
    // trace, then let the central handler answer.
    scope.setErrorHandler((error: FastifyError, request) => {
      if (error.statusCode === 413 && request.routeOptions.config.endpoint === 'par') {
        const rule = RULES['PAR-3'];
        recordFailure(request.trace, rule, `at most ${PAR_BODY_LIMIT} bytes`, `${request.headers['content-length'] ?? 'more'} bytes`);
      }
      throw error;
    });

    // ED-3: preflights and CORS headers for the endpoints a browser app on another origin calls.
    registerCors(scope, ctx);

    registerDiscovery(scope, ctx);
    registerAuthorize(scope, ctx);
    registerLogin(scope, ctx);
    registerPar(scope, ctx);
    registerToken(scope, ctx);
    registerUserinfo(scope, ctx);
    registerRevoke(scope, ctx);
    registerLogout(scope, ctx);
    registerRegistration(scope, ctx);
  });
}
