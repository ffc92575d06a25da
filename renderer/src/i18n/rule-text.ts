/**
 * Rule texts in the UI language. The rules (shared/jwt, the embedded server's checks) carry their summary,
 * failure message and fix in English: the server's traces, the headless CLI and the logs keep that English.
 * The renderer shows the same rules translated, looked up by rule id in a per-language rule catalogue
 * (./rules/{fr-CA,ja-JP}.json). English shows the outcome's own text, and so does any language whose
 * catalogue lacks the rule (marked `lang="en"`); test/unit/renderer/src/i18n/rule-texts.test.ts keeps the catalogues
 * complete. The failure message of one request (e.g. "The request object uses the HMAC alg HS256…") is
 * built at run time from the request's values: it stays English, shown as a detail after the translated
 * summary. Rule ids, claim and parameter names and error codes stay as they are in every language.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import frCA from './rules/fr-CA.json';
import jaJP from './rules/ja-JP.json';

/** The two JWTs whose rules share ids (JWT-1…JWT-10): their sentences name the token. */
export type RuleTokenKind = 'requestObject' | 'clientAssertion';

interface RuleTextEntry {
  summary: string;
  fix?: string;
  /** A sentence that differs for one token kind beyond the token's name (e.g. JWT-8's size limit). */
  byToken?: Partial<Record<RuleTokenKind, { summary?: string; fix?: string }>>;
}

/** One language's rule catalogue: the token names its sentences use, and the texts by rule id. */
export interface RuleTextCatalogue {
  tokens: Record<RuleTokenKind, string>;
  rules: Record<string, RuleTextEntry>;
}

/** The translated rule catalogues; English has none (the rules' own text is English). */
export const RULE_TEXT_CATALOGUES: Readonly<Record<string, RuleTextCatalogue>> = { 'fr-CA': frCA, 'ja-JP': jaJP };

/** What a rule outcome carries that the UI shows. */
export interface RuleTextSource {
  id: string;
  summary: string;
  /** The failure's own sentence (the summary again when it passed or has none). */
  message?: string;
  fix?: string;
  /** A passed rule's own sentence says nothing the translated summary and its values do not. */
  passed?: boolean;
}

/** A rule's words for the UI. */
export interface RuleWords {
  summary: string;
  /** What happened: the summary in a translated UI, the outcome's message in English. */
  message: string;
  fix: string;
  /** `en` when a text is the rule's English (no translation), so the span can say so; else undefined. */
  summaryLang: 'en' | undefined;
  fixLang: 'en' | undefined;
  /** In a translated UI, the failure's English sentence when it says more than the summary (never for a pass). */
  detail: string | null;
}

/** Which token a JWT-* rule's English sentence is about (the assertion's rules name it or its slot). */
export function ruleTokenKind(english: string): RuleTokenKind {
  return /client assertion|private_key_jwt/i.test(english) ? 'clientAssertion' : 'requestObject';
}

function fill(text: string, tokens: Record<RuleTokenKind, string>, kind: RuleTokenKind): string {
  return text.replace(/\{\{\s*token\s*\}\}/g, tokens[kind]);
}

/** The words of one rule outcome in a language (a BCP 47 tag as i18next reports it). */
export function ruleWords(language: string, rule: RuleTextSource): RuleWords {
  const english: RuleWords = {
    summary: rule.summary,
    message: rule.message ?? rule.summary,
    fix: rule.fix ?? '',
    summaryLang: undefined,
    fixLang: undefined,
    detail: null,
  };
  const catalogue = RULE_TEXT_CATALOGUES[language];
  if (!catalogue) return english;
  const entry = catalogue.rules[rule.id];
  if (!entry) return { ...english, summaryLang: 'en', fixLang: 'en' };
  const kind = ruleTokenKind(rule.summary);
  const variant = entry.byToken?.[kind];
  const summary = fill(variant?.summary ?? entry.summary, catalogue.tokens, kind);
  const translatedFix = variant?.fix ?? entry.fix;
  // A fix only where the rule has one: a rule without a fix in English shows none in any language.
  const fix = !rule.fix ? '' : translatedFix ? fill(translatedFix, catalogue.tokens, kind) : rule.fix;
  const message = rule.message ?? rule.summary;
  return {
    summary,
    message: summary,
    fix,
    summaryLang: undefined,
    fixLang: rule.fix && !translatedFix ? 'en' : undefined,
    // A pass's sentence ("The signature is valid: it verifies with kid …") repeats the summary and the values
    // in English; only a failure's says what went wrong with this request.
    detail: message !== rule.summary && rule.passed !== true ? message : null,
  };
}

/** `ruleWords` bound to the UI language, for components. */
export function useRuleWords(): (rule: RuleTextSource) => RuleWords {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback((rule: RuleTextSource) => ruleWords(language, rule), [language]);
}
