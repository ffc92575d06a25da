/**
 * DPoP proof validation (RFC 9449; ../shared/spec/dpop-rules.md §3 DPP, §5 DPN, the proof-side DPB
 * binding checks) as RuleDefs over one context, in the order DPP-14 fixes: shape → header, key and
 * signature → claim types → htm → htu → iat → nonce → ath → binding → replay. The embedded server stops
 * at the first failure and answers its wire error; Compose's lint and `parley lint` list every outcome.
 *
 * Everything asynchronous (the signature, the thumbprint, `ath`) is done once by `buildDpopProofContext`,
 * so that every rule is a pure function of plain data. The context never holds the access token itself,
 * only its hash: contexts are kept with traces, and a proof is not a secret (ED-4) but a token is.
 */
import type { JwtDecodeError } from '../decode';
import { decodeCompactJwt, JwtDecodeError as DecodeError } from '../decode';
import type { JsonObject } from '../contexts';
import type { ProfileId } from '../profiles';
import type { RuleDef, RuleOutcome, WireFailure } from '../rule';
import { evaluateRule, toOutcome } from '../rule';
import { compareHtu } from '../dpop-htu';
import type { HtuComparison } from '../dpop-htu';
import type { ProofSignature } from '../dpop-keys';
import { accessTokenHash, algKeyMismatch, describeJwk, isJktFormat, jwkThumbprint, publicJwkProblem, publicMembers, verifyProofSignature } from '../dpop-keys';
import { brief, charLength, get, getString, has, isNumericDate, oneOf, seconds, typeName } from './claim-values';

/** Where the proof arrived: the authorization server's endpoints (ED-1) or a resource (ED-2). */
export type DpopEndpoint = 'token' | 'par' | 'userinfo';

/** What a binding check compares the proof key with (DPB-6, DPB-7, DPB-9, DPB-12). */
export type DpopBindingKind = 'par' | 'code' | 'refresh' | 'access-token';

/** The DPoP policy of a profile: allow-list, `iat` window and size limits (DPP-2, DPP-4, DPP-7, DPP-10). */
export interface DpopPolicy {
  /** Which policy this is, for traces and messages. */
  id: 'auth0' | 'standards' | 'fapi';
  /** DPP-4: accepted proof algs (never none or HS*). */
  algs: readonly string[];
  /** DPP-10: how old `iat` may be. */
  pastSeconds: number;
  /** DPP-10: how far in the future `iat` may be (clock skew). */
  futureSeconds: number;
  /** DPP-2: the largest proof accepted, checked before decoding. */
  maxBytes: number;
  /** DPP-7: the longest `jti`, in characters. */
  maxJtiLength: number;
}

const EIGHT_KB = 8 * 1024;

/**
 * The DPoP policies (DPP-4, DPP-10, §7). Auth0 mode: ES256 and RS256 (the two algs Auth0 names; every Auth0
 * SDK signs ES256), −300 s / +30 s (the window of Auth0's own resource-server SDKs). Standards mode adds
 * every asymmetric JWS alg. FAPI (the server's strict profile and the FAPI levels): PS256, ES256, EdDSA,
 * 60 s past and 10 s future — §7 accepts 0–10 s and must refuse beyond 60 s; Parley takes the strict end.
 */
export const DPOP_POLICIES: Readonly<Record<DpopPolicy['id'], DpopPolicy>> = {
  auth0: { id: 'auth0', algs: ['ES256', 'RS256'], pastSeconds: 300, futureSeconds: 30, maxBytes: EIGHT_KB, maxJtiLength: 256 },
  standards: {
    id: 'standards',
    algs: ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'],
    pastSeconds: 300,
    futureSeconds: 30,
    maxBytes: EIGHT_KB,
    maxJtiLength: 256,
  },
  fapi: { id: 'fapi', algs: ['PS256', 'ES256', 'EdDSA'], pastSeconds: 60, futureSeconds: 10, maxBytes: EIGHT_KB, maxJtiLength: 256 },
};

/** The DPoP policy of a JWT profile: Auth0's, FAPI for strict and the FAPI levels, standards for Okta. */
export function dpopPolicyFor(profile: ProfileId | undefined): DpopPolicy {
  if (profile === 'strict' || profile === 'fapi1' || profile === 'fapi2') return DPOP_POLICIES.fapi;
  if (profile === 'okta') return DPOP_POLICIES.standards;
  return DPOP_POLICIES.auth0;
}

/** The server's nonce expectation (DPN-1, DPN-4, DPN-6, DPN-8). */
export interface DpopNonceExpectation {
  /** The client is under the nonce policy: a proof without `nonce` is refused (DPN-1, DPN-6). */
  required: boolean;
  /** The nonces the server accepts now (stateless: the current time steps, DPN-5). */
  accepted: readonly string[];
  /** Nonces this server issued that are no longer accepted (to say "expired" rather than "unknown"). */
  expired?: readonly string[];
}

