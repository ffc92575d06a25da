/**
 * The DPoP proof template (dpop-rules.md §11 "Building a proof"): header `typ` dpop+jwt, the chosen key's
 * alg and its public jwk (never a private member, DPP-5; no kid, which verifiers ignore), and the claims
 * htm, htu (query and fragment dropped), iat, a fresh jti, plus ath when an access token is given and
 * nonce when the server sent one. Pure; the proof is signed by the core with the vault key and linted by
 * shared/jwt/lint.ts lintDpopProof, the server's rules.
 */
import type { JsonObject } from '../../../../shared/jwt';
import { accessTokenHash } from '../../../../shared/jwt/dpop-keys';
import type { KeyDetail, SigningAlg } from '../../../../shared/schemas/keys';
import { randomToken } from './compose-model';

/** The algs a DPoP proof may use, most preferred first (every Auth0 SDK signs ES256; DPP-4). */
// EdDSA for an Ed25519 key (RFC 8037): the name the FAPI allow-list (DPP-4) and oidc-provider use.
const PROOF_ALGS: readonly SigningAlg[] = ['ES256', 'PS256', 'RS256', 'ES384', 'EdDSA'];

/** The alg a proof from this key is signed with: ES256 for P-256, else the first proof alg the key has. */
export function proofAlgFor(key: Pick<KeyDetail, 'algs'>): SigningAlg | undefined {
  return PROOF_ALGS.find((alg) => key.algs.includes(alg));
}

/** The `htu` of a request URL: scheme, host, port and path as sent, no query or fragment (RFC 9449 §4.2). */
export function htuOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** What the template is filled with. */
export interface DpopTemplateInput {
  key: Pick<KeyDetail, 'algs' | 'publicJwk'>;
  method: string;
  url: string;
  /** Seconds. */
  now: number;
  accessToken?: string;
  nonce?: string;
}

/** The header and payload of a proof for the request; throws nothing. */
export async function buildDpopTemplate(input: DpopTemplateInput): Promise<{ header: JsonObject & { alg: SigningAlg }; payload: JsonObject }> {
  const alg = proofAlgFor(input.key) ?? 'ES256';
  // Only the public members travel (the vault's public JWK has no private part; kid/alg/use are dropped).
  const { kty, n, e, crv, x, y } = input.key.publicJwk;
  const jwk: JsonObject = kty === 'RSA' ? { kty, n: n ?? '', e: e ?? '' } : { kty, crv: crv ?? '', x: x ?? '', y: y ?? '' };
  const payload: JsonObject = { jti: randomToken(), htm: input.method, htu: htuOf(input.url), iat: Math.floor(input.now) };
  const token = input.accessToken?.trim();
  if (token) payload.ath = await accessTokenHash(token);
  const nonce = input.nonce?.trim();
  if (nonce) payload.nonce = nonce;
  return { header: { typ: 'dpop+jwt', alg, jwk }, payload };
}
