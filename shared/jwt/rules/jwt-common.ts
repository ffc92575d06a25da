/**
 * The JWT rules shared by request objects and client assertions (server-rules.md §2). Each factory
 * takes the wire error of the token kind it is used for: a bad request object is a 400
 * `invalid_request_object`, a bad assertion a generic 401 `invalid_client` (E-8).
 */
import type { RuleDef, WireFailure } from '../rule';
import type { JwtRuleContext } from '../contexts';
import { profileOf } from '../profiles';
import { brief, get, has, isNumericDate, seconds, typeName } from './claim-values';

/** Which token the rule is about, for messages. */
export type TokenKind = 'request object' | 'client assertion';

/** Header members that carry key material; never used to pick a verification key (JWT-4). */
export const KEY_HEADER_MEMBERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/** JWT-2: the alg is never `none` (any case) nor an HMAC alg; the key's alg is taken server-side. */
export function algFamilyRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-2',
    summary: `The ${kind} is signed with an asymmetric algorithm: never "none" or an HMAC (HS*) algorithm.`,
    fix: "Sign with the private key of a credential registered on the client, using that credential's alg.",
    source: 'RFC 8725 §2.1, §3.1–3.2; Auth0 private_key_jwt docs (A7)',
    wire,
    evaluate({ header }) {
      const alg = get(header, 'alg');
      const expected = 'an asymmetric alg registered with the credential (never none or HS*)';
      if (typeof alg !== 'string') {
        return {
          passed: false,
          expected,
          actual: has(header, 'alg') ? `alg is ${typeName(alg)}` : '(absent)',
          message: `The ${kind} header has no string "alg".`,
        };
      }
      if (alg.toLowerCase() === 'none') {
        return { passed: false, expected, actual: alg, message: `The ${kind} is unsigned (alg "${alg}"); unsigned tokens are never accepted.` };
      }
      if (/^hs/i.test(alg)) {
        return {
          passed: false,
          expected,
          actual: alg,
          message: `The ${kind} uses the HMAC alg ${alg}; only the client's registered public keys can verify it, so HMAC is refused before any MAC is computed.`,
        };
      }
      return { passed: true, expected, actual: alg };
    },
  };
}

/** JWT-3: no `crit` extension we do not understand (we understand none), and no unencoded payload. */
export function critRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-3',
    summary: `The ${kind} header has no "crit" extensions and no "b64": false.`,
    fix: 'Remove "crit" (and "b64") from the header: this server understands no JWS extensions.',
    source: 'RFC 7515 §4.1.11; RFC 7797 §3',
    wire,
    evaluate({ header }) {
      const expected = 'no crit header, no b64';
      if (get(header, 'b64') === false) {
        return {
          passed: false,
          expected,
          actual: `b64: false${has(header, 'crit') ? `, crit: ${brief(get(header, 'crit'))}` : ''}`,
          message: `The ${kind} has an unencoded payload ("b64": false), which is not a JWT.`,
        };
      }
      if (has(header, 'crit')) {
        return {
          passed: false,
          expected,
          actual: `crit: ${brief(get(header, 'crit'))}`,
          message: `The ${kind} marks header extensions as critical (${brief(get(header, 'crit'))}); none are understood here.`,
        };
      }
      return { passed: true, expected, actual: '(absent)' };
    },
  };
}

/** JWT-4: key material in the header is ignored; recorded (as passed) only when present, as a note. */
export function headerKeysRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-4',
    summary: `Keys in the ${kind} header (jwk, jku, x5u, x5c) are ignored: only the client's registered credentials verify it.`,
    fix: 'Drop the key from the header and register the public key as a credential on the client instead.',
    source: 'RFC 8725 §3.10; RFC 9101 §6.2',
    wire,
    evaluate({ header }) {
      const present = KEY_HEADER_MEMBERS.filter((name) => has(header, name));
      if (present.length === 0) return null;
      return {
        passed: true,
        expected: "keys from the client's registered credentials only",
        actual: `${present.join(', ')} present and ignored (never fetched, never trusted)`,
      };
    },
  };
}

