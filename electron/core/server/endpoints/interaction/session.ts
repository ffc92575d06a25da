/**
 * Cookies, sessions and transactions of the interactive part of /authorize.
 *
 * - `parley_tx` (HttpOnly, SameSite=Lax, Path=/, 30 min): the id of the browser's current login transaction.
 *   The same id travels as `state` in /u/login and /u/consent URLs; both must agree (SES-2), so a sign-in
 *   link sent to someone else's browser (login CSRF) goes nowhere.
 * - `parley_session` (HttpOnly, SameSite=Lax, Path=/, browser-session cookie; 24 h on the server): names a
 *   signed-in browser, so a second /authorize skips the form. A new id is issued at every sign-in (no fixation).
 * - Form POSTs carry `csrf` = HMAC-SHA256(per-server secret, transaction id) (SES-3).
 * Cookies are `Secure` when the server serves https (the browser then never sends them over plain http), and
 * not otherwise: a Secure cookie set over http is dropped by browsers, except on localhost.
 */
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { nowMs } from '../../../clock';
import { randomToken } from '../../../random';
import type { ServerContext } from '../../context';
import { HtmlError } from '../../errors';
import { fail } from '../../checks/outcome';
import { pass } from '../../recording';
import { safeEqual } from '../../safe-equal';
import type { LoginTransaction } from '../../state/memory';
import type { BrowserSession, TransactionExtras } from '../state';
import { ENDPOINT_LIMITS } from '../state';
import { RULES } from '../../rules';

/** The login transaction cookie. */
export const TX_COOKIE = 'parley_tx';
/** The signed-in browser cookie. */
export const SESSION_COOKIE = 'parley_session';

/** The cookies' attributes on this server: Secure follows the issuer's scheme. */
function cookieOptions(ctx: ServerContext): { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean } {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.urls.issuer.startsWith('https:') };
}

const expired = (description = 'Your sign-in session has expired or was opened in another browser. Return to the application and start again.') =>
  ({ status: 400, error: 'invalid_request', description }) as const;

/** The CSRF token of a transaction. */
export function csrfToken(ctx: ServerContext, txId: string): string {
  return createHmac('sha256', ctx.endpointState.secret).update(`csrf:${txId}`).digest('base64url');
}

/** The browser's session, when its cookie names a live one. */
export function currentSession(request: FastifyRequest, ctx: ServerContext): { id: string; session: BrowserSession } | undefined {
  const id = request.cookies[SESSION_COOKIE];
  if (!id || id.length > 100) return undefined;
  const session = ctx.endpointState.sessions.get(id);
  return session ? { id, session } : undefined;
}

/** Signs the browser in under a fresh session id; consents carry over when the same user signs in again. */
export function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  userId: string,
  authTime: number,
): { id: string; session: BrowserSession } {
  const state = ctx.endpointState;
  const previous = currentSession(request, ctx);
  if (previous) state.sessions.delete(previous.id);
  const session: BrowserSession = { user_id: userId, auth_time: authTime, consents: previous?.session.user_id === userId ? previous.session.consents : [] };
  const id = randomToken(32);
  state.sessions.set(id, session, nowMs() + ENDPOINT_LIMITS.sessionTtlMs);
  reply.setCookie(SESSION_COOKIE, id, cookieOptions(ctx));
  return { id, session };
}

/** Signs the browser out. */
export function endSession(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): boolean {
  const current = currentSession(request, ctx);
  if (current) ctx.endpointState.sessions.delete(current.id);
  reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
  return current !== undefined;
}

/** Starts a login transaction and sets its cookie; returns its id. */
export function startTransaction(reply: FastifyReply, ctx: ServerContext, tx: LoginTransaction, extras: TransactionExtras): string {
  const id = randomToken(32);
  const expiresAt = nowMs() + ENDPOINT_LIMITS.transactionTtlMs;
  ctx.memory.logins.set(id, tx, expiresAt);
  ctx.endpointState.transactions.set(id, extras, expiresAt);
  reply.setCookie(TX_COOKIE, id, { ...cookieOptions(ctx), maxAge: ENDPOINT_LIMITS.transactionTtlMs / 1000 });
  return id;
}

/** Ends a transaction (finished, declined, or too many wrong passwords). */
export function endTransaction(reply: FastifyReply, ctx: ServerContext, id: string): void {
  ctx.memory.logins.delete(id);
  ctx.endpointState.transactions.delete(id);
  reply.clearCookie(TX_COOKIE, cookieOptions(ctx));
}

