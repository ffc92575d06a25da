/**
 * The private_key_jwt client-authentication pipeline (RFC 7521, RFC 7523, OIDC Core §9) used by
 * /oauth/token, /oauth/par and the other back-channel endpoints. Order (node-oidc-provider's, §15.8):
 * assertion type, decode, client from `sub`, registered method, claim rules, key selection in the
 * client's `private_key_jwt` slot only, signature, and the replay cache LAST, so that a forged token can
 * never burn a legitimate jti. Every failure is a 401 `invalid_client` with a generic description (E-8);
 * the trace says which rule failed and why.
 */
import type { ClientAssertionContext } from '../../../../shared/jwt/contexts';
import type { DecodedJwt } from '../../../../shared/jwt/decode';
import { decodeCompactJwt, JwtDecodeError } from '../../../../shared/jwt/decode';
import { PROFILES, serverProfileFor } from '../../../../shared/jwt/profiles';
import type { RuleDef, RuleText } from '../../../../shared/jwt/rule';
import { brief } from '../../../../shared/jwt/rules/claim-values';
import { CLIENT_ASSERTION_RULES } from '../../../../shared/jwt/rules/client-assertion';
import type { DecodeContext } from '../../../../shared/jwt/rules/decode';
import { CLIENT_ASSERTION_DECODE_RULES, INVALID_CLIENT_ASSERTION } from '../../../../shared/jwt/rules/decode';
import type { TraceRecorder } from '../trace';
import type { ClientView, CredentialView } from '../state/types';
import type { JwtCheckContext, Selection } from './jwt-credentials';
import { credentialAlgsFor, otherSlotCandidates, rememberUntilMs, replayKey, selectCredentials, serverNow, verifyWithAny } from './jwt-credentials';

/** RFC 7523 §2.2: the only accepted `client_assertion_type`. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What `verifyClientAssertion` needs. */
export interface VerifyClientAssertionInput {
  /** The `client_assertion` form parameter. */
  assertion: string | undefined;
  /** The `client_assertion_type` form parameter. */
  assertionType: string | undefined;
  /** The `client_id` form parameter, when sent (PKJ-3). */
  clientIdParam: string | undefined;
  /** The URL of the endpoint receiving the assertion (PKJ-8 accepts it as aud by default). */
  endpointUrl: string;
  ctx: JwtCheckContext;
  trace: TraceRecorder;
}

/** An authenticated client and the credential whose key verified its assertion. */
export interface VerifiedClientAssertion {
  client: ClientView;
  credential: CredentialView;
}

/** PKJ-1: the exact assertion type. */
const ASSERTION_TYPE: RuleDef<{ assertionType: string | undefined }> = {
  id: 'PKJ-1',
  summary: `client_assertion_type is exactly ${JWT_BEARER_ASSERTION_TYPE}.`,
  fix: `Send client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}.`,
  source: 'RFC 7523 §2.2; RFC 7521 §4.2',
  wire: { status: 400, error: 'invalid_request', description: `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}` },
  evaluate: ({ assertionType }) =>
    assertionType === JWT_BEARER_ASSERTION_TYPE
      ? { passed: true, expected: JWT_BEARER_ASSERTION_TYPE, actual: assertionType }
      : { passed: false, expected: JWT_BEARER_ASSERTION_TYPE, actual: assertionType === undefined ? '(absent)' : brief(assertionType) },
};

/** PKJ-1: a client_assertion is sent. Traced only when missing. */
const ASSERTION_PRESENT: RuleDef<{ assertion: string | undefined }> = {
  id: 'PKJ-1',
  summary: 'client_assertion holds one JWT.',
  fix: 'Send the signed JWT in client_assertion.',
  source: 'RFC 7521 §4.2',
  wire: { status: 400, error: 'invalid_request', description: 'Missing required parameter: client_assertion' },
  evaluate: ({ assertion }) => (assertion ? null : { passed: false, expected: 'a JWT', actual: '(absent)' }),
};

