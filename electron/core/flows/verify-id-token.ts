/**
 * Step `verify`: the ID token's signature against the issuer's JWKS (fetched and recorded like every other
 * request of the flow), then iss, aud, exp and the nonce this flow sent.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { now } from '../clock';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowResponse } from './http-exchange';
import { jsonObject, sendRecorded } from './http-exchange';

/** GET jwks_uri: the issuer's public keys, checked to be a JWK Set (RFC 7517 §5). */
export async function fetchJwks(
  fetchFn: FlowFetch,
  jwksUri: string | undefined,
  signal: AbortSignal,
): Promise<{ jwks: JSONWebKeySet; response: FlowResponse }> {
  if (!jwksUri) throw new FlowStepError('id_token_invalid', 'The discovery document has no jwks_uri, so the ID token signature cannot be checked.');
  const response = await sendRecorded(fetchFn, { method: 'GET', url: jwksUri, followRedirects: true }, signal);
  if (response.status !== 200)
    throw new FlowStepError('http_error', `The issuer's JWKS (${jwksUri}) answered HTTP ${response.status} instead of 200.`, { exchange: response.exchange });
  const body = jsonObject(response, `The issuer's JWKS (${jwksUri})`);
  if (!Array.isArray(body['keys']))
    throw new FlowStepError('discovery_invalid', `The document at jwks_uri (${jwksUri}) is not a JWK Set: it has no "keys" array (RFC 7517 §5).`, {
      exchange: response.exchange,
    });
  return { jwks: body as unknown as JSONWebKeySet, response };
}

/** Verifies an ID token against a JWK Set and returns its claims. */
export async function verifyIdToken(
  idToken: string,
  jwks: JSONWebKeySet,
  expected: { issuer: string; clientId: string; nonce: string },
): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: expected.issuer,
      audience: expected.clientId,
      currentDate: now(),
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (payload['nonce'] !== expected.nonce) {
      throw new FlowStepError(
        'id_token_invalid',
        `The ID token's nonce ${payload['nonce'] === undefined ? 'is missing' : 'is not the one this flow sent'} (OIDC Core §3.1.3.7).`,
      );
    }
    return payload as Record<string, unknown>;
  } catch (e) {
    if (e instanceof FlowStepError) throw e;
    throw new FlowStepError('id_token_invalid', `The ID token does not verify: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
  }
}
