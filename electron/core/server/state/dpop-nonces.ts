/**
 * The server's DPoP nonces (dpop-rules.md DPN-4, DPN-5, DPN-8; RFC 9449 §8): stateless, so that nothing
 * grows and every instance sharing the secret agrees. A nonce is base64url(HMAC-SHA256(secret, scope and
 * 60-second time step)); the server hands out the NEXT step's value and accepts the steps from two before
 * to two after the current one (about 2–3 minutes of life, as node-oidc-provider). Rotation is time itself:
 * each minute a new value is handed out. `scope` keeps nonces per server (DPN-8): the tenant's nonce is not
 * an API's (X-D11). The clock is electron/core/clock.ts, so tests move time without sleeping.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { nowMs } from '../../clock';
import type { DpopNonceExpectation } from '../../../../shared/jwt/rules/dpop-proof';

/** DPN-5: the length of a time step. */
export const NONCE_STEP_MS = 60_000;
/** DPN-5: steps accepted on either side of the current one. */
export const NONCE_ACCEPTED_STEPS = 2;
/** Steps before the accepted ones whose values are still recognised, to say "expired" rather than "unknown". */
const RECOGNISED_EXPIRED_STEPS = 5;

/** How the server judges a presented nonce. */
export type NonceStatus = 'current' | 'expired' | 'unknown';

/** Options of a nonce source. */
export interface DpopNonceOptions {
  /** The HMAC secret (at least 32 bytes); a fresh random one by default, so nonces do not survive a restart. */
  secret?: Uint8Array;
  /** Which server the nonces belong to (DPN-8), e.g. the tenant's issuer or an API's identifier. */
  scope?: string;
  /** The clock, in ms; clock.ts by default. */
  now?: () => number;
}

/** The nonces of one server. */
export class DpopNonces {
  readonly #secret: Uint8Array;
  readonly #scope: string;
  readonly #now: () => number;
  /** The last few derived values by step (a request derives up to 10; a minute's requests share them). */
  readonly #cache = new Map<number, string>();

  constructor(options: DpopNonceOptions = {}) {
    if (options.secret !== undefined && options.secret.length < 32) throw new Error('the DPoP nonce secret must be at least 32 bytes');
    this.#secret = options.secret ?? randomBytes(32);
    this.#scope = options.scope ?? 'tenant';
    this.#now = options.now ?? nowMs;
  }

  /** The current time step. */
  #step(): number {
    return Math.floor(this.#now() / NONCE_STEP_MS);
  }

  /** The nonce of a step (1*NQCHAR: base64url characters only). */
  #value(step: number): string {
    const cached = this.#cache.get(step);
    if (cached !== undefined) return cached;
    const value = createHmac('sha256', this.#secret).update(`dpop-nonce\n${this.#scope}\n${step}`).digest('base64url');
    if (this.#cache.size >= 16) this.#cache.clear();
    this.#cache.set(step, value);
    return value;
  }

  /** The value to send in `DPoP-Nonce` now (DPN-1, DPN-4, DPN-5): the next step's, so it lives longest. */
  issue(): string {
    return this.#value(this.#step() + 1);
  }

  /** The values accepted now, newest first. */
  accepted(): string[] {
    const step = this.#step();
    const out: string[] = [];
    for (let s = step + NONCE_ACCEPTED_STEPS; s >= step - NONCE_ACCEPTED_STEPS; s--) out.push(this.#value(s));
    return out;
  }

  /** Values this server issued that are no longer accepted (recent ones only). */
  expired(): string[] {
    const first = this.#step() - NONCE_ACCEPTED_STEPS - 1;
    const out: string[] = [];
    for (let s = first; s > first - RECOGNISED_EXPIRED_STEPS; s--) out.push(this.#value(s));
    return out;
  }

  /** Judges a presented nonce. */
  status(nonce: string): NonceStatus {
    if (this.accepted().includes(nonce)) return 'current';
    return this.expired().includes(nonce) ? 'expired' : 'unknown';
  }

  /**
   * Whether a response should carry a new `DPoP-Nonce` after a proof presenting `nonce` (§9 item 3): yes
   * unless the client already holds the value `issue()` would send.
   */
  shouldRefresh(nonce: string | undefined): boolean {
    return nonce !== this.issue();
  }

  /** The rules' view (DpopProofContext.nonce): whether a nonce is required and which values count. */
  expectation(required: boolean): DpopNonceExpectation {
    return { required, accepted: this.accepted(), expired: this.expired() };
  }
}
