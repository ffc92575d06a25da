/**
 * Words for the Break-it table. Every label goes through a literal `t()` key (so the catalogue test sees
 * it), and each switch is exhaustive (a new case in shared/faults/cases.ts fails the typecheck here).
 */
import type { TFunction } from 'i18next';
import type { FaultCaseId, FaultRowNote } from '../../../../shared/faults/cases';

/** A case's title. */
export function caseLabel(t: TFunction, id: FaultCaseId): string {
  switch (id) {
    case 'control':
      return t('compose.breakIt.cases.control');
    case 'alg-none':
      return t('compose.breakIt.cases.algNone');
    case 'hs256-public-key':
      return t('compose.breakIt.cases.hs256PublicKey');
    case 'aud-no-trailing-slash':
      return t('compose.breakIt.cases.audNoTrailingSlash');
    case 'aud-other-issuer':
      return t('compose.breakIt.cases.audOtherIssuer');
    case 'exp-expired':
      return t('compose.breakIt.cases.expExpired');
    case 'nbf-future':
      return t('compose.breakIt.cases.nbfFuture');
    case 'lifetime-over-5-min':
      return t('compose.breakIt.cases.lifetimeOver5Min');
    case 'jti-replay':
      return t('compose.breakIt.cases.jtiReplay');
    case 'jti-too-long':
      return t('compose.breakIt.cases.jtiTooLong');
    case 'wrong-kid':
      return t('compose.breakIt.cases.wrongKid');
    case 'other-slot-key':
      return t('compose.breakIt.cases.otherSlotKey');
    case 'tampered-signature':
      return t('compose.breakIt.cases.tamperedSignature');
    case 'client-id-mismatch':
      return t('compose.breakIt.cases.clientIdMismatch');
    case 'request-and-request-uri':
      return t('compose.breakIt.cases.requestAndRequestUri');
    case 'request-uri-twice':
      return t('compose.breakIt.cases.requestUriTwice');
    case 'unregistered-redirect-uri':
      return t('compose.breakIt.cases.unregisteredRedirectUri');
    case 'dpop-htm-wrong':
      return t('compose.breakIt.cases.dpopHtmWrong');
    case 'dpop-htu-query':
      return t('compose.breakIt.cases.dpopHtuQuery');
    case 'dpop-htu-trailing-slash':
      return t('compose.breakIt.cases.dpopHtuTrailingSlash');
    case 'dpop-iat-stale':
      return t('compose.breakIt.cases.dpopIatStale');
    case 'dpop-iat-future':
      return t('compose.breakIt.cases.dpopIatFuture');
    case 'dpop-nonce-missing':
      return t('compose.breakIt.cases.dpopNonceMissing');
    case 'dpop-nonce-stale':
      return t('compose.breakIt.cases.dpopNonceStale');
    case 'dpop-jti-replay':
      return t('compose.breakIt.cases.dpopJtiReplay');
    case 'dpop-jkt-mismatch':
      return t('compose.breakIt.cases.dpopJktMismatch');
    case 'dpop-private-jwk':
      return t('compose.breakIt.cases.dpopPrivateJwk');
    case 'dpop-alg-none':
      return t('compose.breakIt.cases.dpopAlgNone');
    case 'dpop-hs256':
      return t('compose.breakIt.cases.dpopHs256');
    case 'dpop-ath-other-token':
      return t('compose.breakIt.cases.dpopAthOtherToken');
    case 'dpop-cnf-jkt-other-key':
      return t('compose.breakIt.cases.dpopCnfJktOtherKey');
  }
}

/** Why a row's answer is that of an earlier step. */
export function noteLabel(t: TFunction, note: FaultRowNote): string {
  switch (note) {
    case 'setup-rejected':
      return t('compose.breakIt.notes.setupRejected');
    case 'first-use-rejected':
      return t('compose.breakIt.notes.firstUseRejected');
    case 'user-token-failed':
      return t('compose.breakIt.notes.userTokenFailed');
  }
}
