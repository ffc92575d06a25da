/**
 * The request-object (JAR, RFC 9101) rules that need only the decoded header and payload: the server
 * applies them in this order at /authorize and /oauth/par, and the composer lints drafts with them.
 * Key selection (JWT-10, JAR-7), the signature (JAR-8) and replay (JAR-14's switch) need the client's
 * credentials and live in the server's check (electron/core/server/checks/request-object.ts).
 */
import type { RuleDef, WireFailure } from '../rule';
import type { RequestObjectContext } from '../contexts';
import { profileOf } from '../profiles';
import { brief, get, getString, has, isNumericDate, oneOf, seconds, typeName, utf8Length } from './claim-values';
import { algFamilyRule, claimTypesRule, critRule, headerKeysRule, issuedAtSkewRule, numericDatesRule } from './jwt-common';

type Rule = RuleDef<RequestObjectContext>;

/** A 400 `invalid_request_object` with the spec's suggested description. */
function wire(description: string): WireFailure {
  return { status: 400, error: 'invalid_request_object', description };
}

/** JAR-5: alg is one the profile accepts, and the one registered with the credential. */
const ALG: Rule = {
  id: 'JAR-5',
  summary: "The request object's alg is RS256, RS384 or PS256 (per profile) and equals the alg registered with the credential.",
  fix: 'Sign with the alg the JAR credential was registered with (Auth0 accepts RS256, RS384 and PS256).',
  source: 'Auth0 JAR docs (A1); Application credentials (A10); RFC 8725 §3.1',
  wire: wire('unsupported request object signing algorithm'),
  evaluate({ header, profile, credentialAlgs }) {
    const alg = get(header, 'alg');
    // None, HMAC and a missing alg belong to JWT-2.
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || /^hs/i.test(alg)) return null;
    const allowed = profileOf(profile).requestObject.algs;
    if (!allowed.includes(alg)) {
      return { passed: false, expected: oneOf(allowed), actual: alg, message: `The request object's alg ${alg} is not accepted; use ${oneOf(allowed)}.` };
    }
    if (credentialAlgs !== undefined && credentialAlgs.length > 0 && !credentialAlgs.includes(alg)) {
      return {
        passed: false,
        expected: `the credential's alg: ${oneOf(credentialAlgs)}`,
        actual: alg,
        message: `The request object is signed with ${alg}, but the credential is registered for ${oneOf(credentialAlgs)}.`,
      };
    }
    return { passed: true, expected: credentialAlgs?.length ? oneOf(credentialAlgs.filter((a) => allowed.includes(a))) : oneOf(allowed), actual: alg };
  },
};

/** `typ` normalized: media types are case-insensitive and `application/` is implied (RFC 7515 §4.1.9). */
function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * JAR-6: typ is `jwt` or `oauth-authz-req+jwt` (strict: only the latter). A missing typ is refused where
 * the profile requires one, and passes with the profile's note in the Auth0 profile (profiles.ts).
 */
const TYP: Rule = {
  id: 'JAR-6',
  summary: 'The request object\'s header has typ "jwt" or "oauth-authz-req+jwt" (the Auth0 profile also accepts none).',
  fix: 'Add "typ": "oauth-authz-req+jwt" to the header.',
  source: 'Auth0 JAR docs (A1); RFC 9101 §4, §10.8',
  wire: wire('invalid typ header'),
  evaluate({ header, profile }) {
    const policy = profileOf(profile).requestObject;
    const expected = oneOf(policy.typs.map((t) => `"${t}"`));
    if (!has(header, 'typ')) {
      if (policy.typRequired) return { passed: false, expected, actual: '(absent)', message: "The request object's header has no typ; it is required." };
      return policy.missingTypNote === undefined ? null : { passed: true, expected, actual: '(absent)', note: policy.missingTypNote };
    }
    const typ = get(header, 'typ');
    if (typeof typ !== 'string' || !policy.typs.includes(normalizeTyp(typ))) {
      return { passed: false, expected, actual: brief(typ), message: `The request object's typ ${brief(typ)} is not accepted; use ${expected}.` };
    }
    return { passed: true, expected, actual: typ };
  },
};

