/**
 * The load generator: autocannon's programmatic API, 16 connections (no pipelining), each request taking
 * the next pre-built body from a shared pool, so no body is ever sent twice. A timed run stops after
 * `durationS` (or earlier if the pool runs out, which is reported); an untimed run sends the whole pool.
 * Latencies are taken from autocannon's per-response event (hrtime, sub-millisecond) and percentiles are
 * computed exactly from all of them.
 */
import { createRequire } from 'node:module';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: AutocannonRequest, context: unknown) => AutocannonRequest;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  stop(): void;
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>, done: (err: unknown, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = require('autocannon') as Autocannon;

/** One request of a mixed pool (the soak); plain scenarios use one path and content type. */
export interface PooledRequest {
  method?: string;
  path: string;
  body: string;
  contentType?: string;
  /** Other request headers (a DPoP proof). */
  headers?: Record<string, string>;
}

/** What a run measured. */
export interface LoadResult {
  sent: number;
  responses: number;
  /** Responses with the expected status. */
  ok: number;
  /** Responses with another status, plus socket errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  elapsedMs: number;
  /** Expected-status responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** True when the pool ran out before the time was up. */
  exhausted: boolean;
  /**
   * The load generator's own stalls during the run: its longest event-loop delay and the time its garbage
   * collector paused it, in ms. A stall holds back the responses it has not read yet, so it shows up as the
   * server's latency; bench/run.ts notes a run whose generator stalled for more than 25 ms.
   */
  generator: { maxLoopDelayMs: number; gcPauseMs: number; longestGcMs: number };
}

/** Runs one load. */
export function drive(options: {
  origin: string;
  path?: string;
  bodies?: readonly string[];
  /** Per-body extra headers, in the order of `bodies` (a DPoP proof each). */
  headers?: readonly Record<string, string>[];
  mixed?: readonly PooledRequest[];
  expect?: number;
  connections?: number;
  durationS?: number;
}): Promise<LoadResult> {
  const connections = options.connections ?? 16;
  const extra = options.headers;
  const pool: readonly PooledRequest[] =
    options.mixed ?? (options.bodies ?? []).map((body, i) => ({ path: options.path ?? '/', body, ...(extra?.[i] ? { headers: extra[i] } : {}) }));
  if (pool.length < 4 * connections) throw new Error(`a pool of ${pool.length} requests is too small`);
  const latencies = new Float64Array(pool.length);
  const statusCounts: Record<string, number> = {};
  let next = 0;
  let responses = 0;
  let ok = 0;
  const started = performance.now();
  // autocannon reports completion on its one-second tick, so the run ends at the last response.
  let lastResponseAt = started;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let gcPauseMs = 0;
  let longestGcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauseMs += entry.duration;
      longestGcMs = Math.max(longestGcMs, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: options.origin,
        connections,
        pipelining: 1,
        // The connections share the pool (autocannon builds exactly `amount` requests: one per send); a
        // timed run is stopped by the timer below.
        amount: pool.length,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: pool[0]!.path,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            setupRequest(request: AutocannonRequest): AutocannonRequest {
              const item = pool[Math.min(next, pool.length - 1)]!;
              next += 1;
              request.method = item.method ?? 'POST';
              request.path = item.path;
              request.headers = { 'content-type': item.contentType ?? 'application/x-www-form-urlencoded', ...item.headers };
              request.body = item.body;
              return request;
            },
          },
        ],
      },
      (err, result) => {
        if (timer) clearTimeout(timer);
        loopDelay.disable();
        gcObserver.disconnect();
        if (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        const elapsedMs = Math.max(1, lastResponseAt - started);
        const sorted = latencies.subarray(0, responses).sort();
        const pct = (p: number) => (responses === 0 ? 0 : sorted[Math.min(responses - 1, Math.floor((p / 100) * responses))]!);
        const otherStatus = responses - ok;
        resolve({
          sent: Math.min(next, pool.length),
          responses,
          ok,
          errors: otherStatus + result.errors + result.timeouts,
          statusCounts,
          elapsedMs,
          rps: (ok / elapsedMs) * 1000,
          p50Ms: pct(50),
          p99Ms: pct(99),
          maxMs: responses === 0 ? 0 : sorted[responses - 1]!,
          exhausted: options.durationS !== undefined && elapsedMs < options.durationS * 1000 - 100,
          generator: { maxLoopDelayMs: loopDelay.max / 1e6, gcPauseMs, longestGcMs },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastResponseAt = performance.now();
      if (responses < latencies.length) latencies[responses] = responseTime;
      responses += 1;
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      if (options.expect === undefined || statusCode === options.expect) ok += 1;
    });
    if (options.durationS !== undefined) timer = setTimeout(() => instance.stop(), options.durationS * 1000);
  });
}
