/**
 * What the request-object and client-assertion checks share: the slice of the server context they read,
 * the server's notion of now, key selection inside one client's one slot (JWT-10), signature
 * verification with the cached KeyObjects, and replay-cache keys. Nothing here ever looks at key
 * material carried by a token (JWT-4): keys come only from `directory.slotCredentials`.
 */
import { constants, hash, verify as verifySignature } from 'node:crypto';
import { nowSeconds } from '../../clock';
import type { ServerSettings } from '../../../../shared/schemas/server';
import type { MemoryStores } from '../state/memory';
import { isExpired } from '../../../../shared/jwt/credential-selection';
import type { ClientDirectory, CredentialAlg, CredentialView } from '../state/types';

/** The part of `ServerContext` the JWT checks read (any `ServerContext` is one). */
export interface JwtCheckContext {
  readonly urls: { readonly issuer: string; readonly token: string; readonly par: string };
  settings(): Pick<ServerSettings, 'profile' | 'jarReplayCheck' | 'clockOffsetSeconds'>;
  readonly directory: Pick<ClientDirectory, 'getClient' | 'slotCredentials'>;
  readonly memory: Pick<MemoryStores, 'assertionJtis' | 'requestObjectJtis'>;
}

/** The server's now in seconds: the clock plus the simulated offset from Settings. */
export function serverNow(ctx: JwtCheckContext): number {
  return nowSeconds() + ctx.settings().clockOffsetSeconds;
}

// Key selection is pure and shared with Compose's lint (one implementation, the same verdicts).
export type { Selection } from '../../../../shared/jwt/credential-selection';
export { credentialAlgsFor, isExpired, selectCredentials } from '../../../../shared/jwt/credential-selection';

/** The parts of a decoded compact JWS (shared/jwt/decode.ts) that a signature check reads. */
export interface SignedToken {
  header: Record<string, unknown>;
  /** `base64url(header) + '.' + base64url(payload)`, exactly as received. */
  signingInput: string;
  signatureB64: string;
}

/** How each credential alg (CRD-4) verifies: RSASSA-PKCS1-v1_5, or RSASSA-PSS with MGF1 and a salt as long as the hash (RFC 7518 §3.5). */
const SIGNATURE_SCHEMES: Readonly<Record<CredentialAlg, { hash: string; pss: boolean }>> = {
  RS256: { hash: 'sha256', pss: false },
  RS384: { hash: 'sha384', pss: false },
  PS256: { hash: 'sha256', pss: true },
};

/**
 * The first candidate whose key verifies the token's signature, or undefined. Verification is Node's
 * synchronous RSA verify with the credential's cached KeyObject (parsed once per credential, never per
 * request), and only under the credential's registered alg, which must equal the header's: the header can
 * neither supply the key nor change the algorithm. A `crit` header never verifies (JWT-3 refuses it before;
 * nothing here understands an extension). The input is what decodeCompactJwt split, so the bytes verified
 * are the bytes received. This replaced jose's compactVerify, whose WebCrypto path cost more than the RSA
 * operation itself (docs/performance.md).
 */
export function verifyWithAny(token: SignedToken, candidates: readonly CredentialView[]): CredentialView | undefined {
  const alg = token.header.alg;
  if (typeof alg !== 'string' || Object.hasOwn(token.header, 'crit') || candidates.length === 0) return undefined;
  const data = Buffer.from(token.signingInput, 'latin1');
  const signature = Buffer.from(token.signatureB64, 'base64url');
  for (const credential of candidates) {
    if (credential.alg !== alg) continue;
    const scheme = SIGNATURE_SCHEMES[credential.alg];
    if (scheme === undefined) continue;
    try {
      const key = scheme.pss
        ? { key: credential.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : credential.publicKey;
      if (verifySignature(scheme.hash, data, key, signature)) return credential;
    } catch {
      // A key of another type (or a malformed signature) is just not this candidate.
    }
  }
  return undefined;
}

/** The other slot's usable credentials with the header's alg: used only to explain a failed signature. */
export function otherSlotCandidates(credentials: readonly CredentialView[], header: Record<string, unknown>, now: number): CredentialView[] {
  const kid = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  return credentials.filter((c) => c.alg === header.alg && (kid === undefined || c.kid === kid) && !isExpired(c, now));
}

/** A replay-cache key: a hash, so a hostile jti of any length costs the same bounded memory. */
export function replayKey(clientId: string, jti: string): string {
  return hash('sha256', `${clientId}\0${jti}`, 'base64url');
}

/** When a remembered jti may be forgotten, in the store's clock (ms): `exp + skew`, shifted back by the simulated offset. */
export function rememberUntilMs(expSeconds: number, skewSeconds: number, offsetSeconds: number): number {
  return (expSeconds + skewSeconds - offsetSeconds) * 1000;
}
