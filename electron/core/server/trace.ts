/**
 * Every request to the embedded server records a trace: for each rule it applied, passed or failed,
 * expected, actual, and the source. The wire carries the standard error; the trace is what the UI shows.
 * Traces are kept in a bounded ring (like a tenant's logs) and streamed to the renderer.
 */
import type { RuleDef, RuleOutcome, RuleText } from '../../../shared/jwt/rule';
import { evaluateRule, toOutcome } from '../../../shared/jwt/rule';
import { nowMs } from '../clock';
import { randomToken } from '../random';
import type { RequestTrace } from '../../../shared/schemas/server';
import type { RuleSink } from './recording';
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
  if (outcome.message.length <= MAX_TRACE_TEXT && (outcome.expected?.length ?? 0) <= MAX_TRACE_TEXT && (outcome.actual?.length ?? 0) <= MAX_TRACE_TEXT)
    return outcome;
  const capped: RuleOutcome = { ...outcome, message: capText(outcome.message) };
  if (outcome.expected !== undefined) capped.expected = capText(outcome.expected);
  if (outcome.actual !== undefined) capped.actual = capText(outcome.actual);
  return capped;
}

// How recorded outcomes are kept until someone reads the trace: in one flat array, variable width, the kind
// told by the first slot, so that a request's trace is a handful of objects rather than one object and two
// strings per rule (docs/performance.md):
//   [rules: RuleDef[], ctx]                    a group of RuleDefs that all passed (or did not apply) on one context
//   [rule: RuleDef, ctx]                       a RuleDef that passed
//   [outcome: RuleOutcome]                     an outcome made at once (every failure, and record())
//   [rule: RuleText, exp, act]                 an inline rule (rules.ts) that passed, with its expected and actual texts
//   [marker: GuaranteedRule, exp, act]         a guarantee an endpoint declared (steps.ts): a pass marked `guarantee`
// (Under PARLEY_TRACE_CHECK=1 a ctx slot holds a CheckedVerdict: the context and the outcomes made at once.)
// A passing RuleDef's verdict is evaluated again when read: rules are pure functions of their context, and
// the contexts are not changed after the check, so the verdict read later is the one the request got
// (TraceRecorder.checkLazyVerdicts makes every read prove it).

/**
 * A passing rule's or group's context with the outcomes made at once (null: the rule did not apply), to
 * compare with the ones made when read (TraceRecorder.checkLazyVerdicts).
 */
class CheckedVerdict {
  constructor(
    readonly ctx: unknown,
    readonly outcomes: readonly (RuleOutcome | null)[],
  ) {}
}

/** A rule an endpoint holds by construction (steps.ts), made once per endpoint: the head of a guarantee's item. */
export class GuaranteedRule {
  constructor(readonly rule: RuleText) {}
}

/** The kind of recorded item that starts with `head` (see above). */
function isRuleDef(head: unknown): head is RuleDef<unknown> {
  return typeof (head as { evaluate?: unknown }).evaluate === 'function';
}

function isOutcome(head: unknown): head is RuleOutcome {
  return typeof (head as { passed?: unknown }).passed === 'boolean';
}

/** Thrown (only under PARLEY_TRACE_CHECK=1) when a verdict read later differs from the one the request got. */
export class TraceDivergenceError extends Error {}

/** A finished trace as the log keeps it: the fields its filters read, and the full trace on demand. */
export interface TraceEntry {
  readonly id: string;
  readonly endpoint: string;
  readonly clientId: string | undefined;
  readonly status: number;
  /** The full trace (built on first read, then kept). */
  toTrace(): RequestTrace;
}

/** Collects the outcomes of one request. */
export class TraceRecorder implements TraceEntry, RuleSink {
  /**
   * Also make each passing outcome at once and compare it with the one made when the trace is read; a
   * difference throws TraceDivergenceError. Off in the app; the test suite turns it on at its edge
   * (PARLEY_TRACE_CHECK=1, read once by test/setup/trace-check.ts), so every server test also proves that
   * no rule context changed after its check.
   */
  static checkLazyVerdicts = false;

