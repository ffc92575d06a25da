/**
 * Reads a pasted JWK (RFC 7517) or a JWKS holding exactly one key into a Node KeyObject. Members are
 * checked by name first so the message says which one is missing; decoding is Node's (format 'jwk').
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';

/** A key read from JSON. */
export interface JwkMaterial {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  /** The JWK's `kid`, a reasonable default name. */
  kid: string | null;
}

const RSA_PUBLIC = ['n', 'e'] as const;
// Node needs the CRT members to build an RSA private key; RFC 7518 §6.3.2 lets them travel together.
const RSA_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
const EC_PUBLIC = ['crv', 'x', 'y'] as const;
const OKP_PUBLIC = ['crv', 'x'] as const;

/** Parses JSON text holding a JWK or a one-key JWKS. */
export function readJwkText(text: string): JwkMaterial {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ParleyError('MALFORMED_KEY', `The JSON could not be parsed (${cause instanceof Error ? cause.message : 'invalid JSON'}).`, { cause });
  }
  if (!isObject(value)) throw new ParleyError('MALFORMED_KEY', 'The JSON is not an object; paste a JWK or a JWKS ({"keys": [...]}).');
  return readJwk(unwrapJwks(value));
}

function unwrapJwks(value: Record<string, unknown>): Record<string, unknown> {
  if (!('keys' in value) || 'kty' in value) return value;
  const keys = value.keys;
  if (!Array.isArray(keys)) throw new ParleyError('MALFORMED_KEY', 'The JWKS "keys" member is not an array.');
  if (keys.length !== 1) {
    const held = keys.length === 0 ? 'no keys' : `${keys.length} keys`;
    throw new ParleyError('MALFORMED_KEY', `The JWKS holds ${held}; import exactly one key at a time.`, { details: { count: keys.length } });
  }
  const [only] = keys as unknown[];
  if (!isObject(only)) throw new ParleyError('MALFORMED_KEY', 'The JWKS entry is not a JWK object.');
  return only;
}

function readJwk(jwk: Record<string, unknown>): JwkMaterial {
  const kty = jwk.kty;
  if (kty === undefined) throw new ParleyError('MALFORMED_KEY', 'JWK is missing kty.');
  if (typeof kty !== 'string') throw new ParleyError('MALFORMED_KEY', 'JWK member kty is not a string.');
  if (kty === 'oct') throw new ParleyError('UNSUPPORTED_KEY', 'Symmetric (kty "oct") keys are not supported; Parley signs with RSA or EC key pairs.');
  // Ed25519 signs (RFC 8037); X25519 and X448 only agree keys, and Ed448 has no DPoP use Parley knows.
  if (kty === 'OKP' && jwk.crv !== 'Ed25519') {
    throw new ParleyError(
      'UNSUPPORTED_KEY',
      `OKP keys${typeof jwk.crv === 'string' ? ` on the curve ${jwk.crv}` : ' without crv'} are not supported; of the OKP curves Parley signs with Ed25519 only.`,
      { details: { crv: typeof jwk.crv === 'string' ? jwk.crv : null } },
    );
  }
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP')
    throw new ParleyError('UNSUPPORTED_KEY', `JWK key type "${kty}" is not supported; use RSA, EC or OKP (Ed25519).`);

  const isPrivate = 'd' in jwk;
  const publicMembers = kty === 'RSA' ? RSA_PUBLIC : kty === 'EC' ? EC_PUBLIC : OKP_PUBLIC;
  const members = [...publicMembers, ...(isPrivate ? (kty === 'RSA' ? RSA_PRIVATE : ['d']) : [])];
  const clean: Record<string, string> = { kty };
  for (const name of members) {
    const member = jwk[name];
    if (member === undefined) throw new ParleyError('MALFORMED_KEY', `JWK is missing ${name}.`, { details: { member: name } });
    if (typeof member !== 'string') throw new ParleyError('MALFORMED_KEY', `JWK member ${name} is not a string.`, { details: { member: name } });
    if (name !== 'crv' && !/^[A-Za-z0-9_-]+$/.test(member)) {
      throw new ParleyError('MALFORMED_KEY', `JWK member ${name} is not base64url.`, { details: { member: name } });
    }
    clean[name] = member;
  }
  if (kty === 'EC' && clean.crv !== 'P-256' && clean.crv !== 'P-384') {
    throw new ParleyError('UNSUPPORTED_KEY', `EC keys on the curve ${clean.crv ?? '?'} are not supported; use P-256 or P-384.`, {
      details: { crv: clean.crv },
    });
  }

  const key = clean as JsonWebKey;
  let privateKey: KeyObject | null;
  let publicKey: KeyObject;
  try {
    privateKey = isPrivate ? createPrivateKey({ key, format: 'jwk' }) : null;
    publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey({ key, format: 'jwk' });
  } catch (cause) {
    throw new ParleyError(
      'MALFORMED_KEY',
      `The JWK is not a valid ${kty} ${isPrivate ? 'private' : 'public'} key (${cause instanceof Error ? cause.message : 'rejected'}).`,
      {
        cause,
      },
    );
  }
  // Node derives an OKP public key from d alone and ignores x: a pasted x of another key would go unnoticed.
  if (privateKey && kty === 'OKP' && publicKey.export({ format: 'jwk' }).x !== clean.x) {
    throw new ParleyError('MALFORMED_KEY', 'The JWK is not a valid OKP private key: its x is not the public key of its d.');
  }
  return { privateKey, publicKey, kid: typeof jwk.kid === 'string' && jwk.kid.trim() !== '' ? jwk.kid.trim() : null };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
