/** Delete an application after an explicit confirmation. Its credentials go with it. */
import { useTranslation } from 'react-i18next';
import type { ServerClient } from '../../../../shared/schemas/server';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useAppStore } from '../../state/store';
import { appTypeLabel } from './server-labels';

/** The Delete application confirmation. Cancel has the initial focus, so Enter never deletes by accident. */
export function DeleteApplicationDialog({ client, onClose }: { client: ServerClient; onClose: () => void }) {
  const { t } = useTranslation();
  const deleteClient = useAppStore((s) => s.deleteClient);
  const pushToast = useAppStore((s) => s.pushToast);

  const onConfirm = async () => {
    await deleteClient(client.client_id);
    pushToast({ kind: 'success', message: t('server.appSettings.deleted', { name: client.name }) });
  };

  return (
    <ConfirmDialog
      title={t('server.appSettings.deleteConfirmTitle')}
      body={t('server.appSettings.deleteBody')}
      confirmLabel={t('server.appSettings.deleteConfirm')}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <dl className="facts facts-compact">
        <dt>{t('server.apps.name')}</dt>
        <dd className="break">{client.name}</dd>
        <dt>{t('server.apps.type')}</dt>
        <dd>{appTypeLabel(t, client.app_type)}</dd>
        <dt>{t('server.apps.clientId')}</dt>
        <dd className="mono break">{client.client_id}</dd>
      </dl>
    </ConfirmDialog>
  );
}
