/**
 * The server's rule catalogue: every rule the embedded server checks inline (against the request, the
 * stored state and the profile at once) and every Management API rule, once, keyed by its id. A rule is a
 * RuleText (shared/jwt/rule.ts), the shape RuleDefs share; the rules whose check travels with them stay
 * RuleDefs beside their contexts (shared/jwt/rules/*, checks/client-assertion.ts, checks/request-object.ts).
 *
 * `RULES['PAR-19']` is typed: an id that is not here is a tsc error, not a run-time `undefined`.
 * test/unit/electron/core/server/rules.test.ts holds the catalogue against ../shared/spec/server-rules.md both ways.
 *
 * Ids come from shared/spec/server-rules.md. A few checks the spec leaves implicit (RFC 6749 basics such
 * as "response_type is supported") get Parley's own ids, listed in LOCAL_RULE_IDS below, so that they are
 * traceable too without pretending to be spec rules.
 */
import type { RuleText } from '../../../shared/jwt/rule';

/** A rule's words without its id (the catalogue's key is the id). */
type Words = Omit<RuleText, 'id'>;

/** A catalogue rule: its words and its id, typed as the key it is filed under. */
export type CatalogueRule<Id extends string = string> = RuleText & { readonly id: Id };

/** Files each rule under its id (frozen: a rule's words are never changed per request). */
export function catalogue<const T extends Record<string, Words>>(words: T): { readonly [K in keyof T & string]: CatalogueRule<K> } {
  const rules: Record<string, CatalogueRule> = {};
  for (const [id, w] of Object.entries(words)) rules[id] = Object.freeze({ id, ...w });
  return rules as { readonly [K in keyof T & string]: CatalogueRule<K> };
}

