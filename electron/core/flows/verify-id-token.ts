/** Step `verify`: the ID token's signature (the issuer's JWKS), iss, aud, exp, and the nonce this flow sent. */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { now } from '../clock';
import { FlowStepError } from './flow-error';

/** Verifies an ID token and returns its claims. */
export async function verifyIdToken(idToken: string, expected: { jwksUri: string | undefined; issuer: string; clientId: string; nonce: string }): Promise<Record<string, unknown>> {
  if (!expected.jwksUri) throw new FlowStepError('id_token_invalid', 'The discovery document has no jwks_uri, so the ID token signature cannot be checked.');
  try {
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(expected.jwksUri)), {
      issuer: expected.issuer,
      audience: expected.clientId,
      currentDate: now(),
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (payload['nonce'] !== expected.nonce) {
      throw new FlowStepError('id_token_invalid', `The ID token's nonce ${payload['nonce'] === undefined ? 'is missing' : 'is not the one this flow sent'} (OIDC Core §3.1.3.7).`);
    }
    return payload as Record<string, unknown>;
  } catch (e) {
    if (e instanceof FlowStepError) throw e;
    throw new FlowStepError('id_token_invalid', `The ID token does not verify: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
  }
}
