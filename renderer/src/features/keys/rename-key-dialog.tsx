/** Rename a key. The name is only a label in Parley; the thumbprint (the `kid`) does not change. */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-text';
import { TextField } from '../../components/field';
import { useAppStore } from '../../state/store';
import { MAX_NAME } from './generate-key-dialog';

/** The Rename dialog. */
export function RenameKeyDialog({ keySummary, onClose }: { keySummary: KeySummary; onClose: () => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const renameKey = useAppStore((s) => s.renameKey);
  const pushToast = useAppStore((s) => s.pushToast);
  const [name, setName] = useState(keySummary.name);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setNameError(t('keys.name.required'));
    if (trimmed.length > MAX_NAME) return setNameError(t('keys.name.tooLong', { max: MAX_NAME }));
    if (trimmed === keySummary.name) return onClose();
    setBusy(true);
    setError(null);
    try {
      await renameKey(keySummary.id, trimmed);
      pushToast({ kind: 'success', message: t('keys.rename.done') });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('keys.rename.title')}
      description={t('keys.rename.intro')}
      onClose={onClose}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={busy}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField
          label={t('keys.name.label')}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(null);
          }}
          onFocus={(e) => e.currentTarget.select()}
          maxLength={MAX_NAME}
          error={nameError}
          required
          autoComplete="off"
          spellCheck={false}
        />
        <ErrorBanner error={error} />
      </form>
    </Dialog>
  );
}
