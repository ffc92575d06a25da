/**
 * The client-assertion (private_key_jwt: RFC 7521, RFC 7523, OIDC Core §9) rules that need only the
 * decoded header and payload. Every failure answers the same generic 401 `invalid_client` (E-8): an
 * unauthenticated caller learns nothing about which claim failed; the trace and the lint say exactly.
 * The client lookup (PKJ-4), key selection (JWT-10, PKJ-14, PKJ-15), the signature (PKJ-13) and the
 * replay cache (PKJ-12) live in the server's check (electron/core/server/checks/client-assertion.ts).
 */
import type { RuleDef } from '../rule';
import type { ClientAssertionContext } from '../contexts';
import { AUDIENCE_STYLES, profileOf } from '../profiles';
import { brief, charLength, get, getString, has, isNumericDate, oneOf, seconds } from './claim-values';
import { INVALID_CLIENT_ASSERTION as wire } from './decode';
import { algFamilyRule, claimTypesRule, critRule, headerKeysRule, issuedAtSkewRule, numericDatesRule } from './jwt-common';

type Rule = RuleDef<ClientAssertionContext>;

/** PKJ-5: iss, sub and jti at most 64 characters, alg at most 16. */
const SIZES: Rule = {
  id: 'PKJ-5',
  summary: "The client assertion's iss, sub and jti are at most 64 characters and its alg at most 16.",
  fix: 'Use a shorter jti (e.g. a UUID); iss and sub are the client_id.',
  source: 'Auth0 private_key_jwt docs (A7)',
  wire,
  evaluate({ header, payload, profile }) {
    const { maxClaimLength, maxAlgLength } = profileOf(profile).clientAssertion;
    const too: string[] = [];
    for (const name of ['iss', 'sub', 'jti'] as const) {
      const value = getString(payload, name);
      if (value !== undefined && charLength(value) > maxClaimLength) too.push(`${name} is ${charLength(value)} characters`);
    }
    const alg = getString(header, 'alg');
    if (alg !== undefined && charLength(alg) > maxAlgLength) too.push(`alg is ${charLength(alg)} characters`);
    const expected = `iss, sub, jti ≤ ${maxClaimLength} characters; alg ≤ ${maxAlgLength}`;
    if (too.length > 0) return { passed: false, expected, actual: too.join('; '), message: `The client assertion exceeds size limits: ${too.join('; ')}.` };
    return { passed: true, expected, actual: 'within limits' };
  },
};

/** PKJ-6: alg is one the profile accepts, and the one registered with the credential. */
const ALG: Rule = {
  id: 'PKJ-6',
  summary: "The client assertion's alg is RS256, RS384 or PS256 (per profile) and equals the alg registered with the credential.",
  fix: 'Sign with the alg the private_key_jwt credential was registered with.',
  source: 'Auth0 private_key_jwt docs (A7, A8); RFC 8725 §3.1',
  wire,
  evaluate({ header, profile, credentialAlgs }) {
    const alg = get(header, 'alg');
    // None, HMAC and a missing alg belong to JWT-2.
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || /^hs/i.test(alg)) return null;
    const allowed = profileOf(profile).clientAssertion.algs;
    if (!allowed.includes(alg)) {
      return {
        passed: false,
        expected: oneOf(allowed),
        actual: brief(alg),
        message: `The client assertion's alg ${brief(alg)} is not accepted; use ${oneOf(allowed)}.`,
      };
    }
    if (credentialAlgs !== undefined && credentialAlgs.length > 0 && !credentialAlgs.includes(alg)) {
      return {
        passed: false,
        expected: `the credential's alg: ${oneOf(credentialAlgs)}`,
        actual: alg,
        message: `The client assertion is signed with ${alg}, but the credential is registered for ${oneOf(credentialAlgs)}.`,
      };
    }
    return { passed: true, expected: credentialAlgs?.length ? oneOf(credentialAlgs) : oneOf(allowed), actual: alg };
  },
};

