/**
 * The one request policy for every HTTP request the core makes to a URL it was given or told about: an
 * issuer's discovery document, the endpoints that document names, a JWKS, a token or PAR endpoint, the
 * embedded server's own endpoints (Break it). The URLs come from users, saved targets and documents
 * fetched from the network, so none is trusted:
 *
 * - http(s) schemes only (never `file:`, `javascript:`, `data:`…);
 * - https, or plain http to this machine only (127.0.0.0/8, ::1, localhost): anything sent or received
 *   over plain http elsewhere can be read and changed on the way, and keys and tokens travel here;
 * - redirects are never followed by the fetch itself: `redirect: 'manual'` returns the 3xx as the answer
 *   (nothing at its Location is fetched), `'follow'` follows GETs by hand, each hop checked again, at most
 *   MAX_REDIRECTS; `'error'` refuses them;
 * - response bodies are streamed and capped: past the cap the stream is cancelled (the connection is
 *   dropped) and the read fails, so a 30 MB document is never held whole.
 *
 * It is applied AROUND a fetch-like function the core receives (`withRequestPolicy(fetch)`), not wired to
 * the global fetch, so a host can hand in another transport (Electron's net.fetch, with the system's
 * proxies and CAs) and the same rules still hold. Applying it twice is harmless (it is applied once).
 */
import { isIPv4 } from 'node:net';

/** A fetch-like function (Node's global fetch, Electron's net.fetch, a test's). */
export type CoreFetch = (url: string, init: RequestInit) => Promise<Response>;

/** The rule a refused request broke. */
export type PolicyRule = 'invalid-url' | 'scheme' | 'plain-http' | 'redirect' | 'too-many-redirects' | 'body-too-large' | 'invalid-response';

/** A request (or its answer) the policy refused; `message` is one sentence naming the rule. */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';

  constructor(
    readonly rule: PolicyRule,
    message: string,
  ) {
    super(message);
  }
}

/** Bounds of a policed fetch. */
export interface RequestPolicyOptions {
  /** Response body cap in bytes; default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Redirects followed (GET, `redirect: 'follow'`); default MAX_REDIRECTS. */
  maxRedirects?: number;
}

/** The default response body cap: discovery documents, JWKS and token responses are a few kilobytes. */
export const DEFAULT_MAX_BODY_BYTES = 1_000_000;
/** Redirects followed at most. */
export const MAX_REDIRECTS = 3;

const ALLOWED = 'only https (or http to a loopback address: 127.0.0.0/8, ::1, localhost) is allowed';
const POLICED = Symbol('parley.requestPolicy');
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A URL as shown in a message (a `javascript:` URL may be long and is not worth more than its start). */
function shown(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/** True for a host name of this machine: localhost, 127.0.0.0/8, [::1] (as the URL parser writes them). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // The URL parser has already normalised IPv4 forms (127.1, 0x7f.0.0.1) to dotted quads.
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Parses `url` and refuses it unless the policy allows it. `what` names the URL in the message (e.g.
 * "the discovery document's token_endpoint"); by default the URL itself.
 */
export function checkRequestUrl(url: string | URL, what?: string): URL {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new RequestRefusedError('invalid-url', `Refused: ${what ?? shown(String(url))} is not a valid URL.`);
  }
  const name = what ?? shown(parsed.href);
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:') {
    if (isLoopbackHost(parsed.hostname)) return parsed;
    throw new RequestRefusedError('plain-http', `Refused: ${name} uses plain http to ${parsed.hostname}, which is not this machine; ${ALLOWED}.`);
  }
  throw new RequestRefusedError('scheme', `Refused: ${name} uses ${parsed.protocol}, ${ALLOWED}.`);
}

/** True when `fetchFn` is already policed. */
function isPoliced(fetchFn: CoreFetch): boolean {
  return (fetchFn as { [POLICED]?: true })[POLICED] === true;
}

/** Wraps a fetch-like function in the policy: the returned function checks, follows and caps as described above. */
export function withRequestPolicy(fetchFn: CoreFetch, options: RequestPolicyOptions = {}): CoreFetch {
  if (isPoliced(fetchFn) && options.maxBodyBytes === undefined && options.maxRedirects === undefined) return fetchFn;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const policed: CoreFetch = async (url, init) => {
    const mode = init.redirect ?? 'follow';
    const method = (init.method ?? 'GET').toUpperCase();
    const first = checkRequestUrl(url);
    let current = first;
    for (let hop = 0; ; hop++) {
      // The wrapped fetch never follows a redirect itself: its Location has not been checked yet.
      const response = await fetchFn(current.href, { ...init, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null || mode === 'manual') return capped(response, current, maxBodyBytes);
      await response.body?.cancel().catch(() => undefined);
      if (mode === 'error' || (method !== 'GET' && method !== 'HEAD')) {
        throw new RequestRefusedError(
          'redirect',
          `Refused: ${current.href} answered a redirect (HTTP ${response.status}), and this ${method} request does not follow redirects.`,
        );
      }
      if (hop >= maxRedirects) throw new RequestRefusedError('too-many-redirects', `Refused: ${first.href} redirected more than ${maxRedirects} times.`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RequestRefusedError('redirect', `Refused: ${current.href} redirected to an invalid URL.`);
      }
      current = checkRequestUrl(next, `the redirect from ${current.href} to ${shown(next.href)}`);
    }
  };
  Object.defineProperty(policed, POLICED, { value: true });
  return policed;
}

/** The response with its body streamed through the cap: past `maxBytes` the source is cancelled and the read fails. */
function capped(response: Response, url: URL, maxBytes: number): Response {
  const tooLarge = (): RequestRefusedError =>
    new RequestRefusedError('body-too-large', `Refused: ${url.href} returned more than ${maxBytes} bytes; responses are capped at ${maxBytes} bytes.`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
  if (response.status < 200 || response.status > 599) {
    void response.body.cancel().catch(() => undefined);
    throw new RequestRefusedError('invalid-response', `Refused: ${url.href} answered HTTP ${response.status}, which is not a valid status.`);
  }
  const reader = response.body.getReader();
  let total = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      total += value.byteLength;
      if (total > maxBytes) {
        const error = tooLarge();
        // Cancelling the source drops the connection: the rest of the body is never received.
        await reader.cancel(error).catch(() => undefined);
        controller.error(error);
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Where the answer came from (after redirects), as a fetch Response says.
  Object.defineProperty(out, 'url', { value: response.url || url.href });
  return out;
}
