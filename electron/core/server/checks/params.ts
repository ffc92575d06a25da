/**
 * Turns a query string or a request body (form or JSON) into a flat map of single string values, before any
 * endpoint looks at it. Everything from the wire is `unknown` until here: repeated fields (which the form and
 * query parsers give as arrays) are refused with AZR-9, non-string JSON values and oversized inputs are refused
 * up front, and empty values count as absent (RFC 6749 §3.1), so no later check can meet an array, an object
 * or a 1 MB string.
 */
import { isAuthorizationParameter } from '../../../../shared/jwt/authorization-parameters';
import type { TraceRecorder } from '../trace';
import { fail } from './outcome';
import { pass } from '../recording';
import { RULES } from '../rules';

/** One request's parameters: each name at most once, each value a non-empty string. */
export type Params = Readonly<Record<string, string>>;

/** Where the parameters came from (decides how a repeated field shows up). */
export type ParamSource = 'query' | 'form' | 'json';

/** At most this many parameters per request; real authorization requests use a dozen. */
export const MAX_PARAMS = 100;
/** At most this many characters per value (a JAR by value is capped lower by JWT-8). */
export const MAX_VALUE_CHARS = 64 * 1024;
/** At most this many characters per parameter name. */
export const MAX_NAME_CHARS = 128;

function badInput(trace: TraceRecorder, expected: string, actual: string, description: string): Error {
  return fail(trace, { rule: 'AZQ-6', expected, actual, wire: { status: 400, error: 'invalid_request', description } });
}

/** Reads parameters from a parsed query or body; throws an OAuthError (AZR-9, AZQ-6) on anything malformed. */
export function readParams(raw: unknown, source: ParamSource, trace: TraceRecorder): Params {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (raw === undefined || raw === null) {
    pass(trace, RULES['AZR-9'], 'each parameter once', 'no parameters');
    return out;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw badInput(trace, 'an object of parameters', Array.isArray(raw) ? 'an array' : typeof raw, 'The request parameters are malformed.');
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_PARAMS) {
    throw badInput(trace, `at most ${MAX_PARAMS} parameters`, `${entries.length} parameters`, 'Too many parameters.');
  }
  for (const [name, value] of entries) {
    if (name.length > MAX_NAME_CHARS) {
      throw badInput(
        trace,
        `parameter names of at most ${MAX_NAME_CHARS} characters`,
        `${name.slice(0, 32)}… (${name.length} characters)`,
        'A parameter name is too long.',
      );
    }
    if (Array.isArray(value)) {
      if (source === 'json') throw badInput(trace, `${name}: a string`, `${name}: an array`, `${name} must be a string`);
      throw fail(trace, {
        rule: 'AZR-9',
        expected: `${name} once`,
        actual: `${name} ${value.length} times`,
        wire: { status: 400, error: 'invalid_request', description: `${name} parameter must not be provided twice` },
      });
    }
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw badInput(trace, `${name}: a string`, `${name}: ${typeof value}`, `${name} must be a string`);
    }
    if (value.length > MAX_VALUE_CHARS) {
      throw badInput(trace, `${name}: at most ${MAX_VALUE_CHARS} characters`, `${value.length} characters`, `${name} is too long`);
    }
    out[name] = value;
  }
  pass(trace, RULES['AZR-9'], 'each parameter once', `${Object.keys(out).length} distinct parameters`);
  return out;
}

/** Keeps only authorization parameters: the known ones and `ext-*` (the same list request objects use; PAR-10 limits ext-). */
export function authorizationParams(params: Params): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(params)) if (isAuthorizationParameter(k)) out[k] = v;
  return out;
}
