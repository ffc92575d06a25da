/**
 * Recording the outcome of a rule checked inline (the catalogue in rules.ts, or a shared RuleText): each one
 * lands in the request's trace with its id, expected and actual value, passed or failed, so the UI can say
 * exactly which rule decided a response. Depends on nothing of the server, so the Management API's
 * validation and the endpoints' checks both record through it.
 */
import type { RuleOutcome, RuleText } from '../../../shared/jwt/rule';

/** Where rule outcomes go: a request's TraceRecorder, or NO_TRACE when the UI calls a store directly. */
export interface RuleSink {
  /** Records a pass, keeping the rule (never copied) and the two texts. */
  passRule(rule: RuleText, expected?: string, actual?: string): void;
  /** Records an outcome made at once (every failure). */
  record(outcome: RuleOutcome): void;
}

/** A sink that drops everything (direct calls from the UI: the thrown error still names its rule). */
export const NO_TRACE: RuleSink = {
  passRule() {},
  record() {},
};

/** Records a pass. */
export function pass(sink: RuleSink, rule: RuleText, expected?: string, actual?: string): void {
  sink.passRule(rule, expected, actual);
}

/** Records a pass that deserves a look (a warning in the trace and Compose's lint): `note` says why. */
export function passWithNote(sink: RuleSink, rule: RuleText, expected: string, actual: string, note: string): void {
  sink.record({ id: rule.id, passed: true, summary: rule.summary, message: rule.summary, fix: rule.fix ?? '', source: rule.source, expected, actual, note });
}

/** Records a failure; `message` says more than the rule's summary, `fix` replaces the rule's own. */
export function recordFailure(sink: RuleSink, rule: RuleText, expected: string, actual: string, message = rule.summary, fix = rule.fix ?? ''): void {
  sink.record({ id: rule.id, passed: false, summary: rule.summary, message, fix, source: rule.source, expected, actual });
}
