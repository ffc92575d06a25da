/**
 * Key pair generation on libuv's thread pool (crypto.generateKeyPair), so a 4096-bit RSA key never
 * blocks the event loop that serves the UI and the embedded server.
 */
import type { KeyObject } from 'node:crypto';
import { generateKeyPair } from 'node:crypto';
import type { KeySpec } from '../../../shared/schemas/keys';

/** A freshly generated key pair. */
export interface GeneratedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Generates a key pair for `spec` asynchronously. */
export function generateKeyPairFor(spec: KeySpec): Promise<GeneratedKeyPair> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => (err ? reject(err) : resolve({ privateKey, publicKey }));
    if (spec.kty === 'RSA') generateKeyPair('rsa', { modulusLength: spec.modulusLength, publicExponent: 0x10001 }, done);
    else if (spec.kty === 'OKP') generateKeyPair('ed25519', undefined, done);
    else generateKeyPair('ec', { namedCurve: spec.crv }, done);
  });
}
