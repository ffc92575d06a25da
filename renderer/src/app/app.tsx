/**
 * The root: connects core events, asks the core for the vault state, settings and host facts, then shows
 * the vault screen until the vault is unlocked and the shell after.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components/button';
import { ErrorBanner } from '../components/error-text';
import { Spinner } from '../components/spinner';
import { Toaster } from '../components/toaster';
import { VaultScreen } from '../features/vault/vault-screen';
import { applyLanguagePreference } from '../i18n';
import { applyThemePreference } from './theme';
import { connectEvents } from '../state/core-events';
import { useAppStore } from '../state/store';
import { Brand } from './brand';
import { ErrorBoundary } from './error-boundary';
import { Shell } from './shell';

/** The whole renderer. */
export function App() {
  return (
    <ErrorBoundary>
      <Root />
      <Toaster />
    </ErrorBoundary>
  );
}

function Root() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.vault.status);
  const loadError = useAppStore((s) => s.vault.loadError);
  const language = useAppStore((s) => s.settings.values?.language);
  const theme = useAppStore((s) => s.settings.values?.theme);

  useEffect(() => {
    const store = useAppStore.getState();
    const disconnect = connectEvents();
    void store.refreshVault();
    void store.loadSettings();
    void store.loadAppInfo();
    return disconnect;
  }, []);

  useEffect(() => {
    if (language) applyLanguagePreference(language);
  }, [language]);

  useEffect(() => {
    if (theme) applyThemePreference(theme);
  }, [theme]);

  useEffect(() => {
    if (!status || status.state !== 'unlocked') document.title = t('app.name');
  }, [status, t]);

  if (!status) {
    return (
      <div className="center-screen">
        <div className="vault-column">
          <Brand />
          {loadError ? (
            <div className="card">
              <ErrorBanner error={loadError} title={t('boot.unreachable')} />
              <div className="row">
                <Button variant="primary" onClick={() => void useAppStore.getState().refreshVault()}>
                  {t('common.retry')}
                </Button>
              </div>
            </div>
          ) : (
            <p className="muted boot-loading" role="status">
              <Spinner /> {t('common.loading')}
            </p>
          )}
        </div>
      </div>
    );
  }
  if (status.state !== 'unlocked') return <VaultScreen status={status} />;
  return <Shell />;
}
