/**
 * How the endpoints fail the rules they check inline (the catalogue in ../rules.ts, or a shared RuleText):
 * the outcome goes to the trace (../recording.ts) and the answer is an OAuthError; the Management API
 * answers a ManagementError instead (management/rule-sink.ts `failed`). Plus the profile helpers the
 * checks share.
 */
import { nowSeconds } from '../../clock';
import type { RuleText } from '../../../../shared/jwt/rule';
import type { ServerContext } from '../context';
import { OAuthError } from '../errors';
import type { RuleSink } from '../recording';
import { pass, recordFailure } from '../recording';
import type { RuleId } from '../rules';
import { RULES } from '../rules';

/** The OAuth error an inline rule answers with when it fails. */
export interface InlineFailure {
  status: number;
  error: string;
  description: string;
  authScheme?: 'Basic' | 'Bearer';
}

/** A rule named by its catalogue id (typed: a mistyped id is a tsc error), or a shared RuleText. */
export type RuleRef = RuleId | RuleText;

/** The rule a RuleRef names. */
export function ruleText(rule: RuleRef): RuleText {
  return typeof rule === 'string' ? RULES[rule] : rule;
}

/** A failed inline rule: what it wanted, what it got, and the OAuth error it answers with. */
export interface Failure {
  rule: RuleRef;
  expected: string;
  actual: string;
  wire: InlineFailure;
  /** Says more than the rule's summary (the trace's message). */
  message?: string;
}

/** Records a failure and returns the error to throw (the caller throws, so control flow stays visible). */
export function fail(sink: RuleSink, failure: Failure): OAuthError {
  const rule = ruleText(failure.rule);
  recordFailure(sink, rule, failure.expected, failure.actual, failure.message);
  const wire = failure.wire;
  return new OAuthError(wire.status, wire.error, wire.description, rule.id, wire.authScheme);
}

/**
 * Records the outcome of a condition: a pass with the failure's expected and actual texts when `ok`, else
 * the failure, thrown. For the checks shared by several endpoints; an endpoint's own steps return their
 * pass and throw their failure (../steps.ts).
 */
export function enforce(sink: RuleSink, ok: boolean, failure: Failure): void {
  if (!ok) throw fail(sink, failure);
  pass(sink, ruleText(failure.rule), failure.expected, failure.actual);
}

/** The server's "now" in seconds: the process clock plus the simulated offset from the settings. */
export function serverNowSeconds(ctx: ServerContext): number {
  return nowSeconds() + ctx.settings().clockOffsetSeconds;
}

/** True in the strict (RFC 9101 / RFC 9126 / FAPI 2.0) profile. */
export function isStrict(ctx: ServerContext): boolean {
  return ctx.settings().profile === 'strict';
}

/** True when the strict profile applies to this client: the tenant setting, or an Auth0 compliance level (A13). */
export function isStrictFor(ctx: ServerContext, client: { compliance_level: string | null } | undefined): boolean {
  return isStrict(ctx) || Boolean(client?.compliance_level);
}
