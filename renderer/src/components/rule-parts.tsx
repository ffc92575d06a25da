/** Parts of a rule outcome shared by the trace dialog and the Explain view: its mark and its values. */
import { useTranslation } from 'react-i18next';
import { labelGap } from '../i18n/format';
import { useRuleValue } from '../i18n/rule-values';

/**
 * One of a rule's value texts (expected, actual, a passed rule's note) in the UI language: values as they are,
 * the server's fixed English phrases translated (../i18n/rule-values.ts); English left over is marked so.
 */
export function RuleValue({ text }: { text: string }) {
  const shown = useRuleValue()(text);
  return <span lang={shown.lang}>{shown.text}</span>;
}

/** A rule's expected and actual values, when it has them. */
export function RuleValues({ expected, actual }: { expected: string | undefined; actual: string | undefined }) {
  const { t } = useTranslation();
  if (expected === undefined && actual === undefined) return null;
  return (
    <dl className="facts facts-compact rule-values">
      {expected !== undefined && (
        <>
          <dt>{t('server.trace.expected')}</dt>
          <dd>
            <code className="mono break">
              <RuleValue text={expected} />
            </code>
          </dd>
        </>
      )}
      {actual !== undefined && (
        <>
          <dt>{t('server.trace.actual')}</dt>
          <dd>
            <code className="mono break">
              <RuleValue text={actual} />
            </code>
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * In a translated UI, a failure's own sentence, which the rule built in English from the request's values
 * (the server's traces keep it so); it follows the translated summary, marked as English.
 */
export function RuleDetail({ detail }: { detail: string | null }) {
  const { t, i18n } = useTranslation();
  if (!detail) return null;
  return (
    <p className="rule-detail small">
      <span className="muted">{t('server.trace.detail')}</span>
      {labelGap(i18n.language)}
      <span lang="en">{detail}</span>
    </p>
  );
}

/** A passed (check) or failed (cross) mark; the words are given beside it for screen readers. */
export function RuleIcon({ passed }: { passed: boolean }) {
  return (
    <svg className="icon rule-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {passed ? (
        <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      )}
    </svg>
  );
}
