/**
 * `/v2/logout` (Auth0) and `/oidc/logout` (OIDC RP-Initiated Logout, what discovery advertises as
 * end_session_endpoint, like Auth0's): sign the browser out and go back to a URL from the client's
 * Allowed Logout URLs, or show a signed-out page. A returnTo that is not allowed is never followed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { ServerContext } from '../../context';
import type { InlineFailure } from '../../checks/outcome';
import type { Params } from '../../checks/params';
import { readParams } from '../../checks/params';
import { forbiddenScheme } from '../../checks/redirect-uri';
import { bodyKind } from '../body';
import { sendPage } from '../html';
import { signedOutPage } from '../interaction/pages';
import { endSession } from '../interaction/session';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';

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

/** What the steps of one logout share. */
class Logout implements StepContext {
  params: Params = {};
  returnTo: string | undefined;
  clientId: string | undefined;
  /** Where the browser goes once signed out; undefined shows the signed-out page. */
  target: string | undefined;

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly ctx: ServerContext,
    /** /oidc/logout (post_logout_redirect_uri, id_token_hint, state) rather than /v2/logout (returnTo). */
    readonly oidc: boolean,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }

  /** The name of the return parameter, as the error page says it. */
  get returnParameter(): string {
    return this.oidc ? 'post_logout_redirect_uri' : 'returnTo';
  }
}

function readLogoutParams(l: Logout): StepResult {
  const request = l.request;
  const raw = request.method === 'POST' && bodyKind(request) === 'form' ? request.body : request.query;
  l.params = readParams(raw, request.method === 'POST' ? 'form' : 'query', l.trace);
  l.returnTo = l.oidc ? l.params.post_logout_redirect_uri : l.params.returnTo;
  l.clientId = l.params.client_id ?? (l.oidc ? clientFromHint(l.params.id_token_hint) : undefined);
  if (l.clientId !== undefined) l.trace.clientId = l.clientId;
  return undefined;
}

function notAllowed(l: Logout): InlineFailure {
  return {
    status: 400,
    error: 'invalid_request',
    description: `The "${l.returnParameter}" parameter "${l.returnTo}" is not defined as a valid URL in "Allowed Logout URLs".`,
  };
}

function allowedReturn(l: Logout): StepResult {
  const returnTo = l.returnTo;
  if (returnTo === undefined) return undefined;
  const client = l.clientId === undefined ? undefined : l.ctx.directory.getClient(l.clientId);
  const allowed = client?.allowed_logout_urls ?? [];
  // Serialised through URL so the Location header is always valid ASCII (registered URLs may hold any text).
  const url = allowed.includes(returnTo) ? parseUrl(returnTo) : undefined;
  if (!url) throw refuse(returnTo, { expected: allowed.length > 0 ? `one of ${JSON.stringify(allowed)}` : 'a client_id with Allowed Logout URLs' });
  // Defence in depth (RED-3): the Management API refuses such URLs, but a clients.json written before it did,
  // or by hand, may still hold one; a logout never sends the browser to code or a local file.
  const scheme = forbiddenScheme(returnTo);
  if (scheme !== undefined)
    throw refuse(returnTo, {
      expected: 'an Allowed Logout URL with an http(s) or native-app scheme',
      wire: {
        status: 400,
        error: 'invalid_request',
        description: `The "${l.returnParameter}" parameter uses the scheme "${scheme}", which is never followed. Remove it from "Allowed Logout URLs".`,
      },
    });
  if (l.oidc && l.params.state !== undefined) url.searchParams.append('state', l.params.state);
  l.target = url.href;
  return returnTo;
}

function signOut(l: Logout): StepResult {
  endSession(l.request, l.reply, l.ctx);
  return undefined;
}

/**
 * A refused return URL fails with an OAuth error, which the route's HTML error style (app.ts `sendError`)
 * shows as the error page, as every error of this route.
 */
export const LOGOUT_STEPS = defineSteps<Logout>({
  steps: [
    { name: 'read the parameters', run: readLogoutParams },
    { name: 'return URL allowed', rule: 'LGO-1', expected: 'an Allowed Logout URL', wire: notAllowed, run: allowedReturn },
    { name: 'end the session', run: signOut },
  ],
});

async function logout(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext, oidc: boolean): Promise<FastifyReply> {
  const l = new Logout(request, reply, ctx, oidc);
  await runSteps(LOGOUT_STEPS, l);
  if (l.target !== undefined) return reply.redirect(l.target, 302);
  return sendPage(reply, 200, signedOutPage());
}

/** Registers /v2/logout and /oidc/logout. */
export function registerLogout(app: FastifyInstance, ctx: ServerContext): void {
  const config = { endpoint: 'logout', errors: 'html' as const };
  app.get('/v2/logout', { config }, async (request, reply) => logout(request, reply, ctx, false));
  app.get('/oidc/logout', { config }, async (request, reply) => logout(request, reply, ctx, true));
  app.post('/oidc/logout', { config }, async (request, reply) => logout(request, reply, ctx, true));
}
