/**
 * Which catalogue to show: the pure choice lives in shared/i18n/language.ts, where the desktop shell's
 * native menu takes its language from too.
 */
export { catalogueFor, resolveLanguage } from '../../../shared/i18n/language';
export type { LanguagePreference } from '../../../shared/i18n/language';
