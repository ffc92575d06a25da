/** Delete a key after an explicit confirmation. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-text';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, shortThumbprint } from './key-labels';

/** The Delete confirmation dialog. Cancel has the initial focus, so Enter never deletes by accident. */
export function DeleteKeyDialog({ keySummary, onClose }: { keySummary: KeySummary; onClose: () => void }) {
  const { t } = useTranslation();
  const deleteKey = useAppStore((s) => s.deleteKey);
  const pushToast = useAppStore((s) => s.pushToast);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onConfirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteKey(keySummary.id);
      pushToast({ kind: 'success', message: t('keys.delete.done') });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('keys.delete.title')}
      onClose={onClose}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void onConfirm()}>
            {t('keys.delete.confirm')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p>{t('keys.delete.body')}</p>
        <dl className="facts facts-compact">
          <dt>{t('keys.name.label')}</dt>
          <dd className="break">{keySummary.name}</dd>
          <dt>{t('keys.detail.type')}</dt>
          <dd>{keyTypeLabel(t, keySummary)}</dd>
          <dt>{t('keys.detail.thumbprint')}</dt>
          <dd className="mono">{shortThumbprint(keySummary.thumbprint)}</dd>
        </dl>
        <p className="muted">{t('keys.delete.advice')}</p>
        <ErrorBanner error={error} />
      </div>
    </Dialog>
  );
}
