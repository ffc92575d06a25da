/**
 * `/u/login` (the Universal Login page of the embedded tenant) and `/u/consent`. GET renders the page of a
 * live transaction; POST checks the transaction, its cookie and CSRF token (SES-1..3), then the password
 * (SES-4), signs the browser in, and continues to consent or straight to the code.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nowMs } from '../../../clock';
import type { ServerContext } from '../../context';
import { HtmlError, OAuthError } from '../../errors';
import { serverNowSeconds } from '../../checks/outcome';
import type { Params } from '../../checks/params';
import { readParams } from '../../checks/params';
import type { LoginTransaction } from '../../state/memory';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import { formBodyParams } from '../body';
import { formActionSource, sendPage } from '../html';
import type { TransactionExtras } from '../state';
import { ENDPOINT_LIMITS } from '../state';
import { consentKey, finishAuthorization, isNonVerifiableCallback, needsConsent } from '../interaction/flow';
import { consentPage, loginPage } from '../interaction/pages';
import { sendAuthorizationResponse } from '../interaction/respond';
import { checkCsrf, checkFormOrigin, csrfToken, currentSession, endTransaction, loadTransaction, startSession } from '../interaction/session';
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

/** What the steps of a form posted to /u/login or /u/consent share: the form and its live transaction. */
class FormPost implements StepContext {
  params: Params = {};
  id!: string;
  tx!: LoginTransaction;
  extras!: TransactionExtras;

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}

/** What the steps of one consent answer (POST /u/consent) share. */
class Consent extends FormPost {
  /** Who signed in, and when (SES-1: consent follows a sign-in). */
  userId!: string;
  authTime!: number;
  accepted = false;
}

/** What the steps of one sign-in (POST /u/login) share. */
class SignIn extends FormPost {
  email: string | undefined;
  /** The user the email names (SES-7 counts per user), whether or not the password matches. */
  userId: string | undefined;
  user: { user_id: string } | undefined;
  /** The consecutive failures read after the (slow) password check. */
  streak = 0;
  /** How a refusal is answered: the sign-in page again (or, past the transaction's cap, the error page). */
  answer: 'blocked' | 'wrong' | undefined;
}

function formOrigin(c: FormPost): StepResult {
  checkFormOrigin(c.request, c.ctx);
  return undefined;
}

function readForm(c: FormPost): StepResult {
  c.params = formBodyParams(c.request);
  return undefined;
}

function liveTransaction(c: FormPost): StepResult {
  ({ id: c.id, tx: c.tx, extras: c.extras } = loadTransaction(c.request, c.ctx, c.params.state));
  return undefined;
}

function csrf(c: FormPost): StepResult {
  checkCsrf(c.request, c.ctx, c.id, c.params.csrf);
  return undefined;
}

/** The checks every posted form starts with (SES-1..3 and the form origin, recorded by the checks themselves). */
const FORM_STEPS = [
  { name: 'form origin', run: formOrigin },
  { name: 'read the form', run: readForm },
  { name: 'live transaction', run: liveTransaction },
  { name: 'CSRF token', run: csrf },
] as const;

function signedIn(c: Consent): StepResult {
  if (c.tx.user_id === undefined || c.tx.auth_time === undefined) throw refuse('not signed in yet');
  c.userId = c.tx.user_id;
  c.authTime = c.tx.auth_time;
  return undefined;
}

function acceptOrDecline(c: Consent): StepResult {
  if (c.params.action !== 'accept') {
    endTransaction(c.reply, c.ctx, c.id);
    return 'declined';
  }
  c.tx.consented = true;
  const current = currentSession(c.request, c.ctx);
  if (current && current.session.user_id === c.userId) {
    const key = consentKey(c.tx.request);
    // Bounded: a session remembers its 50 most recent consents.
    if (!current.session.consents.includes(key)) current.session.consents = [...current.session.consents, key].slice(-50);
    c.ctx.endpointState.sessions.set(current.id, current.session, nowMs() + ENDPOINT_LIMITS.sessionTtlMs);
  }
  c.accepted = true;
  return 'accepted';
}

