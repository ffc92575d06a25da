/**
 * Client authentication at /oauth/token, /oauth/par and /oauth/revoke: client_secret_basic,
 * client_secret_post, private_key_jwt (delegated to the client-assertion checks) and none (public clients).
 *
 * Exactly one mechanism per request (PKJ-2), the method actually used must be the one registered (PKJ-4:
 * a private_key_jwt client can never fall back to a secret), and secret failures answer the way Auth0 does
 * (E-3: 401 access_denied "Unauthorized"; strict profile: invalid_client) with WWW-Authenticate when the
 * client used the Authorization header (E-4). Secrets are compared in constant time.
 */
import type { ServerContext } from '../context';
import type { OAuthError } from '../errors';
import type { ClientView, CredentialView } from '../state/types';
import type { TraceRecorder } from '../trace';
import { verifyClientAssertion } from './client-assertion';
import { enforce, fail, isStrict } from './outcome';
import { pass } from '../recording';
import type { Params } from './params';
import { safeEqual } from '../safe-equal';
import { RULES } from '../rules';

/** How a client authenticated. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** An authenticated (or identified public) client. */
export interface ClientAuthResult {
  client: ClientView;
  method: ClientAuthMethod;
  /** The credential that verified the assertion (private_key_jwt only). */
  credential?: CredentialView;
}

/** What client authentication needs from the request. */
export interface ClientAuthInput {
  /** The raw Authorization header, if any. */
  authorization: string | undefined;
  params: Params;
  endpoint: 'token' | 'par' | 'revoke';
  /** The URL of the endpoint receiving the request (an accepted assertion audience: PKJ-8). */
  endpointUrl: string;
  ctx: ServerContext;
  trace: TraceRecorder;
}

interface BasicCredentials {
  user: string;
  password: string;
}

