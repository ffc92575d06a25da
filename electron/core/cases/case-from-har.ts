/**
 * `har.caseFromExchange`: one exchange of an imported HAR file (shared/har/import.ts, secrets already
 * stripped in the renderer's worker) made into a `parley-case/1` file, so the case machinery that imports
 * a run's case (case-import.ts: preview, recreate the client, replay at the recorded time as the recorded
 * issuer) reproduces a customer's request on the embedded server. Nothing new is trusted: the case is
 * built by the same whitelist constructor as an exported run's (case-builder.ts), so a value the HAR
 * import missed is still dropped here, and the client's key is only ever the public half of what the
 * user (or the file) supplied.
 *
 * What the case says: a one-step run (push for PAR, authorize for /authorize, exchange for the token
 * request) whose step failed when the server's answer was an error, at the entry's startedDateTime; the
 * client as the request shows it (client_id, redirect_uri, how it authenticated); the key under the kid
 * the request object or client assertion names, in the slot it signed for.
 */
import { ParleyError } from '../../../shared/errors';
import type { ProfileId } from '../../../shared/jwt/profiles';
import { decodeCompactJwt } from '../../../shared/jwt/decode';
import type { CaseExport } from '../../../shared/schemas/case';
import type { FlowAuthMethod, FlowExchange, FlowErrorCode, FlowJwt, FlowKind, FlowRun, FlowStep, FlowTarget } from '../../../shared/schemas/flows';
import type { ServerSettings } from '../../../shared/schemas/server';
import type { KeyCandidate, SourceKeys } from '../jwt/key-sources';
import type { CredentialSource } from './case-builder';
import { buildCaseFile } from './case-builder';

/** An exchange as the renderer sends it (the stripped HarExchange, the parts a case reads). */
export interface HarCaseExchange {
  kind: 'authorize' | 'par' | 'token';
  method: string;
  url: string;
  startedAt: string | null;
  request: { headers: { name: string; value: string }[]; body?: string | undefined; basicAuth: boolean };
  response: { status: number; headers: { name: string; value: string }[]; body?: string | undefined } | null;
}

/** What the case is built from. */
export interface HarCaseInput {
  exchange: HarCaseExchange;
  /** For an authorization request by `request_uri`: the PAR exchange that pushed it (the replay pushes it again). */
  pushed?: HarCaseExchange | undefined;
  /** The issuer the exchange was judged against ('' when unknown: the endpoint's origin is used). */
  issuer: string;
  profile: ProfileId;
  /** The client's public key as the user pasted it (PEM, certificate, JWK or JWKS), if any. */
  key?: string | undefined;
}

/** What building the case needs from the core. */
export interface HarCaseDeps {
  version: string;
  /** The embedded server's settings (the replay's rules), with the profile the user chose. */
  settings: () => ServerSettings;
  /** The candidate keys of pasted key text (electron/core/jwt/key-sources.ts). */
  keysOf: (text: string) => Promise<SourceKeys>;
  now: () => number;
}

