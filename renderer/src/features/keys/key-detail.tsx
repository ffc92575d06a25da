/**
 * The selected key: facts, editable usages, certificate facts, and its public material (JWK, PEM,
 * certificate) in copyable code blocks. The header comes from the list summary so it shows at once;
 * the public material arrives with `keys.get`.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySummary, KeyUsage } from '../../../../shared/schemas/keys';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { Spinner } from '../../components/spinner';
import { describeError } from '../../i18n/errors';
import { formatDateTime } from '../../i18n/format';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, usagesFor, warningText } from './key-labels';
import { UsageCheckboxes } from './usage-checkboxes';

/** Props of KeyDetailView. Mount it with `key={id}` so local state resets per key. */
export interface KeyDetailViewProps {
  summary: KeySummary;
  onRename: () => void;
  onExport: () => void;
  onDelete: () => void;
}

/** The detail pane of one key. */
export function KeyDetailView({ summary, onRename, onExport, onDelete }: KeyDetailViewProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const storedDetail = useAppStore((s) => s.keys.detail);
  const detailError = useAppStore((s) => s.keys.detailError);
  const loadDetail = useAppStore((s) => s.loadDetail);
  const detail = storedDetail?.id === summary.id ? storedDetail : null;
  const date = (iso: string) => formatDateTime(iso, i18n.language);

  return (
    <section className="key-detail" aria-labelledby={headingId}>
      <header className="key-detail-header">
        <div className="key-detail-heading">
          <h2 id={headingId} className="key-detail-title">
            {summary.name}
          </h2>
          <p className="muted">{keyTypeLabel(t, summary)}</p>
        </div>
        <div className="row">
          <Button size="sm" onClick={onRename}>
            {t('keys.rename.open')}
          </Button>
          <Button size="sm" onClick={onExport}>
            {t('keys.export.open')}
          </Button>
          <Button size="sm" variant="danger-outline" onClick={onDelete}>
            {t('keys.delete.open')}
          </Button>
        </div>
      </header>

      {summary.warnings.map((warning) => (
        <Banner key={warning} tone={warning === 'public-only' ? 'info' : 'warning'}>
          <p>{warningText(t, warning)}</p>
        </Banner>
      ))}

      <div className="detail-section">
        <h3 className="section-title">{t('keys.detail.facts')}</h3>
        <dl className="facts">
          <dt>{t('keys.detail.thumbprint')}</dt>
          <dd>
            <div className="thumbprint">
              <code className="mono break">{summary.thumbprint}</code>
              <CopyButton text={summary.thumbprint} label={t('keys.detail.copyThumbprint')} />
            </div>
            <p className="field-hint">{t('keys.detail.thumbprintHint')}</p>
          </dd>
          <dt>{t('keys.detail.type')}</dt>
          <dd>{summary.kty}</dd>
          {summary.kty === 'RSA' ? (
            <>
              <dt>{t('keys.detail.size')}</dt>
              <dd>{summary.size ? t('keys.detail.bits', { count: summary.size }) : t('common.unknown')}</dd>
            </>
          ) : (
            <>
              <dt>{t('keys.detail.curve')}</dt>
              <dd>{summary.crv ?? t('common.unknown')}</dd>
            </>
          )}
          <dt>{t('keys.detail.algorithms')}</dt>
          <dd className="chips">
            {summary.algs.map((alg) => (
              <code key={alg} className="chip mono">
                {alg}
              </code>
            ))}
          </dd>
          <dt>{t('keys.detail.privateKey')}</dt>
          <dd>{summary.hasPrivateKey ? t('keys.detail.privateInVault') : t('keys.detail.publicOnly')}</dd>
          <dt>{t('keys.detail.created')}</dt>
          <dd>{date(summary.createdAt)}</dd>
          <dt>{t('keys.detail.expires')}</dt>
          <dd>{summary.expiresAt ? date(summary.expiresAt) : t('keys.detail.noExpiry')}</dd>
        </dl>
      </div>

      <div className="detail-section">
        <UsagesEditor summary={summary} />
      </div>

      {summary.certificate && (
        <div className="detail-section">
          <h3 className="section-title">{t('keys.detail.certificate')}</h3>
          <dl className="facts">
            <dt>{t('keys.detail.subject')}</dt>
            <dd className="mono break">{summary.certificate.subject}</dd>
            <dt>{t('keys.detail.issuer')}</dt>
            <dd className="mono break">{summary.certificate.issuer}</dd>
            <dt>{t('keys.detail.serial')}</dt>
            <dd className="mono break">{summary.certificate.serialNumber}</dd>
            <dt>{t('keys.detail.notBefore')}</dt>
            <dd>{date(summary.certificate.notBefore)}</dd>
            <dt>{t('keys.detail.notAfter')}</dt>
            <dd>{date(summary.certificate.notAfter)}</dd>
            <dt>{t('keys.detail.selfSigned')}</dt>
            <dd>{summary.certificate.selfSigned ? t('common.yes') : t('common.no')}</dd>
          </dl>
        </div>
      )}

      <div className="detail-section">
        <h3 className="section-title">{t('keys.detail.publicMaterial')}</h3>
        {detail ? (
          <div className="stack">
            <CodeBlock
              title={t('keys.detail.publicJwk')}
              code={JSON.stringify(detail.publicJwk, null, 2)}
              copyLabel={t('keys.detail.copyPublicJwk')}
              maxHeight={280}
            />
            <CodeBlock title={t('keys.detail.publicPem')} code={detail.publicPem} copyLabel={t('keys.detail.copyPublicPem')} maxHeight={280} />
            {detail.certificatePem && (
              <CodeBlock title={t('keys.detail.certificatePem')} code={detail.certificatePem} copyLabel={t('keys.detail.copyCertificatePem')} maxHeight={280} />
            )}
          </div>
        ) : detailError ? (
          <div className="stack">
            <ErrorBanner error={detailError} title={t('keys.detail.loadFailed')} />
            <div>
              <Button size="sm" onClick={() => void loadDetail(summary.id)}>
                {t('common.retry')}
              </Button>
            </div>
          </div>
        ) : (
          <p className="muted" role="status">
            <Spinner /> {t('common.loading')}
          </p>
        )}
      </div>
    </section>
  );
}

/** Usages as checkboxes that save on change, shown optimistically until the core answers. */
function UsagesEditor({ summary }: { summary: KeySummary }) {
  const { t } = useTranslation();
  const setKeyUsages = useAppStore((s) => s.setKeyUsages);
  const pushToast = useAppStore((s) => s.pushToast);
  const [pending, setPending] = useState<KeyUsage[] | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const latest = useRef(0);

  const onChange = async (next: KeyUsage[]) => {
    const request = ++latest.current;
    setPending(next);
    setState('saving');
    try {
      await setKeyUsages(summary.id, next);
      if (request === latest.current) setState('saved');
    } catch (e) {
      const { message, detail } = describeError(t, e);
      pushToast({ kind: 'error', message: t('keys.usage.saveFailed'), detail: detail ?? message });
      if (request === latest.current) setState('idle');
    } finally {
      if (request === latest.current) setPending(null);
    }
  };

  return (
    <div className="usages-editor">
      <UsageCheckboxes value={pending ?? summary.usages} onChange={(next) => void onChange(next)} busy={state === 'saving'} allowed={usagesFor(summary.kty)} />
      <p className="muted small usages-status" role="status">
        {state === 'saving' ? t('common.saving') : state === 'saved' ? t('common.saved') : ''}
      </p>
    </div>
  );
}
