/**
 * Presenter mode: the run's sequence diagram and its current step filling the window, in large type and
 * high contrast, for a room. A modal dialog (focus kept inside, the app behind made inert). Keys: Space
 * or → next step (sends the paused request at the frontier, like Next step), ← previous step, Esc leaves.
 * JWT signatures are hidden unless "Show signatures" is ticked; client secrets never reach the renderer.
 */
import type { KeyboardEvent } from 'react';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { Button } from '../../components/button';
import { keepTabInside } from '../../components/dialog';
import { runStatusLabel } from './flow-labels';
import { SequenceDiagram } from './sequence-diagram';
import type { SequenceRow } from './sequence-model';
import { StepView, usePosition } from './step-through-panel';
import type { StepThrough } from './step-through-state';

/** Elements whose own Space (or typing) must not be taken over. */
function ownsSpace(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], input, select, textarea, summary, [contenteditable="true"]') !== null;
}

/** Presenter mode over the whole window. */
export function PresenterMode({
  run,
  rows,
  st,
  title,
  onLeave,
}: {
  run: FlowRun;
  rows: readonly SequenceRow[];
  st: StepThrough;
  title: string;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const hintId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const [showSignatures, setShowSignatures] = useState(false);
  const position = usePosition(run, st);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const app = document.getElementById('root');
    app?.setAttribute('inert', '');
    panel.current?.focus();
    return () => {
      app?.removeAttribute('inert');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // On the document: focus may fall to <body> (a button that became disabled), and the keys must still work.
  const onKey = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      onLeave();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      if (st.canNext) st.next();
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      if (st.canBack) st.back();
    } else if (event.key === ' ' && !ownsSpace(event.target)) {
      event.preventDefault();
      if (st.canNext) st.next();
    }
  });
  useEffect(() => {
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Tab stays inside.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    keepTabInside(event, panel.current);
  };

  return createPortal(
    <div
      ref={panel}
      className="presenter"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={hintId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="presenter-bar">
        <div className="presenter-heading">
          <h1 id={titleId} className="presenter-title">
            {title}
          </h1>
          <p className="presenter-position" role="status">
            {position} · {runStatusLabel(t, run.status)}
          </p>
        </div>
        <div className="presenter-tools">
          <label className="presenter-check">
            <input type="checkbox" checked={showSignatures} onChange={(e) => setShowSignatures(e.target.checked)} />
            {t('flows.presenter.showSignatures')}
          </label>
          <Button onClick={onLeave}>{t('flows.presenter.leave')}</Button>
        </div>
      </header>
      <div className="presenter-body">
        <div className="presenter-diagram">
          <SequenceDiagram rows={rows} currentStep={st.index} onSelect={(row) => st.goTo(row.stepIndex)} presenter />
        </div>
        <div className="presenter-step">
          <StepView run={run} rows={rows} st={st} mode={{ presenter: true, showSignatures }} headingLevel={2} />
        </div>
      </div>
      <footer className="presenter-nav">
        <p id={hintId} className="presenter-hint">
          {t('flows.presenter.keys')}
        </p>
        <div className="presenter-buttons">
          <Button onClick={st.back} disabled={!st.canBack}>
            {t('flows.stepThrough.previous')}
          </Button>
          <Button variant="primary" onClick={st.next} disabled={!st.canNext && !st.sending} busy={st.sending}>
            {t('flows.stepThrough.next')}
          </Button>
        </div>
      </footer>
    </div>,
    document.body,
  );
}
