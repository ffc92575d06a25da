/**
 * Decides what of an HTTP exchange may be recorded: client secrets, Basic credentials, refresh tokens,
 * authorization codes and PKCE verifiers are replaced before an exchange enters a run, an event or the
 * history. An access token is a bearer credential: it keeps its header and claims but loses its signature
 * (`header.payload.`, as in a case file), so it can be read, not used; an opaque one is replaced. Signed
 * JWTs (request objects, client assertions, ID tokens) are kept: they carry no secret and are what the
 * user came to inspect. The live run keeps the real values in the engine only, never in its record.
 */
import type { FlowRun } from '../../../shared/schemas/flows';
import { isCompactJws, withoutSignature } from '../cases/sanitize';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Form, query and JSON fields whose values are secrets. A code and its verifier are one-time, but until
 * the code is used (or if its exchange failed) they are a usable pair; neither is needed afterwards.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['client_secret', 'refresh_token', 'password', 'code', 'code_verifier']);

/** Bearer tokens whose signature is removed (their claims are kept for reading). */
const BEARER_FIELDS: ReadonlySet<string> = new Set(['access_token']);

/** A bearer token as recorded: a JWS without its signature, anything else replaced. */
export function unsignedBearer(token: unknown): string {
  return isCompactJws(token) ? withoutSignature(token) : REDACTED;
}

/** The recorded value of a named field (form, query or JSON member with a string value). */
function recordedValue(name: string, value: string): string {
  if (SECRET_FIELDS.has(name)) return REDACTED;
  if (BEARER_FIELDS.has(name)) return unsignedBearer(value);
  return value;
}

/** Parameters with secret values redacted and bearer tokens unsigned (in place). */
function redactParams(params: URLSearchParams): void {
  for (const name of new Set(params.keys())) {
    if (!SECRET_FIELDS.has(name) && !BEARER_FIELDS.has(name)) continue;
    const values = params.getAll(name);
    params.delete(name);
    for (const value of values) params.append(name, recordedValue(name, value));
  }
}

/** Headers with `Authorization: Basic …` (and cookies) redacted; names lower-cased. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') out[lower] = value.replace(/^(\w+)\s+.*$/s, `$1 ${REDACTED}`);
    else if (lower === 'cookie' || lower === 'set-cookie') out[lower] = REDACTED;
    else out[lower] = value;
  }
  return out;
}

/** A form-encoded body with secret fields redacted. */
export function redactForm(body: string): string {
  const params = new URLSearchParams(body);
  redactParams(params);
  return params.toString();
}

/** A JSON body with secret members redacted (any depth); text that is not JSON is returned unchanged. */
export function redactJsonText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redactValue(value));
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? REDACTED : BEARER_FIELDS.has(k) ? unsignedBearer(v) : redactValue(v)]));
}

/** A URL with secret query (and fragment, as in a fragment response) parameters redacted. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const query = new URLSearchParams(u.search);
  const before = query.toString();
  redactParams(query);
  if (query.toString() !== before) u.search = query.toString();
  if (u.hash.includes('=')) {
    const fragment = new URLSearchParams(u.hash.slice(1));
    const original = fragment.toString();
    redactParams(fragment);
    if (fragment.toString() !== original) u.hash = fragment.toString();
  }
  return u.href;
}

/** A body as recorded, by its content type. */
export function redactBody(body: string, contentType: string | null | undefined): string {
  if (contentType?.includes('application/x-www-form-urlencoded')) return redactForm(body);
  if (contentType?.includes('json')) return redactJsonText(body);
  return body;
}

/** The JWT labels whose tokens are bearer credentials (kept without their signature). */
const BEARER_JWT_LABELS: ReadonlySet<string> = new Set(['Access token']);

/**
 * A recorded run with every redaction applied again: what a history written before a redaction rule
 * existed (codes, verifiers, signed access tokens) holds is scrubbed when it is read, and whatever is added
 * passes here too. Idempotent: a redacted run comes back unchanged.
 */
export function redactRun(run: FlowRun): FlowRun {
  const out = structuredClone(run);
  if (out.authorizeUrl) out.authorizeUrl = redactUrl(out.authorizeUrl);
  for (const step of out.steps) {
    const exchange = step.exchange;
    if (exchange) {
      exchange.request.url = redactUrl(exchange.request.url);
      exchange.request.headers = redactHeaders(exchange.request.headers);
      if (exchange.request.body !== undefined) exchange.request.body = redactBody(exchange.request.body, exchange.request.headers['content-type']);
      if (exchange.response) {
        exchange.response.headers = redactHeaders(exchange.response.headers);
        if (exchange.response.body !== undefined) exchange.response.body = redactBody(exchange.response.body, exchange.response.headers['content-type']);
      }
    }
    step.jwts = step.jwts.map((j) => (BEARER_JWT_LABELS.has(j.label) ? { ...j, token: unsignedBearer(j.token) } : j));
    if (step.detail) {
      const { code_verifier: _verifier, ...detail } = step.detail;
      if (typeof detail['callbackUrl'] === 'string') detail['callbackUrl'] = redactUrl(detail['callbackUrl']);
      if (typeof detail['url'] === 'string') detail['url'] = redactUrl(detail['url']);
      step.detail = detail;
    }
  }
  return out;
}
