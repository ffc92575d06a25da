/**
 * The interactive part of the authorization code flow, from an assembled, validated request to the code:
 * decide whether sign-in and consent are needed (session, prompt, max_age), start a login transaction when
 * they are, and finally issue the code and send it to the verified redirect_uri. The pushed request was
 * marked used at /authorize (AZR-4); from here on only the transaction matters, so the 30-second PAR
 * lifetime never limits how long the user may take.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { nowMs } from '../../../clock';
import { randomId, randomToken } from '../../../random';
import type { ServerContext } from '../../context';
import { fail, serverNowSeconds } from '../../checks/outcome';
import { pass } from '../../recording';
import type { AuthorizationRequest } from '../../state/memory';
import type { BrowserSession } from '../state';
import { codeTtlSeconds } from '../policy';
import { sendAuthorizationResponse } from './respond';
import { currentSession, endTransaction, startTransaction } from './session';
import { RULES } from '../../rules';
import { asksOnlineAccess } from '../token/online';

/** The key under which a consent is remembered in the session. */
export function consentKey(request: AuthorizationRequest): string {
  return [request.client_id, request.audience ?? '', request.scope.split(' ').filter(Boolean).sort().join(' ')].join('\n');
}

/** True when the consent step must be shown for this request. */
export function needsConsent(ctx: ServerContext, session: BrowserSession | undefined, request: AuthorizationRequest): boolean {
  const prompts = (request.prompt ?? '').split(' ');
  if (prompts.includes('consent')) return true;
  if (!ctx.settings().consent) return false;
  return !session?.consents.includes(consentKey(request));
}

/** True for callbacks a server cannot verify as belonging to the client: custom schemes and loopback (RFC 8252 §8.6). */
export function isNonVerifiableCallback(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return true;
    return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  } catch {
    return true;
  }
}

/** What finishing needs. */
export interface Completion {
  request: AuthorizationRequest;
  user_id: string;
  auth_time: number;
  par_auth_method?: string | undefined;
  /** The transaction to end, if one was started. */
  txId?: string;
  /** Whether the consent page was shown in this transaction (it doubles as RED-4's confirmation). */
  consentShown: boolean;
  /** The browser session signed in (DPB-11: an online refresh token is tied to it). */
  session_id?: string | undefined;
}

/** Issues the authorization code and sends it to the redirect_uri. */
export function finishAuthorization(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext, done: Completion): FastifyReply {
  const trace = request.trace;
  const code = randomToken(32);
  const ttl = codeTtlSeconds(ctx, ctx.directory.getClient(done.request.client_id));
  ctx.memory.codes.set(
    code,
    {
      request: done.request,
      user_id: done.user_id,
      auth_time: done.auth_time,
      redeemed: false,
      grant_id: randomId(),
      ...(done.par_auth_method !== undefined ? { par_auth_method: done.par_auth_method } : {}),
      // DA12: an online refresh token lives only as long as the session the code was issued in.
      ...(done.session_id !== undefined && asksOnlineAccess(done.request.scope) ? { session_id: done.session_id } : {}),
    },
    nowMs() + ttl * 1000,
  );
  pass(trace, RULES['TOK-3'], isStrictTtl(ttl), `${ttl} s`);
  if (isNonVerifiableCallback(done.request.redirect_uri)) {
    pass(
      trace,
      RULES['RED-4'],
      'confirmation or auto-accept',
      done.consentShown ? 'confirmed on the consent page' : 'auto-accepted (consent step off or already given)',
    );
  }
  if (done.txId !== undefined) endTransaction(reply, ctx, done.txId);
  return sendAuthorizationResponse(
    reply,
    ctx,
    { redirect_uri: done.request.redirect_uri, response_mode: done.request.response_mode },
    { code, state: done.request.state },
  );
}

function isStrictTtl(ttl: number): string {
  return ttl <= 60 ? '≤ 60 s (strict)' : '≤ 600 s';
}

/**
 * Continues a validated authorization request: answers at once when the browser is signed in and consent is
 * not needed, fails with login_required / consent_required for prompt=none, and otherwise starts a login
 * transaction and sends the browser to /u/login (or straight to /u/consent when already signed in).
 */
export function continueAuthorization(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  authz: AuthorizationRequest,
  parAuthMethod: string | undefined,
): FastifyReply {
  const prompts = (authz.prompt ?? '').split(' ').filter(Boolean);
  const current = currentSession(request, ctx);
  const now = serverNowSeconds(ctx);
  let loginReason: string | undefined;
  if (!current) loginReason = 'no session';
  else if (prompts.includes('login')) loginReason = 'prompt=login';
  else if (authz.max_age !== undefined && now - current.session.auth_time > authz.max_age) loginReason = 'max_age exceeded';
  else if (!ctx.directory.getUser(current.session.user_id)) loginReason = 'the user no longer exists';
  const consent = needsConsent(ctx, current?.session, authz);

  if (prompts.includes('none')) {
    const t = request.trace;
    if (loginReason !== undefined)
      throw fail(t, {
        rule: 'AZQ-4',
        expected: 'a signed-in browser',
        actual: loginReason,
        wire: { status: 400, error: 'login_required', description: 'Login required' },
      });
    if (consent)
      throw fail(t, {
        rule: 'AZQ-4',
        expected: 'consent already given',
        actual: 'consent needed',
        wire: { status: 400, error: 'consent_required', description: 'Consent required' },
      });
    pass(t, RULES['AZQ-4'], 'a signed-in browser with consent', 'signed in, consent given');
  }
  if (loginReason === undefined && !consent && current) {
    return finishAuthorization(request, reply, ctx, {
      request: authz,
      user_id: current.session.user_id,
      auth_time: current.session.auth_time,
      par_auth_method: parAuthMethod,
      consentShown: false,
      session_id: current.id,
    });
  }
  const signedIn = loginReason === undefined && current ? { user_id: current.session.user_id, auth_time: current.session.auth_time } : {};
  const txId = startTransaction(
    reply,
    ctx,
    { request: authz, ...signedIn },
    { failures: 0, ...(parAuthMethod !== undefined ? { par_auth_method: parAuthMethod } : {}) },
  );
  const next = loginReason !== undefined ? ctx.urls.login : `${ctx.urls.issuer}u/consent`;
  return reply.redirect(`${next}?state=${encodeURIComponent(txId)}`, 302);
}
