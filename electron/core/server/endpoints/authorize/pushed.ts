/**
 * /authorize with a `request_uri` from PAR (AZR-1..7). Only URNs this server issued are accepted and no
 * URL is ever fetched (AZR-1); a record is bound to its client (AZR-2), single-use (AZR-3, AZR-4: marked
 * used here, at first resolution), and everything else in the query is ignored (AZR-5). The stored request
 * is then validated again as if it had just arrived (AZR-6), because the client may have changed since.
 * Every failure before the redirect URI is re-verified is an HTML page: nothing here can be trusted to
 * redirect to.
 */
import type { ServerContext } from '../../context';
import { enforce, fail } from '../../checks/outcome';
import { pass } from '../../recording';
import type { Params } from '../../checks/params';
import type { AuthorizationRequest } from '../../state/memory';
import type { ClientView } from '../../state/types';
import type { TraceRecorder } from '../../trace';
import { REQUEST_URI_PREFIX } from '../policy';
import { RULES } from '../../rules';

/** The HTML-only description of an unusable request_uri (AZR-3). */
export const REQUEST_URI_INVALID = 'request_uri is invalid, expired, or was already used';

/** A resolved pushed request. */
export interface ResolvedPush {
  request: AuthorizationRequest;
  auth_method: string;
}

/** Resolves a `request_uri` (AZR-1..5); throws OAuthError (the caller shows it as an HTML page). */
export function resolvePushedRequest(params: Params, client: ClientView, ctx: ServerContext, trace: TraceRecorder): ResolvedPush {
  const uri = params.request_uri ?? '';
  enforce(trace, RULES['AZR-1'], uri.startsWith(REQUEST_URI_PREFIX), `${REQUEST_URI_PREFIX}… issued by /oauth/par`, uri.slice(0, 200), {
    status: 400,
    error: 'request_uri_not_supported',
    description: 'request_uri is only supported with values from the pushed authorization request endpoint',
  });
  const found = ctx.memory.pushedRequests.peek(uri);
  const problem = !found ? 'unknown' : found.expired ? 'expired' : found.value.used ? 'already used' : undefined;
  if (!found || problem !== undefined) throw fail(trace, RULES['AZR-3'], 'a live, unused request_uri', problem ?? 'unknown', { status: 400, error: 'invalid_request_uri', description: REQUEST_URI_INVALID });
  pass(trace, RULES['AZR-3'], 'a live, unused request_uri', 'found');
  const pushed = found.value;
  // Checked before marking used, so a wrong client cannot burn another client's request_uri.
  enforce(trace, RULES['AZR-2'], pushed.client_id === client.client_id, pushed.client_id, client.client_id, { status: 400, error: 'invalid_request_uri', description: 'request_uri was issued to a different client' });
  // The record stays (now used) until it expires, so a replay gets the same AZR-3 answer as an unknown one.
  pushed.used = true;
  pass(trace, RULES['AZR-4'], 'first use', 'marked used');
  const ignored = Object.keys(params).filter((k) => k !== 'client_id' && k !== 'request_uri');
  pass(trace, RULES['AZR-5'], 'only client_id and request_uri are read', ignored.length > 0 ? `ignored: ${ignored.join(', ')}` : 'nothing else sent');
  return { request: pushed.request, auth_method: pushed.auth_method };
}

/** AZR-7 / JAR-3 for a pushed request: a pushed JAR satisfies "JAR required"; a plain push does not. */
export function checkPushedJarRequirement(pushed: AuthorizationRequest, client: ClientView, trace: TraceRecorder): void {
  if (!client.signed_request_object?.required) return;
  if (pushed.via === 'par+jar') {
    pass(trace, RULES['AZR-7'], 'a request object', 'pushed with a request object');
    return;
  }
  throw fail(trace, RULES['AZR-7'], 'a request object', 'pushed without one', { status: 400, error: 'invalid_request', description: 'JWT-secured authorization request is required for this client' });
}
