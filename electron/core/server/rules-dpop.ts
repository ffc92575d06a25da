/**
 * The DPoP rules the embedded server checks inline (against the request, the stored grant or token, the
 * client and the API's policy at once), and the Management API's DPoP rules, keyed by id as in rules.ts.
 * The proof rules whose check travels with them are RuleDefs in shared/jwt/rules/dpop-proof.ts
 * (DPP-1..11, DPP-13, DPN-1, DPN-4, DPB-5..7, DPB-9, DPB-12); the ids below are the rest of
 * ../shared/spec/dpop-rules.md. test/unit/electron/core/server/rules.test.ts holds the union against the spec both ways.
 *
 * Wire errors marked (sugg.) in the spec are Parley's wording; Auth0's is unknown (spec §13).
 */
import { catalogue } from './rules';

export const DPOP_RULES = catalogue({
  // Error transport (§0)
  'ED-3': {
    summary:
      'Every response carrying DPoP-Nonce is Cache-Control: no-store; CORS responses expose DPoP-Nonce and WWW-Authenticate, and preflights allow the DPoP header.',
    source: 'RFC 9449 §7.1, §8; node-oidc-provider (N1); Auth0 Configure Cross-Origin Resource Sharing (Allowed Origins, Allowed Web Origins)',
    fix: "Add the app's origin (scheme://host:port) to the client's Allowed Web Origins (web_origins) or Allowed Origins (CORS) (allowed_origins).",
  },

  // Proofs on endpoints (§3)
  'DPP-15': {
    summary:
      'A DPoP header on an endpoint that does not use DPoP (revocation, logout, passwordless start, MFA challenge, database connections) is ignored, not validated.',
    source: 'dpop-rules.md DPP-15; Auth0.swift attaches a proof to every call (DO4)',
  },
  'DPP-16': {
    summary: 'With DPoP on, every DPoP header at /oauth/token and /oauth/par is validated, even when the token issued will be a Bearer token.',
    source: 'dpop-rules.md DPP-16 (Auth0 behaviour unknown, open question 3)',
    fix: 'Fix the proof: a broken proof is refused even where it would not bind the token.',
  },

  // Binding (§4)
  'DPB-1': {
    summary:
      "Whether /oauth/token issues a token, and whether it binds it, follows Auth0's matrix of audience, client require_proof_of_possession, API proof_of_possession and proof presence.",
    source: 'Auth0 Configure Sender Constraining (DA2)',
    fix: 'Send a DPoP proof (the client or the API requires one), or use an API whose policy allows DPoP.',
  },
  'DPB-2': {
    summary: "A bound JWT access token carries cnf.jkt, the RFC 7638 SHA-256 thumbprint of the proof key; an opaque token keeps it in the server's record.",
    source: 'Auth0 DPoP docs (DA1 step 4); RFC 9449 §6.1; RFC 7800; RFC 7638',
  },
  'DPB-3': {
    summary: 'The token response says token_type DPoP for a bound token and Bearer otherwise (including a proof ignored by DPB-1).',
    source: 'Auth0 DPoP docs (DA1, DA9); RFC 9449 §5',
  },
  'DPB-4': { summary: 'ID tokens are never bound and never carry cnf; refresh tokens keep their binding in the server record.', source: 'RFC 9449 §5–§6' },
  'DPB-8': {
    summary:
      'A DPoP rejection (above all use_dpop_nonce) consumes no code, rotates no refresh token and burns no device code or OTP: the proof is validated before the grant is touched.',
    source: 'Auth0 SDKs resend the same body after a nonce challenge (DO1, DO3, DO4); node-oidc-provider (N1)',
  },
  'DPB-10': {
    summary:
      'A bound refresh token presented without a proof is refused like a key mismatch; an unbound one presented with a proof yields a token bound per DPB-1.',
    source: 'RFC 9449 §5; node-oidc-provider (N1)',
    fix: 'Refresh with a proof from the key that obtained the refresh token.',
  },
  'DPB-11': {
    summary: 'Online refresh tokens of public clients require DPoP: none is issued or redeemed without a proof.',
    source: 'Auth0 online refresh tokens (DA12)',
    fix: 'Send a DPoP proof with the request (the SPA SDK requires DPoP for online refresh tokens).',
  },
  'DPB-13': {
    summary:
      'At /userinfo the scheme fits the token: a bound token as Bearer, or an unbound token as DPoP, is invalid_token; a DPoP proof next to a Bearer token is invalid_request; a token outside the Authorization header is refused.',
    source: 'RFC 9449 §7.2; node-oidc-provider (N1); auth0-api-js (DO5)',
    fix: 'Send Authorization: <token_type> <access_token>, with the token_type of the token response, and a proof when it is DPoP.',
  },
  'DPB-14': {
    summary:
      "Token exchange does not check the subject token's binding: it binds the new token only with a valid proof that DPB-1 allows, and otherwise issues a Bearer token (traced as a warning).",
    source: 'Auth0 On-Behalf-Of token exchange (DA9)',
  },
  'DPB-15': {
    summary: 'A DPoP proof with an mTLS client certificate: Auth0 binds to the DPoP key; the strict profile refuses both together.',
    source: 'nextjs-auth0 (DO3); node-oidc-provider (N1)',
    fix: 'Use one proof-of-possession mechanism per token request.',
  },
  'DPB-16': {
    summary: 'client_credentials and other confidential grants bind the access token when DPB-1 says so, with no refresh token and no nonce.',
    source: 'Auth0 DPoP docs (DA1)',
  },
  'DPB-17': { summary: "/oauth/revoke needs no proof, even for a public client's bound refresh token.", source: 'auth0-spa-js (DO1)' },
  'DPB-18': {
    summary: 'A client that requires proof of possession cannot get access tokens from the front channel (response_type with token).',
    source: 'dpop-rules.md DPB-18 (Auth0 behaviour unknown, open question 8)',
    fix: 'Use response_type=code and exchange the code with a DPoP proof.',
  },

  // Nonces (§5)
  'DPN-2': { summary: 'Confidential clients need no nonce at the token endpoint; a nonce they send anyway must be valid.', source: 'Auth0 DPoP docs (DA1)' },
  'DPN-3': {
    summary: 'At token exchange, a request whose subject token was issued under the nonce policy must carry a nonce, even from a confidential client.',
    source: 'Auth0 On-Behalf-Of token exchange (DA9)',
    fix: 'Retry once with the DPoP-Nonce of the use_dpop_nonce response.',
  },
  'DPN-5': {
    summary:
      'Nonces are stateless (HMAC of a secret and a 60 s time step), live about three minutes, and a fresh one is sent on every token and PAR response to a client under the nonce policy.',
    source: 'Auth0 Authentication API (DA8); RFC 9449 §8, §8.1; node-oidc-provider (N1)',
  },
  'DPN-6': {
    summary: 'No downgrade: a client under the nonce policy never gets a proof without nonce accepted, and only such clients are sent DPoP-Nonce.',
    source: 'RFC 9449 §11.3',
  },
  'DPN-7': {
    summary: 'A nonce challenge counts for rate limiting but never as a failed login or for brute-force counters.',
    source: 'Auth0 DPoP docs (DA1); Auth0 enterprise DPoP (DA10)',
  },
  'DPN-8': {
    summary: "Nonces are per server: the tenant's nonce is not an API's; /userinfo requires none but accepts a valid tenant nonce.",
    source: 'RFC 9449 §9; auth0-spa-js (DO1); Auth0.swift (DO4)',
  },

  // Configuration and Management API (§6)
  'DPC-1': {
    summary: 'Clients have a boolean require_proof_of_possession (false by default), set on create and update.',
    source: 'Auth0 Configure Sender Constraining (DA2); node-auth0 types (DO8); Terraform recordings (DO9)',
  },
  'DPC-2': {
    summary:
      'Resource servers have proof_of_possession {mechanism, required, required_for}, set on create (create:resource_servers) and update (update:resource_servers).',
    source: 'Auth0 Configure Sender Constraining (DA2); Management API reference (DA13); DO8',
  },
  'DPC-3': {
    summary: 'proof_of_possession.mechanism is dpop or mtls (none accepted as no mechanism); anything else is a payload validation error.',
    source: 'Auth0 (DA2); node-auth0 and auth0-python types (DO8); Terraform (DO9)',
    fix: 'Send mechanism "dpop" or "mtls", or proof_of_possession: null to switch sender constraining off.',
  },
  'DPC-4': {
    summary: 'proof_of_possession.required (and mechanism) are required whenever the object is sent.',
    source: 'Auth0 (DA2); node-auth0 types (DO8)',
    fix: 'Send both mechanism and required.',
  },
  'DPC-5': {
    summary: 'required_for is all_clients (default) or public_clients, and only all_clients with mtls.',
    source: 'Auth0 (DA2); DO8; DO9',
    fix: 'Use required_for all_clients with mtls.',
  },
  'DPC-6': { summary: 'Responses echo the stored proof_of_possession as written, without filling in required_for.', source: 'Terraform recordings (DO9)' },
  'DPC-7': {
    summary: 'proof_of_possession: null removes sender constraining; a PATCH with an object replaces the whole object.',
    source: 'Auth0 Configure Sender Constraining (DA2)',
  },
  'DPC-8': {
    summary: "The Dashboard's None / mTLS / DPoP and Always / For Public Applications / Never map onto mechanism, required and required_for.",
    source: 'Auth0 Configure Sender Constraining (DA2)',
  },
  'DPC-9': {
    summary: 'A public client is one with token_endpoint_auth_method none and no client_authentication_methods; every other client is confidential.',
    source: 'Auth0 DPoP docs (DA1)',
  },
  'DPC-10': {
    summary: 'DPoP is a tenant switch (on by default); off, DPoP headers and dpop_jkt are ignored and Bearer tokens issued.',
    source: 'Auth0 DPoP docs (DA1, DA7: Early Access)',
    fix: 'Turn DPoP on in the server settings.',
  },
  'DPC-11': {
    summary:
      'Discovery publishes dpop_signing_alg_values_supported (the DPP-4 allow-list) in standards mode and omits it in Auth0-exact mode; never dpop_bound_access_tokens.',
    source: 'RFC 9449 §5.1; Auth0 discovery sample (open question 4)',
  },
  'DPC-12': {
    summary: 'Enterprise connections store options.dpop_signing_alg (ES256, ES384, ES512, Ed25519) and return it.',
    source: 'Auth0 enterprise DPoP (DA10); node-auth0 types (DO8)',
  },
  'DPC-13': {
    summary: "Dynamic registration's dpop_bound_access_tokens is ignored in Auth0 mode and maps to require_proof_of_possession in standards mode.",
    source: 'RFC 9449 §5.2',
  },
  'DPC-14': {
    summary: "Auth0's FAPI 2 compliance levels bind with mTLS; Parley's DPoP strict profile is its own.",
    source: 'server-rules.md MGC-9; Auth0 FAPI (A13)',
  },
});

