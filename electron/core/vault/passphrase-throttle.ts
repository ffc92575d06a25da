/**
 * A bounded backoff on wrong vault passphrases, shared by unlock, changePassphrase and private-key export:
 * whoever holds the contract could otherwise guess the passphrase as fast as scrypt allows. A few mistakes
 * cost nothing; after that each further attempt waits twice as long as the last, up to a cap. A right
 * passphrase resets the count. Kept in memory: it slows guessing within a launch, it is not a lockout.
 */
import { ParleyError } from '../../../shared/errors';

/** Wrong passphrases allowed in a row before attempts are delayed. */
export const FREE_FAILURES = 3;
/** The first delay, doubled after each further wrong passphrase. */
export const FIRST_DELAY_MS = 5_000;
/** The longest delay. */
export const MAX_DELAY_MS = 5 * 60_000;

export class PassphraseThrottle {
  #failures = 0;
  #notBefore = 0;

  /** TOO_MANY_ATTEMPTS, saying how long to wait, while the delay after the last wrong passphrase runs. */
  check(nowMs: number): void {
    const waitMs = this.#notBefore - nowMs;
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw new ParleyError('TOO_MANY_ATTEMPTS', `Too many wrong passphrases: wait ${seconds} s before trying again.`, {
      details: { retryAfterSeconds: seconds },
    });
  }

  /** Records a wrong passphrase. */
  failed(nowMs: number): void {
    this.#failures++;
    const over = this.#failures - FREE_FAILURES;
    if (over >= 0) this.#notBefore = nowMs + Math.min(FIRST_DELAY_MS * 2 ** over, MAX_DELAY_MS);
  }

  /** Records a right passphrase. */
  succeeded(): void {
    this.#failures = 0;
    this.#notBefore = 0;
  }
}
