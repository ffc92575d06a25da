/**
 * Vendor and standard profiles as data. Where Auth0, RFC 9101/9126, FAPI and other vendors differ, the
 * difference is a field here and the rules read it; no rule forks on a profile id (ARCHITECTURE.md §6).
 * Auth0 is the default; `strict` is the server's RFC 9101 / FAPI 2.0 switch; `fapi1` and `fapi2` follow
 * Auth0's compliance levels; `okta` is for composing requests against an Okta org.
 */

/** A profile's id. */
export type ProfileId = 'auth0' | 'strict' | 'fapi1' | 'fapi2' | 'okta';

/** Which `aud` values a client assertion may carry (PKJ-8). */
export interface AudiencePolicy {
  /** The AS issuer (with its trailing slash, compared exactly). */
  issuer: boolean;
  /** The token endpoint URL. */
  tokenEndpoint: boolean;
  /** The URL of the endpoint receiving the assertion (RFC 9126 §2: the PAR endpoint at PAR). */
  receivingEndpoint: boolean;
  /** Whether an array with at least one accepted member is allowed (FAPI 2.0 / rfc7523bis: no). */
  array: boolean;
}

/** A named audience policy, selectable per context (`ClientAssertionContext.audienceStyle`). */
export type AudienceStyle = 'auth0' | 'strict' | 'token-endpoint';

/** The audience policies by name. */
export const AUDIENCE_STYLES: Readonly<Record<AudienceStyle, AudiencePolicy>> = {
  /** Disagreement 5: issuer, token endpoint, or the receiving endpoint; arrays allowed. */
  auth0: { issuer: true, tokenEndpoint: true, receivingEndpoint: true, array: true },
  /** FAPI 2.0 SP §5.3.2.1, Auth0 `fapi2_sp_pkj_mtls`: the issuer as a single string. */
  strict: { issuer: true, tokenEndpoint: false, receivingEndpoint: false, array: false },
  /** Okta: the token endpoint's full URL. */
  'token-endpoint': { issuer: false, tokenEndpoint: true, receivingEndpoint: false, array: true },
};

/** Request-object (JAR) policy. */
export interface RequestObjectPolicy {
  /** JAR-5: accepted header `alg` values. */
  algs: readonly string[];
  /** JAR-6: whether `typ` is required. */
  typRequired: boolean;
  /**
   * JAR-6, when `typ` is not required: a missing `typ` passes with this note (traced, and a warning in
   * Compose's lint); without a note the rule does not apply to a token with no `typ`.
   */
  missingTypNote?: string;
  /** JAR-6: accepted `typ` values, lower case, without the implied `application/` prefix. */
  typs: readonly string[];
  /** JAR-11: whether an `aud` array containing the issuer is accepted (else a single string). */
  audArray: boolean;
  /** JAR-13: whether `exp` is required. */
  expRequired: boolean;
  /** JAR-14: whether `jti` is required. */
  jtiRequired: boolean;
  /** JAR-16: Auth0 merges the query into the object; RFC 9101 §6.3 uses only the object. */
  merge: 'merge' | 'request-object-only';
  /** JAR-17: a `response_type` differing between query and object is rejected, or the object's wins. */
  responseTypeMismatch: 'reject' | 'request-object-wins';
  /** JWT-8: the size cap (the PAR body cap, A3). */
  maxBytes: number;
  /** JAR-20: FAPI limits on `nbf` and `exp`, or null when the profile has none. */
  fapiTimeLimits: { nbfMaxAgeSeconds: number; maxLifetimeSeconds: number } | null;
}

/** Client-assertion (private_key_jwt) policy. */
export interface ClientAssertionPolicy {
  /** PKJ-6: accepted header `alg` values. */
  algs: readonly string[];
  /** PKJ-8: the default audience policy. */
  audience: AudienceStyle;
  /** PKJ-10: the longest accepted `exp − iat`. */
  maxLifetimeSeconds: number;
  /** JWT-8 / PKJ-5: the size cap. */
  maxBytes: number;
  /** PKJ-5: the longest `iss`, `sub` and `jti`, in characters. */
  maxClaimLength: number;
  /** PKJ-5: the longest header `alg`, in characters. */
  maxAlgLength: number;
}

/** One profile. */
export interface JwtProfile {
  id: ProfileId;
  /** A short label for the UI. */
  label: string;
  /** JWT-9: how far `iat`/`nbf` may be in the future, and how long after `exp` a token is still accepted. */
  skewSeconds: number;
  requestObject: RequestObjectPolicy;
  clientAssertion: ClientAssertionPolicy;
}

const AUTH0_ALGS = ['RS256', 'RS384', 'PS256'] as const;
// FAPI 2.0 SP §5.4: PS256, ES256, EdDSA. Auth0 credentials are RSA only, so in practice PS256.
const FAPI2_ALGS = ['PS256', 'ES256', 'EdDSA'] as const;
const OKTA_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
const TEN_KB = 10 * 1024;

/** JAR-6's note on a request object with no `typ` in the Auth0 profile. */
export const AUTH0_MISSING_TYP_NOTE =
  "No typ: Auth0's docs ask for one; Auth0's own express-openid-connect 3.4.0 sends none, so the Auth0 profile accepts it; a wrong typ is still refused.";
