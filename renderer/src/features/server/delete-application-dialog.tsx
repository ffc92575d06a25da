/** Delete an application after an explicit confirmation. Its credentials go with it. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient } from '../../../../shared/schemas/server';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-text';
import { useAppStore } from '../../state/store';
import { appTypeLabel } from './server-labels';

/** The Delete application confirmation. Cancel has the initial focus, so Enter never deletes by accident. */
export function DeleteApplicationDialog({ client, onClose }: { client: ServerClient; onClose: () => void }) {
  const { t } = useTranslation();
  const deleteClient = useAppStore((s) => s.deleteClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onConfirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteClient(client.client_id);
      pushToast({ kind: 'success', message: t('server.appSettings.deleted', { name: client.name }) });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('server.appSettings.deleteConfirmTitle')}
      onClose={onClose}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" busy={busy} onClick={() => void onConfirm()}>
            {t('server.appSettings.deleteConfirm')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p>{t('server.appSettings.deleteBody')}</p>
        <dl className="facts facts-compact">
          <dt>{t('server.apps.name')}</dt>
          <dd className="break">{client.name}</dd>
          <dt>{t('server.apps.type')}</dt>
          <dd>{appTypeLabel(t, client.app_type)}</dd>
          <dt>{t('server.apps.clientId')}</dt>
          <dd className="mono break">{client.client_id}</dd>
        </dl>
        <ErrorBanner error={error} />
      </div>
    </Dialog>
  );
}