/** A refusal fails with an OAuth error, which the route's HTML error style (app.ts `sendError`) shows as the error page. */
export const CONSENT_STEPS = defineSteps<Consent>({
  steps: [
    ...FORM_STEPS,
    {
      name: 'signed in',
      rule: 'SES-1',
      expected: 'a signed-in transaction',
      wire: { status: 400, error: 'invalid_request', description: 'Sign in first.' },
      run: signedIn,
    },
    { name: 'accept or decline', rule: 'SES-5', expected: 'accept or decline', run: acceptOrDecline },
  ],
});

async function consent(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const c = new Consent(request, reply, ctx);
  await runSteps(CONSENT_STEPS, c);
  const tx = c.tx;
  if (!c.accepted) {
    request.wireError = { error: 'access_denied', description: 'User did not authorize the request' };
    return sendAuthorizationResponse(
      reply,
      ctx,
      { redirect_uri: tx.request.redirect_uri, response_mode: tx.request.response_mode },
      { error: 'access_denied', error_description: 'User did not authorize the request', state: tx.request.state },
    );
  }
  return finishAuthorization(request, reply, ctx, {
    request: tx.request,
    user_id: c.userId,
    auth_time: c.authTime,
    par_auth_method: c.extras.par_auth_method,
    txId: c.id,
    consentShown: true,
    session_id: currentSession(request, ctx)?.id,
  });
}

const STREAK_LIMIT = `fewer than ${ENDPOINT_LIMITS.maxUserFailures} consecutive wrong passwords`;
const BLOCKED_WIRE = { status: 429, error: 'too_many_attempts', description: BLOCKED };

/** SES-7 counts per user (the user_id the email names), while rate limits are on (`--rate-limits off`: CI). */
function streakOf(s: SignIn): number {
  return s.userId === undefined || !s.ctx.rateLimits ? 0 : (s.ctx.endpointState.userFailures.get(s.userId)?.count ?? 0);
}

function readCredentials(s: SignIn): StepResult {
  s.email = s.params.email?.slice(0, 320);
  // SES-7: counted per user (the user_id the email names, in any Unicode form or case), not per IP: every
  // caller is on loopback, and any process can pick its own 127.x.y.z source address.
  s.userId = s.email === undefined ? undefined : s.ctx.directory.userIdByEmail(s.email);
  return undefined;
}

function notBlocked(s: SignIn): StepResult {
  if (streakOf(s) >= ENDPOINT_LIMITS.maxUserFailures) {
    // Refused before the password is checked, as Auth0 does: the right password does not help while blocked.
    s.extras.failures += 1;
    s.answer = 'blocked';
    throw refuse(`${streakOf(s)}: blocked`);
  }
  return undefined;
}

async function checkPassword(s: SignIn): Promise<StepResult> {
  const password = s.params.password;
  s.user = s.email !== undefined && password !== undefined && password.length <= 1024 ? await s.ctx.directory.authenticate(s.email, password) : undefined;
  // Read again after the (slow) password check: attempts sent in parallel all count, and a block set meanwhile holds.
  s.streak = streakOf(s);
  return undefined;
}

function countAttempt(s: SignIn): StepResult {
  const threshold = ENDPOINT_LIMITS.maxUserFailures;
  const counts = s.ctx.endpointState.userFailures;
  if (s.user) {
    if (s.streak >= threshold) {
      s.answer = 'blocked';
      throw refuse(`${s.streak}: blocked while this attempt was checked`);
    }
    // A correct password resets the count (Auth0 counts consecutive failures).
    counts.delete(s.user.user_id);
    return `${s.streak}: reset by this sign-in`;
  }
  s.extras.failures += 1;
  const counted = s.userId !== undefined && s.ctx.rateLimits;
  const next = counted ? s.streak + 1 : 0;
  if (counted) counts.set(s.userId!, { count: next }, nowMs() + ENDPOINT_LIMITS.userFailureTtlMs);
  if (next >= threshold) {
    s.answer = 'blocked';
    throw refuse(`${next}: blocked from now on`);
  }
  if (s.userId === undefined) return undefined;
  return s.ctx.rateLimits ? `${next} of ${threshold}` : { expected: 'no limit: rate limits are off (--rate-limits off)', actual: 'not counted' };
}