/** Everything the DPoP proof rules look at. */
export interface DpopProofContext {
  endpoint: DpopEndpoint;
  /** DPP-1: how many `DPoP` header fields arrived. */
  fieldCount: number;
  /** DPP-1: whether the (first) value holds several comma-joined JWTs. */
  commaJoined: boolean;
  /** DPP-2: the decoding outcome. */
  decodeError?: JwtDecodeError;
  /** DPP-2: the signature part is empty. */
  emptySignature?: boolean;
  /** The proof's size in bytes (when it decoded). */
  bytes?: number;
  /** The decoded header and payload (untrusted), when DPP-1 and DPP-2 passed. */
  header?: JsonObject;
  payload?: JsonObject;
  /** DPP-6: the signature check; absent when DPP-3..5 failed, so that no key was imported. */
  signature?: ProofSignature;
  /** The RFC 7638 thumbprint of the proof's jwk, when it is a public key (binding, replay key). */
  thumbprint?: string;
  /** DPP-8: the request's method as received. */
  method: string;
  /** DPP-9: the URL the server computed (public base URL + route path; never from `Host`, X-D24). */
  url: string;
  /** The verifier's now, in seconds (clock offset applied). */
  now: number;
  policy: DpopPolicy;
  /** DPN: absent when the nonce is not judged (the lint without a server nonce). */
  nonce?: DpopNonceExpectation;
  /** DPP-13: `ath` of the access token sent with the request (its SHA-256, never the token). */
  ath?: string;
  /** DPB-6/7/9/12: the thumbprint the grant, request or token is bound to. */
  binding?: { kind: DpopBindingKind; jkt: string };
  /** DPP-11: whether (thumbprint, jti) was already seen; absent when there is no replay store (the lint). */
  replayed?: boolean;
}

/** A DPoP rule: a RuleDef with its error at a resource (ED-2) and whether its failure carries a new nonce. */
export interface DpopRuleDef extends RuleDef<DpopProofContext> {
  /** The error at `/userinfo` (ED-2): 401 with a `DPoP` challenge. */
  readonly resourceWire: WireFailure;
  /** DPN-1, DPN-4: the failure response carries a fresh `DPoP-Nonce`. */
  readonly sendsNonce?: boolean;
  /** A description naming the failed check more precisely than `wire.description` (DPP-7: which claim). */
  wireDescription?(ctx: DpopProofContext): string | undefined;
}

/** 400 `invalid_dpop_proof` at the token and PAR endpoints (ED-1). */
function proofWire(description: string): WireFailure {
  return { status: 400, error: 'invalid_dpop_proof', description };
}

/** 401 `invalid_dpop_proof` at `/userinfo` (ED-2). */
function resourceWire(wire: WireFailure): WireFailure {
  return { ...wire, status: 401 };
}

type Rule = DpopRuleDef;

/** The decoded parts, when the proof decoded (rules after DPP-2 do not apply otherwise). */
function parts(ctx: DpopProofContext): { header: JsonObject; payload: JsonObject } | undefined {
  return ctx.header !== undefined && ctx.payload !== undefined ? { header: ctx.header, payload: ctx.payload } : undefined;
}

const TYP = 'dpop+jwt';

/** RFC 7515 §4.1.9: compared case-insensitively, with an optional `application/` prefix. */
function typMatches(typ: string): boolean {
  const lower = typ.toLowerCase();
  return lower === TYP || lower === `application/${TYP}`;
}

const MULTIPLE: Rule = {
  id: 'DPP-1',
  summary: 'The request carries at most one DPoP header field holding one proof.',
  fix: 'Send exactly one DPoP header with one proof; check that no proxy or HTTP client adds or joins a second one.',
  source: 'RFC 9449 §4.1, §4.3 step 1; dpop-rules.md DPP-1',
  wire: proofWire('multiple DPoP proofs are not allowed'),
  resourceWire: resourceWire(proofWire('multiple DPoP proofs are not allowed')),
  evaluate({ fieldCount, commaJoined }) {
    const expected = 'one DPoP header field with one proof';
    if (fieldCount > 1)
      return {
        passed: false,
        expected,
        actual: `${fieldCount} DPoP header fields`,
        message: `The request carries ${fieldCount} DPoP header fields; only one proof is allowed.`,
      };
    if (commaJoined)
      return {
        passed: false,
        expected,
        actual: 'several proofs joined by a comma',
        message: 'The DPoP header holds several proofs joined by a comma (as a proxy joins repeated headers); only one proof is allowed.',
      };
    return { passed: true, expected, actual: 'one proof' };
  },
};

const SHAPE: Rule = {
  id: 'DPP-2',
  summary: 'The DPoP proof is one compact JWS (three base64url parts, JSON object header and payload, a non-empty signature) of at most 8 KB.',
  fix: 'Send the proof as a signed compact JWT (header.payload.signature); JSON serialization and encrypted JWTs are not proofs.',
  source: 'RFC 9449 §4.1, §4.3 step 2; server-rules.md JWT-1; dpop-rules.md DPP-2',
  wire: proofWire('DPoP proof is not a well-formed JWT'),
  resourceWire: resourceWire(proofWire('DPoP proof is not a well-formed JWT')),
  evaluate({ fieldCount, commaJoined, decodeError, emptySignature, bytes, policy }) {
    if (fieldCount > 1 || commaJoined) return null;
    const expected = `a compact JWS of at most ${policy.maxBytes} bytes`;
    if (decodeError !== undefined)
      return { passed: false, expected, actual: decodeError.code, message: `The DPoP proof is not a well-formed JWT: ${decodeError.message}.` };
    if (emptySignature)
      return { passed: false, expected, actual: 'empty signature', message: 'The DPoP proof has an empty signature; a proof is always signed.' };
    return { passed: true, expected, actual: bytes === undefined ? 'decoded' : `decoded (${bytes} bytes)` };
  },
};

