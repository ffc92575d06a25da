/**
 * `/u/login` (the Universal Login page of the embedded tenant) and `/u/consent`. GET renders the page of a
 * live transaction; POST checks the transaction, its cookie and CSRF token (SES-1..3), then the password
 * (SES-4), signs the browser in, and continues to consent or straight to the code.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { nowMs } from '../../../clock';
import type { ServerContext } from '../../context';
import { HtmlError } from '../../errors';
import { fail, serverNowSeconds } from '../../checks/outcome';
import { pass } from '../../recording';
import { readParams } from '../../checks/params';
import { formBodyParams } from '../body';
import { formActionSource, sendPage } from '../html';
import { ENDPOINT_LIMITS } from '../state';
import { consentKey, finishAuthorization, isNonVerifiableCallback, needsConsent } from '../interaction/flow';
import { consentPage, loginPage } from '../interaction/pages';
import { sendAuthorizationResponse } from '../interaction/respond';
import { checkCsrf, checkFormOrigin, csrfToken, currentSession, endTransaction, loadTransaction, startSession } from '../interaction/session';
import { RULES } from '../../rules';
/**
 * Auth0's sign-in message for a blocked user, without "We've sent you an email with instructions on how to
 * unblock it" (Parley sends no email) but with how the block ends here. Auth0 keeps the block for 30 days
 * after the last failure, or until the user follows the email's link, changes the password, or an admin
 * removes it; a local emulator's test user is unblocked after USER_BLOCK_MINUTES instead.
 */
const USER_BLOCK_MINUTES = ENDPOINT_LIMITS.userFailureTtlMs / 60_000;
const BLOCKED = `Your account has been blocked after multiple consecutive login attempts. It is unblocked ${USER_BLOCK_MINUTES} minutes after the last failed attempt, or when the Parley server restarts.`;
const WRONG = 'Wrong email or password.';
const CONSENT_PATH = '/u/consent';
const config = (endpoint: 'login' | 'consent') => ({ endpoint, errors: 'html' as const });

/** The form-action sources of a page: this server, plus the callback the POST may redirect to. */
function actions(ctx: ServerContext, redirectUri: string): string[] {
  const callback = formActionSource(redirectUri);
  return ["'self'", ...(callback ? [callback] : [])];
}

function clientName(ctx: ServerContext, clientId: string): string {
  return ctx.directory.getClient(clientId)?.name ?? clientId;
}

function showLogin(
  reply: FastifyReply,
  ctx: ServerContext,
  id: string,
  status: number,
  redirectUri: string,
  clientId: string,
  error?: string,
  email?: string,
): FastifyReply {
  const page = loginPage({
    clientName: clientName(ctx, clientId),
    state: id,
    csrf: csrfToken(ctx, id),
    action: '/u/login',
    ...(error ? { error } : {}),
    ...(email ? { email } : {}),
  });
  return sendPage(reply, status, page, actions(ctx, redirectUri));
}