function passwordMatches(s: SignIn): StepResult {
  if (!s.user) {
    s.answer = 'wrong';
    throw refuse(`no match (attempt ${s.extras.failures} of ${ENDPOINT_LIMITS.maxLoginFailures})`);
  }
  return s.user.user_id;
}

/**
 * A wrong password or a blocked user is answered with the sign-in page again (400 or 429), not the error
 * page: `signIn` turns those two refusals into the page, until the transaction's own cap ends it.
 */
export const SIGN_IN_STEPS = defineSteps<SignIn>({
  steps: [
    ...FORM_STEPS,
    { name: 'read the credentials', run: readCredentials },
    { name: 'user not blocked', rule: 'SES-7', expected: STREAK_LIMIT, wire: BLOCKED_WIRE, run: notBlocked },
    { name: 'check the password', run: checkPassword },
    { name: 'count consecutive failures', rule: 'SES-7', expected: STREAK_LIMIT, wire: BLOCKED_WIRE, run: countAttempt },
    {
      name: 'password matches',
      rule: 'SES-4',
      expected: 'a matching email and password',
      wire: { status: 400, error: 'access_denied', description: WRONG },
      run: passwordMatches,
    },
  ],
});

async function signIn(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const s = new SignIn(request, reply, ctx);
  try {
    await runSteps(SIGN_IN_STEPS, s);
  } catch (e) {
    if (!(e instanceof OAuthError) || s.answer === undefined) throw e;
    const blocked = s.answer === 'blocked';
    const message = blocked ? BLOCKED : WRONG;
    request.wireError = { error: e.error, description: message };
    if (s.extras.failures >= ENDPOINT_LIMITS.maxLoginFailures) {
      endTransaction(reply, ctx, s.id);
      throw new HtmlError(e.status, e.error, blocked ? BLOCKED : 'Too many failed sign-in attempts. Return to the application and start again.', e.ruleId);
    }
    return showLogin(reply, ctx, s.id, e.status, s.tx.request.redirect_uri, s.tx.request.client_id, message, s.email);
  }
  const user = s.user!;
  const authTime = serverNowSeconds(ctx);
  const { id: sessionId, session } = startSession(request, reply, ctx, user.user_id, authTime);
  s.tx.user_id = user.user_id;
  s.tx.auth_time = authTime;
  if (needsConsent(ctx, session, s.tx.request)) return reply.redirect(`${CONSENT_PATH}?state=${encodeURIComponent(s.id)}`, 302);
  return finishAuthorization(request, reply, ctx, {
    request: s.tx.request,
    user_id: user.user_id,
    auth_time: authTime,
    par_auth_method: s.extras.par_auth_method,
    txId: s.id,
    consentShown: false,
    session_id: sessionId,
  });
}

/** Registers the sign-in and consent pages. */
export function registerLogin(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/u/login', { config: config('login') }, async (request, reply) => {
    const params = readParams(request.query, 'query', request.trace);
    const { id, tx } = loadTransaction(request, ctx, params.state);
    return showLogin(reply, ctx, id, 200, tx.request.redirect_uri, tx.request.client_id);
  });

  app.post('/u/login', { config: config('login') }, (request, reply) => signIn(request, reply, ctx));

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
  app.post(CONSENT_PATH, { config: config('consent') }, (request, reply) => consent(request, reply, ctx));
}
