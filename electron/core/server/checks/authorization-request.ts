/**
 * Validation of an assembled authorization request (JAR-18, AZR-6, PAR-7): the same checks whether the
 * parameters came from the query, a request object, or a pushed request, so the three paths cannot drift.
 * The redirect URI is checked before this (it decides where errors may go); this module checks the rest
 * and builds the record that /authorize, PAR and the token endpoint share.
 */
import type { ServerContext } from '../context';
import type { AuthorizationRequest } from '../state/memory';
import type { ClientView } from '../state/types';
import type { TraceRecorder } from '../trace';
import { enforce, fail } from './outcome';
import { pass } from '../recording';
import { checkChallenge } from './pkce';
import type { RuleText } from '../../../../shared/jwt/rule';
import { DPOP_JKT_FORMAT_RULE } from '../../../../shared/jwt/rules/dpop-proof';
import { dpopEnabled } from '../dpop';
import { OAuthError } from '../errors';

/** response_type values Auth0 knows but this emulator does not implement (answered unsupported_response_type). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
/** Upper bound on scope/audience/state/nonce lengths: far above real use, far below abuse. */
export const MAX_FIELD = 4096;

function invalid(description: string) {
  return { status: 400, error: 'invalid_request', description };
}

/** What the assembly step knows besides the parameters. */
export interface AssemblyInput {
  params: Readonly<Record<string, string>>;
  client: ClientView;
  /** Already checked by checkRedirectUri. */
  redirect_uri: string;
  via: AuthorizationRequest['via'];
  extra?: Record<string, string>;
  ctx: ServerContext;
  trace: TraceRecorder;
}

/** Checks the assembled parameters and builds the stored authorization request. Throws OAuthError. */
export function validateAuthorizationParams(input: AssemblyInput): AuthorizationRequest {
  const { params, client, ctx, trace } = input;
  const responseType = params.response_type;
  if (responseType === undefined)
    throw fail(trace, { rule: 'AZQ-1', expected: 'code', actual: '(absent)', wire: invalid('Missing required parameter: response_type') });
  enforce(trace, responseType === 'code', {
    rule: 'AZQ-1',
    expected: 'code',
    actual: responseType,
    wire: { status: 400, error: 'unsupported_response_type', description: `Unsupported response type: ${responseType}` },
  });

  const mode = params.response_mode;
  enforce(trace, mode === undefined || mode === 'query' || mode === 'fragment' || mode === 'form_post', {
    rule: 'AZQ-2',
    expected: 'query, fragment or form_post',
    actual: mode ?? '(absent: query)',
    wire: invalid(`Unsupported response_mode: ${mode ?? ''}`),
  });

  const scope = params.scope ?? '';
  const audience = params.audience;
  const scopeOk = scope.length <= MAX_FIELD && (scope === '' || scope.split(' ').every((s) => SCOPE_TOKEN.test(s)));
  if (!scopeOk)
    throw fail(trace, {
      rule: 'AZQ-3',
      expected: 'space-separated scope tokens',
      actual: scope.slice(0, 200),
      wire: { status: 400, error: 'invalid_scope', description: 'The scope parameter is malformed.' },
    });
  // Auth0 online refresh tokens (DA12): one kind of refresh token per request.
  const scopes = scope.split(' ');
  if (scopes.includes('online_access') && scopes.includes('offline_access'))
    throw fail(trace, {
      rule: 'AZQ-3',
      expected: 'online_access or offline_access, not both',
      actual: 'both',
      wire: invalid('Cannot request both online_access and offline_access scopes'),
    });
  const audienceOk = audience === undefined || (audience.length <= MAX_FIELD && !/\s/.test(audience));
  enforce(trace, audienceOk, {
    rule: 'AZQ-3',
    expected: 'one audience identifier without spaces',
    actual: audience ?? '(absent)',
    wire: invalid('The audience parameter is malformed.'),
  });

  const prompt = params.prompt;
  const prompts = prompt === undefined ? [] : prompt.split(' ');
  const promptOk = prompts.every((p) => PROMPTS.has(p)) && !(prompts.includes('none') && prompts.length > 1);
  enforce(trace, promptOk, {
    rule: 'AZQ-4',
    expected: 'none | login | consent | select_account',
    actual: prompt ?? '(absent)',
    wire: invalid('The prompt parameter is invalid.'),
  });

  const maxAgeText = params.max_age;
  let maxAge: number | undefined;
  if (maxAgeText !== undefined) {
    const ok = /^\d{1,9}$/.test(maxAgeText);
    enforce(trace, ok, { rule: 'AZQ-5', expected: 'a non-negative integer', actual: maxAgeText, wire: invalid('max_age must be a non-negative integer') });
    maxAge = Number(maxAgeText);
  }
  for (const name of ['state', 'nonce'] as const) {
    const v = params[name];
    if (v !== undefined && v.length > MAX_FIELD)
      throw fail(trace, {
        rule: 'AZQ-3',
        expected: `${name} of at most ${MAX_FIELD} characters`,
        actual: `${v.length} characters`,
        wire: invalid(`${name} is too long`),
      });
  }

  const dpopJkt = checkDpopJkt(params.dpop_jkt, ctx, trace);
  const challenge = checkChallenge(params, client, ctx, trace);
  const request: AuthorizationRequest = {
    client_id: client.client_id,
    redirect_uri: input.redirect_uri,
    response_type: responseType,
    scope,
    via: input.via,
    extra: input.extra ?? {},
    ...challenge,
  };
  if (mode !== undefined) request.response_mode = mode;
  if (params.state !== undefined) request.state = params.state;
  if (params.nonce !== undefined) request.nonce = params.nonce;
  if (audience !== undefined) request.audience = audience;
  if (maxAge !== undefined) request.max_age = maxAge;
  if (prompt !== undefined) request.prompt = prompt;
  if (dpopJkt !== undefined) request.dpop_jkt = dpopJkt;
  return request;
}

