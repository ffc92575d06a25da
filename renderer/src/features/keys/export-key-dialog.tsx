/**
 * Export a key: the public key (PEM, JWK, JWKS), a self-signed certificate, or, only after an explicit
 * confirmation and with an export passphrase, the private key as encrypted PKCS#8. The private export also
 * needs proof each time: the vault passphrase, or (a keychain vault in the desktop app) the system's own
 * confirmation dialog, which the core asks for. Files are saved through a Blob download; nothing private is
 * ever shown on screen.
 */
import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportedFile, KeySummary } from '../../../../shared/schemas/keys';
import { call } from '../../api/client';
import { useAppStore } from '../../state/store';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { Dialog } from '../../components/dialog';
import { downloadText } from '../../components/download';
import { ErrorBanner } from '../../components/error-text';
import { CheckboxField, TextField } from '../../components/field';
import { Spinner } from '../../components/spinner';
import { Tabs } from '../../components/tabs';
import { useSubmit } from '../../components/use-submit';
import { MIN_PASSPHRASE } from '../vault/setup-form';

type ExportTab = 'public' | 'certificate' | 'private';
type PublicFormat = 'pem' | 'jwk' | 'jwks';

/** The Export dialog. */
export function ExportKeyDialog({ keySummary, onClose }: { keySummary: KeySummary; onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<ExportTab>('public');
  return (
    <Dialog title={t('keys.export.title', { name: keySummary.name })} onClose={onClose} size="lg">
      <Tabs
        label={t('keys.export.what')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'public', label: t('keys.export.publicTab'), panel: <PublicExport keyId={keySummary.id} /> },
          { id: 'certificate', label: t('keys.export.certificateTab'), panel: <CertificateExport keySummary={keySummary} /> },
          { id: 'private', label: t('keys.export.privateTab'), panel: <PrivateExport keySummary={keySummary} /> },
        ]}
      />
    </Dialog>
  );
}

function DownloadButton({ file, label }: { file: ExportedFile; label: string }) {
  const { t } = useTranslation();
  return (
    <Button size="sm" variant="ghost" aria-label={label} onClick={() => downloadText(file.filename, file.content, file.mimeType)}>
      <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path
          d="M8 2v8M4.5 6.5L8 10l3.5-3.5M2.5 11v2.5h11V11"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span>{t('common.download')}</span>
    </Button>
  );
}

