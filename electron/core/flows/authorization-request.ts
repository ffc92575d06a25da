/**
 * Step `build`: the authorization request's parameters (state, nonce, PKCE S256), and, for JAR kinds,
 * the request object signed in the vault (RFC 9101: typ oauth-authz-req+jwt, iss = client_id, aud =
 * issuer, exp at most 5 minutes ahead, a fresh jti).
 */
import { createHash } from 'node:crypto';
import type { FlowTarget } from '../../../shared/schemas/flows';
import { nowSeconds } from '../clock';
import { randomToken } from '../random';
import type { Vault } from '../vault';
import type { SigningServer } from './discovery';
import { FlowStepError } from './flow-error';
import { algTheServerLists } from './server-algs';

/** What the later steps need to check the response. */
export interface AuthorizationRequest {
  params: Record<string, string>;
  state: string;
  nonce: string;
  codeVerifier?: string;
  /** The signed request object (JAR kinds). */
  requestObject?: string;
}

/** A PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(32);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Request objects live at most this long (Auth0 and FAPI accept up to 60 minutes; short is safer). */
export const REQUEST_OBJECT_LIFETIME_S = 300;

/**
 * Signs `payload` with a vault key and its thumbprint as kid. The alg is the key's first that the server lists
 * for this kind of JWT (`typ` JWT: client assertions, `token_endpoint_auth_signing_alg_values_supported`; else
 * request objects, `request_object_signing_alg_values_supported`), as DPoP proofs follow their own list: a
 * FAPI 2 server lists PS256 only, and an RSA key's first alg is RS256. A server that lists none of the key's
 * algs is refused here, naming both lists, rather than by the server as a bad signature; one that lists none
 * at all gets the key's first alg.
 */
export async function signWithVaultKey(vault: Vault, keyId: string, typ: string, payload: Record<string, unknown>, server: SigningServer): Promise<string> {
  const key = vault.get(keyId);
  const what = typ === 'JWT' ? 'client assertions' : 'request objects';
  // Ed25519 keys are for DPoP proofs: Auth0 registers RSA credentials only (CRD-2), so a request object or
  // client assertion signed with one is refused here, naming why, rather than by the server as a bad signature.
  if (key.kty === 'OKP') {
    throw new FlowStepError(
      'configuration',
      `The key "${key.name}" is an Ed25519 key, which signs DPoP proofs only: Auth0 accepts only RSA keys as client credentials (CRD-2), so ${what} need an RSA key. Choose one in the target.`,
    );
  }
  const list = typ === 'JWT' ? 'token_endpoint_auth_signing_alg_values_supported' : 'request_object_signing_alg_values_supported';
  const alg = algTheServerLists(key, key.algs, what, list, server[list]);
  return (await vault.sign(keyId, { alg, typ, kid: key.thumbprint }, payload)).jws;
}

/** Builds the parameters and, when `jar`, the request object. */
export async function buildAuthorizationRequest(
  vault: Vault,
  target: FlowTarget,
  server: SigningServer,
  options: { jar: boolean; pkce: boolean; jarClaims?: Record<string, unknown>; dpopJkt?: string },
): Promise<AuthorizationRequest> {
  const state = randomToken(16);
  const nonce = randomToken(16);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: target.client_id,
    redirect_uri: target.redirect_uri,
    scope: target.scope,
    state,
    nonce,
  };
  if (target.audience) params['audience'] = target.audience;
  // DPoP code binding (RFC 9449 §10): a parameter, so it also goes in the PAR body and the request object.
  if (options.dpopJkt) params['dpop_jkt'] = options.dpopJkt;
  const built: AuthorizationRequest = { params, state, nonce };
  if (options.pkce) {
    const pair = pkcePair();
    params['code_challenge'] = pair.challenge;
    params['code_challenge_method'] = 'S256';
    built.codeVerifier = pair.verifier;
  }
  if (options.jar) {
    if (!target.jarKeyId) throw new FlowStepError('configuration', 'This target has no request-object key: choose a vault key to sign JARs with.');
    const iat = nowSeconds();
    const payload = {
      ...params,
      iss: target.client_id,
      aud: server.issuer,
      iat,
      nbf: iat,
      exp: iat + REQUEST_OBJECT_LIFETIME_S,
      jti: randomToken(16),
      ...(options.jarClaims ?? {}),
    };
    built.requestObject = await signWithVaultKey(vault, target.jarKeyId, 'oauth-authz-req+jwt', payload, server);
  }
  return built;
}

/** The URL the browser opens: JAR by value, PAR's request_uri, or plain query parameters. */
export function authorizeUrl(
  endpoint: string,
  clientId: string,
  request: { requestObject?: string; requestUri?: string; params: Record<string, string> },
): string {
  const url = new URL(endpoint);
  if (request.requestUri !== undefined) {
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('request_uri', request.requestUri);
  } else if (request.requestObject !== undefined) {
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('request', request.requestObject);
  } else {
    for (const [k, v] of Object.entries(request.params)) url.searchParams.set(k, v);
  }
  return url.href;
}
