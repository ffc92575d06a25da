/**
 * The embedded server's clock: its simulated time, ticking, and the offset (± hours and minutes) with
 * Apply and Reset. The offset is `clockOffsetSeconds` in the server settings: every check of the server
 * (iat, exp, nbf, credential expiry) and the time of its traces read the host clock plus it.
 */
import type { TFunction } from 'i18next';
import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CLOCK_OFFSET_SECONDS } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { SelectField, TextField } from '../../components/field';
import { useFailureToast, useSubmit } from '../../components/use-submit';
import { labelGap } from '../../i18n/format';
import { useAppStore } from '../../state/store';

/** The server's simulated now, in ms, for an offset (the renderer and the core share the host's clock). */
export function serverNowMs(offsetSeconds: number): number {
  return Date.now() + offsetSeconds * 1000;
}

/** An offset in words: "+2 h 05 min", "−120 h 00 min", "−0 h 00 min 07 s" (a case import sets seconds), or "no offset". */
export function offsetLabel(t: TFunction, seconds: number): string {
  if (seconds === 0) return t('server.clock.noOffset');
  const abs = Math.abs(seconds);
  const sign = seconds > 0 ? '+' : '−';
  const hours = Math.floor(abs / 3600);
  const minutes = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  if (abs % 60 === 0) return t('server.clock.offsetValue', { sign, hours, minutes });
  return t('server.clock.offsetValueSeconds', { sign, hours, minutes, seconds: String(abs % 60).padStart(2, '0') });
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and a time with seconds, in the UI language. */
export function formatServerTime(ms: number, language: string): string {
  let f = timeFormats.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
    timeFormats.set(language, f);
  }
  return f.format(new Date(ms));
}

/** The server's simulated time, ticking every second. */
export function useServerNow(offsetSeconds: number): number {
  const [hostNow, setHostNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setHostNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return hostNow + offsetSeconds * 1000;
}

/** The clock-offset control of the Server settings card. */
export function ClockOffsetControl({ offsetSeconds }: { offsetSeconds: number }) {
  // Another window, or a case import, may change the offset: the form starts again from the saved one.
  return <ClockOffsetForm key={offsetSeconds} offsetSeconds={offsetSeconds} />;
}

function ClockOffsetForm({ offsetSeconds }: { offsetSeconds: number }) {
  const { t, i18n } = useTranslation();
  const legendId = useId();
  const updateServerSettings = useAppStore((s) => s.updateServerSettings);
  const pushToast = useAppStore((s) => s.pushToast);
  const now = useServerNow(offsetSeconds);
  const minutesTotal = Math.round(Math.abs(offsetSeconds) / 60);
  const [sign, setSign] = useState<'+' | '-'>(offsetSeconds < 0 ? '-' : '+');
  const [hours, setHours] = useState(String(Math.floor(minutesTotal / 60)));
  const [minutes, setMinutes] = useState(String(minutesTotal % 60));
  const [error, setError] = useState<string | null>(null);
  // Which button started the save in progress (it alone shows the spinner).
  const [saving, setSaving] = useState<'apply' | 'reset'>('apply');
  const { busy, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('server.settings.saveFailed')) });

  const save = async (next: number, which: 'apply' | 'reset') => {
    setSaving(which);
    await run(async () => {
      await updateServerSettings({ clockOffsetSeconds: next });
      pushToast({ kind: 'success', message: next === 0 ? t('server.clock.resetDone') : t('server.clock.saved', { offset: offsetLabel(t, next) }) });
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const h = /^\d{1,6}$/.test(hours.trim()) ? Number(hours) : Number.NaN;
    const m = /^\d{1,2}$/.test(minutes.trim()) ? Number(minutes) : Number.NaN;
    if (Number.isNaN(h) || Number.isNaN(m) || m > 59) return setError(t('server.clock.invalid'));
    const seconds = (sign === '-' ? -1 : 1) * (h * 3600 + m * 60);
    if (Math.abs(seconds) > MAX_CLOCK_OFFSET_SECONDS) return setError(t('server.clock.tooFar', { count: MAX_CLOCK_OFFSET_SECONDS / 3600 }));
    setError(null);
    void save(seconds, 'apply');
  };

  return (
    <fieldset className="fieldset clock-offset" aria-labelledby={legendId}>
      <legend id={legendId} className="field-label">
        {t('server.clock.legend')}
      </legend>
      <p className="field-hint">{t('server.clock.hint')}</p>
      <p className="clock-now">
        <span className="muted">{t('server.clock.serverTime')}</span>
        {labelGap(i18n.language)}
        <time dateTime={new Date(now).toISOString()}>{formatServerTime(now, i18n.language)}</time>{' '}
        {offsetSeconds === 0 ? (
          <Badge tone="neutral">{t('server.clock.realTime')}</Badge>
        ) : (
          <Badge tone="warning">{t('server.clock.simulated', { offset: offsetLabel(t, offsetSeconds) })}</Badge>
        )}
      </p>
      <form className="clock-form" onSubmit={onSubmit} noValidate>
        <SelectField label={t('server.clock.direction')} value={sign} onChange={(e) => setSign(e.target.value === '-' ? '-' : '+')} className="clock-sign">
          <option value="+">{t('server.clock.ahead')}</option>
          <option value="-">{t('server.clock.behind')}</option>
        </SelectField>
        <TextField
          label={t('server.clock.hours')}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_CLOCK_OFFSET_SECONDS / 3600}
          value={hours}
          error={error}
          onChange={(e) => {
            setHours(e.target.value);
            setError(null);
          }}
          className="clock-number"
        />
        <TextField
          label={t('server.clock.minutes')}
          type="number"
          inputMode="numeric"
          min={0}
          max={59}
          value={minutes}
          onChange={(e) => {
            setMinutes(e.target.value);
            setError(null);
          }}
          className="clock-number"
        />
        <Button type="submit" size="sm" busy={busy && saving === 'apply'}>
          {t('server.clock.apply')}
        </Button>
        <Button size="sm" variant="ghost" busy={busy && saving === 'reset'} disabled={offsetSeconds === 0} onClick={() => void save(0, 'reset')}>
          {t('server.clock.reset')}
        </Button>
      </form>
    </fieldset>
  );
}
