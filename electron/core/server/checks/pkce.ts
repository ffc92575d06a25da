/**
 * PKCE (RFC 7636): the challenge at /authorize and PAR (TOK-7, TOK-8) and the verifier at /oauth/token
 * (TOK-4..6). Auth0 mode accepts `plain` (its discovery lists it) and applies the RFC default of `plain`
 * when the method is missing; the strict profile (and any Auth0 compliance level) takes S256 only and requires
 * PKCE of every client (FAP-2).
 */
import { createHash } from 'node:crypto';
import type { ServerContext } from '../context';
import { safeEqual } from '../safe-equal';
import type { ClientView } from '../state/types';
import type { TraceRecorder } from '../trace';
import { enforce, fail, isStrictFor } from './outcome';
import { pass } from '../recording';
import { RULES } from '../rules';

const PKCE_CHARS = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The challenge kept with the authorization request. */
export interface Challenge {
  code_challenge?: string;
  code_challenge_method?: 'S256' | 'plain';
}

/** True for a client that cannot keep a secret (no secret method and no private_key_jwt). */
export function isPublicClient(client: ClientView): boolean {
  return !client.private_key_jwt && client.token_endpoint_auth_method === 'none';
}

/** TOK-7 and TOK-8 at /authorize and PAR; returns what to store. Throws OAuthError invalid_request. */
export function checkChallenge(params: Readonly<Record<string, string>>, client: ClientView, ctx: ServerContext, trace: TraceRecorder): Challenge {
  const strict = isStrictFor(ctx, client);
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  const bad = (description: string) => ({ status: 400, error: 'invalid_request', description });
  const mustUse = strict || isPublicClient(client);
  if (challenge === undefined) {
    if (method !== undefined)
      throw fail(trace, {
        rule: 'TOK-7',
        expected: 'code_challenge with code_challenge_method',
        actual: `code_challenge_method=${method} without code_challenge`,
        wire: bad('code_challenge is required when code_challenge_method is sent'),
      });
    const why = strict ? 'strict profile' : isPublicClient(client) ? 'public client' : 'confidential client';
    enforce(trace, !mustUse, {
      rule: 'TOK-8',
      expected: mustUse ? 'code_challenge present' : 'optional for a confidential client',
      actual: `absent (${why})`,
      wire: bad('code_challenge is required'),
    });
    return {};
  }
  const effective = method ?? (strict ? undefined : 'plain');
  if (effective === undefined)
    throw fail(trace, { rule: 'TOK-7', expected: 'code_challenge_method=S256', actual: '(absent)', wire: bad('code_challenge_method is required') });
  const allowed = strict ? ['S256'] : ['S256', 'plain'];
  if (!allowed.includes(effective))
    throw fail(trace, { rule: 'TOK-7', expected: allowed.join(' or '), actual: effective, wire: bad('transform algorithm not supported') });
  const wellFormed = effective === 'S256' ? S256_CHALLENGE.test(challenge) : PKCE_CHARS.test(challenge);
  if (!wellFormed) {
    const expected = effective === 'S256' ? '43 base64url characters (a SHA-256 hash)' : '43–128 characters from A-Z a-z 0-9 - . _ ~';
    throw fail(trace, { rule: 'TOK-7', expected, actual: `${challenge.length} characters`, wire: bad('code_challenge is malformed') });
  }
  pass(trace, RULES['TOK-7'], allowed.join(' or '), method === undefined ? 'plain (RFC 7636 §4.3 default)' : effective);
  pass(trace, RULES['TOK-8'], mustUse ? 'code_challenge present' : 'optional', 'present');
  return { code_challenge: challenge, code_challenge_method: effective as 'S256' | 'plain' };
}

/** TOK-4..6 at /oauth/token. Throws OAuthError: invalid_request (format) or invalid_grant (mismatch). */
export function checkVerifier(recorded: Challenge, verifier: string | undefined, invalidGrantStatus: number, trace: TraceRecorder): void {
  const grant = (description: string) => ({ status: invalidGrantStatus, error: 'invalid_grant', description });
  if (recorded.code_challenge === undefined) {
    enforce(trace, verifier === undefined, {
      rule: 'TOK-6',
      expected: 'no code_verifier (no code_challenge was sent)',
      actual: verifier === undefined ? '(absent)' : 'a code_verifier',
      wire: grant('Failed to verify code verifier'),
    });
    return;
  }
  if (verifier === undefined)
    throw fail(trace, {
      rule: 'TOK-5',
      expected: 'the code_verifier of the code_challenge',
      actual: '(absent)',
      wire: grant('Failed to verify code verifier'),
    });
  enforce(trace, PKCE_CHARS.test(verifier), {
    rule: 'TOK-4',
    expected: '43–128 characters from A-Z a-z 0-9 - . _ ~',
    actual: `${verifier.length} characters`,
    wire: { status: 400, error: 'invalid_request', description: 'code_verifier must be 43-128 characters' },
  });
  const derived = recorded.code_challenge_method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  const same = safeEqual(derived, recorded.code_challenge);
  enforce(trace, same, {
    rule: 'TOK-5',
    expected: `${recorded.code_challenge_method ?? 'plain'}(code_verifier) = code_challenge`,
    actual: same ? 'match' : 'mismatch',
    wire: grant('Failed to verify code verifier'),
  });
}
