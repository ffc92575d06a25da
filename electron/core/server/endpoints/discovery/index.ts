/**
 * Discovery (`/.well-known/openid-configuration`, alias `/.well-known/oauth-authorization-server`) and
 * the JWKS (DSC-1..6). The Auth0 profile follows the captured tenant document (O5) — same keys, same order,
 * `request_parameter_supported: false` — except that it only advertises what this server implements
 * (no device flow, MFA, hybrid response types or back-channel logout). The strict
 * profile says what RFC 9101/9126 expect: JAR supported, its algorithms listed, S256 only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import type { ServerContext } from '../../context';
import { isStrict } from '../../checks/outcome';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import { issParameterOn, parRequiredByTenant } from '../policy';
import { DPOP_RULES } from '../../rules-dpop';
import { dpopEnabled, dpopPolicy } from '../../dpop';
import { PROFILES } from '../../../../../shared/jwt/profiles';
import { CREDENTIAL_ALGS } from '../../management/credential-input';

const ALGS = ['RS256', 'RS384', 'PS256'];

/**
 * What the strict profile accepts for request objects (JAR-5) and client assertions (PKJ-6) that a credential
 * can carry (CRD-4): FAPI 2.0 SP §5.4 allows PS256, ES256 and EdDSA, credentials are RSA, so PS256. Listing it
 * alone (RFC 8414 §2) is what lets a client pick it; listing RS256 would invite an alg the profile refuses.
 */
const credentialAlg = (alg: string): boolean => (CREDENTIAL_ALGS as readonly string[]).includes(alg);
const STRICT_ALGS = {
  requestObject: PROFILES.strict.requestObject.algs.filter(credentialAlg),
  clientAssertion: PROFILES.strict.clientAssertion.algs.filter(credentialAlg),
};

