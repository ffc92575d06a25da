/**
 * Timers for the idle lock driven by the test: time is clock.ts's frozen clock, and `advance` moves it
 * forward, firing each timer when its moment comes (in order), so a test covers minutes without waiting.
 */
import { freezeClock, nowMs } from '../../../../../electron/core/clock';
import type { IdleTimers } from '../../../../../electron/core/vault';

export class ManualTimers implements IdleTimers {
  #pending: { at: number; callback: () => void }[] = [];

  set(callback: () => void, ms: number): () => void {
    const entry = { at: nowMs() + ms, callback };
    this.#pending.push(entry);
    return () => {
      this.#pending = this.#pending.filter((e) => e !== entry);
    };
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.#pending.length;
  }

  /** Moves the clock `ms` forward, firing every timer that comes due on the way, at its own time. */
  advance(ms: number): void {
    const end = nowMs() + ms;
    for (;;) {
      const next = [...this.#pending].sort((a, b) => a.at - b.at)[0];
      if (next === undefined || next.at > end) break;
      this.#pending = this.#pending.filter((e) => e !== next);
      freezeClock(Math.max(next.at, nowMs()));
      next.callback();
    }
    freezeClock(end);
  }
}
