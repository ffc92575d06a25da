/**
 * Redirect URI matching (RED-1..3, RED-5, E-6) as pure functions over a client's registered callbacks and
 * the server's redirect policy. The embedded server records these rules in its traces
 * (electron/core/server/checks/redirect-uri.ts); Compose's lint applies the same functions to a draft, so
 * "no problems" and the server's answer cannot disagree about a callback.
 */

import type { RuleText } from './rule';

export type { RuleText } from './rule';

export const RED_1: RuleText = {
  id: 'RED-1',
  summary: 'The redirect_uri exactly matches one of the client’s allowed callback URLs.',
  source: 'RFC 9700 §2.1, §4.1.3; Auth0 callback URL mismatch (A19)',
  fix: 'Add the exact URL (scheme, host, port, path, query) to the application’s Allowed Callback URLs, or send the registered one.',
};
export const RED_2: RuleText = {
  id: 'RED-2',
  summary: 'A loopback IP redirect of a native client may use any port (switchable; off in Auth0-exact mode).',
  source: 'RFC 8252 §7.3; RFC 9700 §2.1',
  fix: 'Register the exact port, or turn on “loopback redirects on any port” in the server settings (native apps only).',
};
export const RED_3: RuleText = {
  id: 'RED-3',
  summary: 'The redirect_uri is an absolute URL without a fragment, with a safe scheme (https; http only for loopback; a private-use scheme for native apps).',
  source: 'RFC 6749 §3.1.2; RFC 8252 §7.1–7.3, §8.3',
  fix: 'Use an absolute URL without #fragment; never javascript:, data: or file:.',
};
export const RED_5: RuleText = {
  id: 'RED-5',
  summary: 'Wildcards in registered callback URLs are not expanded.',
  source: 'Auth0 FAPI compliance (A13); RFC 9700 §2.1',
  fix: 'Register each callback URL in full.',
};
/** RED-1 when no redirect_uri is sent at all (the server's check before matching). */
export const RED_1_PRESENT: RuleText = { id: 'RED-1', summary: 'A redirect_uri is sent.', source: 'OIDC Core §3.1.2.1' };

/** The server's redirect policy: the strict profile's http rule and RFC 8252's any-port switch. */
export interface RedirectPolicy {
  strict: boolean;
  loopbackAnyPort: boolean;
}

/** What matching reads of a client. */
export interface RedirectClient {
  callbacks: readonly string[];
  /** Auth0's app_type; the loopback exception is for `native` only. */
  app_type: string | null | undefined;
}

/** The HTML/JSON description Auth0 uses for a redirect_uri that is not registered (E-6). */
export function callbackMismatch(uri: string): string {
  return `Callback URL mismatch. ${uri} is not in the list of allowed callback URLs`;
}

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:']);
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
const LOOPBACK_HOSTS = new Set([...LOOPBACK_IPS, 'localhost']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * The scheme of `uri` when a browser would run it or read a local resource with it (`javascript:`, `data:`,
 * `vbscript:`, `file:`, …), so the server must never redirect to it (RED-3); undefined otherwise, and for a
 * URI that does not parse. The WHATWG parser strips the tabs, newlines and leading spaces a browser strips
 * and lower-cases the scheme, so `" Java\tScript:…"` is caught like `javascript:`.
 */
export function forbiddenScheme(uri: string): string | undefined {
  const url = parse(uri);
  return url && FORBIDDEN_SCHEMES.has(url.protocol) ? url.protocol : undefined;
}

/** Why a requested redirect URI is unsafe in itself (RED-3), or undefined when it is fine. */
export function redirectSyntaxProblem(uri: string, strict: boolean): string | undefined {
  if (uri.includes('#')) return 'it contains a fragment (#)';
  const url = parse(uri);
  if (!url) return 'it is not an absolute URL';
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `the scheme ${url.protocol} is never allowed`;
  if (strict && url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return 'http is only allowed for loopback redirects in the strict profile';
  return undefined;
}

/** How a requested redirect URI matched a registered one, if it did. */
export type RedirectMatch = { how: 'exact'; registered: string } | { how: 'loopback-port'; registered: string } | undefined;

/** Matches a requested redirect URI against the client's callbacks (RED-1, RED-2), without recording anything. */
export function matchRedirectUri(client: RedirectClient, uri: string, policy: RedirectPolicy): RedirectMatch {
  if (redirectSyntaxProblem(uri, policy.strict) !== undefined) return undefined;
  if (client.callbacks.includes(uri)) return { how: 'exact', registered: uri };
  if (!policy.loopbackAnyPort || client.app_type !== 'native') return undefined;
  const requested = parse(uri);
  if (!requested || requested.protocol !== 'http:' || !LOOPBACK_IPS.has(requested.hostname)) return undefined;
  for (const registered of client.callbacks) {
    const r = parse(registered);
    if (!r || r.protocol !== 'http:' || r.hostname !== requested.hostname) continue;
    // Compare everything but the port, on the exact strings the client sent (no normalisation beyond the port).
    const a = new URL(requested.href);
    a.port = '';
    const b = new URL(r.href);
    b.port = '';
    if (a.href === b.href && r.search === requested.search) return { how: 'loopback-port', registered };
  }
  return undefined;
}

/** Why the loopback exception (RED-2) did not save a loopback redirect that differs from a registered one only in port; undefined when that is not the case. */
export function loopbackMiss(client: RedirectClient, uri: string, policy: RedirectPolicy): string | undefined {
  const requested = parse(uri);
  if (requested?.protocol !== 'http:' || !LOOPBACK_IPS.has(requested.hostname) || !client.callbacks.some((c) => parse(c)?.hostname === requested.hostname))
    return undefined;
  return !policy.loopbackAnyPort ? 'the loopback-any-port switch is off (Auth0 compares exactly)' : `app_type is ${client.app_type || '(none)'}, not native`;
}