  readonly id = nextTraceId();
  readonly startedAt = nowMs();
  clientId: string | undefined;
  failedRule: string | undefined;
  status = 0;
  #items: unknown[] | undefined = [];
  #count = 0;
  #error: { error: string; description: string } | undefined;
  #durationMs = 0;
  #trace: RequestTrace | undefined;

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

  /** Makes room for `outcomes` more outcomes; false once the trace holds MAX_TRACE_OUTCOMES. */
  #room(outcomes: number): boolean {
    if (this.#items === undefined || this.#count + outcomes > MAX_TRACE_OUTCOMES) return false;
    this.#count += outcomes;
    return true;
  }

  /** Records an outcome that was computed elsewhere. */
  record(outcome: RuleOutcome): void {
    if (!outcome.passed && this.failedRule === undefined) this.failedRule = outcome.id;
    if (this.#room(1)) this.#items!.push(capOutcome(outcome));
  }

  /** Evaluates a rule and records it; returns whether it passed (true when it did not apply). */
  evaluate<C>(rule: RuleDef<C>, ctx: C): boolean {
    const verdict = rule.evaluate(ctx);
    if (verdict === null) return true;
    if (verdict.passed) {
      // Kept as (rule, context): the sentence, expected and actual are made again when the trace is read.
      if (this.#room(1)) this.#items!.push(rule, TraceRecorder.checkLazyVerdicts ? new CheckedVerdict(ctx, [toOutcome(rule, verdict)]) : ctx);
      return true;
    }
    this.record(toOutcome(rule, verdict));
    return false;
  }

  /**
   * Checks `rules` in order on one context, like `check` on each; when they all pass, the trace keeps the
   * group as one item (its list and its context) however many rules it has.
   */
  checkAll<C>(rules: readonly RuleDef<C>[], ctx: C): void {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const verdict = rule.evaluate(ctx);
      if (verdict === null || verdict.passed) continue;
      // The passes before the failure, one by one (a failure is rare; the group form is for the common case).
      for (let j = 0; j < i; j++) this.evaluate(rules[j]!, ctx);
      this.record(toOutcome(rule, verdict));
      throw OAuthError.fromRule(rule.id, rule.wire);
    }
    if (this.#room(rules.length)) {
      this.#items!.push(
        rules,
        TraceRecorder.checkLazyVerdicts
          ? new CheckedVerdict(
              ctx,
              rules.map((rule) => evaluateRule(rule, ctx)),
            )
          : ctx,
      );
    } else {
      // Near MAX_TRACE_OUTCOMES: one by one, so that the trace keeps as many as fit.
      for (const rule of rules) this.evaluate(rule, ctx);
    }
  }

  /** Evaluates a rule and throws its wire error when it fails. */
  check<C>(rule: RuleDef<C>, ctx: C): void {
    if (!this.evaluate(rule, ctx)) throw OAuthError.fromRule(rule.id, rule.wire);
  }

