/**
 * Turns an error from the core into words for the user: a translated sentence chosen by the stable
 * error code, plus the core's own message when it carries specifics the translation cannot (which
 * PEM block failed to parse, which field was invalid).
 */
import type { TFunction } from 'i18next';
import type { ErrorCode } from '../../../shared/errors';
import { ApiError } from '../api/client';

/** What to show for an error. */
export interface ErrorText {
  message: string;
  /** The core's message, when it adds something to `message`. */
  detail: string | null;
}

/** Codes whose translated sentence says everything; the core's message would only repeat it. */
const SELF_EXPLANATORY = new Set<ErrorCode>([
  'BRIDGE_MISSING',
  'WRONG_PASSPHRASE',
  'VAULT_LOCKED',
  'VAULT_NOT_INITIALIZED',
  'KEY_NOT_FOUND',
  'CONFIRMATION_REQUIRED',
  'UNAUTHORIZED',
]);

/** The translated sentence for an error code, or null when there is none. */
export function errorCodeMessage(t: TFunction, code: ErrorCode): string | null {
  switch (code) {
    case 'UNKNOWN_OPERATION':
      return t('errors.UNKNOWN_OPERATION');
    case 'INVALID_INPUT':
      return t('errors.INVALID_INPUT');
    case 'FORBIDDEN_SENDER':
      return t('errors.FORBIDDEN_SENDER');
    case 'INTERNAL':
      return t('errors.INTERNAL');
    case 'BRIDGE_MISSING':
      return t('errors.BRIDGE_MISSING');
    case 'UNAUTHORIZED':
      return t('errors.UNAUTHORIZED');
    case 'FORBIDDEN_HOST':
      return t('errors.FORBIDDEN_HOST');
    case 'FORBIDDEN_ORIGIN':
      return t('errors.FORBIDDEN_ORIGIN');
    case 'PAYLOAD_TOO_LARGE':
      return t('errors.PAYLOAD_TOO_LARGE');
    case 'UNSUPPORTED_MEDIA_TYPE':
      return t('errors.UNSUPPORTED_MEDIA_TYPE');
    case 'NOT_FOUND':
      return t('errors.NOT_FOUND');
    case 'VAULT_NOT_INITIALIZED':
      return t('errors.VAULT_NOT_INITIALIZED');
    case 'VAULT_ALREADY_INITIALIZED':
      return t('errors.VAULT_ALREADY_INITIALIZED');
    case 'VAULT_LOCKED':
      return t('errors.VAULT_LOCKED');
    case 'WRONG_PASSPHRASE':
      return t('errors.WRONG_PASSPHRASE');
    case 'TOO_MANY_ATTEMPTS':
      return t('errors.TOO_MANY_ATTEMPTS');
    case 'PASSPHRASE_REQUIRED':
      return t('errors.PASSPHRASE_REQUIRED');
    case 'PROTECTOR_UNAVAILABLE':
      return t('errors.PROTECTOR_UNAVAILABLE');
    case 'KEY_NOT_FOUND':
      return t('errors.KEY_NOT_FOUND');
    case 'KEY_HAS_NO_PRIVATE_PART':
      return t('errors.KEY_HAS_NO_PRIVATE_PART');
    case 'DUPLICATE_KEY':
      return t('errors.DUPLICATE_KEY');
    case 'MALFORMED_KEY':
      return t('errors.MALFORMED_KEY');
    case 'UNSUPPORTED_KEY':
      return t('errors.UNSUPPORTED_KEY');
    case 'KEY_TOO_SMALL':
      return t('errors.KEY_TOO_SMALL');
    case 'UNSUPPORTED_ALG':
      return t('errors.UNSUPPORTED_ALG');
    case 'CONFIRMATION_REQUIRED':
      return t('errors.CONFIRMATION_REQUIRED');
    case 'DECRYPT_FAILED':
      return t('errors.DECRYPT_FAILED');
    case 'STORE_UNAVAILABLE':
      return t('errors.STORE_UNAVAILABLE');
    case 'SERVER_NOT_RUNNING':
      return t('errors.SERVER_NOT_RUNNING');
    case 'SERVER_REJECTED':
      // The embedded server's Management API refused the request: its own (Auth0-style) message says why,
      // word for word, as Auth0 would (e.g. "Array is too long (3), maximum 2").
      return null;
    default:
      // A code this renderer has no words for yet (the contract grew): the core's message is shown instead.
      return null;
  }
}

/** Describes any thrown value for the user. */
export function describeError(t: TFunction, error: unknown): ErrorText {
  if (error instanceof ApiError) {
    const message = errorCodeMessage(t, error.code);
    const server = error.message.trim();
    if (message === null) return { message: server || t('errors.unexpected'), detail: null };
    return { message, detail: SELF_EXPLANATORY.has(error.code) || !server || server === message ? null : server };
  }
  return { message: t('errors.unexpected'), detail: error instanceof Error && error.message ? error.message : null };
}
