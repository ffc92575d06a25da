/** First run with a passphrase protector: choose the passphrase that protects the vault's data key. */
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { TextField } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';

/** Minimum passphrase length; the contract enforces the same bound. */
export const MIN_PASSPHRASE = 8;

/** The "create a passphrase" form. */
export function SetupForm() {
  const { t } = useTranslation();
  const setupVault = useAppStore((s) => s.setupVault);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run, clearError } = useSubmit();

  const tooShort = passphrase.length < MIN_PASSPHRASE;
  const mismatch = confirm !== passphrase;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    clearError();
    if (tooShort || mismatch) return;
    // On success this form unmounts; the passphrase goes with its state.
    await run(() => setupVault(passphrase));
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
      <div>
        <h1 className="card-title">{t('vault.setup.title')}</h1>
        <p className="muted">{t('vault.setup.intro')}</p>
      </div>
      {/* For password managers: they file a passphrase under a user name, and Parley has none. */}
      <input type="text" name="username" autoComplete="username" value={t('app.name')} readOnly hidden />
      <TextField
        label={t('vault.passphrase')}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        hint={t('vault.setup.hint', { count: MIN_PASSPHRASE })}
        error={touched && tooShort ? t('vault.setup.tooShort', { count: MIN_PASSPHRASE }) : undefined}
        required
        autoFocus
      />
      <TextField
        label={t('vault.setup.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={touched && !tooShort && mismatch ? t('vault.setup.mismatch') : undefined}
        required
      />
      <p className="field-hint">{t('vault.setup.warning')}</p>
      <ErrorBanner error={error} />
      <Button type="submit" variant="primary" busy={busy} className="btn-block">
        {t('vault.setup.submit')}
      </Button>
    </form>
  );
}
