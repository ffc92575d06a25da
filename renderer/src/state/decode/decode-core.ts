/**
 * What the Inspect screen shows for a pasted token, computed where it is cheap to block: in the decode
 * worker (the fallback runs it on the main thread). Pure: no DOM, no store.
 */
import { decodeCompactJwt, JwtDecodeError } from '../../../../shared/jwt/decode';
import type { JwtDecodeErrorCode } from '../../../../shared/jwt/decode';

/** The largest input the screen decodes (a little over 1 MB, the `jwt.verify` input cap). */
export const MAX_INSPECT_BYTES = 1_100_000;

/** Which part of the token a decode error is about. */
export type TokenPart = 'header' | 'payload' | 'signature';

/** The decoded view of one input. */
export type DecodeOutcome =
  | { kind: 'empty' }
  | {
      kind: 'jws';
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
      /** Pretty-printed JSON (two-space indent), prepared off the main thread. */
      headerJson: string;
      payloadJson: string;
      signature: string;
      bytes: number;
    }
  | { kind: 'jwe'; header: Record<string, unknown>; headerJson: string; bytes: number }
  | {
      kind: 'error';
      code: JwtDecodeErrorCode;
      part: TokenPart | null;
      /** The number of dot-separated parts, for `wrong-part-count`. */
      count: number;
      /** The duplicated member's path, for `duplicate-member`. */
      member: string | null;
      /** The decoder's own (English) sentence. */
      message: string;
    };

function partOf(message: string): TokenPart | null {
  const match = /^the (header|payload|signature)\b/.exec(message);
  return (match?.[1] as TokenPart | undefined) ?? null;
}

function failure(error: JwtDecodeError, count: number, jwe = false): DecodeOutcome {
  const member = error.code === 'duplicate-member' ? (/"(.*)"/.exec(error.message)?.[1] ?? null) : null;
  // In a JWE the only part decoded is the protected header.
  const part = jwe ? 'header' : partOf(error.message);
  return { kind: 'error', code: error.code, part, count, member, message: error.message };
}

/** Decodes pasted text: whitespace around it is ignored; never throws. */
export function decodeForInspect(input: string): DecodeOutcome {
  const token = input.trim();
  if (token === '') return { kind: 'empty' };
  const count = token.split('.').length;
  try {
    if (count === 5 && !token.startsWith('{')) {
      // A JWE: only its protected header is readable. Decode it through the same checks as a JWS header
      // (base64url, UTF-8, JSON object, unique members) by pairing it with an empty payload.
      const protectedHeader = token.slice(0, token.indexOf('.'));
      const { header } = decodeCompactJwt(`${protectedHeader}.e30.`, { maxBytes: MAX_INSPECT_BYTES });
      return { kind: 'jwe', header, headerJson: JSON.stringify(header, null, 2), bytes: new TextEncoder().encode(token).length };
    }
    const decoded = decodeCompactJwt(token, { maxBytes: MAX_INSPECT_BYTES });
    return {
      kind: 'jws',
      header: decoded.header,
      payload: decoded.payload,
      headerJson: JSON.stringify(decoded.header, null, 2),
      payloadJson: JSON.stringify(decoded.payload, null, 2),
      signature: decoded.signatureB64,
      bytes: decoded.bytes,
    };
  } catch (e) {
    if (e instanceof JwtDecodeError) return failure(e, count, count === 5);
    return { kind: 'error', code: 'not-json', part: null, count, member: null, message: e instanceof Error ? e.message : String(e) };
  }
}
