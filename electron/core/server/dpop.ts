/**
 * DPoP in the embedded server (RFC 9449; ../shared/spec/dpop-rules.md): the glue between the endpoints'
 * steps and the pure proof rules of shared/jwt/rules/dpop-proof.ts. An endpoint reads the `DPoP` field(s),
 * runs phase A (the proof alone) before it touches any grant, so that a bad proof or a nonce challenge never
 * consumes a code or rotates a refresh token (DPB-8), then phase B (binding and replay) once it knows the
 * `jkt` the grant or token is bound to; only when both passed is the `jti` recorded (DPP-11). Every outcome
 * goes to the trace with its rule id, and a failure answers Auth0's error with its headers (ED-1..3).
 */
import type { FastifyRequest } from 'fastify';
import type { DpopBindingKind, DpopEndpoint, DpopPolicy, DpopProofContext, DpopRuleDef } from '../../../shared/jwt/rules/dpop-proof';
import {
  bindingWithoutProof,
  buildDpopProofContext,
  dpopChallenge,
  dpopPolicyFor,
  dpopWireResponse,
  DPOP_BINDING_PHASE_RULES,
  DPOP_PROOF_PHASE_RULES,
  evaluateDpopProof,
} from '../../../shared/jwt/rules/dpop-proof';
import type { RuleOutcome } from '../../../shared/jwt/rule';
import { serverProfileFor } from '../../../shared/jwt/profiles';
import type { ServerContext } from './context';
import { serverNowSeconds } from './checks/outcome';
import { OAuthError } from './errors';
import { pass } from './recording';
import type { RuleSink } from './recording';
import { DPOP_RULES } from './rules-dpop';
import type { ClientCertificate } from './mtls';
import type { ClientView } from './state/types';

/** DPC-10: the tenant switch (absent: on). */
export function dpopEnabled(ctx: ServerContext): boolean {
  return ctx.settings().dpopEnabled !== false;
}

/** DPC-9: a public client has no secret to send and no other client authentication (SPA, native). */
export function isPublicClient(client: ClientView): boolean {
  return client.token_endpoint_auth_method === 'none' && !client.private_key_jwt;
}

/** The DPoP policy (allow-list, iat window) for a client: its profile, raised by its compliance level. */
export function dpopPolicy(ctx: ServerContext, client: ClientView | undefined): DpopPolicy {
  return dpopPolicyFor(serverProfileFor(ctx.settings().profile, client?.compliance_level));
}

/**
 * The `DPoP` header field(s) as received (DPP-1): undefined without one, an array when it came several
 * times. Node joins repeated unknown headers with ", ", so the raw headers are counted.
 */
export function proofHeader(request: FastifyRequest): string | string[] | undefined {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'dpop') values.push(raw[i + 1]!);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/** Records DPoP outcomes (passes and the failure) in the trace. */
function recordOutcomes(trace: RuleSink, outcomes: readonly RuleOutcome[]): void {
  for (const o of outcomes) trace.record(o);
}

/** The OAuth error for a failed DPoP rule, with its challenge (ED-2) and a fresh nonce when the rule sends one (DPN-1, DPN-4, ED-3). */
function dpopError(rule: DpopRuleDef, proof: DpopProofContext, ctx: ServerContext): OAuthError {
  const wire = dpopWireResponse(rule, proof);
  const e = new OAuthError(wire.status, wire.error, wire.description, rule.id);
  if (wire.wwwAuthenticate !== undefined) e.challenge = wire.wwwAuthenticate;
  if (wire.sendNonce) e.headers = { 'dpop-nonce': ctx.memory.dpopNonces.issue(), 'cache-control': 'no-store' };
  return e;
}

/** A checked proof: its context and the key thumbprint it proves (phase A passed). */
export interface CheckedProof {
  context: DpopProofContext;
  thumbprint: string;
  jti: string;
  iat: number;
}

/** What phase A needs besides the request. */
export interface ProofCheck {
  endpoint: DpopEndpoint;
  url: string;
  policy: DpopPolicy;
  /** DPN-1/DPN-6: the client is under the nonce policy (a proof without nonce is refused). */
  nonceRequired: boolean;
  /** /userinfo: the access token exactly as sent after `DPoP ` (hashed for `ath`, DPP-13). */
  accessToken?: string;
  /**
   * DPN-3: the nonce is required because of the token exchange's subject token, not the client: the nonce
   * rule's outcome and error carry DPN-3's id, so the trace names the rule that made the demand.
   */
  nonceRule?: 'DPN-3';
}

/** DPN-1's outcome under the id of the rule that required the nonce (DPN-3). */
function asNonceRule(outcome: RuleOutcome, rule: 'DPN-3'): RuleOutcome {
  return outcome.id === 'DPN-1' ? { ...outcome, id: rule, summary: DPOP_RULES[rule].summary } : outcome;
}

/**
 * Phase A (DPP-1..10, DPN-1, DPN-4, DPP-13): the proof alone, before any grant is looked up. Records every
 * outcome; throws the failed rule's OAuth error.
 */