/** Auth0's caller-kid pattern (CRD-7): a kid outside it cannot be registered, so the thumbprint is used. */
const KID_PATTERN = /^[0-9a-zA-Z\-_]{10,64}$/;
const GRANT_TYPES = new Set([
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

interface SignedJwt {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function signed(token: string | undefined): SignedJwt | null {
  if (token === undefined || token === '') return null;
  try {
    const decoded = decodeCompactJwt(token, { maxBytes: 1_100_000 });
    return { token, header: decoded.header, payload: decoded.payload };
  } catch {
    return null;
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The request's parameters: the query of an authorization request, the form body of PAR and token. */
function paramsOf(exchange: HarCaseExchange): URLSearchParams {
  if (exchange.kind === 'authorize') {
    try {
      return new URL(exchange.url).searchParams;
    } catch {
      throw new ParleyError('INVALID_INPUT', `The exchange's URL cannot be read: ${JSON.stringify(exchange.url.slice(0, 120))}.`);
    }
  }
  return new URLSearchParams(exchange.request.body ?? '');
}

/** Whether the server's answer was a refusal, and the error it gave. */
function refusal(exchange: HarCaseExchange): { failed: boolean; message: string } {
  const res = exchange.response;
  if (res === null || res.status === 0) return { failed: true, message: 'no response was recorded (the request failed or was cancelled)' };
  const location = res.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
  if (res.status >= 300 && res.status < 400 && location !== undefined) {
    try {
      const params = new URL(location, exchange.url).searchParams;
      const error = params.get('error');
      if (error !== null)
        return {
          failed: true,
          message: `${res.status} redirect with error=${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`,
        };
    } catch {
      // A Location that is not a URL: a plain redirect.
    }
    return { failed: false, message: `${res.status} redirect` };
  }
  if (res.status < 400) return { failed: false, message: String(res.status) };
  try {
    const doc = JSON.parse(res.body ?? '') as Record<string, unknown>;
    if (typeof doc['error'] === 'string')
      return { failed: true, message: `${res.status} ${doc['error']}${typeof doc['error_description'] === 'string' ? `: ${doc['error_description']}` : ''}` };
  } catch {
    // Not JSON: the status alone.
  }
  return { failed: true, message: String(res.status) };
}

function headerRecord(headers: readonly { name: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) out[h.name.toLowerCase()] = h.value;
  return out;
}

/** An exchange as a run records it. */
function flowExchangeOf(exchange: HarCaseExchange): FlowExchange {
  const { request, response } = exchange;
  return {
    request: {
      method: exchange.method,
      url: exchange.url,
      headers: headerRecord(request.headers),
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    ...(response === null
      ? {}
      : { response: { status: response.status, headers: headerRecord(response.headers), ...(response.body === undefined ? {} : { body: response.body }) } }),
    durationMs: 0,
  };
}

/** The key the case registers: the candidate whose kid the JWT names, else the only usable one. */
function chooseKey(keys: readonly KeyCandidate[], kid: string | undefined): KeyCandidate | null {
  const usable = keys.filter((k) => k.key !== null);
  return (
    usable.find((k) => kid !== undefined && k.kid === kid) ?? (usable.length === 1 ? usable[0]! : (usable.find((k) => k.kid === null) ?? usable[0] ?? null))
  );
}

/** Builds the case file of one HAR exchange. */
export async function caseFromHarExchange(deps: HarCaseDeps, input: HarCaseInput): Promise<CaseExport> {
  const { exchange } = input;
  const params = paramsOf(exchange);
  // An authorization request by reference: the pushed request is what the client sent (its JWTs, its client).
  const pushed = exchange.kind === 'authorize' && params.has('request_uri') && input.pushed?.kind === 'par' ? input.pushed : undefined;
  const pushedParams = pushed ? paramsOf(pushed) : new URLSearchParams();
  const requestObject = signed(params.get('request') ?? pushedParams.get('request') ?? undefined);
  const assertion = signed(params.get('client_assertion') ?? pushedParams.get('client_assertion') ?? undefined);
  const claims = requestObject?.payload ?? {};
  const clientId =
    params.get('client_id') ||
    pushedParams.get('client_id') ||
    str(claims['client_id']) ||
    str(assertion?.payload['sub']) ||
    str(requestObject?.payload['iss']);
  if (!clientId)
    throw new ParleyError(
      'INVALID_INPUT',
      'The exchange names no client: it has no client_id parameter, and no request object or client assertion saying which client sent it.',
    );

  let endpointOrigin: string;
  try {
    endpointOrigin = new URL(exchange.url).origin;
  } catch {
    throw new ParleyError('INVALID_INPUT', `The exchange's URL cannot be read: ${JSON.stringify(exchange.url.slice(0, 120))}.`);
  }
  const issuer = input.issuer.trim() || `${endpointOrigin}/`;
  const redirectUri = params.get('redirect_uri') || pushedParams.get('redirect_uri') || str(claims['redirect_uri']) || '';
  const scope = params.get('scope') || pushedParams.get('scope') || str(claims['scope']) || '';
  const grantType = params.get('grant_type') ?? '';
  const authenticating = pushed ?? exchange;
  const authParams = pushed ? pushedParams : params;
  const authMethod: FlowAuthMethod =
    assertion !== null
      ? 'private_key_jwt'
      : authenticating.request.basicAuth
        ? 'client_secret_basic'
        : authParams.has('client_secret')
          ? 'client_secret_post'
          : 'none';

  // The client's public key, under the kid its JWT names (the one the server looks it up by).
  const credentials: CredentialSource[] = [];
  const keyText = input.key?.trim() ?? '';
  if (keyText !== '') {
    const keys = await deps.keysOf(keyText);
    if (!keys.ok) throw new ParleyError('INVALID_INPUT', `The public key cannot be used: ${keys.message}`);
    const signedBy = [
      ...(requestObject ? [{ jwt: requestObject, slot: 'signed_request_object' as const }] : []),
      ...(assertion ? [{ jwt: assertion, slot: 'private_key_jwt' as const }] : []),
    ];
    // Each JWT's key, by the kid it names (a JWKS may hold the request-object key and the assertion key);
    // a key given without a JWT to check is registered for both slots: which one it signs is the replay's question.
    const uses =
      signedBy.length > 0
        ? signedBy.map((s) => ({ kid: str(s.jwt.header['kid']), alg: str(s.jwt.header['alg']), slot: s.slot }))
        : [{ kid: undefined, alg: undefined, slot: 'both' as const }];
    const byKey = new Map<KeyCandidate, CredentialSource>();
    for (const use of uses) {
      const chosen = chooseKey(keys.keys, use.kid);
      if (chosen === null || chosen.key === null) {
        const why = keys.keys.map((k) => k.problem).find((p) => p !== null);
        throw new ParleyError('INVALID_INPUT', `The public key cannot be used: it holds no usable public key${why ? ` (${why})` : ''}.`);
      }
      const slots = use.slot === 'both' ? (['private_key_jwt', 'signed_request_object'] as const) : ([use.slot] as const);
      const known = byKey.get(chosen);
      if (known) {
        known.slots = [...new Set([...known.slots, ...slots])];
        continue;
      }
      byKey.set(chosen, {
        slots: [...slots],
        kid: [use.kid, chosen.kid ?? undefined].find((k): k is string => k !== undefined && KID_PATTERN.test(k)) ?? chosen.thumbprint,
        alg: use.alg ?? chosen.alg ?? (chosen.key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256'),
        name: `Key ${byKey.size + 1} from the HAR import`,
        expires_at: null,
        key: chosen.key,
      });
    }
    credentials.push(...byKey.values());
  }

  const startedMs = exchange.startedAt === null ? Number.NaN : Date.parse(exchange.startedAt);
  const startedAt = new Date(Number.isFinite(startedMs) ? startedMs : deps.now()).toISOString();
  const { failed, message } = refusal(exchange);
  const flowExchange = flowExchangeOf(exchange);
  const jwts: FlowJwt[] = [
    ...(requestObject ? [{ label: 'Request object', kind: 'requestObject' as const, token: requestObject.token }] : []),
    ...(assertion ? [{ label: 'Client assertion', kind: 'clientAssertion' as const, token: assertion.token }] : []),
  ];
  const stepName = exchange.kind === 'par' ? 'push' : exchange.kind === 'authorize' ? 'authorize' : 'exchange';
  const errorCode: FlowErrorCode = exchange.kind === 'par' ? 'par_rejected' : exchange.kind === 'authorize' ? 'authorization_error' : 'token_rejected';
  const step: FlowStep = {
    id: 'har-1',
    name: stepName,
    status: failed ? 'failed' : 'ok',
    startedAt,
    durationMs: 0,
    exchange: flowExchange,
    jwts,
    serverTraceIds: [],
    ...(failed ? { error: { code: errorCode, message: `The issuer answered ${message}` } } : {}),
    ...(exchange.kind === 'authorize' ? { detail: { url: exchange.url } } : {}),
  };
  // The push as recorded, before the authorization request (it succeeded: the request_uri came from it).
  const pushStep: FlowStep | null = pushed
    ? {
        id: 'har-0',
        name: 'push',
        status: refusal(pushed).failed ? 'failed' : 'ok',
        startedAt,
        durationMs: 0,
        exchange: flowExchangeOf(pushed),
        jwts,
        serverTraceIds: [],
      }
    : null;
  const kind: FlowKind =
    exchange.kind === 'token'
      ? grantType === 'client_credentials'
        ? 'client_credentials'
        : requestObject
          ? 'jar'
          : 'plain'
      : exchange.kind === 'par'
        ? requestObject
          ? 'par+jar'
          : 'par'
        : params.has('request_uri')
          ? requestObject
            ? 'par+jar'
            : 'par'
          : requestObject
            ? 'jar'
            : 'plain';
  const run: FlowRun = {
    id: `har-${startedAt.replace(/[^0-9]/g, '').slice(0, 14)}`,
    kind,
    targetId: 'har',
    options: { pkce: params.has('code_challenge') || str(claims['code_challenge']) !== undefined },
    status: failed ? 'failed' : 'succeeded',
    startedAt,
    ...(exchange.kind === 'authorize' ? { authorizeUrl: exchange.url } : {}),
    steps: pushStep ? [pushStep, { ...step, jwts: [] }] : [step],
  };
  const host = new URL(exchange.url).host;
  const target: FlowTarget = {
    id: 'har',
    name: `HAR: ${host}`.slice(0, 100),
    issuer,
    client_id: clientId.slice(0, 256),
    auth: { method: authMethod, hasSecret: false },
    redirect_uri: redirectUri,
    scope,
    embedded: false,
  };
  const client: Record<string, unknown> = {
    name: `${host} (from a HAR file)`.slice(0, 128),
    app_type: kind === 'client_credentials' ? 'non_interactive' : 'regular_web',
    callbacks: redirectUri === '' ? [] : [redirectUri],
    grant_types: [GRANT_TYPES.has(grantType) ? grantType : 'authorization_code'],
    ...(authMethod === 'private_key_jwt'
      ? { client_authentication_methods: { private_key_jwt: { credentials: [] } } }
      : { token_endpoint_auth_method: authMethod }),
  };
  const settings = deps.settings();
  const file = buildCaseFile({
    parleyVersion: deps.version,
    exportedAt: new Date(deps.now()).toISOString(),
    run,
    target,
    issuer,
    client,
    // The replay's rules: the running server's, under the profile the exchange was judged with (the server has auth0 and strict).
    serverSettings: { ...settings, profile: input.profile === 'auth0' ? 'auth0' : 'strict' },
    credentials,
  });
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '-');
  return { fileName: `har-${safeHost}-${exchange.kind}.parleycase`, json: JSON.stringify(file, null, 2) };
}
