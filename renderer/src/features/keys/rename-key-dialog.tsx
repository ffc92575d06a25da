/** Rename a key. The name is only a label in Parley; the thumbprint (the `kid`) does not change. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { MAX_NAME } from './generate-key-dialog';

/** The Rename dialog. */
export function RenameKeyDialog({ keySummary, onClose }: { keySummary: KeySummary; onClose: () => void }) {
  const { t } = useTranslation();
  const renameKey = useAppStore((s) => s.renameKey);
  const pushToast = useAppStore((s) => s.pushToast);
  const [name, setName] = useState(keySummary.name);
  const [nameError, setNameError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const onSubmit = () => {
    const trimmed = name.trim();
    if (!trimmed) return setNameError(t('keys.name.required'));
    if (trimmed.length > MAX_NAME) return setNameError(t('keys.name.tooLong', { count: MAX_NAME }));
    if (trimmed === keySummary.name) return onClose();
    return run(async () => {
      await renameKey(keySummary.id, trimmed);
      pushToast({ kind: 'success', message: t('keys.rename.done') });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('keys.rename.title')}
      description={t('keys.rename.intro')}
      submitLabel={t('common.save')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
    >
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
    </FormDialog>
  );
}
