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
import type { ClientDirectory, CredentialAlg, CredentialSlot, CredentialView } from '../state/types';

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

/** Whether a credential is past its `expires_at` (PKJ-14, CRD-15); an unparsable date fails closed. */
export function isExpired(credential: CredentialView, now: number): boolean {
  if (credential.expires_at === null) return false;
  const at = Date.parse(credential.expires_at);
  return Number.isNaN(at) || at <= now * 1000;
}

/** The result of looking for verification keys in one slot. */
export type Selection =
  | { ok: true; kid: string | undefined; candidates: CredentialView[] }
  | { ok: false; kid: string | undefined; reason: 'kid-not-in-slot' | 'kid-in-other-slot' | 'expired' | 'no-alg-match'; expected: string; actual: string; message: string };

const OTHER_SLOT: Record<CredentialSlot, CredentialSlot> = { private_key_jwt: 'signed_request_object', signed_request_object: 'private_key_jwt' };

/**
 * JWT-10: the credentials of `slot` that may verify a token with this header. With a `kid`, only the
 * credentials with that kid; without one, those whose alg equals the header's. Expired ones are skipped.
 * `otherSlot` is read only when the kid is unknown, to say whether it names the client's other slot (PKJ-15).
 */
export function selectCredentials(
  slotCredentials: readonly CredentialView[],
  header: Record<string, unknown>,
  now: number,
  slot: CredentialSlot,
  otherSlot: () => readonly CredentialView[],
): Selection {
  const kidValue = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  const kid = typeof kidValue === 'string' ? kidValue : undefined;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const pool = kidValue === undefined ? slotCredentials : slotCredentials.filter((c) => c.kid === kid);
  const known = slotCredentials.map((c) => c.kid).join(', ') || '(none)';
  if (kidValue !== undefined && pool.length === 0) {
    const other = kid === undefined ? undefined : otherSlot().find((c) => c.kid === kid);
    if (other !== undefined) {
      const otherName = OTHER_SLOT[slot];
      return { ok: false, kid, reason: 'kid-in-other-slot', expected: `a kid of this client's ${slot} credentials: ${known}`, actual: `kid ${kid} (the ${otherName} credential ${other.id})`, message: `The kid "${kid}" names this client's ${otherName} credential; ${slot} needs its own key (the slots are separate).` };
    }
    return { ok: false, kid, reason: 'kid-not-in-slot', expected: `a kid of this client's ${slot} credentials: ${known}`, actual: `kid ${typeof kidValue === 'string' ? kidValue : JSON.stringify(kidValue)}`, message: `No ${slot} credential of this client has the kid "${String(kidValue)}".` };
  }
  const usable = pool.filter((c) => !isExpired(c, now));
  if (usable.length === 0) {
    const expired = pool.map((c) => `${c.id} (expired ${c.expires_at ?? ''})`).join(', ');
    return { ok: false, kid, reason: 'expired', expected: 'a credential that has not expired', actual: expired || '(no credentials)', message: `The ${slot} credential${pool.length === 1 ? ' is' : 's are'} past expires_at and can no longer be used.` };
  }
  const candidates = usable.filter((c) => c.alg === alg);
  if (candidates.length === 0) {
    return { ok: false, kid, reason: 'no-alg-match', expected: `alg ${[...new Set(usable.map((c) => c.alg))].join(' or ')}`, actual: `alg ${alg}`, message: `No usable ${slot} credential${kid === undefined ? '' : ` with kid "${kid}"`} is registered for alg ${alg}.` };
  }
  return { ok: true, kid, candidates };
}

/** The algs registered with the credentials a token could use (for JWT-2 / JAR-5 / PKJ-6), or undefined when none is usable. */
export function credentialAlgsFor(slotCredentials: readonly CredentialView[], header: Record<string, unknown>, now: number): string[] | undefined {
  const kid = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  const usable = slotCredentials.filter((c) => (kid === undefined || c.kid === kid) && !isExpired(c, now));
  return usable.length === 0 ? undefined : [...new Set(usable.map((c) => c.alg))];
}

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
      const key = scheme.pss ? { key: credential.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : credential.publicKey;
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
