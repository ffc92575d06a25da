/**
 * Assembles an /authorize request from its three possible shapes — plain query, request object by value
 * (JAR), or pushed request (PAR) — into one validated AuthorizationRequest, in node-oidc-provider's order:
 * request + request_uri first (JAR-1), then the client, then PAR or the request object, and only then
 * redirect_uri, response_type and PKCE on the assembled parameters (JAR-18, AZR-6).
 *
 * `delivery` says where an error may go at each point (E-5): nowhere (HTML page) until a redirect_uri has
 * been verified for a known client; for a failed JAR only the *outer* redirect_uri (JAR-19).
 */
import { PROFILES, serverProfileFor } from '../../../../../shared/jwt/profiles';
import { RED_1_PRESENT } from '../../../../../shared/jwt/redirect-uri';
import { AZR_8, JAR_3 } from '../../../../../shared/jwt/rules/client-registration';
import type { ServerContext } from '../../context';
import { enforce, fail, serverNowSeconds } from '../../checks/outcome';
import { pass } from '../../recording';
import type { Params } from '../../checks/params';
import { authorizationParams } from '../../checks/params';
import { recordAssembled, requestToParams, validateAuthorizationParams } from '../../checks/authorization-request';
import { checkRedirectUri, matchRedirect } from '../../checks/redirect-uri';
import { verifyRequestObject } from '../../checks/request-object';
import type { AuthorizationRequest } from '../../state/memory';
import type { ClientView } from '../../state/types';
import type { TraceRecorder } from '../../trace';
import { parRequirement } from '../policy';
import type { RedirectTarget } from '../interaction/respond';
import { checkPushedJarRequirement, resolvePushedRequest } from './pushed';
import { RULES } from '../../rules';

/** Where errors may go while the request is assembled. */
export interface Delivery {
  target?: RedirectTarget;
  state?: string;
}

/** The assembled request. */
export interface Assembly {
  client: ClientView;
  request: AuthorizationRequest;
  parAuthMethod?: string;
}

const invalid = (description: string) => ({ status: 400, error: 'invalid_request', description });
const MODES = new Set(['query', 'fragment', 'form_post']);

function targetFor(redirectUri: string, mode: string | undefined): RedirectTarget {
  return { redirect_uri: redirectUri, response_mode: mode !== undefined && MODES.has(mode) ? mode : undefined };
}

/** Assembles and validates; throws OAuthError with `delivery` describing where it may be sent. */
export async function assembleAuthorization(params: Params, ctx: ServerContext, trace: TraceRecorder, delivery: Delivery): Promise<Assembly> {
  const clientId = params.client_id;
  const client = clientId === undefined ? undefined : ctx.directory.getClient(clientId);
  if (clientId !== undefined) trace.clientId = clientId;
  // A verified outer redirect_uri of a known client (E-5, JAR-19). With request_uri the query is ignored (AZR-5).
  if (client && params.request_uri === undefined && params.redirect_uri !== undefined && matchRedirect(client, params.redirect_uri, ctx)) {
    delivery.target = targetFor(params.redirect_uri, params.response_mode);
    if (params.state !== undefined) delivery.state = params.state;
  }
  const both = params.request !== undefined && params.request_uri !== undefined;
  enforce(trace, RULES['JAR-1'], !both, 'request or request_uri, not both', both ? 'both' : params.request !== undefined ? 'request' : params.request_uri !== undefined ? 'request_uri' : 'neither', invalid('request and request_uri parameters must not be used together'));

  if (clientId === undefined) {
    // JAR-2 and AZR-2 both require client_id next to request / request_uri; AZQ-0 covers the plain query.
    const rule = params.request !== undefined ? RULES['JAR-2'] : params.request_uri !== undefined ? RULES['AZR-2'] : RULES['AZQ-0'];
    throw fail(trace, rule, 'client_id', '(absent)', invalid('Missing required parameter: client_id'));
  }
  if (!client) {
    delivery.target = undefined;
    throw fail(trace, RULES['AZQ-0'], 'a registered client_id', `${clientId} (unknown)`, invalid(`Unknown client: ${clientId}`));
  }
  pass(trace, RULES['AZQ-0'], 'a registered client_id', `${clientId} (${client.name})`);

  if (params.request_uri !== undefined) return assemblePushed(params, client, ctx, trace, delivery);

  const requirement = parRequirement(ctx, client);
  enforce(trace, AZR_8, requirement === undefined, requirement ? 'a pushed request_uri' : 'PAR optional', requirement ? 'no request_uri' : 'not required', invalid(requirement ?? ''));

  let merged: Record<string, string>;
  let via: AuthorizationRequest['via'];
  if (params.request !== undefined) {
    merged = await mergeRequestObject(params, client, ctx, trace, delivery);
    via = 'jar';
  } else {
    const required = client.signed_request_object?.required === true;
    enforce(trace, JAR_3, !required, required ? 'a request object' : 'request object optional', 'plain query', invalid('JWT-secured authorization request is required for this client'));
    merged = authorizationParams(params);
    via = 'query';
  }
  // From here the outer target no longer applies: errors go to the assembled redirect_uri once it is verified.
  delivery.target = undefined;
  if (merged.state !== undefined) delivery.state = merged.state;
  else delete delivery.state;
  const redirectUri = merged.redirect_uri;
  if (redirectUri === undefined) throw fail(trace, RED_1_PRESENT, 'redirect_uri', '(absent)', invalid('Missing required parameter: redirect_uri'));
  checkRedirectUri(redirectUri, client, ctx, trace);
  delivery.target = targetFor(redirectUri, merged.response_mode);
  const request = validateAuthorizationParams({ params: merged, client, redirect_uri: redirectUri, via, ctx, trace });
  if (via === 'jar') recordAssembled(trace, RULES['JAR-18'], request);
  return { client, request };
}

