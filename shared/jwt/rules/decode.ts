/**
 * The decoding rules (JWT-8 size, JAR-9 encryption, JWT-1 shape, JWT-7 duplicate names) as RuleDefs, so
 * that the server traces them like every other rule and the lint reports them with the same words.
 * They evaluate the outcome of `decodeCompactJwt`: the rule owning the error fails, the rules for the
 * stages before it passed, the ones after it could not run.
 */
import type { JwtDecodeError, JwtDecodeErrorCode } from '../decode';
import type { RuleDef, WireFailure } from '../rule';
import type { TokenKind } from './jwt-common';

/** The outcome of decoding one token. */
export interface DecodeContext {
  /** The decoding error, or undefined when the token decoded. */
  error: JwtDecodeError | undefined;
  /** The size cap applied. */
  maxBytes: number;
  /** The token's size, when it decoded. */
  bytes?: number;
}

/** The order in which `decodeCompactJwt` tests things; a rule passed if decoding failed at a later stage. */
const STAGE: Record<JwtDecodeErrorCode, number> = {
  'too-large': 1,
  jwe: 2,
  empty: 3,
  'json-serialization': 3,
  'wrong-part-count': 3,
  'bad-base64url': 3,
  'not-json': 3,
  'not-object': 3,
  'duplicate-member': 4,
};

interface DecodeRuleSpec {
  id: string;
  stage: number;
  codes: readonly JwtDecodeErrorCode[];
  summary: string;
  fix: string;
  source: string;
  expected: (ctx: DecodeContext) => string;
}

function decodeRule(spec: DecodeRuleSpec, wire: WireFailure): RuleDef<DecodeContext> {
  return {
    id: spec.id,
    summary: spec.summary,
    fix: spec.fix,
    source: spec.source,
    wire,
    evaluate(ctx) {
      const expected = spec.expected(ctx);
      if (ctx.error === undefined) return { passed: true, expected, actual: ctx.bytes === undefined ? 'decoded' : `decoded (${ctx.bytes} bytes)` };
      if (spec.codes.includes(ctx.error.code)) return { passed: false, expected, actual: ctx.error.code, message: `${capitalize(ctx.error.message)}.` };
      return STAGE[ctx.error.code] > spec.stage ? { passed: true, expected } : null;
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SIZE = (kind: TokenKind): DecodeRuleSpec => ({
  id: 'JWT-8',
  stage: 1,
  codes: ['too-large'],
  summary: `The ${kind} is within the size limit, checked before decoding.`,
  fix:
    kind === 'client assertion'
      ? 'Keep the assertion under 2048 bytes: drop claims the server does not need.'
      : 'Keep the request object under 10 KB: drop parameters the server does not need.',
  source: kind === 'client assertion' ? 'Auth0 private_key_jwt docs (A7)' : 'Auth0 PAR docs (A3)',
  expected: (ctx) => `≤ ${ctx.maxBytes} bytes`,
});

const SHAPE = (kind: TokenKind, codes: readonly JwtDecodeErrorCode[]): DecodeRuleSpec => ({
  id: 'JWT-1',
  stage: 3,
  codes,
  summary: `The ${kind} is a compact JWS: three base64url parts whose header and payload are JSON objects.`,
  fix: 'Send the token exactly as the signer produced it: header.payload.signature, base64url without padding, no spaces or line breaks.',
  source: 'RFC 7515 §7.1; RFC 7519 §7.2',
  expected: () => 'compact JWS (3 base64url parts, JSON object header and payload)',
});

const DUPLICATES = (kind: TokenKind): DecodeRuleSpec => ({
  id: 'JWT-7',
  stage: 4,
  codes: ['duplicate-member'],
  summary: `The ${kind}'s header and payload have no duplicate member names.`,
  fix: 'Send each header parameter and claim once; parsers disagree on which duplicate wins.',
  source: 'RFC 7515 §5.2; RFC 8725 §3.12',
  expected: () => 'unique member names',
});

const FORMAT_CODES = ['empty', 'json-serialization', 'wrong-part-count', 'bad-base64url', 'not-json', 'not-object'] as const;

/** Wire errors of a bad request object (JWT-1, JWT-8, JAR-9). */
const JAR_PARSE: WireFailure = { status: 400, error: 'invalid_request_object', description: 'could not parse request object' };

/** The decoding rules of a request object, in the order they are applied. */
export const REQUEST_OBJECT_DECODE_RULES: readonly RuleDef<DecodeContext>[] = [
  decodeRule(SIZE('request object'), { ...JAR_PARSE, description: 'request object is too large' }),
  decodeRule(
    {
      id: 'JAR-9',
      stage: 2,
      codes: ['jwe'],
      summary: 'The request object is signed, not encrypted: encrypted request objects (JWE) are not supported.',
      fix: 'Send a signed JWT (JWS) without encrypting it; use PAR if the parameters must stay confidential.',
      source: 'Auth0 JAR docs (A1, A10); RFC 9101 §6.1',
      expected: () => 'a compact JWS (3 parts)',
    },
    { ...JAR_PARSE, description: 'encrypted request objects are not supported' },
  ),
  decodeRule(SHAPE('request object', FORMAT_CODES), JAR_PARSE),
  decodeRule(DUPLICATES('request object'), JAR_PARSE),
];

/** The generic wire error of every client-assertion failure (E-8): the detail is in the trace only. */
export const INVALID_CLIENT_ASSERTION: WireFailure = { status: 401, error: 'invalid_client', description: 'Invalid client assertion' };

/** The decoding rules of a client assertion, in the order they are applied (a JWE is a JWT-1 failure). */
export const CLIENT_ASSERTION_DECODE_RULES: readonly RuleDef<DecodeContext>[] = [
  decodeRule(SIZE('client assertion'), INVALID_CLIENT_ASSERTION),
  decodeRule(SHAPE('client assertion', [...FORMAT_CODES, 'jwe']), INVALID_CLIENT_ASSERTION),
  decodeRule(DUPLICATES('client assertion'), INVALID_CLIENT_ASSERTION),
];