const ASSERTION_BYTES = 2048;

const AUTH0_ASSERTION: ClientAssertionPolicy = {
  algs: AUTH0_ALGS,
  audience: 'auth0',
  maxLifetimeSeconds: 300,
  maxBytes: ASSERTION_BYTES,
  maxClaimLength: 64,
  maxAlgLength: 16,
};

/** Every profile, by id. */
export const PROFILES: Readonly<Record<ProfileId, JwtProfile>> = {
  auth0: {
    id: 'auth0',
    label: 'Auth0',
    skewSeconds: 10,
    requestObject: {
      algs: AUTH0_ALGS,
      // Auth0's docs ask for a typ, yet Auth0's own express-openid-connect 3.4.0 signs request objects
      // without one (lib/client.js buildRequestObject): what Auth0 tenants evidently accept (issue #15).
      typRequired: false,
      missingTypNote: AUTH0_MISSING_TYP_NOTE,
      typs: ['jwt', 'oauth-authz-req+jwt'],
      audArray: true,
      expRequired: false,
      jtiRequired: false,
      merge: 'merge',
      responseTypeMismatch: 'request-object-wins',
      maxBytes: TEN_KB,
      fapiTimeLimits: null,
    },
    clientAssertion: AUTH0_ASSERTION,
  },
  strict: {
    id: 'strict',
    label: 'Strict (RFC 9101 / FAPI 2.0)',
    skewSeconds: 10,
    requestObject: {
      algs: FAPI2_ALGS,
      typRequired: true,
      // RFC 9101 §10.8: explicit typing is what separates a request object from other JWTs.
      typs: ['oauth-authz-req+jwt'],
      audArray: false,
      expRequired: false,
      jtiRequired: false,
      merge: 'request-object-only',
      responseTypeMismatch: 'reject',
      maxBytes: TEN_KB,
      fapiTimeLimits: null,
    },
    clientAssertion: { ...AUTH0_ASSERTION, algs: FAPI2_ALGS, audience: 'strict' },
  },
  fapi1: {
    id: 'fapi1',
    label: 'FAPI 1 Advanced (Auth0 fapi1_adv_*)',
    skewSeconds: 10,
    requestObject: {
      // A13: fapi1_adv_* levels accept PS256 only.
      algs: ['PS256'],
      typRequired: true,
      typs: ['jwt', 'oauth-authz-req+jwt'],
      audArray: true,
      expRequired: true,
      jtiRequired: false,
      merge: 'request-object-only',
      responseTypeMismatch: 'reject',
      maxBytes: TEN_KB,
      fapiTimeLimits: { nbfMaxAgeSeconds: 3600, maxLifetimeSeconds: 3600 },
    },
    clientAssertion: { ...AUTH0_ASSERTION, algs: ['PS256'] },
  },
  fapi2: {
    id: 'fapi2',
    label: 'FAPI 2.0 (Auth0 fapi2_sp_*)',
    skewSeconds: 10,
    requestObject: {
      algs: FAPI2_ALGS,
      typRequired: true,
      typs: ['oauth-authz-req+jwt'],
      audArray: false,
      expRequired: true,
      jtiRequired: false,
      merge: 'request-object-only',
      responseTypeMismatch: 'reject',
      maxBytes: TEN_KB,
      // FAPI 2.0 Message Signing: nbf at most 60 min old, exp at most 60 min after nbf.
      fapiTimeLimits: { nbfMaxAgeSeconds: 3600, maxLifetimeSeconds: 3600 },
    },
    clientAssertion: { ...AUTH0_ASSERTION, algs: FAPI2_ALGS, audience: 'strict' },
  },
  okta: {
    id: 'okta',
    label: 'Okta',
    skewSeconds: 10,
    requestObject: {
      algs: OKTA_ALGS,
      typRequired: false,
      typs: ['jwt', 'oauth-authz-req+jwt'],
      audArray: true,
      expRequired: false,
      jtiRequired: false,
      merge: 'request-object-only',
      responseTypeMismatch: 'reject',
      maxBytes: TEN_KB,
      fapiTimeLimits: null,
    },
    // Okta: aud is the token endpoint's URL and an assertion may live up to one hour.
    clientAssertion: { ...AUTH0_ASSERTION, algs: OKTA_ALGS, audience: 'token-endpoint', maxLifetimeSeconds: 3600 },
  },
};

/** The profile for an id, Auth0's for anything unknown (a context from the renderer is not trusted to be valid). */
export function profileOf(id: string | undefined): JwtProfile {
  return (id !== undefined && Object.hasOwn(PROFILES, id) ? PROFILES[id as ProfileId] : undefined) ?? PROFILES.auth0;
}

/** The profile the embedded server applies to a client: its setting, raised by the client's Auth0 `compliance_level`. */
export function serverProfileFor(setting: 'auth0' | 'strict', complianceLevel: string | null | undefined): ProfileId {
  if (complianceLevel?.startsWith('fapi2_')) return 'fapi2';
  if (complianceLevel?.startsWith('fapi1_')) return 'fapi1';
  return setting;
}
