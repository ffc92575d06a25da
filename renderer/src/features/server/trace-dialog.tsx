/**
 * One request's trace: what was asked, what was answered, and every rule the server applied in order,
 * failures first, each with expected and actual values, its source, and how to fix a failure.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestTrace } from '../../../../shared/schemas/server';
import type { RuleOutcome } from '../../../../shared/jwt/rule';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { cx } from '../../components/class-names';
import { Dialog } from '../../components/dialog';
import { RuleDetail, RuleIcon, RuleValue, RuleValues } from '../../components/rule-parts';
import { formatDate, formatTime, labelGap } from '../../i18n/format';
import { useRuleWords } from '../../i18n/rule-text';
import { orderedRules } from './client-model';
import { statusTone } from './server-labels';
import { explainTrace, traceLabel } from '../../../../shared/explain/explain';
import { ExplainView } from '../explain/explain-view';

/** Props of TraceDialog. */
export interface TraceDialogProps {
  trace: RequestTrace;
  clientName: string | null;
  onClose: () => void;
}

/** The trace of one request. */
export function TraceDialog({ trace, clientName, onClose }: TraceDialogProps) {
  const { t, i18n } = useTranslation();
  const rulesId = useId();
  const rules = orderedRules(trace);
  const failed = rules.filter((r) => !r.passed).length;
  // The same rules, explained: the deciding rule on top, each with its sentence, source links and fix.
  const [explaining, setExplaining] = useState(false);

  return (
    <Dialog
      title={`${trace.method} ${trace.path}`}
      onClose={onClose}
      size="lg"
      footer={
        <>
          {rules.length > 0 && <Button onClick={() => setExplaining((x) => !x)}>{explaining ? t('explain.showTrace') : t('explain.button')}</Button>}
          <Button onClick={onClose} data-autofocus>
            {t('common.close')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <dl className="facts facts-compact">
          <dt>{t('server.logs.time')}</dt>
          <dd>
            {formatDate(trace.at, i18n.language)} {formatTime(trace.at, i18n.language)}
          </dd>
          <dt>{t('server.logs.endpoint')}</dt>
          <dd className="mono">{trace.endpoint}</dd>
          <dt>{t('server.logs.client')}</dt>
          <dd>
            {trace.clientId ? (
              <span className="mono break">{clientName ? `${clientName} (${trace.clientId})` : trace.clientId}</span>
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          <dt>{t('server.logs.status')}</dt>
          <dd>
            <Badge tone={statusTone(trace.status)}>{trace.status}</Badge>
          </dd>
          <dt>{t('server.trace.duration')}</dt>
          <dd>{t('server.trace.ms', { ms: trace.durationMs })}</dd>
          {trace.error && (
            <>
              <dt>{t('server.trace.error')}</dt>
              <dd className="mono break">
                {trace.error}
                {trace.errorDescription ? ` — ${trace.errorDescription}` : ''}
              </dd>
            </>
          )}
        </dl>

        {explaining ? (
          <section aria-labelledby={rulesId} className="stack-sm">
            <h3 id={rulesId} className="section-title">
              {t('explain.explanation')}
            </h3>
            <ExplainView explanation={explainTrace(trace)} copyTitle={traceLabel(trace)} />
          </section>
        ) : (
          <section aria-labelledby={rulesId} className="stack-sm">
            <h3 id={rulesId} className="section-title">
              {t('server.trace.rules', { count: rules.length })} {failed > 0 && <Badge tone="danger">{t('server.trace.failedCount', { count: failed })}</Badge>}
            </h3>
            {rules.length === 0 ? (
              <p className="muted">{t('server.trace.noRules')}</p>
            ) : (
              <ol className="rule-list">
                {rules.map((rule, index) => (
                  <RuleItem key={`${rule.id}-${index}`} rule={rule} />
                ))}
              </ol>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}

/** One rule outcome: id, message, expected and actual, source, and the fix when it failed. */
export function RuleItem({ rule }: { rule: RuleOutcome }) {
  const { t, i18n } = useTranslation();
  const gap = labelGap(i18n.language);
  const words = useRuleWords()(rule);
  return (
    <li className={cx('rule', rule.passed ? 'rule-passed' : 'rule-failed')}>
      <div className="rule-header">
        <RuleIcon passed={rule.passed} />
        <span className="sr-only">{rule.passed ? t('server.trace.passed') : t('server.trace.failed')}</span>
        <Badge tone={rule.passed ? 'success' : 'danger'}>{rule.id}</Badge>
        <span className="rule-message" lang={words.summaryLang}>
          {words.message}
        </span>
      </div>
      <RuleDetail detail={words.detail} />
      <RuleValues expected={rule.expected} actual={rule.actual} />
      {rule.note && (
        <p className="rule-note">
          <strong>{t('server.trace.note')}</strong>
          {gap}
          <RuleValue text={rule.note} />
        </p>
      )}
      {rule.source && (
        <p className="muted small">
          {t('server.trace.source')}
          {gap}
          {rule.source}
        </p>
      )}
      {!rule.passed && words.fix && (
        <p className="rule-fix">
          <strong>{t('server.trace.fix')}</strong>
          {gap}
          <span lang={words.fixLang}>{words.fix}</span>
        </p>
      )}
    </li>
  );
}