/** JAR-10: iss is the client's client_id. */
const ISS: Rule = {
  id: 'JAR-10',
  summary: "The request object's iss is the client's client_id.",
  fix: "Set iss to your application's client_id.",
  source: 'Auth0 JAR docs (A1)',
  wire: wire('invalid iss claim'),
  evaluate({ payload, clientId }) {
    if (!has(payload, 'iss'))
      return { passed: false, expected: clientId, actual: '(absent)', message: 'The request object has no iss claim; it must be the client_id.' };
    const iss = get(payload, 'iss');
    if (typeof iss !== 'string') return null;
    if (iss !== clientId)
      return { passed: false, expected: clientId, actual: iss, message: `The request object's iss "${brief(iss)}" is not the client_id "${clientId}".` };
    return { passed: true, expected: clientId, actual: iss };
  },
};

/** JAR-11: aud is the issuer with its trailing slash (an array containing it, except in strict profiles). */
const AUD: Rule = {
  id: 'JAR-11',
  summary: "The request object's aud is the tenant's issuer, with scheme and trailing slash.",
  fix: 'Set aud to the issuer exactly as discovery publishes it, e.g. https://TENANT/ (note the trailing slash).',
  source: 'Auth0 JAR docs (A1); RFC 9101 §4',
  wire: wire('invalid aud claim'),
  evaluate({ payload, issuer, profile }) {
    const arrays = profileOf(profile).requestObject.audArray;
    const expected = arrays ? `${issuer} (or an array containing it)` : `${issuer} (a single string)`;
    if (!has(payload, 'aud')) return { passed: false, expected, actual: '(absent)', message: `The request object has no aud claim; it must be ${issuer}.` };
    const aud = get(payload, 'aud');
    if (typeof aud === 'string') {
      if (aud === issuer) return { passed: true, expected, actual: aud };
      const slash = issuer.endsWith('/') && aud === issuer.slice(0, -1);
      return {
        passed: false,
        expected,
        actual: aud,
        message: slash
          ? `The request object's aud "${aud}" lacks the issuer's trailing slash: use "${issuer}".`
          : `The request object's aud "${brief(aud)}" is not this server's issuer "${issuer}".`,
      };
    }
    if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return null;
    if (!arrays)
      return {
        passed: false,
        expected,
        actual: brief(aud),
        message: `In the ${profileOf(profile).label} profile the request object's aud must be the single string "${issuer}", not an array.`,
      };
    if (aud.includes(issuer)) return { passed: true, expected, actual: brief(aud) };
    return { passed: false, expected, actual: brief(aud), message: `The request object's aud array does not contain this server's issuer "${issuer}".` };
  },
};

/** JAR-12: client_id and response_type are inside the object. */
const REQUIRED: Rule = {
  id: 'JAR-12',
  summary: 'The request object contains the client_id and response_type claims.',
  fix: 'Put client_id and response_type (e.g. "code") inside the request object, not only in the query.',
  source: 'Auth0 JAR docs (A1); RFC 9101 §4',
  wire: wire('missing client_id/response_type claim'),
  evaluate({ payload }) {
    const missing = (['client_id', 'response_type'] as const).filter((name) => typeof get(payload, name) !== 'string');
    const expected = 'client_id and response_type as strings';
    if (missing.length > 0) {
      const actual = missing.map((name) => `${name} ${has(payload, name) ? `is ${typeName(get(payload, name))}` : 'absent'}`).join('; ');
      return {
        passed: false,
        expected,
        actual,
        message: `The request object lacks ${missing.join(' and ')} (as ${missing.length === 1 ? 'a string' : 'strings'}).`,
      };
    }
    return { passed: true, expected, actual: `client_id: ${brief(get(payload, 'client_id'))}, response_type: ${brief(get(payload, 'response_type'))}` };
  },
};

/** JAR-2: at /authorize, the query's client_id equals the object's. */
const QUERY_CLIENT_ID: Rule = {
  id: 'JAR-2',
  summary: "The client_id in the query equals the request object's client_id.",
  fix: 'Send the same client_id in the query string and inside the request object.',
  source: 'RFC 9101 §5, §6.3; Auth0 JAR docs (A1)',
  wire: wire('client_id mismatch'),
  evaluate({ payload, outerParams, clientId, endpoint }) {
    if (endpoint !== 'authorize') return null;
    const inner = getString(payload, 'client_id');
    if (inner === undefined) return null;
    const outer = outerParams?.client_id ?? clientId;
    if (inner !== outer)
      return {
        passed: false,
        expected: outer,
        actual: inner,
        message: `The request object's client_id "${brief(inner)}" differs from the query's client_id "${outer}".`,
      };
    return { passed: true, expected: outer, actual: inner };
  },
};