/** JWT-5: `exp`, `nbf`, `iat` are JSON numbers when present. */
export function numericDatesRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-5',
    summary: `The ${kind}'s exp, nbf and iat, when present, are NumericDates (JSON numbers of seconds).`,
    fix: 'Send the times as numbers of seconds since 1970 (e.g. 1767225600), not as strings or ISO dates.',
    source: 'RFC 7519 §2, §4.1.4–4.1.6',
    wire,
    evaluate({ payload }) {
      const present = (['exp', 'nbf', 'iat'] as const).filter((name) => has(payload, name));
      if (present.length === 0) return null;
      const bad = present.filter((name) => !isNumericDate(get(payload, name)));
      const expected = 'exp, nbf, iat as numbers';
      if (bad.length > 0) {
        const actual = bad.map((name) => `${name} is ${typeName(get(payload, name))} (${brief(get(payload, name), 40)})`).join('; ');
        return { passed: false, expected, actual, message: `The ${kind}'s ${bad.join(', ')} must be ${bad.length === 1 ? 'a number' : 'numbers'} of seconds.` };
      }
      return { passed: true, expected, actual: present.map((name) => `${name}: ${String(get(payload, name))}`).join(', ') };
    },
  };
}

/** JWT-6: `iss`, `sub`, `jti` are strings and `aud` is a string or an array of strings, when present. */
export function claimTypesRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-6',
    summary: `The ${kind}'s iss, sub and jti are strings, and aud is a string or an array of strings.`,
    fix: 'Send iss, sub and jti as JSON strings, and aud as a string (or an array of strings).',
    source: 'RFC 7519 §4.1.1–4.1.3, §4.1.7',
    wire,
    evaluate({ payload }) {
      const bad: string[] = [];
      for (const name of ['iss', 'sub', 'jti'] as const) {
        if (has(payload, name) && typeof get(payload, name) !== 'string') bad.push(`${name} is ${typeName(get(payload, name))}`);
      }
      if (has(payload, 'aud')) {
        const aud = get(payload, 'aud');
        const ok = typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
        if (!ok) bad.push(Array.isArray(aud) ? 'aud is an array with a non-string member' : `aud is ${typeName(aud)}`);
      }
      const expected = 'iss, sub, jti: strings; aud: string or string[]';
      if (bad.length > 0) return { passed: false, expected, actual: bad.join('; '), message: `The ${kind} has mistyped claims: ${bad.join('; ')}.` };
      return { passed: true, expected, actual: 'types as expected' };
    },
  };
}

/** JWT-9: `iat` is not further in the future than the allowed clock skew. */
export function issuedAtSkewRule<C extends JwtRuleContext>(kind: TokenKind, wire: WireFailure): RuleDef<C> {
  return {
    id: 'JWT-9',
    summary: `The ${kind}'s iat is not more than the allowed clock skew (10 s) in the future.`,
    fix: "Set iat from a synchronised clock (NTP); check the server's simulated clock offset in Settings.",
    source: 'Auth0 private_key_jwt docs (A7); FAPI 2.0 SP §5.3.2.1',
    wire,
    evaluate({ payload, now, profile }) {
      const iat = get(payload, 'iat');
      if (!isNumericDate(iat)) return null;
      const skew = profileOf(profile).skewSeconds;
      const expected = `iat ≤ now + ${skew} s (now = ${now})`;
      if (iat > now + skew) {
        return {
          passed: false,
          expected,
          actual: `iat = ${iat}`,
          message: `The ${kind}'s iat is ${seconds(iat - now)} in the future; at most ${seconds(skew)} of clock skew is tolerated.`,
        };
      }
      return { passed: true, expected, actual: `iat = ${iat}` };
    },
  };
}