export const RULES = catalogue({
  // Error transport (server-rules.md §0)
  'E-2': {
    summary: 'invalid_grant is answered with 403 as Auth0 does (400 in the strict profile, as RFC 6749 §5.2 says).',
    source: 'Auth0 observed (O4); RFC 6749 §5.2',
  },
  'E-3': {
    summary: 'The client secret authenticates a known confidential client.',
    source: 'Auth0 observed (O6): 401 access_denied "Unauthorized"; RFC 6749 §2.3.1',
    fix: 'Check the client_id and client_secret (Basic credentials are form-url-encoded before base64).',
  },
  'E-4': { summary: 'A 401 to a client that used the Authorization header carries WWW-Authenticate for that scheme.', source: 'RFC 6749 §5.2' },
  'E-5': {
    summary: 'Authorization errors are redirected only to a verified redirect_uri of a known client; otherwise an HTML page is shown.',
    source: 'RFC 6749 §4.1.2.1; RFC 9700 §4.11',
    fix: 'Use a registered client_id and one of its Allowed Callback URLs, so that errors reach the application.',
  },
  'E-7': { summary: 'The body matches the Management API schema (Auth0 payload validation).', source: 'server-rules.md E-7; Auth0 Management API v2' },

  // JWT-secured authorization requests at /authorize (§2; the request object rules themselves are shared/jwt RuleDefs)
  'JAR-1': {
    summary: 'request and request_uri are not both present.',
    source: 'RFC 9101 §5; OIDC Core §6',
    fix: 'Send either the request object (request) or a pushed request_uri, not both.',
  },
  'JAR-2': {
    summary: 'client_id is in the query and equals the request object’s client_id.',
    source: 'RFC 9101 §5, §6.3; Auth0 JAR (A1)',
    fix: 'Send client_id next to request, with the same value as inside the JWT.',
  },
  'JAR-16': {
    summary: 'Merging: Auth0 takes the query then lets the JAR override it; strict keeps only the JAR and client_id.',
    source: 'Auth0 JAR (A1) vs RFC 9101 §6.3',
  },
  'JAR-18': { summary: 'After assembly, the request is validated like any other authorization request.', source: 'RFC 9101 §6.3' },
  'JAR-19': {
    summary: 'A failed request object’s error never goes to a redirect_uri from inside it; only to a registered outer one.',
    source: 'RFC 9101 §6.3; RFC 9700 §4.11',
  },

  // Pushed authorization requests (§3)
  'PAR-1': { summary: 'Only POST is allowed.', source: 'RFC 9126 §2.3', fix: 'POST the parameters as a form.' },
  'PAR-2': {
    summary: 'The body is application/x-www-form-urlencoded.',
    source: 'Auth0 PAR (A3, A5); RFC 9126 §2.1',
    fix: 'Send Content-Type: application/x-www-form-urlencoded.',
  },
  'PAR-3': { summary: 'The body is at most 10 KB.', source: 'Auth0 PAR (A3); RFC 9126 §2.3 (413)', fix: 'Send fewer or shorter parameters.' },
  'PAR-4': {
    summary: 'The client authenticates at the PAR endpoint; public clients cannot push requests.',
    source: 'RFC 9126 §2, §2.1; Auth0 PAR (A3: public applications are not supported)',
    fix: 'Authenticate with the client secret or a private_key_jwt assertion.',
  },
  'PAR-5': {
    summary: 'The client authenticates at /oauth/token with the method it used at /oauth/par.',
    source: 'Auth0 PAR (A3)',
    fix: 'Use the same authentication method (e.g. private_key_jwt) at both endpoints.',
  },
  'PAR-6': {
    summary: 'request_uri is not accepted at the PAR endpoint.',
    source: 'RFC 9126 §2.1',
    fix: 'Send the parameters (or a request object), not a request_uri.',
  },
  'PAR-7': {
    summary: 'The pushed parameters pass the validation /authorize applies; errors are JSON.',
    source: 'RFC 9126 §2.1, §2.3; Auth0 OpenAPI (A6)',
    fix: 'Fix the parameter named in the error.',
  },
  'PAR-8': { summary: 'redirect_uri is required.', source: 'Auth0 PAR API (A5); FAPI 2.0 (A13)', fix: 'Send redirect_uri.' },
  'PAR-9': {
    summary: 'The redirect_uri is registered for the client (no per-request redirect URIs).',
    source: 'RFC 9126 §2.4 (optional, not offered); Auth0',
    fix: 'Add the URL to the application’s Allowed Callback URLs.',
  },
  'PAR-10': {
    summary: 'Only known authorization parameters and at most 10 ext- parameters are stored.',
    source: 'Auth0 PAR (A3)',
    fix: 'Send at most 10 ext- parameters.',
  },
  'PAR-11': {
    summary: 'With a request object, every authorization parameter comes from it and its client_id is the authenticated client.',
    source: 'RFC 9126 §3; Auth0 JAR (A1)',
    fix: 'Sign the request object with client_id equal to the authenticating client.',
  },
  'PAR-12': {
    summary: 'A client with signed_request_object.required pushes a request object.',
    source: 'Auth0 Configure JAR (A2); RFC 9126 §2.3',
    fix: 'Send the parameters inside a signed request object (request=…).',
  },
  'PAR-13': { summary: 'Success is 201 with request_uri and expires_in.', source: 'RFC 9126 §2.2; Auth0 (A3, O4, O5)' },
  'PAR-14': { summary: 'The request_uri has at least 128 bits from a CSPRNG.', source: 'RFC 9126 §2.2, §7.1; RFC 9101 §10.2' },
  'PAR-15': { summary: 'The request_uri is bound to the client that pushed it.', source: 'RFC 9126 §2.2' },
  'PAR-16': { summary: 'It lives 30 seconds, or until the request object’s exp if sooner.', source: 'Auth0 PAR (A3); node-oidc-provider' },
  'PAR-17': { summary: 'Strict profile: S256 PKCE and redirect_uri are required; expires_in stays under 600 s.', source: 'FAPI 2.0 SP §5.3.2.2; Auth0 (A13)' },
  'PAR-18': {
    summary: 'PAR must be allowed for the tenant.',
    source: 'Auth0 Configure PAR (A4)',
    fix: 'Turn on “Allow Pushed Authorization Requests” in the server settings.',
  },
  'PAR-19': {
    summary: 'Too many pushes from one client in a short time are refused with 429.',
    source: 'RFC 9126 §2.3',
    fix: 'Push once per authorization request.',
  },

  // /authorize with a pushed request_uri (§4)
  'AZR-1': {
    summary: 'Only request_uri values issued by this server’s PAR endpoint are accepted; URLs are never fetched.',
    source: 'OIDC Core §6.2; RFC 9126 §4; Auth0 discovery (O5)',
    fix: 'Push the request to /oauth/par and use the returned urn:ietf:params:oauth:request_uri:… value.',
  },
  'AZR-2': {
    summary: 'client_id is sent with request_uri and equals the client that pushed it.',
    source: 'RFC 9126 §2.2, §4; RFC 9101 §5; Auth0 PAR API (A5)',
    fix: 'Send the client_id of the application that called /oauth/par.',
  },
  'AZR-3': {
    summary: 'The request_uri is known, not expired and not used.',
    source: 'RFC 9126 §4; Auth0 PAR (A3)',
    fix: 'Push a new request: a request_uri lives 30 seconds and works once.',
  },
  'AZR-4': { summary: 'A request_uri is used only once (marked used now).', source: 'RFC 9126 §4; Auth0 PAR (A3)' },
  'AZR-5': { summary: 'With request_uri, every other query parameter except client_id is ignored.', source: 'RFC 9126 §4; FAPI 2.0; node-oidc-provider' },
  'AZR-6': { summary: 'A pushed request is validated again at /authorize (client, redirect URI, credentials).', source: 'RFC 9126 §4; Auth0 PAR (A3)' },
  'AZR-7': { summary: 'A pushed request object satisfies “JAR required”.', source: 'Auth0 Configure JAR (A2)' },
  'AZR-9': { summary: 'Each parameter appears at most once.', source: 'RFC 6749 §3.1, §3.2', fix: 'Send each parameter once.' },

  // Authorization request basics (Parley ids, LOCAL_RULE_IDS)
  'AZQ-0': {
    summary: 'client_id names a registered application.',
    source: 'RFC 6749 §4.1.1, §4.1.2.1',
    fix: 'Use the client_id of an application of this tenant.',
  },
  'AZQ-1': {
    summary: 'response_type is present and is `code` (the only flow this server implements).',
    source: 'RFC 6749 §4.1.1, §4.1.2.1; Auth0 PAR accepts only code (A6); FAPI 2.0 (FAP-7)',
    fix: 'Send response_type=code.',
  },
  'AZQ-2': {
    summary: 'response_mode, when sent, is query, fragment or form_post.',
    source: 'OAuth 2.0 Multiple Response Types §2; OAuth 2.0 Form Post Response Mode',
    fix: 'Send response_mode=query (the default for code) or form_post.',
  },
  'AZQ-3': {
    summary: 'scope is a space-separated list of scope tokens, and audience is a single identifier.',
    source: 'RFC 6749 §3.3; Auth0 audience parameter',
    fix: 'Separate scopes with single spaces; use printable ASCII only.',
  },
  'AZQ-4': {
    summary:
      'prompt holds known values, `none` is not combined with another value, and prompt=none succeeds only when the browser is signed in and consent is not needed.',
    source: 'OIDC Core §3.1.2.1, §3.1.2.6',
    fix: 'Send one of none, login, consent, select_account; send prompt=none only for a user who is signed in and has consented.',
  },
  'AZQ-5': { summary: 'max_age is a non-negative integer number of seconds.', source: 'OIDC Core §3.1.2.1', fix: 'Send max_age as whole seconds, e.g. 3600.' },
  'AZQ-6': {
    summary: 'Parameters are plain strings of reasonable size, and front-channel forms are sent as application/x-www-form-urlencoded.',
    source: 'RFC 6749 §3.1; Auth0 Authentication API; HTML forms; OIDC Core §3.1.2.1 (POST /authorize)',
    fix: 'Send each parameter as one string value, in a form sent as application/x-www-form-urlencoded.',
  },

  // Client authentication (§5; the assertion rules themselves are RuleDefs)
  'PKJ-1': {
    summary: 'client_assertion_type comes with exactly one client_assertion.',
    source: 'RFC 7523 §2.2; RFC 7521 §4.2',
    fix: 'Send client_assertion together with client_assertion_type.',
  },
  'PKJ-2': {
    summary: 'The client uses one authentication mechanism only (no secret or Basic header alongside an assertion).',
    source: 'RFC 6749 §2.3',
    fix: 'Send either client_assertion, or client_secret, or an Authorization: Basic header — not several.',
  },
  'PKJ-4': {
    summary: 'The client authenticates with the method registered for it.',
    source: 'Auth0 Configure Private Key JWT (A8); Application credentials (A10)',
    fix: 'Use the method the application is configured for (Credentials tab / token_endpoint_auth_method).',
  },

  // Authorization code, PKCE and the token endpoint (§6)
  'TOK-1': {
    summary: 'The code is known, issued to this client, and redeemed with the redirect_uri it was issued for.',
    source: 'RFC 6749 §4.1.3, §10.5; Auth0 (O4: 403 “Invalid authorization code”)',
    fix: 'Exchange a fresh code once, with the same client and redirect_uri as at /authorize.',
  },
  'TOK-2': {
    summary: 'A code is redeemed once; a replay revokes every token issued from it.',
    source: 'RFC 6749 §4.1.2, §10.5',
    fix: 'Never retry a code exchange that succeeded; start a new authorization.',
  },
  'TOK-3': {
    summary: 'Authorization codes are short-lived (10 minutes; 60 seconds in the strict profile).',
    source: 'RFC 6749 §4.1.2; FAPI 2.0 SP §5.3.2.1 (A13)',
  },
  'TOK-4': {
    summary: 'The code_verifier is 43–128 characters from A-Z a-z 0-9 - . _ ~.',
    source: 'RFC 7636 §4.1',
    fix: 'Generate the verifier from 32 random bytes, base64url-encoded (43 characters).',
  },
  'TOK-5': {
    summary: 'When a code_challenge was sent at /authorize, the token request carries the matching code_verifier.',
    source: 'RFC 7636 §4.6; Auth0 (go-auth0 tests: “Failed to verify code verifier”)',
    fix: 'Send the code_verifier that produced the code_challenge of this authorization request.',
  },
  'TOK-6': {
    summary: 'No code_verifier is accepted for a code issued without a code_challenge (PKCE downgrade).',
    source: 'RFC 9700 §2.1.1',
    fix: 'Send code_challenge at /authorize, or leave code_verifier out of the token request.',
  },
  'TOK-7': {
    summary: 'code_challenge_method is S256 (or plain in Auth0 mode) and the challenge is well-formed.',
    source: 'RFC 7636 §4.2, §4.3, §4.4.1; Auth0 discovery (S256, plain); FAPI 2.0 (S256 only)',
    fix: 'Send code_challenge_method=S256 with a 43-character base64url SHA-256 challenge.',
  },
  'TOK-8': {
    summary: 'Public clients (and every client in the strict profile) must use PKCE, and a public client redeems only codes issued with PKCE.',
    source: 'RFC 8252 §8.1; RFC 9700 §2.1.1; FAPI 2.0 SP',
    fix: 'Send code_challenge and code_challenge_method=S256 at /authorize, and code_verifier at /oauth/token.',
  },
  'TOK-9': {
    summary: 'Client authentication failures answer 401 (access_denied for secrets, invalid_client for assertions).',
    source: 'Auth0 observed (O6, A20); RFC 6749 §5.2',
  },

  // Token request basics (Parley ids)
  'TKQ-1': {
    summary: 'grant_type is present and supported (authorization_code, client_credentials, refresh_token, urn:ietf:params:oauth:grant-type:token-exchange).',
    source: 'RFC 6749 §4.1.3, §5.2',
    fix: 'Send one of the supported grant types.',
  },
  'TKQ-2': {
    summary: 'The grant type is enabled for the client.',
    source: 'Auth0 application grant types',
    fix: 'Enable the grant type in the application’s grant_types.',
  },
  'TKQ-3': {
    summary: 'The grant’s required parameters are present and the body is a form or JSON.',
    source: 'RFC 6749 §4.1.3, §6; Auth0 Authentication API',
    fix: 'Send the parameter named in the error.',
  },
  'TKQ-4': {
    summary: 'client_credentials and token exchange name an audience the client has a client grant for (token exchange: an API of the tenant).',
    source: 'Auth0 client grants',
    fix: 'Send audience, and grant the application access to that API.',
  },
  'TKQ-5': {
    summary: 'The refresh token is known, issued to this client, and not revoked; a token exchange’s subject token is a live user access token of this tenant.',
    source: 'RFC 6749 §6',
    fix: 'Use the refresh token issued to this client; sign in again if it was revoked.',
  },
  'TKQ-6': {
    summary:
      'A user’s token for the Management API holds only *:current_user* scopes (and OpenID Connect scopes); other Management scopes asked for are left out.',
    source: 'Auth0 “Get Management API Access Tokens for Single-Page Applications” (available scopes); Parley rule',
    fix: 'Call client-level Management operations with a client-credentials token of a client that has a Management API grant.',
  },

  // ID tokens (§7)
  'IDT-1': { summary: 'The ID token’s iss is the issuer with its trailing slash.', source: 'Auth0 (A16, O5); OIDC Core §2' },
  'IDT-2': { summary: 'The ID token has sub, aud = client_id, exp, iat; nonce echoed; auth_time when max_age was sent.', source: 'OIDC Core §2, §3.1.3.6' },
  'IDT-3': { summary: 'at_hash matches the access token issued with the ID token.', source: 'OIDC Core §3.1.3.6, §3.3.2.11' },
  'IDT-4': {
    summary: 'The ID token is signed with jwt_configuration.alg: RS256/PS256 by the tenant key, HS256 by the client secret.',
    source: 'Auth0 (O1, A8, A16)',
    fix: 'Use RS256 with private_key_jwt clients (PKJ-17).',
  },
  'IDT-5': {
    summary: 'Under a fapi1_adv_* compliance level the ID token carries s_hash, the hash of the state.',
    source: 'Auth0 FAPI compliance (A13); FAPI 1 Advanced §5.2.2.1',
    fix: 'Send a state with the authorization request so the ID token can carry its hash.',
  },

  // Discovery and JWKS (§8)
  'DSC-1': { summary: 'Discovery publishes the issuer (with trailing slash) and every endpoint.', source: 'OIDC Discovery 1.0; RFC 8414; Auth0 (A16, O5)' },
  'DSC-2': { summary: 'private_key_jwt and its RSA algorithms are advertised.', source: 'Auth0 (A16, O5); RFC 8414 §2' },
  'DSC-3': { summary: 'code_challenge_methods_supported lists what /authorize accepts.', source: 'Auth0 (A16, O5); RFC 8414 §2' },
  'DSC-4': {
    summary: 'request_parameter_supported follows the profile (Auth0: false, strict: true); request_uri_parameter_supported is false.',
    source: 'Auth0 captured discovery (O5); RFC 9101 §10.1',
  },
  'DSC-5': {
    summary: 'require_pushed_authorization_requests and authorization_response_iss_parameter_supported appear only when on.',
    source: 'RFC 9126 §5; RFC 9207 §3',
  },
  'DSC-6': { summary: 'The JWKS holds only the tenant’s public signing keys.', source: 'RFC 7517 §4–6; Auth0 FAPI setup (A14)' },

  // Redirect URIs (§10; the registration checks are shared/jwt/redirect-uri.ts)
  'RED-3': {
    summary: 'Callback and logout URLs never use a scheme a browser runs or reads locally (javascript:, data:, vbscript:, file:, blob:, about:, filesystem:).',
    source: 'server-rules.md RED-3; RFC 6749 §3.1.2; RFC 9700 §4.11 (open redirection)',
  },
  'RED-4': {
    summary: 'A redirect to a non-verifiable callback (custom scheme or loopback) is confirmed by the user or auto-accepted by setting.',
    source: 'Auth0 app impersonation measures (A17); RFC 8252 §8.6',
    fix: 'Turn on the consent step in the server settings to see the confirmation.',
  },

  // Sign-in, consent and the login transaction (Parley ids)
  'SES-1': {
    summary: 'The sign-in step belongs to a live login transaction, and consent follows a completed sign-in of the same transaction.',
    source: 'Parley sign-in (RFC 9126 §4 / Auth0 A3: the login continues from server state, not from the request_uri)',
    fix: 'Start again from the application: the transaction expired (30 minutes), was finished, or the server restarted.',
  },
  'SES-2': {
    summary: 'The transaction was started by this browser (its parley_tx cookie matches).',
    source: 'RFC 9700 §4.7 (CSRF); OWASP login CSRF',
    fix: 'Open the sign-in page from the same browser that called /authorize.',
  },
  'SES-3': {
    summary: 'The form carries the CSRF token of its transaction.',
    source: 'OWASP CSRF prevention (synchroniser token)',
    fix: 'Submit the form as served; do not reuse forms across transactions.',
  },
  'SES-4': {
    summary: 'The email and password match a user of the tenant.',
    source: 'Parley sign-in page',
    fix: 'Use the demo user shown on the Server screen, or create a user.',
  },
  'SES-5': { summary: 'The user answered the consent prompt.', source: 'OIDC Core §3.1.2.4' },
  'SES-6': {
    summary: 'The sign-in and consent forms are posted from this server’s own pages (same Origin; never Sec-Fetch-Site cross-site or same-site).',
    source: 'OWASP CSRF prevention (verifying origin with standard headers); Fetch Metadata (Sec-Fetch-Site)',
    fix: 'Submit the form from the page this server served; another site, or another local server, cannot post it.',
  },
  'SES-7': {
    summary: 'A user is blocked after 10 consecutive wrong passwords, whichever transactions they came through (brute-force protection).',
    source: 'Auth0 Brute-Force Protection (default threshold 10; too_many_attempts); Auth0 database connection rate limits',
    fix: 'Wait 15 minutes after the last failed attempt, or restart the server; a correct password before the 10th failure resets the count.',
  },

  // /userinfo (Parley id)
  'USR-1': {
    summary: 'A valid, unrevoked access token for /userinfo is sent as a Bearer token.',
    source: 'OIDC Core §5.3; RFC 6750 §2.1, §3',
    fix: 'Send Authorization: Bearer <access_token> from a code exchange that requested openid.',
  },

  // Revocation (Parley id)
  'RVK-1': {
    summary: 'The token to revoke is sent; a refresh token of the calling client is revoked with its grant; anything else is ignored.',
    source: 'RFC 7009 §2.1, §2.2',
    fix: 'Send token=<refresh_token> with the client’s authentication.',
  },

  // Logout (Parley id)
  'LGO-1': {
    summary: 'returnTo / post_logout_redirect_uri is one of the client’s Allowed Logout URLs.',
    source: 'Auth0 logout (Allowed Logout URLs); OIDC RP-Initiated Logout §3',
    fix: 'Add the URL to the application’s Allowed Logout URLs and send its client_id.',
  },

  // Management API: clients (§11; MGC-10 is Parley’s)
  'MGC-1': {
    summary: 'The request carries a Management API access token with a scope this endpoint accepts.',
    source: 'Auth0 Management API reference (A15); server-rules.md §1.1',
  },
  'MGC-2': {
    summary: 'On create, slot credentials are full credential objects that the server creates and attaches.',
    source: 'Auth0 Configure JAR / Private Key JWT (A2, A8); node-auth0 types (O1)',
  },
  'MGC-3': { summary: 'On update, slot credentials are references {id} to credentials of this same client.', source: 'Auth0 (A2, A8, A9); recordings (O3)' },
  'MGC-4': { summary: 'Each slot holds at most 2 credentials.', source: 'Observed Auth0 error (O2)' },
  'MGC-5': {
    summary: 'A client uses either token_endpoint_auth_method or client_authentication_methods, never both.',
    source: 'Auth0 Configure Private Key JWT (A8); recordings (O3)',
  },
  'MGC-6': { summary: 'private_key_jwt cannot be combined with jwt_configuration.alg HS256.', source: 'Auth0 Configure Private Key JWT (A8); PKJ-17' },
  'MGC-7': {
    summary: 'token_endpoint_auth_method is none, client_secret_post or client_secret_basic (private_key_jwt is set through client_authentication_methods).',
    source: 'node-auth0 types (O1); recordings (O3)',
  },
  'MGC-8': { summary: 'PATCH merges signed_request_object; null clears it.', source: 'Recordings (O3)' },
  'MGC-9': {
    summary: 'require_pushed_authorization_requests is a boolean and compliance_level a known level or null.',
    source: 'Auth0 PAR and FAPI docs (A4, A13); node-auth0 types (O1)',
  },
  'MGC-10': {
    summary:
      'Only a client-credentials token whose client still holds a client grant for the Management API opens it, and only the scopes that grant still holds count.',
    source:
      'Auth0 Management API access tokens (client credentials grant); Auth0 “Get Management API Access Tokens for Single-Page Applications” (a user’s token holds only *:current_user* scopes); Parley rule',
  },

  // Management API: credentials (§12)
  'CRD-1': { summary: 'credential_type is public_key.', source: 'node-auth0 types (O1)' },
  'CRD-2': {
    summary: 'pem is an RSA public key (SPKI or PKCS#1) or an X.509 certificate, never a private key.',
    source: 'Auth0 Configure Private Key JWT (A8, A12); O1',
  },
  'CRD-3': { summary: 'The RSA modulus is between 2048 and 4096 bits.', source: 'Auth0 Configure Private Key JWT (A8, A12)' },
  'CRD-4': { summary: 'alg is RS256, RS384 or PS256 (default RS256).', source: 'Auth0 (A8); O1' },
  'CRD-5': { summary: 'expires_at is an ISO 8601 date-time in the future, or absent (never expires).', source: 'Auth0 (A8); O1' },
  'CRD-6': { summary: 'parse_expiry_from_cert needs a certificate, takes its notAfter, and excludes expires_at.', source: 'Auth0 (A8); recordings (O2, O3)' },
  'CRD-7': { summary: 'kid is the RFC 7638 thumbprint, or a caller kid matching [0-9a-zA-Z-_]{10,64}.', source: 'Auth0 (A8); O1; RFC 7638' },
  'CRD-8': { summary: 'A client holds at most 4 credentials.', source: 'Observed Auth0 error (O2)' },
  'CRD-9': {
    summary: 'The same public key is registered at most once per client, across both slots.',
    source: 'Observed Auth0 error (O2); Auth0 credential settings (A11)',
  },
  'CRD-10': { summary: 'A created credential is returned as its eight fields, never with its PEM.', source: 'Recordings (O3); A15' },
  'CRD-11': { summary: 'A credential is created unattached; it works once a slot references it.', source: 'Auth0 (A2, A8); O1' },
  'CRD-12': { summary: 'Credentials are listed as a bare array; an unknown client or credential is 404.', source: 'Recordings (O3)' },
  'CRD-13': { summary: 'A credential PATCH changes only expires_at.', source: 'Auth0 (A8); O1; O3' },
  'CRD-14': { summary: 'A credential still attached to a slot cannot be deleted.', source: 'Auth0 Rotate credentials (A9); O3' },
  'CRD-15': { summary: 'An expired credential stays listed but cannot be used.', source: 'Auth0 credential settings (A11); PKJ-14' },
});

