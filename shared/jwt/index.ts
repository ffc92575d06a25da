/**
 * JWT decoding, profiles and the request-object / client-assertion rules shared by the embedded server
 * and the renderer's composer (browser-safe: no `node:*`).
 */
export type { RuleDef, RuleOutcome, ServerProfile, Verdict, WireFailure } from './rule';
export { evaluateAll, evaluateRule, show } from './rule';
export type { DecodedJwt, DecodeOptions, JwtDecodeErrorCode } from './decode';
export { decodeCompactJwt, JwtDecodeError } from './decode';
export { findDuplicateMember } from './duplicate-members';
export type { ClientAssertionContext, JsonObject, JwtRuleContext, RequestObjectContext } from './contexts';
export type { AudiencePolicy, AudienceStyle, ClientAssertionPolicy, JwtProfile, ProfileId, RequestObjectPolicy } from './profiles';
export { AUDIENCE_STYLES, PROFILES, profileOf, serverProfileFor } from './profiles';
export type { DecodeContext } from './rules/decode';
export { CLIENT_ASSERTION_DECODE_RULES, INVALID_CLIENT_ASSERTION, REQUEST_OBJECT_DECODE_RULES } from './rules/decode';
export { KEY_HEADER_MEMBERS } from './rules/jwt-common';
export type { TokenKind } from './rules/jwt-common';
export { REQUEST_OBJECT_RULES } from './rules/request-object';
export { CLIENT_ASSERTION_RULES } from './rules/client-assertion';
export type { ClientAssertionLintContext, JwtParts, RequestObjectLintContext } from './lint';
export { lintClientAssertion, lintRequestObject } from './lint';
export { AUTHORIZATION_PARAMETERS, authorizationParametersOf, isAuthorizationParameter } from './authorization-parameters';
export type { CredentialSlot, Selection, SlotCredential } from './credential-selection';
export { credentialAlgsFor, isExpired, selectCredentials } from './credential-selection';
export type { RedirectClient, RedirectMatch, RedirectPolicy } from './redirect-uri';
export { callbackMismatch, matchRedirectUri } from './redirect-uri';
export type { ClientRegistration, ParRequirementInput } from './rules/client-registration';
export { parRequirement } from './rules/client-registration';
export type {
  DpopBindingKind,
  DpopEndpoint,
  DpopEvaluation,
  DpopJktContext,
  DpopNonceExpectation,
  DpopPolicy,
  DpopProofContext,
  DpopProofInput,
  DpopRuleDef,
  DpopWireResponse,
} from './rules/dpop-proof';
export {
  bindingWithoutProof,
  buildDpopProofContext,
  DPOP_BINDING_PHASE_RULES,
  DPOP_JKT_FORMAT_RULE,
  DPOP_POLICIES,
  DPOP_PROOF_PHASE_RULES,
  DPOP_PROOF_RULES,
  dpopChallenge,
  dpopPolicyFor,
  dpopWireResponse,
  evaluateDpopProof,
  lintDpopContext,
} from './rules/dpop-proof';
export type { HtuCause, HtuComparison, HtuComponents, HtuPart } from './dpop-htu';
export { compareHtu, normaliseHtu } from './dpop-htu';
export type { ProofSignature } from './dpop-keys';
export { accessTokenHash, isJktFormat, jwkThumbprint, PRIVATE_JWK_MEMBERS, publicJwkProblem, verifyProofSignature } from './dpop-keys';
export type { DpopProofLintContext } from './lint';
export { lintDpopProof } from './lint';
