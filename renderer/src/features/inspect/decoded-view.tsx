/**
 * The decoded token: header and payload as tables of claims (value, meaning, spec reference, dates in
 * local time and relative to now) beside their pretty-printed JSON, then the signature part. Every
 * section is collapsible (<details>), so a long payload can be folded away.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClaimLocation } from './claims';
import { claimInfo, isDateClaim } from './claims';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { CopyButton } from '../../components/copy-button';
import { Spinner } from '../../components/spinner';
import { claimDescription } from './claim-descriptions';
import type { DecodeOutcome } from '../../state/decode/decode-core';
import { decodeErrorMessage } from './decode-error';
import { formatNumericDate, formatRelative, useNow } from './time';

/** A value longer than this is cut in the claims table (the JSON beside it has it whole). */
const MAX_VALUE_CHARS = 600;

/** The decoded view of the Token input. */
export function DecodedView({ outcome, decoding, big }: { outcome: DecodeOutcome; decoding: boolean; big: boolean }) {
  const { t } = useTranslation();
  if (decoding && big) {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('inspect.decoding')}
      </p>
    );
  }
  switch (outcome.kind) {
    case 'empty':
      return <p className="muted inspect-placeholder">{t('inspect.decoded.placeholder')}</p>;
    case 'error':
      return (
        <Banner tone="error" role="alert" title={t('inspect.errors.title')}>
          <p>{decodeErrorMessage(t, outcome)}</p>
          <p className="banner-detail">{outcome.message}</p>
        </Banner>
      );
    case 'jwe':
      return (
        <div className="stack">
          <Banner tone="info" title={t('inspect.decoded.jweTitle')}>
            <p>{t('inspect.decoded.jweBody')}</p>
          </Banner>
          <ClaimsSection title={t('inspect.decoded.protectedHeader')} location="header" values={outcome.header} json={outcome.headerJson} />
        </div>
      );
    case 'jws':
      return (
        <div className="stack">
          <TokenSummary header={outcome.header} bytes={outcome.bytes} />
          <ClaimsSection title={t('inspect.decoded.header')} location="header" values={outcome.header} json={outcome.headerJson} />
          <ClaimsSection title={t('inspect.decoded.payload')} location="payload" values={outcome.payload} json={outcome.payloadJson} />
          <SignatureSection signature={outcome.signature} alg={outcome.header.alg} />
        </div>
      );
  }
}

function TokenSummary({ header, bytes }: { header: Record<string, unknown>; bytes: number }) {
  const { t } = useTranslation();
  const alg = typeof header.alg === 'string' ? header.alg : null;
  const typ = typeof header.typ === 'string' ? header.typ : null;
  return (
    <div className="chips inspect-summary">
      {alg && <Badge tone={alg === 'none' ? 'danger' : 'accent'}>{alg}</Badge>}
      {typ && <Badge>{typ}</Badge>}
      <span className="muted">{t('inspect.decoded.size', { count: bytes })}</span>
    </div>
  );
}

/** A collapsible section. Nothing interactive goes in the <summary>: a click there toggles the section. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="inspect-section" open>
      <summary className="inspect-section-summary">
        <h3 className="inspect-section-title">{title}</h3>
      </summary>
      <div className="inspect-section-body">{children}</div>
    </details>
  );
}

function ClaimsSection({ title, location, values, json }: { title: string; location: ClaimLocation; values: Record<string, unknown>; json: string }) {
  const { t } = useTranslation();
  const names = Object.keys(values);
  return (
    <Section title={title}>
      <div className="inspect-claims-grid">
        <pre className="code inspect-json" tabIndex={0} aria-label={t('inspect.decoded.jsonOf', { part: title })}>
          <code>{json}</code>
        </pre>
        {names.length === 0 ? (
          <p className="muted">{t('inspect.decoded.noClaims')}</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table inspect-claims">
              <caption className="sr-only">{t('inspect.decoded.claimsOf', { part: title })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('inspect.decoded.claim')}</th>
                  <th scope="col">{t('inspect.decoded.value')}</th>
                  <th scope="col">{t('inspect.decoded.meaning')}</th>
                </tr>
              </thead>
              <tbody>
                {names.map((name) => (
                  <ClaimRow key={name} location={location} name={name} value={values[name]} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Section>
  );
}

function ClaimRow({ location, name, value }: { location: ClaimLocation; name: string; value: unknown }) {
  const { t } = useTranslation();
  const info = claimInfo(location, name);
  const description = info ? claimDescription(t, info.descriptionKey) : null;
  return (
    <tr>
      <th scope="row" className="mono nowrap">
        {name}
      </th>
      <td className="inspect-value">
        {location === 'payload' && isDateClaim(name) && typeof value === 'number' ? (
          <DateValue name={name} seconds={value} />
        ) : (
          <code className="mono break">{displayValue(value)}</code>
        )}
      </td>
      <td>
        <div className="inspect-meaning">
          {description ? <span>{description}</span> : <span className="muted">{t('inspect.decoded.unknownClaim')}</span>}
          {info && <span className="inspect-spec muted">{info.spec}</span>}
        </div>
      </td>
    </tr>
  );
}

function DateValue({ name, seconds }: { name: string; seconds: number }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const local = formatNumericDate(seconds, i18n.language);
  const relative = formatRelative(seconds, now, i18n.language);
  const past = seconds * 1000 <= now;
  const when =
    relative === null ? null : name === 'exp' ? (past ? t('inspect.time.expired', { relative }) : t('inspect.time.expires', { relative })) : relative;
  return (
    <div className="inspect-date">
      <code className="mono">{seconds}</code>
      {local && <span className="inspect-date-local">{local}</span>}
      {when && <span className={name === 'exp' && past ? 'inspect-date-relative danger-text' : 'inspect-date-relative muted'}>{when}</span>}
    </div>
  );
}

function displayValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

function SignatureSection({ signature, alg }: { signature: string; alg: unknown }) {
  const { t } = useTranslation();
  return (
    <Section title={t('inspect.decoded.signature')}>
      {signature === '' ? (
        <p className={alg === 'none' ? 'danger-text' : 'muted'}>{t('inspect.decoded.noSignature')}</p>
      ) : (
        <>
          <div className="inspect-signature">
            <code className="mono break">{signature}</code>
            <CopyButton text={signature} label={t('inspect.decoded.copySignature')} />
          </div>
          <p className="field-hint">{t('inspect.decoded.signatureHint')}</p>
        </>
      )}
    </Section>
  );
}
