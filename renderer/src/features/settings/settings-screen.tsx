/** Settings: the UI language (persisted by the core, applied at once) and facts about this installation. */
import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languagePreferenceSchema } from '../../../../shared/ipc/contract';
import type { LanguagePreference } from '../../i18n/language';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField } from '../../components/field';
import { Spinner } from '../../components/spinner';
import { applyLanguagePreference } from '../../i18n';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';

/** The Settings screen. */
export function SettingsScreen() {
  const { t } = useTranslation();
  return (
    <div className="screen settings-screen">
      <header className="screen-header">
        <div>
          <h1 className="screen-title" tabIndex={-1}>
            {t('settings.title')}
          </h1>
          <p className="muted">{t('settings.subtitle')}</p>
        </div>
      </header>
      <div className="settings-sections">
        <LanguageSection />
        <TourSection />
        <VaultSection />
        <AboutSection />
      </div>
    </div>
  );
}

function LanguageSection() {
  const { t } = useTranslation();
  const values = useAppStore((s) => s.settings.values);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const pushToast = useAppStore((s) => s.pushToast);
  const [choice, setChoice] = useState<LanguagePreference | null>(null);
  const [saving, setSaving] = useState(false);
  const current: LanguagePreference = choice ?? values?.language ?? 'system';

  const onChange = async (event: ChangeEvent<HTMLSelectElement>) => {
    const parsed = languagePreferenceSchema.safeParse(event.target.value);
    if (!parsed.success) return;
    const previous = current;
    const next = parsed.data;
    setChoice(next);
    // Apply before the round trip so the switch feels instant; revert if the core refuses.
    applyLanguagePreference(next);
    setSaving(true);
    try {
      await updateSettings({ language: next });
      setChoice(null);
    } catch (e) {
      applyLanguagePreference(previous);
      setChoice(null);
      const { message, detail } = describeError(t, e);
      pushToast({ kind: 'error', message: t('settings.language.saveFailed'), detail: detail ?? message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card settings-card">
      <h2 className="section-title">
        {t('settings.language.title')}
      </h2>
      <SelectField
        label={t('settings.language.label')}
        value={current}
        onChange={(e) => void onChange(e)}
        hint={t('settings.language.hint')}
        className="settings-select"
        aria-busy={saving || undefined}
      >
        <option value="system">{t('settings.language.system')}</option>
        <option value="en" lang="en">
          {t('settings.language.en')}
        </option>
        <option value="fr-CA" lang="fr-CA">
          {t('settings.language.frCA')}
        </option>
        <option value="ja-JP" lang="ja-JP">
          {t('settings.language.jaJP')}
        </option>
      </SelectField>
    </section>
  );
}

function TourSection() {
  const { t } = useTranslation();
  const startTour = useAppStore((s) => s.startTour);
  const onStart = () => {
    startTour();
    // An open tour stays where it is: bring focus to it.
    window.requestAnimationFrame(() => document.querySelector<HTMLElement>('.tour-panel .tour-title')?.focus());
  };
  return (
    <section className="card settings-card">
      <h2 className="section-title">
        {t('tour.settings.title')}
      </h2>
      <p className="muted settings-tour-text">{t('tour.settings.body')}</p>
      <div className="row">
        <Button onClick={onStart}>{t('tour.settings.start')}</Button>
      </div>
    </section>
  );
}

function VaultSection() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.vault.status);
  if (!status) return null;
  return (
    <section className="card settings-card">
      <h2 className="section-title">
        {t('settings.vault.title')}
      </h2>
      <dl className="facts">
        <dt>{t('settings.vault.protector')}</dt>
        <dd>{status.protector === 'passphrase' ? t('settings.vault.passphrase') : t('settings.vault.safeStorage')}</dd>
      </dl>
    </section>
  );
}

function AboutSection() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.settings.appInfo);
  const error = useAppStore((s) => s.settings.appInfoError);
  return (
    <section className="card settings-card">
      <h2 className="section-title">
        {t('settings.about.title')}
      </h2>
      {info ? (
        <dl className="facts">
          <dt>{t('settings.about.version')}</dt>
          <dd className="mono">{info.version}</dd>
          <dt>{t('settings.about.mode')}</dt>
          <dd>{info.mode === 'electron' ? t('settings.about.modeElectron') : t('settings.about.modeWeb')}</dd>
          <dt>{t('settings.about.dataDir')}</dt>
          <dd>
            <div className="thumbprint">
              <code className="mono break">{info.dataDir}</code>
              <CopyButton text={info.dataDir} label={t('settings.about.copyDataDir')} />
            </div>
          </dd>
          <dt>{t('settings.about.platform')}</dt>
          <dd className="mono">{info.platform}</dd>
        </dl>
      ) : error ? (
        <ErrorBanner error={error} />
      ) : (
        <p className="muted" role="status">
          <Spinner /> {t('common.loading')}
        </p>
      )}
    </section>
  );
}
