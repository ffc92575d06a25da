/** A run as a timeline: one item per step with its status, duration, HTTP exchange, JWTs and error. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowExchange, FlowExtraExchange, FlowRun, FlowStep } from '../../../../shared/schemas/flows';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { downloadText } from '../../components/download';
import { exchangeToCurl, runToShellScript, scriptFileName } from './export/replay';
import { useAppStore } from '../../state/store';
import { hrefFor } from '../../app/route';
import { StepTraces } from './step-traces';
import { ExportCaseButton } from './case-export-button';
import { ExportCodeButton } from './export-code-dialog';
import { RefreshOutcome, RefreshTokensButton } from './refresh-tokens-button';
import { ExportRunHarButton } from '../har/har-export-button';
import { StepExplainButton } from '../explain/step-explain';
import { jwtTexts } from './jwt-texts';
import { kindLabel, runStatusLabel, stepLabel, stepStatusLabel, statusTone } from './flow-labels';

/** The timeline of one run, with Cancel while it is in progress. */
export function RunTimeline({ run, targetName, onCancel, cancelling }: { run: FlowRun; targetName: string; onCancel: () => void; cancelling: boolean }) {
  const { t } = useTranslation();
  const inProgress = run.status === 'running' || run.status === 'waiting-for-browser' || run.status === 'paused';
  const clientId = useAppStore((s) => s.flows.targets.find((x) => x.id === run.targetId)?.client_id);
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  // The replay script: every request of the run, secrets as shell variables (export/replay.ts).
  const onDownloadScript = () =>
    downloadText(scriptFileName(run), runToShellScript(run, { targetName, ...(clientId ? { clientId } : {}) }), 'text/x-shellscript');
  // "Sign in on the page that opened in a new tab" is what the user must do next: bring it into view when the
  // run starts waiting (it sits below the sequence diagram, out of sight at 1024×700).
  const waitingNote = useRef<HTMLParagraphElement>(null);
  const waiting = run.status === 'waiting-for-browser' && !!run.authorizeUrl;
  useEffect(() => {
    if (waiting) waitingNote.current?.scrollIntoView({ block: 'center' });
  }, [waiting, run.id]);
  return (
    <section className="card flow-run" aria-labelledby="flow-run-title">
      <header className="section-header">
        <h2 id="flow-run-title" className="section-title">
          {t('flows.run.title', { kind: kindLabel(t, run.kind), target: targetName })}
        </h2>
        <div className="row">
          <Badge tone={statusTone(run.status)}>{runStatusLabel(t, run.status)}</Badge>
          {inProgress ? (
            <Button size="sm" variant="danger-outline" onClick={onCancel} busy={cancelling}>
              {t('common.cancel')}
            </Button>
          ) : (
            <>
              <Button size="sm" onClick={onDownloadScript}>
                {t('flows.export.downloadScript')}
              </Button>
              <RefreshTokensButton run={run} />
              <ExportCodeButton run={run} />
              <ExportCaseButton runId={run.id} />
              <ExportRunHarButton run={run} />
            </>
          )}
        </div>
      </header>
      {run.status === 'waiting-for-browser' && run.authorizeUrl && (
        // Electron shows the sign-in page in its own window, which captures the redirect; a link would
        // send the URL to the system browser, where the callback cannot be received.
        <p ref={waitingNote} className="flow-waiting-note" role="status">
          {mode === 'electron' ? (
            t('flows.run.waitingWindow')
          ) : (
            <>
              {t('flows.run.waiting')}{' '}
              <a href={run.authorizeUrl} target="_blank" rel="noopener noreferrer">
                {t('flows.run.openSignIn')}
              </a>
            </>
          )}
        </p>
      )}
      <ol className="flow-timeline" aria-label={t('flows.run.timeline')}>
        {run.steps.map((step) => (
          <StepItem key={step.id} step={step} run={run} />
        ))}
      </ol>
      {run.idTokenClaims && (
        <CodeBlock title={t('flows.run.claims')} code={JSON.stringify(run.idTokenClaims, null, 2)} copyLabel={t('flows.run.copyClaims')} maxHeight={320} />
      )}
    </section>
  );
}

