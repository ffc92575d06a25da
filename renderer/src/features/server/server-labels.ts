/**
 * Words for server facts. Every label goes through a literal `t()` key (so the catalogue test sees it),
 * and each switch is exhaustive (so a new value in the model fails the typecheck here).
 */
import type { TFunction } from 'i18next';
import type { ServerSettings } from '../../../../shared/schemas/server';
import type { AppType, AuthMethod, Slot } from './client-model';
import { APP_TYPES } from './client-model';

/** The dashboard's name of an authentication method. */
export function authMethodLabel(t: TFunction, method: AuthMethod): string {
  switch (method) {
    case 'client_secret_post':
      return t('server.authMethod.client_secret_post');
    case 'client_secret_basic':
      return t('server.authMethod.client_secret_basic');
    case 'private_key_jwt':
      return t('server.authMethod.private_key_jwt');
    case 'none':
      return t('server.authMethod.none');
  }
}

/** A sentence under each authentication method. */
export function authMethodHint(t: TFunction, method: AuthMethod): string {
  switch (method) {
    case 'client_secret_post':
      return t('server.authMethod.client_secret_postHint');
    case 'client_secret_basic':
      return t('server.authMethod.client_secret_basicHint');
    case 'private_key_jwt':
      return t('server.authMethod.private_key_jwtHint');
    case 'none':
      return t('server.authMethod.noneHint');
  }
}

/** Whether a string is an application type the UI knows. */
export function isAppType(value: unknown): value is AppType {
  return typeof value === 'string' && (APP_TYPES as readonly string[]).includes(value);
}

/** The dashboard's name of an application type; unknown types are shown as Auth0 spells them. */
export function appTypeLabel(t: TFunction, appType: unknown): string {
  if (!isAppType(appType)) return typeof appType === 'string' && appType ? appType : t('common.unknown');
  switch (appType) {
    case 'regular_web':
      return t('server.appType.regular_web');
    case 'spa':
      return t('server.appType.spa');
    case 'native':
      return t('server.appType.native');
    case 'non_interactive':
      return t('server.appType.non_interactive');
  }
}

/** The short name of a credential slot. */
export function slotLabel(t: TFunction, slot: Slot): string {
  switch (slot) {
    case 'private_key_jwt':
      return t('server.slot.private_key_jwt');
    case 'signed_request_object':
      return t('server.slot.signed_request_object');
  }
}

/** The long name of a credential slot (what it is used for). */
export function slotLongLabel(t: TFunction, slot: Slot): string {
  switch (slot) {
    case 'private_key_jwt':
      return t('server.slot.private_key_jwtLong');
    case 'signed_request_object':
      return t('server.slot.signed_request_objectLong');
  }
}

/** The name of a server profile. */
export function profileLabel(t: TFunction, profile: ServerSettings['profile']): string {
  switch (profile) {
    case 'auth0':
      return t('server.profile.auth0');
    case 'strict':
      return t('server.profile.strict');
  }
}

/** The tone of an HTTP status: success below 300, neutral for redirects, warning for 4xx, danger for 5xx. */
export function statusTone(status: number): 'success' | 'neutral' | 'warning' | 'danger' {
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warning';
  if (status >= 300) return 'neutral';
  return 'success';
}
