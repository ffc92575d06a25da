/**
 * RFC 7638 JWK thumbprints: the stable identity of a key, used as `kid` (as Auth0 does) and to
 * recognize the same key arriving again in another format.
 */
import { calculateJwkThumbprint } from 'jose';
import type { StoredPublicJwk } from './vault-document';

/** The RFC 7638 SHA-256 thumbprint of a public JWK, base64url. */
export function jwkThumbprint(jwk: StoredPublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