/** PKJ-7 (lookup): `sub` names a registered client. Traced only when it does not. */
const CLIENT_FROM_SUB: RuleDef<{ sub: unknown; client: ClientView | undefined }> = {
  id: 'PKJ-7',
  summary: "The client assertion's sub is the client_id of a registered client.",
  fix: "Set sub (and iss) to your application's client_id.",
  source: 'RFC 7523 §3 item 2; OIDC Core §9',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate: ({ sub, client }) =>
    client !== undefined
      ? null
      : {
          passed: false,
          expected: 'the client_id of a registered client',
          actual: typeof sub === 'string' ? `unknown client ${brief(sub)}` : `sub is ${sub === undefined ? 'absent' : brief(sub)}`,
          message: "The client assertion's sub does not name a registered client.",
        },
};

/** PKJ-4: the client is registered for private_key_jwt with at least one attached credential. */
const REGISTERED_METHOD: RuleDef<{ client: ClientView; credentialCount: number }> = {
  id: 'PKJ-4',
  summary: 'The client is registered for private_key_jwt, with at least one attached credential.',
  fix: 'Set client_authentication_methods.private_key_jwt.credentials on the client (and token_endpoint_auth_method to null).',
  source: 'Auth0 configure private_key_jwt (A8); Application credentials (A10)',
  wire: { status: 401, error: 'invalid_client', description: 'the provided authentication mechanism does not match the registered one' },
  evaluate({ client, credentialCount }) {
    const expected = 'private_key_jwt with ≥ 1 credential';
    if (!client.private_key_jwt)
      return {
        passed: false,
        expected,
        actual: `registered for ${client.token_endpoint_auth_method ?? 'no method'}`,
        message: 'The client is not registered for private_key_jwt.',
      };
    if (credentialCount === 0)
      return { passed: false, expected, actual: 'no attached credential', message: 'The client has no credential attached to private_key_jwt.' };
    return { passed: true, expected, actual: `private_key_jwt with ${credentialCount} credential${credentialCount === 1 ? '' : 's'}` };
  },
};

/** PKJ-15: a kid of the client's JAR slot never selects an authentication key. Traced only when it does. */
const KID_OF_OTHER_SLOT: RuleDef<Selection> = {
  id: 'PKJ-15',
  summary: 'Keys registered for request objects (signed_request_object) never authenticate the client.',
  fix: 'Sign client assertions with a key attached to private_key_jwt; keep a separate key pair for JAR.',
  source: 'Auth0 configure JAR (A2); Application credentials (A10)',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate: (sel) =>
    !sel.ok && sel.reason === 'kid-in-other-slot' ? { passed: false, expected: sel.expected, actual: sel.actual, message: sel.message } : null,
};

/** JWT-10: the kid names a credential of the slot, and a credential with the token's alg remains. */
const SLOT: RuleDef<Selection> = {
  id: 'JWT-10',
  summary: "A verification key is chosen among the client's own private_key_jwt credentials (by kid, else by alg).",
  fix: "Use the kid of a credential attached to the client's private_key_jwt, or omit kid.",
  source: 'RFC 7523 §3; Auth0 private_key_jwt docs (A7); Application credentials (A10)',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate(sel) {
    if (sel.ok)
      return { passed: true, expected: 'a private_key_jwt credential of this client', actual: sel.candidates.map((c) => `${c.id} (kid ${c.kid})`).join(', ') };
    return sel.reason === 'kid-not-in-slot' || sel.reason === 'no-alg-match'
      ? { passed: false, expected: sel.expected, actual: sel.actual, message: sel.message }
      : null;
  },
};

/** PKJ-14: an expired credential is unusable. */
const NOT_EXPIRED: RuleDef<Selection> = {
  id: 'PKJ-14',
  summary: 'A credential past its expires_at cannot authenticate the client.',
  fix: 'Register a new credential, attach it to private_key_jwt and sign with it (or extend expires_at).',
  source: 'Auth0 configure private_key_jwt (A8); Credentials (A11)',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate(sel) {
    if (sel.ok)
      return { passed: true, expected: 'an unexpired credential', actual: sel.candidates.map((c) => `${c.id}: ${c.expires_at ?? 'never expires'}`).join(', ') };
    return sel.reason === 'expired' ? { passed: false, expected: sel.expected, actual: sel.actual, message: sel.message } : null;
  },
};

