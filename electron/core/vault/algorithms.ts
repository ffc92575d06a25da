/**
 * Which JWS algorithms (RFC 7518) each supported key can sign with, and the names of curves as Node
 * and JOSE spell them.
 */
import type { KeySpec, SigningAlg } from '../../../shared/schemas/keys';

/** A curve Parley generates, imports and signs with. */
export type SupportedCurve = 'P-256' | 'P-384';

/** The shape of a supported key: enough to pick algorithms and describe it. */
export type KeyShape = { kty: 'RSA'; size: number } | { kty: 'EC'; crv: SupportedCurve };

const RSA_ALGS: readonly SigningAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** The algorithms a key can sign with; the first is the one exports advertise as `alg`. */
export function algsFor(shape: KeyShape): SigningAlg[] {
  if (shape.kty === 'RSA') return [...RSA_ALGS];
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

/** A short label for a key spec, as shown in job progress ("RSA 4096", "EC P-256"). */
export function specLabel(spec: KeySpec): string {
  return spec.kty === 'RSA' ? `RSA ${spec.modulusLength}` : `EC ${spec.crv}`;
}

/** A short label for a key shape ("RSA 2048", "EC P-384"). */
export function shapeLabel(shape: KeyShape): string {
  return shape.kty === 'RSA' ? `RSA ${shape.size}` : `EC ${shape.crv}`;
}
