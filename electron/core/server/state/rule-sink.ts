/**
 * How the directory reports the Management API rules (MGC-*, CRD-*) it checks. Over HTTP the sink is the
 * request's trace; when the UI calls the directory directly there is no request, and the outcomes go
 * nowhere — the thrown ManagementError still carries the rule id and Auth0's message.
 */
import { ManagementError } from '../errors';

/** Where rule outcomes go: TraceRecorder satisfies this. */
export interface RuleSink {
  pass(id: string, summary: string, source: string, expected?: string, actual?: string): void;
  fail(id: string, summary: string, source: string, expected: string, actual: string, fix?: string, message?: string): void;
}

/** A sink that drops everything (direct calls from the UI). */
export const NO_TRACE: RuleSink = {
  pass() {},
  fail() {},
};

/** One rule as the Management API checks it: id, plain sentence, source. */
export interface MgmtRule {
  id: string;
  summary: string;
  source: string;
}

/** The Management API rules of server-rules.md §11–12 (plus E-7 for plain schema validation). */
export const RULES = {
  body: { id: 'E-7', summary: 'The body matches the Management API schema (Auth0 payload validation).', source: 'server-rules.md E-7; Auth0 Management API v2' },
  scope: { id: 'MGC-1', summary: 'The request carries a Management API access token with a scope this endpoint accepts.', source: 'Auth0 Management API reference (A15); server-rules.md §1.1' },
  // Parley's own id (server-rules.md has no rule for it; listed in checks/outcome.ts LOCAL_RULE_IDS).
  tokenKind: {
    id: 'MGC-10',
    summary: 'Only a client-credentials token whose client still holds a client grant for the Management API opens it, and only the scopes that grant still holds count.',
    source: 'Auth0 Management API access tokens (client credentials grant); Auth0 “Get Management API Access Tokens for Single-Page Applications” (a user’s token holds only *:current_user* scopes); Parley rule',
  },
  urlScheme: {
    id: 'RED-3',
    summary: 'Callback and logout URLs never use a scheme a browser runs or reads locally (javascript:, data:, vbscript:, file:, blob:, about:, filesystem:).',
    source: 'server-rules.md RED-3; RFC 6749 §3.1.2; RFC 9700 §4.11 (open redirection)',
  },
  createObjects: { id: 'MGC-2', summary: 'On create, slot credentials are full credential objects that the server creates and attaches.', source: 'Auth0 Configure JAR / Private Key JWT (A2, A8); node-auth0 types (O1)' },
  updateRefs: { id: 'MGC-3', summary: 'On update, slot credentials are references {id} to credentials of this same client.', source: 'Auth0 (A2, A8, A9); recordings (O3)' },
  slotSize: { id: 'MGC-4', summary: 'Each slot holds at most 2 credentials.', source: 'Observed Auth0 error (O2)' },
  authMethod: { id: 'MGC-5', summary: 'A client uses either token_endpoint_auth_method or client_authentication_methods, never both.', source: 'Auth0 Configure Private Key JWT (A8); recordings (O3)' },
  hs256: { id: 'MGC-6', summary: 'private_key_jwt cannot be combined with jwt_configuration.alg HS256.', source: 'Auth0 Configure Private Key JWT (A8); PKJ-17' },
  secretMethods: { id: 'MGC-7', summary: 'token_endpoint_auth_method is none, client_secret_post or client_secret_basic (private_key_jwt is set through client_authentication_methods).', source: 'node-auth0 types (O1); recordings (O3)' },
  merge: { id: 'MGC-8', summary: 'PATCH merges signed_request_object; null clears it.', source: 'Recordings (O3)' },
  compliance: { id: 'MGC-9', summary: 'require_pushed_authorization_requests is a boolean and compliance_level a known level or null.', source: 'Auth0 PAR and FAPI docs (A4, A13); node-auth0 types (O1)' },
  credentialType: { id: 'CRD-1', summary: 'credential_type is public_key.', source: 'node-auth0 types (O1)' },
  pem: { id: 'CRD-2', summary: 'pem is an RSA public key (SPKI or PKCS#1) or an X.509 certificate, never a private key.', source: 'Auth0 Configure Private Key JWT (A8, A12); O1' },
  keySize: { id: 'CRD-3', summary: 'The RSA modulus is between 2048 and 4096 bits.', source: 'Auth0 Configure Private Key JWT (A8, A12)' },
  alg: { id: 'CRD-4', summary: 'alg is RS256, RS384 or PS256 (default RS256).', source: 'Auth0 (A8); O1' },
  expiresAt: { id: 'CRD-5', summary: 'expires_at is an ISO 8601 date-time in the future, or absent (never expires).', source: 'Auth0 (A8); O1' },
  certExpiry: { id: 'CRD-6', summary: 'parse_expiry_from_cert needs a certificate, takes its notAfter, and excludes expires_at.', source: 'Auth0 (A8); recordings (O2, O3)' },
  kid: { id: 'CRD-7', summary: 'kid is the RFC 7638 thumbprint, or a caller kid matching [0-9a-zA-Z-_]{10,64}.', source: 'Auth0 (A8); O1; RFC 7638' },
  pool: { id: 'CRD-8', summary: 'A client holds at most 4 credentials.', source: 'Observed Auth0 error (O2)' },
  duplicate: { id: 'CRD-9', summary: 'The same public key is registered at most once per client, across both slots.', source: 'Observed Auth0 error (O2); Auth0 credential settings (A11)' },
  created: { id: 'CRD-10', summary: 'A created credential is returned as its eight fields, never with its PEM.', source: 'Recordings (O3); A15' },
  unattached: { id: 'CRD-11', summary: 'A credential is created unattached; it works once a slot references it.', source: 'Auth0 (A2, A8); O1' },
  read: { id: 'CRD-12', summary: 'Credentials are listed as a bare array; an unknown client or credential is 404.', source: 'Recordings (O3)' },
  patch: { id: 'CRD-13', summary: 'A credential PATCH changes only expires_at.', source: 'Auth0 (A8); O1; O3' },
  expired: { id: 'CRD-15', summary: 'An expired credential stays listed but cannot be used.', source: 'Auth0 credential settings (A11); PKJ-14' },
  remove: { id: 'CRD-14', summary: 'A credential still attached to a slot cannot be deleted.', source: 'Auth0 Rotate credentials (A9); O3' },
} as const satisfies Record<string, MgmtRule>;

