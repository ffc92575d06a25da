/**
 * Decides what of an HTTP exchange may be kept: client secrets, Basic credentials, refresh tokens,
 * authorization codes and PKCE verifiers are replaced before an exchange enters a run, an event, the
 * history, or (HAR import, shared/har) anything Parley reads from a customer's file. An access token is a
 * bearer credential: it keeps its header and claims but loses its signature (`header.payload.`, as in a
 * case file), so it can be read, not used; an opaque one is replaced. Signed JWTs (request objects, client
 * assertions, ID tokens, DPoP proofs) are kept: they carry no secret and are what the user came to inspect.
 *
 * Here rather than in the core's flows because both sides run it: the flow engine records runs with it,
 * and HAR import (the CLI now, the renderer's worker later) strips a file with it. Pure, browser-safe.
 * Every function takes an optional `removed` callback told the name of each thing it replaced (never its
 * value), so HAR import can say what was removed.
 */
import type { FlowRun } from '../schemas/flows';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Form, query and JSON fields whose values are secrets. A code and its verifier are one-time, but until
 * the code is used (or if its exchange failed) they are a usable pair; neither is needed afterwards.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['client_secret', 'refresh_token', 'password', 'code', 'code_verifier']);

/** Bearer tokens whose signature is removed (their claims are kept for reading). */
const BEARER_FIELDS: ReadonlySet<string> = new Set(['access_token']);

/** Told what was replaced: a field name (`client_secret`), `access_token` (signature removed), or a header name. */
export type RemovedReporter = (name: string) => void;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A bearer token as recorded: a JWS without its signature, anything else replaced. */
export function unsignedBearer(token: unknown): string {
  if (typeof token === 'string' && token.length < 1_100_000 && COMPACT_JWS.test(token)) {
    const [header, payload] = token.split('.');
    return `${header}.${payload}.`;
  }
  return REDACTED;
}

/** The recorded value of a named field (form, query or JSON member with a string value). */
function recordedValue(name: string, value: string, removed?: RemovedReporter): string {
  if (SECRET_FIELDS.has(name)) {
    if (value !== REDACTED) removed?.(name);
    return REDACTED;
  }
  if (BEARER_FIELDS.has(name)) {
    const kept = unsignedBearer(value);
    if (kept !== value) removed?.(name);
    return kept;
  }
  return value;
}

/** Parameters with secret values redacted and bearer tokens unsigned (in place). */
function redactParams(params: URLSearchParams, removed?: RemovedReporter): void {
  for (const name of new Set(params.keys())) {
    if (!SECRET_FIELDS.has(name) && !BEARER_FIELDS.has(name)) continue;
    const values = params.getAll(name);
    params.delete(name);
    for (const value of values) params.append(name, recordedValue(name, value, removed));
  }
}

/** Name/value pairs (a HAR's queryString or postData.params) with secret values redacted. */
export function redactPairs<T extends { name: string; value?: string }>(pairs: readonly T[], removed?: RemovedReporter): T[] {
  return pairs.map((p) =>
    p.value !== undefined && (SECRET_FIELDS.has(p.name) || BEARER_FIELDS.has(p.name)) ? { ...p, value: recordedValue(p.name, p.value, removed) } : p,
  );
}

/** The value a header keeps; a `Location` is redacted as a URL only when `location` is set (HAR: a redirect carries the code). */
function headerValue(lower: string, value: string, removed?: RemovedReporter, location = false): string {
  if (lower === 'authorization') {
    const kept = value.replace(/^(\w+)\s+.*$/s, `$1 ${REDACTED}`);
    if (kept !== value) removed?.(lower);
    return kept;
  }
  if (lower === 'cookie' || lower === 'set-cookie') {
    if (value !== REDACTED) removed?.(lower);
    return REDACTED;
  }
  if (location && lower === 'location') return redactUrl(value, removed);
  return value;
}

/** Headers with `Authorization: …` credentials and cookies redacted; names lower-cased. */
export function redactHeaders(headers: Record<string, string>, removed?: RemovedReporter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = headerValue(lower, value, removed);
  }
  return out;
}

/**
 * A header list (HAR: repeats allowed, names as sent) with the redactions of redactHeaders, and a
 * `Location`'s secret parameters too: a file's redirects include the authorization response (`?code=`).
 */