/** Every id of the DPoP catalogue. */
export type DpopRuleId = keyof typeof DPOP_RULES;

/**
 * DPoP spec rules with no traced rule of their own, and what keeps each (as SPEC_RULES_KEPT_BY_OTHERS in
 * rules.ts): the catalogue test requires every other dpop-rules.md id to have a rule.
 */
export const DPOP_SPEC_RULES_KEPT_BY_OTHERS = {
  'ED-1': 'the `wire` of every DPoP proof rule: 400 JSON at /oauth/token and /oauth/par (dpopWireResponse)',
  'ED-2': 'the `resourceWire` of every DPoP proof rule and dpopChallenge: 401 with a DPoP challenge listing algs at /userinfo',
  'ED-4': 'the wire descriptions of the DPoP proof rules name the failed check; expected and actual values go to the trace only',
  'DPP-12': 'DPN-1 and DPN-4, whose wire error is use_dpop_nonce, never invalid_dpop_proof',
  'DPP-14': 'the order of DPOP_PROOF_RULES (shared/jwt/rules/dpop-proof.ts)',
  'DPN-9': 'the resourceWire of DPN-1 and DPN-4 (401, DPoP error="use_dpop_nonce", a fresh DPoP-Nonce)',
  'DPN-10': 'DPP-10 runs before the nonce rules (DPP-14), so a stale iat with a valid nonce is invalid_dpop_proof',
} as const satisfies Record<string, string>;