/** Records a pass. */
export function passed(sink: RuleSink, rule: MgmtRule, expected?: string, actual?: string): void {
  sink.pass(rule.id, rule.summary, rule.source, expected, actual);
}

/** Records a failure and returns the 400 invalid_body error to throw (or another status/code when given). */
export function failed(
  sink: RuleSink,
  rule: MgmtRule,
  message: string,
  detail: { expected: string; actual: string; fix?: string; status?: number; errorCode?: string },
): ManagementError {
  sink.fail(rule.id, rule.summary, rule.source, detail.expected, detail.actual, detail.fix ?? '', message);
  return new ManagementError(detail.status ?? 400, detail.errorCode ?? 'invalid_body', message, rule.id);
}

/** Auth0's payload-validation message: `Payload validation error: '<what>' on property <path>.` (root: no property). */
export function payloadMessage(what: string, path: string): string {
  return path === '' ? `Payload validation error: '${what}'.` : `Payload validation error: '${what}' on property ${path}.`;
}

/** Records a failed payload validation under `rule` and returns the error to throw. */
export function payloadError(sink: RuleSink, rule: MgmtRule, what: string, path: string, expected: string, actual: string, fix = ''): ManagementError {
  const error = failed(sink, rule, payloadMessage(what, path), { expected, actual, fix });
  error.field = { path, what };
  return error;
}
