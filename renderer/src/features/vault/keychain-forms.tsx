/** The vault screens for the OS keychain protector (Electron safeStorage): no passphrase involved. */
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';

/** First run with the OS keychain: one click creates the vault. */
export function KeychainSetup() {
  const { t } = useTranslation();
  const setupVault = useAppStore((s) => s.setupVault);
  // On success this screen unmounts, so it stays busy until then.
  const { busy, error, run } = useSubmit();
  const onCreate = () => run(() => setupVault());
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
  const { busy, error, run } = useSubmit({ staysOpen: true });
  const onRetry = () => run(() => unlockVault());
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
