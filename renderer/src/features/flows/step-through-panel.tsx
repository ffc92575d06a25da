/**
 * Under the sequence diagram: Previous step / Next step, and the step at the cursor — its exchanges
 * opened, or, where a step-through run is paused, the request about to be sent with its fields editable
 * (form fields one per input, JWTs decoded, the request object's claims as JSON, re-signed when edited).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { jwtKindOfParameter } from './jwt-kind';
import type { FlowPause, FlowPausePurpose, FlowRun } from '../../../../shared/schemas/flows';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { TextAreaField, TextField } from '../../components/field';
import { runStatusLabel, stepLabel, stepStatusLabel, statusTone } from './flow-labels';
import type { DetailMode } from './sequence-detail';
import { CodeText, DecodedJwt, RowsDetail, useMask } from './sequence-detail';
import type { SequenceRow } from './sequence-model';
import type { NextProblem, StepThrough } from './step-through-state';
import type { PauseDraft } from './step-through-model';
import { isJwtField } from './step-through-model';

/** What a paused request is for, in words. */
export function purposeLabel(t: TFunction, purpose: FlowPausePurpose): string {
  switch (purpose) {
    case 'discovery':
      return t('flows.stepThrough.purpose.discovery');
    case 'par':
      return t('flows.stepThrough.purpose.par');
    case 'authorize':
      return t('flows.stepThrough.purpose.authorize');
    case 'token':
      return t('flows.stepThrough.purpose.token');
    case 'jwks':
      return t('flows.stepThrough.purpose.jwks');
  }
}

/** "Step 3 of 7 · Push": where the cursor is. */
export function usePosition(run: FlowRun, st: StepThrough): string {
  const { t } = useTranslation();
  const step = run.steps[st.index];
  return t('flows.stepThrough.position', { n: st.index + 1, total: run.steps.length, step: step ? stepLabel(t, step.name) : '' });
}

/** Previous step, the position, Next step. */
export function StepNav({ run, st, className }: { run: FlowRun; st: StepThrough; className?: string }) {
  const { t } = useTranslation();
  const position = usePosition(run, st);
  return (
    <div className={className ?? 'flow-sequence-nav'}>
      <Button onClick={st.back} disabled={!st.canBack}>
        {t('flows.stepThrough.previous')}
      </Button>
      <Button variant={st.nextSends ? 'primary' : 'secondary'} onClick={st.next} disabled={!st.canNext && !st.sending} busy={st.sending}>
        {t('flows.stepThrough.next')}
      </Button>
      <p className="flow-sequence-position" role="status">
        {position}
        {st.atFrontier && run.status === 'paused' ? ` · ${runStatusLabel(t, run.status)}` : ''}
      </p>
    </div>
  );
}

/** The step at the cursor. */
export function StepView({
  run,
  rows,
  st,
  mode,
  headingLevel = 3,
}: {
  run: FlowRun;
  rows: readonly SequenceRow[];
  st: StepThrough;
  mode: DetailMode;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const step = run.steps[st.index];
  if (!step) return null;
  const paused = st.atFrontier && run.status === 'paused' && run.paused ? run.paused : null;
  const stepRows = rows.filter((r) => r.stepIndex === st.index);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="flow-sequence-step">
      <div className="row">
        <Heading className="flow-sequence-step-title">{stepLabel(t, step.name)}</Heading>
        {paused ? (
          <Badge tone={statusTone('paused')}>{runStatusLabel(t, 'paused')}</Badge>
        ) : (
          <Badge tone={statusTone(step.status)}>{stepStatusLabel(t, step.status)}</Badge>
        )}
      </div>
      {step.error && <p className="flow-step-error">{step.error.message}</p>}
      {paused ? <PausedRequest pause={paused} st={st} mode={mode} /> : <RowsDetail rows={stepRows} run={run} mode={mode} />}
    </div>
  );
}

function problemText(t: TFunction, problem: NextProblem): string | null {
  if (problem.kind === 'api') return null;
  return problem.problem === 'not-json' ? t('flows.stepThrough.claimsNotJson') : t('flows.stepThrough.claimsNotObject');
}