/** Every id of the server's catalogue. */
export type RuleId = keyof typeof RULES;

/**
 * Parley's own rule ids for checks the spec implies but does not number:
 * AZQ-* authorization request basics (AZQ-0: the client exists) (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), TKQ-* token request basics
 * (RFC 6749 §4.1.3, §5.2), SES-* the sign-in transaction, password and consent, USR-1 the userinfo bearer token,
 * RVK-1 revocation, LGO-1 logout. Added by the security hardening of issue #13: TKQ-6 (a user's token for the
 * Management API holds only *:current_user* scopes), SES-6 (the sign-in forms are posted from this server's own
 * origin), SES-7 (brute-force protection per user), MGC-10 (only client-credentials tokens with a live client
 * grant open the Management API; management/bearer-auth.ts).
 */
export const LOCAL_RULE_IDS = [
  'AZQ-0',
  'AZQ-1',
  'AZQ-2',
  'AZQ-3',
  'AZQ-4',
  'AZQ-5',
  'AZQ-6',
  'TKQ-1',
  'TKQ-2',
  'TKQ-3',
  'TKQ-4',
  'TKQ-5',
  'SES-1',
  'SES-2',
  'SES-3',
  'SES-4',
  'SES-5',
  'USR-1',
  'RVK-1',
  'LGO-1',
  'TKQ-6',
  'SES-6',
  'SES-7',
  'MGC-10',
] as const satisfies readonly RuleId[];

