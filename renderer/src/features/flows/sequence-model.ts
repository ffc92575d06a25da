/**
 * The sequence diagram of a run (trainer's kit), derived from the run itself: three lanes (the browser,
 * Parley as the client, the authorization server) and one arrow per HTTP exchange, in the order they
 * happen. The arrows follow the run live: done, failed, in progress, the paused request ("next") or still
 * to come. Pure: no React, no i18n (the sign-in arrows are named by the view).
 */
import type { FlowExchange, FlowExtraExchange, FlowJwt, FlowPause, FlowPausePurpose, FlowRun, FlowStep, FlowStepName } from '../../../../shared/schemas/flows';
import type { RequestTrace } from '../../../../shared/schemas/server';

/** A lane of the diagram, left to right. */
export type SequenceLane = 'browser' | 'client' | 'server';

/** The lanes, left to right. */
export const SEQUENCE_LANES: readonly SequenceLane[] = ['browser', 'client', 'server'];

/** What an arrow says. */
export type ArrowLabel =
  /** An HTTP request, with the response's status once known ("POST /oauth/par → 201"). */
  | { kind: 'http'; method: string; path: string; status?: number }
  /** The server sends the browser back to the redirect URI ("302 → /callback"). */
  | { kind: 'redirect'; status: number; path: string }
  /** The server's sign-in page (and consent), shown in the browser. */
  | { kind: 'signin-page' }
  /** The user's credentials (and consent) sent back. */
  | { kind: 'signin-submit' };

/** Where an arrow stands in the run. */
export type ArrowState = 'done' | 'failed' | 'active' | 'next' | 'pending' | 'cancelled';

/** Which exchange an arrow is. */
/**
 * `par-again`: the PAR sent again because its request_uri expired during a step-through pause.
 * `nonce-challenge`: a DPoP request the server answered with a nonce challenge (the retry is the next arrow).
 * `userinfo`: a DPoP target's userinfo call with the access token.
 */
export type ArrowId =
  | 'discovery'
  | 'par'
  | 'par-again'
  | 'nonce-challenge'
  | 'authorize'
  | 'signin-page'
  | 'signin-submit'
  | 'redirect'
  | 'callback'
  | 'token'
  | 'jwks'
  | 'userinfo';

/** One arrow: an HTTP exchange (or the browser's part of the sign-in). */
export interface SequenceArrow {
  type: 'arrow';
  id: ArrowId;
  /** The run step the arrow belongs to, and its index in `run.steps`. */
  step: FlowStepName;
  stepIndex: number;
  from: SequenceLane;
  to: SequenceLane;
  label: ArrowLabel;
  state: ArrowState;
  /** The response comes back over the same pair of lanes (drawn dashed) once it is known. */
  returns: boolean;
  /** The request as sent (or, for the paused arrow, as it will be sent), secrets redacted by the core. */
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body?: string };
  /** Where the redirect sends the browser (the redirect arrow). */
  location?: string;
  durationMs?: number;
  /** JWTs the exchange carries (request objects, client assertions, ID tokens…). */
  jwts: FlowJwt[];
  /** Embedded server only: its traces of the request. */
  traces: RequestTrace[];
}

/** A note on the client's lane: a step without a request (build: the request object is signed). */
export interface SequenceNote {
  type: 'note';
  id: 'build';
  step: FlowStepName;
  stepIndex: number;
  state: ArrowState;
  jwts: FlowJwt[];
}

/** A row of the diagram. */
export type SequenceRow = SequenceArrow | SequenceNote;

