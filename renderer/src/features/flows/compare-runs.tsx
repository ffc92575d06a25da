/**
 * Two runs side by side: each step's status, HTTP status, duration and error, then the differences of the
 * request parameters, the request object's claims and the ID token's claims. A difference is marked in
 * words ("Differs"), not by colour alone, and the number of differences is announced.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRun, FlowStep } from '../../../../shared/schemas/flows';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import type { DiffRow } from './compare-model';
import { diffRecords, idTokenClaims, requestObjectClaims, requestParameters, shorten, stepRows } from './compare-model';
import { kindLabel, runStatusLabel, stepLabel, stepStatusLabel, statusTone } from './flow-labels';

/** The compare panel of two runs (shown oldest first). */
export function CompareRuns({
  runs,
  nameOf,
  formatDate,
  onClose,
}: {
  runs: [FlowRun, FlowRun];
  nameOf: (targetId: string) => string;
  formatDate: (iso: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [a, b] = [...runs].sort((x, y) => x.startedAt.localeCompare(y.startedAt)) as [FlowRun, FlowRun];
  const steps = stepRows(a, b);
  const parameters = diffRecords(requestParameters(a), requestParameters(b));
  const requestObject = diffRecords(requestObjectClaims(a), requestObjectClaims(b));
  const idToken = diffRecords(idTokenClaims(a), idTokenClaims(b));
  const count = [...steps, ...parameters, ...requestObject, ...idToken].filter((r) => r.differs).length;
  const runHeader = (n: number) => t('flows.compare.run', { n });

  return (
    <section className="card stack flow-compare" aria-labelledby="flows-compare-title">
      <header className="section-header">
        <h2 id="flows-compare-title" className="section-title">
          {t('flows.compare.title')}
        </h2>
        <Button size="sm" onClick={onClose}>
          {t('flows.compare.close')}
        </Button>
      </header>
      <dl className="flow-compare-legend">
        {[a, b].map((run, i) => (
          <div key={run.id}>
            <dt>{runHeader(i + 1)}</dt>
            <dd>
              {t('flows.compare.runSummary', { kind: kindLabel(t, run.kind), target: nameOf(run.targetId), date: formatDate(run.startedAt) })}{' '}
              <Badge tone={statusTone(run.status)}>{runStatusLabel(t, run.status)}</Badge>
            </dd>
          </div>
        ))}
      </dl>
      <p className="flow-compare-summary" role="status">
        {count === 0 ? t('flows.compare.identical') : t('flows.compare.differences', { count })}
      </p>

      <CompareTable caption={t('flows.compare.steps')} firstColumn={t('flows.compare.step')} runHeader={runHeader}>
        {steps.map((row) => (
          <Row key={row.name} name={stepLabel(t, row.name)} differs={row.differs} a={<StepCell step={row.a} />} b={<StepCell step={row.b} />} />
        ))}
      </CompareTable>

      <DiffTable caption={t('flows.compare.parameters')} firstColumn={t('flows.compare.parameter')} rows={parameters} runHeader={runHeader} />
      <DiffTable caption={t('flows.compare.requestObject')} firstColumn={t('flows.compare.claim')} rows={requestObject} runHeader={runHeader} />
      <DiffTable caption={t('flows.compare.idToken')} firstColumn={t('flows.compare.claim')} rows={idToken} runHeader={runHeader} />
    </section>
  );
}

function CompareTable({
  caption,
  firstColumn,
  runHeader,
  children,
}: {
  caption: string;
  firstColumn: string;
  runHeader: (n: number) => string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="flow-compare-table-wrap">
      <table className="data-table flow-compare-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            <th scope="col">{runHeader(1)}</th>
            <th scope="col">{runHeader(2)}</th>
            <th scope="col">{t('flows.compare.difference')}</th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function Row({ name, differs, a, b, mono = false }: { name: string; differs: boolean; a: ReactNode; b: ReactNode; mono?: boolean }) {
  const { t } = useTranslation();
  return (
    <tr className={differs ? 'is-different' : undefined}>
      <th scope="row" className={mono ? 'mono' : undefined}>
        {name}
      </th>
      <td>{a}</td>
      <td>{b}</td>
      <td className="flow-compare-verdict">
        {differs ? <Badge tone="warning">{t('flows.compare.differs')}</Badge> : <span className="muted">{t('flows.compare.same')}</span>}
      </td>
    </tr>
  );
}

function DiffTable({ caption, firstColumn, rows, runHeader }: { caption: string; firstColumn: string; rows: DiffRow[]; runHeader: (n: number) => string }) {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return <p className="muted flow-compare-empty">{t('flows.compare.none', { what: caption })}</p>;
  }
  const cell = (value: string | undefined) =>
    value === undefined ? <span className="muted">{t('flows.compare.absent')}</span> : <code className="flow-compare-value">{shorten(value)}</code>;
  return (
    <CompareTable caption={caption} firstColumn={firstColumn} runHeader={runHeader}>
      {rows.map((row) => (
        <Row key={row.key} name={row.key} mono differs={row.differs} a={cell(row.a)} b={cell(row.b)} />
      ))}
    </CompareTable>
  );
}

function StepCell({ step }: { step: FlowStep | undefined }) {
  const { t } = useTranslation();
  if (!step) return <span className="muted">{t('flows.compare.absent')}</span>;
  const http = step.exchange?.response?.status;
  return (
    <div className="flow-compare-step">
      <Badge tone={statusTone(step.status)}>{stepStatusLabel(t, step.status)}</Badge>
      {http !== undefined && <span>{t('flows.compare.httpStatus', { status: http })}</span>}
      {step.durationMs !== undefined && <span className="muted">{t('flows.run.duration', { ms: Math.round(step.durationMs) })}</span>}
      {step.error && <span className="flow-compare-error">{step.error.message}</span>}
    </div>
  );
}
