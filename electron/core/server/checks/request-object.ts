/**
 * The request-object pipeline (RFC 9101 JAR) used by /authorize (`request=`) and /oauth/par: decode,
 * the client gate, the shared claim rules, key selection in the client's `signed_request_object` slot,
 * the signature, the optional replay check, and finally the object's authorization parameters.
 * Each step is a rule with a stable id, recorded in the trace whether it passed or failed; the first
 * failure is thrown as the rule's OAuthError.
 */
import type { DecodedJwt } from '../../../../shared/jwt/decode';
import { decodeCompactJwt, JwtDecodeError } from '../../../../shared/jwt/decode';
import type { OuterParams, RequestObjectContext } from '../../../../shared/jwt/contexts';
import { authorizationParametersOf } from '../../../../shared/jwt/authorization-parameters';
import { PROFILES, serverProfileFor } from '../../../../shared/jwt/profiles';
import type { RuleDef, RuleText, WireFailure } from '../../../../shared/jwt/rule';
import type { DecodeContext } from '../../../../shared/jwt/rules/decode';
import { REQUEST_OBJECT_DECODE_RULES } from '../../../../shared/jwt/rules/decode';
import { REQUEST_OBJECT_RULES } from '../../../../shared/jwt/rules/request-object';
import type { ClientGate } from '../../../../shared/jwt/rules/client-registration';
import { REQUEST_OBJECT_GATE_RULES, REQUEST_OBJECT_SELECTION_RULES } from '../../../../shared/jwt/rules/client-registration';
import type { TraceRecorder } from '../trace';
import type { ClientView, CredentialView } from '../state/types';
import type { JwtCheckContext } from './jwt-credentials';
import { credentialAlgsFor, otherSlotCandidates, rememberUntilMs, replayKey, selectCredentials, serverNow, verifyWithAny } from './jwt-credentials';

/** What `verifyRequestObject` needs. */
export interface VerifyRequestObjectInput {
  /** The `request` parameter as received. */
  jwt: string;
  /** The client being authorized (outer `client_id` at /authorize, the authenticated client at PAR). */
  client: ClientView;
  /** The outer query (/authorize) or form (PAR) parameters, for JAR-2 and JAR-17. */
  outerParams: Readonly<Record<string, string>>;
  endpoint: 'authorize' | 'par';
  ctx: JwtCheckContext;
  trace: TraceRecorder;
}

/** JAR-14's switch: how long a jti is remembered when the object has no exp. */
const REPLAY_WINDOW_WITHOUT_EXP_SECONDS = 3600;

const COULD_NOT_VALIDATE: WireFailure = { status: 400, error: 'invalid_request_object', description: 'could not validate request object' };

/** JAR-2: at /authorize the query still carries client_id. Traced only when it is missing (JAR-2 proper compares it). */
const QUERY_CLIENT_ID_PRESENT: RuleDef<{ endpoint: 'authorize' | 'par'; outerParams: OuterParams }> = {
  id: 'JAR-2',
  summary: 'The query carries client_id even when a request object is used.',
  fix: 'Add client_id to the query string next to request.',
  source: 'RFC 9101 §5; Auth0 JAR docs (A1)',
  wire: { status: 400, error: 'invalid_request', description: 'Missing required parameter: client_id' },
  evaluate: ({ endpoint, outerParams }) =>
    endpoint === 'authorize' && !outerParams.client_id ? { passed: false, expected: 'client_id in the query', actual: '(absent)' } : null,
};

interface SignatureOutcome {
  verifiedBy: CredentialView | undefined;
  candidates: readonly CredentialView[];
  /** Set when the other slot's key verifies it: a private_key_jwt key used for a request object. */
  wrongSlot: CredentialView | undefined;
}

/** JAR-8: the signature verifies with one of the selected credentials. */
const SIGNATURE: RuleDef<SignatureOutcome> = {
  id: 'JAR-8',
  summary: "The request object's signature verifies with a signed_request_object credential of the client.",
  fix: "Sign with the private key matching a credential attached to the client's signed_request_object.",
  source: 'RFC 9101 §6.2',
  wire: COULD_NOT_VALIDATE,
  evaluate({ verifiedBy, candidates, wrongSlot }) {
    const expected = `a signature by ${candidates.map((c) => `${c.id} (kid ${c.kid})`).join(' or ')}`;
    if (verifiedBy) return { passed: true, expected, actual: `verified by ${verifiedBy.id} (kid ${verifiedBy.kid})` };
    if (wrongSlot) {
      return {
        passed: false,
        expected,
        actual: `signed by the private_key_jwt credential ${wrongSlot.id}`,
        message: "The request object is signed with the client's private_key_jwt key; request objects need a signed_request_object key (PKJ-15).",
      };
    }
    return {
      passed: false,
      expected,
      actual: 'the signature does not verify',
      message: "The request object's signature does not verify with any of the client's signed_request_object credentials.",
    };
  },
};

interface ReplayOutcome {
  jti: string | undefined;
  seen: boolean;
}

/** JAR-14 (switch): a jti is accepted once. */
const REPLAY: RuleDef<ReplayOutcome> = {
  id: 'JAR-14',
  summary: 'With the JAR replay check on, each request object jti is used once.',
  fix: 'Create a new request object, with a fresh jti, for every authorization request.',
  source: 'Auth0 JAR docs (A1); RFC 9101 §10 (replay is optional)',
  wire: { status: 400, error: 'invalid_request_object', description: 'request object has already been used' },
  evaluate({ jti, seen }) {
    if (jti === undefined) return { passed: true, expected: 'an unused jti', actual: 'no jti: nothing to remember' };
    return seen
      ? { passed: false, expected: 'an unused jti', actual: `jti ${jti} already seen`, message: "This request object's jti has already been used." }
      : { passed: true, expected: 'an unused jti', actual: 'first use' };
  },
};

