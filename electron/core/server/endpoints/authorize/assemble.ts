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
import { fail, serverNowSeconds } from '../../checks/outcome';
import { pass } from '../../recording';
import type { Params } from '../../checks/params';
import { authorizationParams } from '../../checks/params';
import { recordAssembled, requestToParams, validateAuthorizationParams } from '../../checks/authorization-request';
import { checkRedirectUri, matchRedirect } from '../../checks/redirect-uri';
import { verifyRequestObject } from '../../checks/request-object';
import type { AuthorizationRequest, PushedRequest } from '../../state/memory';
import type { ClientView } from '../../state/types';
import type { TraceRecorder } from '../../trace';
import { parRequirement } from '../policy';
import type { RedirectTarget } from '../interaction/respond';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import { RESOLVE_PUSHED_GUARANTEES, RESOLVE_PUSHED_STEPS, pushedJarRequirement } from './pushed';
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

/** What the steps of one /authorize assembly share (steps.ts). */
export class Authorization implements StepContext {
  client!: ClientView;
  merged: Record<string, string> = {};
  via: AuthorizationRequest['via'] = 'query';
  /** The pushed request a request_uri names (pushed.ts). */
  pushed!: PushedRequest;
  request!: AuthorizationRequest;

  constructor(
    readonly params: Params,
    readonly ctx: ServerContext,
    readonly trace: TraceRecorder,
    /** Where an error may go at this point (E-5, JAR-19): the steps move it as they verify. */
    readonly delivery: Delivery,
  ) {}
}

function outerTarget(a: Authorization): StepResult {
  const { params, ctx, delivery } = a;
  const clientId = params.client_id;
  const client = clientId === undefined ? undefined : ctx.directory.getClient(clientId);
  if (clientId !== undefined) a.trace.clientId = clientId;
  if (client) a.client = client;
  // A verified outer redirect_uri of a known client (E-5, JAR-19). With request_uri the query is ignored (AZR-5).
  if (client && params.request_uri === undefined && params.redirect_uri !== undefined && matchRedirect(client, params.redirect_uri, ctx)) {
    delivery.target = targetFor(params.redirect_uri, params.response_mode);
    if (params.state !== undefined) delivery.state = params.state;
  }
  return undefined;
}

function requestOrRequestUri(a: Authorization): StepResult {
  const params = a.params;
  const both = params.request !== undefined && params.request_uri !== undefined;
  if (both) throw refuse('both');
  return params.request !== undefined ? 'request' : params.request_uri !== undefined ? 'request_uri' : 'neither';
}

function clientIdSent(a: Authorization): StepResult {
  const params = a.params;
  if (params.client_id !== undefined) return undefined;
  // JAR-2 and AZR-2 both require client_id next to request / request_uri; AZQ-0 covers the plain query.
  const rule = params.request !== undefined ? 'JAR-2' : params.request_uri !== undefined ? 'AZR-2' : 'AZQ-0';
  throw fail(a.trace, { rule, expected: 'client_id', actual: '(absent)', wire: invalid('Missing required parameter: client_id') });
}

function clientKnown(a: Authorization): StepResult {
  const clientId = a.params.client_id!;
  if (a.client === undefined) {
    a.delivery.target = undefined;
    throw refuse(`${clientId} (unknown)`, { wire: invalid(`Unknown client: ${clientId}`) });
  }
  return `${clientId} (${a.client.name})`;
}

async function assemble(a: Authorization): Promise<StepResult> {
  await runSteps(a.params.request_uri !== undefined ? PUSHED_STEPS : DIRECT_STEPS, a);
  return undefined;
}

/** The steps of every /authorize request, in node-oidc-provider's order; then the pushed or the direct ones. */
export const AUTHORIZE_STEPS = defineSteps<Authorization>({
  steps: [
    { name: 'outer redirect target', run: outerTarget },
    {
      name: 'request or request_uri',
      rule: 'JAR-1',
      expected: 'request or request_uri, not both',
      wire: invalid('request and request_uri parameters must not be used together'),
      run: requestOrRequestUri,
    },
    { name: 'client_id sent', run: clientIdSent },
    { name: 'client known', rule: 'AZQ-0', expected: 'a registered client_id', run: clientKnown },
    { name: 'assemble', run: assemble },
  ],
});

