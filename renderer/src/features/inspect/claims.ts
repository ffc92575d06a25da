/**
 * A catalogue of the JOSE header parameters and JWT claims Parley shows: where each one lives, which
 * family it belongs to, the key of its one-line description in the UI catalogues
 * (`inspect.claims.<key>`), and the spec section that defines it. Pure data, read by Inspect's decoded
 * view (the names it describes, the dates it shows as dates).
 */

/** Where a name appears: the JOSE header or the JWT payload. */
export type ClaimLocation = 'header' | 'payload';

/** The family a name belongs to. */
export type ClaimFamily = 'jose' | 'registered' | 'oauth' | 'oidc' | 'auth0';

/** How a claim's value is read. `date` values are NumericDate (seconds since the epoch, RFC 7519 §2). */
export type ClaimValueKind = 'string' | 'date' | 'number' | 'boolean' | 'string-or-array' | 'array' | 'object' | 'any';

/** One catalogue entry. */
export interface ClaimInfo {
  /** The member name as it appears in the JSON. */
  name: string;
  location: ClaimLocation;
  family: ClaimFamily;
  /** The key under `inspect.claims` of the translated description (usually the name). */
  descriptionKey: string;
  /** The defining spec section, e.g. `RFC 7519 §4.1.4`. */
  spec: string;
  value: ClaimValueKind;
}

function entry(name: string, location: ClaimLocation, family: ClaimFamily, spec: string, value: ClaimValueKind, descriptionKey = name): ClaimInfo {
  return { name, location, family, descriptionKey, spec, value };
}

/** JOSE header parameters (RFC 7515 §4.1, RFC 7797). */
export const HEADER_PARAMETERS: readonly ClaimInfo[] = [
  entry('alg', 'header', 'jose', 'RFC 7515 §4.1.1', 'string'),
  entry('typ', 'header', 'jose', 'RFC 7515 §4.1.9', 'string'),
  entry('kid', 'header', 'jose', 'RFC 7515 §4.1.4', 'string'),
  entry('cty', 'header', 'jose', 'RFC 7515 §4.1.10', 'string'),
  entry('crit', 'header', 'jose', 'RFC 7515 §4.1.11', 'array'),
  entry('jku', 'header', 'jose', 'RFC 7515 §4.1.2', 'string'),
  entry('jwk', 'header', 'jose', 'RFC 7515 §4.1.3', 'object'),
  entry('x5u', 'header', 'jose', 'RFC 7515 §4.1.5', 'string'),
  entry('x5c', 'header', 'jose', 'RFC 7515 §4.1.6', 'array'),
  entry('x5t', 'header', 'jose', 'RFC 7515 §4.1.7', 'string'),
  entry('x5t#S256', 'header', 'jose', 'RFC 7515 §4.1.8', 'string', 'x5tS256'),
  entry('b64', 'header', 'jose', 'RFC 7797 §3', 'boolean'),
  entry('enc', 'header', 'jose', 'RFC 7516 §4.1.2', 'string'),
  entry('zip', 'header', 'jose', 'RFC 7516 §4.1.3', 'string'),
];

/** Registered JWT claims (RFC 7519 §4.1). */
export const REGISTERED_CLAIMS: readonly ClaimInfo[] = [
  entry('iss', 'payload', 'registered', 'RFC 7519 §4.1.1', 'string'),
  entry('sub', 'payload', 'registered', 'RFC 7519 §4.1.2', 'string'),
  entry('aud', 'payload', 'registered', 'RFC 7519 §4.1.3', 'string-or-array'),
  entry('exp', 'payload', 'registered', 'RFC 7519 §4.1.4', 'date'),
  entry('nbf', 'payload', 'registered', 'RFC 7519 §4.1.5', 'date'),
  entry('iat', 'payload', 'registered', 'RFC 7519 §4.1.6', 'date'),
  entry('jti', 'payload', 'registered', 'RFC 7519 §4.1.7', 'string'),
];

