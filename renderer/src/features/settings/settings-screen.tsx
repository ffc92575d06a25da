/** Settings: the UI language (persisted by the core, applied at once) and facts about this installation. */
import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyThemePreference } from '../../app/theme';
import type { LanguagePreference } from '../../i18n/language';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField } from '../../components/field';
import { ScreenHeader } from '../../components/screen-header';
import { Spinner } from '../../components/spinner';
import { useFailureToast, useSubmit } from '../../components/use-submit';
import { applyLanguagePreference } from '../../i18n';
import { SavedDraftsSection } from '../drafts/saved-drafts-section';
import { useAppStore } from '../../state/store';
import { DEFAULT_IDLE_LOCK, idleLockSchema, languagePreferenceSchema, themePreferenceSchema } from '../../../../shared/schemas/settings';
import type { ThemePreference } from '../../../../shared/schemas/settings';

/** The Settings screen. */
export function SettingsScreen() {
  const { t } = useTranslation();
  return (
    <div className="screen settings-screen">
      <ScreenHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <div className="settings-sections">
        <LanguageSection />
        <ThemeSection />
        <TourSection />
        <SavedDraftsSection />
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
  const [choice, setChoice] = useState<LanguagePreference | null>(null);
  const { busy: saving, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('settings.language.saveFailed')) });
  const current: LanguagePreference = choice ?? values?.language ?? 'system';

  const onChange = async (event: ChangeEvent<HTMLSelectElement>) => {
    const parsed = languagePreferenceSchema.safeParse(event.target.value);
    if (!parsed.success) return;
    const previous = current;
    const next = parsed.data;
    setChoice(next);
    // Apply before the round trip so the switch feels instant; revert if the core refuses.
    applyLanguagePreference(next);
    await run(async () => {
      try {
        await updateSettings({ language: next });
      } catch (e) {
        applyLanguagePreference(previous);
        throw e;
      } finally {
        setChoice(null);
      }
    });
  };

  return (
    <section className="card settings-card">
      <h2 className="section-title">{t('settings.language.title')}</h2>
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

function ThemeSection() {
  const { t } = useTranslation();
  const saved = useAppStore((s) => s.settings.values?.theme);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [choice, setChoice] = useState<ThemePreference | null>(null);
  const { busy: saving, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('settings.theme.saveFailed')) });
  const current: ThemePreference = choice ?? saved ?? 'system';

  const onChange = async (event: ChangeEvent<HTMLSelectElement>) => {
    const parsed = themePreferenceSchema.safeParse(event.target.value);
    if (!parsed.success) return;
    const previous = current;
    setChoice(parsed.data);
    // Applied before the round trip, like the language; the desktop app's window follows on `settings.changed`.
    applyThemePreference(parsed.data);
    await run(async () => {
      try {
        await updateSettings({ theme: parsed.data });
      } catch (e) {
        applyThemePreference(previous);
        throw e;
      } finally {
        setChoice(null);
      }
    });
  };

  return (
    <section className="card settings-card">
      <h2 className="section-title">{t('settings.theme.title')}</h2>
      <SelectField
        label={t('settings.theme.label')}
        value={current}
        onChange={(e) => void onChange(e)}
        hint={t('settings.theme.hint')}
        className="settings-select"
        aria-busy={saving || undefined}
      >
        <option value="system">{t('settings.theme.system')}</option>
        <option value="light">{t('settings.theme.light')}</option>
        <option value="dark">{t('settings.theme.dark')}</option>
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
      <h2 className="section-title">{t('tour.settings.title')}</h2>
      <p className="muted settings-tour-text">{t('tour.settings.body')}</p>
      <div className="row">
        <Button onClick={onStart}>{t('tour.settings.start')}</Button>
      </div>
    </section>
  );
}

/** The idle times offered, in minutes (the core accepts any whole number from 1 to 1440). */
const IDLE_LOCK_CHOICES = [1, 5, 15, 30, 60, 240] as const;

function VaultSection() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.vault.status);
  if (!status) return null;
  return (
    <section className="card settings-card">
      <h2 className="section-title">{t('settings.vault.title')}</h2>
      <dl className="facts">
        <dt>{t('settings.vault.protector')}</dt>
        <dd>{status.protector === 'passphrase' ? t('settings.vault.passphrase') : t('settings.vault.safeStorage')}</dd>
      </dl>
      <IdleLockField />
    </section>
  );
}

function IdleLockField() {
  const { t } = useTranslation();
  const saved = useAppStore((s) => s.settings.values?.idleLockMinutes);
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const { busy: saving, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('settings.vault.idleLockSaveFailed')) });
  const current = saved ?? DEFAULT_IDLE_LOCK;
  // A value set outside this list (through the API) is still shown as chosen.
  const choices: (number | 'never')[] = [...IDLE_LOCK_CHOICES, 'never'];
  if (!choices.includes(current)) choices.unshift(current);
  const label = (value: number | 'never') =>
    value === 'never'
      ? t('settings.vault.idleLockNever')
      : value % 60 === 0
        ? t('settings.vault.idleLockHours', { count: value / 60 })
        : t('settings.vault.idleLockMinutes', { count: value });

  const onChange = async (event: ChangeEvent<HTMLSelectElement>) => {
    const parsed = idleLockSchema.safeParse(event.target.value === 'never' ? 'never' : Number(event.target.value));
    if (!parsed.success) return;
    await run(() => updateSettings({ idleLockMinutes: parsed.data }));
  };

  return (
    <SelectField
      label={t('settings.vault.idleLock')}
      value={String(current)}
      onChange={(e) => void onChange(e)}
      hint={mode === 'electron' ? t('settings.vault.idleLockHintElectron') : t('settings.vault.idleLockHintWeb')}
      className="settings-select"
      aria-busy={saving || undefined}
    >
      {choices.map((value) => (
        <option key={value} value={String(value)}>
          {label(value)}
        </option>
      ))}
    </SelectField>
  );
}

function AboutSection() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.settings.appInfo);
  const error = useAppStore((s) => s.settings.appInfoError);
  return (
    <section className="card settings-card">
      <h2 className="section-title">{t('settings.about.title')}</h2>
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
