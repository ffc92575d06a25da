/** NumericDate claims as people read them: a local date and time, and how far from now, in the UI language. */
import { useEffect, useState } from 'react';

const dateCache = new Map<string, Intl.DateTimeFormat>();
const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

/** A NumericDate (seconds since the epoch) as a local date and time with seconds; `null` when out of range. */
export function formatNumericDate(seconds: number, language: string): string | null {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) return null;
  let f = dateCache.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
    dateCache.set(language, f);
  }
  return f.format(date);
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/** How far a NumericDate is from now ("3 minutes ago", "in 4 minutes"), in the largest whole unit. */
export function formatRelative(seconds: number, nowMs: number, language: string): string | null {
  if (!Number.isFinite(seconds)) return null;
  let f = relativeCache.get(language);
  if (!f) {
    f = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'long' });
    relativeCache.set(language, f);
  }
  const diff = seconds - nowMs / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return f.format(Math.trunc(diff / size), unit);
  }
  return f.format(Math.trunc(diff), 'second');
}

/** The current time, refreshed every `intervalMs` so relative times stay true while the screen is open. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
