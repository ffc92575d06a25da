/**
 * How the directory fails the Management API rules (MGC-*, CRD-*, ../rules.ts) it checks: Auth0's
 * ManagementError, with the outcome recorded in the sink (checks/outcome.ts). Over HTTP the sink is the
 * request's trace; when the UI calls the directory directly it is NO_TRACE, and the outcomes go nowhere —
 * the thrown ManagementError still carries the rule id and Auth0's message.
 */
import type { RuleText } from '../../../../shared/jwt/rule';
import type { RuleSink } from '../recording';
import { recordFailure } from '../recording';
import { ManagementError } from '../errors';

/** Records a failure and returns the 400 invalid_body error to throw (or another status/code when given). */
export function failed(
  sink: RuleSink,
  rule: RuleText,
  message: string,
  detail: { expected: string; actual: string; fix?: string; status?: number; errorCode?: string },
): ManagementError {
  recordFailure(sink, rule, detail.expected, detail.actual, message, detail.fix ?? '');
  return new ManagementError(detail.status ?? 400, detail.errorCode ?? 'invalid_body', message, rule.id);
}

/** Auth0's payload-validation message: `Payload validation error: '<what>' on property <path>.` (root: no property). */
export function payloadMessage(what: string, path: string): string {
  return path === '' ? `Payload validation error: '${what}'.` : `Payload validation error: '${what}' on property ${path}.`;
}

/** Records a failed payload validation under `rule` and returns the error to throw. */
export function payloadError(sink: RuleSink, rule: RuleText, what: string, path: string, expected: string, actual: string, fix = ''): ManagementError {
  const error = failed(sink, rule, payloadMessage(what, path), { expected, actual, fix });
  error.field = { path, what };
  return error;
}
