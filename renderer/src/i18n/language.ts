import type { Language, Settings } from '../../../shared/schemas/settings';
/**
 * Which catalogue to show. Pure functions, so the choice can be tested without a DOM.
 */

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
 * (navigator.languages) and takes the first one Parley has a catalogue for, else English.
 */
export function resolveLanguage(preference: LanguagePreference, systemLanguages: readonly string[]): Language {
  if (preference !== 'system') return preference;
  for (const tag of systemLanguages) {
    const found = catalogueFor(tag);
    if (found) return found;
  }
  return 'en';
}