/** PAR-11: at /oauth/par, the object's client_id is the authenticated client. */
const PAR_CLIENT_ID: Rule = {
  id: 'PAR-11',
  summary: "At the PAR endpoint, the request object's client_id is the client that authenticated.",
  fix: "Authenticate as the client named in the request object's client_id.",
  source: 'RFC 9126 §3',
  wire: wire('request client_id must equal the authenticated client'),
  evaluate({ payload, clientId, endpoint }) {
    if (endpoint !== 'par') return null;
    const inner = getString(payload, 'client_id');
    if (inner === undefined) return null;
    if (inner !== clientId)
      return {
        passed: false,
        expected: clientId,
        actual: inner,
        message: `The request object's client_id "${brief(inner)}" is not the authenticated client "${clientId}".`,
      };
    return { passed: true, expected: clientId, actual: inner };
  },
};

/** JAR-13: nbf is not in the future and exp is not in the past (both with the skew). */
const VALIDITY: Rule = {
  id: 'JAR-13',
  summary: 'The request object is valid now: nbf is not in the future and exp is in the future.',
  fix: 'Create the request object just before sending it, with exp a few minutes ahead.',
  source: 'Auth0 JAR docs (A1); RFC 7519 §4.1.4–4.1.5',
  wire: wire('request object expired / not yet valid'),
  evaluate({ payload, now, profile }) {
    const { skewSeconds: skew, requestObject: policy } = profileOf(profile);
    const exp = get(payload, 'exp');
    const nbf = get(payload, 'nbf');
    const expected = `nbf ≤ now + ${skew} s, exp > now − ${skew} s${policy.expRequired ? ', exp required' : ''} (now = ${now})`;
    const actual = `nbf = ${brief(nbf)}, exp = ${brief(exp)}`;
    if (!has(payload, 'exp') && policy.expRequired)
      return { passed: false, expected, actual, message: `The ${profileOf(profile).label} profile requires an exp claim in the request object.` };
    if (isNumericDate(exp) && exp + skew <= now) return { passed: false, expected, actual, message: `The request object expired ${seconds(now - exp)} ago.` };
    if (isNumericDate(nbf) && nbf > now + skew)
      return { passed: false, expected, actual, message: `The request object is not valid for another ${seconds(nbf - now)} (nbf).` };
    if (!isNumericDate(exp) && !isNumericDate(nbf)) return null;
    return { passed: true, expected, actual };
  },
};

/** JAR-20: FAPI profiles bound nbf's age and exp − nbf. */
const FAPI_TIMES: Rule = {
  id: 'JAR-20',
  summary: 'In FAPI profiles the request object has nbf at most 60 minutes old and exp at most 60 minutes after nbf.',
  fix: 'Add nbf (now) and exp (at most 60 minutes later) to the request object.',
  source: 'Auth0 FAPI compliance (A13); FAPI 1 Advanced §5.2.2; FAPI 2.0 Message Signing',
  wire: wire('request object nbf/exp outside the FAPI limits'),
  evaluate({ payload, now, profile }) {
    const limits = profileOf(profile).requestObject.fapiTimeLimits;
    if (limits === null) return null;
    const nbf = get(payload, 'nbf');
    const exp = get(payload, 'exp');
    const expected = `nbf ≥ now − ${limits.nbfMaxAgeSeconds} s; exp − nbf ≤ ${limits.maxLifetimeSeconds} s`;
    const actual = `nbf = ${brief(nbf)}, exp = ${brief(exp)}`;
    if (!isNumericDate(nbf) || !isNumericDate(exp))
      return { passed: false, expected, actual, message: 'FAPI requires both nbf and exp (as numbers) in the request object.' };
    if (now - nbf > limits.nbfMaxAgeSeconds)
      return {
        passed: false,
        expected,
        actual,
        message: `The request object's nbf is ${seconds(now - nbf)} old; FAPI allows ${seconds(limits.nbfMaxAgeSeconds)}.`,
      };
    if (exp - nbf > limits.maxLifetimeSeconds)
      return {
        passed: false,
        expected,
        actual,
        message: `The request object is valid for ${seconds(exp - nbf)} after nbf; FAPI allows ${seconds(limits.maxLifetimeSeconds)}.`,
      };
    return { passed: true, expected, actual };
  },
};

