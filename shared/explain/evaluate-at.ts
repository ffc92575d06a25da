/**
 * "Evaluate at": the time Explain judges a pasted request's time rules at (JAR-13, PKJ-9..11, JWT-9…).
 * A JWT copied from a customer's log an hour ago has expired by now; judged at the time it was sent (its
 * iat, or the log line's timestamp) it shows only the real cause. Pure and browser-safe.
 */
import { decodeCompactJwt } from '../jwt/decode';
import type { PastedInput, PastedRole } from './paste';
import { pastedJwts } from './paste';

/** Which time to evaluate at. */
export type EvaluateAtMode = 'now' | 'iat' | 'typed';

/** Why a time could not be used: a code the UI words, with the values the sentence names. */
export type EvaluateAtError = { code: 'time-empty' } | { code: 'time-format'; text: string } | { code: 'time-no-iat' };

/** The time to evaluate at, in seconds since the epoch, or why there is none. */
export type EvaluateAtResult = { ok: true; seconds: number } | { ok: false; error: EvaluateAtError };

/**
 * `2026-12-07T14:03:11Z`, `2026-12-07 14:03:11` (a log line's timestamp), with optional fractions of a
 * second, an offset (`+02:00`, `+0200`, `-05`) or `UTC`/`GMT`; no offset means UTC. Seconds may be left out.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Reads a typed time: an ISO 8601 or log-line timestamp (UTC unless an offset is given), or epoch seconds. */
export function parseTimestamp(raw: string): EvaluateAtResult {
  const text = raw.trim().replace(/^\[|\]$/g, '');
  if (text === '') return { ok: false, error: { code: 'time-empty' } };
  // Epoch seconds (10 digits) or milliseconds (13 digits), as some logs print them.
  if (/^\d{9,10}$/.test(text)) return { ok: true, seconds: Number(text) };
  if (/^\d{12,13}$/.test(text)) return { ok: true, seconds: Math.floor(Number(text) / 1000) };
  const m = TIMESTAMP.exec(text);
  if (m === null) return { ok: false, error: { code: 'time-format', text: text.slice(0, 40) } };
  const [, y, mo, d, h, mi, s, zone] = m;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? '0')] as const;
  const ms = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not exist is refused, not moved.
  const exists =
    back.getUTCFullYear() === fields[0] &&
    back.getUTCMonth() === fields[1] - 1 &&
    back.getUTCDate() === fields[2] &&
    back.getUTCHours() === fields[3] &&
    back.getUTCMinutes() === fields[4] &&
    back.getUTCSeconds() === fields[5];
  if (!exists) return { ok: false, error: { code: 'time-format', text: text.slice(0, 40) } };
  let offsetMinutes = 0;
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hours > 14 || minutes > 59) return { ok: false, error: { code: 'time-format', text: text.slice(0, 40) } };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return { ok: true, seconds: Math.floor(ms / 1000) - offsetMinutes * 60 };
}

/** The `iat` of the pasted request: the request object's, else the client assertion's; `null` when none has a numeric iat. */
export function pastedIat(input: PastedInput, roleOverride?: PastedRole): number | null {
  const jwts = pastedJwts(input, roleOverride);
  const order = [...jwts.filter((j) => j.role === 'requestObject'), ...jwts.filter((j) => j.role === 'clientAssertion')];
  for (const { token } of order) {
    try {
      const iat = decodeCompactJwt(token.trim(), { maxBytes: 2_000_000 }).payload['iat'];
      if (typeof iat === 'number' && Number.isFinite(iat)) return Math.floor(iat);
    } catch {
      // An undecodable token has no iat; its decode rule says why.
    }
  }
  return null;
}

/** The time to evaluate a pasted request at: now, its iat, or a typed time. */
export function evaluateAt(mode: EvaluateAtMode, options: { nowMs: number; input: PastedInput; role?: PastedRole; typed: string }): EvaluateAtResult {
  switch (mode) {
    case 'now':
      return { ok: true, seconds: Math.floor(options.nowMs / 1000) };
    case 'iat': {
      const iat = pastedIat(options.input, options.role);
      return iat === null ? { ok: false, error: { code: 'time-no-iat' } } : { ok: true, seconds: iat };
    }
    case 'typed':
      return parseTimestamp(options.typed);
  }
}

/** A time in seconds as ISO 8601 UTC without milliseconds (`2026-12-07T14:03:11Z`). */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
