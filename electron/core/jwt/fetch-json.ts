/**
 * Fetching a JSON document (a JWKS, an OpenID discovery document) for signature verification. The URL is
 * the user's, so the fetch goes through the core's request policy (http/request-policy.ts: https only,
 * plain http only to this machine, redirects followed by hand with each hop checked, the body capped)
 * and has a timeout.
 */
import type { CoreFetch } from '../http/request-policy';
import { MAX_REDIRECTS, RequestRefusedError, checkRequestUrl, withRequestPolicy } from '../http/request-policy';
import { NetworkError } from '../http/network-error';

/** Why a fetch failed; `message` is one English sentence naming the cause. */
export class FetchJsonError extends Error {
  override readonly name = 'FetchJsonError';
}

/** The fetcher the core passes in (its transport, http/transport.ts; tests may substitute one). */
export type Fetcher = CoreFetch;

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

/** Parses `url` and refuses anything the request policy refuses (https, or http to a loopback host only). */
export function checkFetchUrl(url: string): URL {
  try {
    return checkRequestUrl(url);
  } catch (e) {
    if (e instanceof RequestRefusedError) throw new FetchJsonError(e.message, { cause: e });
    throw e;
  }
}

/** Fetches `url` and parses its body as JSON; throws FetchJsonError naming the cause on any failure. */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // One deadline for the whole exchange, redirects included, so a redirect chain cannot stretch it.
  const signal = AbortSignal.timeout(timeoutMs);
  const target = checkFetchUrl(url);
  const policed = withRequestPolicy(options.fetch, { maxBodyBytes: maxBytes, maxRedirects: MAX_REDIRECTS });
  let response: Response;
  try {
    response = await policed(target.href, { method: 'GET', redirect: 'follow', signal, headers: { accept: 'application/json' } });
  } catch (cause) {
    if (cause instanceof RequestRefusedError) throw new FetchJsonError(cause.message, { cause });
    throw new FetchJsonError(describeNetworkError(target, cause, timeoutMs), { cause });
  }
  const where = response.url ? new URL(response.url) : target;
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchJsonError(`${where.href} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  }
  const text = await readText(response, where, timeoutMs);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    // content-type is not checked (many servers send text/plain), but the body itself must be JSON.
    const type = response.headers.get('content-type');
    throw new FetchJsonError(`${where.href} did not return JSON${type ? ` (content-type ${type})` : ''}.`, { cause });
  }
}

/** Reads the body (capped by the policy) as UTF-8 text. */
async function readText(response: Response, url: URL, timeoutMs: number): Promise<string> {
  let bytes: ArrayBuffer;
  try {
    bytes = await response.arrayBuffer();
  } catch (cause) {
    if (cause instanceof RequestRefusedError) throw new FetchJsonError(cause.message, { cause });
    throw new FetchJsonError(describeNetworkError(url, cause, timeoutMs), { cause });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new FetchJsonError(`${url.href} did not return JSON (the body is not UTF-8 text).`, { cause });
  }
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_CERT)/;

/** Turns undici's "fetch failed" (whose cause holds the code) into a sentence naming the cause. */
function describeNetworkError(url: URL, error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `${url.href} did not answer within ${timeoutMs / 1000} s.`;
  // Named by the transport (proxy and certificate failures, Chromium's net errors).
  if (error instanceof NetworkError) return error.message;
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
