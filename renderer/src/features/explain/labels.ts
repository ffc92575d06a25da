/** Words for Explain: profiles, pasted-input kinds and the problems a pasted text or key can have. */
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { PasteError, PastedInput, PastedRole } from '../../../../shared/explain/paste';
import { pastedJwts } from '../../../../shared/explain/paste';
import { isDpopProofToken } from '../../../../shared/explain/dpop';

/** Every profile, in the order the select offers them. */
export const PROFILE_IDS: readonly ProfileId[] = ['auth0', 'strict', 'fapi1', 'fapi2', 'okta'];

/** Whether a value is a profile id. */
export function isProfileId(value: string): value is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(value);
}

/** A profile's name. */
export function profileName(t: TFunction, profile: ProfileId): string {
  switch (profile) {
    case 'auth0':
      return t('explain.profiles.auth0');
    case 'strict':
      return t('explain.profiles.strict');
    case 'fapi1':
      return t('explain.profiles.fapi1');
    case 'fapi2':
      return t('explain.profiles.fapi2');
    case 'okta':
      return t('explain.profiles.okta');
  }
}

/** A JWT role's name. */
export function roleName(t: TFunction, role: PastedRole): string {
  return role === 'requestObject' ? t('explain.subject.requestObject') : t('explain.subject.clientAssertion');
}

/**
 * What the pasted text was recognised as, in one sentence: a whole sentence per combination of JWTs, so
 * each language words (and inflects) the token names itself rather than a list joined into a sentence.
 */
export function detectedText(t: TFunction, input: PastedInput, role?: PastedRole): string {
  const roles = new Set(pastedJwts(input, role).map((j) => j.role));
  switch (input.kind) {
    case 'authorize-url':
      return roles.has('requestObject') ? t('explain.paste.detectedUrl') : t('explain.paste.detectedUrlPlain');
    case 'par-body':
      if (roles.has('requestObject') && roles.has('clientAssertion')) return t('explain.paste.detectedBodyBoth');
      if (roles.has('requestObject')) return t('explain.paste.detectedBodyRequestObject');
      if (roles.has('clientAssertion')) return t('explain.paste.detectedBodyAssertion');
      return t('explain.paste.detectedBodyPlain');
    case 'jwt':
      // A DPoP proof is neither role: it is judged for its request, on the DPoP card.
      if (isDpopProofToken(input.token)) return t('dpopTools.explain.detectedInRequest');
      return (role ?? input.role) === 'requestObject' ? t('explain.paste.detectedJwtRequestObject') : t('explain.paste.detectedJwtAssertion');
  }
}

/** A problem with the pasted text or key, as a sentence naming it. */
export function pasteErrorText(t: TFunction, error: PasteError): string {
  const p = error.params;
  switch (error.code) {
    case 'empty':
      return t('explain.errors.empty');
    case 'not-url':
      return t('explain.errors.notUrl');
    case 'url-no-query':
      return t('explain.errors.urlNoQuery');
    case 'not-form':
      return p['chunk'] ? t('explain.errors.notForm', { chunk: p['chunk'] }) : t('explain.errors.notFormSpaces');
    case 'form-encoding':
      return t('explain.errors.formEncoding', { chunk: p['chunk'] ?? '' });
    case 'jwe':
      return t('explain.errors.jwe');
    case 'json-jws':
      return t('explain.errors.json');
    case 'jwt-parts':
      return t('explain.errors.jwtParts', { count: Number(p['parts'] ?? Number.NaN) }); // a number, so the noun agrees with it
    case 'jwt-undecodable':
      return t('explain.errors.jwtUndecodable', { reason: p['reason'] ?? '' });
    case 'unrecognised':
      return t('explain.errors.unrecognised');
    case 'key-format':
      return t('explain.errors.keyFormat');
    case 'key-private':
      return t('explain.errors.keyPrivate', { label: p['label'] ?? '' });
    case 'key-json':
      return t('explain.errors.keyJson', { reason: p['reason'] ?? '' });
    case 'key-not-jwk':
      return t('explain.errors.keyNotJwk');
    case 'key-pem':
      return t('explain.errors.keyPem', { label: p['label'] ?? '' });
  }
}
