/**
 * "Refresh tokens" on a finished run whose token response carried a refresh token: the core redeems it (the
 * token itself never reaches the renderer) as a `refresh` step appended to the run, with a DPoP proof by the
 * run's key for a DPoP target. The step shows in the timeline and the sequence diagram like any other.
 */
import { useTranslation } from 'react-i18next';
import type { FlowRun, FlowStep } from '../../../../shared/schemas/flows';
import { Button } from '../../components/button';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';

/** Whether the core said it holds a refresh token for the run (the exchange step's detail). */
export function hasHeldRefreshToken(run: FlowRun): boolean {
  return run.steps.some((s) => s.name === 'exchange' && s.detail?.['refresh_token'] === 'held');
}

/** The button; nothing for a run without a refresh token. */
export function RefreshTokensButton({ run }: { run: FlowRun }) {
  const { t } = useTranslation();
  const refresh = useAppStore((s) => s.refreshFlowTokens);
  const { busy, run: submit } = useSubmit({ staysOpen: true });
  if (!hasHeldRefreshToken(run)) return null;
  const onRefresh = () =>
    submit(async () => {
      try {
        await refresh(run.id);
      } catch (e) {
        const { message, detail } = describeError(t, e);
        useAppStore.getState().pushToast({ kind: 'error', message: t('flows.run.refreshFailed'), detail: detail ?? message });
      }
    });
  return (
    <Button size="sm" busy={busy} title={t('flows.run.refreshTokensHint')} onClick={() => void onRefresh()}>
      {t('flows.run.refreshTokens')}
    </Button>
  );
}

/**
 * What a finished refresh step got: the new access token's type and binding (its `cnf.jkt`, when it is a JWT),
 * and whether the refresh token was rotated. Read from the step's detail, which holds no token.
 */
export function RefreshOutcome({ step }: { step: FlowStep }) {
  const { t } = useTranslation();
  const detail = step.detail ?? {};
  const type = typeof detail['token_type'] === 'string' ? detail['token_type'] : '—';
  const jkt = typeof detail['cnf_jkt'] === 'string' ? detail['cnf_jkt'] : null;
  const refreshToken = detail['refresh_token'];
  return (
    <ul className="flow-refresh-outcome">
      <li>{jkt ? t('flows.run.refreshBound', { type, jkt }) : t('flows.run.refreshUnbound', { type })}</li>
      <li>{refreshToken === 'rotated' ? t('flows.run.refreshRotated') : t('flows.run.refreshUnchanged')}</li>
    </ul>
  );
}