interface SignatureOutcome {
  verifiedBy: CredentialView | undefined;
  candidates: readonly CredentialView[];
  wrongSlot: CredentialView | undefined;
}

/** PKJ-15: the signature is by the client's JAR key. Traced only then (explains a PKJ-13 failure). */
const SIGNED_BY_OTHER_SLOT: RuleDef<SignatureOutcome> = {
  ...KID_OF_OTHER_SLOT,
  evaluate: ({ verifiedBy, wrongSlot }) =>
    verifiedBy === undefined && wrongSlot !== undefined
      ? {
          passed: false,
          expected: 'a signature by a private_key_jwt credential',
          actual: `signed by the signed_request_object credential ${wrongSlot.id}`,
          message: "The client assertion is signed with the client's JAR (signed_request_object) key, which never authenticates the client.",
        }
      : null,
};

/** PKJ-13: the signature verifies with a selected credential. */
const SIGNATURE: RuleDef<SignatureOutcome> = {
  id: 'PKJ-13',
  summary: "The client assertion's signature verifies with one of the client's active private_key_jwt credentials.",
  fix: "Sign with the private key matching a credential attached to the client's private_key_jwt.",
  source: 'RFC 7523 §3 item 9',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate({ verifiedBy, candidates }) {
    const expected = `a signature by ${candidates.map((c) => `${c.id} (kid ${c.kid})`).join(' or ')}`;
    if (verifiedBy) return { passed: true, expected, actual: `verified by ${verifiedBy.id} (kid ${verifiedBy.kid})` };
    return {
      passed: false,
      expected,
      actual: 'the signature does not verify',
      message: "The client assertion's signature does not verify with any of the client's private_key_jwt credentials.",
    };
  },
};

/** PKJ-12 (replay): a jti is accepted once per client until exp + skew. */
const REPLAY: RuleDef<{ seen: boolean; jti: string }> = {
  id: 'PKJ-12',
  summary: 'Each client assertion jti is used only once.',
  fix: 'Create a new assertion, with a fresh jti, for every request.',
  source: 'Auth0 private_key_jwt docs (A7: one-time use); OIDC Core §9; RFC 7523 §3 item 7',
  wire: INVALID_CLIENT_ASSERTION,
  evaluate: ({ seen, jti }) =>
    seen
      ? {
          passed: false,
          expected: 'an unused jti',
          actual: `jti ${brief(jti)} already used`,
          message: 'This client assertion has already been used (same client, same jti).',
        }
      : { passed: true, expected: 'an unused jti', actual: 'first use' },
};

// Rules checked together on one context: the trace keeps each group as one item while it passes.
const SELECTION_RULES = [KID_OF_OTHER_SLOT, SLOT, NOT_EXPIRED];
const SIGNATURE_RULES = [SIGNED_BY_OTHER_SLOT, SIGNATURE];
/** Every RuleDef this module declares, for the catalogue test (test/unit/electron/core/server/rules.test.ts). */
export const CLIENT_ASSERTION_CHECK_RULES: readonly RuleText[] = [
  ASSERTION_TYPE,
  ASSERTION_PRESENT,
  CLIENT_FROM_SUB,
  REGISTERED_METHOD,
  ...SELECTION_RULES,
  ...SIGNATURE_RULES,
  REPLAY,
];

function decode(assertion: string, maxBytes: number, trace: TraceRecorder): DecodedJwt {
  let decoded: DecodedJwt | undefined;
  let ctx: DecodeContext;
  try {
    decoded = decodeCompactJwt(assertion, { maxBytes });
    ctx = { error: undefined, maxBytes, bytes: decoded.bytes };
  } catch (e) {
    if (!(e instanceof JwtDecodeError)) throw e;
    ctx = { error: e, maxBytes };
  }
  trace.checkAll(CLIENT_ASSERTION_DECODE_RULES, ctx);
  // Unreachable without a decoded token: one of the rules above failed and threw.
  if (decoded === undefined) throw new Error('client assertion decoding failed without a failing rule');
  return decoded;
}

