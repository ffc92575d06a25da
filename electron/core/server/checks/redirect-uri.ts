/**
 * Redirect URI rules (RED-1..5, E-6): exact string comparison against the client's registered callbacks,
 * with RFC 8252's loopback-any-port exception behind a switch (off by default, like Auth0). The same
 * matcher decides whether an error may be redirected at all (E-5, JAR-19), so it has a silent form too.
 * The matching itself is shared/jwt/redirect-uri.ts, which Compose's lint applies to drafts.
 */
import type { RedirectMatch, RedirectPolicy } from '../../../../shared/jwt/redirect-uri';
import { RED_1, RED_2, RED_3, RED_5, callbackMismatch, loopbackMiss, matchRedirectUri, redirectSyntaxProblem } from '../../../../shared/jwt/redirect-uri';
import type { ServerContext } from '../context';
import type { ClientView } from '../state/types';
import type { TraceRecorder } from '../trace';
import { fail, isStrict } from './outcome';
import { pass, recordFailure } from '../recording';

export type { RedirectMatch } from '../../../../shared/jwt/redirect-uri';
export { callbackMismatch, forbiddenScheme } from '../../../../shared/jwt/redirect-uri';

/** The server's redirect policy now (profile and the loopback switch). */
export function redirectPolicy(ctx: ServerContext): RedirectPolicy {
  return { strict: isStrict(ctx), loopbackAnyPort: ctx.settings().loopbackAnyPort };
}

/** Matches without recording anything (used to decide whether an error may be redirected: E-5, JAR-19). */
export function matchRedirect(client: ClientView, uri: string, ctx: ServerContext): RedirectMatch {
  return matchRedirectUri(client, uri, redirectPolicy(ctx));
}

/**
 * Checks a requested redirect URI (RED-1..3, RED-5) and records every rule. Throws an OAuthError
 * `invalid_request` with the callback-mismatch text; the caller decides between an HTML page (/authorize)
 * and JSON (PAR).
 */
export function checkRedirectUri(uri: string, client: ClientView, ctx: ServerContext, trace: TraceRecorder): string {
  const wire = { status: 400, error: 'invalid_request', description: callbackMismatch(uri) };
  const policy = redirectPolicy(ctx);
  const problem = redirectSyntaxProblem(uri, policy.strict);
  if (problem !== undefined) throw fail(trace, { rule: RED_3, expected: 'an absolute URL, no fragment, safe scheme', actual: `${uri} (${problem})`, wire });
  pass(trace, RED_3, 'an absolute URL, no fragment, safe scheme', uri);
  if (client.callbacks.some((c) => c.includes('*'))) pass(trace, RED_5, 'no wildcard expansion', 'wildcard entries compared literally');
  const match = matchRedirectUri(client, uri, policy);
  if (match?.how === 'exact') {
    pass(trace, RED_1, `one of ${JSON.stringify(client.callbacks)}`, uri);
    return uri;
  }
  if (match?.how === 'loopback-port') {
    pass(trace, RED_2, `same as ${match.registered} except the port`, uri);
    return uri;
  }
  const error = fail(trace, { rule: RED_1, expected: `one of ${JSON.stringify(client.callbacks)}`, actual: uri, wire });
  // Say why the loopback exception did not apply, so a port mismatch explains itself in the trace.
  const why = loopbackMiss(client, uri, policy);
  if (why !== undefined) recordFailure(trace, RED_2, 'a registered loopback URI differing only in port', `${uri}: ${why}`);
  throw error;
}
