/**
 * An explanation's words in the UI language, without React: the verdict, a subject's name, a note, why a
 * rule was not evaluated. The Explain view shows them; the copied text (shared/explain/text.ts) is made of
 * the same words, so what is pasted into a ticket says what the screen said.
 */
import type { TFunction } from 'i18next';
import type { ExplainItem, ExplainNote, Explanation, ExplainSubject } from '../../../../shared/explain/explain';
import type { ExplanationWords } from '../../../../shared/explain/text';
import { labelGap } from '../../i18n/format';
import { ruleWords } from '../../i18n/rule-text';
import type { Translate } from '../../i18n/rule-values';
import { ruleValueText } from '../../i18n/rule-values';
import { dpopTextWords } from './dpop-words';

/** The translated name of an item's subject (an HTTP exchange keeps its own label). */
export function subjectLabel(t: TFunction, subject: ExplainSubject | undefined): string | null {
  if (!subject) return null;
  switch (subject.kind) {
    case 'request':
      return t('explain.subject.request');
    case 'requestObject':
      return t('explain.subject.requestObject');
    case 'clientAssertion':
      return t('explain.subject.clientAssertion');
    case 'idToken':
      return t('explain.subject.idToken');
    case 'accessToken':
      return t('explain.subject.accessToken');
    case 'http':
      return subject.label ?? null;
  }
}

/** A note under the explanation, in the UI's words. */
export function noteText(t: TFunction, note: ExplainNote): string {
  const subject = subjectLabel(t, note.subject) ?? '';
  switch (note.code) {
    case 'no-rules':
      return t('explain.notes.noRules');
    case 'signature-not-checked':
      return t('explain.notes.signatureNotChecked', { subject });
    case 'key-invalid':
      return t('explain.notes.keyInvalid', { detail: note.detail ?? '' });
    case 'no-jwt':
      return t('explain.notes.noJwt');
    case 'pushed-request':
      return t('explain.notes.pushedRequest');
  }
}

/** The verdict in one line, from the numbers: never "all passed" while a rule is not evaluated. */
export function verdictText(t: TFunction, explanation: Explanation): string {
  const { verdict, items } = explanation;
  if (items.length === 0) return t('explain.verdict.none');
  if (verdict.first) {
    const failed = t('explain.verdict.failed', { rule: verdict.first.id, failed: verdict.failed, count: items.length });
    return verdict.notEvaluated > 0 ? `${failed} ${t('explain.verdict.alsoNotEvaluated', { count: verdict.notEvaluated })}` : failed;
  }
  if (verdict.notEvaluated > 0) return t('explain.verdict.incomplete', { passed: verdict.passed, notEvaluated: verdict.notEvaluated });
  return t('explain.verdict.passed', { count: items.length });
}

/** Why a rule was not evaluated, as a sentence saying what to give. */
export function reasonText(t: TFunction, item: ExplainItem): string {
  switch (item.reason) {
    case 'issuer-missing':
    default:
      return t('explain.notEvaluated.issuerMissing');
  }
}

/**
 * The words of a copied explanation in `language`: the same labels, rule sentences (./rule-text) and value
 * phrases (./rule-values) the Explain view shows; English shows the rules' own text.
 */
export function explanationWords(t: TFunction, language: string): ExplanationWords {
  // The value table's keys are built at run time (`ruleValues.<key>`), which the typed `t` cannot see.
  const lookup = t as unknown as Translate;
  return {
    verdict: (explanation) => {
      const first = explanation.verdict.first ? explanation.items.find((i) => i.status === 'failed' && i.id === explanation.verdict.first?.id) : undefined;
      const message = first ? ruleWords(language, { id: first.id, summary: first.sentence, message: first.message, fix: first.fix }).message : null;
      return message === null ? verdictText(t, explanation) : `${verdictText(t, explanation)}${labelGap(language)}${message}`;
    },
    item: (item) => {
      const w = ruleWords(language, { id: item.id, summary: item.sentence, message: item.message, fix: item.fix, passed: item.passed });
      return { message: w.message, summary: w.summary, fix: w.fix, detail: w.detail };
    },
    value: (text) => ruleValueText(language, text, lookup).text,
    subject: (subject) => subjectLabel(t, subject),
    notEvaluated: (item) => reasonText(t, item),
    note: (note) => noteText(t, note),
    passed: (count) => t('explain.passedSummary', { count }),
    labels: {
      rule: t('explain.rule'),
      expected: t('explain.copy.expected'),
      actual: t('explain.copy.actual'),
      source: t('server.trace.source'),
      fix: t('server.trace.fix'),
      detail: t('server.trace.detail'),
      notEvaluated: t('explain.notEvaluated.status'),
    },
    gap: labelGap(language),
    dpop: dpopTextWords(t, language),
  };
}
