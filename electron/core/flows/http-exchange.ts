/**
 * Every HTTP request a flow makes goes through here: it is checked and bounded by the core's request
 * policy (http/request-policy.ts: https or loopback http, no redirect followed, body capped), timed, its
 * failure named plainly (refused, unreachable, TLS, timeout; the transports name proxy and certificate
 * failures themselves, http/network-error.ts), and recorded with secrets redacted before anything keeps it.
 */
import type { FlowExchange } from '../../../shared/schemas/flows';
import { nowMs } from '../clock';
import type { CoreFetch } from '../http/request-policy';
import { RequestRefusedError, withRequestPolicy } from '../http/request-policy';
import { NetworkError } from '../http/network-error';
import { FlowStepError } from './flow-error';
import { redactBody, redactHeaders, redactUrl } from './redact';

/** The fetch a flow uses (the core's; injectable in tests). The request policy is applied around it here. */
export type FlowFetch = CoreFetch;

/** A request a step sends. */
export interface FlowRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A form-encoded body. */
  form?: URLSearchParams;
  /**
   * GET documents (discovery, JWKS): follow redirects, each hop checked by the request policy. Otherwise a
   * 3xx is the answer recorded (a token or PAR endpoint that redirects is a failure to show, not to follow).
   */
  followRedirects?: boolean;
}

/** A response, read in full (within the policy's cap), and its redacted record. */
export interface FlowResponse {
  status: number;
  headers: Headers;
  text: string;
  /** When the request was sent (core clock), to find the server's trace of it. */
  sentAt: number;
  exchange: FlowExchange;
}

/** How long a request may take. */
export const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 1_000_000;

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

function causeCode(e: unknown): string {
  let current: unknown = e;
  for (let i = 0; i < 4 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return '';
}

/** Sends a request and records it; throws FlowStepError naming a transport failure (or cancelled). */
export async function sendRecorded(fetchFn: FlowFetch, request: FlowRequest, signal: AbortSignal, timeoutMs = REQUEST_TIMEOUT_MS): Promise<FlowResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...(request.headers ?? {}) };
  const body = request.form?.toString();
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const recordedRequest: FlowExchange['request'] = { method: request.method, url: redactUrl(request.url), headers: redactHeaders(headers) };
  if (body !== undefined) recordedRequest.body = redactBody(body, headers['content-type']);
  const host = (() => {
    try {
      return new URL(request.url).host;
    } catch {
      return request.url;
    }
  })();
  const timeout = AbortSignal.timeout(timeoutMs);
  const sentAt = nowMs();
  let res: Response;
  let text: string;
  try {
    res = await withRequestPolicy(fetchFn)(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: request.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.any([signal, timeout]),
    });
    text = await res.text();
  } catch (e) {
    const exchange: FlowExchange = { request: recordedRequest, durationMs: nowMs() - sentAt };
    if (signal.aborted) throw new FlowStepError('cancelled', 'The flow was cancelled.', { cause: e, exchange });
    if (e instanceof RequestRefusedError) throw new FlowStepError('request_refused', e.message, { cause: e, exchange });
    if (timeout.aborted) throw new FlowStepError('timeout', `${host} did not answer within ${timeoutMs / 1000} s.`, { cause: e, exchange });
    // Named by the transport: which proxy, whose certificate.
    if (e instanceof NetworkError)
      throw new FlowStepError(e.isTls ? 'tls_failure' : e.kind === 'timeout' ? 'timeout' : 'issuer_unreachable', e.message, { cause: e, exchange });
    const code = causeCode(e);
    if (TLS_CODES.test(code))
      throw new FlowStepError('tls_failure', `The TLS connection to ${host} failed (${code}): its certificate is not trusted or does not match the host.`, {
        cause: e,
        exchange,
      });
    if (UNREACHABLE_CODES.has(code) || code === '') {
      throw new FlowStepError('issuer_unreachable', `${host} is unreachable${code ? ` (${code})` : ''}: check the URL and that the server is running.`, {
        cause: e,
        exchange,
      });
    }
    throw new FlowStepError('issuer_unreachable', `The request to ${host} failed (${code}).`, { cause: e, exchange });
  }
  const durationMs = nowMs() - sentAt;
  const responseHeaders = redactHeaders(headersOf(res.headers));
  const clipped = text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
  const exchange: FlowExchange = {
    request: recordedRequest,
    response: { status: res.status, headers: responseHeaders, ...(clipped === '' ? {} : { body: redactBody(clipped, res.headers.get('content-type')) }) },
    durationMs,
  };
  return { status: res.status, headers: res.headers, text, sentAt, exchange };
}

/** Parses a JSON object body, or throws not_json naming what came back. */
export function jsonObject(res: FlowResponse, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(res.text);
  } catch (cause) {
    const type = res.headers.get('content-type') ?? 'no content type';
    throw new FlowStepError('not_json', `${what} is not JSON (HTTP ${res.status}, ${type}).`, { cause, exchange: res.exchange });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FlowStepError('not_json', `${what} is JSON but not an object (HTTP ${res.status}).`, { exchange: res.exchange });
  }
  return value as Record<string, unknown>;
}