function StepItem({ step, run }: { step: FlowStep; run: FlowRun }) {
  const { t } = useTranslation();
  const name = stepLabel(t, step.name);
  const status = stepStatusLabel(t, step.status);
  return (
    <li className={`flow-step flow-step-${step.status}`} aria-label={`${name} · ${status}`}>
      <div className="flow-step-head">
        <span className="flow-step-name">{name}</span>
        <Badge tone={statusTone(step.status)}>{status}</Badge>
        {step.durationMs !== undefined && <span className="muted flow-step-duration">{t('flows.run.duration', { ms: Math.round(step.durationMs) })}</span>}
        {/* Step-through: the time spent paused is shown apart; the duration is the step's own work. */}
        {step.pausedMs !== undefined && step.pausedMs > 0 && (
          <span className="muted flow-step-duration">{t('flows.run.pausedFor', { seconds: Math.round(step.pausedMs / 1000) })}</span>
        )}
        <StepExplainButton run={run} step={step} />
      </div>
      {step.error && (
        <p className="flow-step-error" role={step.status === 'failed' ? 'alert' : undefined}>
          {step.error.message}
        </p>
      )}
      {step.name === 'refresh' && step.status === 'ok' && <RefreshOutcome step={step} />}
      {step.jwts.length > 0 && (
        <ul className="flow-jwts">
          {step.jwts.map((jwt, i) => {
            const texts = jwtTexts(t, jwt);
            return (
              <li key={`${jwt.label}-${i}`}>
                <span className={texts.code ? 'mono' : undefined}>{texts.name}</span>{' '}
                <a href={`${hrefFor('inspect')}?token=${encodeURIComponent(jwt.token)}`}>{texts.open}</a>
              </li>
            );
          })}
        </ul>
      )}
      {/* A PAR sent again and a DPoP nonce challenge come before the step's own exchange; userinfo after the verify step's JWKS. */}
      {step.extraExchanges
        ?.filter((extra) => extra.purpose !== 'userinfo')
        .map((extra, i) => (
          <ExtraExchange key={`before-${i}`} extra={extra} />
        ))}
      {step.exchange && <ExchangeView exchange={step.exchange} />}
      {step.extraExchanges
        ?.filter((extra) => extra.purpose === 'userinfo')
        .map((extra, i) => (
          <ExtraExchange key={`after-${i}`} extra={extra} />
        ))}
      {step.serverTraces && <StepTraces traces={step.serverTraces} />}
    </li>
  );
}

/** A request a step made besides its own, titled with why it was sent. */
function ExtraExchange({ extra }: { extra: FlowExtraExchange }) {
  const { t } = useTranslation();
  const title =
    extra.reason === 'use_dpop_nonce'
      ? t('flows.run.nonceChallenge')
      : extra.reason === 'access_token_check'
        ? t('flows.run.userinfo')
        : t('flows.run.parAgain');
  return (
    <div className="flow-step-extra">
      <p className="flow-step-extra-title">{title}</p>
      <ExchangeView exchange={extra.exchange} />
      {extra.serverTraces && <StepTraces traces={extra.serverTraces} />}
    </div>
  );
}

function ExchangeView({ exchange }: { exchange: FlowExchange }) {
  const { t } = useTranslation();
  const { request, response } = exchange;
  const requestText = [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
    ...(request.body ? ['', request.body] : []),
  ].join('\n');
  const responseText = response
    ? [`${response.status}`, ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`), ...(response.body ? ['', response.body] : [])].join('\n')
    : t('flows.run.noResponse');
  return (
    <div className="flow-exchange-row">
      <details className="flow-exchange">
        <summary>{t('flows.run.http', { method: request.method, status: response ? String(response.status) : '—' })}</summary>
        <div className="stack-sm">
          <CodeBlock title={t('flows.run.request')} code={requestText} copyLabel={t('flows.run.copyRequest')} maxHeight={240} />
          <CodeBlock title={t('flows.run.response')} code={responseText} copyLabel={t('flows.run.copyResponse')} maxHeight={240} />
        </div>
      </details>
      {/* Secrets were redacted before the run was recorded: the command reads them from shell variables. */}
      <span className="flow-exchange-curl">
        {/* The program's name, the same in every language; the button's name says it to screen readers. */}
        <span className="muted mono" aria-hidden="true">
          curl
        </span>
        <CopyButton text={exchangeToCurl(exchange)} label={t('flows.export.copyCurl')} />
      </span>
    </div>
  );
}
