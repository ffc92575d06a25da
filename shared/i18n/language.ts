/**
 * Which UI language to show, from a preference and the system's ordered languages. Pure functions, shared by
 * the renderer (its catalogues) and the desktop shell (the native menu's labels), so both pick the same one.
 */
import type { Language, Settings } from '../schemas/settings';

/** A language preference as stored in settings: a catalogue, or `system`. */
export type LanguagePreference = Settings['language'];

/** The catalogue for one BCP 47 tag, or null when Parley has none for its language. */
export function catalogueFor(tag: string): Language | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'fr') return 'fr-CA';
  if (primary === 'ja') return 'ja-JP';
  if (primary === 'en') return 'en';
  return null;
}

/**
 * The language to show. An explicit choice wins; `system` walks the user's ordered preferences
 * (navigator.languages, or Electron's app.getPreferredSystemLanguages()) and takes the first one Parley
 * has a catalogue for, else English.
 */
export function resolveLanguage(preference: LanguagePreference, systemLanguages: readonly string[]): Language {
  if (preference !== 'system') return preference;
  for (const tag of systemLanguages) {
    const found = catalogueFor(tag);
    if (found) return found;
  }
  return 'en';
}
