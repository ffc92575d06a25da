/**
 * The only place that makes randomness, so tests can reason about it in one spot.
 */
import { randomBytes as nodeRandomBytes, randomFillSync, randomUUID } from 'node:crypto';

// Tokens are cut from a pool of CSPRNG output (like Node's own randomUUID cache): one getrandom call per
// 4 KB instead of one per token, which cost more than the rest of making a request_uri. Every byte is used
// once; the used part is overwritten with zeros so handed-out bytes do not linger in the pool.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function take(n: number): Buffer {
  if (n > POOL_BYTES / 4) return nodeRandomBytes(n);
  if (poolOffset + n > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  pool.fill(0, poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** Cryptographically secure random bytes. */
export function randomBytes(n: number): Buffer {
  return nodeRandomBytes(n);
}

/** A random URL-safe token of `bytes` bytes of entropy (base64url). */
export function randomToken(bytes = 32): string {
  return take(bytes).toString('base64url');
}

/** A random identifier suitable for stored records: 22 base64url characters (128 bits). */
export function randomId(): string {
  return take(16).toString('base64url');
}

/** A random UUID v4. */
export function uuid(): string {
  return randomUUID();
}
