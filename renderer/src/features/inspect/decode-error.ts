/** A decode failure in words: a translated sentence chosen by the JwtDecodeError code. */
import type { TFunction } from 'i18next';
import type { DecodeOutcome, TokenPart } from '../../state/decode/decode-core';
import { MAX_INSPECT_BYTES } from '../../state/decode/decode-core';

/** The translated name of a token part. */
export function partName(t: TFunction, part: TokenPart | null): string {
  switch (part) {
    case 'header':
      return t('inspect.parts.header');
    case 'payload':
      return t('inspect.parts.payload');
    case 'signature':
      return t('inspect.parts.signature');
    default:
      return t('inspect.parts.token');
  }
}

/** The sentence for a decode error. */
export function decodeErrorMessage(t: TFunction, error: Extract<DecodeOutcome, { kind: 'error' }>): string {
  const part = partName(t, error.part);
  switch (error.code) {
    case 'empty':
      return t('inspect.errors.empty');
    case 'too-large':
      // A number: the catalogue's {{limit, number}} formats it in the UI language, not the system's.
      return t('inspect.errors.tooLarge', { count: MAX_INSPECT_BYTES });
    case 'json-serialization':
      return t('inspect.errors.jsonSerialization');
    case 'jwe':
      return t('inspect.errors.jwe');
    case 'wrong-part-count':
      return t('inspect.errors.wrongPartCount', { count: error.count });
    case 'bad-base64url':
      return t('inspect.errors.badBase64url', { part });
    case 'not-json':
      return t('inspect.errors.notJson', { part });
    case 'not-object':
      return t('inspect.errors.notObject', { part });
    case 'duplicate-member':
      return t('inspect.errors.duplicateMember', { part, member: error.member ?? '?' });
    default:
      return error.message;
  }
}