export async function checkProof(request: FastifyRequest, proof: string | string[], check: ProofCheck, ctx: ServerContext): Promise<CheckedProof> {
  const context = await buildDpopProofContext({
    proof,
    endpoint: check.endpoint,
    method: request.method,
    url: check.url,
    now: serverNowSeconds(ctx),
    policy: check.policy,
    nonce: ctx.memory.dpopNonces.expectation(check.nonceRequired),
    ...(check.accessToken !== undefined ? { accessToken: check.accessToken } : {}),
  });
  const evaluation = evaluateDpopProof(context, DPOP_PROOF_PHASE_RULES);
  const nonceRule = check.nonceRule;
  recordOutcomes(request.trace, nonceRule === undefined ? evaluation.outcomes : evaluation.outcomes.map((o) => asNonceRule(o, nonceRule)));
  if (evaluation.failed !== undefined) {
    const e = dpopError(evaluation.failed, context, ctx);
    if (nonceRule === undefined || evaluation.failed.id !== 'DPN-1') throw e;
    const relabelled = new OAuthError(e.status, e.error, e.description, nonceRule);
    if (e.headers !== undefined) relabelled.headers = e.headers;
    throw relabelled;
  }
  // Every phase-A rule passed, so the signature verified with a public jwk: the thumbprint, jti and iat exist.
  const payload = context.payload!;
  return { context, thumbprint: context.thumbprint!, jti: String(payload.jti), iat: Number(payload.iat) };
}

/**
 * Phase B (DPB-6, DPB-7, DPB-9, DPB-12, then DPP-11): the proof key against the binding, then replay; on
 * success the `jti` is recorded at once (no await between the replay question and the record). Records
 * every outcome; throws the failed rule's OAuth error.
 */
export function bindAndRecord(
  request: FastifyRequest,
  checked: CheckedProof,
  binding: { kind: DpopBindingKind; jkt: string } | undefined,
  ctx: ServerContext,
): void {
  const jtis = ctx.memory.dpopJtis;
  const context: DpopProofContext = { ...checked.context, replayed: jtis.seen(checked.thumbprint, checked.jti) };
  if (binding !== undefined) context.binding = binding;
  else delete context.binding;
  const evaluation = evaluateDpopProof(context, DPOP_BINDING_PHASE_RULES);
  recordOutcomes(request.trace, evaluation.outcomes);
  if (evaluation.failed !== undefined) throw dpopError(evaluation.failed, context, ctx);
  jtis.record(checked.thumbprint, checked.jti, checked.iat, context.policy);
}

/** A grant or token bound to a key, presented with no proof (DPB-7, DPB-10, X-D15, X-D18): records the failure and returns the error. */
export function boundWithoutProof(request: FastifyRequest, kind: DpopBindingKind, jkt: string, endpoint: DpopEndpoint, policy: DpopPolicy): OAuthError {
  const { rule, outcome } = bindingWithoutProof(kind, jkt);
  request.trace.record(kind === 'refresh' ? { ...outcome, id: 'DPB-10', summary: DPOP_RULES['DPB-10'].summary } : outcome);
  const wire = endpoint === 'userinfo' ? rule.resourceWire : rule.wire;
  const e = new OAuthError(wire.status, wire.error, wire.description, kind === 'refresh' ? 'DPB-10' : rule.id);
  if (endpoint === 'userinfo') e.challenge = dpopChallenge(policy.algs, { error: wire.error, description: wire.description });
  return e;
}

/** The API's sender-constraining policy for DPB-1 (resource servers' `proof_of_possession`, DPC-2..8). */
export type ApiPolicy = 'none' | 'allowed' | 'required';

/** What DPB-1 decides: a Bearer token, a bound one, or none at all. */
export type Issuance = 'bearer' | 'bound' | 'refused';

/**
 * DPB-1, Auth0's matrix (DA2): the audience kind (userinfo only, or an API with its policy), the client's
 * `require_proof_of_possession`, and whether a valid proof came.
 */
export function issuance(input: { api: ApiPolicy | undefined; clientRequires: boolean; proof: boolean }): Issuance {
  const { api, clientRequires, proof } = input;
  if (api === undefined) return proof ? 'bound' : clientRequires ? 'refused' : 'bearer';
  if (clientRequires) return proof && api !== 'none' ? 'bound' : 'refused';
  if (api === 'required') return proof ? 'bound' : 'refused';
  if (api === 'allowed') return proof ? 'bound' : 'bearer';
  return 'bearer';
}

/** The resource server's policy for an audience (undefined: the userinfo-only audience). */
export function apiPolicyFor(ctx: ServerContext, audience: string | undefined, client: ClientView): ApiPolicy | undefined {
  return apiPoP(ctx, audience, client).policy;
}

