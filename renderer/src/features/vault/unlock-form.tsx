/** Unlocks the vault with its passphrase. A wrong passphrase is said plainly and the field is cleared. */
import type { FormEvent } from 'react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { TextField } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';

/** The unlock form. */
export function UnlockForm() {
  const { t } = useTranslation();
  const unlockVault = useAppStore((s) => s.unlockVault);
  const [passphrase, setPassphrase] = useState('');
  // On success this form unmounts, so it stays busy until then.
  const { busy, error, run, clearError } = useSubmit();
  const [empty, setEmpty] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const wrong = error instanceof ApiError && error.code === 'WRONG_PASSPHRASE';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    clearError();
    if (!passphrase) {
      setEmpty(true);
      input.current?.focus();
      return;
    }
    setEmpty(false);
    await run(async () => {
      try {
        await unlockVault(passphrase);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'WRONG_PASSPHRASE') {
          setPassphrase('');
          input.current?.focus();
        }
        throw e;
      }
    });
  };

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
      <div>
        <h1 className="card-title">{t('vault.unlock.title')}</h1>
        <p className="muted">{t('vault.unlock.intro')}</p>
      </div>
      {/* For password managers: they file a passphrase under a user name, and Parley has none. */}
      <input type="text" name="username" autoComplete="username" value={t('app.name')} readOnly hidden />
      <TextField
        ref={input}
        label={t('vault.passphrase')}
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        aria-invalid={wrong || empty || undefined}
        error={empty ? t('vault.unlock.empty') : undefined}
        required
        autoFocus
      />
      <ErrorBanner error={error} />
      <Button type="submit" variant="primary" busy={busy} className="btn-block">
        {t('vault.unlock.submit')}
      </Button>
    </form>
  );
}
