/**
 * Small, total helpers for reading untrusted header and payload values. Rules own a value's semantics;
 * JWT-5 and JWT-6 own its type, so other rules treat a mistyped value as "not theirs" (they return null)
 * and only a missing one as their failure.
 */
import { show } from '../rule';

const encoder = new TextEncoder();

/** A JSON number usable as a NumericDate (JSON cannot carry NaN or Infinity, but a composer draft can). */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Whether an own member is present (a JSON `null` counts as present, and as the wrong type). */
export function has(obj: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(obj, name);
}

/** An own member's value; never reaches the prototype (a payload may carry `__proto__` or `constructor`). */
export function get(obj: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

/** An own member when it is a string. */
export function getString(obj: Record<string, unknown>, name: string): string | undefined {
  const value = get(obj, name);
  return typeof value === 'string' ? value : undefined;
}

/** UTF-8 length in bytes (JAR-14 counts bytes). */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Length in characters (code points; PKJ-5 counts characters). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The JSON type name of a value, for messages ("a string", "an array", …). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' ? 'a number' : `a ${typeof value}`;
}

/** `show()` for messages, truncated so that a hostile value cannot flood a trace. */
export function brief(value: unknown, max = 120): string {
  const text = show(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A list for messages: `a, b or c`. */
export function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** A signed difference in seconds in words, for time-claim messages. */
export function seconds(n: number): string {
  const abs = Math.abs(Math.round(n));
  return `${abs} second${abs === 1 ? '' : 's'}`;
}
