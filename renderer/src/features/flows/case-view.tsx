/**
 * The case view, after an import: what the case is (who exported it, the issuer, the client recreated
 * under its recorded client_id, its public keys, its API grants and any left out), the recorded time the
 * replay ran at (the server's own clock is unchanged), and the replayed failing request with the server's
 * trace next to the recorded failure: the same rule and the same explanation, or what differs.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CaseGrantPlan, CaseImportResult, CaseRuleOutcome } from '../../../../shared/schemas/case';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatDateTime } from '../../i18n/format';
import { shortThumbprint } from '../keys/key-labels';
import { formatServerTime, offsetLabel } from '../server/clock-offset';
import { slotLabel } from '../server/server-labels';
import { kindLabel, stepLabel } from './flow-labels';
import { StepTraces } from './step-traces';

function notReplayedText(t: TFunction, replay: CaseImportResult['replay']): string {
  if (replay.status === 'nothing-failed') return t('flows.case.nothingFailed');
  switch (replay.reason) {
    case 'needs-authorization-code':
      return t('flows.case.needsCode');
    case 'not-recorded':
      return t('flows.case.notRecorded');
    default:
      return t('flows.case.clientSide');
  }
}

function Outcome({ label, outcome }: { label: string; outcome: CaseRuleOutcome | null }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {outcome ? (
          <span className="case-outcome">
            <Badge tone="danger">{outcome.ruleId}</Badge> <span>{outcome.message}</span>
          </span>
        ) : (
          <span className="muted">{t('flows.case.noRuleFailed')}</span>
        )}
      </dd>
    </>
  );
}

/** A case's API grants: audience and scopes, those left out marked. */
/** What a case recreates and replays, as the import preview and the import result both show it. */
type CaseReplayFactsData = Pick<CaseImportResult['summary'], 'credentials' | 'grants' | 'recordedAt' | 'clockOffsetSeconds' | 'failedStep' | 'recordedError'>;

export function CaseReplayFacts({ facts }: { facts: CaseReplayFactsData }) {
  const { t, i18n } = useTranslation();
  const failedStep = facts.failedStep ? stepLabel(t, facts.failedStep) : null;
  return (
    <>
      <dt>{t('flows.case.keys')}</dt>
      <dd>
        {facts.credentials.length === 0 ? (
          <span className="muted">{t('flows.case.noKeys')}</span>
        ) : (
          <ul className="case-keys">
            {facts.credentials.map((c) => (
              <li key={c.kid}>
                <code className="mono" title={c.kid}>
                  {shortThumbprint(c.kid)}
                </code>{' '}
                {c.alg}{' '}
                {c.slots.map((slot) => (
                  <Badge key={slot} tone="accent">
                    {slot === 'private_key_jwt' || slot === 'signed_request_object' ? slotLabel(t, slot) : slot}
                  </Badge>
                ))}{' '}
                {c.expires_at && <span className="muted">{t('flows.case.expires', { date: formatDateTime(c.expires_at, i18n.language) })}</span>}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>{t('flows.case.preview.grants')}</dt>
      <dd>
        <CaseGrants grants={facts.grants} />
      </dd>
      <dt>{t('flows.case.recordedAt')}</dt>
      <dd>{formatServerTime(Date.parse(facts.recordedAt), i18n.language)}</dd>
      <dt>{t('flows.case.clock')}</dt>
      <dd>{t('flows.case.clockSet', { offset: offsetLabel(t, facts.clockOffsetSeconds) })}</dd>
      {failedStep && (
        <>
          <dt>{t('flows.case.failedStep')}</dt>
          <dd>
            <strong>{failedStep}</strong>
            {facts.recordedError && <span className="case-recorded-error">{facts.recordedError}</span>}
          </dd>
        </>
      )}
    </>
  );
}

export function CaseGrants({ grants }: { grants: CaseGrantPlan[] }) {
  const { t } = useTranslation();
  if (grants.length === 0) return <span className="muted">{t('flows.case.preview.none')}</span>;
  return (
    <ul className="case-keys">
      {grants.map((g) => (
        <li key={g.audience}>
          <span className="mono break">{g.audience}</span> <span className="muted mono">{g.scope.join(' ')}</span>{' '}
          {!g.imported && <Badge tone="danger">{t('flows.case.preview.grantSkipped')}</Badge>}
        </li>
      ))}
    </ul>
  );
}

/** The case view dialog. */
export function CaseView({ result, onClose }: { result: CaseImportResult; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { summary, replay } = result;

  return (
    <Dialog
      size="lg"
      title={t('flows.case.title', { kind: kindLabel(t, summary.kind), target: summary.targetName })}
      description={t('flows.case.exportedBy', { version: summary.parleyVersion, date: formatDateTime(summary.exportedAt, i18n.language) })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose} data-autofocus>
          {t('common.close')}
        </Button>
      }
    >
      <div className="stack case-view">
        {replay.status === 'replayed' &&
          (replay.sameRule ? (
            <Banner
              tone="info"
              role="status"
              title={
                replay.sameMessage
                  ? t('flows.case.reproduced', { rule: replay.replayed?.ruleId ?? '' })
                  : t('flows.case.sameRuleOnly', { rule: replay.replayed?.ruleId ?? '' })
              }
            >
              <p>{t('flows.case.reproducedBody')}</p>
            </Banner>
          ) : (
            <Banner tone="warning" role="status" title={t('flows.case.different')}>
              <p>{t('flows.case.differentBody')}</p>
            </Banner>
          ))}
        {replay.status !== 'replayed' && (
          <Banner tone="info" role="status">
            <p>{notReplayedText(t, replay)}</p>
          </Banner>
        )}

        <section aria-labelledby="case-summary-title" className="stack-sm">
          <h3 id="case-summary-title" className="section-title">
            {t('flows.case.summary')}
          </h3>
          <dl className="facts facts-compact">
            <dt>{t('flows.case.issuer')}</dt>
            <dd className="mono break">{summary.issuer}</dd>
            <dt>{t('flows.case.client')}</dt>
            <dd>
              <span className="mono break">{summary.clientId}</span>{' '}
              <span className="muted">{summary.replacedClient ? t('flows.case.clientReplaced') : t('flows.case.clientCreated')}</span>
            </dd>
            <CaseReplayFacts facts={summary} />
          </dl>
        </section>

        {replay.status === 'replayed' && (
          <section aria-labelledby="case-replay-title" className="stack-sm">
            <h3 id="case-replay-title" className="section-title">
              {t('flows.case.replay')}
            </h3>
            <dl className="facts facts-compact">
              <Outcome label={t('flows.case.recorded')} outcome={replay.recorded} />
              <Outcome label={t('flows.case.replayed')} outcome={replay.replayed} />
            </dl>
            <StepTraces traces={replay.requests.map((r) => r.trace)} />
          </section>
        )}
        <p className="muted small">{t('flows.case.variants')}</p>
      </div>
    </Dialog>
  );
}
