/**
 * Inspect's DPoP card (dpop-rules.md §11 "Inspector"): a DPoP proof (typ dpop+jwt) shows its htm, htu,
 * iat (with its age), jti, ath and nonce and the RFC 7638 thumbprint of its jwk; a DPoP-bound access token (cnf.jkt)
 * says which vault key it is bound to, or the thumbprint when no vault key matches; a certificate-bound one
 * (mTLS, cnf.x5t#S256, which Auth0 types DPoP as well) shows the certificate's thumbprint. Nothing for other
 * tokens. The thumbprint is computed here (jose, WebCrypto) from the public members only.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DpopProofSummary } from '../../../../shared/explain/dpop';
import { boundKeyName, isDpopProofHeader, summariseDpopProof, tokenJkt, tokenX5t } from '../../../../shared/explain/dpop';
import { isoSeconds } from '../../../../shared/explain/evaluate-at';
import type { DecodeOutcome } from '../../state/decode/decode-core';
import { useAppStore } from '../../state/store';
import { labelGap } from '../../i18n/format';
import { formatNumericDate, formatRelative, useNow } from './time';

/** The proof's claims and thumbprint (computed once per decoded proof). */
function useProofSummary(header: Record<string, unknown> | undefined, payload: Record<string, unknown> | undefined): DpopProofSummary | null {
  const [summary, setSummary] = useState<{ for: object; summary: DpopProofSummary } | null>(null);
  useEffect(() => {
    if (header === undefined || payload === undefined) return;
    let live = true;
    void summariseDpopProof(header, payload).then((s) => live && setSummary({ for: header, summary: s }));
    return () => {
      live = false;
    };
  }, [header, payload]);
  return summary !== null && summary.for === header ? summary.summary : null;
}

/** The DPoP card under the decoded token; nothing unless the token is a proof or is DPoP-bound. */
export function DpopInspectCard({ decoded }: { decoded: DecodeOutcome }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const keys = useAppStore((s) => s.keys.items);
  // The proof's age, kept true while the screen is open (a proof is usually minutes old at most).
  const now = useNow();
  const jws = decoded.kind === 'jws' ? decoded : null;
  const isProof = jws !== null && isDpopProofHeader(jws.header);
  const summary = useProofSummary(isProof ? jws.header : undefined, isProof ? jws.payload : undefined);
  const jkt = jws !== null && !isProof ? tokenJkt(jws.payload) : undefined;
  // A certificate-bound token (mTLS, cnf.x5t#S256) is typed DPoP by Auth0 too: its binding is named as such.
  const x5t = jws !== null && !isProof && jkt === undefined ? tokenX5t(jws.payload) : undefined;
  if (!isProof && jkt === undefined && x5t === undefined) return null;
  const keyName = jkt === undefined ? undefined : boundKeyName(jkt, keys);
  const row = (label: string, value: string | undefined) =>
    value === undefined ? null : (
      <>
        <dt>{label}</dt>
        <dd>
          <code>{value}</code>
        </dd>
      </>
    );
  return (
    <section className="card inspect-card dpop-inspect stack" aria-labelledby={titleId} data-testid="dpop-inspect">
      <h2 id={titleId} className="section-title">
        {isProof ? t('dpopTools.inspect.proofTitle') : x5t !== undefined ? t('dpopTools.inspect.certificateTitle') : t('dpopTools.inspect.boundTitle')}
      </h2>
      {isProof && (
        <dl className="dpop-pairs">
          {row('htm', summary?.htm)}
          {row('htu', summary?.htu)}
          {summary?.iat !== undefined &&
            row(
              'iat',
              `${summary.iat} · ${formatNumericDate(summary.iat, i18n.language) ?? isoSeconds(Math.floor(summary.iat))} (${formatRelative(summary.iat, now, i18n.language) ?? ''})`,
            )}
          {row('jti', summary?.jti)}
          {row('ath', summary?.ath)}
          {row('nonce', summary?.nonce)}
          <dt>{t('dpopTools.inspect.thumbprint')}</dt>
          <dd>
            {summary?.thumbprint !== undefined ? (
              <code>{summary.thumbprint}</code>
            ) : summary?.jwkProblem !== undefined ? (
              t('dpopTools.inspect.noThumbprint', { reason: summary.jwkProblem })
            ) : (
              '…'
            )}
          </dd>
        </dl>
      )}
      {x5t !== undefined && (
        <p>
          {t('dpopTools.inspect.boundToCertificate')}
          {labelGap(i18n.language)}
          <code className="mono">{x5t}</code>
        </p>
      )}
      {jkt !== undefined && (
        <p>
          {keyName !== undefined ? t('dpopTools.inspect.boundToKey', { name: keyName }) : t('dpopTools.inspect.boundToThumbprint')}
          {labelGap(i18n.language)}
          <code className="mono">{jkt}</code>
        </p>
      )}
    </section>
  );
}