const TYP_RULE: Rule = {
  id: 'DPP-3',
  summary: "The DPoP proof header's typ is dpop+jwt.",
  fix: 'Set the header\'s typ to "dpop+jwt"; another JWT (ID token, access token, assertion) is never a proof.',
  source: 'RFC 9449 §4.2, §4.3 step 4, §11.5; RFC 7515 §4.1.9',
  wire: proofWire('invalid DPoP proof typ'),
  resourceWire: resourceWire(proofWire('invalid DPoP proof typ')),
  evaluate(ctx) {
    const p = parts(ctx);
    if (!p) return null;
    const typ = get(p.header, 'typ');
    if (typeof typ !== 'string')
      return {
        passed: false,
        expected: TYP,
        actual: has(p.header, 'typ') ? `typ is ${typeName(typ)}` : '(absent)',
        message: 'The DPoP proof header has no typ; it must be "dpop+jwt".',
      };
    if (!typMatches(typ))
      return {
        passed: false,
        expected: TYP,
        actual: brief(typ),
        message: `The DPoP proof header's typ is "${brief(typ)}", not "dpop+jwt": this is another kind of JWT.`,
      };
    if (typ !== TYP)
      return {
        passed: true,
        expected: TYP,
        actual: typ,
        note: `typ "${typ}" is accepted (RFC 7515 compares it case-insensitively, application/ optional), but write it exactly as "dpop+jwt".`,
      };
    return { passed: true, expected: TYP, actual: typ };
  },
};

const ALG: Rule = {
  id: 'DPP-4',
  summary: "The DPoP proof's alg is an asymmetric algorithm on the server's allow-list (never none or HS*) and fits the embedded key.",
  fix: 'Sign the proof with ES256 and an EC P-256 key (what every Auth0 SDK uses), or another alg the server lists.',
  source: 'RFC 9449 §4.2, §4.3 step 5, §11.6; RFC 8725 §3.1; Auth0 DPoP docs (DA1); FAPI 2.0 SP §5.4',
  wire: proofWire('unsupported DPoP proof alg'),
  resourceWire: resourceWire(proofWire('unsupported DPoP proof alg')),
  evaluate(ctx) {
    const p = parts(ctx);
    if (!p) return null;
    const allowed = ctx.policy.algs;
    const expected = `${oneOf(allowed)}, fitting the jwk`;
    const alg = get(p.header, 'alg');
    if (typeof alg !== 'string')
      return {
        passed: false,
        expected,
        actual: has(p.header, 'alg') ? `alg is ${typeName(alg)}` : '(absent)',
        message: 'The DPoP proof header has no string alg.',
      };
    if (alg.toLowerCase() === 'none')
      return { passed: false, expected, actual: alg, message: 'The DPoP proof is unsigned (alg "none"); a proof must be signed with its key.' };
    if (/^hs/i.test(alg))
      return {
        passed: false,
        expected,
        actual: alg,
        message: `The DPoP proof uses the HMAC alg ${alg}; a proof is signed with an asymmetric key whose public half travels in the jwk.`,
      };
    if (!allowed.includes(alg))
      return { passed: false, expected, actual: brief(alg), message: `The DPoP proof's alg ${brief(alg)} is not accepted here; use ${oneOf(allowed)}.` };
    const mismatch = algKeyMismatch(alg, get(p.header, 'jwk'));
    if (mismatch !== undefined)
      return {
        passed: false,
        expected,
        actual: `${alg} with ${describeJwk(get(p.header, 'jwk'))}`,
        message: `The DPoP proof's alg does not fit its key: ${mismatch}.`,
      };
    return { passed: true, expected, actual: alg };
  },
};

const JWK: Rule = {
  id: 'DPP-5',
  summary: 'The DPoP proof header carries its public key as jwk (EC, RSA or OKP; no private members); no other key source is used.',
  fix: "Put the public key only in the header's jwk (kty and the public members); never include d or other private parts.",
  source: 'RFC 9449 §4.2, §4.3 steps 6–7; dpop-rules.md DPP-5',
  wire: proofWire('DPoP proof jwk must be a public key'),
  resourceWire: resourceWire(proofWire('DPoP proof jwk must be a public key')),
  evaluate(ctx) {
    const p = parts(ctx);
    if (!p) return null;
    const jwk = get(p.header, 'jwk');
    const expected = 'a public EC, RSA or OKP jwk';
    const problem = publicJwkProblem(jwk);
    if (problem !== undefined) {
      const message = problem.includes('private')
        ? `The DPoP proof's jwk must be a public key: ${problem}. Treat that private key as leaked.`
        : `The DPoP proof's jwk is not usable: ${problem}.`;
      return { passed: false, expected, actual: problem, message };
    }
    const ignored = [...(has(jwk as JsonObject, 'kid') ? ['jwk.kid'] : []), ...['kid', 'jku', 'x5u', 'x5c'].filter((m) => has(p.header, m))];
    if (ignored.length > 0)
      return {
        passed: true,
        expected,
        actual: describeJwk(jwk),
        note: `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored: only the embedded jwk verifies a proof.`,
      };
    return { passed: true, expected, actual: describeJwk(jwk) };
  },
};

const SIGNATURE: Rule = {
  id: 'DPP-6',
  summary: "The DPoP proof's signature verifies with its embedded jwk, and the header has no unknown crit.",
  fix: "Sign the proof with the private key whose public half is in the header's jwk.",
  source: 'RFC 9449 §4.3 step 6; server-rules.md JWT-3',
  wire: proofWire('invalid DPoP proof signature'),
  resourceWire: resourceWire(proofWire('invalid DPoP proof signature')),
  evaluate(ctx) {
    const expected = 'a signature by the embedded jwk, no crit or b64';
    // JWT-3: no JWS extension is understood here, so any crit (and b64, which jose would honour) is refused.
    const header = ctx.header;
    if (header !== undefined && (has(header, 'crit') || has(header, 'b64'))) {
      const what = [has(header, 'crit') ? `crit: ${brief(get(header, 'crit'))}` : '', has(header, 'b64') ? `b64: ${brief(get(header, 'b64'))}` : '']
        .filter(Boolean)
        .join(', ');
      return {
        passed: false,
        expected,
        actual: what,
        message: `The DPoP proof header uses JWS extensions (${what}); none are understood, so the proof is refused.`,
      };
    }
    const { signature } = ctx;
    if (signature === undefined) return null;
    if (!signature.valid)
      return { passed: false, expected, actual: signature.reason, message: `The DPoP proof's signature is not valid: ${signature.reason}.` };
    return { passed: true, expected, actual: 'verified' };
  },
};