/**
 * Spec rules that have no traced rule of their own, and what keeps each one: a convention every response
 * follows, or other rules in the strict profile and under Auth0 compliance levels. The catalogue test
 * requires every other spec id to have a rule, and each id here to have none.
 */
export const SPEC_RULES_KEPT_BY_OTHERS = {
  'E-1': 'every back-channel error is JSON with Cache-Control: no-store (errors.ts, app.ts)',
  'E-6': 'the HTML error page of a RED-1 failure (endpoints/html.ts)',
  'E-8': 'the generic wire descriptions of the PKJ-*, JWT-* and E-3 failures; the trace has the detail',
  'PKJ-16': 'the wire error of every client assertion rule (invalid_client)',
  'PKJ-17': 'MGC-6, as the spec says',
  'FAP-1': 'AZR-8 (PAR required under a compliance level)',
  'FAP-2': 'TOK-7 and TOK-8 in the strict profile',
  'FAP-3': 'the assertion aud rule in the strict profile (shared/jwt/rules/client-assertion.ts)',
  'FAP-4': 'PAR-8 and PAR-17',
  'FAP-5': 'the iss parameter of authorization responses (endpoints/policy.ts)',
  'FAP-6': 'TOK-3 (60-second codes in the strict profile, endpoints/policy.ts)',
  'FAP-7': 'AZQ-1 in the strict profile',
  'FAP-8': 'E-3 in the strict profile (checks/client-auth.ts)',
  'FAP-9': 'JWT-9 and the clock-skew settings of the strict profile (shared/jwt/profiles.ts)',
  'FAP-10': 'JAR-3, IDT-5 and the fapi1 profile (shared/jwt/profiles.ts)',
} as const satisfies Record<string, string>;
