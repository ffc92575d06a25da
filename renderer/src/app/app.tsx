/**
 * The root: connects core events, then shows the vault screen until the vault is unlocked and the shell after
 * (the vault state, settings and host facts were asked for at start: startBoot).
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
import { screenFromHash } from './route';
import { preloadScreenWhenIdle } from './screens';
import { Shell } from './shell';

/** The longest the first render waits for the core's first answers before it shows "Loading…" instead. */
const BOOT_WAIT_MS = 1000;

/**
 * Asks the core for the vault state, settings and host facts. Called by main.tsx before the first render,
 * which waits (at most BOOT_WAIT_MS) until the vault state is known and the chosen language is in: the first
 * screen then shows at once, in its language, without a "Loading…" or a switch of language first.
 */
export function startBoot(): Promise<void> {
  const store = useAppStore.getState();
  const vault = store.refreshVault();
  const language = store.loadSettings().then(() => {
    const chosen = useAppStore.getState().settings.values?.language;
    return chosen ? applyLanguagePreference(chosen) : undefined;
  });
  void store.loadAppInfo();
  // Neither rejects (the slices keep their errors for the screens); the timer only bounds the wait.
  return Promise.race([Promise.all([vault, language]).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, BOOT_WAIT_MS))]);
}

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

  // The core's first answers were asked for before the first render (startBoot, from main.tsx).
  useEffect(() => connectEvents(), []);

  // Behind the vault screen, fetch the code of the screen the shell will open while the user types.
  const locked = status !== null && status !== undefined && status.state !== 'unlocked';
  useEffect(() => (locked ? preloadScreenWhenIdle(screenFromHash(window.location.hash)) : undefined), [locked]);

  useEffect(() => {
    if (language) void applyLanguagePreference(language);
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