/** Registers the sign-in and consent pages. */
export function registerLogin(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/u/login', { config: config('login') }, async (request, reply) => {
    const params = readParams(request.query, 'query', request.trace);
    const { id, tx } = loadTransaction(request, ctx, params.state);
    return showLogin(reply, ctx, id, 200, tx.request.redirect_uri, tx.request.client_id);
  });

  app.post('/u/login', { config: config('login') }, async (request, reply) => {
    checkFormOrigin(request, ctx);
    const params = formBodyParams(request);
    const { id, tx, extras } = loadTransaction(request, ctx, params.state);
    checkCsrf(request, ctx, id, params.csrf);
    const email = params.email?.slice(0, 320);
    const password = params.password;
    // SES-7: counted per user (the user_id the email names, in any Unicode form or case), not per IP: every
    // caller is on loopback, and any process can pick its own 127.x.y.z source address.
    const counts = ctx.endpointState.userFailures;
    const userId = email === undefined ? undefined : ctx.directory.userIdByEmail(email);
    // `--rate-limits off` (CI): failures are not counted and nobody is blocked; the per-transaction cap stays.
    const streakOf = (): number => (userId === undefined || !ctx.rateLimits ? 0 : (counts.get(userId)?.count ?? 0));
    const threshold = ENDPOINT_LIMITS.maxUserFailures;
    const expected = `fewer than ${threshold} consecutive wrong passwords`;
    /** The answer while the user is blocked: the sign-in page with Auth0's message, 429 too_many_attempts. */
    const blocked = (actual: string): FastifyReply => {
      fail(request.trace, { rule: 'SES-7', expected, actual, wire: { status: 429, error: 'too_many_attempts', description: BLOCKED } });
      request.wireError = { error: 'too_many_attempts', description: BLOCKED };
      if (extras.failures >= ENDPOINT_LIMITS.maxLoginFailures) {
        endTransaction(reply, ctx, id);
        throw new HtmlError(429, 'too_many_attempts', BLOCKED, RULES['SES-7'].id);
      }
      return showLogin(reply, ctx, id, 429, tx.request.redirect_uri, tx.request.client_id, BLOCKED, email);
    };
    if (streakOf() >= threshold) {
      // Refused before the password is checked, as Auth0 does: the right password does not help while blocked.
      extras.failures += 1;
      return blocked(`${streakOf()}: blocked`);
    }
    const user = email !== undefined && password !== undefined && password.length <= 1024 ? await ctx.directory.authenticate(email, password) : undefined;
    // Read again after the (slow) password check: attempts sent in parallel all count, and a block set meanwhile holds.
    const streak = streakOf();
    if (user && streak >= threshold) return blocked(`${streak}: blocked while this attempt was checked`);
    if (!user) {
      extras.failures += 1;
      const next = userId === undefined || !ctx.rateLimits ? 0 : streak + 1;
      if (userId !== undefined && ctx.rateLimits) counts.set(userId, { count: next }, nowMs() + ENDPOINT_LIMITS.userFailureTtlMs);
      if (next >= threshold) return blocked(`${next}: blocked from now on`);
      if (userId !== undefined)
        pass(
          request.trace,
          RULES['SES-7'],
          ctx.rateLimits ? expected : 'no limit: rate limits are off (--rate-limits off)',
          ctx.rateLimits ? `${next} of ${threshold}` : 'not counted',
        );
      fail(request.trace, {
        rule: 'SES-4',
        expected: 'a matching email and password',
        actual: `no match (attempt ${extras.failures} of ${ENDPOINT_LIMITS.maxLoginFailures})`,
        wire: { status: 400, error: 'access_denied', description: WRONG },
      });
      request.wireError = { error: 'access_denied', description: WRONG };
      if (extras.failures >= ENDPOINT_LIMITS.maxLoginFailures) {
        endTransaction(reply, ctx, id);
        throw new HtmlError(400, 'access_denied', 'Too many failed sign-in attempts. Return to the application and start again.', RULES['SES-4'].id);
      }
      return showLogin(reply, ctx, id, 400, tx.request.redirect_uri, tx.request.client_id, WRONG, email);
    }
    // A correct password resets the count (Auth0 counts consecutive failures).
    counts.delete(user.user_id);
    pass(request.trace, RULES['SES-7'], expected, `${streak}: reset by this sign-in`);
    pass(request.trace, RULES['SES-4'], 'a matching email and password', user.user_id);
    const authTime = serverNowSeconds(ctx);
    const session = startSession(request, reply, ctx, user.user_id, authTime);
    tx.user_id = user.user_id;
    tx.auth_time = authTime;
    if (needsConsent(ctx, session, tx.request)) return reply.redirect(`${CONSENT_PATH}?state=${encodeURIComponent(id)}`, 302);
    return finishAuthorization(request, reply, ctx, {
      request: tx.request,
      user_id: user.user_id,
      auth_time: authTime,
      par_auth_method: extras.par_auth_method,
      txId: id,
      consentShown: false,
    });
  });

  app.get(CONSENT_PATH, { config: config('consent') }, async (request, reply) => {
    const params = readParams(request.query, 'query', request.trace);
    const { id, tx } = loadTransaction(request, ctx, params.state);
    const user = tx.user_id === undefined ? undefined : ctx.directory.getUser(tx.user_id);
    if (!user) return reply.redirect(`/u/login?state=${encodeURIComponent(id)}`, 302);
    const r = tx.request;
    const page = consentPage({
      clientName: clientName(ctx, r.client_id),
      userEmail: user.email,
      scopes: r.scope.split(' ').filter(Boolean),
      audience: r.audience,
      redirectUri: r.redirect_uri,
      nonVerifiable: isNonVerifiableCallback(r.redirect_uri),
      state: id,
      csrf: csrfToken(ctx, id),
      action: CONSENT_PATH,
    });
    return sendPage(reply, 200, page, actions(ctx, r.redirect_uri));
  });

  app.post(CONSENT_PATH, { config: config('consent') }, async (request, reply) => {
    checkFormOrigin(request, ctx);
    const params = formBodyParams(request);
    const { id, tx, extras } = loadTransaction(request, ctx, params.state);
    checkCsrf(request, ctx, id, params.csrf);
    if (tx.user_id === undefined || tx.auth_time === undefined) {
      const e = fail(request.trace, {
        rule: 'SES-1',
        expected: 'a signed-in transaction',
        actual: 'not signed in yet',
        wire: { status: 400, error: 'invalid_request', description: 'Sign in first.' },
      });
      throw new HtmlError(e.status, e.error, e.description, e.ruleId);
    }
    const target = { redirect_uri: tx.request.redirect_uri, response_mode: tx.request.response_mode };
    if (params.action !== 'accept') {
      endTransaction(reply, ctx, id);
      request.wireError = { error: 'access_denied', description: 'User did not authorize the request' };
      pass(request.trace, RULES['SES-5'], 'accept or decline', 'declined');
      return sendAuthorizationResponse(reply, ctx, target, {
        error: 'access_denied',
        error_description: 'User did not authorize the request',
        state: tx.request.state,
      });
    }
    tx.consented = true;
    const current = currentSession(request, ctx);
    if (current && current.session.user_id === tx.user_id) {
      const key = consentKey(tx.request);
      // Bounded: a session remembers its 50 most recent consents.
      if (!current.session.consents.includes(key)) current.session.consents = [...current.session.consents, key].slice(-50);
      ctx.endpointState.sessions.set(current.id, current.session, nowMs() + ENDPOINT_LIMITS.sessionTtlMs);
    }
    pass(request.trace, RULES['SES-5'], 'accept or decline', 'accepted');
    return finishAuthorization(request, reply, ctx, {
      request: tx.request,
      user_id: tx.user_id,
      auth_time: tx.auth_time,
      par_auth_method: extras.par_auth_method,
      txId: id,
      consentShown: true,
    });
  });
}
