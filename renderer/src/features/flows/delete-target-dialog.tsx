/** Delete target: asks first; the target's client secret leaves the vault with it, past runs stay. */
import { useTranslation } from 'react-i18next';
import type { FlowTarget } from '../../../../shared/schemas/flows';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useAppStore } from '../../state/store';

/** The confirmation; calls `onDeleted` once the core has deleted the target. */
export function DeleteTargetDialog({ target, onClose, onDeleted }: { target: FlowTarget; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      title={t('flows.deleteTarget.title')}
      body={t('flows.deleteTarget.body', { name: target.name })}
      advice={t('flows.deleteTarget.advice')}
      confirmLabel={t('flows.deleteTarget.confirm')}
      onConfirm={async () => {
        const store = useAppStore.getState();
        await store.deleteFlowTarget(target.id);
        store.pushToast({ kind: 'success', message: t('flows.deleteTarget.deleted', { name: target.name }) });
        onDeleted();
      }}
      onClose={onClose}
    >
      <dl className="facts facts-compact">
        <dt>{t('flows.deleteTarget.issuer')}</dt>
        <dd className="mono break">{target.issuer}</dd>
        <dt>{t('flows.deleteTarget.clientId')}</dt>
        <dd className="mono break">{target.client_id}</dd>
      </dl>
    </ConfirmDialog>
  );
}