/** JAR by value: verify (JAR-4..15 in checks/request-object), then JAR-2, JAR-16, JAR-17. */
async function mergeRequestObject(params: Params, client: ClientView, ctx: ServerContext, trace: TraceRecorder, delivery: Delivery): Promise<Record<string, string>> {
  let claims: Record<string, string>;
  try {
    claims = await verifyRequestObject({ jwt: params.request ?? '', client, outerParams: params, endpoint: 'authorize', ctx, trace });
  } catch (e) {
    pass(trace, RULES['JAR-19'], 'errors only to a registered outer redirect_uri', delivery.target ? `outer redirect_uri ${delivery.target.redirect_uri}` : 'HTML page (no registered outer redirect_uri)');
    throw e;
  }
  pass(trace, JAR_3, 'a request object when required', 'request object by value');
  // JAR-2 (client_id equality) and JAR-17 (response_type) are rules of checks/request-object.ts and are traced
  // there; this guard only makes sure nothing downstream ever sees a mismatched client_id.
  const inner = authorizationParams(claims);
  if (inner.client_id !== params.client_id) throw fail(trace, RULES['JAR-2'], `client_id ${params.client_id ?? ''}`, `request object client_id ${inner.client_id ?? '(absent)'}`, { status: 400, error: 'invalid_request_object', description: 'client_id mismatch' });
  const outer = authorizationParams(params);
  // The same profile table the request-object rules read (a compliance level raises Auth0 mode to FAPI).
  const profile = PROFILES[serverProfileFor(ctx.settings().profile, client.compliance_level)];
  if (profile.requestObject.merge === 'request-object-only') {
    const dropped = Object.keys(outer).filter((k) => k !== 'client_id' && inner[k] === undefined);
    pass(trace, RULES['JAR-16'], `${profile.label}: only the JAR and client_id`, dropped.length > 0 ? `ignored query parameters: ${dropped.join(', ')}` : 'nothing outside the JAR');
    return { ...inner, client_id: client.client_id };
  }
  const overridden = Object.keys(outer).filter((k) => inner[k] !== undefined && inner[k] !== outer[k]);
  const kept = Object.keys(outer).filter((k) => inner[k] === undefined);
  pass(trace, RULES['JAR-16'], 'Auth0: query, overridden by the JAR', `overridden: ${overridden.join(', ') || 'none'}; kept from the query: ${kept.join(', ') || 'none'}`);
  return { ...outer, ...inner };
}

/** request_uri: AZR-1..7, then the stored request is validated again (AZR-6). */
function assemblePushed(params: Params, client: ClientView, ctx: ServerContext, trace: TraceRecorder, delivery: Delivery): Assembly {
  delivery.target = undefined;
  const pushed = resolvePushedRequest(params, client, ctx, trace);
  const stored = pushed.request;
  checkRedirectUri(stored.redirect_uri, client, ctx, trace);
  delivery.target = targetFor(stored.redirect_uri, stored.response_mode);
  if (stored.state !== undefined) delivery.state = stored.state;
  checkPushedJarRequirement(stored, client, trace);
  if (stored.via === 'par+jar') {
    const now = serverNowSeconds(ctx) * 1000;
    const active = ctx.directory.slotCredentials(client.client_id, 'signed_request_object').filter((c) => c.expires_at === null || Date.parse(c.expires_at) > now);
    enforce(trace, RULES['AZR-6'], active.length > 0, 'an active request-object credential', `${active.length} active`, invalid('The request object credentials of this client are no longer valid'));
  }
  const request = validateAuthorizationParams({ params: requestToParams(stored), client, redirect_uri: stored.redirect_uri, via: stored.via, extra: stored.extra, ctx, trace });
  recordAssembled(trace, RULES['AZR-6'], request);
  pass(trace, AZR_8, 'a pushed request_uri when required', 'request_uri');
  return { client, request, parAuthMethod: pushed.auth_method };
}