/** The discovery document for the current settings. */
export function discoveryDocument(ctx: ServerContext): Record<string, unknown> {
  const u = ctx.urls;
  const strict = isStrict(ctx);
  const doc: Record<string, unknown> = {
    issuer: u.issuer,
    authorization_endpoint: u.authorize,
    token_endpoint: u.token,
    userinfo_endpoint: u.userinfo,
    jwks_uri: u.jwks,
    // Published whatever the tenant flag, as Auth0's documents do: with the flag off, /oidc/register answers 403.
    registration_endpoint: `${u.issuer}oidc/register`,
    revocation_endpoint: u.revoke,
    scopes_supported: ['openid', 'profile', 'offline_access', 'name', 'nickname', 'email', 'email_verified'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: strict ? ['S256'] : ['S256', 'plain'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    claims_supported: ['aud', 'auth_time', 'email', 'email_verified', 'exp', 'iat', 'iss', 'name', 'nonce', 'sub'],
    request_uri_parameter_supported: false,
    request_parameter_supported: strict,
    id_token_signing_alg_values_supported: ['HS256', 'RS256', 'PS256'],
    token_endpoint_auth_signing_alg_values_supported: strict ? STRICT_ALGS.clientAssertion : ALGS,
    end_session_endpoint: `${u.issuer}oidc/logout`,
    pushed_authorization_request_endpoint: u.par,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
  };
  if (strict) doc.request_object_signing_alg_values_supported = STRICT_ALGS.requestObject;
  if (parRequiredByTenant(ctx)) doc.require_pushed_authorization_requests = true;
  if (issParameterOn(ctx)) doc.authorization_response_iss_parameter_supported = true;
  if (!ctx.settings().parEnabled) delete doc.pushed_authorization_request_endpoint;
  // DPC-11: the standards (strict) profile publishes the DPP-4 allow-list; the Auth0 profile omits it, as no
  // captured Auth0 tenant document has it (open question 4). Never dpop_bound_access_tokens (client metadata).
  if (strict && dpopEnabled(ctx)) doc.dpop_signing_alg_values_supported = [...dpopPolicy(ctx, undefined).algs];
  return doc;
}

const PUBLIC_MEMBERS = ['kty', 'n', 'e', 'kid', 'use', 'alg', 'x5c', 'x5t', 'x5t#S256'];

/** The JWKS with only public members (DSC-6), whatever the key object holds. */
export function publicJwks(ctx: ServerContext): { keys: JWK[] } {
  return {
    keys: ctx.keys.jwks().keys.map((k) => {
      const out: Record<string, unknown> = {};
      for (const m of PUBLIC_MEMBERS) if ((k as Record<string, unknown>)[m] !== undefined) out[m] = (k as Record<string, unknown>)[m];
      return out as JWK;
    }),
  };
}

/** What the steps of one discovery request share: the document, built once for the current settings. */
class Discovery implements StepContext {
  readonly strict: boolean;
  readonly doc: Record<string, unknown>;

  constructor(
    readonly trace: TraceRecorder,
    ctx: ServerContext,
  ) {
    this.strict = isStrict(ctx);
    this.doc = discoveryDocument(ctx);
  }
}

function issuer(d: Discovery): StepResult {
  return String(d.doc.issuer);
}

function clientAuthMethods(d: Discovery): StepResult {
  const algs = (d.strict ? STRICT_ALGS.clientAssertion : ALGS).join(', ');
  return {
    expected: `private_key_jwt; ${algs}`,
    actual: `${JSON.stringify(d.doc.token_endpoint_auth_methods_supported)}; ${JSON.stringify(d.doc.token_endpoint_auth_signing_alg_values_supported)}`,
  };
}

function pkceMethods(d: Discovery): StepResult {
  return { expected: d.strict ? 'S256' : 'S256, plain', actual: JSON.stringify(d.doc.code_challenge_methods_supported) };
}

function requestObjects(d: Discovery): StepResult {
  return { expected: `request_parameter_supported ${String(d.strict)}`, actual: String(d.doc.request_parameter_supported) };
}

function dpopAlgs(d: Discovery): StepResult {
  return {
    expected: d.strict ? 'dpop_signing_alg_values_supported (standards mode)' : 'no dpop_signing_alg_values_supported (Auth0 mode)',
    actual: JSON.stringify(d.doc.dpop_signing_alg_values_supported ?? '(absent)'),
  };
}

function flags(d: Discovery): StepResult {
  return `require_pushed_authorization_requests=${String(d.doc.require_pushed_authorization_requests ?? '(absent)')}, authorization_response_iss_parameter_supported=${String(d.doc.authorization_response_iss_parameter_supported ?? '(absent)')}`;
}

/** Each step reads the document built for this request; none can fail (the document is what the settings say). */
export const DISCOVERY_STEPS = defineSteps<Discovery>({
  steps: [
    { name: 'issuer', rule: 'DSC-1', expected: 'issuer with trailing slash', run: issuer },
    { name: 'client authentication methods', rule: 'DSC-2', run: clientAuthMethods },
    { name: 'PKCE methods', rule: 'DSC-3', run: pkceMethods },
    { name: 'request objects', rule: 'DSC-4', run: requestObjects },
    { name: 'DPoP algorithms', rule: DPOP_RULES['DPC-11'], run: dpopAlgs },
    { name: 'flags only when on', rule: 'DSC-5', expected: 'flags only when on', run: flags },
  ],
});

/** What the JWKS request's one step shares. */
class JwksRequest implements StepContext {
  jwks!: { keys: JWK[] };

  constructor(
    readonly trace: TraceRecorder,
    readonly ctx: ServerContext,
  ) {}
}

function publicMembersOnly(j: JwksRequest): StepResult {
  j.jwks = publicJwks(j.ctx);
  return j.jwks.keys.map((k) => Object.keys(k).join(',')).join(' | ');
}

export const JWKS_STEPS = defineSteps<JwksRequest>({
  steps: [{ name: 'public members only', rule: 'DSC-6', expected: 'public members only', run: publicMembersOnly }],
});

/** Registers discovery, its RFC 8414 alias, and the JWKS. */
export function registerDiscovery(app: FastifyInstance, ctx: ServerContext): void {
  const handler = async (request: FastifyRequest) => {
    const d = new Discovery(request.trace, ctx);
    await runSteps(DISCOVERY_STEPS, d);
    return d.doc;
  };
  const config = { endpoint: 'discovery', errors: 'oauth' as const };
  app.get('/.well-known/openid-configuration', { config }, handler);
  app.get('/.well-known/oauth-authorization-server', { config }, handler);
  app.get('/.well-known/jwks.json', { config: { endpoint: 'jwks', errors: 'oauth' } }, async (request) => {
    const j = new JwksRequest(request.trace, ctx);
    await runSteps(JWKS_STEPS, j);
    return j.jwks;
  });
}
