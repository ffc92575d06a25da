/**
 * Shared assertions of the /authorize test files: plain requests, the HTML error page (never a redirect,
 * with the strict page headers), an error redirected to the registered callback, the hop to the sign-in
 * page, and a PAR push with the client secret.
 */
import { expect } from 'vitest';
import type { Harness, TestClient } from './helpers';
import { CALLBACK, form, location } from './helpers';

/** Plain authorization parameters for a client. */
export function baseParams(c: TestClient, extra: Record<string, string> = {}): Record<string, string> {
  return { client_id: c.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'st-1', ...extra };
}

/** A GET that never follows redirects. */
export function get(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

/** Asserts an HTML error page (never a redirect) and returns its text. */
export async function htmlError(res: Response, status = 400): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toContain('text/html');
  // The central HTML error page gets the endpoints' strict headers too.
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.text();
}

/** Asserts an error redirected to the registered callback and returns its parameters. */
export function redirectedError(res: Response): URLSearchParams {
  expect(res.status).toBe(302);
  const loc = res.headers.get('location')!;
  expect(loc.startsWith(CALLBACK)).toBe(true);
  const q = new URL(loc).searchParams;
  expect(q.get('error')).toBeTruthy();
  return q;
}

/** Asserts the hop to the sign-in page. */
export function toLogin(h: Harness, res: Response): void {
  expect(res.status, res.headers.get('location') ?? '').toBe(302);
  expect(location(h, res)).toContain('/u/login?state=');
}

/** Pushes a request with the client secret and returns the request_uri. */
export async function push(h: Harness, c: TestClient, fields: Record<string, string>): Promise<string> {
  const res = await form(`${h.base}oauth/par`, { client_id: c.client_id, client_secret: c.client_secret!, ...fields });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { request_uri: string }).request_uri;
}
