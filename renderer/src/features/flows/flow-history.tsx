/**
 * The history of finished runs (kept by the core without secrets): open one in the timeline, re-run it
 * (same kind, target and options), tick two to compare them side by side, or delete one.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ListState } from '../../components/list-state';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { CompareRuns } from './compare-runs';
import { kindLabel, runStatusLabel, statusTone } from './flow-labels';
import { startFlowFromClick } from './start-flow';

/** The History card, and the compare panel when two runs are ticked. */
export function FlowHistory({ currentRunId, nameOf }: { currentRunId: string | null; nameOf: (targetId: string) => string }) {
  const { t, i18n } = useTranslation();
  const history = useAppStore((s) => s.flows.history);
  const historyLoaded = useAppStore((s) => s.flows.historyLoaded);
  const historyError = useAppStore((s) => s.flows.historyError);
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const [picked, setPicked] = useState<string[]>([]);
  const [rerunning, setRerunning] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<FlowRun | null>(null);
  const hintId = useId();

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  const formatDate = (iso: string) => dateFormat.format(new Date(iso));
  // A ticked run that left the history (deleted, or dropped beyond the limit) is no longer ticked.
  const selected = picked.filter((id) => history.some((r) => r.id === id));
  const compared = selected.map((id) => history.find((r) => r.id === id)).filter((r): r is FlowRun => r !== undefined);

  const toggle = (id: string, on: boolean) => setPicked(on ? [...selected.filter((x) => x !== id), id].slice(-2) : selected.filter((x) => x !== id));

  const onRerun = (run: FlowRun) => {
    setRerunning(run.id);
    // Synchronous up to the tab: in web mode the sign-in tab opens during this click.
    startFlowFromClick(
      {
        targetId: run.targetId,
        kind: run.kind,
        pkce: run.options.pkce,
        ...(run.options.jarClaims ? { jarClaims: run.options.jarClaims } : {}),
        ...(run.options.stepThrough ? { stepThrough: true } : {}),
      },
      mode,
    )
      .then(() => document.getElementById('flow-run-title')?.scrollIntoView({ block: 'nearest' }))
      .catch((e: unknown) => {
        const { message, detail } = describeError(t, e);
        useAppStore.getState().pushToast({ kind: 'error', message: t('flows.history.rerunFailed'), detail: detail ? `${message} ${detail}` : message });
      })
      .finally(() => setRerunning(null));
  };

  const hint = selected.length === 1 ? t('flows.history.compareOneMore') : t('flows.history.compareHint');

  return (
    <>
      <section className="card stack" aria-labelledby="flows-history-title">
        <h2 id="flows-history-title" className="section-title">
          {t('flows.history.title')}
        </h2>
        <ListState
          error={historyError}
          errorTitle={t('flows.history.failed')}
          onRetry={() => void useAppStore.getState().loadFlowHistory()}
          loaded={historyLoaded}
          empty={history.length === 0}
          emptyText={t('flows.history.empty')}
        >
          <p id={hintId} className="muted flow-history-hint">
            {hint}
          </p>
          <ul className="flow-history" aria-label={t('flows.history.title')}>
            {history.map((run) => {
              const itemId = `flow-history-${run.id}`;
              const ticked = selected.includes(run.id);
              return (
                <li key={run.id} className="flow-history-row">
                  <button
                    id={itemId}
                    type="button"
                    className="flow-history-item"
                    aria-current={run.id === currentRunId ? 'true' : undefined}
                    onClick={() => void useAppStore.getState().openFlowRun(run.id)}
                  >
                    <span>{kindLabel(t, run.kind)}</span>
                    <span className="muted">{nameOf(run.targetId)}</span>
                    <span className="muted">{formatDate(run.startedAt)}</span>
                    <Badge tone={statusTone(run.status)}>{runStatusLabel(t, run.status)}</Badge>
                  </button>
                  <div className="flow-history-actions">
                    <label className="flow-history-compare">
                      <input
                        type="checkbox"
                        checked={ticked}
                        disabled={!ticked && selected.length >= 2}
                        aria-describedby={`${itemId} ${hintId}`}
                        onChange={(e) => toggle(run.id, e.target.checked)}
                      />
                      {t('flows.history.compare')}
                    </label>
                    <Button size="sm" aria-describedby={itemId} busy={rerunning === run.id} onClick={() => onRerun(run)}>
                      {t('flows.history.rerun')}
                    </Button>
                    <Button size="sm" variant="danger-outline" aria-describedby={itemId} onClick={() => setDeleting(run)}>
                      {t('flows.history.delete')}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        </ListState>
      </section>

      {compared.length === 2 && <CompareRuns runs={[compared[0]!, compared[1]!]} nameOf={nameOf} formatDate={formatDate} onClose={() => setPicked([])} />}

      {deleting && (
        <ConfirmDialog
          title={t('flows.history.deleteTitle')}
          body={t('flows.history.deleteBody', { kind: kindLabel(t, deleting.kind), target: nameOf(deleting.targetId), date: formatDate(deleting.startedAt) })}
          confirmLabel={t('flows.history.deleteConfirm')}
          onConfirm={async () => {
            await useAppStore.getState().deleteFlowRun(deleting.id);
            useAppStore.getState().pushToast({ kind: 'success', message: t('flows.history.deleted') });
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}
