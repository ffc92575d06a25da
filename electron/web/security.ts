/**
 * Request guards of the web host: DNS-rebinding (Host), cross-site requests (Origin, Sec-Fetch-Site),
 * the session header and browser prefetches. Pure functions over header values so they are easy to test
 * and reuse.
 */

/** The origins this host answers to: 127.0.0.1 and localhost on its own port. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** True when the Host header names this host (a DNS-rebinding page sends its own name). */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && (host === `127.0.0.1:${port}` || host === `localhost:${port}`);
}

/**
 * True when the request is not from another site or port: no Origin or our own, and Sec-Fetch-Site neither
 * `cross-site` nor `same-site` (a page on another port of 127.0.0.1 is the same site).
 */
export function isSameOrigin(origin: string | undefined, secFetchSite: string | undefined, port: number): boolean {
  if (secFetchSite === 'cross-site' || secFetchSite === 'same-site') return false;
  if (origin === undefined) return true;
  return ownOrigins(port).includes(origin);
}

/** The bearer token of an Authorization header, if any. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  return match?.[1];
}

/**
 * True when the browser is only prefetching or prerendering (`Sec-Purpose`, or the older `Purpose` and
 * `X-Moz`): such a request must not spend a single-use launch token the user has not opened yet.
 */
export function isPrefetch(headers: Record<string, string | string[] | undefined>): boolean {
  return ['sec-purpose', 'purpose', 'x-moz'].some((name) => {
    const value = headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).toLowerCase().includes('prefetch');
  });
}

/** Headers every response carries. */
export const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};
