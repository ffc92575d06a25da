/**
 * `/v2/logout` (Auth0) and `/oidc/logout` (OIDC RP-Initiated Logout, what discovery advertises as
 * end_session_endpoint, like Auth0's): sign the browser out and go back to a URL from the client's
 * Allowed Logout URLs, or show a signed-out page. A returnTo that is not allowed is never followed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { ServerContext } from '../../context';
import { HtmlError } from '../../errors';
import { fail } from '../../checks/outcome';
import { pass } from '../../recording';
import { readParams } from '../../checks/params';
import { forbiddenScheme } from '../../checks/redirect-uri';
import { bodyKind } from '../body';
import { sendPage } from '../html';
import { signedOutPage } from '../interaction/pages';
import { endSession } from '../interaction/session';
import { RULES } from '../../rules';

/** The client an id_token_hint names. The hint only chooses which allow-list applies (client_id could name any), so it is decoded, not verified. */
function clientFromHint(hint: string | undefined): string | undefined {
  if (hint === undefined || hint.length > 8192) return undefined;
  try {
    const aud = decodeJwt(hint).aud;
    return typeof aud === 'string' ? aud : Array.isArray(aud) ? aud[0] : undefined;
  } catch {
    return undefined;
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function logout(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext, oidc: boolean): FastifyReply {
  const t = request.trace;
  const raw = request.method === 'POST' && bodyKind(request) === 'form' ? request.body : request.query;
  const params = readParams(raw, request.method === 'POST' ? 'form' : 'query', t);
  const returnTo = oidc ? params.post_logout_redirect_uri : params.returnTo;
  const clientId = params.client_id ?? (oidc ? clientFromHint(params.id_token_hint) : undefined);
  if (clientId !== undefined) t.clientId = clientId;
  let target: string | undefined;
  if (returnTo !== undefined) {
    const client = clientId === undefined ? undefined : ctx.directory.getClient(clientId);
    const allowed = client?.allowed_logout_urls ?? [];
    // Serialised through URL so the Location header is always valid ASCII (registered URLs may hold any text).
    const url = allowed.includes(returnTo) ? parseUrl(returnTo) : undefined;
    if (!url) {
      const e = fail(t, {
        rule: 'LGO-1',
        expected: allowed.length > 0 ? `one of ${JSON.stringify(allowed)}` : 'a client_id with Allowed Logout URLs',
        actual: returnTo,
        wire: {
          status: 400,
          error: 'invalid_request',
          description: `The "${oidc ? 'post_logout_redirect_uri' : 'returnTo'}" parameter "${returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`,
        },
      });
      throw new HtmlError(e.status, e.error, e.description, e.ruleId);
    }
    // Defence in depth (RED-3): the Management API refuses such URLs, but a clients.json written before it did,
    // or by hand, may still hold one; a logout never sends the browser to code or a local file.
    const scheme = forbiddenScheme(returnTo);
    if (scheme !== undefined) {
      const e = fail(t, {
        rule: 'LGO-1',
        expected: 'an Allowed Logout URL with an http(s) or native-app scheme',
        actual: returnTo,
        wire: {
          status: 400,
          error: 'invalid_request',
          description: `The "${oidc ? 'post_logout_redirect_uri' : 'returnTo'}" parameter uses the scheme "${scheme}", which is never followed. Remove it from "Allowed Logout URLs".`,
        },
      });
      throw new HtmlError(e.status, e.error, e.description, e.ruleId);
    }
    pass(t, RULES['LGO-1'], 'an Allowed Logout URL', returnTo);
    if (oidc && params.state !== undefined) url.searchParams.append('state', params.state);
    target = url.href;
  }
  endSession(request, reply, ctx);
  if (target !== undefined) return reply.redirect(target, 302);
  return sendPage(reply, 200, signedOutPage());
}

/** Registers /v2/logout and /oidc/logout. */
export function registerLogout(app: FastifyInstance, ctx: ServerContext): void {
  const config = { endpoint: 'logout', errors: 'html' as const };
  app.get('/v2/logout', { config }, async (request, reply) => logout(request, reply, ctx, false));
  app.get('/oidc/logout', { config }, async (request, reply) => logout(request, reply, ctx, true));
  app.post('/oidc/logout', { config }, async (request, reply) => logout(request, reply, ctx, true));
}
