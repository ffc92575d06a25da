/**
 * Authorization responses (RFC 6749 §4.1.2, §4.1.2.1): success and error both go back to the client's
 * redirect_uri through the requested response mode (query, fragment or form_post), with `iss` when RFC 9207
 * is on. An error is redirected only when the client is known and the redirect_uri was verified for it
 * (E-5, JAR-19); otherwise it becomes the HTML error page, so the server never redirects to an unverified URI.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { HtmlError, OAuthError, escapeHtml } from '../../errors';
import { pass } from '../../recording';
import { MAX_FIELD } from '../../checks/authorization-request';
import { formActionSource, renderPage, sendPage } from '../html';
import { issParameterOn } from '../policy';
import { RULES } from '../../rules';

/** Where an authorization response may go: a redirect_uri already verified for the client. */
export interface RedirectTarget {
  redirect_uri: string;
  response_mode?: string | undefined;
}

function redirectUrl(target: RedirectTarget, values: Record<string, string>): string {
  const url = new URL(target.redirect_uri);
  if (target.response_mode === 'fragment') {
    url.hash = new URLSearchParams(values).toString();
  } else {
    for (const [k, v] of Object.entries(values)) url.searchParams.append(k, v);
  }
  return url.href;
}

/** Sends an authorization response (success or error) to a verified target. */
export function sendAuthorizationResponse(
  reply: FastifyReply,
  ctx: ServerContext,
  target: RedirectTarget,
  values: Record<string, string | undefined>,
): FastifyReply {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params[k] = v;
  if (issParameterOn(ctx)) params.iss = ctx.urls.issuer;
  if (target.response_mode === 'form_post') {
    const fields = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const page = renderPage(
      'Continue to the application',
      `<h1>Continue to the application</h1><form method="post" action="${escapeHtml(target.redirect_uri)}">${fields}<noscript><button type="submit">Continue</button></noscript></form>`,
      { script: 'document.forms[0].submit();' },
    );
    const source = formActionSource(target.redirect_uri);
    return sendPage(reply, 200, page, source ? [source] : []);
  }
  return reply.redirect(redirectUrl(target, params), 302);
}

/**
 * Delivers an authorization error: redirected when a verified target exists (E-5), else thrown as the HTML
 * error page. Unexpected errors are rethrown untouched (the central handler turns them into server_error).
 */
export function deliverAuthorizationError(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  error: unknown,
  target: RedirectTarget | undefined,
  state: string | undefined,
): FastifyReply {
  if (!(error instanceof OAuthError)) throw error;
  if (!target || error.status >= 500) {
    pass(request.trace, RULES['E-5'], 'redirect only to a verified redirect_uri', 'HTML error page (no verified redirect_uri for a known client)');
    throw new HtmlError(error.status >= 400 && error.status < 500 ? error.status : 400, error.error, error.description, error.ruleId);
  }
  pass(request.trace, RULES['E-5'], 'redirect only to a verified redirect_uri', `redirected to ${target.redirect_uri}`);
  request.wireError = { error: error.error, description: error.description };
  // A state refused for its length (AZQ-3) is not echoed: up to 64K characters would make a Location header
  // no browser reads (Chromium stops at 256 KB of headers), and the error would never reach the client.
  const echoed = state !== undefined && state.length <= MAX_FIELD ? state : undefined;
  return sendAuthorizationResponse(reply, ctx, target, { error: error.error, error_description: error.description, state: echoed });
}