/** The API's policy and the mechanism it names (`mtls` only when its proof_of_possession says so). */
function apiPoP(ctx: ServerContext, audience: string | undefined, client: ClientView): { policy: ApiPolicy | undefined; mtls: boolean } {
  if (audience === undefined || audience === ctx.urls.userinfo) return { policy: undefined, mtls: false };
  const pop = ctx.directory.resourceServerProofOfPossession(audience);
  // No API, no policy set, or the policy removed (null, the Dashboard's "Never" requirement): a proof binds,
  // as Auth0's DPoP page describes for any API.
  if (pop === undefined || pop === null) return { policy: 'allowed', mtls: false };
  // An mTLS API (DA5): the client certificate is its proof; required_for is all_clients only (DPC-5).
  if (pop.mechanism === 'mtls') return { policy: pop.required ? 'required' : 'allowed', mtls: true };
  // An API whose mechanism is none ignores the proof.
  if (pop.mechanism !== 'dpop') return { policy: 'none', mtls: false };
  if (!pop.required) return { policy: 'allowed', mtls: false };
  // [REC] a confidential client facing required_for public_clients is treated as "allowed".
  return { policy: (pop.required_for ?? 'all_clients') === 'public_clients' && !isPublicClient(client) ? 'allowed' : 'required', mtls: false };
}

/** What an access token is bound to: the DPoP key (`cnf.jkt`) or the client certificate (`cnf.x5t#S256`), never both (DPB-2, DPB-15). */
export type TokenBinding = { jkt: string; x5t?: undefined } | { x5t: string; jkt?: undefined } | undefined;

/**
 * Applies DPB-1 and records it: returns what to bind to, undefined for a Bearer token, and throws 400
 * invalid_request when it refuses ("DPoP proof is required": open question 1, the spec's suggestion; for an
 * mTLS API "client certificate is required", Parley's wording). For an API whose mechanism is `mtls` (DA5),
 * the client certificate plays the proof's part in the same matrix — from a confidential client only (DA5:
 * "only confidential clients support mTLS sender constraining") — except that a DPoP proof sent with it wins
 * (DPB-15, Auth0 mode; the strict profile refused the pair before any grant was touched, token/index.ts).
 */
export function decideBinding(
  trace: RuleSink,
  ctx: ServerContext,
  input: { audience: string | undefined; client: ClientView; proof: CheckedProof | undefined; certificate?: ClientCertificate | undefined },
): TokenBinding {
  const { policy: api, mtls } = apiPoP(ctx, input.audience, input.client);
  const clientRequires = input.client.require_proof_of_possession;
  const certificate = mtls && !isPublicClient(input.client) ? input.certificate : undefined;
  // DPB-15 (Auth0): with both, the token is bound to the DPoP key and the certificate is ignored.
  const evidence: 'dpop' | 'mtls' | undefined = mtls
    ? input.proof !== undefined && input.certificate !== undefined
      ? 'dpop'
      : certificate !== undefined
        ? 'mtls'
        : undefined
    : input.proof !== undefined
      ? 'dpop'
      : undefined;
  const decided = issuance({ api, clientRequires, proof: evidence !== undefined });
  const sent = mtls
    ? `client certificate ${certificate !== undefined ? 'sent' : input.certificate !== undefined ? 'sent by a public client (ignored: mTLS binding is for confidential clients)' : 'not sent'}${input.proof ? ', DPoP proof sent' : ''}`
    : `proof ${input.proof ? 'sent' : 'not sent'}`;
  const expected = `audience ${api === undefined ? 'userinfo only' : `API (policy ${api}${mtls ? ', mechanism mtls' : ''})`}, client ${clientRequires ? 'requires' : 'does not require'} PoP, ${sent}`;
  const rule = DPOP_RULES['DPB-1'];
  if (decided === 'refused') {
    trace.record({
      id: rule.id,
      passed: false,
      summary: rule.summary,
      message: `No token is issued: ${expected}.`,
      fix: mtls ? 'Present the client certificate in the TLS handshake of the token request (the API requires mTLS).' : (rule.fix ?? ''),
      source: rule.source,
      expected,
      actual: 'refused',
    });
    throw new OAuthError(400, 'invalid_request', mtls ? 'client certificate is required' : 'DPoP proof is required', rule.id);
  }
  if (decided !== 'bound') {
    pass(trace, rule, expected, input.proof ? 'Bearer (proof ignored)' : input.certificate !== undefined ? 'Bearer (client certificate ignored)' : 'Bearer');
    return undefined;
  }
  if (evidence === 'mtls') {
    pass(trace, rule, expected, `bound to the client certificate (x5t#S256 ${certificate!.thumbprint})`);
    return { x5t: certificate!.thumbprint };
  }
  pass(trace, rule, expected, input.certificate !== undefined ? 'bound to the DPoP key; the client certificate is ignored (DPB-15)' : 'bound');
  return { jkt: input.proof!.thumbprint };
}

/** DPN-5, DPN-6, ED-3: the headers of every token response to a client under the nonce policy. */
export function nonceHeaders(ctx: ServerContext): Record<string, string> {
  return { 'dpop-nonce': ctx.memory.dpopNonces.issue(), 'cache-control': 'no-store' };
}
