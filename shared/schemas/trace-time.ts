/**
 * A trace's time by the host's clock, apart from server.ts's schemas: the renderer's first chunk needs this
 * function (its request log sorts by it) and not zod, which importing server.ts would bring in.
 */
import type { RequestTrace } from './server';

/** When a trace's request arrived by the host's clock (ms): `at` minus the simulated offset it was recorded with. */
export function traceHostTimeMs(trace: Pick<RequestTrace, 'at' | 'clockOffsetSeconds'>): number {
  return Date.parse(trace.at) - (trace.clockOffsetSeconds ?? 0) * 1000;
}
