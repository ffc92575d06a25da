/** Locale-aware formatting of dates, in the active UI language. */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language}|${withTime ? 't' : 'd'}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    cache.set(key, f);
  }
  return f;
}

/** Formats an ISO 8601 instant as a date and time; an unparsable value is shown as it came. */
export function formatDateTime(iso: string, language: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter(language, true).format(d);
}

/** Formats an ISO 8601 instant as a date only. */
export function formatDate(iso: string, language: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter(language, false).format(d);
}

const timeCache = new Map<string, Intl.DateTimeFormat>();

/** Formats an ISO 8601 instant as a time with seconds (for request logs); an unparsable value is shown as it came. */
export function formatTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let f = timeCache.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { timeStyle: 'medium' });
    timeCache.set(language, f);
  }
  return f.format(d);
}

/**
 * The space between a label ("Source:", "出典：") or a sentence and what follows it in the same line. Japanese
 * puts none: the full-width ：and 。 carry their own spacing, and a half-width space after them reads as a gap.
 */
export function labelGap(language: string): string {
  return language.toLowerCase().startsWith('ja') ? '' : ' ';
}

/**
 * What follows a label written in running text ("Server time: …"): ": " in English, a no-break space and
 * ": " in French (as the catalogues' own labels write it), the full-width "：" in Japanese.
 */
export function labelColon(language: string): string {
  const lang = language.toLowerCase();
  return lang.startsWith('ja') ? '：' : lang.startsWith('fr') ? '\u00a0: ' : ': ';
}