/** PKJ-7: iss and sub are both present and equal (both are the client_id). */
const ISS_SUB: Rule = {
  id: 'PKJ-7',
  summary: "The client assertion's iss and sub are both the client's client_id.",
  fix: "Set both iss and sub to your application's client_id.",
  source: 'RFC 7523 §3 items 1–2; OIDC Core §9; Auth0 private_key_jwt docs (A7)',
  wire,
  evaluate({ payload }) {
    const expected = 'iss = sub = client_id';
    const missing = (['iss', 'sub'] as const).filter((name) => !has(payload, name));
    if (missing.length > 0)
      return { passed: false, expected, actual: `${missing.join(' and ')} absent`, message: `The client assertion has no ${missing.join(' and ')} claim.` };
    const iss = get(payload, 'iss');
    const sub = get(payload, 'sub');
    if (typeof iss !== 'string' || typeof sub !== 'string') return null;
    if (iss !== sub)
      return {
        passed: false,
        expected,
        actual: `iss = ${brief(iss)}, sub = ${brief(sub)}`,
        message: `The client assertion's iss "${brief(iss)}" differs from its sub "${brief(sub)}"; both must be the client_id.`,
      };
    return { passed: true, expected, actual: `iss = sub = ${iss}` };
  },
};

/** PKJ-3: a client_id form parameter, when sent, equals sub. */
const CLIENT_ID_PARAM: Rule = {
  id: 'PKJ-3',
  summary: "A client_id sent alongside the assertion equals the assertion's sub.",
  fix: "Send the same client_id in the form as in the assertion's sub, or omit it.",
  source: 'RFC 7521 §4.2',
  wire,
  evaluate({ payload, clientIdParam }) {
    if (clientIdParam === undefined) return null;
    const sub = getString(payload, 'sub');
    if (sub === undefined) return null;
    if (sub !== clientIdParam)
      return {
        passed: false,
        expected: clientIdParam,
        actual: sub,
        message: `The client_id parameter "${brief(clientIdParam)}" differs from the assertion's sub "${brief(sub)}".`,
      };
    return { passed: true, expected: clientIdParam, actual: sub };
  },
};

/** PKJ-8: aud identifies this server, per the audience policy. */
const AUD: Rule = {
  id: 'PKJ-8',
  summary: "The client assertion's aud identifies this server: its issuer (with trailing slash), or per profile the token endpoint or the receiving endpoint.",
  fix: 'Set aud to the issuer exactly as discovery publishes it, e.g. https://TENANT/ (note the trailing slash).',
  source: 'RFC 7523 §3 item 3; RFC 9126 §2; Auth0 private_key_jwt docs (A7); FAPI compliance (A13)',
  wire,
  evaluate({ payload, issuer, tokenEndpoint, endpointUrl, profile, audienceStyle }) {
    const policy = AUDIENCE_STYLES[audienceStyle ?? profileOf(profile).clientAssertion.audience];
    const accepted = [
      ...new Set([...(policy.issuer ? [issuer] : []), ...(policy.tokenEndpoint ? [tokenEndpoint] : []), ...(policy.receivingEndpoint ? [endpointUrl] : [])]),
    ];
    const expected = `${oneOf(accepted)}${policy.array ? ' (or an array containing one)' : ' (a single string)'}`;
    if (!has(payload, 'aud')) return { passed: false, expected, actual: '(absent)', message: 'The client assertion has no aud claim.' };
    const aud = get(payload, 'aud');
    if (typeof aud === 'string') {
      if (accepted.includes(aud)) return { passed: true, expected, actual: aud };
      const slash = accepted.some((a) => a.endsWith('/') && a.slice(0, -1) === aud);
      return {
        passed: false,
        expected,
        actual: brief(aud),
        message: slash
          ? `The client assertion's aud "${aud}" lacks the trailing slash: use "${aud}/".`
          : `The client assertion's aud "${brief(aud)}" does not identify this server.`,
      };
    }
    if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return null;
    if (!policy.array)
      return {
        passed: false,
        expected,
        actual: brief(aud),
        message: "This profile requires the client assertion's aud to be a single string (the issuer), not an array.",
      };
    if (aud.some((a) => accepted.includes(a))) return { passed: true, expected, actual: brief(aud) };
    return { passed: false, expected, actual: brief(aud), message: "No member of the client assertion's aud array identifies this server." };
  },
};

/** PKJ-9: exp is present and not in the past. */
const EXP: Rule = {
  id: 'PKJ-9',
  summary: 'The client assertion has an exp claim in the future.',
  fix: 'Add exp a minute or two ahead of now (at most 5 minutes after iat).',
  source: 'RFC 7523 §3 item 4; OIDC Core §9',
  wire,
  evaluate({ payload, now, profile }) {
    const skew = profileOf(profile).skewSeconds;
    const expected = `exp > now − ${skew} s (now = ${now})`;
    if (!has(payload, 'exp')) return { passed: false, expected, actual: '(absent)', message: 'The client assertion has no exp claim; it is required.' };
    const exp = get(payload, 'exp');
    if (!isNumericDate(exp)) return null;
    if (exp + skew <= now) return { passed: false, expected, actual: `exp = ${exp}`, message: `The client assertion expired ${seconds(now - exp)} ago.` };
    return { passed: true, expected, actual: `exp = ${exp}` };
  },
};

