/**
 * Lists inside sentences, in the UI language: "A, B and C", "A, B et C", "A、B、C". A `', '` join reads as
 * English punctuation in Japanese and drops the conjunction everywhere.
 */

const cache = new Map<string, Intl.ListFormat>();

/** Joins items as a list ("and") in the language given (the UI language: i18n.language). */
export function formatList(items: readonly string[], language: string): string {
  let f = cache.get(language);
  if (!f) {
    f = new Intl.ListFormat(language, { type: 'conjunction', style: 'long' });
    cache.set(language, f);
  }
  return f.format(items);
}
