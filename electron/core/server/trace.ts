/**
 * Every request to the embedded server records a trace: for each rule it applied, passed or failed,
 * expected, actual, and the source. The wire carries the standard error; the trace is what the UI shows.
 * Traces are kept in a bounded ring (like a tenant's logs) and streamed to the renderer.
 */
import type { RuleDef, RuleOutcome } from '../../../shared/jwt/rule';
import { evaluateRule } from '../../../shared/jwt/rule';
import { nowMs } from '../clock';
import { randomToken } from '../random';
import type { RequestTrace } from '../../../shared/schemas/server';
import { OAuthError } from './errors';

export type { RequestTrace } from '../../../shared/schemas/server';

// Trace ids: a random prefix per process (96 bits) and a counter. Unique like a random id, without a CSPRNG
// call per request — that call was the largest cost of recording a trace (docs/performance.md).
const TRACE_ID_PREFIX = randomToken(12);
let traceCounter = 0;

/** A new trace id: 16 random characters per process, then a base-36 counter. */
export function nextTraceId(): string {
  traceCounter += 1;
  return `${TRACE_ID_PREFIX}${traceCounter.toString(36).padStart(6, '0')}`;
}

/**
 * The longest `expected`, `actual` or `message` a trace keeps, in characters; longer ones are cut with a
 * note of their length. With at most MAX_TRACE_OUTCOMES outcomes per trace, this bounds each trace, and
 * TraceLog's capacity bounds the log (docs/bounds.md).
 */
export const MAX_TRACE_TEXT = 2048;
/** The most rule outcomes one trace keeps (an endpoint applies a few dozen). */
export const MAX_TRACE_OUTCOMES = 200;

function capText(text: string): string {
  return text.length <= MAX_TRACE_TEXT ? text : `${text.slice(0, MAX_TRACE_TEXT)}… (${text.length} characters)`;
}

function capOutcome(outcome: RuleOutcome): RuleOutcome {
  if (outcome.message.length <= MAX_TRACE_TEXT && (outcome.expected?.length ?? 0) <= MAX_TRACE_TEXT && (outcome.actual?.length ?? 0) <= MAX_TRACE_TEXT) return outcome;
  const capped: RuleOutcome = { ...outcome, message: capText(outcome.message) };
  if (outcome.expected !== undefined) capped.expected = capText(outcome.expected);
  if (outcome.actual !== undefined) capped.actual = capText(outcome.actual);
  return capped;
}

/** Collects the outcomes of one request. */
export class TraceRecorder {
  readonly id = nextTraceId();
  readonly startedAt = nowMs();
  readonly rules: RuleOutcome[] = [];
  clientId: string | undefined;
  failedRule: string | undefined;

  /**
   * `clockOffsetSeconds`: the server's simulated clock offset (settings) when the request arrived; the
   * trace's `at` is then the server's simulated time, and says so.
   */
  constructor(
    readonly method: string,
    readonly endpoint: string,
    readonly path: string,
    readonly clockOffsetSeconds = 0,
  ) {}

  /** Records an outcome that was computed elsewhere. */
  record(outcome: RuleOutcome): void {
    if (!outcome.passed && this.failedRule === undefined) this.failedRule = outcome.id;
    if (this.rules.length < MAX_TRACE_OUTCOMES) this.rules.push(capOutcome(outcome));
  }

  /** Evaluates a rule and records it; returns whether it passed (true when it did not apply). */
  evaluate<C>(rule: RuleDef<C>, ctx: C): boolean {
    const outcome = evaluateRule(rule, ctx);
    if (outcome === null) return true;
    this.record(outcome);
    return outcome.passed;
  }

  /** Evaluates a rule and throws its wire error when it fails. */
  check<C>(rule: RuleDef<C>, ctx: C): void {
    if (!this.evaluate(rule, ctx)) throw OAuthError.fromRule(rule.id, rule.wire);
  }

  /** Records a pass for a rule checked inline (no RuleDef), e.g. a Management API rule. */
  pass(id: string, summary: string, source: string, expected?: string, actual?: string): void {
    const outcome: RuleOutcome = { id, passed: true, summary, message: summary, fix: '', source };
    if (expected !== undefined) outcome.expected = expected;
    if (actual !== undefined) outcome.actual = actual;
    this.record(outcome);
  }

  /** Records a failure for a rule checked inline. */
  fail(id: string, summary: string, source: string, expected: string, actual: string, fix = '', message = summary): void {
    this.record({ id, passed: false, summary, message, fix, source, expected, actual });
  }

  /** Closes the trace with the response's status and error. */
  finish(status: number, error?: { error: string; description: string }): RequestTrace {
    const trace: RequestTrace = {
      id: this.id,
      at: new Date(this.startedAt + this.clockOffsetSeconds * 1000).toISOString(),
      method: this.method,
      endpoint: this.endpoint,
      path: this.path,
      status,
      rules: this.rules,
      durationMs: Math.max(0, nowMs() - this.startedAt),
    };
    if (this.clientId !== undefined) trace.clientId = this.clientId;
    if (this.clockOffsetSeconds !== 0) trace.clockOffsetSeconds = this.clockOffsetSeconds;
    if (error) {
      trace.error = error.error;
      trace.errorDescription = error.description;
    }
    // Errors redirected to the client (302 with error=…) failed too, so they name their rule as well.
    if (this.failedRule !== undefined && (status >= 400 || error !== undefined)) trace.failedRule = this.failedRule;
    return trace;
  }
}

/**
 * The bounded in-memory log of traces (oldest dropped first), a ring: adding is O(1) however full it is.
 * Bound: `capacity` traces, 1000 by default (docs/bounds.md).
 */
export class TraceLog {
  /** Slot i holds the trace added (i - head) mod capacity places after the oldest one. */
  #ring: (RequestTrace | undefined)[] = [];
  #head = 0;
  #size = 0;
  readonly #listeners = new Set<(t: RequestTrace) => void>();

  constructor(readonly capacity = 1000) {}

  /** Adds a trace and notifies subscribers. */
  add(trace: RequestTrace): void {
    if (this.#size < this.capacity) {
      this.#ring[(this.#head + this.#size) % this.capacity] = trace;
      this.#size += 1;
    } else {
      this.#ring[this.#head] = trace;
      this.#head = (this.#head + 1) % this.capacity;
    }
    for (const l of this.#listeners) l(trace);
  }

  /** The i-th newest trace (0 = newest). */
  #newest(i: number): RequestTrace {
    return this.#ring[(this.#head + this.#size - 1 - i) % this.capacity]!;
  }

  /** Newest first, filtered. */
  list(filter: { endpoint?: string; clientId?: string; failedOnly?: boolean; limit?: number } = {}): RequestTrace[] {
    const out: RequestTrace[] = [];
    const limit = filter.limit ?? this.capacity;
    for (let i = 0; i < this.#size && out.length < limit; i++) {
      const t = this.#newest(i);
      if (filter.endpoint && t.endpoint !== filter.endpoint) continue;
      if (filter.clientId && t.clientId !== filter.clientId) continue;
      if (filter.failedOnly && t.status < 400) continue;
      out.push(t);
    }
    return out;
  }

  /** A trace by id. */
  get(id: string): RequestTrace | undefined {
    for (let i = 0; i < this.#size; i++) {
      const t = this.#newest(i);
      if (t.id === id) return t;
    }
    return undefined;
  }

  /** Subscribes to new traces. */
  subscribe(listener: (t: RequestTrace) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Empties the log. */
  clear(): void {
    this.#ring = [];
    this.#head = 0;
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}
