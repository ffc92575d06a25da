/**
 * Compact JWS signing (RFC 7515) with a vault key. The header's `alg` must be one the key supports;
 * `none` and HMAC algorithms are never accepted, whatever the caller asks.
 */
import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import type { CompactJWSHeaderParameters } from 'jose';
import { ParleyError } from '../../../shared/errors';
import type { SigningAlg } from '../../../shared/schemas/keys';

/** A protected header: any members, with a signing `alg`. */
export type SigningHeader = Record<string, unknown> & { alg: SigningAlg };

/** Signs `payload` (a string as is, an object as JSON) and returns the compact serialization. */
export async function signCompact(
  privateKey: KeyObject,
  allowed: readonly SigningAlg[],
  header: SigningHeader,
  payload: Record<string, unknown> | string,
  keyName: string,
): Promise<string> {
  const alg: unknown = header.alg;
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    const shown = typeof alg === 'string' ? alg : String(alg);
    throw new ParleyError('UNSUPPORTED_ALG', `The key "${keyName}" cannot sign with alg ${shown}; it supports ${allowed.join(', ')}.`, {
      details: { alg: shown, supported: [...allowed] },
    });
  }
  const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  try {
    return await new CompactSign(bytes).setProtectedHeader(header as CompactJWSHeaderParameters).sign(privateKey);
  } catch (cause) {
    // jose rejects malformed headers (e.g. a bad `crit`); those are the caller's input, not an internal fault.
    throw new ParleyError('INVALID_INPUT', `The JWS could not be signed: ${cause instanceof Error ? cause.message : 'rejected by the signer'}.`, { cause });
  }
}