function parRequired(a: Authorization): StepResult {
  const requirement = parRequirement(a.ctx, a.client);
  if (requirement !== undefined) throw refuse('no request_uri', { expected: 'a pushed request_uri', wire: invalid(requirement) });
  return { expected: 'PAR optional', actual: 'not required' };
}

async function requestObject(a: Authorization): Promise<StepResult> {
  if (a.params.request !== undefined) {
    a.merged = await mergeRequestObject(a.params, a.client, a.ctx, a.trace, a.delivery);
    a.via = 'jar';
  } else {
    a.merged = authorizationParams(a.params);
    a.via = 'query';
  }
  return undefined;
}

function requestObjectWhenRequired(a: Authorization): StepResult {
  if (a.via === 'jar') return undefined;
  const required = a.client.signed_request_object?.required === true;
  if (required) throw refuse('plain query', { expected: 'a request object' });
  return { expected: 'request object optional', actual: 'plain query' };
}

function assembledRedirectUri(a: Authorization): StepResult {
  const { merged, delivery } = a;
  // From here the outer target no longer applies: errors go to the assembled redirect_uri once it is verified.
  delivery.target = undefined;
  if (merged.state !== undefined) delivery.state = merged.state;
  else delete delivery.state;
  if (merged.redirect_uri === undefined) throw refuse('(absent)');
  return undefined;
}

function redirectUriRegistered(a: Authorization): StepResult {
  const redirectUri = a.merged.redirect_uri!;
  checkRedirectUri(redirectUri, a.client, a.ctx, a.trace);
  a.delivery.target = targetFor(redirectUri, a.merged.response_mode);
  return undefined;
}

function validateAssembled(a: Authorization): StepResult {
  a.request = validateAuthorizationParams({ params: a.merged, client: a.client, redirect_uri: a.merged.redirect_uri!, via: a.via, ctx: a.ctx, trace: a.trace });
  if (a.via === 'jar') recordAssembled(a.trace, RULES['JAR-18'], a.request);
  return undefined;
}

/** A plain query or a request object by value: JAR first, then redirect_uri, response_type and PKCE on the assembled parameters (JAR-18). */
const DIRECT_STEPS = defineSteps<Authorization>({
  steps: [
    { name: 'PAR required', rule: AZR_8, run: parRequired },
    { name: 'request object', run: requestObject },
    {
      name: 'request object when required',
      rule: JAR_3,
      wire: invalid('JWT-secured authorization request is required for this client'),
      run: requestObjectWhenRequired,
    },
    {
      name: 'assembled redirect_uri',
      rule: RED_1_PRESENT,
      expected: 'redirect_uri',
      wire: invalid('Missing required parameter: redirect_uri'),
      run: assembledRedirectUri,
    },
    { name: 'redirect_uri registered', run: redirectUriRegistered },
    { name: 'validate', run: validateAssembled },
  ],
});

function storedRedirectUri(a: Authorization): StepResult {
  const stored = a.pushed.request;
  checkRedirectUri(stored.redirect_uri, a.client, a.ctx, a.trace);
  a.delivery.target = targetFor(stored.redirect_uri, stored.response_mode);
  if (stored.state !== undefined) a.delivery.state = stored.state;
  return undefined;
}

function requestObjectCredential(a: Authorization): StepResult {
  if (a.pushed.request.via !== 'par+jar') return undefined;
  const now = serverNowSeconds(a.ctx) * 1000;
  const active = a.ctx.directory
    .slotCredentials(a.client.client_id, 'signed_request_object')
    .filter((c) => c.expires_at === null || Date.parse(c.expires_at) > now);
  if (active.length === 0) throw refuse('0 active');
  return `${active.length} active`;
}

function validateAgain(a: Authorization): StepResult {
  const stored = a.pushed.request;
  a.request = validateAuthorizationParams({
    params: requestToParams(stored),
    client: a.client,
    redirect_uri: stored.redirect_uri,
    via: stored.via,
    extra: stored.extra,
    ctx: a.ctx,
    trace: a.trace,
  });
  recordAssembled(a.trace, RULES['AZR-6'], a.request);
  return undefined;
}

