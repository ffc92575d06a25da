/**
 * The composer's live lint and paste-and-explain: the server's own rule modules applied to a token or
 * to a draft header and payload, every outcome listed (failures first) instead of stopping at the first.
 * It never throws: whatever is typed or pasted, the answer is a list of outcomes.
 */
import type { ClientAssertionContext, JsonObject, RequestObjectContext } from './contexts';
import { decodeCompactJwt, JwtDecodeError } from './decode';
import { profileOf } from './profiles';
import type { RuleDef, RuleOutcome } from './rule';
import { evaluateRule } from './rule';
import { CLIENT_ASSERTION_RULES } from './rules/client-assertion';
import type { DecodeContext } from './rules/decode';
import { CLIENT_ASSERTION_DECODE_RULES, REQUEST_OBJECT_DECODE_RULES } from './rules/decode';
import { REQUEST_OBJECT_RULES } from './rules/request-object';

/** A draft not yet signed: the header and payload as the composer holds them (any JSON value). */
export interface JwtParts {
  header: unknown;
  payload: unknown;
}

/** What the request-object lint needs besides the token. */
export type RequestObjectLintContext = Omit<RequestObjectContext, 'header' | 'payload'>;

/** What the client-assertion lint needs besides the token. */
export type ClientAssertionLintContext = Omit<ClientAssertionContext, 'header' | 'payload'>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failuresFirst(outcomes: RuleOutcome[]): RuleOutcome[] {
  return [...outcomes.filter((o) => !o.passed), ...outcomes.filter((o) => o.passed)];
}

function evaluateEach<C>(rules: readonly RuleDef<C>[], ctx: C): RuleOutcome[] {
  return rules.map((rule) => evaluateRule(rule, ctx)).filter((o): o is RuleOutcome => o !== null);
}

/** A JWT-1 failure for a draft whose header or payload is not an object, or for an unexpected error. */
function shapeFailure(message: string, actual: string): RuleOutcome {
  return {
    id: 'JWT-1',
    passed: false,
    summary: 'The token is a compact JWS: three base64url parts whose header and payload are JSON objects.',
    message,
    fix: 'Make the header and the payload JSON objects ({ … }).',
    source: 'RFC 7515 §7.1; RFC 7519 §7.2',
    expected: 'JSON object header and payload',
    actual,
  };
}

function lint<C>(
  tokenOrParts: string | JwtParts,
  maxBytes: number,
  decodeRules: readonly RuleDef<DecodeContext>[],
  rules: readonly RuleDef<C>[],
  contextFor: (header: JsonObject, payload: JsonObject) => C,
): RuleOutcome[] {
  try {
    let header: unknown;
    let payload: unknown;
    const outcomes: RuleOutcome[] = [];
    if (typeof tokenOrParts === 'string') {
      // Pasted text often carries a trailing newline or surrounding spaces; the server would not trim.
      let decodeCtx: DecodeContext;
      try {
        const decoded = decodeCompactJwt(tokenOrParts.trim(), { maxBytes });
        ({ header, payload } = decoded);
        decodeCtx = { error: undefined, maxBytes, bytes: decoded.bytes };
      } catch (e) {
        if (!(e instanceof JwtDecodeError)) throw e;
        decodeCtx = { error: e, maxBytes };
      }
      outcomes.push(...evaluateEach(decodeRules, decodeCtx));
      if (decodeCtx.error !== undefined) return failuresFirst(outcomes);
    } else {
      ({ header, payload } = tokenOrParts ?? { header: undefined, payload: undefined });
      const bad = [isJsonObject(header) ? '' : 'header', isJsonObject(payload) ? '' : 'payload'].filter(Boolean);
      if (bad.length > 0) return [shapeFailure(`The ${bad.join(' and ')} must be a JSON object.`, bad.join(', ') + ' not an object')];
    }
    outcomes.push(...evaluateEach(rules, contextFor(header as JsonObject, payload as JsonObject)));
    return failuresFirst(outcomes);
  } catch (e) {
    return [shapeFailure(`The token could not be analysed: ${e instanceof Error ? e.message : String(e)}`, 'unreadable')];
  }
}

/** Lints a request object (a compact token, or a draft's header and payload) against the request-object rules. */
export function lintRequestObject(tokenOrParts: string | JwtParts, ctx: RequestObjectLintContext): RuleOutcome[] {
  const maxBytes = profileOf(ctx.profile).requestObject.maxBytes;
  return lint(tokenOrParts, maxBytes, REQUEST_OBJECT_DECODE_RULES, REQUEST_OBJECT_RULES, (header, payload) => ({ ...ctx, header, payload }));
}

/** Lints a client assertion (a compact token, or a draft's header and payload) against the client-assertion rules. */
export function lintClientAssertion(tokenOrParts: string | JwtParts, ctx: ClientAssertionLintContext): RuleOutcome[] {
  const maxBytes = profileOf(ctx.profile).clientAssertion.maxBytes;
  return lint(tokenOrParts, maxBytes, CLIENT_ASSERTION_DECODE_RULES, CLIENT_ASSERTION_RULES, (header, payload) => ({ ...ctx, header, payload }));
}
