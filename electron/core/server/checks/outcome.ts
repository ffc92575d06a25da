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


/** The OAuth error an inline rule answers with when it fails. */
export interface InlineFailure {
  status: number;
  error: string;
  description: string;
  authScheme?: 'Basic' | 'Bearer';
}

/** Records a failure and returns the error to throw (the caller throws, so control flow stays visible). */
export function fail(sink: RuleSink, rule: RuleText, expected: string, actual: string, wire: InlineFailure, message?: string): OAuthError {
  recordFailure(sink, rule, expected, actual, message);
  return new OAuthError(wire.status, wire.error, wire.description, rule.id, wire.authScheme);
}

/** Records the outcome of a condition and throws the failure when it does not hold. */
export function enforce(sink: RuleSink, rule: RuleText, ok: boolean, expected: string, actual: string, wire: InlineFailure, message?: string): void {
  if (!ok) throw fail(sink, rule, expected, actual, wire, message);
  pass(sink, rule, expected, actual);
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