export function redactHeaderList<T extends { name: string; value: string }>(headers: readonly T[], removed?: RemovedReporter): T[] {
  return headers.map((h) => ({ ...h, value: headerValue(h.name.toLowerCase(), h.value, removed, true) }));
}

/** A form-encoded body with secret fields redacted. */
export function redactForm(body: string, removed?: RemovedReporter): string {
  const params = new URLSearchParams(body);
  redactParams(params, removed);
  return params.toString();
}

/** A JSON body with secret members redacted (any depth); text that is not JSON is returned unchanged. */
export function redactJsonText(text: string, removed?: RemovedReporter): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redactValue(value, removed));
}

function redactValue(value: unknown, removed?: RemovedReporter): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, removed));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (SECRET_FIELDS.has(k)) {
        if (v !== REDACTED) removed?.(k);
        return [k, REDACTED];
      }
      if (BEARER_FIELDS.has(k)) {
        const kept = unsignedBearer(v);
        if (kept !== v) removed?.(k);
        return [k, kept];
      }
      return [k, redactValue(v, removed)];
    }),
  );
}

/** A URL with secret query (and fragment, as in a fragment response) parameters redacted. */
export function redactUrl(url: string, removed?: RemovedReporter): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const query = new URLSearchParams(u.search);
  const before = query.toString();
  redactParams(query, removed);
  if (query.toString() !== before) u.search = query.toString();
  if (u.hash.includes('=')) {
    const fragment = new URLSearchParams(u.hash.slice(1));
    const original = fragment.toString();
    redactParams(fragment, removed);
    if (fragment.toString() !== original) u.hash = fragment.toString();
  }
  return u.href;
}

/** A body as recorded, by its content type. */
export function redactBody(body: string, contentType: string | null | undefined, removed?: RemovedReporter): string {
  if (contentType?.includes('application/x-www-form-urlencoded')) return redactForm(body, removed);
  if (contentType?.includes('json')) return redactJsonText(body, removed);
  return body;
}

const SECRET_NAMES = [...SECRET_FIELDS, ...BEARER_FIELDS].join('|');
/** `name=value` outside a URL (a form body quoted in a message); `\b` keeps `response_type=code` and `error_code=` out. */
const TEXT_PAIR = new RegExp(`\\b(${SECRET_NAMES})=([^&\\s\`"'<>)\\]]+)`, 'g');
/** `"name": "value"` (a JSON body quoted in a message). */
const TEXT_JSON = new RegExp(`"(${SECRET_NAMES})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g');
/** A URL in text: ASCII only (a URL written in a Japanese sentence ends at the first Japanese character), not its closing punctuation. */
const TEXT_URL = /\bhttps?:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%[\]]*[A-Za-z0-9\-_~/#@$&*+=%]/g;
const TEXT_SCHEME = /\b(Basic|Bearer|DPoP)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/g;
const TEXT_JWS = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

/**
 * Free text that leaves Parley (a copied explanation pasted into a ticket) with the same secrets replaced
 * as in an exchange: secret parameters of every URL, `name=value` pairs and JSON members of the secret
 * fields, `Basic`/`Bearer`/`DPoP` credentials. Text has no roles, so every compact JWS loses its signature:
 * an access token cannot be told from a request object here, and a ticket needs the claims, not the signature.
 */
export function redactText(text: string, removed?: RemovedReporter): string {
  const pair = (name: string, value: string) => recordedValue(name, value === encodeURIComponent(REDACTED) ? REDACTED : value, removed);
  return text
    .replace(TEXT_URL, (url) => {
      // A URL with nothing to remove is kept as written (redactUrl's result is normalised: `https://TENANT/` would become lower case).
      let found = false;
      const kept = redactUrl(url, (name) => {
        found = true;
        removed?.(name);
      });
      return found ? kept : url;
    })
    .replace(TEXT_PAIR, (_all, name: string, value: string) => `${name}=${pair(name, value)}`)
    .replace(TEXT_JSON, (_all, name: string, colon: string, value: string) => `"${name}"${colon}"${pair(name, value)}"`)
    .replace(TEXT_SCHEME, (_all, scheme: string) => {
      removed?.('authorization');
      return `${scheme} ${REDACTED}`;
    })
    .replace(TEXT_JWS, (jws) => {
      removed?.('signature');
      return unsignedBearer(jws);
    });
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
