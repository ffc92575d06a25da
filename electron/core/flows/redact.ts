/**
 * Decides what of an HTTP exchange may be recorded: client secrets, Basic credentials and refresh tokens
 * are replaced before an exchange enters a run, an event or the history. Signed JWTs (request objects,
 * client assertions, ID tokens) are kept: they carry no secret and are what the user came to inspect.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Form and JSON fields whose values are secrets. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['client_secret', 'refresh_token', 'password']);

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
  for (const name of SECRET_FIELDS) if (params.has(name)) params.set(name, REDACTED);
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
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? REDACTED : redactValue(v)]));
}

/** A URL with secret query parameters redacted. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const name of SECRET_FIELDS) if (u.searchParams.has(name)) u.searchParams.set(name, REDACTED);
    return u.href;
  } catch {
    return url;
  }
}

/** A body as recorded, by its content type. */
export function redactBody(body: string, contentType: string | null | undefined): string {
  if (contentType?.includes('application/x-www-form-urlencoded')) return redactForm(body);
  if (contentType?.includes('json')) return redactJsonText(body);
  return body;
}
