/**
 * What Parley accepts as a key and what it records about it: RSA of at least 2048 bits, EC on
 * P-256 / P-384, or Ed25519 (OKP, RFC 8037). Everything else is refused here, once, whatever format it
 * arrived in.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import type { KeyShape } from './algorithms';
import { joseCurveName } from './algorithms';
import { jwkThumbprint } from './thumbprint';
import type { StoredPublicJwk } from './vault-document';

/** The smallest RSA modulus accepted (RFC 7518 §3.3 requires 2048 bits). */
export const MIN_RSA_BITS = 2048;
// Larger moduli are legal but make every signature slow enough to matter; nobody issues them for OAuth.
const MAX_RSA_BITS = 8192;

/** The shape of a key, or UNSUPPORTED_KEY / KEY_TOO_SMALL naming why it cannot be used. */
export function shapeOf(key: KeyObject): KeyShape {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const size = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (size < MIN_RSA_BITS)
      throw new ParleyError('KEY_TOO_SMALL', `This RSA key has ${size} bits; at least ${MIN_RSA_BITS} are required.`, { details: { size } });
    if (size > MAX_RSA_BITS)
      throw new ParleyError('UNSUPPORTED_KEY', `This RSA key has ${size} bits; at most ${MAX_RSA_BITS} are supported.`, { details: { size } });
    return { kty: 'RSA', size };
  }
  if (type === 'ec') {
    const crv = joseCurveName(key.asymmetricKeyDetails?.namedCurve ?? 'unknown');
    if (crv === 'P-256' || crv === 'P-384') return { kty: 'EC', crv };
    throw new ParleyError('UNSUPPORTED_KEY', `EC keys on the curve ${crv} are not supported; use P-256 or P-384.`, { details: { crv } });
  }
  if (type === 'ed25519') return { kty: 'OKP', crv: 'Ed25519' };
  if (type === 'rsa-pss') {
    throw new ParleyError('UNSUPPORTED_KEY', 'RSA-PSS-restricted keys (id-RSASSA-PSS) are not supported; use a plain RSA key, which signs PS256 too.');
  }
  throw new ParleyError(
    'UNSUPPORTED_KEY',
    `${(type ?? 'unknown').toUpperCase()} keys are not supported; use RSA (2048 bits or more), EC P-256 / P-384 or Ed25519.`,
    {
      details: { type: type ?? 'unknown' },
    },
  );
}

/** The public JWK of a public (or private) key, reduced to the members the thumbprint covers. */
export function publicJwkOf(key: KeyObject): StoredPublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty === 'RSA' && jwk.n !== undefined && jwk.e !== undefined) return { kty: 'RSA', n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384') && jwk.x !== undefined && jwk.y !== undefined) {
    return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x !== undefined) return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  throw new ParleyError('UNSUPPORTED_KEY', `A ${String(jwk.kty)} key cannot be stored; use RSA, EC P-256 / P-384 or Ed25519.`);
}

/** Everything recorded about a key's public half. */
export interface KeyFacts {
  shape: KeyShape;
  publicJwk: StoredPublicJwk;
  thumbprint: string;
}

/** Checks a key is supported and computes its public JWK and RFC 7638 thumbprint. */
export async function factsOf(key: KeyObject): Promise<KeyFacts> {
  const shape = shapeOf(key);
  const publicJwk = publicJwkOf(key);
  return { shape, publicJwk, thumbprint: await jwkThumbprint(publicJwk) };
}
