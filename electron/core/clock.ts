/**
 * The only place that reads the time, so tests can freeze it and the embedded server can simulate skew.
 */
let offsetMs = 0;
let frozen: number | undefined;

/** The current time as a Date, with any offset applied. */
export function now(): Date {
  return new Date(nowMs());
}

/** The current time in milliseconds since the epoch, with any offset applied. */
export function nowMs(): number {
  return (frozen ?? Date.now()) + offsetMs;
}

/** The current time in whole seconds (a JWT NumericDate). */
export function nowSeconds(): number {
  return Math.floor(nowMs() / 1000);
}

/** Shifts the clock by `ms` (positive: the future). */
export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

/** The current offset in milliseconds. */
export function clockOffset(): number {
  return offsetMs;
}

/** Freezes the clock at `ms` (tests only); `undefined` unfreezes it. */
export function freezeClock(ms: number | undefined): void {
  frozen = ms;
}
