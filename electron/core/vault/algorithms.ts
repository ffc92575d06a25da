/**
 * Which JWS algorithms (RFC 7518) each supported key can sign with, and the names of curves as Node
 * and JOSE spell them.
 */
import type { KeySpec, SigningAlg } from '../../../shared/schemas/keys';

/** A curve Parley generates, imports and signs with. */
export type SupportedCurve = 'P-256' | 'P-384';

/** The shape of a supported key: enough to pick algorithms and describe it. */
export type KeyShape = { kty: 'RSA'; size: number } | { kty: 'EC'; crv: SupportedCurve } | { kty: 'OKP'; crv: 'Ed25519' };

const RSA_ALGS: readonly SigningAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** The algorithms a key can sign with; the first is the one exports advertise as `alg`. */
export function algsFor(shape: KeyShape): SigningAlg[] {
  if (shape.kty === 'RSA') return [...RSA_ALGS];
  // RFC 8037's EdDSA first: the name jose, oidc-provider, FAPI 2 and DPP-4's lists all know; RFC 9864's
  // fully specified Ed25519 is the same signature, offered for servers that list only the new name.
  if (shape.kty === 'OKP') return ['EdDSA', 'Ed25519'];
  // RFC 7518 §3.4 ties each ECDSA algorithm to one curve.
  return shape.crv === 'P-256' ? ['ES256'] : ['ES384'];
}

// OpenSSL names → JOSE names, so error messages use the names users see in JWKs.
const NODE_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

/** The JOSE name of a curve Node reports (`prime256v1` → `P-256`); unknown names pass through. */
export function joseCurveName(nodeName: string): string {
  return NODE_CURVES[nodeName] ?? nodeName;
}

/** A short label for a key spec, as shown in job progress ("RSA 4096", "EC P-256", "Ed25519"). */
export function specLabel(spec: KeySpec): string {
  return spec.kty === 'RSA' ? `RSA ${spec.modulusLength}` : spec.kty === 'OKP' ? spec.crv : `EC ${spec.crv}`;
}

/** A short label for a key shape ("RSA 2048", "EC P-384", "Ed25519"). */
export function shapeLabel(shape: KeyShape): string {
  return shape.kty === 'RSA' ? `RSA ${shape.size}` : shape.kty === 'OKP' ? shape.crv : `EC ${shape.crv}`;
}