/** The time now, moving once a second while shown (a countdown). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "0:23": a countdown's minutes and seconds. */
function clockText(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Before authorize in a PAR run: what was already sent (the push, its request_uri) and a live countdown
 * to the request_uri's expiry; once expired, that Next step pushes again.
 */
function PushedNote({ pushed }: { pushed: NonNullable<FlowPause['pushed']> }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(new Date(pushed.at));
  const expiresAt = pushed.expiresAt === undefined ? undefined : Date.parse(pushed.expiresAt);
  const left = expiresAt === undefined ? undefined : Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return (
    <div className="step-through-sent">
      <p className="step-through-line">
        {t('flows.stepThrough.pushedAt', { time })} <span className="mono break">{pushed.requestUri}</span>
      </p>
      {left !== undefined &&
        (left > 0 ? (
          <p className="step-through-line step-through-countdown">
            {t('flows.stepThrough.expiresIn', { time: clockText(left), seconds: pushed.expiresIn ?? 0 })}
          </p>
        ) : (
          <p className="step-through-line step-through-expired" role="status">
            {t('flows.stepThrough.expired')}
          </p>
        ))}
    </div>
  );
}

/** The request a paused run is about to send: editable on the screen, read-only in presenter mode. */
function PausedRequest({ pause, st, mode }: { pause: FlowPause; st: StepThrough; mode: DetailMode }) {
  const { t } = useTranslation();
  const titleId = useId();
  const mask = useMask(mode);
  const draft: PauseDraft = st.draft ?? { form: { ...(pause.request.form ?? {}) }, claimsText: null };
  const { method, url, headers } = pause.request;
  const fields = Object.entries(draft.form);
  const claimsProblem = st.problem ? problemText(t, st.problem) : null;
  const isQuery = pause.purpose === 'authorize';
  const hasRedacted = fields.some(([, v]) => v === '[redacted]') || Object.values(headers).some((v) => v.includes('[redacted]'));
  const claimsText = pause.requestObjectClaims ? draft.claimsText : null;
  // The request object's claims are shown once: in the claims editor (or block), not again as a decoded field.
  const decodedFields = fields.filter(([name, value]) => isJwtField(value) && !(claimsText !== null && name === 'request'));
  const intro =
    pause.purpose === 'authorize'
      ? pause.pushed
        ? t('flows.stepThrough.authorizeIntroPushed')
        : t('flows.stepThrough.authorizeIntro')
      : mode.presenter
        ? t('flows.stepThrough.introPresenter')
        : t('flows.stepThrough.intro');
  const formTitle = isQuery ? t('flows.stepThrough.query') : t('flows.stepThrough.form');

  if (mode.presenter) {
    // For a room: what the request says, decoded and large, first; the raw request after, in one block.
    const raw = [
      `${method} ${url}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ...(fields.length > 0 ? ['', ...fields.map(([k, v]) => `${k}=${v}`)] : []),
    ].join('\n');
    return (
      <section className="step-through-pause" aria-labelledby={titleId}>
        <h3 id={titleId}>{t('flows.stepThrough.pausedTitle', { purpose: purposeLabel(t, pause.purpose) })}</h3>
        <p className="step-through-line">{intro}</p>
        {pause.pushed && <PushedNote pushed={pause.pushed} />}
        {(claimsText !== null || decodedFields.length > 0) && (
          <div className="presenter-claims">
            {claimsText !== null && (
              <CodeText
                title={t('flows.stepThrough.claims')}
                code={claimsText}
                copyLabel={t('flows.stepThrough.copyClaims')}
                mode={mode}
                maxHeight={480}
                className="presenter-claims-block"
              />
            )}
            {decodedFields.map(([name, value]) => (
              <DecodedJwt key={name} label={name} kind={jwtKindOfParameter(name)} parameter={name} token={value} mode={mode} />
            ))}
          </div>
        )}
        <CodeText
          title={isQuery ? t('flows.stepThrough.rawQuery') : t('flows.stepThrough.raw')}
          code={mask(raw)}
          copyLabel={t('flows.stepThrough.copyForm')}
          mode={mode}
        />
      </section>
    );
  }

  return (
    <section className="step-through-pause" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('flows.stepThrough.pausedTitle', { purpose: purposeLabel(t, pause.purpose) })}</h3>
      <p className="step-through-line">{intro}</p>
      {pause.pushed && <PushedNote pushed={pause.pushed} />}
      <p className="step-through-line mono">
        <strong>{method}</strong> {mask(url)}
      </p>
      <h4>{t('flows.stepThrough.headers')}</h4>
      {Object.keys(headers).length > 0 ? (
        <dl className="step-through-headers mono">
          {Object.entries(headers).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{mask(value)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted step-through-line">{t('flows.stepThrough.noHeaders')}</p>
      )}
      {fields.length > 0 && (
        <>
          <h4>{formTitle}</h4>
          <div className="step-through-fields">
            {fields.map(([name, value]) =>
              !isJwtField(value) ? (
                <TextField key={name} label={name} value={value} onChange={(e) => st.setField(name, e.target.value)} spellCheck={false} autoComplete="off" />
              ) : decodedFields.some(([n]) => n === name) ? (
                <div key={name} className="step-through-jwt-field">
                  <p className="field-hint">{t('flows.stepThrough.jwtField', { name })}</p>
                  <DecodedJwt label={name} kind={jwtKindOfParameter(name)} parameter={name} token={value} mode={mode} />
                </div>
              ) : (
                <p key={name} className="field-hint step-through-jwt-field">
                  {t('flows.stepThrough.requestField', { name })}
                </p>
              ),
            )}
          </div>
          {hasRedacted && <p className="field-hint">{t('flows.stepThrough.redactedHint')}</p>}
        </>
      )}
      {claimsText !== null && (
        <TextAreaField
          label={t('flows.stepThrough.claims')}
          hint={t('flows.stepThrough.claimsHint')}
          value={claimsText}
          onChange={(e) => st.setClaimsText(e.target.value)}
          error={claimsProblem}
          rows={Math.min(24, claimsText.split('\n').length + 1)}
          className="mono-input"
          spellCheck={false}
        />
      )}
      {st.problem?.kind === 'api' && <ErrorBanner error={st.problem.error} title={t('flows.stepThrough.nextFailed')} />}
    </section>
  );
}