/** request_uri: AZR-1..7 (pushed.ts), then the stored request is validated again (AZR-6). */
const PUSHED_STEPS = defineSteps<Authorization>({
  steps: [
    ...RESOLVE_PUSHED_STEPS,
    { name: 'stored redirect_uri registered', run: storedRedirectUri },
    {
      name: 'request object when required',
      rule: 'AZR-7',
      expected: 'a request object',
      wire: invalid('JWT-secured authorization request is required for this client'),
      run: pushedJarRequirement,
    },
    {
      name: 'request-object credential active',
      rule: 'AZR-6',
      expected: 'an active request-object credential',
      wire: invalid('The request object credentials of this client are no longer valid'),
      run: requestObjectCredential,
    },
    { name: 'validate again', run: validateAgain },
  ],
  guarantees: [...RESOLVE_PUSHED_GUARANTEES, { rule: AZR_8, expected: 'a pushed request_uri when required', actual: 'request_uri' }],
});

/** Assembles and validates; throws OAuthError with `delivery` describing where it may be sent. */
export async function assembleAuthorization(params: Params, ctx: ServerContext, trace: TraceRecorder, delivery: Delivery): Promise<Assembly> {
  const a = new Authorization(params, ctx, trace, delivery);
  await runSteps(AUTHORIZE_STEPS, a);
  return a.params.request_uri !== undefined
    ? { client: a.client, request: a.request, parAuthMethod: a.pushed.auth_method }
    : { client: a.client, request: a.request };
}

/** JAR by value: verify (JAR-4..15 in checks/request-object), then JAR-2, JAR-16, JAR-17. */
async function mergeRequestObject(
  params: Params,
  client: ClientView,
  ctx: ServerContext,
  trace: TraceRecorder,
  delivery: Delivery,
): Promise<Record<string, string>> {
  let claims: Record<string, string>;
  try {
    claims = await verifyRequestObject({ jwt: params.request ?? '', client, outerParams: params, endpoint: 'authorize', ctx, trace });
  } catch (e) {
    pass(
      trace,
      RULES['JAR-19'],
      'errors only to a registered outer redirect_uri',
      delivery.target ? `outer redirect_uri ${delivery.target.redirect_uri}` : 'HTML page (no registered outer redirect_uri)',
    );
    throw e;
  }
  pass(trace, JAR_3, 'a request object when required', 'request object by value');
  // JAR-2 (client_id equality) and JAR-17 (response_type) are rules of checks/request-object.ts and are traced
  // there; this guard only makes sure nothing downstream ever sees a mismatched client_id.
  const inner = authorizationParams(claims);
  if (inner.client_id !== params.client_id)
    throw fail(trace, {
      rule: 'JAR-2',
      expected: `client_id ${params.client_id ?? ''}`,
      actual: `request object client_id ${inner.client_id ?? '(absent)'}`,
      wire: { status: 400, error: 'invalid_request_object', description: 'client_id mismatch' },
    });
  const outer = authorizationParams(params);
  // The same profile table the request-object rules read (a compliance level raises Auth0 mode to FAPI).
  const profile = PROFILES[serverProfileFor(ctx.settings().profile, client.compliance_level)];
  if (profile.requestObject.merge === 'request-object-only') {
    const dropped = Object.keys(outer).filter((k) => k !== 'client_id' && inner[k] === undefined);
    pass(
      trace,
      RULES['JAR-16'],
      `${profile.label}: only the JAR and client_id`,
      dropped.length > 0 ? `ignored query parameters: ${dropped.join(', ')}` : 'nothing outside the JAR',
    );
    return { ...inner, client_id: client.client_id };
  }
  const overridden = Object.keys(outer).filter((k) => inner[k] !== undefined && inner[k] !== outer[k]);
  const kept = Object.keys(outer).filter((k) => inner[k] === undefined);
  pass(
    trace,
    RULES['JAR-16'],
    'Auth0: query, overridden by the JAR',
    `overridden: ${overridden.join(', ') || 'none'}; kept from the query: ${kept.join(', ') || 'none'}`,
  );
  return { ...outer, ...inner };
}
