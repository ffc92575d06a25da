/**
 * What an arrow of the sequence diagram opens: the request and the response as sent (secrets redacted by
 * the core), every JWT decoded, and against the embedded server its trace. In presenter mode the same,
 * in large type, with signatures hidden unless asked for.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { labelGap } from '../../i18n/format';
import type { FlowJwtKind, FlowRun } from '../../../../shared/schemas/flows';
import { decodeCompactJwt } from '../../../../shared/jwt/decode';
import { CodeBlock } from '../../components/code-block';
import { maskSignatures } from './presenter-model';
import type { SequenceArrow, SequenceNote, SequenceRow } from './sequence-model';
import { arrowText } from './sequence-model';
import { jwtTexts } from './jwt-texts';
import { StepTraces } from './step-traces';

/** How text is shown: on the Flows screen, or projected (large, signatures hidden unless `showSignatures`). */
export interface DetailMode {
  presenter: boolean;
  showSignatures: boolean;
}

/** Hides signatures when asked to. */
export function useMask(mode: DetailMode): (text: string) => string {
  const { t } = useTranslation();
  const hidden = t('flows.presenter.signatureHidden');
  return (text) => (mode.showSignatures ? text : maskSignatures(text, hidden));
}

/** Monospace text with a title: a CodeBlock (with Copy) on the screen, a plain block in presenter mode. */
export function CodeText({
  title,
  code,
  copyLabel,
  mode,
  maxHeight = 240,
  className,
}: {
  title: string;
  code: string;
  copyLabel: string;
  mode: DetailMode;
  maxHeight?: number;
  className?: string;
}) {
  const titleId = useId();
  if (!mode.presenter) return <CodeBlock title={title} code={code} copyLabel={copyLabel} maxHeight={maxHeight} />;
  return (
    <section className={className ? `presenter-code-block ${className}` : 'presenter-code-block'}>
      <h4 id={titleId} className="presenter-code-title">
        {title}
      </h4>
      {/* Focusable so keyboard users can scroll it. */}
      <pre className="presenter-code" tabIndex={0} aria-labelledby={titleId}>
        <code>{code}</code>
      </pre>
    </section>
  );
}

/**
 * A request as text: the request line, the headers, the body — as sent, or (`readable`, for a room) a
 * form body one decoded field per line.
 */
export function requestText(request: NonNullable<SequenceArrow['request']>, readable = false): string {
  const form =
    readable &&
    request.body !== undefined &&
    Object.entries(request.headers).some(([k, v]) => k.toLowerCase() === 'content-type' && v.includes('application/x-www-form-urlencoded'));
  const body = form ? [...new URLSearchParams(request.body)].map(([k, v]) => `${k}=${v}`).join('\n') : request.body;
  return [`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`), ...(body ? ['', body] : [])].join('\n');
}

