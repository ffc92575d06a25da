/**
 * The trainer's kit on the Flows screen: the run's sequence diagram (live), Previous step / Next step,
 * the step at the cursor (or the paused request, editable) and the way into presenter mode.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { Button } from '../../components/button';
import { useAppStore } from '../../state/store';
import { PresenterMode } from './presenter-mode';
import { SequenceDiagram } from './sequence-diagram';
import type { DetailMode } from './sequence-detail';
import { sequenceOf } from './sequence-model';
import { StepNav, StepView } from './step-through-panel';
import { useStepThrough } from './step-through-state';

const SCREEN: DetailMode = { presenter: false, showSignatures: true };

/** The sequence diagram card of the run on screen. */
export function SequenceCard({ run, title }: { run: FlowRun; title: string }) {
  const { t } = useTranslation();
  const titleId = useId();
  const target = useAppStore((s) => s.flows.targets.find((x) => x.id === run.targetId));
  const issuer = target?.issuer;
  const redirectUri = target?.redirect_uri;
  const rows = useMemo(() => sequenceOf(run, { ...(issuer ? { issuer } : {}), ...(redirectUri ? { redirectUri } : {}) }), [run, issuer, redirectUri]);
  const st = useStepThrough(run);
  const [presenting, setPresenting] = useState(false);
  // A step-through run shows its current step at once; any run does once the user walks through it.
  const showStep = run.options.stepThrough === true || run.status === 'paused' || st.moved;
  return (
    <section className="card flow-sequence" aria-labelledby={titleId}>
      <header className="section-header">
        <h2 id={titleId} className="section-title">
          {t('flows.sequence.title')}
        </h2>
        <Button size="sm" onClick={() => setPresenting(true)}>
          {t('flows.presenter.open')}
        </Button>
      </header>
      <SequenceDiagram rows={rows} currentStep={showStep ? st.index : -1} onSelect={(row) => st.goTo(row.stepIndex)} />
      <StepNav run={run} st={st} />
      {showStep && <StepView run={run} rows={rows} st={st} mode={SCREEN} />}
      {presenting && <PresenterMode run={run} rows={rows} st={st} title={title} onLeave={() => setPresenting(false)} />}
    </section>
  );
}
