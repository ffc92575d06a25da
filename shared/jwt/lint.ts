/**
 * The composer's live lint and paste-and-explain: the server's own rule modules applied to a token or
 * to a draft header and payload, every outcome listed (failures first) instead of stopping at the first.
 * It never throws: whatever is typed or pasted, the answer is a list of outcomes.
 */
import type { ClientAssertionContext, JsonObject, RequestObjectContext } from './contexts';
import { decodeCompactJwt, JwtDecodeError } from './decode';
import { profileOf } from './profiles';
import type { RuleDef, RuleOutcome } from './rule';
import { evaluateRule } from './rule';
import { CLIENT_ASSERTION_RULES } from './rules/client-assertion';
import type { DecodeContext } from './rules/decode';
import { CLIENT_ASSERTION_DECODE_RULES, REQUEST_OBJECT_DECODE_RULES } from './rules/decode';
import { REQUEST_OBJECT_RULES } from './rules/request-object';
import type { SlotCredential } from './credential-selection';
import { credentialAlgsFor, selectCredentials } from './credential-selection';
import type { ClientRegistration, RegistrationContext } from './rules/client-registration';
import { JAR_REQUIRED, PAR_REQUIRED, REQUEST_OBJECT_GATE_RULES, REQUEST_OBJECT_SELECTION_RULES, redirectVerdicts } from './rules/client-registration';
import type { DpopBindingKind, DpopEndpoint } from './rules/dpop-proof';
import { buildDpopProofContext, dpopPolicyFor, lintDpopContext } from './rules/dpop-proof';
import { normaliseHtu } from './dpop-htu';
import type { ProfileId } from './profiles';

/** A draft not yet signed: the header and payload as the composer holds them (any JSON value). */
export interface JwtParts {
  header: unknown;
  payload: unknown;
}

/**
 * What the request-object lint needs besides the token. With `client` (Compose knows the application: an
 * embedded-server client, or a saved target on it) the lint also applies the rules that depend on its
 * registration — callbacks, credentials and their alg, JAR and PAR required — as the server does.
 */
export type RequestObjectLintContext = Omit<RequestObjectContext, 'header' | 'payload'> & { client?: ClientRegistration };

/** What the client-assertion lint needs besides the token; with `client`, its private_key_jwt credentials' algs apply (PKJ-6). */
export type ClientAssertionLintContext = Omit<ClientAssertionContext, 'header' | 'payload'> & { client?: ClientRegistration };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failuresFirst(outcomes: RuleOutcome[]): RuleOutcome[] {
  return [...outcomes.filter((o) => !o.passed), ...outcomes.filter((o) => o.passed)];
}

function evaluateEach<C>(rules: readonly RuleDef<C>[], ctx: C): RuleOutcome[] {
  return rules.map((rule) => evaluateRule(rule, ctx)).filter((o): o is RuleOutcome => o !== null);
}

/** A JWT-1 failure for a draft whose header or payload is not an object, or for an unexpected error. */
function shapeFailure(message: string, actual: string): RuleOutcome {
  return {
    id: 'JWT-1',
    passed: false,
    summary: 'The token is a compact JWS: three base64url parts whose header and payload are JSON objects.',
    message,
    fix: 'Make the header and the payload JSON objects ({ … }).',
    source: 'RFC 7515 §7.1; RFC 7519 §7.2',
    expected: 'JSON object header and payload',
    actual,
  };
}