/** The first claim with a wrong type, as the spec's wording names it ("a jti string claim"). */
function claimProblem(payload: JsonObject, maxJti: number): { name: string; description: string; actual: string } | undefined {
  const want = (name: string, type: 'string' | 'number') =>
    `DPoP proof must have ${name === 'iat' || name === 'htm' || name === 'htu' ? 'an' : 'a'} ${name} ${type} claim`;
  const jti = get(payload, 'jti');
  if (typeof jti !== 'string' || jti === '')
    return {
      name: 'jti',
      description: want('jti', 'string'),
      actual: has(payload, 'jti') ? (jti === '' ? 'jti is empty' : `jti is ${typeName(jti)}`) : 'jti absent',
    };
  if (charLength(jti) > maxJti) return { name: 'jti', description: 'DPoP proof jti is too long', actual: `jti is ${charLength(jti)} characters` };
  for (const name of ['htm', 'htu'] as const) {
    if (typeof get(payload, name) !== 'string')
      return { name, description: want(name, 'string'), actual: has(payload, name) ? `${name} is ${typeName(get(payload, name))}` : `${name} absent` };
  }
  if (!isNumericDate(get(payload, 'iat')))
    return { name: 'iat', description: want('iat', 'number'), actual: has(payload, 'iat') ? `iat is ${typeName(get(payload, 'iat'))}` : 'iat absent' };
  for (const name of ['nonce', 'ath'] as const) {
    if (has(payload, name) && typeof get(payload, name) !== 'string')
      return { name, description: `DPoP proof ${name} must be a string`, actual: `${name} is ${typeName(get(payload, name))}` };
  }
  return undefined;
}

const CLAIMS: Rule = {
  id: 'DPP-7',
  summary:
    'The DPoP proof has jti (a non-empty string of at most 256 characters), htm and htu strings and a numeric iat; nonce and ath, when present, are strings.',
  fix: 'Give every proof a fresh random jti (e.g. a UUID), htm, htu and iat as a number of seconds.',
  source: 'RFC 9449 §4.2, §4.3 step 3, §11.1; RFC 7519 §2 (NumericDate); Auth0 DPoP docs (DA1)',
  wire: proofWire('DPoP proof must have a jti string claim'),
  resourceWire: resourceWire(proofWire('DPoP proof must have a jti string claim')),
  wireDescription(ctx) {
    return ctx.payload ? claimProblem(ctx.payload, ctx.policy.maxJtiLength)?.description : undefined;
  },
  evaluate(ctx) {
    const p = parts(ctx);
    if (!p) return null;
    const expected = `jti (1–${ctx.policy.maxJtiLength} characters), htm, htu: strings; iat: number`;
    const problem = claimProblem(p.payload, ctx.policy.maxJtiLength);
    if (problem !== undefined)
      return {
        passed: false,
        expected,
        actual: problem.actual,
        message: `${problem.description.replace(/^DPoP proof/, 'The DPoP proof')} (${problem.actual}).`,
      };
    const iat = get(p.payload, 'iat') as number;
    if (!Number.isInteger(iat))
      return { passed: true, expected, actual: 'types as expected', note: `iat ${iat} is fractional: valid (a NumericDate may be), as in Auth0's own sample.` };
    return { passed: true, expected, actual: 'types as expected' };
  },
};

const HTM: Rule = {
  id: 'DPP-8',
  summary: "The DPoP proof's htm is the request's method, exactly (methods are case-sensitive).",
  fix: 'Set htm to the method exactly as sent, in upper case (POST for /oauth/token and /oauth/par).',
  source: 'RFC 9449 §4.3 step 8; RFC 9110 §9.1',
  wire: proofWire('DPoP proof htm mismatch'),
  resourceWire: resourceWire(proofWire('DPoP proof htm mismatch')),
  evaluate(ctx) {
    const htm = ctx.payload ? getString(ctx.payload, 'htm') : undefined;
    if (htm === undefined) return null;
    if (htm !== ctx.method) {
      const message =
        htm.toUpperCase() === ctx.method
          ? `The DPoP proof's htm "${brief(htm)}" is not "${ctx.method}": methods are case-sensitive.`
          : `The DPoP proof was made for ${brief(htm)}, but the request is a ${ctx.method}.`;
      return { passed: false, expected: ctx.method, actual: brief(htm), message };
    }
    return { passed: true, expected: ctx.method, actual: htm };
  },
};

const PART_WORDS: Record<NonNullable<HtuComparison['differs']>, string> = {
  url: 'it is not an absolute http(s) URL',
  scheme: 'the scheme differs',
  host: 'the host differs',
  port: 'the port differs',
  path: 'the path differs',
  'trailing-slash': 'a trailing slash differs',
};

const CAUSE_WORDS: Record<NonNullable<HtuComparison['cause']>, string> = {
  proxy: 'usually a proxy or load balancer in front of the server: the client built htu from an internal address or scheme',
  'path-prefix': 'usually a path prefix (a mount path or reverse-proxy prefix) present on one side only',
  'default-port': 'usually a default port (80/443) written for the wrong scheme, or a port the public URL does not have',
  'trailing-slash': 'the same path with and without a final "/": trailing slashes are significant',
  'path-case': 'the same path in another letter case: paths are case-sensitive',
  'another-endpoint': 'a proof made for another endpoint (each request needs its own proof)',
  'another-host': 'another host name (e.g. a custom domain against the canonical tenant domain)',
  'not-a-url': 'htu must be the absolute URL of the request',
};

