/**
 * Every request to the embedded server records a trace: for each rule it applied, passed or failed,
 * expected, actual, and the source. The wire carries the standard error; the trace is what the UI shows.
 * Traces are kept in a bounded ring (like a tenant's logs) and streamed to the renderer.
 */
import type { RuleDef, RuleOutcome } from '../../../shared/jwt/rule';
import { evaluateRule } from '../../../shared/jwt/rule';
import { nowMs } from '../clock';
import { randomId } from '../random';
import type { RequestTrace } from '../../../shared/schemas/server';
import { OAuthError } from './errors';

export type { RequestTrace } from '../../../shared/schemas/server';

/** Collects the outcomes of one request. */
export class TraceRecorder {
  readonly id = randomId();
  readonly startedAt = nowMs();
  readonly rules: RuleOutcome[] = [];
  clientId: string | undefined;
  failedRule: string | undefined;

  constructor(
    readonly method: string,
    readonly endpoint: string,
    readonly path: string,
  ) {}

  /** Records an outcome that was computed elsewhere. */
  record(outcome: RuleOutcome): void {
    this.rules.push(outcome);
    if (!outcome.passed && this.failedRule === undefined) this.failedRule = outcome.id;
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
    this.record({ id, passed: true, summary, message: summary, fix: '', source, ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) });
  }

  /** Records a failure for a rule checked inline. */
  fail(id: string, summary: string, source: string, expected: string, actual: string, fix = '', message = summary): void {
    this.record({ id, passed: false, summary, message, fix, source, expected, actual });
  }

  /** Closes the trace with the response's status and error. */
  finish(status: number, error?: { error: string; description: string }): RequestTrace {
    const trace: RequestTrace = {
      id: this.id,
      at: new Date(this.startedAt).toISOString(),
      method: this.method,
      endpoint: this.endpoint,
      path: this.path,
      status,
      rules: this.rules,
      durationMs: Math.max(0, nowMs() - this.startedAt),
    };
    if (this.clientId !== undefined) trace.clientId = this.clientId;
    if (error) {
      trace.error = error.error;
      trace.errorDescription = error.description;
    }
    // Errors redirected to the client (302 with error=…) failed too, so they name their rule as well.
    if (this.failedRule !== undefined && (status >= 400 || error !== undefined)) trace.failedRule = this.failedRule;
    return trace;
  }
}

/** The bounded in-memory log of traces (oldest dropped first). Bound: `capacity` entries, 1000 by default. */
export class TraceLog {
  readonly #items: RequestTrace[] = [];
  readonly #listeners = new Set<(t: RequestTrace) => void>();

  constructor(readonly capacity = 1000) {}

  /** Adds a trace and notifies subscribers. */
  add(trace: RequestTrace): void {
    this.#items.push(trace);
    if (this.#items.length > this.capacity) this.#items.splice(0, this.#items.length - this.capacity);
    for (const l of this.#listeners) l(trace);
  }

  /** Newest first, filtered. */
  list(filter: { endpoint?: string; clientId?: string; failedOnly?: boolean; limit?: number } = {}): RequestTrace[] {
    const out: RequestTrace[] = [];
    for (let i = this.#items.length - 1; i >= 0 && out.length < (filter.limit ?? this.capacity); i--) {
      const t = this.#items[i]!;
      if (filter.endpoint && t.endpoint !== filter.endpoint) continue;
      if (filter.clientId && t.clientId !== filter.clientId) continue;
      if (filter.failedOnly && t.status < 400) continue;
      out.push(t);
    }
    return out;
  }

  /** A trace by id. */
  get(id: string): RequestTrace | undefined {
    return this.#items.find((t) => t.id === id);
  }

  /** Subscribes to new traces. */
  subscribe(listener: (t: RequestTrace) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Empties the log. */
  clear(): void {
    this.#items.length = 0;
  }

  get size(): number {
    return this.#items.length;
  }
}
