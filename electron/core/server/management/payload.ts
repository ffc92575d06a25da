/**
 * Payload validation with Auth0's words. Auth0's Management API validates bodies with a JSON-schema
 * validator and answers `400 invalid_body` with messages such as
 * `Payload validation error: 'Additional properties not allowed: foo'.` or
 * `Payload validation error: 'Expected type boolean but found type string' on property is_first_party.`
 * These helpers produce the same sentences, and record the failure under the rule being checked.
 */
import { payloadError } from './rule-sink';
import type { RuleSink } from '../recording';
import type { RuleText } from '../../../../shared/jwt/rule';

/** JSON-schema's name for a value's type. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Validates against one rule, at one property path. */
export class Field {
  constructor(
    readonly sink: RuleSink,
    readonly rule: RuleText,
    readonly path: string,
  ) {}

  /** The same rule at a child path. */
  at(child: string | number, rule: RuleText = this.rule): Field {
    const path = typeof child === 'number' ? `${this.path}[${child}]` : this.path === '' ? child : `${this.path}.${child}`;
    return new Field(this.sink, rule, path);
  }

  /** The same path, checked under another rule. */
  as(rule: RuleText): Field {
    return new Field(this.sink, rule, this.path);
  }

  /** Fails with `what` at this path. */
  error(what: string, expected: string, actual: string, fix = ''): Error {
    return payloadError(this.sink, this.rule, what, this.path, expected, actual, fix);
  }

  #type(value: unknown, expected: string): Error {
    return this.error(`Expected type ${expected} but found type ${jsonType(value)}`, expected, jsonType(value));
  }

  /** An object whose properties are all in `allowed`. */
  object(value: unknown, allowed: readonly string[]): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.#type(value, 'object');
    const extra = Object.keys(value).filter((k) => !allowed.includes(k));
    if (extra.length > 0) {
      // A key with stray whitespace is almost always a typo of a real one (a guide has "expires_at "): say so in the trace.
      const near = extra.map((k) => k.trim()).filter((k) => allowed.includes(k));
      const fix =
        near.length > 0
          ? `Remove the whitespace in the property name (did you mean ${near.map((k) => JSON.stringify(k)).join(', ')}?).`
          : `Allowed: ${allowed.join(', ')}.`;
      throw this.error(`Additional properties not allowed: ${extra.join(',')}`, `only ${allowed.join(', ')}`, extra.join(', '), fix);
    }
    return value as JsonObject;
  }

  /** Fails when `key` is absent from `obj`. */
  required(obj: JsonObject, key: string): void {
    if (!(key in obj) || obj[key] === undefined) throw this.error(`Missing required property: ${key}`, `${key} present`, '(absent)');
  }

  /** A string of `min`..`max` characters. */
  string(value: unknown, min = 0, max = 10_000): string {
    if (typeof value !== 'string') throw this.#type(value, 'string');
    if (value.length < min) throw this.error(`String is too short (${value.length} chars), minimum ${min}`, `at least ${min} characters`, `${value.length}`);
    if (value.length > max) throw this.error(`String is too long (${value.length} chars), maximum ${max}`, `at most ${max} characters`, `${value.length}`);
    return value;
  }

  /** A boolean. */
  boolean(value: unknown): boolean {
    if (typeof value !== 'boolean') throw this.#type(value, 'boolean');
    return value;
  }

  /** An integer within bounds. */
  integer(value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.#type(value, 'integer');
    if (value < min) throw this.error(`Value ${value} is less than minimum ${min}`, `>= ${min}`, String(value));
    if (value > max) throw this.error(`Value ${value} is greater than maximum ${max}`, `<= ${max}`, String(value));
    return value;
  }

  /** One of `values`. */
  oneOf<T extends string>(value: unknown, values: readonly T[]): T {
    if (typeof value !== 'string') throw this.#type(value, 'string');
    if (!(values as readonly string[]).includes(value)) throw this.error(`Invalid value ${JSON.stringify(value)}`, values.join(' | '), value);
    return value as T;
  }

  /** An array of at most `max` items. */
  array(value: unknown, max = 1000): unknown[] {
    if (!Array.isArray(value)) throw this.#type(value, 'array');
    if (value.length > max) throw this.error(`Array is too long (${value.length}), maximum ${max}`, `at most ${max} items`, `${value.length} items`);
    return value;
  }

  /** An array of strings, each checked by `item`. */
  strings(value: unknown, max: number, item: (s: string, field: Field) => void = () => {}): string[] {
    return this.array(value, max).map((v, i) => {
      const s = this.at(i).string(v, 0, 2048);
      item(s, this.at(i));
      return s;
    });
  }

  /** A string matching `pattern` (the JSON-schema message names the pattern). */
  pattern(value: unknown, pattern: RegExp, shown: string): string {
    const s = this.string(value);
    if (!pattern.test(s)) throw this.error(`String does not match pattern ${shown}: ${s}`, `matches ${shown}`, s);
    return s;
  }
}

/** The root of a body, validated under `rule`. */
export function root(sink: RuleSink, rule: RuleText): Field {
  return new Field(sink, rule, '');
}
