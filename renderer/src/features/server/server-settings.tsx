/**
 * The server's settings: profile, switches (saved as soon as they change, shown optimistically until the
 * core answers), the port (saved on submit, applied on the next restart) and the simulated clock offset.
 */
import type { TFunction } from 'i18next';
import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerSettings } from '../../../../shared/schemas/server';
import { Button } from '../../components/button';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { useFailureToast, useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { ClockOffsetControl } from './clock-offset';
import { profileLabel } from './server-labels';

type SwitchKey = 'consent' | 'parEnabled' | 'parRequired' | 'issParameter' | 'jarReplayCheck' | 'loopbackAnyPort' | 'https';
// `https` applies on restart, like the port; the status card says when a restart is pending.
const SWITCHES: readonly SwitchKey[] = ['consent', 'parEnabled', 'parRequired', 'issParameter', 'jarReplayCheck', 'loopbackAnyPort', 'https'];
const PROFILES: readonly ServerSettings['profile'][] = ['auth0', 'strict'];

/** The settings card. */
export function ServerSettingsCard() {
  const { t } = useTranslation();
  const headingId = useId();
  const settings = useAppStore((s) => s.server.status?.settings ?? null);
  const updateServerSettings = useAppStore((s) => s.updateServerSettings);
  const pushToast = useAppStore((s) => s.pushToast);
  const [pending, setPending] = useState<Partial<ServerSettings>>({});
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const latest = useRef(0);

  if (!settings) return null;
  const value = { ...settings, ...pending };

  const save = async (patch: Partial<ServerSettings>) => {
    const request = ++latest.current;
    setPending((p) => ({ ...p, ...patch }));
    setState('saving');
    try {
      await updateServerSettings(patch);
      if (request === latest.current) setState('saved');
    } catch (e) {
      const { message, detail } = describeError(t, e);
      pushToast({ kind: 'error', message: t('server.settings.saveFailed'), detail: detail ?? message });
      if (request === latest.current) setState('idle');
    } finally {
      if (request === latest.current) setPending({});
    }
  };

  return (
    <section className="card server-card" aria-labelledby={headingId}>
      <header className="server-card-header">
        <h2 id={headingId} className="section-title">
          {t('server.settings.title')}
        </h2>
        <p className="muted small" role="status">
          {state === 'saving' ? t('common.saving') : state === 'saved' ? t('common.saved') : ''}
        </p>
      </header>
      <div className="stack">
        <div className="server-settings-top">
          <SelectField
            label={t('server.settings.profile')}
            hint={value.profile === 'strict' ? t('server.settings.profileStrictHint') : t('server.settings.profileAuth0Hint')}
            value={value.profile}
            onChange={(e) => {
              const next = PROFILES.find((p) => p === e.target.value);
              if (next) void save({ profile: next });
            }}
            className="settings-select"
          >
            {PROFILES.map((profile) => (
              <option key={profile} value={profile}>
                {profileLabel(t, profile)}
              </option>
            ))}
          </SelectField>
          <PortForm port={settings.port} />
        </div>
        <div className="server-switches">
          {SWITCHES.map((key) => (
            <CheckboxField
              key={key}
              role="switch"
              label={switchLabel(t, key)}
              hint={switchHint(t, key)}
              checked={value[key]}
              disabled={key === 'parRequired' && !value.parEnabled && !value.parRequired}
              onChange={(e) => void save({ [key]: e.target.checked })}
            />
          ))}
        </div>
        <ClockOffsetControl offsetSeconds={settings.clockOffsetSeconds} />
      </div>
    </section>
  );
}

function PortForm({ port }: { port: number }) {
  const { t } = useTranslation();
  const updateServerSettings = useAppStore((s) => s.updateServerSettings);
  const pushToast = useAppStore((s) => s.pushToast);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('server.settings.saveFailed')) });
  const current = text ?? String(port);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const next = Number(current);
    if (!/^\d+$/.test(current.trim()) || !Number.isInteger(next) || next < 0 || next > 65535) return setError(t('server.settings.portRange'));
    await run(async () => {
      await updateServerSettings({ port: next });
      setText(null);
      pushToast({ kind: 'success', message: t('server.settings.portSaved', { port: next }) });
    });
  };

  return (
    <form className="port-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <TextField
        label={t('server.settings.port')}
        hint={t('server.settings.portHint')}
        error={error}
        type="number"
        inputMode="numeric"
        min={0}
        max={65535}
        value={current}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        className="port-field"
      />
      <Button type="submit" size="sm" busy={busy} disabled={current === String(port)}>
        {t('server.settings.savePort')}
      </Button>
    </form>
  );
}

function switchLabel(t: TFunction, key: SwitchKey): string {
  switch (key) {
    case 'consent':
      return t('server.settings.consent');
    case 'parEnabled':
      return t('server.settings.parEnabled');
    case 'parRequired':
      return t('server.settings.parRequired');
    case 'issParameter':
      return t('server.settings.issParameter');
    case 'jarReplayCheck':
      return t('server.settings.jarReplayCheck');
    case 'loopbackAnyPort':
      return t('server.settings.loopbackAnyPort');
    case 'https':
      return t('server.settings.https');
  }
}

function switchHint(t: TFunction, key: SwitchKey): string {
  switch (key) {
    case 'consent':
      return t('server.settings.consentHint');
    case 'parEnabled':
      return t('server.settings.parEnabledHint');
    case 'parRequired':
      return t('server.settings.parRequiredHint');
    case 'issParameter':
      return t('server.settings.issParameterHint');
    case 'jarReplayCheck':
      return t('server.settings.jarReplayCheckHint');
    case 'loopbackAnyPort':
      return t('server.settings.loopbackAnyPortHint');
    case 'https':
      return t('server.settings.httpsHint');
  }
}