/**
 * Authenticates a client by its private_key_jwt assertion. Returns the client and the credential that
 * verified it; throws the failing rule's OAuthError (401 `invalid_client`, or 400 `invalid_request`
 * for a wrong assertion type).
 */
export async function verifyClientAssertion({
  assertion,
  assertionType,
  clientIdParam,
  endpointUrl,
  ctx,
  trace,
}: VerifyClientAssertionInput): Promise<VerifiedClientAssertion> {
  // The constant rather than the body's slice: the trace keeps this context (see request-object.ts).
  trace.check(ASSERTION_TYPE, { assertionType: assertionType === JWT_BEARER_ASSERTION_TYPE ? JWT_BEARER_ASSERTION_TYPE : assertionType });
  trace.check(ASSERTION_PRESENT, { assertion });
  const settings = ctx.settings();
  const decoded = decode(assertion ?? '', PROFILES[settings.profile].clientAssertion.maxBytes, trace);
  const { header, payload } = decoded;

  const sub = Object.hasOwn(payload, 'sub') ? payload.sub : undefined;
  const client = typeof sub === 'string' ? ctx.directory.getClient(sub) : undefined;
  trace.check(CLIENT_FROM_SUB, { sub, client });
  // Narrowed for TypeScript: CLIENT_FROM_SUB threw when there is no client.
  if (client === undefined) throw new Error('unreachable: client lookup failed without a failing rule');
  trace.clientId = client.client_id;

  const slot = ctx.directory.slotCredentials(client.client_id, 'private_key_jwt');
  trace.check(REGISTERED_METHOD, { client, credentialCount: slot.length });

  const profileId = serverProfileFor(settings.profile, client.compliance_level);
  const profile = PROFILES[profileId];
  const now = serverNow(ctx);
  const ruleCtx: ClientAssertionContext = { header, payload, issuer: ctx.urls.issuer, tokenEndpoint: ctx.urls.token, endpointUrl, profile: profileId, now };
  if (clientIdParam !== undefined) ruleCtx.clientIdParam = clientIdParam === client.client_id ? client.client_id : clientIdParam;
  const credentialAlgs = credentialAlgsFor(slot, header, now);
  if (credentialAlgs !== undefined) ruleCtx.credentialAlgs = credentialAlgs;
  trace.checkAll(CLIENT_ASSERTION_RULES, ruleCtx);

  const otherSlot = (): CredentialView[] => ctx.directory.slotCredentials(client.client_id, 'signed_request_object');
  const selection = selectCredentials(slot, header, now, 'private_key_jwt', otherSlot);
  trace.checkAll(SELECTION_RULES, selection);
  const candidates = selection.ok ? selection.candidates : [];

  const verifiedBy = verifyWithAny(decoded, candidates);
  // Only on failure, to explain it: was it signed with this client's JAR key (PKJ-15)?
  const wrongSlot = verifiedBy === undefined ? verifyWithAny(decoded, otherSlotCandidates(otherSlot(), header, now)) : undefined;
  const signature: SignatureOutcome = { verifiedBy, candidates, wrongSlot };
  trace.checkAll(SIGNATURE_RULES, signature);
  if (verifiedBy === undefined) throw new Error('unreachable: signature failed without a failing rule');

  // Last: only a verified assertion may consume its jti (PKJ-12 claim rule guaranteed a string jti).
  const jti = payload.jti as string;
  const key = replayKey(client.client_id, jti);
  trace.check(REPLAY, { seen: ctx.memory.assertionJtis.has(key), jti });
  ctx.memory.assertionJtis.set(key, true, rememberUntilMs(payload.exp as number, profile.skewSeconds, settings.clockOffsetSeconds));

  return { client, credential: verifiedBy };
}
