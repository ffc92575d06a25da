/**
 * Builders for the shared JWT rule tests: a valid request object and client assertion context at a fixed
 * "now", unsigned compact tokens, and the outcome of one rule by id.
 */
import { base64url } from 'jose';
import type { ClientAssertionContext, RequestObjectContext } from '../../../../shared/jwt/contexts';
import type { RuleDef, RuleOutcome } from '../../../../shared/jwt/rule';
import { evaluateRule } from '../../../../shared/jwt/rule';

/** 2026-01-01T00:00:00Z, in seconds. */
export const NOW = 1_767_225_600;
/** A tenant issuer, with its trailing slash. */
export const ISSUER = 'https://tenant.example.com/';
/** The tenant's token endpoint. */
export const TOKEN_ENDPOINT = `${ISSUER}oauth/token`;
/** The tenant's PAR endpoint. */
export const PAR_ENDPOINT = `${ISSUER}oauth/par`;
/** The client the contexts authorize. */
export const CLIENT_ID = 'client-a';

/** A patch: `undefined` removes the member. */
export type Patch = Record<string, unknown>;

function apply(base: Record<string, unknown>, patch: Patch | undefined): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** A valid request object header. */
export const JAR_HEADER = { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'kid-jar' };

/** A valid request object payload at NOW. */
export function jarPayload(): Record<string, unknown> {
  return {
    iss: CLIENT_ID,
    aud: ISSUER,
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: 'https://app.example.com/callback',
    scope: 'openid profile',
    state: 'st',
    nonce: 'n-1',
    iat: NOW,
    nbf: NOW,
    exp: NOW + 300,
    jti: 'jar-jti-1',
  };
}

/** A request-object context: valid unless patched. */
export function jarContext(opts: { header?: Patch; payload?: Patch } & Partial<Omit<RequestObjectContext, 'header' | 'payload'>> = {}): RequestObjectContext {
  const { header, payload, ...rest } = opts;
  return {
    header: apply(JAR_HEADER, header),
    payload: apply(jarPayload(), payload),
    issuer: ISSUER,
    clientId: CLIENT_ID,
    outerParams: { client_id: CLIENT_ID, response_type: 'code' },
    profile: 'auth0',
    now: NOW,
    credentialAlgs: ['RS256'],
    endpoint: 'authorize',
    ...rest,
  };
}

/** A valid client assertion header. */
export const ASSERTION_HEADER = { alg: 'RS256', kid: 'kid-pkj' };

/** A valid client assertion payload at NOW. */
export function assertionPayload(): Record<string, unknown> {
  return { iss: CLIENT_ID, sub: CLIENT_ID, aud: ISSUER, iat: NOW, exp: NOW + 60, jti: 'assertion-jti-1' };
}

/** A client-assertion context: valid unless patched. */
export function assertionContext(
  opts: { header?: Patch; payload?: Patch } & Partial<Omit<ClientAssertionContext, 'header' | 'payload'>> = {},
): ClientAssertionContext {
  const { header, payload, ...rest } = opts;
  return {
    header: apply(ASSERTION_HEADER, header),
    payload: apply(assertionPayload(), payload),
    issuer: ISSUER,
    tokenEndpoint: TOKEN_ENDPOINT,
    endpointUrl: TOKEN_ENDPOINT,
    profile: 'auth0',
    now: NOW,
    credentialAlgs: ['RS256'],
    ...rest,
  };
}

/** base64url of a JSON value (or of raw text). */
export function b64(value: unknown): string {
  return base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
}

/** An unsigned-looking compact token from a header, a payload and a signature part. */
export function compact(header: unknown, payload: unknown, signature = 'c2ln'): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** The outcome of the rule `id` of `rules` on `ctx` (throws when the id is not in the set). */
export function outcome<C>(rules: readonly RuleDef<C>[], id: string, ctx: C): RuleOutcome | null {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return evaluateRule(rule, ctx);
}
