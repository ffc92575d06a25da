/**
 * Inline rules: the endpoint checks that have no reusable RuleDef (they depend on the request, the stored
 * state and the profile at once). Each one still lands in the trace with its id, expected and actual value,
 * passed or failed, so the UI can say exactly which rule decided a response.
 *
 * Ids come from shared/spec/server-rules.md. A few checks the spec leaves implicit (RFC 6749 basics such
 * as "response_type is supported") get Parley's own ids, listed in LOCAL_RULE_IDS below, so that they are
 * traceable too without pretending to be spec rules.
 */
import { nowSeconds } from '../../clock';
import type { ServerContext } from '../context';
import { OAuthError } from '../errors';
import type { TraceRecorder } from '../trace';

/** An inline rule: id, one-sentence summary, source, and what to change when it fails. */
export interface InlineRule {
  readonly id: string;
  readonly summary: string;
  readonly source: string;
  readonly fix?: string;
}

/** The OAuth error an inline rule answers with when it fails. */
export interface InlineFailure {
  status: number;
  error: string;
  description: string;
  authScheme?: 'Basic' | 'Bearer';
}

/**
 * Parley's own rule ids for checks the spec implies but does not number:
 * AZQ-* authorization request basics (AZQ-0: the client exists) (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), TKQ-* token request basics
 * (RFC 6749 §4.1.3, §5.2), SES-* the sign-in transaction, password and consent, USR-1 the userinfo bearer token,
 * RVK-1 revocation, LGO-1 logout. Added by the security hardening of issue #13: TKQ-6 (a user's token for the
 * Management API holds only *:current_user* scopes), SES-6 (the sign-in forms are posted from this server's own
 * origin), SES-7 (brute-force protection per user), MGC-10 (only client-credentials tokens with a live client
 * grant open the Management API; state/rule-sink.ts).
 */
export const LOCAL_RULE_IDS = ['AZQ-0', 'AZQ-1', 'AZQ-2', 'AZQ-3', 'AZQ-4', 'AZQ-5', 'AZQ-6', 'TKQ-1', 'TKQ-2', 'TKQ-3', 'TKQ-4', 'TKQ-5', 'SES-1', 'SES-2', 'SES-3', 'SES-4', 'SES-5', 'USR-1', 'RVK-1', 'LGO-1', 'TKQ-6', 'SES-6', 'SES-7', 'MGC-10'] as const;

/** Records a pass. */
export function pass(trace: TraceRecorder, rule: InlineRule, expected?: string, actual?: string): void {
  trace.passRule(rule, expected, actual);
}

/** Records a failure and returns the error to throw (the caller throws, so control flow stays visible). */
export function fail(trace: TraceRecorder, rule: InlineRule, expected: string, actual: string, wire: InlineFailure, message?: string): OAuthError {
  trace.fail(rule.id, rule.summary, rule.source, expected, actual, rule.fix ?? '', message ?? rule.summary);
  return new OAuthError(wire.status, wire.error, wire.description, rule.id, wire.authScheme);
}

/** Records the outcome of a condition and throws the failure when it does not hold. */
export function enforce(trace: TraceRecorder, rule: InlineRule, ok: boolean, expected: string, actual: string, wire: InlineFailure, message?: string): void {
  if (!ok) throw fail(trace, rule, expected, actual, wire, message);
  pass(trace, rule, expected, actual);
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
