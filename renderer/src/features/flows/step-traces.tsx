/**
 * Under a timeline step, against the embedded server: the server's own trace of each request the step
 * made. A rejection shows its failing rule right there (expected, actual, fix); every rule is one click away.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestTrace } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { TraceDialog, RuleItem } from '../server/trace-dialog';

/** The server traces of one step. */
export function StepTraces({ traces }: { traces: RequestTrace[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<RequestTrace | null>(null);
  if (traces.length === 0) return null;
  return (
    <div className="flow-step-traces">
      <h3 className="flow-step-traces-title">{t('flows.run.serverTrace')}</h3>
      <ul className="stack-sm">
        {traces.map((trace) => {
          const failed = trace.failedRule ? trace.rules.find((r) => r.id === trace.failedRule) : undefined;
          return (
            <li key={trace.id} className="flow-step-trace">
              <div className="row">
                <span className="mono">{t('flows.run.traceSummary', { method: trace.method, path: trace.path, status: trace.status })}</span>
                {trace.failedRule ? (
                  <Badge tone="danger">{t('flows.run.ruleFailed', { rule: trace.failedRule })}</Badge>
                ) : (
                  <Badge tone="success">{t('flows.run.rulesPassed', { count: trace.rules.length })}</Badge>
                )}
                <Button size="sm" onClick={() => setOpen(trace)}>
                  {t('flows.run.allRules', { count: trace.rules.length })}
                </Button>
              </div>
              {failed && (
                <ol className="rule-list">
                  <RuleItem rule={failed} />
                </ol>
              )}
            </li>
          );
        })}
      </ul>
      {open && <TraceDialog trace={open} clientName={null} onClose={() => setOpen(null)} />}
    </div>
  );
}