function lint<C>(
  tokenOrParts: string | JwtParts,
  maxBytes: number,
  decodeRules: readonly RuleDef<DecodeContext>[],
  rules: readonly RuleDef<C>[],
  contextFor: (header: JsonObject, payload: JsonObject) => C,
  extraFor?: (header: JsonObject, payload: JsonObject) => RuleOutcome[],
): RuleOutcome[] {
  try {
    let header: unknown;
    let payload: unknown;
    const outcomes: RuleOutcome[] = [];
    if (typeof tokenOrParts === 'string') {
      // Pasted text often carries a trailing newline or surrounding spaces; the server would not trim.
      let decodeCtx: DecodeContext;
      try {
        const decoded = decodeCompactJwt(tokenOrParts.trim(), { maxBytes });
        ({ header, payload } = decoded);
        decodeCtx = { error: undefined, maxBytes, bytes: decoded.bytes };
      } catch (e) {
        if (!(e instanceof JwtDecodeError)) throw e;
        decodeCtx = { error: e, maxBytes };
      }
      outcomes.push(...evaluateEach(decodeRules, decodeCtx));
      if (decodeCtx.error !== undefined) return failuresFirst(outcomes);
    } else {
      ({ header, payload } = tokenOrParts ?? { header: undefined, payload: undefined });
      const bad = [isJsonObject(header) ? '' : 'header', isJsonObject(payload) ? '' : 'payload'].filter(Boolean);
      if (bad.length > 0) return [shapeFailure(`The ${bad.join(' and ')} must be a JSON object.`, bad.join(', ') + ' not an object')];
    }
    outcomes.push(...evaluateEach(rules, contextFor(header as JsonObject, payload as JsonObject)));
    if (extraFor) outcomes.push(...extraFor(header as JsonObject, payload as JsonObject));
    return failuresFirst(outcomes);
  } catch (e) {
    return [shapeFailure(`The token could not be analysed: ${e instanceof Error ? e.message : String(e)}`, 'unreadable')];
  }
}

/** Lints a request object (a compact token, or a draft's header and payload) against the request-object rules. */
export function lintRequestObject(tokenOrParts: string | JwtParts, ctx: RequestObjectLintContext): RuleOutcome[] {
  const { client, ...base } = ctx;
  const maxBytes = profileOf(ctx.profile).requestObject.maxBytes;
  return lint(
    tokenOrParts,
    maxBytes,
    REQUEST_OBJECT_DECODE_RULES,
    REQUEST_OBJECT_RULES,
    (header, payload) => withCredentialAlgs<RequestObjectContext>({ ...base, header, payload }, client?.slots.signed_request_object, header, ctx.now),
    client ? (header, payload) => registrationOutcomes(client, header, payload, ctx) : undefined,
  );
}

/** JWT-2 / JAR-5 / PKJ-6 read the algs of the credentials the token could use, as the server does. */
function withCredentialAlgs<C extends { credentialAlgs?: readonly string[] }>(
  ctx: C,
  slot: readonly SlotCredential[] | undefined,
  header: JsonObject,
  now: number,
): C {
  if (slot === undefined) return ctx;
  const algs = credentialAlgsFor(slot, header, now);
  return algs === undefined ? ctx : { ...ctx, credentialAlgs: algs };
}

/** The rules that depend on the client's registration, in the server's order (checks/request-object.ts, authorize/assemble.ts). */
function registrationOutcomes(client: ClientRegistration, header: JsonObject, payload: JsonObject, ctx: RequestObjectLintContext): RuleOutcome[] {
  const registration: RegistrationContext = { client, payload, endpoint: ctx.endpoint };
  const slot = client.slots.signed_request_object;
  const out = evaluateEach([PAR_REQUIRED, JAR_REQUIRED], registration);
  out.push(...evaluateEach(REQUEST_OBJECT_GATE_RULES, { firstParty: client.firstParty, credentialCount: slot.length }));
  // Without credentials JAR-4 already says why; a selection would only repeat it.
  if (slot.length > 0)
    out.push(
      ...evaluateEach(
        REQUEST_OBJECT_SELECTION_RULES,
        selectCredentials(slot, header, ctx.now, 'signed_request_object', () => client.slots.private_key_jwt),
      ),
    );
  for (const v of redirectVerdicts(registration)) {
    const outcome: RuleOutcome = {
      id: v.rule.id,
      passed: v.passed,
      summary: v.rule.summary,
      message: v.passed ? v.rule.summary : (v.message ?? v.rule.summary),
      fix: v.rule.fix ?? '',
      source: v.rule.source,
      expected: v.expected,
      actual: v.actual,
    };
    out.push(outcome);
  }
  return out;
}

