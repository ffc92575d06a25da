/**
 * The whitelists a case file is built with. Each function copies only what it knows to be safe — named
 * form and query parameters, named headers, named JSON members — and writes `[removed]` (or nothing) for
 * anything else, so a secret the recorder failed to redact, or a field added to a run or a target later,
 * cannot reach a case file: nothing is ever copied because it was there.
 *
 * JWTs: request objects, client assertions, ID tokens and ID token hints are kept as sent (signed
 * statements, not secrets; the case exists to re-verify them). An access token is a bearer credential:
 * it keeps its header and claims but loses its signature (`header.payload.`), so it can be read, not used.
 * Refresh tokens, client secrets, passwords, authorization codes, PKCE verifiers and cookies never pass.
 */
import { CASE_REMOVED } from '../../../shared/schemas/case';
import { AUTHORIZATION_PARAMETERS } from '../../../shared/jwt/authorization-parameters';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const SAFE_NAME = /^[A-Za-z0-9_.:#-]{1,64}$/;

/** Parameters (form body, query) whose values a case file keeps. Anything else becomes `[removed]`. */
const SAFE_PARAMS: ReadonlySet<string> = new Set([
  // Authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636, RFC 9101, RFC 9126, Auth0): the
  // names the server itself knows, plus the request object and its reference.
  ...AUTHORIZATION_PARAMETERS,
  'request',
  'request_uri',
  // Token request and client authentication (RFC 6749 §4.4, RFC 7523).
  'grant_type',
  'client_assertion_type',
  'client_assertion',
  // Authorization response (RFC 6749 §4.1.2.1, RFC 9207).
  'iss',
  'error',
  'error_description',
  'error_uri',
]);

/** Headers a case file keeps (values as recorded; `location` sanitized as a URL). */
const SAFE_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'allow',
  'cache-control',
  'content-length',
  'content-type',
  'date',
  'dpop-nonce',
  'location',
  'pragma',
  'retry-after',
  'www-authenticate',
  'x-content-type-options',
]);

/** JSON members (token, PAR, error and discovery responses) kept with primitive values. */
const SAFE_JSON_MEMBERS: ReadonlySet<string> = new Set([
  'error',
  'error_description',
  'error_uri',
  'statusCode',
  'message',
  'errorCode',
  'token_type',
  'expires_in',
  'scope',
  'request_uri',
  'issuer',
  'authorization_response_iss_parameter_supported',
  'require_pushed_authorization_requests',
  'require_request_uri_registration',
  'require_signed_request_object',
]);

/** The public members of a JWK in a JWKS (never `d`, `p`, `q`, `dp`, `dq`, `qi`, `k`, `oth`). */
const PUBLIC_JWK_MEMBERS: ReadonlySet<string> = new Set(['kty', 'kid', 'use', 'alg', 'key_ops', 'n', 'e', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256']);

/** JWT labels kept as sent, and the one kept without its signature. */
const SIGNED_STATEMENTS: ReadonlySet<string> = new Set(['Request object', 'Client assertion', 'ID token']);
const BEARER_JWTS: ReadonlySet<string> = new Set(['Access token']);

/** True for a compact JWS shape. */
export function isCompactJws(value: unknown): value is string {
  return typeof value === 'string' && value.length < 1_100_000 && COMPACT_JWS.test(value);
}

/** A JWS without its signature (`header.payload.`): readable, unusable; anything else is `[removed]`. */
export function withoutSignature(token: unknown): string {
  if (!isCompactJws(token)) return CASE_REMOVED;
  const [header, payload] = token.split('.');
  return `${header}.${payload}.`;
}

/** A JWT of a step, by its label: signed statements as sent, access tokens unsigned, anything else dropped. */
export function caseJwt(label: unknown, token: unknown): { label: string; token: string; signatureRemoved?: true } | null {
  if (typeof label !== 'string' || !isCompactJws(token)) return null;
  if (SIGNED_STATEMENTS.has(label)) return { label, token: String(token) };
  if (BEARER_JWTS.has(label)) return { label, token: withoutSignature(token), signatureRemoved: true };
  return null;
}

/** One parameter's value as a case file keeps it. */
function paramValue(name: string, value: string): string {
  return SAFE_PARAMS.has(name) ? value : CASE_REMOVED;
}

/** Parameters: safe names keep their values, other (well-formed) names keep only their name. */
export function sanitizeParams(entries: Iterable<[string, string]>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of entries) {
    if (!SAFE_NAME.test(name)) continue;
    out.append(name, paramValue(name, typeof value === 'string' ? value : ''));
  }
  return out;
}

/** A record of parameters (a step's built parameters), sanitized the same way. */
export function sanitizeParamRecord(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!SAFE_NAME.test(name)) continue;
    out[name] = typeof v === 'string' ? paramValue(name, v) : CASE_REMOVED;
  }
  return out;
}

