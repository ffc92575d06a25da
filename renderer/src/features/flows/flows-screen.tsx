/**
 * The Flows screen: pick a target and a flow kind, run it, and follow it step by step (discover, build,
 * push, authorize, callback, exchange, verify) with each HTTP exchange, the JWTs sent and received, and
 * the embedded server's failed rule when it rejects. In web mode the sign-in page opens in a new tab.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/banner';
import type { FlowKind, FlowTarget } from '../../../../shared/schemas/flows';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { CheckboxField, SelectField, TextAreaField } from '../../components/field';
import { ListState, PlusIcon } from '../../components/list-state';
import { ScreenHeader } from '../../components/screen-header';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { FLOW_KINDS, isFlowKind, kindLabel, targetName } from './flow-labels';
import { FlowHistory } from './flow-history';
import { DeleteTargetDialog } from './delete-target-dialog';
import { RunTimeline } from './run-timeline';
import { startFlowFromClick } from './start-flow';
import { TargetDialog } from './target-dialog';
import { BUILT_IN_TARGET_ID } from './target-form';
import { ImportCaseButton } from './case-import';
import { ImportHarButton } from '../har/import-har-button';
import { SequenceCard } from './sequence-card';

/** The Flows screen. */
export function FlowsScreen() {
  const { t } = useTranslation();
  const targets = useAppStore((s) => s.flows.targets);
  const targetsLoaded = useAppStore((s) => s.flows.targetsLoaded);
  const targetsError = useAppStore((s) => s.flows.targetsError);
  const current = useAppStore((s) => (s.flows.currentRunId ? (s.flows.runs[s.flows.currentRunId] ?? null) : null));
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const [targetId, setTargetId] = useState('');
  const [kind, setKind] = useState<FlowKind>('par+jar');
  const [jarClaims, setJarClaims] = useState('');
  const [jarClaimsError, setJarClaimsError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<FlowTarget | null>(null);
  const [deleting, setDeleting] = useState<FlowTarget | null>(null);
  const { busy: starting, error: startError, run: runStart } = useSubmit({ staysOpen: true });
  const toastError = (e: unknown) => {
    const { message, detail } = describeError(t, e);
    useAppStore.getState().pushToast({ kind: 'error', message, detail });
  };
  const { busy: cancelling, run: runCancel } = useSubmit({ staysOpen: true, onError: toastError });
  const [stepThrough, setStepThrough] = useState(false);

  useEffect(() => {
    const store = useAppStore.getState();
    void store.loadFlowTargets();
    void store.loadFlowHistory();
  }, []);

  // Default to the newest saved target (else the built-in one) once the list is known.
  const selected = targets.find((x) => x.id === targetId) ?? targets.at(-1);
  const nameOf = (id: string) => {
    const target = targets.find((x) => x.id === id);
    return target ? targetName(t, target) : id;
  };
  // The built-in target has no registered callback: only client_credentials can work with it.
  const builtIn = selected?.id === BUILT_IN_TARGET_ID;
  const runKind: FlowKind = builtIn ? 'client_credentials' : kind;
  const usesJar = runKind === 'jar' || runKind === 'par+jar';

  const onRun = async () => {
    if (!selected) return;
    let claims: Record<string, unknown> | undefined;
    if (usesJar && jarClaims.trim()) {
      try {
        const parsed: unknown = JSON.parse(jarClaims);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        claims = parsed as Record<string, unknown>;
      } catch {
        setJarClaimsError(t('flows.form.jarClaimsInvalid'));
        return;
      }
    }
    setJarClaimsError(null);
    // Web mode: the sign-in tab opens now, while the click still allows it (start-flow.ts, before any await).
    // Step-through opens it later, from the Next step click that sends the authorization request.
    const input = { targetId: selected.id, kind: runKind, ...(claims ? { jarClaims: claims } : {}) };
    const started = stepThrough ? useAppStore.getState().startFlow({ ...input, stepThrough: true }) : startFlowFromClick(input, mode);
    await runStart(() => started);
  };

  const onCancel = async () => {
    if (!current) return;
    await runCancel(() => useAppStore.getState().cancelFlow(current.id));
  };

  return (
    <div className="screen flows-screen">
      <ScreenHeader title={t('flows.title')} subtitle={t('flows.subtitle')}>
        <ImportCaseButton />
        <ImportHarButton />
      </ScreenHeader>

      <section className="card stack" aria-labelledby="flows-run-form">
        <h2 id="flows-run-form" className="section-title">
          {t('flows.form.title')}
        </h2>
        <ListState
          error={targetsError}
          errorTitle={t('flows.targetsFailed')}
          onRetry={() => void useAppStore.getState().loadFlowTargets()}
          loaded={targetsLoaded}
          empty={false}
          emptyText=""
        >
          <div className="flows-form-row">
            <SelectField label={t('flows.form.target')} value={selected?.id ?? ''} onChange={(e) => setTargetId(e.target.value)}>
              {targets.map((x) => (
                <option key={x.id} value={x.id}>
                  {targetName(t, x)}
                </option>
              ))}
            </SelectField>
            {selected && !builtIn && (
              <>
                <Button onClick={() => setEditing(selected)}>{t('flows.form.editTarget')}</Button>
                <Button variant="danger-outline" onClick={() => setDeleting(selected)}>
                  {t('flows.form.deleteTarget')}
                </Button>
              </>
            )}
            <Button onClick={() => setCreating(true)}>
              <PlusIcon />
              {t('flows.form.newTarget')}
            </Button>
          </div>
          {selected && <TargetSummary target={selected} />}
          <SelectField
            label={t('flows.form.kind')}
            hint={builtIn ? t('flows.form.builtInKinds') : undefined}
            value={runKind}
            onChange={(e) => {
              if (isFlowKind(e.target.value)) setKind(e.target.value);
            }}
          >
            {FLOW_KINDS.map((k) => (
              <option key={k} value={k} disabled={builtIn && k !== 'client_credentials'}>
                {kindLabel(t, k)}
              </option>
            ))}
          </SelectField>
          {usesJar && selected && !selected.jarKeyId && (
            <Banner tone="warning" title={t('flows.form.noJarKeyTitle')}>
              <p>{t('flows.form.noJarKey')}</p>
            </Banner>
          )}
          {usesJar && (
            <TextAreaField
              label={t('flows.form.jarClaims')}
              hint={t('flows.form.jarClaimsHint')}
              value={jarClaims}
              onChange={(e) => {
                setJarClaims(e.target.value);
                setJarClaimsError(null);
              }}
              error={jarClaimsError}
              rows={2}
              className="mono-input"
              spellCheck={false}
              placeholder='{"aud": "https://wrong.example/"}'
            />
          )}
          <div className="row">
            <Button variant="primary" onClick={() => void onRun()} busy={starting} disabled={!selected} data-main-action>
              {t('flows.form.run')}
            </Button>
            <CheckboxField
              label={t('flows.form.stepThrough')}
              hint={t('flows.form.stepThroughHint')}
              checked={stepThrough}
              onChange={(e) => setStepThrough(e.target.checked)}
            />
          </div>
          <ErrorBanner error={startError} title={t('flows.form.startFailed')} />
        </ListState>
        {(creating || editing) && (
          <TargetDialog
            {...(editing ? { target: editing } : {})}
            onClose={() => {
              setCreating(false);
              setEditing(null);
            }}
            onSaved={(saved) => setTargetId(saved.id)}
          />
        )}
        {deleting && <DeleteTargetDialog target={deleting} onClose={() => setDeleting(null)} onDeleted={() => setTargetId('')} />}
      </section>

      {current && <SequenceCard run={current} title={t('flows.run.title', { kind: kindLabel(t, current.kind), target: nameOf(current.targetId) })} />}

      {current && <RunTimeline run={current} targetName={nameOf(current.targetId)} onCancel={() => void onCancel()} cancelling={cancelling} />}

      <FlowHistory currentRunId={current?.id ?? null} nameOf={nameOf} />
    </div>
  );
}

function TargetSummary({ target }: { target: FlowTarget }) {
  const { t } = useTranslation();
  return (
    <p className="muted flow-target-summary">
      {/* The built-in target runs Client credentials only: a redirect URI it cannot use would only mislead. */}
      {target.id === BUILT_IN_TARGET_ID
        ? t('flows.form.summaryBuiltIn', { issuer: target.issuer, clientId: target.client_id })
        : t('flows.form.summary', { issuer: target.issuer, clientId: target.client_id, redirectUri: target.redirect_uri })}
    </p>
  );
}
