/**
 * Fetching a JSON document (a JWKS, an OpenID discovery document) for signature verification. The URL is
 * the user's, so the fetch is bounded: https only (plain http only to this machine), a timeout, a size cap,
 * and redirects followed by hand so that each hop passes the same scheme check.
 */

/** Why a fetch failed; `message` is one English sentence naming the cause. */
export class FetchJsonError extends Error {
  override readonly name = 'FetchJsonError';
}

/** The fetcher the core passes in (Node's global `fetch`; tests may substitute one). */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/** Bounds of one fetch. */
export interface FetchJsonOptions {
  fetch: Fetcher;
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** Response body cap; default 1 MB. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 1_000_000;
const MAX_REDIRECTS = 3;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Parses `url` and refuses anything but https, or http to a loopback host (the embedded server, local tests). */
export function checkFetchUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchJsonError(`${url} is not a valid URL.`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(parsed.hostname)) return parsed;
    // Keys fetched over plain http could be swapped by anyone on the path; only this machine is exempt.
    throw new FetchJsonError(`${parsed.href} uses plain http; keys are fetched over https only (http is allowed for 127.0.0.1, localhost and [::1]).`);
  }
  throw new FetchJsonError(`${parsed.href} uses ${parsed.protocol.replace(/:$/, '')}; keys are fetched over https only.`);
}

/** Fetches `url` and parses its body as JSON; throws FetchJsonError naming the cause on any failure. */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // One deadline for the whole exchange, redirects included, so a redirect chain cannot stretch it.
  const signal = AbortSignal.timeout(timeoutMs);
  let current = checkFetchUrl(url);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await options.fetch(current.href, { method: 'GET', redirect: 'manual', signal, headers: { accept: 'application/json' } });
    } catch (cause) {
      throw new FetchJsonError(describeNetworkError(current, cause, timeoutMs), { cause });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new FetchJsonError(`${url} redirected more than ${MAX_REDIRECTS} times.`);
      const location = response.headers.get('location') ?? '';
      let next: string;
      try {
        next = new URL(location, current).href;
      } catch {
        throw new FetchJsonError(`${current.href} redirected to an invalid URL.`);
      }
      current = checkFetchUrl(next);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchJsonError(`${current.href} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
    }
    const text = await readBounded(response, current, maxBytes, timeoutMs);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      // content-type is not checked (many servers send text/plain), but the body itself must be JSON.
      const type = response.headers.get('content-type');
      throw new FetchJsonError(`${current.href} did not return JSON${type ? ` (content-type ${type})` : ''}.`, { cause });
    }
  }
}

/** Reads the body as UTF-8, stopping as soon as it exceeds `maxBytes`. */
async function readBounded(response: Response, url: URL, maxBytes: number, timeoutMs: number): Promise<string> {
  const tooLarge = (): FetchJsonError => new FetchJsonError(`${url.href} returned more than ${maxBytes} bytes; the limit is ${maxBytes}.`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof FetchJsonError) throw cause;
    throw new FetchJsonError(describeNetworkError(url, cause, timeoutMs), { cause });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    throw new FetchJsonError(`${url.href} did not return JSON (the body is not UTF-8 text).`, { cause });
  }
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_CERT)/;

/** Turns undici's "fetch failed" (whose cause holds the code) into a sentence naming the cause. */
function describeNetworkError(url: URL, error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `${url.href} did not answer within ${timeoutMs / 1000} s.`;
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  const code = String((cause as { code?: unknown } | null)?.code ?? '');
  const detail = cause instanceof Error ? cause.message : String(cause);
  // The Fetch standard blocks some ports outright (1, 25, 6000…); undici says only "bad port".
  if (detail === 'bad port') return `${url.host} is unreachable: fetch refuses port ${url.port}, a port the Fetch standard blocks.`;
  if (code === 'ECONNREFUSED') return `${url.host} is unreachable: the connection was refused.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${url.hostname} is unreachable: the host name could not be resolved.`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `${url.host} is unreachable: the connection timed out.`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${url.host} closed the connection.`;
  if (TLS_CODES.test(code)) return `The TLS connection to ${url.host} failed (${code}): ${detail}.`;
  return `${url.host} is unreachable: ${detail}${code ? ` (${code})` : ''}.`;
}