/** Lints a client assertion (a compact token, or a draft's header and payload) against the client-assertion rules. */
export function lintClientAssertion(tokenOrParts: string | JwtParts, ctx: ClientAssertionLintContext): RuleOutcome[] {
  const maxBytes = profileOf(ctx.profile).clientAssertion.maxBytes;
  const { client, ...base } = ctx;
  return lint(tokenOrParts, maxBytes, CLIENT_ASSERTION_DECODE_RULES, CLIENT_ASSERTION_RULES, (header, payload) =>
    withCredentialAlgs<ClientAssertionContext>({ ...base, header, payload }, client?.slots.private_key_jwt, header, ctx.now),
  );
}

/** What the DPoP proof lint needs besides the proof: the request it is for, and what the server expects. */
export interface DpopProofLintContext {
  /** The request's method, exactly as sent (DPP-8). */
  method: string;
  /** The URL the request goes to (DPP-9); compared as the server compares it, query and fragment ignored. */
  url: string;
  /** Now, in seconds (DPP-10). */
  now: number;
  /** The profile whose DPoP policy applies (allow-list, iat window); Auth0's by default. */
  profile?: ProfileId;
  /** Where the proof goes; by default `userinfo` with an access token, `par` for a …/oauth/par URL, else `token`. */
  endpoint?: DpopEndpoint;
  /** The access token sent with the proof (DPP-13 `ath`); only its hash is kept. */
  accessToken?: string;
  /** The server's latest `DPoP-Nonce`: the proof must carry it (DPN-1, DPN-4). */
  nonce?: string;
  /** The thumbprint the grant or token is bound to (`dpop_jkt`, `cnf.jkt`): DPB-6/7/12. */
  expectedJkt?: string;
}

/** The endpoint a proof is for, when the caller does not say. */
function dpopEndpointOf(ctx: DpopProofLintContext): DpopEndpoint {
  if (ctx.endpoint !== undefined) return ctx.endpoint;
  if (ctx.accessToken !== undefined) return 'userinfo';
  return /\/oauth\/par\/?$/.test(normaliseHtu(ctx.url)?.path ?? '') ? 'par' : 'token';
}

/**
 * Lints a DPoP proof for a request with the rule modules the server uses (shared/jwt/rules/dpop-proof.ts):
 * every outcome, failures first. Asynchronous because the signature, thumbprint and `ath` are computed
 * (jose, WebCrypto). Never rejects: whatever is pasted, the answer is a list of outcomes.
 */
export async function lintDpopProof(proof: string, ctx: DpopProofLintContext): Promise<RuleOutcome[]> {
  try {
    const endpoint = dpopEndpointOf(ctx);
    const bindingKind: DpopBindingKind = endpoint === 'userinfo' ? 'access-token' : endpoint === 'par' ? 'par' : 'code';
    const context = await buildDpopProofContext({
      // Pasted text often carries a trailing newline; the server would not trim, but a header value has none.
      proof: proof.trim(),
      endpoint,
      method: ctx.method,
      url: ctx.url,
      now: ctx.now,
      policy: dpopPolicyFor(ctx.profile),
      ...(ctx.nonce !== undefined ? { nonce: { required: true, accepted: [ctx.nonce] } } : {}),
      ...(ctx.accessToken !== undefined ? { accessToken: ctx.accessToken } : {}),
      ...(ctx.expectedJkt !== undefined ? { binding: { kind: bindingKind, jkt: ctx.expectedJkt } } : {}),
    });
    return lintDpopContext(context);
  } catch (e) {
    return [{ ...shapeFailure(`The DPoP proof could not be analysed: ${e instanceof Error ? e.message : String(e)}`, 'unreadable'), id: 'DPP-2' }];
  }
}