/** OAuth 2.0 authorization request parameters as request-object claims (RFC 6749, 7636, 9101, 9396, OIDC, Auth0). */
export const AUTHORIZATION_CLAIMS: readonly ClaimInfo[] = [
  entry('client_id', 'payload', 'oauth', 'RFC 6749 §4.1.1; RFC 9101 §4', 'string'),
  entry('response_type', 'payload', 'oauth', 'RFC 6749 §3.1.1', 'string'),
  entry('redirect_uri', 'payload', 'oauth', 'RFC 6749 §3.1.2', 'string'),
  entry('scope', 'payload', 'oauth', 'RFC 6749 §3.3', 'string'),
  entry('state', 'payload', 'oauth', 'RFC 6749 §4.1.1', 'string'),
  entry('code_challenge', 'payload', 'oauth', 'RFC 7636 §4.2', 'string'),
  entry('code_challenge_method', 'payload', 'oauth', 'RFC 7636 §4.3', 'string'),
  entry('audience', 'payload', 'auth0', 'Auth0: Call Your API (audience parameter)', 'string'),
  entry('nonce', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('prompt', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('max_age', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'number'),
  entry('response_mode', 'payload', 'oauth', 'OAuth 2.0 Multiple Response Type Encoding Practices §2.1', 'string'),
  entry('request', 'payload', 'oauth', 'RFC 9101 §5.1', 'string'),
  entry('request_uri', 'payload', 'oauth', 'RFC 9101 §5.2; RFC 9126 §2.2', 'string'),
  entry('login_hint', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('id_token_hint', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('acr_values', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('ui_locales', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.2.1', 'string'),
  entry('claims', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.5', 'object'),
  entry('authorization_details', 'payload', 'oauth', 'RFC 9396 §2', 'array'),
  entry('resource', 'payload', 'oauth', 'RFC 8707 §2', 'string-or-array'),
  entry('organization', 'payload', 'auth0', 'Auth0: Organizations (organization parameter)', 'string'),
  entry('invitation', 'payload', 'auth0', 'Auth0: Organizations (invitation parameter)', 'string'),
  entry('connection', 'payload', 'auth0', 'Auth0: Authentication API /authorize (connection parameter)', 'string'),
  entry('screen_hint', 'payload', 'auth0', 'Auth0: Universal Login (screen_hint parameter)', 'string'),
];

/** OpenID Connect ID-token and standard claims (OIDC Core 1.0 §2, §5.1). */
export const OIDC_CLAIMS: readonly ClaimInfo[] = [
  entry('auth_time', 'payload', 'oidc', 'OpenID Connect Core 1.0 §2', 'date'),
  entry('acr', 'payload', 'oidc', 'OpenID Connect Core 1.0 §2', 'string'),
  entry('amr', 'payload', 'oidc', 'OpenID Connect Core 1.0 §2; RFC 8176', 'array'),
  entry('azp', 'payload', 'oidc', 'OpenID Connect Core 1.0 §2', 'string'),
  entry('at_hash', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.1.3.6', 'string'),
  entry('c_hash', 'payload', 'oidc', 'OpenID Connect Core 1.0 §3.3.2.11', 'string'),
  entry('s_hash', 'payload', 'oidc', 'Financial-grade API Part 2 §5.1 (s_hash)', 'string'),
  entry('sid', 'payload', 'oidc', 'OpenID Connect Front-Channel Logout 1.0 §3', 'string'),
  entry('name', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('given_name', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('family_name', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('nickname', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('preferred_username', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('picture', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('email', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('email_verified', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'boolean'),
  entry('locale', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'string'),
  entry('updated_at', 'payload', 'oidc', 'OpenID Connect Core 1.0 §5.1', 'date'),
];

/** Auth0 access-token specifics. */
export const AUTH0_CLAIMS: readonly ClaimInfo[] = [
  entry('gty', 'payload', 'auth0', 'Auth0: Access Token profile (gty)', 'string'),
  entry('permissions', 'payload', 'auth0', 'Auth0: Role-Based Access Control (permissions claim)', 'array'),
  entry('org_id', 'payload', 'auth0', 'Auth0: Organizations (org_id claim)', 'string'),
  entry('org_name', 'payload', 'auth0', 'Auth0: Organizations (org_name claim)', 'string'),
];

/** Every entry. A name appears at most once per location. */
export const CLAIM_CATALOGUE: readonly ClaimInfo[] = [...HEADER_PARAMETERS, ...REGISTERED_CLAIMS, ...AUTHORIZATION_CLAIMS, ...OIDC_CLAIMS, ...AUTH0_CLAIMS];

const byLocation: Record<ClaimLocation, ReadonlyMap<string, ClaimInfo>> = {
  header: new Map(HEADER_PARAMETERS.map((c) => [c.name, c])),
  payload: new Map([...REGISTERED_CLAIMS, ...AUTHORIZATION_CLAIMS, ...OIDC_CLAIMS, ...AUTH0_CLAIMS].map((c) => [c.name, c])),
};

/** The catalogue entry of a header parameter or payload claim, or `undefined` for a name Parley does not know. */
export function claimInfo(location: ClaimLocation, name: string): ClaimInfo | undefined {
  return byLocation[location].get(name);
}

/** Whether a payload claim is a NumericDate (seconds since the epoch). */
export function isDateClaim(name: string): boolean {
  return claimInfo('payload', name)?.value === 'date';
}
