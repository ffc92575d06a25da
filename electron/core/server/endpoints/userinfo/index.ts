/**
 * `/userinfo` (GET or POST, `Authorization: Bearer` or `Authorization: DPoP` with a proof): the signed-in
 * user's claims for the scopes of the access token. Only tokens whose audience includes `{issuer}userinfo`
 * are accepted (so a client-credentials token or an API-only token is refused, as at Auth0), and tokens of a
 * revoked grant stop working (TOK-2). A DPoP-bound token (`cnf.jkt`) needs the `DPoP` scheme and a proof from
 * its key with `ath` (DPB-12, DPB-13, DPP-13); DPoP failures are 401 with a `DPoP` challenge (ED-2).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import type { ServerContext } from '../../context';
import type { InlineFailure } from '../../checks/outcome';
import { serverNowSeconds } from '../../checks/outcome';
import type { UserView } from '../../state/types';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import type { RuleText } from '../../../../../shared/jwt/rule';
import { DPOP_BINDING_PHASE_RULES, dpopChallenge } from '../../../../../shared/jwt/rules/dpop-proof';
import type { CheckedProof } from '../../dpop';
import { bindAndRecord, boundWithoutProof, checkProof, dpopEnabled, dpopPolicy, proofHeader } from '../../dpop';
import { OAuthError } from '../../errors';
import { fail } from '../../checks/outcome';
import { clientCertificate } from '../../mtls';
import { DPOP_RULES } from '../../rules-dpop';

const AUTHORIZATION = /^(bearer|dpop) +([A-Za-z0-9\-._~+/]+=*)$/i;
const wire = (description: string): InlineFailure => ({ status: 401, error: 'invalid_token', description, authScheme: 'Bearer' });
const INVALID_TOKEN = wire('Invalid access token');

/** What the steps of one userinfo request share. */
class UserinfoRequest implements StepContext {
  token = '';
  /** The scheme the token came with (DPB-13). */
  scheme: 'Bearer' | 'DPoP' = 'Bearer';
  proof: CheckedProof | undefined;
  payload: JWTPayload = {};
  user!: UserView;

