/**
 * A rule's expected and actual values, and the note on a passed rule, in the UI language. The server and
 * shared/jwt write them in English (a trace is wire data: the CLI, the logs and case files keep it), mixing
 * fixed phrases ("(absent)", "an unused jti", "exp − now = -60 s") with the request's values (URLs, ids,
 * numbers, claim names). The renderer translates them as it shows them:
 *
 * - a text that is only values (see `isRuleValue`) is shown as it is, in every language;
 * - a fixed phrase is looked up in a table: the `ruleValues` section of the UI catalogues, whose English text
 *   is the phrase itself with `{{placeholders}}` where the values go ("{{n}} bytes", "kid {{kid}} (the
 *   {{slot}} credential {{credential}})"). A placeholder's text must itself be a value or a phrase of the table
 *   (translated in turn), except `{{name}}`, a display name shown as it is;
 * - "(absent)" and "(empty)" inside a text of values are translated in place ("nbf = (absent), exp = 1767…").
 *
 * Anything else stays English, marked `lang="en"` by the caller. test/unit/renderer/src/i18n/rule-values.test.ts runs real
 * requests against the embedded server, break-it runs and lints, and requires every text they produce to be a
 * value or covered by the table.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import en from './locales/en.json';

/** The catalogue's lookup, as i18next's `t` (key and interpolation values). */
export type Translate = (key: string, values: Record<string, string>) => string;

/**
 * Protocol words that are values although they are plain lowercase words: JWT and OAuth member names and
 * values the rules quote (never an English word of a sentence: "none" is the alg and the prompt value).
 */
const PROTOCOL_WORDS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'typ',
  'alg',
  'kid',
  'cty',
  'crit',
  'nonce',
  'scope',
  'state',
  'prompt',
  'request',
  'audience',
  'code',
  'plain',
  'none',
  'query',
  'fragment',
  'true',
  'false',
  'null',
  'openid',
  'profile',
  'email',
  'login',
  'consent',
  'jar',
  'par',
  'pem',
]);

/** A whitespace-separated piece of a value: an operator, a number, a URL or path, an identifier or a protocol word. */
function isValueToken(token: string): boolean {
  // Operators and separators on their own ("=", "−", "≤", "|", "vs").
  if (/^[=−≤≥<>|+*,;:–-]+$/.test(token)) return true;
  // A JSON string ("jwt", "oauth-authz-req+jwt") is a value whatever it says.
  if (/^\[?"[^"]*"[\],;]*$/.test(token)) return true;
  const core = token.replace(/^[([{"']+/, '').replace(/[)\]}"',;:]+$/, '');
  if (core === '') return true;
  if (/^-?\d[\d.,]*$/.test(core)) return true;
  if (/^(?:[a-z][a-z+.-]*:\/\/|urn:|\/)/i.test(core)) return true;
  // Identifiers: ids, kids, thumbprints, member names with "_", algs ("RS256"), media types, "a=b" pairs.
  if (/[0-9_./:+|=$@~{}[\],"-]/.test(core) || /[A-Z]/.test(core)) return true;
  return PROTOCOL_WORDS.has(core);
}

/** Whether a text is only values (shown as it is in every language): no word of an English phrase in it. */
export function isRuleValue(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && trimmed.split(/\s+/).every(isValueToken);
}

interface Template {
  key: string;
  pattern: RegExp;
  names: string[];
  /** Characters outside placeholders: the more, the more specific ("{{a}} or {{b}}" comes last). */
  literal: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The table: each English phrase of `ruleValues` as a pattern capturing its placeholders, most specific first. */
const TEMPLATES: readonly Template[] = Object.entries(en.ruleValues as Record<string, string>)
  .map(([key, text]) => {
    const parts = text.split(/\{\{(\w+)\}\}/);
    const names = parts.filter((_, i) => i % 2 === 1);
    const source = parts.map((part, i) => (i % 2 === 1 ? '(.+?)' : escapeRegExp(part))).join('');
    return { key, pattern: new RegExp(`^${source}$`), names, literal: parts.filter((_, i) => i % 2 === 0).join('').length };
  })
  .sort((a, b) => b.literal - a.literal);

/** Markers translated wherever they stand in a text of values. */
const MARKERS = [
  { text: '(absent)', key: 'absent' },
  { text: '(empty)', key: 'empty' },
] as const;

/** The translation of a rule's value text, or null when part of it is English the table does not cover. */
export function translateRuleValue(text: string, t: Translate, depth = 0): string | null {
  if (isRuleValue(text)) return text;
  if (depth > 4) return null;
  for (const template of TEMPLATES) {
    const match = template.pattern.exec(text);
    if (!match) continue;
    const values: Record<string, string> = {};
    const filled = template.names.every((name, i) => {
      const captured = match[i + 1] ?? '';
      const translated = name === 'name' ? captured : translateRuleValue(captured, t, depth + 1);
      if (translated === null) return false;
      values[name] = translated;
      return true;
    });
    if (filled) return t(`ruleValues.${template.key}`, values);
  }
  const present = MARKERS.filter((m) => text.includes(m.text));
  if (present.length > 0) {
    const rest = present.reduce((s, m) => s.split(m.text).join(' '), text);
    if (rest.trim() === '' || isRuleValue(rest)) return present.reduce((s, m) => s.split(m.text).join(t(`ruleValues.${m.key}`, {})), text);
  }
  return null;
}

/** A value text for display: translated where the table covers it, else the English marked as such. */
export interface RuleValueText {
  text: string;
  lang: 'en' | undefined;
}

/** A rule's value text in a language (English shows the rule's own text). */
export function ruleValueText(language: string, text: string, t: Translate): RuleValueText {
  if (language === 'en' || language.startsWith('en-')) return { text, lang: undefined };
  const translated = translateRuleValue(text, t);
  return translated === null ? { text, lang: 'en' } : { text: translated, lang: undefined };
}

/** `ruleValueText` bound to the UI language, for components. */
export function useRuleValue(): (text: string) => RuleValueText {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  // The keys are built from the table (`ruleValues.<key>`), which the typed `t` cannot see: look them up untyped.
  const lookup = t as unknown as Translate;
  return useCallback((text: string) => ruleValueText(language, text, lookup), [language, lookup]);
}
