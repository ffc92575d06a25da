/**
 * /authorize with a `request_uri` from PAR (AZR-1..7). Only URNs this server issued are accepted and no
 * URL is ever fetched (AZR-1); a record is bound to its client (AZR-2), single-use (AZR-3, AZR-4: marked
 * used here, at first resolution), and everything else in the query is ignored (AZR-5). The stored request
 * is then validated again as if it had just arrived (AZR-6), because the client may have changed since.
 * Every failure before the redirect URI is re-verified is an HTML page: nothing here can be trusted to
 * redirect to.
 */
import type { ServerContext } from '../../context';
import type { InlineRule } from '../../checks/outcome';
import { enforce, fail, pass } from '../../checks/outcome';
import type { Params } from '../../checks/params';
import type { AuthorizationRequest } from '../../state/memory';
import type { ClientView } from '../../state/types';
import type { TraceRecorder } from '../../trace';
import { REQUEST_URI_PREFIX } from '../policy';

const AZR: Record<string, InlineRule> = {
  'AZR-1': { id: 'AZR-1', summary: 'Only request_uri values issued by this server’s PAR endpoint are accepted; URLs are never fetched.', source: 'OIDC Core §6.2; RFC 9126 §4; Auth0 discovery (O5)', fix: 'Push the request to /oauth/par and use the returned urn:ietf:params:oauth:request_uri:… value.' },
  'AZR-2': { id: 'AZR-2', summary: 'client_id is sent with request_uri and equals the client that pushed it.', source: 'RFC 9126 §2.2, §4; RFC 9101 §5; Auth0 PAR API (A5)', fix: 'Send the client_id of the application that called /oauth/par.' },
  'AZR-3': { id: 'AZR-3', summary: 'The request_uri is known, not expired and not used.', source: 'RFC 9126 §4; Auth0 PAR (A3)', fix: 'Push a new request: a request_uri lives 30 seconds and works once.' },
  'AZR-4': { id: 'AZR-4', summary: 'A request_uri is used only once (marked used now).', source: 'RFC 9126 §4; Auth0 PAR (A3)' },
  'AZR-5': { id: 'AZR-5', summary: 'With request_uri, every other query parameter except client_id is ignored.', source: 'RFC 9126 §4; FAPI 2.0; node-oidc-provider' },
  'AZR-7': { id: 'AZR-7', summary: 'A pushed request object satisfies “JAR required”.', source: 'Auth0 Configure JAR (A2)' },
};

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
  enforce(trace, AZR['AZR-1']!, uri.startsWith(REQUEST_URI_PREFIX), `${REQUEST_URI_PREFIX}… issued by /oauth/par`, uri.slice(0, 200), {
    status: 400,
    error: 'request_uri_not_supported',
    description: 'request_uri is only supported with values from the pushed authorization request endpoint',
  });
  const found = ctx.memory.pushedRequests.peek(uri);
  const problem = !found ? 'unknown' : found.expired ? 'expired' : found.value.used ? 'already used' : undefined;
  if (!found || problem !== undefined) throw fail(trace, AZR['AZR-3']!, 'a live, unused request_uri', problem ?? 'unknown', { status: 400, error: 'invalid_request_uri', description: REQUEST_URI_INVALID });
  pass(trace, AZR['AZR-3']!, 'a live, unused request_uri', 'found');
  const pushed = found.value;
  // Checked before marking used, so a wrong client cannot burn another client's request_uri.
  enforce(trace, AZR['AZR-2']!, pushed.client_id === client.client_id, pushed.client_id, client.client_id, { status: 400, error: 'invalid_request_uri', description: 'request_uri was issued to a different client' });
  // The record stays (now used) until it expires, so a replay gets the same AZR-3 answer as an unknown one.
  pushed.used = true;
  pass(trace, AZR['AZR-4']!, 'first use', 'marked used');
  const ignored = Object.keys(params).filter((k) => k !== 'client_id' && k !== 'request_uri');
  pass(trace, AZR['AZR-5']!, 'only client_id and request_uri are read', ignored.length > 0 ? `ignored: ${ignored.join(', ')}` : 'nothing else sent');
  return { request: pushed.request, auth_method: pushed.auth_method };
}

/** AZR-7 / JAR-3 for a pushed request: a pushed JAR satisfies "JAR required"; a plain push does not. */
export function checkPushedJarRequirement(pushed: AuthorizationRequest, client: ClientView, trace: TraceRecorder): void {
  if (!client.signed_request_object?.required) return;
  if (pushed.via === 'par+jar') {
    pass(trace, AZR['AZR-7']!, 'a request object', 'pushed with a request object');
    return;
  }
  throw fail(trace, AZR['AZR-7']!, 'a request object', 'pushed without one', { status: 400, error: 'invalid_request', description: 'JWT-secured authorization request is required for this client' });
}
