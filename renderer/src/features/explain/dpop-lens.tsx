/**
 * The DPoP views Explain adds beside the rules (dpop-rules.md §11 "Explainer"): the `htu` lens (the
 * server's URL and the proof's `htu`, component by component, the differing one marked in words and not
 * only by colour, with its usual cause), the clock line (iat, server time, window, measured skew), and a
 * flow step's nonce history. Models come from shared/explain/dpop.ts.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClockLine, HtuLens, NonceEvent } from '../../../../shared/explain/dpop';
import { signedSeconds } from '../../../../shared/explain/dpop-text';
import { isoSeconds } from '../../../../shared/explain/evaluate-at';
import { Badge } from '../../components/badge';
import { cx } from '../../components/class-names';
import { causeText, eventText, partName } from './dpop-words';

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
        <dd>{t('dpopTools.clock.seconds', { value: signedSeconds(clock.delta) })}</dd>
        <dt>{t('dpopTools.clock.window')}</dt>
        <dd>{t('dpopTools.clock.windowValue', { past: clock.pastSeconds, future: clock.futureSeconds })}</dd>
        {clock.measuredSkew !== undefined && clock.responseDate !== undefined && (
          <>
            <dt>{t('dpopTools.clock.skew')}</dt>
            <dd>{t('dpopTools.clock.skewValue', { value: signedSeconds(clock.measuredSkew), date: isoSeconds(clock.responseDate) })}</dd>
          </>
        )}
      </dl>
      {dateUnreadable && <p className="muted small">{t('dpopTools.clock.dateUnreadable')}</p>}
    </section>
  );
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
