/**
 * The "Explain" button of a flow step: against the embedded server, the server's traces of the step's
 * requests; against a remote issuer, the shared lint of the request objects and client assertions the
 * step sent, with the profile that fits the issuer (shared/explain); for a DPoP step, its nonce history too.
 */
import { useTranslation } from 'react-i18next';
import type { FlowRun, FlowStep } from '../../../../shared/schemas/flows';
import { canExplainStep, explainFlowStep, stepContextFor } from '../../../../shared/explain/explain';
import { useAppStore } from '../../state/store';
import { stepLabel } from '../flows/flow-labels';
import { nonceHistory } from '../../../../shared/explain/dpop';
import { ExplainButton } from './explain-view';
import { NonceHistoryView } from './dpop-lens';
import { profileName } from './labels';

/** Explain for one step; nothing when the step has nothing to explain. */
export function StepExplainButton({ run, step }: { run: FlowRun; step: FlowStep }) {
  const { t } = useTranslation();
  const target = useAppStore((s) => s.flows.targets.find((x) => x.id === run.targetId));
  const serverProfile = useAppStore((s) => s.server.status?.settings.profile ?? 'auth0');
  if (!canExplainStep(step)) return null;
  const ctx = stepContextFor(run, target, serverProfile);
  const traced = (step.serverTraces ?? []).some((trace) => trace.rules.length > 0);
  const title = traced
    ? t('explain.stepTitle', { step: stepLabel(t, step.name) })
    : t('explain.stepTitleLint', { step: stepLabel(t, step.name), profile: profileName(t, ctx.profile) });
  // A DPoP step's nonce history (challenge, retry, rotation) sits above its rules.
  const nonces = nonceHistory(step);
  return (
    <ExplainButton
      title={title}
      // The nonce history rides on the explanation, so Copy as Markdown writes it with the rules.
      build={() => {
        const explanation = explainFlowStep(step, ctx);
        return explanation !== null && nonces !== null && nonces.length > 0 ? { ...explanation, dpop: { nonces } } : explanation;
      }}
      className="explain-step-button"
    >
      {nonces && <NonceHistoryView events={nonces} />}
    </ExplainButton>
  );
}
