/**
 * The DPoP views Explain adds beside the rules (dpop-rules.md §11 "Explainer"): the `htu` lens (the
 * server's URL and the proof's `htu`, component by component, the differing one marked in words and not
 * only by colour, with its usual cause), the clock line (iat, server time, window, measured skew), and a
 * flow step's nonce history. Models come from shared/explain/dpop.ts.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ClockLine, HtuLens, HtuLensPart, NonceEvent } from '../../../../shared/explain/dpop';
import type { HtuCause } from '../../../../shared/jwt/dpop-htu';
import { isoSeconds } from '../../../../shared/explain/evaluate-at';
import { Badge } from '../../components/badge';
import { cx } from '../../components/class-names';

function partName(t: TFunction, part: HtuLensPart | 'trailing-slash' | 'url'): string {
  switch (part) {
    case 'scheme':
      return t('dpopTools.lens.parts.scheme');
    case 'host':
      return t('dpopTools.lens.parts.host');
    case 'port':
      return t('dpopTools.lens.parts.port');
    case 'path':
      return t('dpopTools.lens.parts.path');
    case 'query':
      return t('dpopTools.lens.parts.query');
    case 'fragment':
      return t('dpopTools.lens.parts.fragment');
    case 'trailing-slash':
      return t('dpopTools.lens.parts.trailingSlash');
    case 'url':
      return t('dpopTools.lens.parts.url');
  }
}

/** The usual cause of an htu difference, in the UI language. */
export function causeText(t: TFunction, cause: HtuCause): string {
  switch (cause) {
    case 'proxy':
      return t('dpopTools.lens.causes.proxy');
    case 'path-prefix':
      return t('dpopTools.lens.causes.pathPrefix');
    case 'default-port':
      return t('dpopTools.lens.causes.defaultPort');
    case 'trailing-slash':
      return t('dpopTools.lens.causes.trailingSlash');
    case 'path-case':
      return t('dpopTools.lens.causes.pathCase');
    case 'another-endpoint':
      return t('dpopTools.lens.causes.anotherEndpoint');
    case 'another-host':
      return t('dpopTools.lens.causes.anotherHost');
    case 'not-a-url':
      return t('dpopTools.lens.causes.notAUrl');
  }
}

