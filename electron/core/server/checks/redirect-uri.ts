/**
 * Redirect URI rules (RED-1..5, E-6): exact string comparison against the client's registered callbacks,
 * with RFC 8252's loopback-any-port exception behind a switch (off by default, like Auth0). The same
 * matcher decides whether an error may be redirected at all (E-5, JAR-19), so it has a silent form too.
 */
import type { ServerContext } from '../context';
import type { ClientView } from '../state/types';
import type { TraceRecorder } from '../trace';
import type { InlineRule } from './outcome';
import { fail, isStrict, pass } from './outcome';

const RED_1: InlineRule = {
  id: 'RED-1',
  summary: 'The redirect_uri exactly matches one of the client’s allowed callback URLs.',
  source: 'RFC 9700 §2.1, §4.1.3; Auth0 callback URL mismatch (A19)',
  fix: 'Add the exact URL (scheme, host, port, path, query) to the application’s Allowed Callback URLs, or send the registered one.',
};
const RED_2: InlineRule = {
  id: 'RED-2',
  summary: 'A loopback IP redirect of a native client may use any port (switchable; off in Auth0-exact mode).',
  source: 'RFC 8252 §7.3; RFC 9700 §2.1',
  fix: 'Register the exact port, or turn on “loopback redirects on any port” in the server settings (native apps only).',
};
const RED_3: InlineRule = {
  id: 'RED-3',
  summary: 'The redirect_uri is an absolute URL without a fragment, with a safe scheme (https; http only for loopback; a private-use scheme for native apps).',
  source: 'RFC 6749 §3.1.2; RFC 8252 §7.1–7.3, §8.3',
  fix: 'Use an absolute URL without #fragment; never javascript:, data: or file:.',
};
const RED_5: InlineRule = {
  id: 'RED-5',
  summary: 'Wildcards in registered callback URLs are not expanded.',
  source: 'Auth0 FAPI compliance (A13); RFC 9700 §2.1',
  fix: 'Register each callback URL in full.',
};

/** The HTML/JSON description Auth0 uses for a redirect_uri that is not registered (E-6). */
export function callbackMismatch(uri: string): string {
  return `Callback URL mismatch. ${uri} is not in the list of allowed callback URLs`;
}

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:']);

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
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
const LOOPBACK_HOSTS = new Set([...LOOPBACK_IPS, 'localhost']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Why a requested redirect URI is unsafe in itself (RED-3), or undefined when it is fine. */
function syntaxProblem(uri: string, strict: boolean): string | undefined {
  if (uri.includes('#')) return 'it contains a fragment (#)';
  const url = parse(uri);
  if (!url) return 'it is not an absolute URL';
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `the scheme ${url.protocol} is never allowed`;
  if (strict && url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return 'http is only allowed for loopback redirects in the strict profile';
  return undefined;
}

/** How a requested redirect URI matched a registered one, if it did. */
export type RedirectMatch = { how: 'exact'; registered: string } | { how: 'loopback-port'; registered: string } | undefined;

/** Matches without recording anything (used to decide whether an error may be redirected: E-5, JAR-19). */
export function matchRedirect(client: ClientView, uri: string, ctx: ServerContext): RedirectMatch {
  if (syntaxProblem(uri, isStrict(ctx)) !== undefined) return undefined;
  if (client.callbacks.includes(uri)) return { how: 'exact', registered: uri };
  if (!ctx.settings().loopbackAnyPort || client.app_type !== 'native') return undefined;
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

/**
 * Checks a requested redirect URI (RED-1..3, RED-5) and records every rule. Throws an OAuthError
 * `invalid_request` with the callback-mismatch text; the caller decides between an HTML page (/authorize)
 * and JSON (PAR).
 */
export function checkRedirectUri(uri: string, client: ClientView, ctx: ServerContext, trace: TraceRecorder): string {
  const wire = { status: 400, error: 'invalid_request', description: callbackMismatch(uri) };
  const problem = syntaxProblem(uri, isStrict(ctx));
  if (problem !== undefined) throw fail(trace, RED_3, 'an absolute URL, no fragment, safe scheme', `${uri} (${problem})`, wire);
  pass(trace, RED_3, 'an absolute URL, no fragment, safe scheme', uri);
  if (client.callbacks.some((c) => c.includes('*'))) pass(trace, RED_5, 'no wildcard expansion', 'wildcard entries compared literally');
  const match = matchRedirect(client, uri, ctx);
  if (match?.how === 'exact') {
    pass(trace, RED_1, `one of ${JSON.stringify(client.callbacks)}`, uri);
    return uri;
  }
  if (match?.how === 'loopback-port') {
    pass(trace, RED_2, `same as ${match.registered} except the port`, uri);
    return uri;
  }
  const error = fail(trace, RED_1, `one of ${JSON.stringify(client.callbacks)}`, uri, wire);
  const requested = parse(uri);
  if (requested?.protocol === 'http:' && LOOPBACK_IPS.has(requested.hostname) && client.callbacks.some((c) => parse(c)?.hostname === requested.hostname)) {
    // Say why the loopback exception did not apply, so a port mismatch explains itself in the trace.
    const why = !ctx.settings().loopbackAnyPort ? 'the loopback-any-port switch is off (Auth0 compares exactly)' : `app_type is ${client.app_type || '(none)'}, not native`;
    trace.fail(RED_2.id, RED_2.summary, RED_2.source, 'a registered loopback URI differing only in port', `${uri}: ${why}`, RED_2.fix ?? '');
  }
  throw error;
}
