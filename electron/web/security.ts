/**
 * Request guards of the web host: DNS-rebinding (Host), cross-site requests (Origin, Sec-Fetch-Site),
 * and the per-launch token. Pure functions over header values so they are easy to test and reuse.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The origins this host answers to: 127.0.0.1 and localhost on its own port. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** True when the Host header names this host (a DNS-rebinding page sends its own name). */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && (host === `127.0.0.1:${port}` || host === `localhost:${port}`);
}

/** True when the request is not cross-site: no Origin or our own, and Sec-Fetch-Site not `cross-site`. */
export function isSameOrigin(origin: string | undefined, secFetchSite: string | undefined, port: number): boolean {
  if (secFetchSite === 'cross-site' || secFetchSite === 'same-site') return false;
  if (origin === undefined) return true;
  return ownOrigins(port).includes(origin);
}

/** Compares a presented token with the launch token in constant time. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented.length === 0 || presented.length > 512) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of an Authorization header, if any. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  return match?.[1];
}

/** The cookie that carries the token. Cookies are not isolated by port, so the name includes it. */
export function tokenCookieName(port: number): string {
  return `parley_token_${port}`;
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