// Rules checked together on one context: the trace keeps each group as one item while it passes.
const GATE_RULES = REQUEST_OBJECT_GATE_RULES;
const SELECTION_RULES = REQUEST_OBJECT_SELECTION_RULES;
/** Every RuleDef this module declares, for the catalogue test (test/unit/electron/core/server/rules.test.ts). */
export const REQUEST_OBJECT_CHECK_RULES: readonly RuleText[] = [QUERY_CLIENT_ID_PRESENT, SIGNATURE, REPLAY];

function decode(jwt: string, maxBytes: number, trace: TraceRecorder): DecodedJwt {
  let decoded: DecodedJwt | undefined;
  let ctx: DecodeContext;
  try {
    decoded = decodeCompactJwt(jwt, { maxBytes });
    ctx = { error: undefined, maxBytes, bytes: decoded.bytes };
  } catch (e) {
    if (!(e instanceof JwtDecodeError)) throw e;
    ctx = { error: e, maxBytes };
  }
  trace.checkAll(REQUEST_OBJECT_DECODE_RULES, ctx);
  // Unreachable without a decoded token: one of the rules above failed and threw.
  if (decoded === undefined) throw new Error('request object decoding failed without a failing rule');
  return decoded;
}

/**
 * Verifies a request object for `client` and returns its authorization parameters as strings (known
 * parameters and `ext-*` only; never `request`/`request_uri`). Throws the failing rule's OAuthError.
 */
export async function verifyRequestObject(input: VerifyRequestObjectInput): Promise<Record<string, string>> {
  return (await verifyRequestObjectClaims(input)).params;
}

/** A verified request object: its authorization parameters, and its `exp` when it is a number (PAR-16). */
export interface VerifiedRequestObject {
  params: Record<string, string>;
  exp: number | undefined;
}

/** verifyRequestObject, also giving the verified `exp`, so that PAR never decodes the object a second time. */
export async function verifyRequestObjectClaims({ jwt, client, outerParams, endpoint, ctx, trace }: VerifyRequestObjectInput): Promise<VerifiedRequestObject> {
  trace.clientId ??= client.client_id;
  const settings = ctx.settings();
  const profileId = serverProfileFor(settings.profile, client.compliance_level);
  const profile = PROFILES[profileId];
  const now = serverNow(ctx);

  const decoded = decode(jwt, profile.requestObject.maxBytes, trace);
  const { header, payload } = decoded;

  const slot = ctx.directory.slotCredentials(client.client_id, 'signed_request_object');
  const gate: ClientGate = { firstParty: client.is_first_party, credentialCount: slot.length };
  trace.checkAll(GATE_RULES, gate);
  // The rule contexts stay with the trace: they keep the two outer parameters the rules read, and the
  // client's own client_id string when they are equal, not slices of the request body (which would keep
  // the whole body alive with every trace in the log).
  const outer: { client_id?: string; response_type?: string } = {};
  if (outerParams.client_id !== undefined) outer.client_id = outerParams.client_id === client.client_id ? client.client_id : outerParams.client_id;
  if (outerParams.response_type !== undefined) outer.response_type = outerParams.response_type;
  trace.check(QUERY_CLIENT_ID_PRESENT, { endpoint, outerParams: outer });

  const ruleCtx: RequestObjectContext = {
    header,
    payload,
    issuer: ctx.urls.issuer,
    clientId: client.client_id,
    outerParams: outer,
    profile: profileId,
    now,
    endpoint,
  };
  const credentialAlgs = credentialAlgsFor(slot, header, now);
  if (credentialAlgs !== undefined) ruleCtx.credentialAlgs = credentialAlgs;
  trace.checkAll(REQUEST_OBJECT_RULES, ruleCtx);

  const selection = selectCredentials(slot, header, now, 'signed_request_object', () => ctx.directory.slotCredentials(client.client_id, 'private_key_jwt'));
  trace.checkAll(SELECTION_RULES, selection);
  const candidates = selection.ok ? selection.candidates : [];

  const verifiedBy = verifyWithAny(decoded, candidates);
  let wrongSlot: CredentialView | undefined;
  if (verifiedBy === undefined) {
    // Only on failure, to explain it: was it signed with this client's other key (PKJ-15)?
    wrongSlot = verifyWithAny(decoded, otherSlotCandidates(ctx.directory.slotCredentials(client.client_id, 'private_key_jwt'), header, now));
  }
  trace.check(SIGNATURE, { verifiedBy, candidates, wrongSlot });

  if (settings.jarReplayCheck) {
    const jti = typeof payload.jti === 'string' ? payload.jti : undefined;
    const key = jti === undefined ? undefined : replayKey(client.client_id, jti);
    trace.check(REPLAY, { jti, seen: key !== undefined && ctx.memory.requestObjectJtis.has(key) });
    if (key !== undefined) {
      const exp = typeof payload.exp === 'number' ? payload.exp : now + REPLAY_WINDOW_WITHOUT_EXP_SECONDS;
      ctx.memory.requestObjectJtis.set(key, true, rememberUntilMs(exp, profile.skewSeconds, settings.clockOffsetSeconds));
    }
  }

  return { params: authorizationParametersOf(payload), exp: typeof payload.exp === 'number' ? payload.exp : undefined };
}
