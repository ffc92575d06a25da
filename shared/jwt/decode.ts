/**
 * Decoding of compact JWS tokens (JWT-1, JWT-7, JWT-8, JAR-9), shared by the embedded server and the
 * composer. Nothing here verifies a signature: it only turns text into a header and a payload, or says
 * precisely why it cannot. Browser-safe: no `node:*` import; jose's base64url in the browser, Node's native
 * Buffer where there is one (the server: several times faster, same bytes for every input that passes the
 * base64url test below).
 */
import { base64url } from 'jose';
import { findDuplicateMember } from './duplicate-members';

/** Why a token could not be decoded; stable, for tests and for mapping to a rule id. */
export type JwtDecodeErrorCode =
  'empty' | 'too-large' | 'json-serialization' | 'jwe' | 'wrong-part-count' | 'bad-base64url' | 'not-json' | 'not-object' | 'duplicate-member';

/** The only error `decodeCompactJwt` throws. */
export class JwtDecodeError extends Error {
  override readonly name = 'JwtDecodeError';
  constructor(
    readonly code: JwtDecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A decoded (not verified) compact JWS. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header) + '.' + base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  /** The third part as sent (may be empty: `alg: none`). */
  signatureB64: string;
  /** The token's size in bytes (UTF-8). */
  bytes: number;
}

/** Options of `decodeCompactJwt`. */
export interface DecodeOptions {
  /** JWT-8: the size cap, checked before any decoding (2048 for assertions, 10 KB for request objects). */
  maxBytes: number;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// ignoreBOM keeps a leading BOM in the text so that JSON.parse rejects it rather than it being skipped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Node's Buffer when running in Node (never imported: this module also runs in the browser). */
const NodeBuffer = (
  globalThis as {
    Buffer?: { from(text: string, encoding: 'base64url'): Uint8Array & { toString(encoding: 'latin1'): string }; byteLength(text: string): number };
  }
).Buffer;

/** UTF-8 length of a string without allocating when it is ASCII (the normal case). */
function byteLength(text: string): number {
  if (NodeBuffer) return NodeBuffer.byteLength(text);
  return ASCII.test(text) ? text.length : encoder.encode(text).length;
}

/** The text of a base64url part (already checked to be base64url); throws on invalid UTF-8. */
function base64urlText(part: string): string {
  if (NodeBuffer) {
    const bytes = NodeBuffer.from(part, 'base64url');
    // ASCII bytes are the same text in latin1 and UTF-8; anything else goes through the strict decoder.
    const latin1 = bytes.toString('latin1');
    return ASCII.test(latin1) ? latin1 : utf8.decode(bytes);
  }
  return utf8.decode(base64url.decode(part));
}

function decodePart(part: string, which: 'header' | 'payload'): Record<string, unknown> {
  if (!BASE64URL.test(part) || part.length % 4 === 1) {
    throw new JwtDecodeError('bad-base64url', `the ${which} is not valid base64url (only A-Z a-z 0-9 - _ without padding are allowed)`);
  }
  let text: string;
  try {
    text = base64urlText(part);
  } catch (cause) {
    throw new JwtDecodeError('not-json', `the ${which} is not valid UTF-8 text`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new JwtDecodeError('not-json', `the ${which} is not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new JwtDecodeError('not-object', `the ${which} is ${kind}; it must be a JSON object`);
  }
  const duplicate = findDuplicateMember(text, value);
  if (duplicate !== undefined) {
    throw new JwtDecodeError('duplicate-member', `the ${which} has the member "${duplicate}" twice`);
  }
  return value as Record<string, unknown>;
}

/**
 * Decodes a compact JWS into its header and payload. Throws `JwtDecodeError` (and nothing else, for any
 * input) when the token is empty, too large, a JSON serialization, a JWE, not three base64url parts, or
 * when the header or payload is not a JSON object with unique member names.
 */
export function decodeCompactJwt(token: string, options: DecodeOptions): DecodedJwt {
  if (typeof token !== 'string') throw new JwtDecodeError('empty', 'the token is not a string');
  if (token.trim() === '') throw new JwtDecodeError('empty', 'the token is empty');
  // JWT-8: the cheap length test first, so an oversized input is refused before any other work.
  if (token.length > options.maxBytes) {
    throw new JwtDecodeError('too-large', `the token is at least ${token.length} bytes; the limit is ${options.maxBytes} bytes`);
  }
  const bytes = byteLength(token);
  if (bytes > options.maxBytes) throw new JwtDecodeError('too-large', `the token is ${bytes} bytes; the limit is ${options.maxBytes} bytes`);
  if (token.trimStart().startsWith('{')) {
    throw new JwtDecodeError(
      'json-serialization',
      'the token is a JWS JSON serialization; only the compact form (three base64url parts separated by dots) is accepted',
    );
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    throw new JwtDecodeError('jwe', 'the token has 5 parts: it is an encrypted JWT (JWE); only signed JWTs (compact JWS, 3 parts) are accepted');
  }
  if (parts.length !== 3) {
    throw new JwtDecodeError('wrong-part-count', `the token has ${parts.length} ${parts.length === 1 ? 'part' : 'parts'}; a compact JWS has 3`);
  }
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  const header = decodePart(headerB64, 'header');
  const payload = decodePart(payloadB64, 'payload');
  if (!BASE64URL.test(signatureB64) || signatureB64.length % 4 === 1) {
    throw new JwtDecodeError('bad-base64url', 'the signature is not valid base64url (only A-Z a-z 0-9 - _ without padding are allowed)');
  }
  return { header, payload, signingInput: `${headerB64}.${payloadB64}`, signatureB64, bytes };
}
