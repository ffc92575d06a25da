/**
 * HAR export: a flow run, or the embedded server's log (Server › Logs traces), as a HAR 1.2 document that
 * Chromium DevTools, Postman and Insomnia open. A run passes through the flows' own redaction again
 * (redactRun: secrets, codes, verifiers, Basic credentials and cookies replaced, access tokens unsigned)
 * before anything is copied, so an export holds no more than the history does. Traces hold no secrets (no
 * headers, no bodies); their rules travel in each entry's `_parleyRules` (HAR 1.2 custom fields start with
 * an underscore, and readers ignore them). Pure and browser-safe.
 */
import type { FlowExchange, FlowRun } from '../schemas/flows';
import type { RequestTrace } from '../schemas/server';
import { traceHostTimeMs } from '../schemas/server';
import { redactRun, redactUrl } from '../redact/secrets';
import type { Har, HarEntry, HarPair } from './har';

/** Who wrote the file (log.creator). */
export interface HarCreator {
  name: string;
  version: string;
}

const utf8 = new TextEncoder();

function bytes(text: string | undefined): number {
  return text === undefined ? 0 : utf8.encode(text).length;
}

function headerList(headers: Record<string, string>): HarPair[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function queryOf(url: string): HarPair[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function timings(ms: number): HarEntry['timings'] {
  // Parley times a request as a whole: all of it is counted as waiting for the answer.
  return { send: 0, wait: Math.max(0, Math.round(ms)), receive: 0 };
}

function entryOf(exchange: FlowExchange, startedDateTime: string, comment: string): HarEntry {
  const { request, response } = exchange;
  const contentType = request.headers['content-type'] ?? '';
  const resType = response?.headers['content-type'] ?? '';
  return {
    startedDateTime,
    time: Math.max(0, Math.round(exchange.durationMs)),
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(request.headers),
      queryString: queryOf(request.url),
      ...(request.body === undefined ? {} : { postData: { mimeType: contentType || 'application/octet-stream', text: request.body } }),
      headersSize: -1,
      bodySize: bytes(request.body),
    },
    response: response
      ? {
          status: response.status,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: headerList(response.headers),
          content: {
            size: bytes(response.body),
            mimeType: resType || 'application/octet-stream',
            ...(response.body === undefined ? {} : { text: response.body }),
          },
          redirectURL: response.headers['location'] ?? '',
          headersSize: -1,
          bodySize: bytes(response.body),
        }
      : // No answer (refused, unreachable, timed out): HAR's way to say so is status 0, as DevTools writes.
        {
          status: 0,
          statusText: '',
          httpVersion: '',
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
    cache: {},
    timings: timings(exchange.durationMs),
    comment,
  };
}

function isoOf(ms: number): string {
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

/** A run as HAR 1.2: one entry per HTTP exchange of its steps (a PAR sent again included), in order. */
export function harFromRun(run: FlowRun, creator: HarCreator): Har {
  const clean = redactRun(run);
  const entries: HarEntry[] = [];
  for (const step of clean.steps) {
    const at = step.startedAt ?? clean.startedAt;
    for (const extra of step.extraExchanges ?? [])
      entries.push(entryOf(extra.exchange, at, `Parley run ${clean.id}, step ${step.name}: ${extra.purpose} sent again (${extra.reason.replace(/_/g, ' ')})`));
    if (step.exchange)
      entries.push(entryOf(step.exchange, at, `Parley run ${clean.id}, step ${step.name}${step.error ? ` (failed: ${step.error.code})` : ''}`));
    else if (step.name === 'authorize' && clean.authorizeUrl) {
      // The authorization request is made by the browser, not recorded as an exchange: its URL is known,
      // and the browser's landing on the redirect_uri is the answer (secrets redacted in both).
      const detail = clean.steps.find((s) => s.name === 'callback')?.detail;
      const callback = typeof detail?.['callbackUrl'] === 'string' ? detail['callbackUrl'] : undefined;
      entries.push(
        entryOf(
          {
            request: { method: 'GET', url: clean.authorizeUrl, headers: {} },
            ...(callback === undefined ? {} : { response: { status: 302, headers: { location: callback } } }),
            durationMs: step.durationMs ?? 0,
          },
          at,
          `Parley run ${clean.id}, step authorize: opened in the browser${callback === undefined ? '' : '; the response is the redirect the browser reached'}`,
        ),
      );
    }
  }
  return {
    log: {
      version: '1.2',
      creator: { name: creator.name, version: creator.version },
      pages: [],
      entries,
      comment: `Parley flow run ${clean.id} (${clean.kind}), ${clean.status}`,
    },
  };
}

/** The embedded server's log as HAR 1.2: one entry per trace, oldest first; `issuer` makes the paths URLs. */
export function harFromTraces(traces: readonly RequestTrace[], issuer: string, creator: HarCreator): Har {
  const sorted = [...traces].sort((a, b) => traceHostTimeMs(a) - traceHostTimeMs(b));
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
  const entries: HarEntry[] = sorted.map((trace) => {
    let url: string;
    try {
      url = redactUrl(new URL(trace.path.replace(/^\/+/, ''), base).href);
    } catch {
      url = base;
    }
    const body =
      trace.error === undefined
        ? undefined
        : JSON.stringify({ error: trace.error, ...(trace.errorDescription === undefined ? {} : { error_description: trace.errorDescription }) });
    const failed = trace.failedRule === undefined ? '' : `; failed rule ${trace.failedRule}`;
    return {
      ...entryOf(
        {
          request: { method: trace.method, url, headers: {} },
          response: {
            status: trace.status,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body }),
          },
          durationMs: trace.durationMs,
        },
        isoOf(traceHostTimeMs(trace)),
        `Parley server trace ${trace.id}: ${trace.endpoint}${trace.clientId === undefined ? '' : `, client ${trace.clientId}`}${failed} (headers and bodies are not logged)`,
      ),
      _parleyRules: trace.rules.map((r) => ({
        id: r.id,
        passed: r.passed,
        message: r.message,
        ...(r.expected === undefined ? {} : { expected: r.expected }),
        ...(r.actual === undefined ? {} : { actual: r.actual }),
      })),
    };
  });
  return {
    log: {
      version: '1.2',
      creator: { name: creator.name, version: creator.version },
      pages: [],
      entries,
      comment: `Parley embedded server log (${entries.length} requests)`,
    },
  };
}
