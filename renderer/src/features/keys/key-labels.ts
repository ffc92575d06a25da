/**
 * Words for key facts. Every label goes through a literal `t()` key (so the catalogue test sees it),
 * and each switch is exhaustive (so a new usage or warning in the schema fails the typecheck here).
 */
import type { TFunction } from 'i18next';
import type { KeySpec, KeySummary, KeyUsage, KeyWarning } from '../../../../shared/schemas/keys';
import { KEY_USAGES } from '../../../../shared/schemas/keys';

/** "RSA 2048", "EC P-256", "Ed25519". */
export function keyTypeLabel(t: TFunction, key: Pick<KeySummary, 'kty' | 'size' | 'crv'>): string {
  if (key.kty === 'RSA') return key.size ? t('keys.type.rsa', { size: key.size }) : t('keys.type.rsaUnknown');
  if (key.kty === 'OKP') return t('keys.type.okp', { curve: key.crv ?? 'OKP' });
  return key.crv ? t('keys.type.ec', { curve: key.crv }) : t('keys.type.ecUnknown');
}

/** The label of a generation spec, as offered in the Generate dialog. */
export function specLabel(t: TFunction, spec: KeySpec): string {
  if (spec.kty === 'RSA') return t('keys.type.rsa', { size: spec.modulusLength });
  return spec.kty === 'OKP' ? t('keys.type.okp', { curve: spec.crv }) : t('keys.type.ec', { curve: spec.crv });
}

/**
 * The usages a key type may have: Ed25519 keys sign DPoP proofs only, since Auth0 registers RSA credentials
 * alone for JAR and client authentication (the vault refuses the others with the same reason, CRD-2).
 */
export function usagesFor(kty: KeySummary['kty']): readonly KeyUsage[] {
  return kty === 'OKP' ? ['other'] : KEY_USAGES;
}

/**
 * The name the Generate dialog proposes: type, usages and the month-day, e.g. "RSA 2048 · JAR signing · 12-07",
 * so that a new user's first keys are told apart in every key picker without having to invent names.
 */
export function proposedKeyName(t: TFunction, spec: KeySpec, usages: readonly KeyUsage[], date: Date): string {
  const day = `${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return [specLabel(t, spec), ...(usages.length > 0 ? [usages.map((u) => usageLabel(t, u)).join(' + ')] : []), day].join(' · ');
}

/** The short name of a usage. */
export function usageLabel(t: TFunction, usage: KeyUsage): string {
  switch (usage) {
    case 'jar':
      return t('keys.usage.jar');
    case 'client-auth':
      return t('keys.usage.clientAuth');
    case 'other':
      return t('keys.usage.other');
  }
}

/** A sentence saying what a usage means. */
export function usageHint(t: TFunction, usage: KeyUsage): string {
  switch (usage) {
    case 'jar':
      return t('keys.usage.jarHint');
    case 'client-auth':
      return t('keys.usage.clientAuthHint');
    case 'other':
      return t('keys.usage.otherHint');
  }
}

/** A warning as a short badge. */
export function warningBadge(t: TFunction, warning: KeyWarning): string {
  switch (warning) {
    case 'reused-for-jar-and-client-auth':
      return t('keys.warning.reusedBadge');
    case 'certificate-expired':
      return t('keys.warning.certificateExpiredBadge');
    case 'key-expired':
      return t('keys.warning.keyExpiredBadge');
    case 'public-only':
      return t('keys.warning.publicOnlyBadge');
  }
}

/** A warning as a full sentence. */
export function warningText(t: TFunction, warning: KeyWarning): string {
  switch (warning) {
    case 'reused-for-jar-and-client-auth':
      return t('keys.warning.reused');
    case 'certificate-expired':
      return t('keys.warning.certificateExpired');
    case 'key-expired':
      return t('keys.warning.keyExpired');
    case 'public-only':
      return t('keys.warning.publicOnly');
  }
}

/** Whether a warning is informational (public-only) rather than a problem. */
export function warningTone(warning: KeyWarning): 'warning' | 'neutral' {
  return warning === 'public-only' ? 'neutral' : 'warning';
}

/** A thumbprint shortened for lists: the start and the end, which is what people compare. */
export function shortThumbprint(thumbprint: string): string {
  return thumbprint.length <= 16 ? thumbprint : `${thumbprint.slice(0, 8)}…${thumbprint.slice(-6)}`;
}
