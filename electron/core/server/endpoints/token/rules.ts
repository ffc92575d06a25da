/**
 * The token endpoint's rules: the spec's TOK-*, IDT-* and PAR-5, plus Parley's TKQ-* ids for RFC 6749
 * basics (supported grant, grant allowed for the client, required parameters, client grants, refresh tokens).
 */
import type { InlineRule } from '../../checks/outcome';

const rules: InlineRule[] = [
  { id: 'TOK-1', summary: 'The code is known, issued to this client, and redeemed with the redirect_uri it was issued for.', source: 'RFC 6749 §4.1.3, §10.5; Auth0 (O4: 403 “Invalid authorization code”)', fix: 'Exchange a fresh code once, with the same client and redirect_uri as at /authorize.' },
  { id: 'TOK-2', summary: 'A code is redeemed once; a replay revokes every token issued from it.', source: 'RFC 6749 §4.1.2, §10.5', fix: 'Never retry a code exchange that succeeded; start a new authorization.' },
  { id: 'TOK-8', summary: 'A public client redeems only codes issued with PKCE.', source: 'RFC 8252 §8.1; RFC 9700 §2.1.1', fix: 'Send code_challenge at /authorize and code_verifier here.' },
  { id: 'TOK-9', summary: 'Client authentication failures answer 401 (access_denied for secrets, invalid_client for assertions).', source: 'Auth0 observed (O6, A20); RFC 6749 §5.2' },
  { id: 'PAR-5', summary: 'The client authenticates at /oauth/token with the method it used at /oauth/par.', source: 'Auth0 PAR (A3)', fix: 'Use the same authentication method (e.g. private_key_jwt) at both endpoints.' },
  { id: 'E-2', summary: 'invalid_grant is answered with 403 as Auth0 does (400 in the strict profile, as RFC 6749 §5.2 says).', source: 'Auth0 observed (O4); RFC 6749 §5.2' },
  { id: 'IDT-1', summary: 'The ID token’s iss is the issuer with its trailing slash.', source: 'Auth0 (A16, O5); OIDC Core §2' },
  { id: 'IDT-2', summary: 'The ID token has sub, aud = client_id, exp, iat; nonce echoed; auth_time when max_age was sent.', source: 'OIDC Core §2, §3.1.3.6' },
  { id: 'IDT-3', summary: 'at_hash matches the access token issued with the ID token.', source: 'OIDC Core §3.1.3.6, §3.3.2.11' },
  { id: 'IDT-5', summary: 'Under a fapi1_adv_* compliance level the ID token carries s_hash, the hash of the state.', source: 'Auth0 FAPI compliance (A13); FAPI 1 Advanced §5.2.2.1', fix: 'Send a state with the authorization request so the ID token can carry its hash.' },
  { id: 'IDT-4', summary: 'The ID token is signed with jwt_configuration.alg: RS256/PS256 by the tenant key, HS256 by the client secret.', source: 'Auth0 (O1, A8, A16)', fix: 'Use RS256 with private_key_jwt clients (PKJ-17).' },
  { id: 'TKQ-1', summary: 'grant_type is present and supported (authorization_code, client_credentials, refresh_token).', source: 'RFC 6749 §4.1.3, §5.2', fix: 'Send one of the supported grant types.' },
  { id: 'TKQ-2', summary: 'The grant type is enabled for the client.', source: 'Auth0 application grant types', fix: 'Enable the grant type in the application’s grant_types.' },
  { id: 'TKQ-3', summary: 'The grant’s required parameters are present and the body is a form or JSON.', source: 'RFC 6749 §4.1.3, §6; Auth0 Authentication API', fix: 'Send the parameter named in the error.' },
  { id: 'TKQ-4', summary: 'client_credentials names an audience the client has a client grant for.', source: 'Auth0 client grants', fix: 'Send audience, and grant the application access to that API.' },
  {
    id: 'TKQ-6',
    summary: 'A user’s token for the Management API holds only *:current_user* scopes (and OpenID Connect scopes); other Management scopes asked for are left out.',
    source: 'Auth0 “Get Management API Access Tokens for Single-Page Applications” (available scopes); Parley rule',
    fix: 'Call client-level Management operations with a client-credentials token of a client that has a Management API grant.',
  },
  { id: 'TKQ-5', summary: 'The refresh token is known, issued to this client, and not revoked.', source: 'RFC 6749 §6', fix: 'Use the refresh token issued to this client; sign in again if it was revoked.' },
];

/** The token endpoint's rules by id. */
export const TOKEN_RULES: Readonly<Record<string, InlineRule>> = Object.fromEntries(rules.map((r) => [r.id, r]));