/** The lint's notes on what DPP-9 ignored in the proof's htu. */
function htuNotes(cmp: HtuComparison): string | undefined {
  const notes = cmp.ignored.map((part) =>
    part === 'default-port' ? `the default port ${cmp.actual?.defaultPortWritten ?? ''} is dropped` : `the ${part} is stripped before comparing`,
  );
  return notes.length > 0
    ? `${notes.join('; ')}: accepted, but send htu without ${cmp.ignored.map((p) => (p === 'default-port' ? 'a default port' : `a ${p}`)).join(' or ')}.`
    : undefined;
}

const HTU: Rule = {
  id: 'DPP-9',
  summary: "The DPoP proof's htu is the URL the request was sent to (the server's public URL of this endpoint), ignoring query and fragment.",
  fix: 'Set htu to the exact URL you send the request to — scheme, host, non-default port and path, no query or fragment, no added or removed trailing slash.',
  source: 'RFC 9449 §4.2, §4.3 step 9; RFC 3986 §6.2.2–6.2.3; Auth0 DPoP docs (DA1)',
  wire: proofWire('DPoP proof htu mismatch'),
  resourceWire: resourceWire(proofWire('DPoP proof htu mismatch')),
  evaluate(ctx) {
    const htu = ctx.payload ? getString(ctx.payload, 'htu') : undefined;
    if (htu === undefined) return null;
    const cmp = compareHtu(ctx.url, htu);
    const expected = cmp.expected?.normalised ?? ctx.url;
    const actual = cmp.actual?.normalised ?? brief(htu);
    if (!cmp.equal) {
      const what = cmp.differs ? PART_WORDS[cmp.differs] : 'it differs';
      const why = cmp.cause ? `; ${CAUSE_WORDS[cmp.cause]}` : '';
      const stripped =
        cmp.ignored.includes('query') || cmp.ignored.includes('fragment') ? ' (its query or fragment was stripped first and is not the cause)' : '';
      return { passed: false, expected, actual, message: `The DPoP proof's htu ${brief(htu)} does not match ${expected}: ${what}${why}${stripped}.` };
    }
    const note = htuNotes(cmp);
    return note === undefined ? { passed: true, expected, actual } : { passed: true, expected, actual, note };
  },
};

const IAT: Rule = {
  id: 'DPP-10',
  summary: "The DPoP proof's iat is within the server's window: not older than the allowed age, not further ahead than the allowed skew.",
  fix: 'Make a new proof for every request, with iat from a synchronised clock (NTP); retries need a new proof too.',
  source: 'RFC 9449 §4.3 step 11, §11.1; Auth0 DPoP docs (DA1); Auth0 resource-server SDKs (DO5–DO7); FAPI 2.0 SP §5.3.2.1',
  wire: proofWire('DPoP proof iat is outside the acceptable window'),
  resourceWire: resourceWire(proofWire('DPoP proof iat is outside the acceptable window')),
  evaluate(ctx) {
    const iat = ctx.payload ? get(ctx.payload, 'iat') : undefined;
    if (!isNumericDate(iat)) return null;
    const { pastSeconds, futureSeconds } = ctx.policy;
    const delta = iat - ctx.now;
    const expected = `now − ${pastSeconds} s ≤ iat ≤ now + ${futureSeconds} s (now = ${ctx.now})`;
    const actual = `iat = ${iat} (${delta >= 0 ? '+' : '−'}${Math.abs(Math.round(delta))} s)`;
    if (delta < -pastSeconds)
      return {
        passed: false,
        expected,
        actual,
        message: `The DPoP proof was made ${seconds(-delta)} ago; proofs older than ${seconds(pastSeconds)} are refused. Make a new proof per request, or check the client's clock.`,
      };
    if (delta > futureSeconds)
      return {
        passed: false,
        expected,
        actual,
        message: `The DPoP proof's iat is ${seconds(delta)} in the future; at most ${seconds(futureSeconds)} of clock skew is tolerated. Check the client's clock.`,
      };
    return { passed: true, expected, actual };
  },
};

/** DPN-9: at a resource the nonce challenge is a 401 whose `DPoP` challenge says use_dpop_nonce. */
function nonceWire(description: string): WireFailure {
  return { status: 400, error: 'use_dpop_nonce', description };
}