/**
 * DPB-5: `dpop_jkt` (query, request object or PAR body) is a base64url SHA-256 thumbprint; kept on the request
 * so that the code is bound to it (DPB-7). Ignored when DPoP is off for the tenant (DPC-10).
 */
function checkDpopJkt(value: string | undefined, ctx: ServerContext, trace: TraceRecorder): string | undefined {
  if (value === undefined || !dpopEnabled(ctx)) return undefined;
  if (!trace.evaluate(DPOP_JKT_FORMAT_RULE, { dpopJkt: value })) throw OAuthError.fromRule(DPOP_JKT_FORMAT_RULE.id, DPOP_JKT_FORMAT_RULE.wire);
  return value;
}

/** Back to parameters (for re-validating a pushed request at /authorize, AZR-6). */
export function requestToParams(request: AuthorizationRequest): Record<string, string> {
  const out: Record<string, string> = { client_id: request.client_id, redirect_uri: request.redirect_uri, response_type: request.response_type };
  if (request.scope) out.scope = request.scope;
  for (const k of ['response_mode', 'state', 'nonce', 'audience', 'code_challenge', 'code_challenge_method', 'prompt', 'dpop_jkt'] as const) {
    const v = request[k];
    if (v !== undefined) out[k] = v;
  }
  if (request.max_age !== undefined) out.max_age = String(request.max_age);
  return out;
}

/** Records that re-validation passed under the given rule (JAR-18 for a JAR, AZR-6 for a pushed request). */
export function recordAssembled(trace: TraceRecorder, rule: RuleText, request: AuthorizationRequest): void {
  pass(
    trace,
    rule,
    'a valid authorization request after assembly',
    `response_type=${request.response_type}, redirect_uri=${request.redirect_uri}, via ${request.via}`,
  );
}
