/** Delete a key after an explicit confirmation. */
import { useTranslation } from 'react-i18next';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, shortThumbprint } from './key-labels';

/** The Delete confirmation dialog. Cancel has the initial focus, so Enter never deletes by accident. */
export function DeleteKeyDialog({ keySummary, onClose }: { keySummary: KeySummary; onClose: () => void }) {
  const { t } = useTranslation();
  const deleteKey = useAppStore((s) => s.deleteKey);
  const pushToast = useAppStore((s) => s.pushToast);

  const onConfirm = async () => {
    await deleteKey(keySummary.id);
    pushToast({ kind: 'success', message: t('keys.delete.done') });
  };

  return (
    <ConfirmDialog
      title={t('keys.delete.title')}
      body={t('keys.delete.body')}
      advice={t('keys.delete.advice')}
      confirmLabel={t('keys.delete.confirm')}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <dl className="facts facts-compact">
        <dt>{t('keys.name.label')}</dt>
        <dd className="break">{keySummary.name}</dd>
        <dt>{t('keys.detail.type')}</dt>
        <dd>{keyTypeLabel(t, keySummary)}</dd>
        <dt>{t('keys.detail.thumbprint')}</dt>
        <dd className="mono">{shortThumbprint(keySummary.thumbprint)}</dd>
      </dl>
    </ConfirmDialog>
  );
}