const NONCE_REQUIRED: Rule = {
  id: 'DPN-1',
  summary: "A client under the nonce policy (a public client at the token endpoint) sends the server's nonce in its proof.",
  fix: 'Take the DPoP-Nonce header from the 400 use_dpop_nonce response and resend the same request once with a new proof carrying it as nonce.',
  source: 'Auth0 DPoP docs, public clients (DA1); RFC 9449 §8, §11.3',
  wire: nonceWire('Authorization server requires nonce in DPoP proof'),
  resourceWire: { status: 401, error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' },
  sendsNonce: true,
  evaluate(ctx) {
    if (ctx.nonce === undefined || ctx.payload === undefined) return null;
    if (!ctx.nonce.required) return null;
    const expected = 'a nonce issued by this server';
    if (!has(ctx.payload, 'nonce'))
      return {
        passed: false,
        expected,
        actual: '(absent)',
        message: 'The server requires a nonce in the DPoP proof: take the DPoP-Nonce header of this response and retry once.',
      };
    return { passed: true, expected, actual: 'present' };
  },
};

const NONCE_VALID: Rule = {
  id: 'DPN-4',
  summary: 'A nonce in the DPoP proof is one this server issued and still accepts.',
  fix: 'Use the newest DPoP-Nonce this server sent (every response may carry a new one) and retry once with a new proof.',
  source: 'RFC 9449 §4.3 step 10, §8, §8.2; node-oidc-provider (N1)',
  wire: nonceWire('invalid or expired nonce in DPoP proof'),
  resourceWire: { status: 401, error: 'use_dpop_nonce', description: 'invalid or expired nonce in DPoP proof' },
  sendsNonce: true,
  evaluate(ctx) {
    const nonce = ctx.payload ? getString(ctx.payload, 'nonce') : undefined;
    if (nonce === undefined) return null;
    const expected = 'a current nonce of this server';
    if (ctx.nonce === undefined) return { passed: true, expected, actual: brief(nonce, 40), note: 'The nonce was not checked: no server nonce was given.' };
    if (ctx.nonce.accepted.includes(nonce)) return { passed: true, expected, actual: 'current' };
    const expired = ctx.nonce.expired?.includes(nonce) ?? false;
    return {
      passed: false,
      expected,
      actual: expired ? 'expired' : `unknown (${brief(nonce, 40)})`,
      message: expired
        ? "The DPoP proof's nonce has expired; use the newest DPoP-Nonce the server sent."
        : "The DPoP proof's nonce was not issued by this server (forged, from another server, or from before a restart).",
    };
  },
};

const ATH: Rule = {
  id: 'DPP-13',
  summary: 'At /userinfo the DPoP proof carries ath, the SHA-256 hash of the access token it is sent with; at the token and PAR endpoints ath is ignored.',
  fix: 'Set ath to base64url(SHA-256(access token)) without padding, over the token exactly as it follows "DPoP " in the Authorization header; recompute it after every refresh.',
  source: 'RFC 9449 §4.2, §4.3 step 12, §7',
  wire: resourceWire(proofWire('DPoP proof ath mismatch')),
  resourceWire: resourceWire(proofWire('DPoP proof ath mismatch')),
  evaluate(ctx) {
    if (ctx.payload === undefined) return null;
    const ath = get(ctx.payload, 'ath');
    if (ctx.endpoint !== 'userinfo') {
      return typeof ath === 'string'
        ? {
            passed: true,
            expected: '(no ath)',
            actual: 'ath present',
            note: `ath is ignored at the ${ctx.endpoint === 'par' ? 'PAR' : 'token'} endpoint; send it only with an access token.`,
          }
        : null;
    }
    if (ctx.ath === undefined) return null;
    if (ath === undefined)
      return {
        passed: false,
        expected: ctx.ath,
        actual: '(absent)',
        message: 'The DPoP proof has no ath; a proof sent with an access token must carry its hash.',
      };
    if (typeof ath !== 'string') return null;
    if (ath !== ctx.ath)
      return {
        passed: false,
        expected: ctx.ath,
        actual: brief(ath, 64),
        message: /=$|^[0-9a-f]{64}$/i.test(ath)
          ? "The DPoP proof's ath is not base64url without padding of the SHA-256 hash (padding or hex encoding)."
          : "The DPoP proof's ath is the hash of another access token.",
      };
    return { passed: true, expected: ctx.ath, actual: ath };
  },
};

/** A binding rule: the proof key's thumbprint against the one `kind` is bound to. */
function bindingRule(kind: DpopBindingKind, spec: Omit<Rule, 'evaluate' | 'resourceWire'> & { resourceWire?: WireFailure; noun: string }): Rule {
  const { noun, ...rule } = spec;
  return {
    ...rule,
    resourceWire: spec.resourceWire ?? spec.wire,
    evaluate(ctx) {
      if (ctx.binding?.kind !== kind || ctx.thumbprint === undefined) return null;
      const expected = `the ${noun}: ${ctx.binding.jkt}`;
      if (ctx.binding.jkt !== ctx.thumbprint)
        return {
          passed: false,
          expected,
          actual: ctx.thumbprint,
          message: `The DPoP proof's key (thumbprint ${ctx.thumbprint}) does not match the ${noun}, ${ctx.binding.jkt}.`,
        };
      return { passed: true, expected, actual: ctx.thumbprint };
    },
  };
}

const PAR_JKT = bindingRule('par', {
  id: 'DPB-6',
  noun: 'dpop_jkt of the pushed request',
  summary: "At /oauth/par, a dpop_jkt sent with a DPoP proof is the thumbprint of the proof's key.",
  fix: 'Send dpop_jkt computed from the same key that signs the proof (RFC 7638 thumbprint), or send only one of them.',
  source: 'RFC 9449 §10.1; Auth0 PAR reference (DA3); node-oidc-provider (N1)',
  wire: { status: 400, error: 'invalid_request', description: 'DPoP proof key thumbprint does not match dpop_jkt' },
});

const CODE_JKT = bindingRule('code', {
  id: 'DPB-7',
  noun: 'dpop_jkt of the authorization code',
  summary: 'A code issued with dpop_jkt is redeemed with a proof signed by that key.',
  fix: 'Redeem the code with a proof from the key whose thumbprint you sent as dpop_jkt at /authorize or /oauth/par.',
  source: 'RFC 9449 §10, §11.9',
  wire: { status: 403, error: 'invalid_grant', description: 'DPoP proof key thumbprint does not match dpop_jkt' },
});

/** DPB-9, also recorded by the server when rotation copies the binding. */
export const REFRESH_JKT = bindingRule('refresh', {
  id: 'DPB-9',
  noun: 'refresh token binding',
  summary: 'A bound refresh token is redeemed with a proof from the key it is bound to.',
  fix: 'Refresh with a proof from the key that obtained the refresh token (keep one DPoP key per session).',
  source: 'RFC 9449 §5; Auth0 DPoP docs (DA1 step 6)',
  wire: { status: 403, error: 'invalid_grant', description: 'DPoP proof key does not match the refresh token binding' },
});

const TOKEN_JKT = bindingRule('access-token', {
  id: 'DPB-12',
  noun: 'access token binding (cnf.jkt)',
  summary: "At /userinfo, the DPoP proof's key is the key the access token is bound to (cnf.jkt).",
  fix: 'Sign the proof with the key that obtained the access token.',
  source: 'RFC 9449 §7, §7.1; Auth0 DPoP docs (DA1 step 5)',
  wire: { status: 401, error: 'invalid_token', description: 'DPoP proof key does not match the access token binding' },
});

const REPLAY: Rule = {
  id: 'DPP-11',
  summary: 'Each DPoP proof is used once: a (key, jti) pair seen inside the window is refused.',
  fix: 'Make a new proof, with a new random jti, for every request, retries included.',
  source: 'RFC 9449 §11.1; Auth0 DPoP docs (DA1)',
  wire: proofWire('DPoP proof replay detected'),
  resourceWire: resourceWire(proofWire('DPoP proof replay detected')),
  evaluate(ctx) {
    if (ctx.replayed === undefined) return null;
    const jti = ctx.payload ? getString(ctx.payload, 'jti') : undefined;
    if (jti === undefined) return null;
    const expected = 'a jti not seen before with this key';
    if (ctx.replayed)
      return {
        passed: false,
        expected,
        actual: `jti ${brief(jti, 64)} seen before`,
        message: 'This DPoP proof was already used (same key and jti); every request needs a new proof.',
      };
    return { passed: true, expected, actual: 'first use' };
  },
};

/** The rules about the proof alone (DPP-14 up to `ath`): run before the grant is looked up, so a failure touches nothing (DPB-8). */
export const DPOP_PROOF_PHASE_RULES: readonly DpopRuleDef[] = [
  MULTIPLE,
  SHAPE,
  TYP_RULE,
  ALG,
  JWK,
  SIGNATURE,
  CLAIMS,
  HTM,
  HTU,
  IAT,
  NONCE_REQUIRED,
  NONCE_VALID,
  ATH,
];

/** The binding checks and the replay check (DPP-14's tail): run once the grant or token and its `jkt` are known. */
export const DPOP_BINDING_PHASE_RULES: readonly DpopRuleDef[] = [PAR_JKT, CODE_JKT, REFRESH_JKT, TOKEN_JKT, REPLAY];

/** Every DPoP proof rule, in the server's order (DPP-14). */
export const DPOP_PROOF_RULES: readonly DpopRuleDef[] = [...DPOP_PROOF_PHASE_RULES, ...DPOP_BINDING_PHASE_RULES];

const BINDING_RULES: Readonly<Record<DpopBindingKind, DpopRuleDef>> = { par: PAR_JKT, code: CODE_JKT, refresh: REFRESH_JKT, 'access-token': TOKEN_JKT };

/**
 * A grant or token bound to a key, presented with no proof at all (DPB-7, DPB-10, X-D15, X-D18): there is no
 * proof context, so the endpoint records this outcome and answers the binding rule's wire error.
 */
export function bindingWithoutProof(kind: DpopBindingKind, jkt: string): { rule: DpopRuleDef; outcome: RuleOutcome } {
  const rule = BINDING_RULES[kind];
  const what = kind === 'code' ? 'authorization code' : kind === 'refresh' ? 'refresh token' : kind === 'par' ? 'pushed request' : 'access token';
  return {
    rule,
    outcome: toOutcome(rule, {
      passed: false,
      expected: `a DPoP proof from the key ${jkt}`,
      actual: 'no DPoP proof',
      message: `The ${what} is bound to a DPoP key (${jkt}), but the request carries no DPoP proof.`,
    }),
  };
}

/** DPB-5: the `dpop_jkt` parameter's format, at /authorize and /oauth/par. */
export interface DpopJktContext {
  /** The parameter as received. */
  dpopJkt: string;
}

/** DPB-5 as a RuleDef (its wire error is redirected per E-5 at /authorize, JSON at PAR). */
export const DPOP_JKT_FORMAT_RULE: RuleDef<DpopJktContext> = {
  id: 'DPB-5',
  summary: 'dpop_jkt, when sent, is a base64url SHA-256 JWK thumbprint (43 characters).',
  fix: 'Send the RFC 7638 SHA-256 thumbprint of the DPoP public key, base64url without padding (43 characters).',
  source: 'RFC 9449 §10; Auth0 /authorize and PAR references (DA3, DA4, DA11)',
  wire: { status: 400, error: 'invalid_request', description: 'dpop_jkt must be a base64url JWK SHA-256 thumbprint' },
  evaluate({ dpopJkt }) {
    const expected = '43 base64url characters';
    if (!isJktFormat(dpopJkt)) {
      const why = /=$/.test(dpopJkt)
        ? 'it is padded'
        : /^[0-9a-f]+$/i.test(dpopJkt) && dpopJkt.length === 64
          ? 'it is hex, not base64url'
          : `it is ${charLength(dpopJkt)} characters`;
      return { passed: false, expected, actual: brief(dpopJkt, 64), message: `dpop_jkt is not a base64url SHA-256 thumbprint: ${why}.` };
    }
    return { passed: true, expected, actual: dpopJkt };
  },
};

/** What `buildDpopProofContext` needs: the request and what the server expects. */
export interface DpopProofInput {
  /** The `DPoP` header value, or its values when the field arrived several times. */
  proof: string | readonly string[];
  endpoint: DpopEndpoint;
  method: string;
  /** The URL the server computed for this request (configuration, not `Host`). */
  url: string;
  now: number;
  policy: DpopPolicy;
  nonce?: DpopNonceExpectation;
  /** The access token sent with the request (hashed here for `ath`, never stored in the context). */
  accessToken?: string;
  binding?: { kind: DpopBindingKind; jkt: string };
  /** The replay store's question (DPP-11): was this (thumbprint, jti) seen? Absent: not judged. */
  seen?: (thumbprint: string, jti: string) => boolean;
}

/**
 * Decodes the proof and does the asynchronous work once (signature, thumbprint, `ath`), so that the rules
 * are pure. No key is imported unless DPP-3..5 pass for it (alg allowed and fitting, jwk public). Never
 * throws for any proof text.
 */
export async function buildDpopProofContext(input: DpopProofInput): Promise<DpopProofContext> {
  const values = typeof input.proof === 'string' ? [input.proof] : [...input.proof];
  const value = values[0] ?? '';
  const ctx: DpopProofContext = {
    endpoint: input.endpoint,
    fieldCount: values.length,
    // A compact JWS never holds a comma; a JSON serialization does, and is DPP-2's.
    commaJoined: value.includes(',') && !value.trimStart().startsWith('{'),
    method: input.method,
    url: input.url,
    now: input.now,
    policy: input.policy,
  };
  if (input.nonce !== undefined) ctx.nonce = input.nonce;
  if (input.binding !== undefined) ctx.binding = input.binding;
  if (input.accessToken !== undefined) ctx.ath = await accessTokenHash(input.accessToken);
  if (ctx.fieldCount > 1 || ctx.commaJoined) return ctx;
  try {
    const decoded = decodeCompactJwt(value, { maxBytes: input.policy.maxBytes });
    ctx.header = decoded.header;
    ctx.payload = decoded.payload;
    ctx.bytes = decoded.bytes;
    ctx.emptySignature = decoded.signatureB64 === '';
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    ctx.decodeError = e;
    return ctx;
  }
  if (ctx.emptySignature) return ctx;
  const header = ctx.header;
  const alg = getString(header, 'alg');
  const jwk = get(header, 'jwk');
  const usable =
    alg !== undefined &&
    typeMatchesHeader(header) &&
    input.policy.algs.includes(alg) &&
    algKeyMismatch(alg, jwk) === undefined &&
    publicJwkProblem(jwk) === undefined;
  if (!usable) return ctx;
  const key = jwk as JsonObject;
  ctx.signature = await verifyProofSignature(value, key, alg);
  if (!ctx.signature.valid) return ctx;
  ctx.thumbprint = await jwkThumbprint(publicMembers(key));
  const jti = getString(ctx.payload!, 'jti');
  if (input.seen !== undefined && jti !== undefined) ctx.replayed = input.seen(ctx.thumbprint, jti);
  return ctx;
}

function typeMatchesHeader(header: JsonObject): boolean {
  const typ = get(header, 'typ');
  return typeof typ === 'string' && typMatches(typ);
}

/** The server's view: outcomes up to and including the first failure (DPP-14 order), and that failure. */
export interface DpopEvaluation {
  outcomes: RuleOutcome[];
  failed?: DpopRuleDef;
}

/** Applies the rules in order and stops at the first failure, as the server does. */
export function evaluateDpopProof(ctx: DpopProofContext, rules: readonly DpopRuleDef[] = DPOP_PROOF_RULES): DpopEvaluation {
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const verdict = rule.evaluate(ctx);
    if (verdict === null) continue;
    outcomes.push(toOutcome(rule, verdict));
    if (!verdict.passed) return { outcomes, failed: rule };
  }
  return { outcomes };
}