/** A live transaction of this browser (SES-1, SES-2), or the HTML error page. */
export function loadTransaction(
  request: FastifyRequest,
  ctx: ServerContext,
  state: string | undefined,
): { id: string; tx: LoginTransaction; extras: TransactionExtras } {
  const trace = request.trace;
  const html = (e: { ruleId?: string | undefined; error: string; description: string; status: number }) =>
    new HtmlError(e.status, e.error, e.description, e.ruleId);
  const tx = state === undefined || state.length > 100 ? undefined : ctx.memory.logins.get(state);
  const extras = state === undefined ? undefined : ctx.endpointState.transactions.get(state);
  if (state === undefined || !tx || !extras)
    throw html(
      fail(trace, {
        rule: 'SES-1',
        expected: 'a live login transaction',
        actual: state === undefined ? 'no state parameter' : 'unknown or expired',
        wire: expired(),
      }),
    );
  pass(trace, RULES['SES-1'], 'a live login transaction', 'found');
  trace.clientId = tx.request.client_id;
  const cookie = request.cookies[TX_COOKIE];
  if (cookie === undefined || !safeEqual(cookie, state))
    throw html(
      fail(trace, {
        rule: 'SES-2',
        expected: 'the parley_tx cookie of this transaction',
        actual: cookie === undefined ? '(no cookie)' : 'another transaction',
        wire: expired(),
      }),
    );
  pass(trace, RULES['SES-2'], 'the parley_tx cookie of this transaction', 'matches');
  return { id: state, tx, extras };
}

/**
 * SES-6: a form POST to /u/login or /u/consent comes from this server's own page. The expected origin is the
 * issuer's scheme (http, or https when the server serves TLS) with the Host the request named, which the
 * Host check already limited to this server's names. A browser always says where a POST comes from:
 * `Sec-Fetch-Site` other than same-origin (cross-site, or same-site: another port of 127.0.0.1) is refused,
 * and so is an `Origin` of another site. `Origin: null` is what a browser sends for a page with a no-referrer
 * policy, so it is accepted only when the browser also says same-origin. A request with neither header is not
 * from a browser (a script, curl): it is accepted, and still needs the transaction cookie and CSRF token.
 * Not applied to POST /authorize or /oidc/logout: relying parties post those from their own sites (OIDC Core
 * §3.1.2.1, RP-Initiated Logout §2).
 */
export function checkFormOrigin(request: FastifyRequest, ctx: ServerContext): void {
  const trace = request.trace;
  const expected = `${new URL(ctx.urls.issuer).protocol}//${request.headers.host ?? ''}`;
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  const shown = `Origin ${origin ?? '(absent)'}, Sec-Fetch-Site ${site ?? '(absent)'}`;
  const sameOrigin = site === 'same-origin';
  const refused = (site !== undefined && !sameOrigin && site !== 'none') || (origin !== undefined && origin !== expected && !(origin === 'null' && sameOrigin));
  if (refused) {
    const e = fail(trace, {
      rule: 'SES-6',
      expected: `Origin ${expected} (or no Origin outside a browser)`,
      actual: shown,
      wire: {
        status: 403,
        error: 'access_denied',
        description: `Refused: this form was posted from another site (${origin ?? site ?? 'unknown'}), not from this server (${expected}). Start the sign-in again from the application.`,
      },
    });
    throw new HtmlError(e.status, e.error, e.description, e.ruleId);
  }
  pass(trace, RULES['SES-6'], `Origin ${expected} (or no Origin outside a browser)`, shown);
}

/** SES-3: the form's CSRF token. */
export function checkCsrf(request: FastifyRequest, ctx: ServerContext, txId: string, token: string | undefined): void {
  const trace = request.trace;
  if (token === undefined || !safeEqual(token, csrfToken(ctx, txId))) {
    const e = fail(trace, {
      rule: 'SES-3',
      expected: 'the CSRF token of this transaction',
      actual: token === undefined ? '(absent)' : 'a different token',
      wire: expired('The form has expired. Return to the application and start again.'),
    });
    throw new HtmlError(e.status, e.error, e.description, e.ruleId);
  }
  pass(trace, RULES['SES-3'], 'the CSRF token of this transaction', 'matches');
}