/** A form-encoded body, sanitized. */
export function sanitizeForm(body: string): string {
  return sanitizeParams(new URLSearchParams(body)).toString();
}

/** A URL: scheme, host and path; no user info, no fragment; its query sanitized. Unparsable: `[removed]`. */
export function sanitizeUrl(url: unknown): string {
  if (typeof url !== 'string') return CASE_REMOVED;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return CASE_REMOVED;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return CASE_REMOVED;
  const query = sanitizeParams(parsed.searchParams).toString();
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** Headers: the safe ones; `authorization` keeps only its scheme. Names lower-cased. */
export function sanitizeHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== 'object') return out;
  for (const [rawName, value] of Object.entries(headers as Record<string, unknown>)) {
    const name = rawName.toLowerCase();
    if (typeof value !== 'string') continue;
    if (name === 'authorization') {
      const scheme = /^([A-Za-z][A-Za-z0-9-]{0,31})(\s|$)/.exec(value)?.[1];
      out[name] = scheme ? `${scheme} ${CASE_REMOVED}` : CASE_REMOVED;
    } else if (name === 'location') {
      out[name] = sanitizeUrl(value);
    } else if (SAFE_HEADERS.has(name)) {
      out[name] = value.slice(0, 8192);
    }
  }
  return out;
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function primitiveOrList(value: unknown): unknown {
  if (isPrimitive(value)) return value;
  if (Array.isArray(value) && value.every(isPrimitive)) return [...value];
  return CASE_REMOVED;
}

function sanitizeJwk(value: unknown): Record<string, unknown> | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return CASE_REMOVED;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (PUBLIC_JWK_MEMBERS.has(name)) out[name] = primitiveOrList(v);
  }
  return out;
}

/** A JSON response's object, member by member (token, PAR, error, discovery and JWKS responses). */
export function sanitizeJsonObject(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return CASE_REMOVED;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!SAFE_NAME.test(name)) continue;
    if (name === 'id_token') out[name] = isCompactJws(v) ? v : CASE_REMOVED;
    else if (name === 'access_token') out[name] = withoutSignature(v);
    else if (name === 'keys') out[name] = Array.isArray(v) ? v.slice(0, 20).map(sanitizeJwk) : CASE_REMOVED;
    // Discovery: endpoint URLs, what the server supports (lists of names), and its switches.
    else if (SAFE_JSON_MEMBERS.has(name) || /_(endpoint|supported)$/.test(name) || name === 'jwks_uri') out[name] = primitiveOrList(v);
    else out[name] = CASE_REMOVED;
  }
  return out;
}

/** A JSON body text, sanitized; text that is not a JSON object is dropped. */
export function sanitizeJsonText(body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return JSON.stringify(sanitizeJsonObject(value));
}

/** A body as a case file keeps it, by its content type: forms and JSON sanitized, anything else dropped. */
export function sanitizeBody(body: unknown, contentType: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  const type = typeof contentType === 'string' ? contentType.toLowerCase() : '';
  if (type.includes('application/x-www-form-urlencoded')) return sanitizeForm(body);
  if (type.includes('json')) return sanitizeJsonText(body);
  return undefined;
}

/** A header's value, whatever the case of its name. */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}