function PublicExport({ keyId }: { keyId: string }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<PublicFormat>('pem');
  const [result, setResult] = useState<{ format: PublicFormat; file: ExportedFile } | { format: PublicFormat; error: unknown } | null>(null);

  useEffect(() => {
    let live = true;
    call('keys.exportPublic', { id: keyId, format }).then(
      (file) => live && setResult({ format, file }),
      (error: unknown) => live && setResult({ format, error }),
    );
    return () => {
      live = false;
    };
  }, [keyId, format]);

  const current = result?.format === format ? result : null;
  const formats: { id: PublicFormat; label: string }[] = [
    { id: 'pem', label: t('keys.export.formatPem') },
    { id: 'jwk', label: t('keys.export.formatJwk') },
    { id: 'jwks', label: t('keys.export.formatJwks') },
  ];

  return (
    <div className="stack">
      <p className="muted">{t('keys.export.publicIntro')}</p>
      <fieldset className="fieldset">
        <legend className="field-label">{t('keys.export.format')}</legend>
        <div className="segmented">
          {formats.map((f) => (
            <label key={f.id} className="segmented-option">
              <input type="radio" name="public-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
              <span>{f.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {!current ? (
        <p className="muted" role="status">
          <Spinner /> {t('common.loading')}
        </p>
      ) : 'error' in current ? (
        <ErrorBanner error={current.error} />
      ) : (
        <CodeBlock
          title={current.file.filename}
          code={current.file.content}
          copyLabel={t('keys.export.copyPublic')}
          actions={<DownloadButton file={current.file} label={t('keys.export.downloadPublic')} />}
          maxHeight={260}
        />
      )}
    </div>
  );
}

function CertificateExport({ keySummary }: { keySummary: KeySummary }) {
  const { t } = useTranslation();
  const [days, setDays] = useState('365');
  const [commonName, setCommonName] = useState('');
  const [daysError, setDaysError] = useState<string | null>(null);
  const [file, setFile] = useState<ExportedFile | null>(null);
  const { busy, error, run } = useSubmit({ staysOpen: true });

  if (!keySummary.hasPrivateKey) return <Banner tone="info">{<p>{t('keys.export.needsPrivateKey')}</p>}</Banner>;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 3650) return setDaysError(t('keys.export.daysRange', { min: 1, max: 3650 }));
    setDaysError(null);
    return run(async () => {
      const cn = commonName.trim();
      setFile(await call('keys.exportCertificate', { id: keySummary.id, days: n, ...(cn ? { commonName: cn } : {}) }));
    });
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
      <p className="muted">{t('keys.export.certificateIntro')}</p>
      <div className="grid-2">
        <TextField
          label={t('keys.export.days')}
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={daysError}
        />
        <TextField
          label={t('keys.export.commonName')}
          value={commonName}
          onChange={(e) => setCommonName(e.target.value)}
          placeholder={keySummary.name.slice(0, 64)}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          {t('keys.export.createCertificate')}
        </Button>
      </div>
      <ErrorBanner error={error} />
      {file && (
        <CodeBlock
          title={file.filename}
          code={file.content}
          copyLabel={t('keys.export.copyCertificate')}
          actions={<DownloadButton file={file} label={t('keys.export.downloadCertificate')} />}
          maxHeight={240}
        />
      )}
    </form>
  );
}

function PrivateExport({ keySummary }: { keySummary: KeySummary }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [vaultPassphrase, setVaultPassphrase] = useState('');
  const [touched, setTouched] = useState(false);
  // A passphrase vault proves each export with its passphrase; a keychain vault has the system confirm it.
  const needsVaultPassphrase = useAppStore((s) => s.vault.status?.protector) !== 'safeStorage';
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });
  const [saved, setSaved] = useState<string | null>(null);

  if (!keySummary.hasPrivateKey) return <Banner tone="info">{<p>{t('keys.export.noPrivateKey')}</p>}</Banner>;

  const tooShort = passphrase.length < MIN_PASSPHRASE;
  const mismatch = again !== passphrase;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    clearError();
    setSaved(null);
    if (!confirmed || tooShort || mismatch || (needsVaultPassphrase && vaultPassphrase === '')) return;
    return run(async () => {
      try {
        const file = await call('keys.exportPrivate', { id: keySummary.id, confirm: true, passphrase, ...(needsVaultPassphrase ? { vaultPassphrase } : {}) });
        downloadText(file.filename, file.content, file.mimeType);
        setSaved(file.filename);
        setPassphrase('');
        setAgain('');
        setTouched(false);
      } finally {
        // Never kept: the next export asks again.
        setVaultPassphrase('');
      }
    });
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
      <Banner tone="warning" title={t('keys.export.privateWarningTitle')}>
        <p>{t('keys.export.privateWarning')}</p>
      </Banner>
      <CheckboxField label={t('keys.export.confirmPrivate')} checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
      <div className="grid-2">
        <TextField
          label={t('keys.export.passphrase')}
          hint={t('vault.setup.hint', { count: MIN_PASSPHRASE })}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          disabled={!confirmed}
          error={touched && confirmed && tooShort ? t('vault.setup.tooShort', { count: MIN_PASSPHRASE }) : undefined}
        />
        <TextField
          label={t('keys.export.passphraseConfirm')}
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          disabled={!confirmed}
          error={touched && confirmed && !tooShort && mismatch ? t('vault.setup.mismatch') : undefined}
        />
      </div>
      {needsVaultPassphrase ? (
        <TextField
          label={t('keys.export.vaultPassphrase')}
          hint={t('keys.export.vaultPassphraseHint')}
          type="password"
          autoComplete="current-password"
          value={vaultPassphrase}
          onChange={(e) => setVaultPassphrase(e.target.value)}
          disabled={!confirmed}
          error={touched && confirmed && vaultPassphrase === '' ? t('keys.export.vaultPassphraseEmpty') : undefined}
        />
      ) : (
        <p className="muted">{t('keys.export.systemConfirm')}</p>
      )}
      <p className="muted">{t('keys.export.audited')}</p>
      <div>
        <Button type="submit" variant="danger" busy={busy} disabled={!confirmed}>
          {t('keys.export.exportPrivate')}
        </Button>
      </div>
      <ErrorBanner error={error} />
      {saved && (
        <p className="success-text" role="status">
          {t('keys.export.privateSaved', { file: saved })}
        </p>
      )}
    </form>
  );
}