/** The `htu` lens as a table: one row per component; the differing row says so in words. */
export function HtuLensView({ lens }: { lens: HtuLens }) {
  const { t } = useTranslation();
  const titleId = useId();
  const empty = (value: string) => (value === '' ? <span className="muted">{t('dpopTools.lens.none')}</span> : <code>{value}</code>);
  return (
    <section className="dpop-lens stack" aria-labelledby={titleId} data-testid="dpop-htu-lens">
      <h3 id={titleId} className="dpop-title">
        {t('dpopTools.lens.title')}
      </h3>
      <p className={cx('dpop-lens-verdict', lens.equal ? 'is-ok' : 'is-failed')}>
        {lens.equal ? t('dpopTools.lens.equal') : t('dpopTools.lens.differs', { part: partName(t, lens.differs ?? 'url') })}
        {lens.cause !== undefined && (
          <>
            {' '}
            <span className="dpop-lens-cause">{t('dpopTools.lens.cause', { cause: causeText(t, lens.cause) })}</span>
          </>
        )}
      </p>
      {lens.rows.length > 0 && (
        <table className="dpop-lens-table">
          <thead>
            <tr>
              <th scope="col">{t('dpopTools.lens.part')}</th>
              <th scope="col">{t('dpopTools.lens.server')}</th>
              <th scope="col">{t('dpopTools.lens.proof')}</th>
              <th scope="col">{t('dpopTools.lens.status')}</th>
            </tr>
          </thead>
          <tbody>
            {lens.rows.map((row) => (
              <tr key={row.part} className={cx(row.differs && 'is-differs', row.ignored && 'is-ignored')} data-part={row.part}>
                <th scope="row">{partName(t, row.part)}</th>
                <td>{empty(row.expected)}</td>
                <td>{empty(row.actual)}</td>
                <td>
                  {row.differs ? (
                    <Badge tone="danger">{lens.differs === 'trailing-slash' ? t('dpopTools.lens.rowTrailingSlash') : t('dpopTools.lens.rowDiffers')}</Badge>
                  ) : row.ignored ? (
                    <Badge>{t('dpopTools.lens.rowIgnored')}</Badge>
                  ) : (
                    <span className="muted">{t('dpopTools.lens.rowSame')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="dpop-pairs">
        <dt>{t('dpopTools.lens.server')}</dt>
        <dd>
          <code>{lens.expected}</code>
        </dd>
        <dt>{t('dpopTools.lens.proof')}</dt>
        <dd>
          <code>{lens.actual}</code>
        </dd>
      </dl>
      {lens.defaultPortWritten !== undefined && <p className="muted small">{t('dpopTools.lens.defaultPortNote', { port: lens.defaultPortWritten })}</p>}
    </section>
  );
}

function signed(n: number): string {
  const rounded = Math.round(n);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)}`;
}

/** The clock line: proof iat, server time, the window, the delta, and the skew measured from a Date. */
export function ClockLineView({ clock, dateUnreadable }: { clock: ClockLine; dateUnreadable?: boolean }) {
  const { t } = useTranslation();
  const titleId = useId();
  const position =
    clock.position === 'inside' ? t('dpopTools.clock.inside') : clock.position === 'too-old' ? t('dpopTools.clock.tooOld') : t('dpopTools.clock.tooNew');
  return (
    <section className="dpop-clock stack" aria-labelledby={titleId} data-testid="dpop-clock-line">
      <h3 id={titleId} className="dpop-title">
        {t('dpopTools.clock.title')}
      </h3>
      <p className={cx('dpop-clock-verdict', clock.position === 'inside' ? 'is-ok' : 'is-failed')}>{position}</p>
      <dl className="dpop-pairs">
        <dt>{t('dpopTools.clock.iat')}</dt>
        <dd>
          <code>{isoSeconds(clock.iat)}</code> ({clock.iat})
        </dd>
        <dt>{t('dpopTools.clock.serverTime')}</dt>
        <dd>
          <code>{isoSeconds(clock.serverTime)}</code>
        </dd>
        <dt>{t('dpopTools.clock.delta')}</dt>
        <dd>{t('dpopTools.clock.seconds', { value: signed(clock.delta) })}</dd>
        <dt>{t('dpopTools.clock.window')}</dt>
        <dd>{t('dpopTools.clock.windowValue', { past: clock.pastSeconds, future: clock.futureSeconds })}</dd>
        {clock.measuredSkew !== undefined && clock.responseDate !== undefined && (
          <>
            <dt>{t('dpopTools.clock.skew')}</dt>
            <dd>{t('dpopTools.clock.skewValue', { value: signed(clock.measuredSkew), date: isoSeconds(clock.responseDate) })}</dd>
          </>
        )}
      </dl>
      {dateUnreadable && <p className="muted small">{t('dpopTools.clock.dateUnreadable')}</p>}
    </section>
  );
}

function eventText(t: TFunction, event: NonceEvent): string {
  switch (event.kind) {
    case 'sent-without-proof':
      return t('dpopTools.nonce.sentWithoutProof', { attempt: event.attempt });
    case 'sent':
      return event.nonce === undefined
        ? t('dpopTools.nonce.sentNoNonce', { attempt: event.attempt })
        : t('dpopTools.nonce.sentWithNonce', { attempt: event.attempt, nonce: event.nonce });
    case 'challenge':
      return t('dpopTools.nonce.challenge', { attempt: event.attempt, status: event.status, nonce: event.nonce });
    case 'rotation':
      return t('dpopTools.nonce.rotation', { attempt: event.attempt, from: event.from, to: event.to });
    case 'answered':
      return t('dpopTools.nonce.answered', { attempt: event.attempt, status: event.status });
  }
}

/** A flow step's nonce history, in order; a request sent without a proof is flagged. */
export function NonceHistoryView({ events }: { events: readonly NonceEvent[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <section className="dpop-nonce stack" aria-labelledby={titleId} data-testid="dpop-nonce-history">
      <h3 id={titleId} className="dpop-title">
        {t('dpopTools.nonce.title')}
      </h3>
      <ol className="dpop-nonce-list">
        {events.map((event, i) => (
          <li key={i} className={cx(event.kind === 'sent-without-proof' && 'is-flagged')}>
            {event.kind === 'sent-without-proof' && (
              <>
                <Badge tone="warning">{t('dpopTools.nonce.flag')}</Badge>{' '}
              </>
            )}
            {eventText(t, event)}
          </li>
        ))}
      </ol>
    </section>
  );
}
