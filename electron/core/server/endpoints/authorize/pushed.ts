/**
 * /authorize with a `request_uri` from PAR (AZR-1..7). Only URNs this server issued are accepted and no
 * URL is ever fetched (AZR-1); a record is bound to its client (AZR-2), single-use (AZR-3, AZR-4: marked
 * used here, at first resolution), and everything else in the query is ignored (AZR-5). The stored request
 * is then validated again as if it had just arrived (AZR-6), because the client may have changed since.
 * Every failure before the redirect URI is re-verified is an HTML page: nothing here can be trusted to
 * redirect to.
 */
import type { InlineFailure } from '../../checks/outcome';
import type { Guarantee, Step, StepResult } from '../../steps';
import { refuse } from '../../steps';
import { REQUEST_URI_PREFIX } from '../policy';
import type { Authorization } from './assemble';

/** The HTML-only description of an unusable request_uri (AZR-3). */
export const REQUEST_URI_INVALID = 'request_uri is invalid, expired, or was already used';

const invalidRequestUri = (description: string): InlineFailure => ({ status: 400, error: 'invalid_request_uri', description });

function issuedHere(a: Authorization): StepResult {
  // Nothing here can be trusted to redirect to until the stored redirect_uri is verified again.
  a.delivery.target = undefined;
  const uri = a.params.request_uri ?? '';
  if (!uri.startsWith(REQUEST_URI_PREFIX)) throw refuse(uri.slice(0, 200));
  return uri.slice(0, 200);
}

function liveAndUnused(a: Authorization): StepResult {
  const found = a.ctx.memory.pushedRequests.peek(a.params.request_uri!);
  const problem = !found ? 'unknown' : found.expired ? 'expired' : found.value.used ? 'already used' : undefined;
  if (!found || problem !== undefined) throw refuse(problem ?? 'unknown');
  a.pushed = found.value;
  return 'found';
}

// Checked before marking used, so a wrong client cannot burn another client's request_uri.
function boundToClient(a: Authorization): StepResult {
  const expected = a.pushed.client_id;
  if (a.pushed.client_id !== a.client.client_id) throw refuse(a.client.client_id, { expected });
  return { expected, actual: a.client.client_id };
}

function markUsed(a: Authorization): StepResult {
  // The record stays (now used) until it expires, so a replay gets the same AZR-3 answer as an unknown one.
  a.pushed.used = true;
  return undefined;
}

/** Resolving a `request_uri` (AZR-1..5); every failure is shown as an HTML page (the caller's delivery). */
export const RESOLVE_PUSHED_STEPS: readonly Step<Authorization>[] = [
  {
    name: 'request_uri issued here',
    rule: 'AZR-1',
    expected: `${REQUEST_URI_PREFIX}… issued by /oauth/par`,
    wire: {
      status: 400,
      error: 'request_uri_not_supported',
      description: 'request_uri is only supported with values from the pushed authorization request endpoint',
    },
    run: issuedHere,
  },
  {
    name: 'request_uri live and unused',
    rule: 'AZR-3',
    expected: 'a live, unused request_uri',
    wire: invalidRequestUri(REQUEST_URI_INVALID),
    run: liveAndUnused,
  },
  { name: 'request_uri of this client', rule: 'AZR-2', wire: invalidRequestUri('request_uri was issued to a different client'), run: boundToClient },
  { name: 'mark the request_uri used', run: markUsed },
];

/** Guarantees of the resolution: single use (marked at first resolution), and nothing but client_id and request_uri read. */
export const RESOLVE_PUSHED_GUARANTEES: readonly Guarantee<Authorization>[] = [
  { rule: 'AZR-4', expected: 'first use', actual: 'marked used', after: 'mark the request_uri used' },
  { rule: 'AZR-5', expected: 'only client_id and request_uri are read', actual: ignoredParameters, after: 'mark the request_uri used' },
];

function ignoredParameters(a: Authorization): string {
  const ignored = Object.keys(a.params).filter((k) => k !== 'client_id' && k !== 'request_uri');
  return ignored.length > 0 ? `ignored: ${ignored.join(', ')}` : 'nothing else sent';
}

/** AZR-7 / JAR-3 for a pushed request: a pushed JAR satisfies "JAR required"; a plain push does not. */
export function pushedJarRequirement(a: Authorization): StepResult {
  if (!a.client.signed_request_object?.required) return undefined;
  if (a.pushed.request.via !== 'par+jar') throw refuse('pushed without one');
  return 'pushed with a request object';
}
