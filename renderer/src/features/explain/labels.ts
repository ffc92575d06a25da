/** Words for Explain: profiles, pasted-input kinds and the problems a pasted text or key can have. */
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { PasteError, PastedInput, PastedRole } from '../../../../shared/explain/paste';
import { pastedJwts } from '../../../../shared/explain/paste';

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

/** What the pasted text was recognised as, in one sentence. */
export function detectedText(t: TFunction, input: PastedInput, role?: PastedRole): string {
  const jwts = pastedJwts(input, role)
    .map((j) => roleName(t, j.role))
    .join(t('explain.paste.and'));
  switch (input.kind) {
    case 'authorize-url':
      return jwts === '' ? t('explain.paste.detectedUrlPlain') : t('explain.paste.detectedUrl', { jwts });
    case 'par-body':
      return jwts === '' ? t('explain.paste.detectedBodyPlain') : t('explain.paste.detectedBody', { jwts });
    case 'jwt':
      return t('explain.paste.detectedJwt', { role: roleName(t, role ?? input.role) });
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
      return t('explain.errors.jwtParts', { parts: p['parts'] ?? '' });
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
