/** Finds the JWTs a request or response carries, labelled by the parameter that carried them. */

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const LABELS: Record<string, string> = {
  request: 'Request object',
  client_assertion: 'Client assertion',
  id_token: 'ID token',
  access_token: 'Access token',
  logout_token: 'Logout token',
};

/** True for a compact JWS/JWT shape (three base64url parts). */
export function looksLikeJwt(value: unknown): value is string {
  return typeof value === 'string' && value.length < 1_100_000 && COMPACT_JWS.test(value);
}

/** JWTs among named values (form fields, query parameters, JSON members). */
export function jwtsIn(values: Iterable<[string, unknown]>): { label: string; token: string }[] {
  const out: { label: string; token: string }[] = [];
  for (const [name, value] of values) if (looksLikeJwt(value)) out.push({ label: LABELS[name] ?? name, token: value });
  return out;
}

/** JWTs in a form body, a JSON body or a URL's query. */
export function jwtsInText(text: string | undefined, kind: 'form' | 'json' | 'url'): { label: string; token: string }[] {
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