/** RFC 6749 §2.3.1: Basic credentials are application/x-www-form-urlencoded before base64. */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Parses `Authorization: Basic …`; undefined when absent or another scheme, null when malformed. */
function parseBasic(header: string | undefined): BasicCredentials | null | undefined {
  if (header === undefined) return undefined;
  const m = /^basic +(.*)$/i.exec(header.trim());
  if (!m) return undefined;
  const b64 = m[1] ?? '';
  if (b64.length > 4096 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = formDecode(decoded.slice(0, colon));
  const password = formDecode(decoded.slice(colon + 1));
  if (user === undefined || password === undefined || user === '') return null;
  return { user, password };
}

function secretFailure(ctx: ServerContext, basic: boolean) {
  const scheme = basic ? ({ authScheme: 'Basic' } as const) : {};
  // FAP-8: the strict profile uses only standard error codes; Auth0 says access_denied here (E-3).
  return isStrict(ctx)
    ? { status: 401, error: 'invalid_client', description: 'Client authentication failed', ...scheme }
    : { status: 401, error: 'access_denied', description: 'Unauthorized', ...scheme };
}

function mismatch(basic: boolean) {
  return {
    status: 401,
    error: 'invalid_client',
    description: 'the provided authentication mechanism does not match the registered one',
    ...(basic ? ({ authScheme: 'Basic' } as const) : {}),
  };
}

function registeredMethod(client: ClientView): string {
  return client.private_key_jwt ? 'private_key_jwt' : (client.token_endpoint_auth_method ?? '(none configured)');
}

/** Authenticates the client of a back-channel request; throws OAuthError (400/401) on failure. */
export async function authenticateClient(input: ClientAuthInput): Promise<ClientAuthResult> {
  const { params, trace } = input;
  const basic = parseBasic(input.authorization);
  const hasAssertion = params.client_assertion !== undefined || params.client_assertion_type !== undefined;
  const used = [
    basic !== undefined ? 'Authorization: Basic' : '',
    params.client_secret !== undefined ? 'client_secret' : '',
    hasAssertion ? 'client_assertion' : '',
  ].filter((m) => m !== '');
  enforce(trace, used.length <= 1, {
    rule: 'PKJ-2',
    expected: 'at most one mechanism',
    actual: used.join(' + ') || 'none',
    wire: { status: 400, error: 'invalid_request', description: 'only one client authentication mechanism may be used' },
  });

  let result: ClientAuthResult;
  if (hasAssertion) result = await assertionAuth(input);
  else if (basic !== undefined || params.client_secret !== undefined) result = secretAuth(input, basic);
  else result = publicAuth(input);

  if (input.endpoint === 'par') {
    enforce(trace, result.method !== 'none', {
      rule: 'PAR-4',
      expected: 'client authentication',
      actual: result.method === 'none' ? 'none (public client)' : result.method,
      wire: { status: 401, error: 'invalid_client', description: 'client authentication is required' },
    });
  }
  return result;
}

async function assertionAuth(input: ClientAuthInput): Promise<ClientAuthResult> {
  const { params, trace } = input;
  if (params.client_assertion === undefined) {
    throw fail(trace, {
      rule: 'PKJ-1',
      expected: 'client_assertion',
      actual: '(absent)',
      wire: { status: 400, error: 'invalid_request', description: 'client_assertion is required with client_assertion_type' },
    });
  }
  const { client, credential } = await verifyClientAssertion({
    assertion: params.client_assertion,
    assertionType: params.client_assertion_type,
    clientIdParam: params.client_id,
    endpointUrl: input.endpointUrl,
    ctx: input.ctx,
    trace,
  });
  trace.clientId = client.client_id;
  return { client, method: 'private_key_jwt', credential };
}

function secretAuth(input: ClientAuthInput, basic: BasicCredentials | null | undefined): ClientAuthResult {
  const { params, ctx, trace } = input;
  const viaBasic = basic !== undefined;
  const failure = secretFailure(ctx, viaBasic);
  const deny = (expected: string, actual: string): OAuthError => {
    const e = fail(trace, { rule: 'E-3', expected, actual, wire: failure });
    if (viaBasic) pass(trace, RULES['E-4'], 'WWW-Authenticate: Basic', 'sent with the 401');
    return e;
  };
  if (basic === null) throw deny('Basic base64(urlencode(client_id):urlencode(secret))', 'a malformed Basic header');
  const clientId = basic ? basic.user : params.client_id;
  const secret = basic ? basic.password : params.client_secret;
  if (basic && params.client_id !== undefined && params.client_id !== basic.user)
    throw deny(`client_id ${basic.user} (from the Basic header)`, `client_id parameter ${params.client_id}`);
  if (clientId === undefined) throw deny('a client_id', '(absent)');
  trace.clientId = clientId;
  const client = ctx.directory.getClient(clientId);
  if (!client) throw deny('a registered client_id', `${clientId} (unknown)`);
  const usedMethod: ClientAuthMethod = viaBasic ? 'client_secret_basic' : 'client_secret_post';
  const registered = registeredMethod(client);
  if (registered !== usedMethod) {
    const e = fail(trace, { rule: 'PKJ-4', expected: registered, actual: usedMethod, wire: mismatch(viaBasic) });
    if (viaBasic) pass(trace, RULES['E-4'], 'WWW-Authenticate: Basic', 'sent with the 401');
    throw e;
  }
  pass(trace, RULES['PKJ-4'], registered, usedMethod);
  if (client.client_secret === undefined || secret === undefined || !safeEqual(secret, client.client_secret))
    throw deny('the client secret', 'a different secret');
  pass(trace, RULES['E-3'], 'the client secret', `matches (${usedMethod})`);
  return { client, method: usedMethod };
}

function publicAuth(input: ClientAuthInput): ClientAuthResult {
  const { params, ctx, trace } = input;
  if (input.endpoint === 'par') {
    // Refuse before looking the client up: an unauthenticated caller learns nothing about client ids.
    if (params.client_id !== undefined) trace.clientId = params.client_id;
    throw fail(trace, {
      rule: 'PAR-4',
      expected: 'client authentication',
      actual: 'none',
      wire: { status: 401, error: 'invalid_client', description: 'client authentication is required' },
    });
  }
  const failure = secretFailure(ctx, false);
  const clientId = params.client_id;
  if (clientId === undefined)
    throw fail(trace, { rule: 'E-3', expected: 'client_id (and credentials, unless the client is public)', actual: '(absent)', wire: failure });
  trace.clientId = clientId;
  const client = ctx.directory.getClient(clientId);
  if (!client) throw fail(trace, { rule: 'E-3', expected: 'a registered client_id', actual: `${clientId} (unknown)`, wire: failure });
  if (client.private_key_jwt) throw fail(trace, { rule: 'PKJ-4', expected: 'private_key_jwt', actual: 'none', wire: mismatch(false) });
  if (client.token_endpoint_auth_method !== 'none')
    throw fail(trace, { rule: 'E-3', expected: `a client secret (${registeredMethod(client)})`, actual: '(absent)', wire: failure });
  pass(trace, RULES['PKJ-4'], 'none', 'none (public client)');
  return { client, method: 'none' };
}