  /** Records a pass of an inline rule (checks/outcome.ts), keeping only the rule (never copied) and the two texts. */
  passRule(rule: RuleText, expected?: string, actual?: string): void {
    if (this.#room(1)) this.#items!.push(rule, expected, actual);
  }

  /** Records a guarantee of the endpoint (steps.ts), like passRule; the outcome is marked `guarantee`. */
  guaranteed(marker: GuaranteedRule, expected: string, actual: string): void {
    if (this.#room(1)) this.#items!.push(marker, expected, actual);
  }

  /** The outcomes recorded so far, in order (built on each call). */
  get rules(): RuleOutcome[] {
    if (this.#trace) return this.#trace.rules;
    const items = this.#items ?? [];
    const out: RuleOutcome[] = [];
    let i = 0;
    while (i < items.length) {
      const head = items[i];
      if (Array.isArray(head)) {
        const rules = head as RuleDef<unknown>[];
        for (let j = 0; j < rules.length; j++) {
          const outcome = lazyOutcome(rules[j]!, items[i + 1], j, true);
          if (outcome) out.push(outcome);
        }
        i += 2;
      } else if (isRuleDef(head)) {
        out.push(lazyOutcome(head, items[i + 1], 0, false)!);
        i += 2;
      } else if (isOutcome(head)) {
        out.push(head);
        i += 1;
      } else if (head instanceof GuaranteedRule) {
        const outcome = inlineOutcome(head.rule, items[i + 1] as string, items[i + 2] as string);
        outcome.guarantee = true;
        out.push(outcome);
        i += 3;
      } else {
        out.push(inlineOutcome(head as RuleText, items[i + 1] as string | undefined, items[i + 2] as string | undefined));
        i += 3;
      }
    }
    return out;
  }

  /** Closes the trace with the response's status and error; the log keeps it as it is (TraceLog.add). */
  seal(status: number, error?: { error: string; description: string }): TraceRecorder {
    // An exact-size copy: a grown array keeps up to half again as many empty slots, for as long as the log keeps the trace.
    if (this.#items !== undefined) this.#items = this.#items.slice();
    this.status = status;
    this.#error = error;
    this.#durationMs = Math.max(0, nowMs() - this.startedAt);
    return this;
  }

  /** The full trace of a sealed recorder (built once; the recorded contexts are then let go). */
  toTrace(): RequestTrace {
    if (this.#trace) return this.#trace;
    const trace: RequestTrace = {
      id: this.id,
      at: new Date(this.startedAt + this.clockOffsetSeconds * 1000).toISOString(),
      method: this.method,
      endpoint: this.endpoint,
      path: this.path,
      status: this.status,
      rules: this.rules,
      durationMs: this.#durationMs,
    };
    if (this.clientId !== undefined) trace.clientId = this.clientId;
    if (this.clockOffsetSeconds !== 0) trace.clockOffsetSeconds = this.clockOffsetSeconds;
    if (this.#error) {
      trace.error = this.#error.error;
      trace.errorDescription = this.#error.description;
    }
    // Errors redirected to the client (302 with error=…) failed too, so they name their rule as well.
    if (this.failedRule !== undefined && (this.status >= 400 || this.#error !== undefined)) trace.failedRule = this.failedRule;
    this.#trace = trace;
    this.#items = undefined;
    return trace;
  }

  /** Closes the trace and returns it in full. */
  finish(status: number, error?: { error: string; description: string }): RequestTrace {
    return this.seal(status, error).toTrace();
  }
}

/**
 * A passing RuleDef's outcome, made again from its context (`index`: its place in its group). In a group,
 * a rule that did not apply (null) was not recorded and is left out; a single item always gives an outcome.
 */
function lazyOutcome(rule: RuleDef<unknown>, recorded: unknown, index: number, inGroup: boolean): RuleOutcome | null {
  if (recorded instanceof CheckedVerdict) {
    const made = recorded.outcomes[index] ?? null;
    const again = evaluateRule(rule, recorded.ctx);
    if (JSON.stringify(again) !== JSON.stringify(made))
      throw new TraceDivergenceError(`${rule.id}: the verdict read later (${JSON.stringify(again)}) differs from the request's (${JSON.stringify(made)})`);
    return made === null ? null : capOutcome(made);
  }
  const outcome = evaluateRule(rule, recorded);
  if (outcome === null && inGroup) return null;
  // A context changed after its check would show here; the request's verdict (a pass) is what is kept.
  if (outcome === null || !outcome.passed)
    return { id: rule.id, passed: true, summary: rule.summary, message: rule.summary, fix: rule.fix, source: rule.source };
  return capOutcome(outcome);
}

/** An inline rule's pass in full. */
function inlineOutcome(rule: RuleText, expected: string | undefined, actual: string | undefined): RuleOutcome {
  const outcome: RuleOutcome = { id: rule.id, passed: true, summary: rule.summary, message: rule.summary, fix: '', source: rule.source };
  if (expected !== undefined) outcome.expected = capText(expected);
  if (actual !== undefined) outcome.actual = capText(actual);
  return outcome;
}
