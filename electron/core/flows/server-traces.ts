/**
 * Against the embedded server, a flow step shows the server's own trace of each request next to it,
 * so a rejection names the rule that failed. Traces are logged once the response has been sent, so
 * the lookup waits a moment for them.
 */
import type { RequestTrace } from '../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../shared/schemas/server';
import type { EmbeddedServer } from '../server/embedded';

/** The embedded server's traces of requests to `path` that started at or after `since` (newest first). */
export async function tracesSince(server: EmbeddedServer, path: string, since: number, options: { waitMs?: number } = {}): Promise<RequestTrace[]> {
  const deadline = Date.now() + (options.waitMs ?? 300);
  for (;;) {
    const log = server.running?.ctx.traces;
    if (!log) return [];
    // Trace times are whole milliseconds of the same clock (once the simulated offset is taken out); allow for rounding.
    const found = log.list({ limit: 20 }).filter((t) => t.path === path && traceHostTimeMs(t) >= since - 1);
    if (found.length > 0 || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The sentence a step shows for a failed trace: the rule, then the server's words. */
export function describeTrace(trace: RequestTrace): string {
  const rule = trace.failedRule ? trace.rules.find((r) => r.id === trace.failedRule) : undefined;
  const parts = [
    trace.failedRule ? `${trace.failedRule} failed` : `HTTP ${trace.status}`,
    rule?.message,
    trace.error ? `(${trace.error}${trace.errorDescription ? `: ${trace.errorDescription}` : ''})` : undefined,
  ];
  return parts.filter(Boolean).join(' — ');
}
