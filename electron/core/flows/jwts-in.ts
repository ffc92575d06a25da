/** Finds the JWTs a request or response carries, labelled (and given a kind) by the parameter that carried them. */
import type { FlowJwt, FlowJwtKind } from '../../../shared/schemas/flows';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The parameters Parley names. The label stays English (stored history, cases and lookups match on it);
 * the UI names the JWT from `kind`, in its own language.
 */
const KNOWN: Readonly<Record<string, { label: string; kind: FlowJwtKind }>> = {
  request: { label: 'Request object', kind: 'requestObject' },
  client_assertion: { label: 'Client assertion', kind: 'clientAssertion' },
  id_token: { label: 'ID token', kind: 'idToken' },
  access_token: { label: 'Access token', kind: 'accessToken' },
  logout_token: { label: 'Logout token', kind: 'logoutToken' },
};

/** True for a compact JWS/JWT shape (three base64url parts). */
export function looksLikeJwt(value: unknown): value is string {
  return typeof value === 'string' && value.length < 1_100_000 && COMPACT_JWS.test(value);
}

/** JWTs among named values (form fields, query parameters, JSON members). */
export function jwtsIn(values: Iterable<[string, unknown]>): FlowJwt[] {
  const out: FlowJwt[] = [];
  for (const [name, value] of values) {
    if (!looksLikeJwt(value)) continue;
    const known = Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
    out.push(known ? { ...known, token: value } : { label: name, token: value });
  }
  return out;
}

/** JWTs in a form body, a JSON body or a URL's query. */
export function jwtsInText(text: string | undefined, kind: 'form' | 'json' | 'url'): FlowJwt[] {
  if (!text) return [];
  if (kind === 'form') return jwtsIn(new URLSearchParams(text));
  if (kind === 'url') {
    try {
      return jwtsIn(new URL(text).searchParams);
    } catch {
      return [];
    }
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? jwtsIn(Object.entries(value)) : [];
  } catch {
    return [];
  }
}