/** What the model may know beyond the run. */
export interface SequenceContext {
  /** The target's issuer (the discovery URL before discovery has run). */
  issuer?: string;
  /** The target's redirect URI (the callback before it has happened). */
  redirectUri?: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True for a compact JWS/JWT shape (three base64url parts). */
export function isCompactJwt(value: unknown): value is string {
  return typeof value === 'string' && value.length < 1_100_000 && COMPACT_JWS.test(value);
}

/** A URL's path (what an arrow shows); text that is not a URL as is. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** JWTs in a URL's query (JAR by value: the request parameter). */
export function jwtsInUrl(url: string | undefined): FlowJwt[] {
  if (!url) return [];
  try {
    return [...new URL(url).searchParams]
      .filter(([, v]) => isCompactJwt(v))
      .map(([k, v]) => (k === 'request' ? { label: 'Request object', kind: 'requestObject' as const, token: v } : { label: k, token: v }));
  } catch {
    return [];
  }
}

/** The language-neutral name of an HTTP or redirect arrow ("POST /oauth/par → 201"); null for the sign-in arrows. */
export function arrowText(label: ArrowLabel): string | null {
  switch (label.kind) {
    case 'http':
      return `${label.method} ${label.path}${label.status === undefined ? '' : ` → ${label.status}`}`;
    case 'redirect':
      return `${label.status} → ${label.path}`;
    default:
      return null;
  }
}

/** The arrow a paused request is. */
export function arrowOfPurpose(purpose: FlowPausePurpose): ArrowId {
  switch (purpose) {
    case 'discovery':
      return 'discovery';
    case 'par':
      return 'par';
    case 'authorize':
      return 'authorize';
    case 'token':
      return 'token';
    case 'jwks':
      return 'jwks';
  }
}

function stringIn(detail: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = detail?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stateOfStep(step: FlowStep): ArrowState {
  switch (step.status) {
    case 'ok':
      return 'done';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'running':
      return 'active';
    case 'pending':
      return 'pending';
  }
}

/** A paused request as an exchange's request: the form (or nothing) as the body. */
function pausedRequest(pause: FlowPause): NonNullable<SequenceArrow['request']> {
  const { method, url, headers, form } = pause.request;
  return { method, url, headers, ...(form && method === 'POST' ? { body: new URLSearchParams(form).toString() } : {}) };
}

/** An arrow for a request the client sends to the server and whose answer it reads (discovery, PAR, token, JWKS). */
function clientExchange(id: ArrowId, step: FlowStep, stepIndex: number, run: FlowRun, method: string, fallbackUrl: string): SequenceArrow {
  const paused = run.status === 'paused' && run.paused?.step === step.name && arrowOfPurpose(run.paused.purpose) === id ? run.paused : undefined;
  const exchange: FlowExchange | undefined = paused ? undefined : step.exchange;
  const request = paused ? pausedRequest(paused) : exchange?.request;
  const status = exchange?.response?.status;
  return {
    type: 'arrow',
    id,
    step: step.name,
    stepIndex,
    from: 'client',
    to: 'server',
    label: { kind: 'http', method: request?.method ?? method, path: pathOf(request?.url ?? fallbackUrl), ...(status === undefined ? {} : { status }) },
    state: paused ? 'next' : stateOfStep(step),
    returns: status !== undefined,
    ...(request ? { request } : {}),
    ...(exchange?.response ? { response: exchange.response } : {}),
    ...(exchange ? { durationMs: exchange.durationMs } : {}),
    jwts: paused ? [] : step.jwts,
    traces: paused ? [] : (step.serverTraces ?? []),
  };
}

/** The arrow of a request a step made besides its own (a PAR sent again, a nonce challenge, userinfo). */
function extraArrow(extra: FlowExtraExchange, step: FlowStep, stepIndex: number): SequenceArrow {
  const { request, response, durationMs } = extra.exchange;
  const id: ArrowId = extra.reason === 'use_dpop_nonce' ? 'nonce-challenge' : extra.reason === 'access_token_check' ? 'userinfo' : 'par-again';
  // A challenge is the protocol at work, not a failure: the retry that follows decides.
  const state: ArrowState = response && (response.status < 300 || id === 'nonce-challenge') ? 'done' : 'failed';
  return {
    type: 'arrow',
    id,
    step: step.name,
    stepIndex,
    from: 'client',
    to: 'server',
    label: { kind: 'http', method: request.method, path: pathOf(request.url), ...(response ? { status: response.status } : {}) },
    state,
    returns: response !== undefined,
    request,
    ...(response ? { response } : {}),
    durationMs,
    jwts: extra.jwts,
    traces: extra.serverTraces ?? [],
  };
}

/** The extra requests of a step that come before its own (userinfo calls come after the verify step's JWKS request). */
function extrasBefore(step: FlowStep, stepIndex: number): SequenceArrow[] {
  return (step.extraExchanges ?? []).filter((e) => e.purpose !== 'userinfo').map((e) => extraArrow(e, step, stepIndex));
}

/**
 * The rows of a run's diagram, in order: discovery, (build), PAR, authorize, the sign-in pair, the
 * redirect and the callback, token, JWKS — as far as the run's kind has them.
 */
export function sequenceOf(run: FlowRun, context: SequenceContext = {}): SequenceRow[] {
  const discover = run.steps.find((s) => s.name === 'discover');
  const endpoint = (key: string, fallback: string) => stringIn(discover?.detail, key) ?? fallback;
  const issuer = context.issuer?.replace(/\/?$/, '/') ?? '';
  const rows: SequenceRow[] = [];

  run.steps.forEach((step, stepIndex) => {
    const state = stateOfStep(step);
    switch (step.name) {
      case 'discover':
        rows.push(clientExchange('discovery', step, stepIndex, run, 'GET', `${issuer}.well-known/openid-configuration`));
        break;
      case 'build':
        rows.push({ type: 'note', id: 'build', step: step.name, stepIndex, state, jwts: step.jwts });
        break;
      case 'push':
        // A DPoP nonce challenge comes first; the step's own exchange is then the retry.
        rows.push(...extrasBefore(step, stepIndex));
        rows.push(
          clientExchange('par', step, stepIndex, run, 'POST', endpoint('pushed_authorization_request_endpoint', 'pushed_authorization_request_endpoint')),
        );
        break;
      case 'exchange':
      case 'refresh':
        // A refresh is a token request too (grant_type=refresh_token), its nonce challenge first.
        rows.push(...extrasBefore(step, stepIndex));
        rows.push(clientExchange('token', step, stepIndex, run, 'POST', endpoint('token_endpoint', 'token_endpoint')));
        break;
      case 'verify':
        // The step's JWT is the ID token checked against the keys fetched.
        rows.push(clientExchange('jwks', step, stepIndex, run, 'GET', 'jwks_uri'));
        // DPoP targets: then the access token at userinfo (a nonce challenge first, when there was one).
        rows.push(...(step.extraExchanges ?? []).filter((e) => e.purpose === 'userinfo').map((e) => extraArrow(e, step, stepIndex)));
        break;
      case 'authorize': {
        const paused = run.status === 'paused' && run.paused?.step === 'authorize' ? run.paused : undefined;
        const url = paused?.request.url ?? run.authorizeUrl ?? stringIn(step.detail, 'url');
        // The browser's own requests: the embedded server's first trace of /authorize is its answer.
        const traces = paused ? [] : (step.serverTraces ?? []);
        const status = traces[0]?.status;
        const waiting = state === 'active' && run.status === 'waiting-for-browser';
        // The request_uri expired during the pause: the PAR sent again comes before the browser leaves.
        rows.push(...extrasBefore(step, stepIndex));
        rows.push({
          type: 'arrow',
          id: 'authorize',
          step: step.name,
          stepIndex,
          from: 'browser',
          to: 'server',
          label: {
            kind: 'http',
            method: 'GET',
            path: pathOf(url ?? endpoint('authorization_endpoint', 'authorization_endpoint')),
            ...(status === undefined ? {} : { status }),
          },
          state: paused ? 'next' : state,
          returns: false,
          ...(url ? { request: { method: 'GET', url, headers: paused?.request.headers ?? {} } } : {}),
          jwts: jwtsInUrl(url),
          traces,
        });
        // The sign-in happens between the browser and the server: Parley sees neither request.
        const signIn: ArrowState = paused ? 'pending' : state === 'failed' ? 'pending' : waiting ? 'active' : state === 'active' ? 'pending' : state;
        rows.push({
          type: 'arrow',
          id: 'signin-page',
          step: step.name,
          stepIndex,
          from: 'server',
          to: 'browser',
          label: { kind: 'signin-page' },
          state: signIn,
          returns: false,
          jwts: [],
          traces: [],
        });
        rows.push({
          type: 'arrow',
          id: 'signin-submit',
          step: step.name,
          stepIndex,
          from: 'browser',
          to: 'server',
          label: { kind: 'signin-submit' },
          state: signIn,
          returns: false,
          jwts: [],
          traces: [],
        });
        break;
      }
      case 'callback': {
        const callbackUrl = stringIn(step.detail, 'callbackUrl');
        const target = callbackUrl ?? context.redirectUri;
        const path = target ? pathOf(target) : 'redirect_uri';
        rows.push({
          type: 'arrow',
          id: 'redirect',
          step: step.name,
          stepIndex,
          from: 'server',
          to: 'browser',
          label: { kind: 'redirect', status: 302, path },
          state,
          returns: false,
          ...(callbackUrl ? { location: callbackUrl } : {}),
          jwts: [],
          traces: [],
        });
        rows.push({
          type: 'arrow',
          id: 'callback',
          step: step.name,
          stepIndex,
          from: 'browser',
          to: 'client',
          label: { kind: 'http', method: 'GET', path },
          state,
          returns: false,
          ...(callbackUrl ? { request: { method: 'GET', url: callbackUrl, headers: {} } } : {}),
          jwts: jwtsInUrl(callbackUrl),
          traces: [],
        });
        break;
      }
    }
  });
  return rows;
}

/** Only the arrows. */
export function arrowsOf(rows: readonly SequenceRow[]): SequenceArrow[] {
  return rows.filter((r): r is SequenceArrow => r.type === 'arrow');
}
