/**
 * Step-through (trainer's kit): before each request of a step-through run, the engine publishes the
 * request it is about to send — redacted exactly like a recorded exchange — and waits for `flows.next`,
 * which may edit the form (or the authorize URL's query) and the request object's claims. A `[redacted]`
 * value in the edits stands for the real secret, which never leaves the core.
 */
import type { FlowPause, FlowPauseEdits, FlowPausePurpose, FlowStepName } from '../../../shared/schemas/flows';
import { decodeCompactJwt } from '../../../shared/jwt/decode';
import { REDACTED, SECRET_FIELDS, redactHeaders, redactUrl } from './redact';

/** A form as a record, secret fields redacted. */
export function redactedForm(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) out[k] = SECRET_FIELDS.has(k) ? REDACTED : v;
  return out;
}

/** The claims of a request object as sent (undefined when it does not decode). */
export function claimsOf(jwt: string | undefined): Record<string, unknown> | undefined {
  if (!jwt) return undefined;
  try {
    return decodeCompactJwt(jwt, { maxBytes: 1_100_000 }).payload;
  } catch {
    return undefined;
  }
}

/** What a paused run shows. */
export function pauseOf(
  step: FlowStepName,
  purpose: FlowPausePurpose,
  request: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; form?: URLSearchParams },
  requestObject?: string,
): FlowPause {
  // The headers as sendRecorded will send them (it adds accept and, for a form, its content type).
  const headers: Record<string, string> = { accept: 'application/json', ...(request.headers ?? {}) };
  if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const pause: FlowPause = {
    step,
    purpose,
    request: {
      method: request.method,
      url: redactUrl(request.url),
      headers: redactHeaders(request.method === 'GET' && purpose === 'authorize' ? (request.headers ?? {}) : headers),
    },
  };
  if (request.form) pause.request.form = redactedForm(request.form);
  const claims = claimsOf(requestObject);
  if (claims) pause.requestObjectClaims = claims;
  return pause;
}

/**
 * The form to send after the user's edits: every edited field as given, except that `[redacted]` keeps
 * the original secret; a field removed from the edits is removed. No edits: the original form.
 */
export function applyFormEdits(original: URLSearchParams, edits: FlowPauseEdits['form']): URLSearchParams {
  if (!edits) return original;
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(edits)) {
    if (v === REDACTED && original.has(k)) {
      for (const real of original.getAll(k)) next.append(k, real);
    } else {
      next.append(k, v);
    }
  }
  return next;
}

/** True when the edited claims differ from the ones shown. */
export function claimsChanged(shown: Record<string, unknown> | undefined, edited: Record<string, unknown> | undefined): edited is Record<string, unknown> {
  return edited !== undefined && JSON.stringify(shown ?? {}) !== JSON.stringify(edited);
}
