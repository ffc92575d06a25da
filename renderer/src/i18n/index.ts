/**
 * i18next for the renderer: three complete catalogues shipped with the app (no network, so it works offline
 * and under a `default-src 'self'` CSP), the language chosen from settings or the system.
 *
 * English is in the first chunk: it is the fallback of every key, and the first screen must never show a key.
 * French and Japanese are chunks of their own, loaded before they are shown (main.tsx waits for the system's
 * or the settings' language before the first render; a language chosen later switches once its catalogue is in).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import type { LanguagePreference } from './language';
import { resolveLanguage } from './language';
import type { Language } from '../../../shared/schemas/settings';

type Catalogue = Record<string, unknown>;

/**
 * How to get each catalogue. Not typed as English's shape: plural keys differ by language (Japanese has only
 * `_other`); test/unit/renderer/src/i18n/catalogues.test.ts checks the keys instead. Typed by `Language`, so a language
 * added to settings without a catalogue here fails to compile.
 */
const CATALOGUES: Record<Language, () => Promise<Catalogue>> = {
  en: () => Promise.resolve(en),
  'fr-CA': () => import('./locales/fr-CA.json').then((m) => m.default),
  'ja-JP': () => import('./locales/ja-JP.json').then((m) => m.default),
};

let preference: LanguagePreference = 'system';
/** The language last asked for: a slower catalogue that arrives after a newer choice is not applied. */
let wanted: Language = 'en';

function systemLanguages(): readonly string[] {
  if (navigator.languages.length > 0) return navigator.languages;
  return navigator.language ? [navigator.language] : [];
}

function setDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
}

/** Adds a language's catalogue to i18next once (English is there from the start). */
async function ensureCatalogue(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, 'translation')) return;
  const catalogue = await CATALOGUES[language]();
  i18next.addResourceBundle(language, 'translation', catalogue, true, false);
}

/**
 * Initialises i18next with the system language (settings may override it later). Resolves once that
 * language's catalogue is in, so the first render is in it; if it cannot be loaded, English is shown.
 */
export async function initI18n(): Promise<void> {
  const language = resolveLanguage('system', systemLanguages());
  wanted = language;
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: Object.keys(CATALOGUES),
    load: 'currentOnly',
    initAsync: false,
    returnEmptyString: false,
    // React already escapes text; escaping here would double-escape names such as "A & B".
    interpolation: { escapeValue: false },
  });
  setDocumentLanguage('en');
  // When the preference is `system`, follow the OS or browser if its language changes while Parley runs.
  window.addEventListener('languagechange', () => {
    if (preference === 'system') void applyLanguagePreference('system');
  });
  if (language !== 'en') await switchTo(language);
}

/** Switches to a language once its catalogue is in, unless another language was asked for meanwhile. */
async function switchTo(language: Language): Promise<void> {
  try {
    await ensureCatalogue(language);
  } catch (e) {
    // Only a broken build gets here (the catalogue is a file beside the page): stay in the current language.
    console.error(`[parley] the ${language} catalogue could not be loaded:`, e);
    return;
  }
  if (wanted !== language) return;
  if (i18next.language !== language) await i18next.changeLanguage(language);
  setDocumentLanguage(language);
}

/**
 * Applies a language preference: switches the catalogue (loading it first if needed) and sets `<html lang>`.
 * Resolves once done (or once a newer choice has taken over); never rejects.
 */
export function applyLanguagePreference(next: LanguagePreference): Promise<void> {
  preference = next;
  const language = resolveLanguage(next, systemLanguages());
  wanted = language;
  return switchTo(language);
}
