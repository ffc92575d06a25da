/**
 * i18next for the renderer: three complete catalogues bundled in (no network, so it works offline
 * and under a `default-src 'self'` CSP), the language chosen from settings or the system.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import frCA from './locales/fr-CA.json';
import jaJP from './locales/ja-JP.json';
import type { LanguagePreference } from './language';
import { resolveLanguage } from './language';
import { LANGUAGES } from '../../../shared/schemas/settings';
import type { Language } from '../../../shared/schemas/settings';

/**
 * Every catalogue, keyed by language. Not typed as English's shape: plural keys differ by language
 * (Japanese has only `_other`); test/unit/i18n/catalogues.test.ts checks the keys instead.
 */
export const catalogues: Record<Language, object> = { en, 'fr-CA': frCA, 'ja-JP': jaJP };

let preference: LanguagePreference = 'system';

function systemLanguages(): readonly string[] {
  if (navigator.languages.length > 0) return navigator.languages;
  return navigator.language ? [navigator.language] : [];
}

function setDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
}

/** Initialises i18next synchronously with the system language; settings may override it later. */
export function initI18n(): void {
  const language = resolveLanguage('system', systemLanguages());
  void i18next.use(initReactI18next).init({
    resources: {
      en: { translation: en },
      'fr-CA': { translation: frCA },
      'ja-JP': { translation: jaJP },
    },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    load: 'currentOnly',
    initAsync: false,
    returnEmptyString: false,
    // React already escapes text; escaping here would double-escape names such as "A & B".
    interpolation: { escapeValue: false },
  });
  setDocumentLanguage(language);
  // When the preference is `system`, follow the OS or browser if its language changes while Parley runs.
  window.addEventListener('languagechange', () => {
    if (preference === 'system') applyLanguagePreference('system');
  });
}

/** Applies a language preference at once: switches the catalogue and sets `<html lang>`. */
export function applyLanguagePreference(next: LanguagePreference): void {
  preference = next;
  const language = resolveLanguage(next, systemLanguages());
  if (i18next.language !== language) void i18next.changeLanguage(language);
  setDocumentLanguage(language);
}
