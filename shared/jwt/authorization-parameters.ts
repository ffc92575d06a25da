/**
 * Which request-object claims are authorization parameters, and how they become the strings a query
 * would have carried (node-oidc-provider does the same): only known parameters and Auth0's custom
 * `ext-*` ones are copied; the JWT's own claims (iss, aud, exp, …) and `request`/`request_uri` never are.
 */

/** The authorization parameters /authorize and /oauth/par understand (OAuth 2.0, OIDC, PKCE, RAR, Auth0). */
export const AUTHORIZATION_PARAMETERS: ReadonlySet<string> = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'login_hint',
  'id_token_hint',
  'acr_values',
  'ui_locales',
  'claims_locales',
  'display',
  'claims',
  'authorization_details',
  'resource',
  // RFC 9449 §10: the DPoP key the code will be bound to.
  'dpop_jkt',
  // Auth0's own parameters.
  'audience',
  'organization',
  'invitation',
  'connection',
  'screen_hint',
]);

/** Whether a name is an authorization parameter to carry over: a known one, or a custom `ext-*` one (PAR-10). */
export function isAuthorizationParameter(name: string): boolean {
  return AUTHORIZATION_PARAMETERS.has(name) || (name.startsWith('ext-') && name.length > 4);
}

/**
 * The authorization parameters of a request object as strings: numbers and booleans stringified,
 * objects and arrays (`claims`, `authorization_details`) re-serialised as JSON, `null` dropped.
 */
export function authorizationParametersOf(payload: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of Object.keys(payload)) {
    if (!isAuthorizationParameter(name)) continue;
    const value = payload[name];
    if (value === null || value === undefined) continue;
    params[name] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return params;
}