/** Every applicable outcome, failures first (the lint). */
export function lintDpopContext(ctx: DpopProofContext): RuleOutcome[] {
  const outcomes = DPOP_PROOF_RULES.map((r) => evaluateRule(r, ctx)).filter((o): o is RuleOutcome => o !== null);
  return [...outcomes.filter((o) => !o.passed), ...outcomes.filter((o) => o.passed)];
}

/** What the endpoint puts on the wire for a failed DPoP rule; the endpoint adds `DPoP-Nonce` when `sendNonce`. */
export interface DpopWireResponse {
  status: number;
  error: string;
  description: string;
  /** `WWW-Authenticate` at a resource (ED-2); absent at the token and PAR endpoints (ED-1). */
  wwwAuthenticate?: string;
  /** The response must carry a fresh `DPoP-Nonce` (DPN-1, DPN-4, DPN-9) and so `Cache-Control: no-store` (ED-3). */
  sendNonce: boolean;
}

/** An RFC 9110 quoted-string (the descriptions are ours, but a quote or backslash must never break the header). */
function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** RFC 9449 §7.1: the `DPoP` challenge, with the allow-list as `algs`. */
export function dpopChallenge(algs: readonly string[], error?: { error: string; description: string }): string {
  const params = [...(error ? [`error=${quoted(error.error)}`, `error_description=${quoted(error.description)}`] : []), `algs=${quoted(algs.join(' '))}`];
  return `DPoP ${params.join(', ')}`;
}

/** The response for a failed rule at an endpoint (ED-1 at token and PAR, ED-2 at /userinfo). */
export function dpopWireResponse(rule: DpopRuleDef, ctx: DpopProofContext): DpopWireResponse {
  const base = ctx.endpoint === 'userinfo' ? rule.resourceWire : rule.wire;
  const description = rule.wireDescription?.(ctx) ?? base.description;
  const out: DpopWireResponse = { status: base.status, error: base.error, description, sendNonce: rule.sendsNonce === true };
  if (ctx.endpoint === 'userinfo') out.wwwAuthenticate = dpopChallenge(ctx.policy.algs, { error: base.error, description });
  return out;
}
