/**
 * A DPoP-bound USER access token for the Break-it cases at /userinfo: a scratch user signs in through the
 * embedded server's real sign-in page over HTTP (the transaction cookie, the CSRF token, an Origin header,
 * consent when shown: SES-1..6 all run), and the code is exchanged with a DPoP proof.
 *
 * The one thing not read off the wire is the form's CSRF token: the server that computes it runs in this
 * same process, so it comes from `csrfToken` (what the page itself embeds) instead of scraping HTML. Nothing
 * of this is reachable over HTTP. The scratch user is created through the same directory as the Users tab,
 * with a random password that lives only in this run's memory (never logged, never returned), and is
 * deleted when the run ends.
 */
import fastifyCookie from '@fastify/cookie';
import { randomToken } from '../random';
import type { ServerDirectory } from '../server/management/directory';
import { csrfToken, TX_COOKIE } from '../server/endpoints/interaction/session';
import type { CoreFetch } from '../http/request-policy';
import type { AuthServer } from '../server/app';
import type { Exchange } from './exchange';
import { exchange } from './exchange';
import { SCRATCH_CALLBACK } from './scratch-client';

/** The scratch user's email (`.invalid`, RFC 2606: it names no mailbox). */
export const SCRATCH_USER_EMAIL = 'break-it@parley.invalid';

/** The scratch user of one run. */
export interface ScratchUser {
  email: string;
  password: string;
}

/**
 * Runs `body` with a fresh scratch user, and deletes the user afterwards (also when `body` throws). A user
 * left by an interrupted run is replaced first.
 */
export async function withScratchUser<T>(directory: ServerDirectory, body: (user: ScratchUser) => Promise<T>): Promise<T> {
  const stale = directory.userIdByEmail(SCRATCH_USER_EMAIL);
  if (stale !== undefined) await directory.deleteUser(stale);
  const user: ScratchUser = { email: SCRATCH_USER_EMAIL, password: randomToken(24) };
  const created = await directory.createUser({
    email: user.email,
    password: user.password,
    name: 'Parley · Break it',
    email_verified: true,
    connection: 'Username-Password-Authentication',
  });
  try {
    return await body(user);
  } finally {
    if (directory.getUser(created.user_id) !== undefined) await directory.deleteUser(created.user_id);
  }
}

/** The authorization code, or the answer of the sign-in step that did not go as it must. */
export type SignInOutcome = { code: string } | { failed: Exchange };

/** The pages a sign-in passes through, at most (authorize, login, consent). */
const MAX_HOPS = 4;

/**
 * Opens `/authorize` with a pushed request's `request_uri` and signs the scratch user in, as a browser would,
 * up to the redirect to the scratch callback; returns its `code`.
 */
export async function signInForCode(fetchFn: CoreFetch, server: AuthServer, clientId: string, requestUri: string, user: ScratchUser): Promise<SignInOutcome> {
  const issuer = server.urls.issuer;
  let tx: string | undefined;
  /** The request's headers: the transaction cookie (as the browser keeps it) and the page's origin. */
  const headers = (): Record<string, string> => ({
    origin: new URL(issuer).origin,
    ...(tx === undefined ? {} : { cookie: fastifyCookie.serialize(TX_COOKIE, tx) }),
  });
  const keepCookie = (answer: Exchange) => {
    for (const line of answer.setCookie ?? []) {
      const value = fastifyCookie.parse(line)[TX_COOKIE];
      if (value !== undefined) tx = value === '' ? undefined : value;
    }
  };

  let answer = await exchange(fetchFn, server, '/authorize', { query: { client_id: clientId, request_uri: requestUri } });
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    keepCookie(answer);
    if (answer.status !== 302 || answer.location === undefined || answer.error !== undefined) return { failed: answer };
    const next = new URL(answer.location, issuer);
    if (next.href.startsWith(SCRATCH_CALLBACK)) {
      const code = next.searchParams.get('code');
      return code === null ? { failed: answer } : { code };
    }
    const state = next.searchParams.get('state');
    if (state === null || tx === undefined) return { failed: answer };
    const form = { state, csrf: csrfToken(server.ctx, state) };
    if (next.pathname === '/u/login') {
      answer = await exchange(fetchFn, server, '/u/login', { form: { ...form, email: user.email, password: user.password } }, headers());
    } else if (next.pathname === '/u/consent') {
      answer = await exchange(fetchFn, server, '/u/consent', { form: { ...form, action: 'accept' } }, headers());
    } else {
      return { failed: answer };
    }
  }
  return { failed: answer };
}