/** PKJ-10: at most five minutes between iat (or now) and exp. */
const LIFETIME: Rule = {
  id: 'PKJ-10',
  summary: 'The client assertion lives at most 5 minutes: exp − iat ≤ 300 s (exp − now when there is no iat).',
  fix: 'Set exp at most 5 minutes after iat.',
  source: 'Auth0 private_key_jwt docs (A7); Auth0 support (A20)',
  wire,
  evaluate({ payload, now, profile }) {
    const { skewSeconds: skew, clientAssertion } = profileOf(profile);
    const max = clientAssertion.maxLifetimeSeconds;
    const exp = get(payload, 'exp');
    if (!isNumericDate(exp)) return null;
    const iat = get(payload, 'iat');
    const minutes = `${max / 60} minute${max === 60 ? '' : 's'}`;
    if (isNumericDate(iat)) {
      const expected = `exp − iat ≤ ${max} s`;
      if (exp - iat > max)
        return {
          passed: false,
          expected,
          actual: `exp − iat = ${exp - iat} s`,
          message: `'exp' claim must specify a time that is no more than ${minutes} after 'iat'`,
        };
      return { passed: true, expected, actual: `exp − iat = ${exp - iat} s` };
    }
    const expected = `exp − now ≤ ${max + skew} s (no iat)`;
    if (exp - now > max + skew)
      return {
        passed: false,
        expected,
        actual: `exp − now = ${exp - now} s`,
        message: `'exp' claim must specify a time that is no more than ${minutes} from now (the assertion has no 'iat')`,
      };
    return { passed: true, expected, actual: `exp − now = ${exp - now} s` };
  },
};

/** PKJ-11: nbf, when present, is at most the skew in the future (iat: JWT-9). */
const NBF: Rule = {
  id: 'PKJ-11',
  summary: "The client assertion's nbf, when present, is not more than 10 s in the future.",
  fix: "Set nbf (or omit it) from a synchronised clock; check the server's simulated clock offset in Settings.",
  source: 'Auth0 private_key_jwt docs (A7)',
  wire,
  evaluate({ payload, now, profile }) {
    const nbf = get(payload, 'nbf');
    if (!isNumericDate(nbf)) return null;
    const skew = profileOf(profile).skewSeconds;
    const expected = `nbf ≤ now + ${skew} s (now = ${now})`;
    if (nbf > now + skew)
      return { passed: false, expected, actual: `nbf = ${nbf}`, message: `The client assertion is not valid for another ${seconds(nbf - now)} (nbf).` };
    return { passed: true, expected, actual: `nbf = ${nbf}` };
  },
};

/** PKJ-12 (claim part): jti is present; the server then remembers it (replay). */
const JTI: Rule = {
  id: 'PKJ-12',
  summary: 'The client assertion has a jti, and each jti is used only once.',
  fix: 'Add a fresh random jti (e.g. a UUID) to every assertion.',
  source: 'Auth0 private_key_jwt docs (A7); OIDC Core §9; RFC 7523 §3 item 7',
  wire,
  evaluate({ payload }) {
    if (!has(payload, 'jti'))
      return { passed: false, expected: 'a unique jti', actual: '(absent)', message: 'The client assertion has no jti claim; it is required.' };
    const jti = get(payload, 'jti');
    if (typeof jti !== 'string') return null;
    if (jti === '') return { passed: false, expected: 'a unique jti', actual: '(empty)', message: "The client assertion's jti is empty." };
    return { passed: true, expected: 'a unique jti', actual: brief(jti) };
  },
};

/** Every claim- and header-level client-assertion rule, in the order the server applies them. */
export const CLIENT_ASSERTION_RULES: readonly Rule[] = [
  SIZES,
  algFamilyRule<ClientAssertionContext>('client assertion', wire),
  ALG,
  critRule<ClientAssertionContext>('client assertion', wire),
  headerKeysRule<ClientAssertionContext>('client assertion', wire),
  numericDatesRule<ClientAssertionContext>('client assertion', wire),
  claimTypesRule<ClientAssertionContext>('client assertion', wire),
  ISS_SUB,
  CLIENT_ID_PARAM,
  AUD,
  EXP,
  LIFETIME,
  NBF,
  issuedAtSkewRule<ClientAssertionContext>('client assertion', wire),
  JTI,
];
