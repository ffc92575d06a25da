/**
 * One real HTTP request to the embedded server, and the server's own trace of it. Redirects are not
 * followed (a 302 from /authorize is the answer being judged). The trace is logged once the response has
 * been sent, so it is awaited from the trace log's subscription; runs are serialised by the runner, so the
 * first trace of the path that arrives after the request started is this request's.
 */
import type { ActualVerdict } from '../../../shared/faults/cases';
import type { RequestTrace } from '../../../shared/schemas/server';
import type { CoreFetch } from '../http/request-policy';
import { withRequestPolicy } from '../http/request-policy';
import type { AuthServer } from '../server/app';

/** What came back. */
export interface Exchange extends ActualVerdict {
  location?: string;
  /** The JSON body, when there is one (PAR's request_uri). */
  json?: Record<string, unknown>;
  /** The WWW-Authenticate challenge, when there is one (/userinfo's 401s: ED-2). */
  challenge?: string;
  /** A DPoP-Nonce the server sent (DPN-1: a token request to retry with it). */
  dpopNonce?: string;
  /** The Set-Cookie lines (the sign-in's transaction cookie, user-token.ts). */
  setCookie?: string[];
  trace?: RequestTrace;
}

/** How long to wait for a trace after the response arrived. */
const TRACE_WAIT_MS = 2000;

function waitForTrace(server: AuthServer, path: string): { trace: Promise<RequestTrace | undefined>; cancel: () => void } {
  let unsubscribe: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  let settle: (t: RequestTrace | undefined) => void = () => {};
  const trace = new Promise<RequestTrace | undefined>((resolve) => {
    settle = (t) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      resolve(t);
    };
    unsubscribe = server.ctx.traces.subscribe((t) => {
      if (t.path === path) settle(t);
    });
  });
  return {
    trace,
    // Called once the response is in: from then on wait at most TRACE_WAIT_MS.
    cancel: () => {
      if (!settled) timer = setTimeout(() => settle(undefined), TRACE_WAIT_MS);
    },
  };
}

function errorOf(json: Record<string, unknown> | undefined, location: string | undefined, base: string, trace: RequestTrace | undefined): string | undefined {
  if (typeof json?.error === 'string') return json.error;
  if (location !== undefined) {
    const url = new URL(location, base);
    const inQuery = url.searchParams.get('error');
    if (inQuery !== null) return inQuery;
    const inFragment = new URLSearchParams(url.hash.replace(/^#/, '')).get('error');
    if (inFragment !== null) return inFragment;
    return undefined;
  }
  // An HTML error page: its error is the one the server recorded for it.
  return trace?.error;
}

/**
 * Sends a GET with a query, or a POST with a form body, and returns the answer with its trace. `fetchFn`
 * is the core's transport (Chromium's in the app), under the request policy: the server's own loopback
 * URL passes; its answers are capped like any other.
 */
export async function exchange(
  fetchFn: CoreFetch,
  server: AuthServer,
  path: string,
  request: { query: Record<string, string> } | { form: Record<string, string> },
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const url = new URL(path.replace(/^\//, ''), server.urls.issuer);
  const init: RequestInit = { redirect: 'manual' };
  if ('query' in request) {
    for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
    init.method = 'GET';
    if (Object.keys(headers).length > 0) init.headers = { ...headers };
  } else {
    init.method = 'POST';
    init.headers = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
    init.body = new URLSearchParams(request.form).toString();
  }
  const waiter = waitForTrace(server, url.pathname);
  let response: Response;
  try {
    response = await withRequestPolicy(fetchFn)(url.href, init);
  } catch (e) {
    waiter.cancel();
    throw e;
  }
  const text = await response.text();
  waiter.cancel();
  const trace = await waiter.trace;
  let json: Record<string, unknown> | undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  const location = response.headers.get('location') ?? undefined;
  const out: Exchange = { status: response.status };
  const error = errorOf(json, location, server.urls.issuer, trace);
  if (error !== undefined) out.error = error;
  if (trace?.failedRule !== undefined) out.failedRule = trace.failedRule;
  if (location !== undefined) out.location = location;
  if (json !== undefined) out.json = json;
  const challenge = response.headers.get('www-authenticate');
  if (challenge !== null) out.challenge = challenge;
  const nonce = response.headers.get('dpop-nonce');
  if (nonce !== null) out.dpopNonce = nonce;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out.setCookie = cookies;
  if (trace !== undefined) out.trace = trace;
  return out;
}