/** A response as text: the status, the headers, the body (JSON indented). */
export function responseText(response: NonNullable<SequenceArrow['response']>): string {
  let body = response.body;
  if (body) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // Not JSON: as received.
    }
  }
  return [`${response.status}`, ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`), ...(body ? ['', body] : [])].join('\n');
}

/**
 * A JWT decoded: its header and payload, and its signature (or that it is hidden). `parameter` is the form or
 * query parameter that carries it (a paused request): shown as code beside the token's translated name.
 */
export function DecodedJwt({
  label,
  kind,
  token,
  mode,
  parameter,
}: {
  label: string;
  kind?: FlowJwtKind | undefined;
  token: string;
  mode: DetailMode;
  parameter?: string;
}) {
  const { t, i18n } = useTranslation();
  const texts = jwtTexts(t, { label, ...(kind ? { kind } : {}) });
  const mask = useMask(mode);
  let decoded: ReturnType<typeof decodeCompactJwt> | null = null;
  let problem: string | null = null;
  try {
    decoded = decodeCompactJwt(token, { maxBytes: 1_100_000 });
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  const header = decoded && (
    <CodeText title={t('flows.sequence.header')} code={JSON.stringify(decoded.header, null, 2)} copyLabel={texts.copyHeader} mode={mode} maxHeight={160} />
  );
  return (
    <div className="seq-jwt">
      <h4 className="seq-jwt-title">
        {texts.decoded}
        {parameter !== undefined && !texts.code && (
          <>
            {labelGap(i18n.language)}
            <code className="mono">{parameter}</code>
          </>
        )}
      </h4>
      {decoded ? (
        <div className="seq-jwt-parts">
          {/* For a room the claims come first; the header (alg, kid, typ) after. */}
          {!mode.presenter && header}
          <CodeText
            title={t('flows.sequence.payload')}
            code={JSON.stringify(decoded.payload, null, 2)}
            copyLabel={texts.copyPayload}
            mode={mode}
            maxHeight={320}
          />
          {mode.presenter && header}
          <p className="seq-jwt-signature mono break">
            <span className="seq-jwt-signature-label">{t('flows.sequence.signature')}</span> {mask(token).split('.').slice(2).join('.') || '—'}
          </p>
        </div>
      ) : (
        <p className="flow-step-error">{t('flows.sequence.undecodable', { reason: problem ?? '' })}</p>
      )}
    </div>
  );
}

/** The name an arrow is known by (its button's accessible name). */
export function useArrowName(): (arrow: SequenceArrow) => string {
  const { t } = useTranslation();
  return (arrow) => {
    const text = arrowText(arrow.label);
    if (text !== null) {
      if (arrow.id === 'par-again') return t('flows.sequence.parAgain', { request: text });
      if (arrow.id === 'nonce-challenge') return t('flows.sequence.nonceChallenge', { request: text });
      return text;
    }
    return arrow.label.kind === 'signin-page' ? t('flows.sequence.signinPage') : t('flows.sequence.signinSubmit');
  };
}

/** One arrow opened: what was sent and received, its JWTs and the server's trace. */
export function ArrowDetail({ arrow, mode, headingId }: { arrow: SequenceArrow; mode: DetailMode; headingId?: string }) {
  const { t } = useTranslation();
  const mask = useMask(mode);
  const name = useArrowName();
  const jwts = arrow.jwts.map((jwt, i) => <DecodedJwt key={`${jwt.label}-${i}`} label={jwt.label} kind={jwt.kind} token={jwt.token} mode={mode} />);
  return (
    <section className="seq-detail" aria-labelledby={headingId}>
      <h4 id={headingId} className="seq-detail-title mono">
        {name(arrow)}
      </h4>
      {(arrow.id === 'signin-page' || arrow.id === 'signin-submit') && <p>{t('flows.sequence.signinExplained')}</p>}
      {arrow.id === 'redirect' && (
        <>
          <p>{t('flows.sequence.redirectExplained')}</p>
          {arrow.location && (
            <CodeText title={t('flows.sequence.location')} code={mask(arrow.location)} copyLabel={t('flows.sequence.copyLocation')} mode={mode} />
          )}
        </>
      )}
      {arrow.id === 'callback' && <p>{t('flows.sequence.callbackExplained')}</p>}
      {arrow.id === 'par-again' && <p>{t('flows.sequence.parAgainExplained')}</p>}
      {arrow.id === 'nonce-challenge' && <p>{t('flows.sequence.nonceChallengeExplained')}</p>}
      {arrow.id === 'userinfo' && <p>{t('flows.sequence.userinfoExplained')}</p>}
      {/* For a room, what the request says comes first: its JWTs decoded, then the raw exchange. */}
      {mode.presenter && jwts}
      {arrow.request ? (
        <CodeText title={t('flows.run.request')} code={mask(requestText(arrow.request, mode.presenter))} copyLabel={t('flows.run.copyRequest')} mode={mode} />
      ) : (
        arrow.id !== 'signin-page' && arrow.id !== 'signin-submit' && arrow.id !== 'redirect' && <p className="muted">{t('flows.sequence.notSent')}</p>
      )}
      {arrow.response && (
        <CodeText
          title={t('flows.run.response')}
          code={mask(responseText(arrow.response))}
          copyLabel={t('flows.run.copyResponse')}
          mode={mode}
          maxHeight={320}
        />
      )}
      {!mode.presenter && jwts}
      {!mode.presenter && arrow.traces.length > 0 && <StepTraces traces={arrow.traces} />}
    </section>
  );
}

/** The build step: the parameters, and the request object decoded. */
export function NoteDetail({ note, run, mode }: { note: SequenceNote; run: FlowRun; mode: DetailMode }) {
  const { t } = useTranslation();
  const step = run.steps[note.stepIndex];
  const parameters = step?.detail?.['parameters'];
  return (
    <section className="seq-detail">
      <p>{t('flows.sequence.buildExplained')}</p>
      {parameters !== undefined && (
        <CodeText
          title={t('flows.sequence.parameters')}
          code={JSON.stringify(parameters, null, 2)}
          copyLabel={t('flows.sequence.copyParameters')}
          mode={mode}
        />
      )}
      {note.jwts.map((jwt, i) => (
        <DecodedJwt key={`${jwt.label}-${i}`} label={jwt.label} kind={jwt.kind} token={jwt.token} mode={mode} />
      ))}
    </section>
  );
}

/** Every row of one step, opened. */
export function RowsDetail({ rows, run, mode }: { rows: readonly SequenceRow[]; run: FlowRun; mode: DetailMode }) {
  return (
    <>
      {rows.map((row) =>
        row.type === 'note' ? <NoteDetail key={row.id} note={row} run={run} mode={mode} /> : <ArrowDetail key={row.id} arrow={row} mode={mode} />,
      )}
    </>
  );
}
