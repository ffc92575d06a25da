/** The vault screens for the OS keychain protector (Electron safeStorage): no passphrase involved. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { useAppStore } from '../../state/store';

/** First run with the OS keychain: one click creates the vault. */
export function KeychainSetup() {
  const { t } = useTranslation();
  const setupVault = useAppStore((s) => s.setupVault);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onCreate = async () => {
    setBusy(true);
    setError(null);
    try {
      await setupVault();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <div>
        <h1 className="card-title">{t('vault.keychain.setupTitle')}</h1>
        <p className="muted">{t('vault.keychain.setupIntro')}</p>
      </div>
      <ErrorBanner error={error} />
      <Button variant="primary" busy={busy} className="btn-block" onClick={() => void onCreate()}>
        {t('vault.keychain.create')}
      </Button>
    </div>
  );
}

/** The OS keychain did not unlock the vault: say so and offer to ask the keychain again. */
export function KeychainLocked() {
  const { t } = useTranslation();
  const unlockVault = useAppStore((s) => s.unlockVault);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onRetry = async () => {
    setBusy(true);
    setError(null);
    try {
      await unlockVault();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <div>
        <h1 className="card-title">{t('vault.keychain.lockedTitle')}</h1>
        <p className="muted">{t('vault.keychain.lockedIntro')}</p>
      </div>
      <ErrorBanner error={error} />
      <Button variant="primary" busy={busy} className="btn-block" onClick={() => void onRetry()}>
        {t('common.retry')}
      </Button>
    </div>
  );
}