/** JAR-14: jti, when present, is at most 64 bytes. */
const JTI: Rule = {
  id: 'JAR-14',
  summary: "The request object's jti, when present, is a string of at most 64 bytes.",
  fix: 'Use a shorter jti, e.g. a UUID or 16 random bytes in base64url.',
  source: 'Auth0 JAR docs (A1)',
  wire: wire('invalid jti claim'),
  evaluate({ payload, profile }) {
    const required = profileOf(profile).requestObject.jtiRequired;
    const expected = `${required ? 'a' : 'an optional'} string of ≤ 64 bytes`;
    if (!has(payload, 'jti'))
      return required ? { passed: false, expected, actual: '(absent)', message: 'This profile requires a jti claim in the request object.' } : null;
    const jti = get(payload, 'jti');
    if (typeof jti !== 'string') return null;
    const bytes = utf8Length(jti);
    if (bytes > 64)
      return { passed: false, expected, actual: `${bytes} bytes`, message: `The request object's jti is ${bytes} bytes long; at most 64 are allowed.` };
    return { passed: true, expected, actual: `${bytes} bytes` };
  },
};

/** JAR-15: no request or request_uri inside the object. */
const NO_NESTING: Rule = {
  id: 'JAR-15',
  summary: 'The request object does not contain request or request_uri claims.',
  fix: 'Remove request and request_uri from inside the request object: objects cannot be nested.',
  source: 'RFC 9101 §4, §10.7; OIDC Core §6.1',
  wire: wire('request object must not contain request or request_uri'),
  evaluate({ payload }) {
    const nested = (['request', 'request_uri'] as const).filter((name) => has(payload, name));
    if (nested.length > 0)
      return {
        passed: false,
        expected: 'no request, no request_uri',
        actual: nested.join(', '),
        message: `The request object contains ${nested.join(' and ')}; request objects cannot be nested.`,
      };
    return { passed: true, expected: 'no request, no request_uri', actual: '(absent)' };
  },
};

/** JAR-17: a response_type in both query and object must match in strict profiles. */
const RESPONSE_TYPE_MATCH: Rule = {
  id: 'JAR-17',
  summary: 'A response_type sent both in the query and in the request object has the same value.',
  fix: 'Send the same response_type in both places, or only inside the request object.',
  source: "OIDC Core §6.1; Auth0 JAR docs (A1: the object's value wins)",
  wire: wire('response_type mismatch'),
  evaluate({ payload, outerParams, profile }) {
    const outer = outerParams?.response_type;
    const inner = getString(payload, 'response_type');
    if (outer === undefined || inner === undefined) return null;
    if (outer === inner) return { passed: true, expected: inner, actual: outer };
    if (profileOf(profile).requestObject.responseTypeMismatch === 'reject') {
      return {
        passed: false,
        expected: inner,
        actual: outer,
        message: `The query's response_type "${brief(outer)}" differs from the request object's "${brief(inner)}".`,
      };
    }
    return { passed: true, expected: inner, actual: `${outer} (query, ignored: the request object's value wins)` };
  },
};

const PARSE = wire('could not parse request object');

/** Every claim- and header-level request-object rule, in the order the server applies them. */
export const REQUEST_OBJECT_RULES: readonly Rule[] = [
  algFamilyRule<RequestObjectContext>('request object', PARSE),
  ALG,
  TYP,
  critRule<RequestObjectContext>('request object', wire('request object has unsupported critical header parameters')),
  headerKeysRule<RequestObjectContext>('request object', wire('could not validate request object')),
  numericDatesRule<RequestObjectContext>('request object', wire('request object has invalid time claims')),
  claimTypesRule<RequestObjectContext>('request object', wire('request object has invalid claim types')),
  ISS,
  AUD,
  REQUIRED,
  QUERY_CLIENT_ID,
  PAR_CLIENT_ID,
  issuedAtSkewRule<RequestObjectContext>('request object', wire('request object issued in the future')),
  VALIDITY,
  FAPI_TIMES,
  JTI,
  NO_NESTING,
  RESPONSE_TYPE_MATCH,
];