  constructor(
    readonly request: FastifyRequest,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}

/** DPB-13 [REC]: a token in the query or a form body is refused (the Authorization header only). */
function tokenOutsideHeader(u: UserinfoRequest): boolean {
  const query = u.request.query as Record<string, unknown> | undefined;
  const body = u.request.body as Record<string, unknown> | undefined;
  return (query !== undefined && query !== null && 'access_token' in query) || (typeof body === 'object' && body !== null && 'access_token' in body);
}

function accessToken(u: UserinfoRequest): StepResult {
  const header = u.request.headers.authorization;
  const dpopOn = dpopEnabled(u.ctx);
  if (header === undefined && dpopOn && tokenOutsideHeader(u)) {
    throw fail(u.trace, {
      rule: DPOP_RULES['DPB-13'],
      expected: 'the access token in the Authorization header',
      actual: 'access_token parameter',
      wire: { status: 400, error: 'invalid_request', description: 'access tokens are only accepted in the Authorization header' },
    });
  }
  const m = typeof header === 'string' ? AUTHORIZATION.exec(header.trim()) : null;
  const scheme = m?.[1]?.toLowerCase() === 'dpop' && dpopOn ? 'DPoP' : 'Bearer';
  if (!m || m[2] === undefined || m[2].length > 8192 || (m[1]!.toLowerCase() === 'dpop' && !dpopOn)) {
    throw refuse(header === undefined ? '(no Authorization header)' : 'another scheme or a malformed token');
  }
  u.scheme = scheme;
  u.token = m[2];
  return { expected: dpopOn ? 'Authorization: Bearer <token> or DPoP <token>' : 'Authorization: Bearer <token>', actual: `${scheme} <token>` };
}

async function tokenOfThisTenant(u: UserinfoRequest): Promise<StepResult> {
  const ctx = u.ctx;
  try {
    u.payload = await ctx.keys.verify(u.token, { issuer: ctx.urls.issuer, audience: ctx.urls.userinfo, currentDate: new Date(serverNowSeconds(ctx) * 1000) });
  } catch (e) {
    throw refuse(e instanceof Error ? e.message : 'invalid', { expected: `a token of this tenant with aud ${ctx.urls.userinfo}` });
  }
  return undefined;
}

/**
 * DPB-12: the access token's binding at /userinfo; for a certificate-bound token the certificate plays the
 * proof key's part. Its texts only: the RuleDef's check reads a DPoP proof context, which a certificate has not.
 */
const TOKEN_BINDING: RuleText = (({ id, summary, source, fix }) => ({ id, summary, source, ...(fix !== undefined ? { fix } : {}) }))(
  DPOP_BINDING_PHASE_RULES.find((r) => r.id === 'DPB-12')!,
);

/** The `cnf.x5t#S256` of a certificate-bound token (DA5, RFC 8705 §3), if it is one. */
function certificateBinding(payload: JWTPayload): string | undefined {
  const cnf = payload.cnf as Record<string, unknown> | undefined;
  const x5t = cnf?.['x5t#S256'];
  return typeof x5t === 'string' ? x5t : undefined;
}

/**
 * A certificate-bound token (`cnf.x5t#S256`, an mTLS API's token that also names /userinfo) is accepted
 * only over a connection presenting that certificate (RFC 8705 §3; DA5: otherwise 401 invalid_token), with
 * either scheme: Auth0 types it DPoP and recommends that scheme (disagreement 2), RFC 8705 uses Bearer. No
 * DPoP proof is involved; one sent is not validated.
 */
function certificateBound(u: UserinfoRequest): StepResult {
  const x5t = certificateBinding(u.payload);
  if (x5t === undefined) return undefined;
  const certificate = clientCertificate(u.request);
  const expected = `the client certificate x5t#S256 ${x5t}`;
  const actual = certificate === undefined ? 'no client certificate' : `client certificate x5t#S256 ${certificate.thumbprint}`;
  if (certificate?.thumbprint !== x5t) {
    const description = 'certificate-bound access token requires the certificate it is bound to';
    const e = fail(u.trace, {
      rule: TOKEN_BINDING,
      expected,
      actual,
      wire: { status: 401, error: 'invalid_token', description },
      message: 'This access token is bound to a client certificate (cnf.x5t#S256): present that certificate in the TLS handshake.',
    });
    e.challenge = `${u.scheme} error="invalid_token", error_description="${description}"`;
    throw e;
  }
  return { expected, actual: `${actual} (${u.scheme} scheme)` };
}

/**
 * DPB-13 (scheme against binding), then DPoP phase A with `ath` and phase B against `cnf.jkt` (DPB-12,
 * DPP-11). A failure is 401 with a `DPoP` challenge (ED-2); a nonce is not required (DPN-8) but one sent
 * must be current (DPN-4, answered as DPN-9 with a fresh DPoP-Nonce).
 */
async function dpopScheme(u: UserinfoRequest): Promise<StepResult> {
  const ctx = u.ctx;
  if (!dpopEnabled(ctx) || certificateBinding(u.payload) !== undefined) return undefined;
  const cnf = u.payload.cnf as { jkt?: unknown } | undefined;
  const jkt = typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
  const proof = proofHeader(u.request);
  const policy = dpopPolicy(ctx, typeof u.payload.azp === 'string' ? ctx.directory.getClient(u.payload.azp) : undefined);
  const rule = DPOP_RULES['DPB-13'];
  const expected = jkt === undefined ? 'an unbound token with Bearer and no proof' : 'a bound token with the DPoP scheme';
  const refused = (actual: string, status: number, error: string, description: string): OAuthError => {
    const e = fail(u.trace, { rule, expected, actual, wire: { status, error, description } });
    e.challenge = dpopChallenge(policy.algs, { error, description });
    return e;
  };
  if (u.scheme === 'Bearer') {
    if (jkt !== undefined)
      throw refused('a DPoP-bound token sent as Bearer', 401, 'invalid_token', 'DPoP-bound access token requires the DPoP authentication scheme');
    if (proof !== undefined) throw refused('a DPoP proof with a Bearer token', 400, 'invalid_request', 'DPoP proof requires the DPoP authentication scheme');
    return undefined;
  }
  if (jkt === undefined) throw refused('an unbound token sent with the DPoP scheme', 401, 'invalid_token', 'Invalid access token');
  if (proof === undefined) throw boundWithoutProof(u.request, 'access-token', jkt, 'userinfo', policy);
  u.trace.passRule(rule, expected, 'DPoP scheme, bound token');
  u.proof = await checkProof(u.request, proof, { endpoint: 'userinfo', url: ctx.urls.userinfo, policy, nonceRequired: false, accessToken: u.token }, ctx);
  bindAndRecord(u.request, u.proof, { kind: 'access-token', jkt }, ctx);
  return undefined;
}

function grantNotRevoked(u: UserinfoRequest): StepResult {
  const grantId = typeof u.payload.grant_id === 'string' ? u.payload.grant_id : undefined;
  if (grantId !== undefined && u.ctx.memory.revokedGrants.has(grantId)) throw refuse('revoked');
  return undefined;
}

function userExists(u: UserinfoRequest): StepResult {
  const sub = u.payload.sub;
  const user = typeof sub === 'string' ? u.ctx.directory.getUser(sub) : undefined;
  if (!user) throw refuse(String(sub));
  if (typeof u.payload.azp === 'string') u.trace.clientId = u.payload.azp;
  u.user = user;
  return { expected: 'a valid user access token', actual: user.user_id };
}

export const USERINFO_STEPS = defineSteps<UserinfoRequest>({
  steps: [
    { name: 'access token', rule: 'USR-1', expected: 'Authorization: Bearer <token>', wire: wire('Missing or malformed bearer token'), run: accessToken },
    { name: 'token of this tenant', rule: 'USR-1', wire: INVALID_TOKEN, run: tokenOfThisTenant },
    { name: 'certificate binding', rule: TOKEN_BINDING, run: certificateBound },
    { name: 'DPoP scheme and proof', run: dpopScheme },
    { name: 'grant not revoked', rule: 'USR-1', expected: 'an unrevoked grant', wire: INVALID_TOKEN, run: grantNotRevoked },
    { name: 'user exists', rule: 'USR-1', expected: 'a token issued to a user', wire: INVALID_TOKEN, run: userExists },
  ],
});

async function userinfo(request: FastifyRequest, ctx: ServerContext): Promise<Record<string, unknown>> {
  const u = new UserinfoRequest(request, ctx);
  try {
    await runSteps(USERINFO_STEPS, u);
  } catch (e) {
    if (e instanceof OAuthError && e.status === 401 && e.challenge === undefined && dpopEnabled(ctx)) {
      const algs = dpopPolicy(ctx, undefined).algs;
      // ED-2, §9 item 11: with no credentials, both challenges (the DPoP one lists the allow-list); a token sent
      // with the DPoP scheme is answered with a DPoP challenge.
      if (request.headers.authorization === undefined) e.challenge = ['Bearer realm="parley"', dpopChallenge(algs)];
      else if (u.scheme === 'DPoP') e.challenge = dpopChallenge(algs, { error: e.error, description: e.description });
    }
    throw e;
  }
  const user = u.user;
  const scopes = typeof u.payload.scope === 'string' ? u.payload.scope.split(' ') : [];
  const claims: Record<string, unknown> = { sub: user.user_id };
  if (scopes.includes('profile')) claims.name = user.name;
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.email_verified;
  }
  return claims;
}

/** Registers GET and POST /userinfo. */
export function registerUserinfo(app: FastifyInstance, ctx: ServerContext): void {
  const config = { endpoint: 'userinfo', errors: 'oauth' as const };
  app.get('/userinfo', { config }, (request) => userinfo(request, ctx));
  app.post('/userinfo', { config }, (request) => userinfo(request, ctx));
}
