/**
 * The one-time `jti` cache of DPoP proofs (dpop-rules.md DPP-11, X-D8, X-D26): one per server, shared by
 * every endpoint (a proof replayed at another endpoint is a replay too), keyed by the proof key's
 * thumbprint and the `jti`, and kept until `iat` + the past window + the future skew — after that DPP-10
 * refuses the proof anyway. Bounded like every store (TtlSet; docs/bounds.md): the key is a SHA-256 of
 * thumbprint and jti, so a long hostile `jti` costs the same as a short one (DPP-7 caps it at 256 too).
 */
import { createHash } from 'node:crypto';
import type { DpopPolicy } from '../../../../shared/jwt/rules/dpop-proof';
import { TtlSet } from './ttl-store';

/** The default bound: as many proofs as the client-assertion jti cache holds assertions. */
export const DPOP_JTI_BOUND = 100_000;

/** A fixed-size key for (thumbprint, jti); the separator cannot occur in a thumbprint. */
function keyOf(thumbprint: string, jti: string): string {
  return createHash('sha256').update(`${thumbprint}\n${jti}`, 'utf8').digest('base64url');
}

/** The DPoP replay cache. */
export class DpopJtiCache {
  readonly #seen: TtlSet;

  constructor(maxEntries = DPOP_JTI_BOUND) {
    this.#seen = new TtlSet(maxEntries, 'DPoP proof jti');
  }

  /** Whether this (thumbprint, jti) was recorded and is still remembered (DPP-11's question). */
  seen(thumbprint: string, jti: string): boolean {
    return this.#seen.has(keyOf(thumbprint, jti));
  }

  /**
   * Records a proof once every check passed (DPP-11: never a forged or nonce-challenged proof, so that it
   * cannot burn a `jti`). Remembered until `iat` + past window + future skew, in server time.
   */
  record(thumbprint: string, jti: string, iat: number, policy: Pick<DpopPolicy, 'pastSeconds' | 'futureSeconds'>): void {
    this.#seen.set(keyOf(thumbprint, jti), true, Math.ceil((iat + policy.pastSeconds + policy.futureSeconds) * 1000));
  }

  /**
   * `seen` and `record` in one step: true when the proof is new (and is now recorded), false for a replay.
   * For a caller that has already passed every other check; no await may separate a `seen` from its `record`.
   */
  claim(thumbprint: string, jti: string, iat: number, policy: Pick<DpopPolicy, 'pastSeconds' | 'futureSeconds'>): boolean {
    if (this.seen(thumbprint, jti)) return false;
    this.record(thumbprint, jti, iat, policy);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  get maxEntries(): number {
    return this.#seen.maxEntries;
  }
}
