/**
 * The only place that makes randomness, so tests can reason about it in one spot.
 */
import { randomBytes as nodeRandomBytes, randomUUID } from 'node:crypto';

/** Cryptographically secure random bytes. */
export function randomBytes(n: number): Buffer {
  return nodeRandomBytes(n);
}

/** A random URL-safe token of `bytes` bytes of entropy (base64url). */
export function randomToken(bytes = 32): string {
  return nodeRandomBytes(bytes).toString('base64url');
}

/** A random identifier suitable for stored records: 22 base64url characters (128 bits). */
export function randomId(): string {
  return nodeRandomBytes(16).toString('base64url');
}

/** A random UUID v4. */
export function uuid(): string {
  return randomUUID();
}
